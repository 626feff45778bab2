package contaazul_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/contaazul"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
	"github.com/pontehub/ponte/internal/oauth"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// env is one tenant connected to a sandbox Conta Azul company through the real token store.
type env struct {
	sb      *contaazulsandbox.Sandbox
	srv     *httptest.Server
	clk     *sandbox.Clock
	base    string // the sandbox's Conta Azul base URL (API and auth server)
	app     contaazulsandbox.App
	acc     contaazulsandbox.Account
	tokens  *store.OAuthTokens
	mgr     *oauth.Manager
	key     string
	doer    *partner.Doer
	client  *contaazul.Client
	counter *sandbox.Counter
}

// newEnv starts the sandbox behind the hub, as `ponte sandbox` serves it, and a client with no
// limiter (tests that need one set it). The sandbox runs on the test clock unless opts.Now is set.
func newEnv(t *testing.T, opts contaazulsandbox.Options) *env {
	t.Helper()
	clk := sandbox.NewClock(time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC))
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	sb := contaazulsandbox.New(opts)
	srv := httptest.NewServer(sandbox.NewHub(sb))
	t.Cleanup(srv.Close)
	st := storetest.Open(t, store.SQLite)
	tenant, err := st.CreateTenant(context.Background(), "Refrigeração Teste Ltda")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{sb: sb, srv: srv, clk: clk, base: srv.URL + "/contaazul", tokens: st.OAuthTokens(tenant.ID),
		key: "integration:1", counter: sb.Counter()}
	e.app = sb.NewApp("https://ponte.example/conectar/contaazul/retorno")
	e.acc = sb.NewAccount()
	e.mgr = oauth.NewManager(contaazul.OAuthConfig(e.app.ClientID, e.app.ClientSecret, e.base, e.app.RedirectURI), e.tokens, srv.Client())
	e.doer = &partner.Doer{HTTP: srv.Client(), Backoff: time.Millisecond}
	e.client = contaazul.New(e.base, e.mgr, e.key, e.doer)
	return e
}

// connect authorises the app on the account through the admin shortcut and stores the tokens.
func (e *env) connect(t *testing.T) {
	t.Helper()
	code, err := e.sb.IssueCode(e.app.ClientID, e.acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.mgr.Exchange(context.Background(), e.key, code); err != nil {
		t.Fatal(err)
	}
}

func (e *env) calls(method string) int64 { return e.counter.Snapshot()[method] }

func (e *env) seed(t *testing.T, p contaazulsandbox.Pessoa) contaazulsandbox.Pessoa {
	t.Helper()
	out, err := e.sb.SeedPessoa(e.acc.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
