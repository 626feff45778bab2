package auvo_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
)

// clock is a settable time source shared by the sandbox and, when a test wants, the client.
// env is a sandbox behind a real HTTP server, one fresh account, and a client for it.
type env struct {
	sb    *auvosandbox.Server
	acc   auvosandbox.Account
	base  string
	clock *sandbox.Clock
	c     *auvo.Client
	doer  *partner.Doer
}

func newEnv(t *testing.T, o auvosandbox.Options) *env {
	t.Helper()
	clk := sandbox.NewClock(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	o.Now = clk.Now
	sb := auvosandbox.New(o)
	srv := httptest.NewServer(sandbox.NewHub(sb))
	t.Cleanup(srv.Close)
	e := &env{sb: sb, acc: sb.NewAccount(), base: srv.URL + "/auvo/v2", clock: clk}
	e.doer = &partner.Doer{HTTP: partner.NewHTTPClient(partner.HTTPOptions{Timeout: 5 * time.Second}), Retries: -1}
	e.c = auvo.New(e.base, auvo.Credentials{APIKey: e.acc.APIKey, APIToken: e.acc.APIToken}, e.doer)
	return e
}

func (e *env) calls(method string) int64 { return e.sb.Counter().Snapshot()[method] }

func kindOf(t *testing.T, err error, want partner.Kind) *partner.Error {
	t.Helper()
	var pe *partner.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *partner.Error", err)
	}
	if pe.Kind != want {
		t.Fatalf("error kind = %s, want %s (%v)", pe.Kind, want, err)
	}
	return pe
}

// API doc §1: wrong keys must read as an authentication problem the portal can show.
func TestLoginRejectsWrongKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	if err := e.c.Login(ctx); err != nil {
		t.Fatalf("Login with good keys: %v", err)
	}
	for name, creds := range map[string]auvo.Credentials{
		"unknown apiKey (404)":  {APIKey: "nope", APIToken: e.acc.APIToken},
		"wrong apiToken":        {APIKey: e.acc.APIKey, APIToken: "nope"},
		"missing keys":          {},
		"missing apiToken only": {APIKey: e.acc.APIKey},
	} {
		err := auvo.New(e.base, creds, e.doer).Login(ctx)
		pe := kindOf(t, err, partner.KindAuth)
		if pe.Message == "" {
			t.Errorf("%s: no message for the user", name)
		}
	}
}

// API doc §1: one login serves many calls while the token lasts.
func TestTokenIsCached(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	for range 3 {
		if _, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.calls("POST /login"); n != 1 {
		t.Errorf("logins = %d, want 1", n)
	}
}

// API doc §1: a token the server refuses (401) is replaced by one new login and the call retried.
func TestExpiredTokenReloginOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	if err := e.c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(31 * time.Minute) // the sandbox expires the token; the client's clock did not move
	if _, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1); err != nil {
		t.Fatalf("call after expiry: %v", err)
	}
	if n := e.calls("POST /login"); n != 2 {
		t.Errorf("logins = %d, want 2", n)
	}
	if n := e.calls("GET /customers"); n != 2 {
		t.Errorf("list calls = %d, want 2 (the 401 and the retry)", n)
	}
}

// API doc §1: the client renews the token about two minutes before its 30 minutes are up,
// without waiting for a 401.
func TestTokenRenewedBeforeExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	clientClock := sandbox.NewClock(time.Now())
	auvo.SetClock(e.c, clientClock.Now)
	ctx := context.Background()
	if _, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1); err != nil {
		t.Fatal(err)
	}
	clientClock.Advance(27 * time.Minute)
	if _, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1); err != nil {
		t.Fatal(err)
	}
	if n := e.calls("POST /login"); n != 1 {
		t.Fatalf("logins after 27 min = %d, want 1", n)
	}
	clientClock.Advance(2 * time.Minute) // 29 minutes: inside the margin
	if _, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1); err != nil {
		t.Fatal(err)
	}
	if n := e.calls("POST /login"); n != 2 {
		t.Errorf("logins after 29 min = %d, want 2", n)
	}
	if n := e.calls("GET /customers"); n != 3 {
		t.Errorf("list calls = %d, want 3 (no 401 retry)", n)
	}
}

// API doc §6: the 403 rate-limit body is KindThrottled with a wait, never an auth failure.
func TestThrottleIsDistinct(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{RateLimit: 3})
	ctx := context.Background()
	var err error
	for range 4 { // login + 2 lists pass, the 4th call is over the limit
		if _, err = e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1); err != nil {
			break
		}
	}
	pe := kindOf(t, err, partner.KindThrottled)
	if pe.RetryAfter <= 0 || pe.Status != http.StatusForbidden || pe.Message != "Rate limit temporarily exceeded" {
		t.Errorf("throttle error = %+v", pe)
	}
	if !partner.IsRetryable(err) {
		t.Error("throttle not retryable")
	}
	e.clock.Advance(time.Minute)
	if _, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1); err != nil {
		t.Errorf("after a minute: %v", err)
	}
}

// Failures without a usable answer are transient: a 5xx page, or JSON cut short.
func TestTransientFailures(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	if err := e.c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	e.sb.Faults().Add(sandbox.Fault{Method: "GET /customers", Kind: sandbox.FaultMalformed, Count: 1})
	_, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1)
	kindOf(t, err, partner.KindTransient)
	e.sb.Faults().Add(sandbox.Fault{Method: "GET /customers/{id}", Kind: sandbox.FaultError, Status: 500, Count: 1})
	_, err = e.c.GetCustomer(ctx, 1)
	kindOf(t, err, partner.KindTransient)
}

// API doc §6: GET by id of a missing record is NotFound, while an empty list (also a 404) is
// just an empty last page.
func TestNotFoundVersusEmptyList(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	page, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1)
	if err != nil || len(page.Customers) != 0 || page.More {
		t.Fatalf("empty list = %+v, %v", page, err)
	}
	if e.sb.Counter().Snapshot()["GET /customers"] != 1 {
		t.Fatal("the list was not called")
	}
	_, err = e.c.GetCustomer(ctx, 424242)
	kindOf(t, err, partner.KindNotFound)
	_, err = e.c.GetTask(ctx, 424242)
	kindOf(t, err, partner.KindNotFound)
	_, err = e.c.GetProduct(ctx, "no-such-code")
	kindOf(t, err, partner.KindNotFound)
}

// A 400 carries Auvo's own message, for the run log (SPEC V3).
func TestInvalidCarriesMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	_, err := e.c.CreateCustomer(context.Background(), auvo.Customer{ExternalID: "x"})
	pe := kindOf(t, err, partner.KindInvalid)
	if pe.Status != 400 || pe.Message != "The name is required." || pe.Code != "0" {
		t.Errorf("error = %+v", pe)
	}
}

// The rate limit is per credential: the client waits under the key "auvo:"+APIKey, so a block
// on that key stops its calls before they reach Auvo, and another account is not affected.
func TestLimiterKeyIsTheCredential(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	limiter := partner.NewLocalLimiter()
	e.doer.Limiter = limiter
	if err := limiter.Block(ctx, "auvo:"+e.acc.APIKey, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1)
	kindOf(t, err, partner.KindBlocked)
	if n := len(e.sb.Counter().Snapshot()); n != 0 {
		t.Errorf("a blocked credential reached Auvo: %v", e.sb.Counter().Snapshot())
	}
	other := e.sb.NewAccount()
	c2 := auvo.New(e.base, auvo.Credentials{APIKey: other.APIKey, APIToken: other.APIToken}, e.doer)
	if _, err := c2.ListCustomers(ctx, auvo.CustomerFilter{}, 1); err != nil {
		t.Errorf("another account: %v", err)
	}
}

// Concurrent calls that all meet the expired token share one new login.
func TestConcurrentReloginIsShared(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	if err := e.c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() {
			_, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := e.calls("POST /login"); n != 2 {
		t.Errorf("logins = %d, want 2", n)
	}
}
