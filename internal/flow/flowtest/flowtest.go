// Package flowtest gives sync-engine tests a real world to run in: a migrated store (SQLite,
// or PostgreSQL when PONTE_TEST_POSTGRES_URL is set), the partner sandboxes in-process behind
// one httptest server with fresh accounts, an active integration configured for them, and the
// engine, all on one manual clock that the sandboxes stamp modification times with.
package flowtest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/bling/blingsandbox"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/connector"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
	"github.com/pontehub/ponte/internal/flow"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// Start is the clock's first reading: a weekday morning in Brasília.
var Start = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// Period is how far Cycle moves the clock after each cycle: the product's polling period (F2).
const Period = 10 * time.Minute

// Env is one integration between fresh sandbox accounts, with its engine.
type Env struct {
	T      testing.TB
	Clock  *sandbox.Clock
	Store  *store.Store
	Engine *flow.Engine
	In     store.Integration

	Auvo    *auvosandbox.Server
	AuvoKey string // the Auvo account's API key
	Omie    *omiesandbox.Server
	OmieKey string // the Omie account's app key
	// ContaAzul and CAAccount are the Conta Azul sandbox and the connected company.
	ContaAzul *contaazulsandbox.Sandbox
	CAAccount string
	// Bling and BlingAccount are the Bling sandbox and the connected account.
	Bling        *blingsandbox.Sandbox
	BlingAccount int64

	auvoClient *auvo.Client
	omieClient *omie.Client
}

// Options shape an Env.
type Options struct {
	ERP store.ERP // default Omie
	// Omie account switches (C-A3: refuse a second customer with the same document).
	Omie omiesandbox.AccountOptions
	// Flows turned off (F1); every flow of the ERP is on otherwise.
	Off []store.Flow
	// Wrap, when set, stands between Ponte and the sandboxes: a test loses answers or fails
	// calls with it the way a network does, while the sandboxes stay what they are.
	Wrap func(http.Handler) http.Handler
	// OmieAhead sets the Omie sandbox's clock that far ahead of Ponte's (behind when negative),
	// as a real partner server's clock may be (issue 16).
	OmieAhead time.Duration
	// Demo fills the Auvo and Omie accounts with the sandboxes' demo data (the records of
	// `ponte demo`), instead of leaving them empty.
	Demo bool
}

// partners builds clients like the connector does, except that Omie's REDUNDANT read cache runs
// on the test's clock, so moving the clock past Omie's window also expires the cache.
type partners struct {
	*connector.Connector
	omieURL string
	doer    *partner.Doer
	clock   *sandbox.Clock
	gate    *partner.Gate
	cache   *omie.ReadCache
}

func (p *partners) Omie(cr store.Credentials) *omie.Client {
	return omie.New(p.omieURL, omie.Credentials{AppKey: cr.OmieAppKey, AppSecret: cr.OmieAppSecret}, p.doer,
		omie.WithGate(p.gate), omie.WithCache(p.cache), omie.WithClock(p.clock.Now))
}

// New builds an Env on dialect d.
func New(t testing.TB, d store.Dialect, o Options) *Env {
	t.Helper()
	if o.ERP == "" {
		o.ERP = store.Omie
	}
	ctx := context.Background()
	clk := sandbox.NewClock(Start)
	env := &Env{T: t, Clock: clk, Store: storetest.Open(t, d)}
	// Tokens outlive the test's clock: the clients renew them on the real clock.
	env.Auvo = auvosandbox.New(auvosandbox.Options{Now: clk.Now, TokenTTL: 24 * time.Hour})
	omieNow := clk.Now
	if o.OmieAhead != 0 {
		omieNow = func() time.Time { return clk.Now().Add(o.OmieAhead) }
	}
	env.Omie = omiesandbox.New(omiesandbox.Options{Now: omieNow})
	env.ContaAzul = contaazulsandbox.New(contaazulsandbox.Options{Now: clk.Now, AccessTTL: 24 * time.Hour,
		PerSecond: 1 << 20, PerMinute: 1 << 20})
	env.Bling = blingsandbox.New(blingsandbox.Options{Now: clk.Now, AccessTTL: 24 * time.Hour, RequestsPerSecond: -1, DailyLimit: -1})
	var hub http.Handler = sandbox.NewHub(env.Auvo, env.Omie, env.ContaAzul, env.Bling)
	if o.Wrap != nil {
		hub = o.Wrap(hub)
	}
	srv := httptest.NewServer(hub)
	t.Cleanup(srv.Close)

	cfg := config.Config{BaseURL: "http://ponte.test", AuvoURL: srv.URL + "/auvo/v2", OmieURL: srv.URL + "/omie/api/v1",
		ContaAzulURL: srv.URL + "/contaazul", ContaAzulAuthURL: srv.URL + "/contaazul",
		BlingURL: srv.URL + "/bling/Api/v3", BlingAuthURL: srv.URL + "/bling/Api/v3/oauth"}
	caApp := env.ContaAzul.NewApp(cfg.BaseURL + connector.OAuthCallbackPath(store.ContaAzul))
	blApp := env.Bling.NewApp(cfg.BaseURL + connector.OAuthCallbackPath(store.Bling))
	cfg.ContaAzulClientID, cfg.ContaAzulSecret = caApp.ClientID, caApp.ClientSecret
	cfg.BlingClientID, cfg.BlingClientSecret = blApp.ClientID, blApp.ClientSecret
	doer := &partner.Doer{HTTP: srv.Client(), Backoff: time.Millisecond}
	p := &partners{Connector: connector.New(cfg, env.Store, connector.Options{Doer: doer}), omieURL: cfg.OmieURL,
		doer: doer, clock: clk, gate: partner.NewGate(), cache: omie.NewReadCache()}

	acc := env.Auvo.NewAccount()
	if o.Demo {
		acc = env.Auvo.AddAccount("demo-"+acc.APIKey, acc.APIToken, true)
		o.Omie.Seed = true
	}
	env.AuvoKey = acc.APIKey
	cr := store.Credentials{AuvoAPIKey: acc.APIKey, AuvoAPIToken: acc.APIToken}
	if o.ERP == store.Omie {
		om := env.Omie.NewAccount(o.Omie)
		env.OmieKey = om.AppKey
		cr.OmieAppKey, cr.OmieAppSecret = om.AppKey, om.AppSecret
	}
	ten, err := env.Store.CreateTenant(ctx, "Refrigeração Teste")
	if err != nil {
		t.Fatal(err)
	}
	in, err := env.Store.CreateIntegration(ctx, ten.ID, o.ERP)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Store.SaveIntegrationSetup(ctx, ten.ID, in.ID, store.Config{}, cr); err != nil {
		t.Fatal(err)
	}
	if err := env.Store.SetIntegrationState(ctx, ten.ID, in.ID, store.StateActive, ""); err != nil {
		t.Fatal(err)
	}
	for _, f := range o.Off {
		// A flow the ERP does not have (F1) is off already.
		if err := env.Store.SetFlowEnabled(ctx, ten.ID, in.ID, f, false); err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
	}
	if env.In, err = env.Store.IntegrationByID(ctx, ten.ID, in.ID); err != nil {
		t.Fatal(err)
	}
	switch o.ERP {
	case store.ContaAzul:
		env.CAAccount = env.ContaAzul.NewAccount().ID
		code, err := env.ContaAzul.IssueCode(caApp.ClientID, env.CAAccount)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.OAuth(store.ContaAzul, ten.ID).Exchange(ctx, store.OAuthConnKey(in.ID), code); err != nil {
			t.Fatal(err)
		}
	case store.Bling:
		env.BlingAccount = env.Bling.NewAccount("Refrigeração Teste")
		code, err := env.Bling.IssueCode(blApp.ClientID, env.BlingAccount)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.OAuth(store.Bling, ten.ID).Exchange(ctx, store.OAuthConnKey(in.ID), code); err != nil {
			t.Fatal(err)
		}
	}
	env.Engine = flow.New(flow.Options{Store: env.Store, Partners: p, Now: clk.Now})
	env.auvoClient = p.Auvo(cr)
	if o.ERP == store.Omie {
		env.omieClient = p.Omie(cr)
	}
	return env
}

// Cycle runs one cycle of the integration and moves the clock one period on. It returns the
// cycle's error.
func (e *Env) Cycle() error {
	e.T.Helper()
	ctx := context.Background()
	id, err := e.Store.StartCycle(ctx, e.In.TenantID, e.In.ID, e.Clock.Now(), "test")
	if err != nil {
		e.T.Fatal(err)
	}
	err = e.Engine.RunCycle(ctx, store.Cycle{ID: id, TenantID: e.In.TenantID, IntegrationID: e.In.ID, Slot: e.Clock.Now(), Node: "test"})
	e.Clock.Advance(Period)
	return err
}

// MustCycle runs one cycle and fails the test on an error.
func (e *Env) MustCycle() {
	e.T.Helper()
	if err := e.Cycle(); err != nil {
		e.T.Fatalf("cycle: %v", err)
	}
}

// Outcomes returns the integration's outcomes that f selects, newest first (all of them when
// f.Limit is zero).
func (e *Env) Outcomes(f store.OutcomeFilter) []store.Outcome {
	e.T.Helper()
	if f.Limit == 0 {
		f.Limit = 100000
	}
	out, err := e.Store.Outcomes(context.Background(), e.In.TenantID, e.In.ID, f)
	if err != nil {
		e.T.Fatal(err)
	}
	return out
}

// Link returns the customer link of an Auvo id, or false.
func (e *Env) Link(auvoID int64) (store.Link, bool) {
	e.T.Helper()
	l, err := e.Store.LinkByAuvoID(context.Background(), e.In.TenantID, e.In.ID, store.EntityCustomer, strconv.FormatInt(auvoID, 10))
	if err != nil {
		return store.Link{}, false
	}
	return l, true
}

// ResetStats zeroes the call counters of every sandbox.
func (e *Env) ResetStats() {
	e.Auvo.Counter().Reset()
	e.Omie.Counter().Reset()
	e.ContaAzul.Counter().Reset()
	e.Bling.Counter().Reset()
}

// Stats returns the calls made to each partner since the last ResetStats, by method.
func (e *Env) Stats() map[string]map[string]int64 {
	return map[string]map[string]int64{"auvo": e.Auvo.Counter().Snapshot(), "omie": e.Omie.Counter().Snapshot(),
		"contaazul": e.ContaAzul.Counter().Snapshot(), "bling": e.Bling.Counter().Snapshot()}
}

// Writes counts the write calls in stats: every method that is not a read or a login.
func Writes(stats map[string]map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for p, m := range stats {
		for method, n := range m {
			if isRead(method) {
				continue
			}
			out[p+" "+method] += n
		}
	}
	return out
}

func isRead(method string) bool {
	for _, prefix := range []string{"GET ", "POST /login", "POST /oauth2/token", "POST /oauth/token", "Listar", "Consultar", "Pesquisar"} {
		if len(method) >= len(prefix) && method[:len(prefix)] == prefix {
			return true
		}
	}
	return method == "POST /login"
}

// Each runs fn as a subtest per dialect: SQLite always, PostgreSQL when PONTE_TEST_POSTGRES_URL
// is set (reported as skipped otherwise, never as passed).
func Each(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	t.Helper()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			if d == store.Postgres && os.Getenv(storetest.PostgresEnv) == "" {
				t.Skip(storetest.PostgresEnv + " not set")
			}
			fn(t, d)
		})
	}
}

// AuvoCustomer returns an Auvo customer as the sandbox holds it (deleted ones too).
func (e *Env) AuvoCustomer(id int64) auvosandbox.Record[auvo.Customer] {
	e.T.Helper()
	for _, r := range e.Auvo.Customers(e.AuvoKey) {
		if r.Value.ID == id {
			return r
		}
	}
	e.T.Fatalf("no Auvo customer %d", id)
	return auvosandbox.Record[auvo.Customer]{}
}

// OmieCustomer returns an Omie customer as the sandbox holds it; ok is false when there is none.
func (e *Env) OmieCustomer(id string) (omie.ClienteCadastro, bool) {
	for _, c := range e.Omie.Customers(e.OmieKey) {
		if strconv.FormatInt(c.CodigoClienteOmie, 10) == id {
			return c, true
		}
	}
	return omie.ClienteCadastro{}, false
}
