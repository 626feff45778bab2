package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/bling/blingsandbox"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/connector"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
	"github.com/pontehub/ponte/internal/jobs"
	ponteMail "github.com/pontehub/ponte/internal/mail"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// env is a portal on a real migrated store, talking to the partner sandboxes over HTTP and
// writing e-mails to an outbox directory.
type env struct {
	t *testing.T
	// later is how far the Omie sandbox's and the partner clients' clock is ahead of the wall
	// clock (see pass).
	later  atomic.Int64
	st     *store.Store
	srv    *httptest.Server
	s      *server
	outbox string
	auvo   *auvosandbox.Server
	omie   *omiesandbox.Server
	ca     *contaazulsandbox.Sandbox
	caApp  contaazulsandbox.App
	bling  *blingsandbox.Sandbox
	blApp  blingsandbox.App
	dbPath string // SQLite file
	dbURL  string // PostgreSQL URL (with search_path)
}

// openStore opens a migrated store, remembering where it is so tests can read the raw data.
func (e *env) openStore(d store.Dialect) {
	e.t.Helper()
	o := store.Options{Box: storetest.Box(e.t)}
	if d == store.Postgres {
		e.dbURL = storetest.NewSchema(e.t)
		o.URL = e.dbURL
	} else {
		e.dbPath = filepath.Join(e.t.TempDir(), "ponte.db")
		o.SQLitePath = e.dbPath
	}
	st, err := store.Open(context.Background(), o)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { st.Close() })
	if err := st.Migrate(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	if err := jobs.Migrate(context.Background(), st); err != nil {
		e.t.Fatal(err)
	}
	e.st = st
}

func newEnv(t *testing.T, d store.Dialect) *env {
	t.Helper()
	e := &env{t: t, outbox: filepath.Join(t.TempDir(), "outbox")}
	e.openStore(d)
	e.auvo = auvosandbox.New(auvosandbox.Options{})
	e.omie = omiesandbox.New(omiesandbox.Options{Now: e.now})
	e.ca = contaazulsandbox.New(contaazulsandbox.Options{})
	e.bling = blingsandbox.New(blingsandbox.Options{})
	hub := httptest.NewServer(sandbox.NewHub(e.auvo, e.omie, e.ca, e.bling))
	t.Cleanup(hub.Close)

	// The portal's own URL is needed for the OAuth redirect before the server starts.
	e.srv = httptest.NewUnstartedServer(nil)
	base := "http://" + e.srv.Listener.Addr().String()
	e.caApp = e.ca.NewApp(base + connector.OAuthCallbackPath(store.ContaAzul))
	e.blApp = e.bling.NewApp(base + connector.OAuthCallbackPath(store.Bling))
	cfg, err := config.FromEnv(func(k string) (string, bool) {
		v, ok := map[string]string{
			"PONTE_BASE_URL":  base,
			"PONTE_AUVO_URL":  hub.URL + "/auvo/v2",
			"PONTE_OMIE_URL":  hub.URL + "/omie/api/v1",
			"PONTE_BLING_URL": hub.URL + "/bling/Api/v3", "PONTE_BLING_AUTH_URL": hub.URL + "/bling/Api/v3/oauth",
			"PONTE_CONTAAZUL_URL": hub.URL + "/contaazul", "PONTE_CONTAAZUL_AUTH_URL": hub.URL + "/contaazul",
			"PONTE_CONTAAZUL_CLIENT_ID": e.caApp.ClientID, "PONTE_CONTAAZUL_CLIENT_SECRET": e.caApp.ClientSecret,
			"PONTE_BLING_CLIENT_ID": e.blApp.ClientID, "PONTE_BLING_CLIENT_SECRET": e.blApp.ClientSecret,
		}[k]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	enq, err := jobs.NewEnqueuer(e.st)
	if err != nil {
		t.Fatal(err)
	}
	e.s, err = newServer(Deps{Store: e.st, Log: log, BaseURL: base, Connector: connector.New(cfg, e.st, connector.Options{Now: e.now}),
		Mailer: ponteMail.NewOutbox(e.outbox, cfg.MailFrom, log), Sync: enq})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	e.s.routes(mux)
	e.srv.Config.Handler = e.s.secureHeaders(mux)
	e.srv.Start()
	t.Cleanup(e.srv.Close)
	return e
}

// now is the clock of the Omie sandbox and of the partner clients.
func (e *env) now() time.Time { return time.Now().Add(time.Duration(e.later.Load())) }

// pass moves the Omie sandbox's and the partner clients' clock forward by d, as if the user came back d later: Omie's
// answers remembered for its 60-second no-repeat window are then read again.
func (e *env) pass(d time.Duration) { e.later.Add(int64(d)) }

// client is one browser: its own cookies; redirects are followed like a browser does.
type client struct {
	e  *env
	hc *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, hc: &http.Client{Jar: jar}}
}

// resp is an answer with its body read.
type resp struct {
	status int
	body   string
	url    string
}

func (c *client) do(req *http.Request) resp {
	c.e.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: string(b), url: res.Request.URL.Path}
}

func (c *client) get(path string) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.srv.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// mails returns the outbox's messages, oldest first, as (to, subject, decoded body).
func (e *env) mails() []sentMail {
	e.t.Helper()
	files, _ := filepath.Glob(filepath.Join(e.outbox, "*.eml"))
	slices.Sort(files)
	var out []sentMail
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			e.t.Fatal(err)
		}
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			e.t.Fatal(err)
		}
		body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, sentMail{to: m.Header.Get("To"), body: string(body), raw: string(raw)})
	}
	return out
}

type sentMail struct{ to, body, raw string }

var passwordRE = regexp.MustCompile(`é:\s+([A-Za-z0-9]{18})\s`)

// lastPassword reads the generated password from the newest e-mail to addr.
func (e *env) lastPassword(addr string) string {
	e.t.Helper()
	ms := e.mails()
	for i := len(ms) - 1; i >= 0; i-- {
		if strings.Contains(ms[i].to, addr) {
			if m := passwordRE.FindStringSubmatch(ms[i].body); m != nil {
				return m[1]
			}
		}
	}
	e.t.Fatalf("no password e-mail to %s in %d messages", addr, len(ms))
	return ""
}

// signUp creates a tenant account through the portal and signs in with a chosen password.
func (e *env) signUp(company, email string) *client {
	e.t.Helper()
	c := e.client()
	if r := c.post("/signup", url.Values{"name": {company}, "email": {email}}); r.status != 200 || r.url != "/login" {
		e.t.Fatalf("sign-up: %d %s\n%s", r.status, r.url, r.body)
	}
	pw := e.lastPassword(email)
	if r := c.post("/login", url.Values{"email": {email}, "password": {pw}}); r.url != "/password" {
		e.t.Fatalf("first login went to %s (%d)", r.url, r.status)
	}
	if r := c.post("/password", url.Values{"password": {"senha-nova-123"}, "confirm": {"senha-nova-123"}}); r.url != "/" || r.status != 200 {
		e.t.Fatalf("password change: %d %s\n%s", r.status, r.url, r.body)
	}
	return c
}

// operator creates an operator account directly, as `ponte operator create` does, and signs in.
func (e *env) operator(email string) *client {
	e.t.Helper()
	if _, err := e.st.CreateUser(context.Background(), 0, email, hashPassword("operador-123"), true); err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.SetPassword(context.Background(), mustUser(e, email).ID, hashPassword("operador-123"), false); err != nil {
		e.t.Fatal(err)
	}
	c := e.client()
	if r := c.post("/login", url.Values{"email": {email}, "password": {"operador-123"}}); r.url != "/operator" {
		e.t.Fatalf("operator login went to %s (%d)", r.url, r.status)
	}
	return c
}

func mustUser(e *env, email string) store.User {
	e.t.Helper()
	u, err := e.st.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}
