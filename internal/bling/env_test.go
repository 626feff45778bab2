package bling_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/bling/blingsandbox"
	"github.com/pontehub/ponte/internal/oauth"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// env is one tenant connected to one sandbox Bling account through the real OAuth manager,
// the real token store (SQLite) and the sandbox served over HTTP by the same hub as `ponte sandbox`.
type env struct {
	t       *testing.T
	clock   *sandbox.Clock // the sandbox's clock: tokens can expire at Bling while Ponte still trusts them
	sb      *blingsandbox.Sandbox
	srv     *httptest.Server
	app     blingsandbox.App
	account int64
	tokens  *store.OAuthTokens
	key     string
	mgr     *oauth.Manager
	client  *bling.Client
}

// envOptions change the environment for one test.
type envOptions struct {
	sandbox   blingsandbox.Options
	noLimiter bool // leave Ponte's own pacing out, to meet Bling's 429 answers
}

const redirectURI = "https://ponte.example/oauth/bling/callback"

func newEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	e := &env{t: t, clock: sandbox.NewClock(time.Now()), key: "integration:1"}
	if o.sandbox.Now == nil {
		o.sandbox.Now = e.clock.Now
	}
	e.sb = blingsandbox.New(o.sandbox)
	e.srv = httptest.NewServer(sandbox.NewHub(e.sb))
	t.Cleanup(e.srv.Close)
	e.app = e.sb.NewApp(redirectURI)
	e.account = e.sb.NewAccount("Conta de teste")

	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	tenant, err := st.CreateTenant(ctx, "Refrigeração Teste")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens = st.OAuthTokens(tenant.ID)
	hc := partner.NewHTTPClient(partner.HTTPOptions{Timeout: 5 * time.Second})
	e.mgr = oauth.NewManager(bling.OAuthConfig(e.app.ClientID, e.app.ClientSecret, e.authURL()), e.tokens, hc)
	doer := &partner.Doer{HTTP: hc, Backoff: 10 * time.Millisecond}
	if !o.noLimiter {
		doer.Limiter = partner.NewLocalLimiter()
	}
	e.client = bling.New(e.apiURL(), e.mgr, e.key, doer)
	return e
}

func (e *env) apiURL() string  { return e.srv.URL + "/bling/Api/v3" }
func (e *env) authURL() string { return e.srv.URL + "/bling/Api/v3/oauth" }

// connect authorises the app for the account through the admin shortcut and exchanges the code,
// as Ponte's callback does.
func (e *env) connect() {
	e.t.Helper()
	code, err := e.sb.IssueCode(e.app.ClientID, e.account)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.mgr.Exchange(context.Background(), e.key, code); err != nil {
		e.t.Fatal(err)
	}
}

// calls returns how many calls of method the sandbox has answered.
func (e *env) calls(method string) int64 { return e.sb.Counter().Snapshot()[method] }

// seed stores a contact directly in the account, failing the test on error.
func (e *env) seed(c bling.Contact) int64 {
	e.t.Helper()
	id, err := e.sb.SeedContact(e.account, c)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// noRedirects is an HTTP client that shows redirects instead of following them.
func noRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
