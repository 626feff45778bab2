package omie_test

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
)

// env is a sandbox served over real HTTP and a client for one of its accounts.
type env struct {
	sb      *omiesandbox.Server
	srv     *httptest.Server
	clock   *sandbox.Clock
	acct    omiesandbox.Account
	limiter *partner.LocalLimiter
	client  *omie.Client
}

// newEnv starts a sandbox with an account created with opts and a client for it. The clock starts
// at the real time so that limiter blocks (which use the real clock) line up with the sandbox's.
func newEnv(t testing.TB, opts omiesandbox.AccountOptions) *env {
	t.Helper()
	e := &env{clock: sandbox.NewClock(time.Now().Truncate(time.Second)), limiter: partner.NewLocalLimiter()}
	e.sb = omiesandbox.New(omiesandbox.Options{Now: e.clock.Now})
	e.srv = httptest.NewServer(e.sb)
	t.Cleanup(e.srv.Close)
	e.acct = e.sb.NewAccount(opts)
	e.client = e.newClient(e.acct.AppKey, e.acct.AppSecret)
	return e
}

func (e *env) newClient(key, secret string, opts ...omie.Option) *omie.Client {
	doer := &partner.Doer{HTTP: partner.NewHTTPClient(partner.HTTPOptions{Timeout: 2 * time.Second}),
		Limiter: e.limiter, Retries: -1}
	return omie.New(e.srv.URL+"/api/v1", omie.Credentials{AppKey: key, AppSecret: secret}, doer,
		append([]omie.Option{omie.WithClock(e.clock.Now)}, opts...)...)
}

// calls returns how many times the sandbox received call.
func (e *env) calls(call string) int64 { return e.sb.Counter().Snapshot()[call] }

func kindOf(t *testing.T, err error) partner.Kind {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got nil")
	}
	return partner.KindOf(err)
}

func errorAs(err error, target **partner.Error) bool { return errors.As(err, target) }

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// sandboxFault is a one-shot fault on method.
func sandboxFault(method string, kind sandbox.FaultKind, latency time.Duration) sandbox.Fault {
	return sandbox.Fault{Method: method, Kind: kind, Count: 1, Latency: latency}
}
