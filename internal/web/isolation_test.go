package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/oauth"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// tenantA is a company with a configured, active integration that has runs, outcomes, a lock
// and audit entries: everything another tenant must not reach.
type tenantA struct {
	in     store.Integration
	run    store.RunID
	lock   store.LinkID
	user   store.User
	client *client
}

const (
	secretAuvoKey   = "auvo-key-9f8e7d6c5b4a"
	secretAuvoToken = "auvo-token-1a2b3c4d5e6f"
	secretOmieKey   = "3141592653589"
	secretOmieSec   = "omie-secret-0123456789abcdef0123456789"
)

func seedTenantA(t *testing.T, e *env) tenantA {
	t.Helper()
	ctx := context.Background()
	a := tenantA{client: e.signUp("Empresa A Secreta", "ana@empresa-a.com.br")}
	a.user = mustUser(e, "ana@empresa-a.com.br")
	in, err := e.st.CreateIntegration(ctx, a.user.TenantID, store.Omie)
	if err != nil {
		t.Fatal(err)
	}
	cfg := store.Config{TaskStatus: "3", QuoteStatus: "Aprovado", BankAccount: 1, Category: "1.01.01", StockLocation: 2}
	cr := store.Credentials{AuvoAPIKey: secretAuvoKey, AuvoAPIToken: secretAuvoToken, OmieAppKey: secretOmieKey, OmieAppSecret: secretOmieSec}
	if err := e.st.SaveIntegrationSetup(ctx, a.user.TenantID, in.ID, cfg, cr); err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetIntegrationState(ctx, a.user.TenantID, in.ID, store.StatePending, ""); err != nil {
		t.Fatal(err)
	}
	if a.run, err = e.st.StartRun(ctx, a.user.TenantID, in.ID, 0, store.FlowCustomersToERP); err != nil {
		t.Fatal(err)
	}
	if err := e.st.FinishRun(ctx, a.user.TenantID, a.run, "done", store.Counts{Read: 2, Created: 1, Skipped: 1}, ""); err != nil {
		t.Fatal(err)
	}
	for _, o := range []store.Outcome{
		{Action: store.ActionCreated, Name: "Cliente Secreto Um", AuvoID: "111", ERPID: "222", Message: "Cliente criado no Omie."},
		{Action: store.ActionSkipped, Reason: "no_document", Name: "Cliente Secreto Dois", AuvoID: "333", Message: "Cliente sem CPF/CNPJ — não integrado"},
	} {
		o.TenantID, o.IntegrationID, o.RunID, o.Flow = a.user.TenantID, in.ID, a.run, store.FlowCustomersToERP
		if _, err := e.st.InsertOutcome(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	l, err := e.st.SaveLink(ctx, store.Link{TenantID: a.user.TenantID, IntegrationID: in.ID, Entity: store.EntityCustomer,
		AuvoID: "444", ERPID: "555", Name: "Cliente Travado Secreto", State: store.LinkLocked, LockReason: "auvo_deleted"})
	if err != nil {
		t.Fatal(err)
	}
	a.lock = l.ID
	if a.in, err = e.st.IntegrationByID(ctx, a.user.TenantID, in.ID); err != nil {
		t.Fatal(err)
	}
	return a
}

// fill puts tenant A's ids into a route pattern.
func fill(pattern string, a tenantA) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	id := strconv.FormatInt(int64(a.in.ID), 10)
	r := strings.NewReplacer("{$}", "", "{id}", id, "{flow}", string(store.FlowCustomersToERP), "{erp}", "omie", "{token}", "x")
	path = r.Replace(path)
	switch {
	case strings.HasPrefix(path, "/operator/locks/"):
		path = strings.Replace(path, "/"+id+"/", "/"+strconv.FormatInt(int64(a.lock), 10)+"/", 1)
	case strings.HasPrefix(path, "/operator/users/"):
		path = strings.Replace(path, "/"+id+"/", "/"+strconv.FormatInt(int64(a.user.ID), 10)+"/", 1)
	case strings.HasPrefix(path, "/oauth/"):
		path += "?code=abc&state=" + id + ".nonce"
	}
	return method, path
}

// P5: tenant B reaches nothing of tenant A through any route of the table, and a tenant gets 404
// on every operator route. A's data is unchanged afterwards.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	a := seedTenantA(t, e)
	b := e.signUp("Empresa B", "bia@empresa-b.com.br")
	hc := &http.Client{Jar: b.hc.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	anonHC := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"enabled": {"off"}, "reason": {"x"}, "action": {"save"}, "task_status": {"X"}, "quote_status": {"X"},
		"auvo_api_key": {"chave-de-b"}, "auvo_api_token": {"token-de-b"}, "erp": {"omie"}}
	checked := 0
	for _, rt := range e.s.routeTable() {
		if rt.access == public {
			continue
		}
		method, path := fill(rt.pattern, a)
		for _, who := range []struct {
			name string
			hc   *http.Client
		}{{"tenant B", hc}, {"anonymous", anonHC}} {
			var body *strings.Reader
			if method == http.MethodPost {
				body = strings.NewReader(form.Encode())
			} else {
				body = strings.NewReader("")
			}
			req, _ := http.NewRequest(method, e.srv.URL+path, body)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := who.hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			buf := new(strings.Builder)
			_, _ = readAll(buf, res)
			res.Body.Close()
			got := res.StatusCode
			switch {
			case who.name == "anonymous":
				if got != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
					t.Errorf("%s %s as anonymous: %d %s, want redirect to /login", method, path, got, res.Header.Get("Location"))
				}
			case rt.access == anyUser:
				// The password page is B's own.
			case rt.pattern == "POST /integrations":
				// Creates B's own integration: checked below that A's is untouched.
			case got != http.StatusNotFound && got != http.StatusForbidden && got != http.StatusBadRequest:
				t.Errorf("%s %s as tenant B: %d, want 404/403/400", method, path, got)
			}
			for _, leak := range []string{"Empresa A Secreta", "Cliente Secreto", "Cliente Travado Secreto", "ana@empresa-a", secretOmieSec} {
				if strings.Contains(buf.String(), leak) {
					t.Errorf("%s %s as %s shows %q", method, path, who.name, leak)
				}
			}
			checked++
		}
	}
	if checked < 40 {
		t.Fatalf("only %d requests checked", checked)
	}
	ctx := context.Background()
	after, err := e.st.IntegrationByID(ctx, a.user.TenantID, a.in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.State != a.in.State || after.Config != a.in.Config || after.Credentials != a.in.Credentials {
		t.Fatalf("tenant A changed: %+v", after)
	}
	flows, _ := e.st.Flows(ctx, a.user.TenantID, a.in.ID)
	for _, f := range flows {
		if !f.Enabled {
			t.Fatalf("tenant B turned off A's flow %s", f.Flow)
		}
	}
	locks, _ := e.st.AllLocks(ctx)
	if len(locks) != 1 {
		t.Fatal("tenant B released A's lock")
	}
	if ms := e.mails(); strings.Contains(ms[len(ms)-1].to, "ana@empresa-a") && len(ms) > 2 {
		t.Fatal("tenant B had a password e-mailed to A")
	}
	log, _ := e.st.AuditLog(ctx, a.user.TenantID, 100)
	for _, entry := range log {
		if strings.Contains(entry.Actor, "bia@") {
			t.Fatalf("B's action on A: %+v", entry)
		}
	}
}

// An operator is not a tenant: tenant pages refuse it; the operator pages work for it.
func TestOperatorRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	a := seedTenantA(t, e)
	op := e.operator("suporte@ponte.local")
	id := strconv.FormatInt(int64(a.in.ID), 10)
	if r := op.get("/integrations/" + id); r.status != http.StatusForbidden {
		t.Fatalf("operator on a tenant page: %d", r.status)
	}
	for _, p := range []string{"/operator", "/operator/integrations", "/operator/locks", "/operator/audit", "/operator/integrations/" + id + "/records"} {
		r := op.get(p)
		if r.status != 200 {
			t.Fatalf("%s: %d", p, r.status)
		}
		if p == "/operator/locks" && !strings.Contains(r.body, "Cliente Travado Secreto") {
			t.Fatal("locks page misses A's lock")
		}
		if strings.HasSuffix(p, "/records") && (!strings.Contains(r.body, "Cliente sem CPF/CNPJ — não integrado") || !strings.Contains(r.body, "Cliente Secreto Um")) {
			t.Fatal("operator records page misses A's outcomes")
		}
	}
	// A2: sending back needs a reason, which the tenant then reads.
	if r := op.post("/operator/integrations/"+id+"/return", url.Values{"reason": {""}}); !strings.Contains(r.body, "Escreva o motivo") {
		t.Fatal("return without a reason accepted")
	}
	if r := op.post("/operator/integrations/"+id+"/return", url.Values{"reason": {"Conta corrente errada"}}); !strings.Contains(r.body, "devolvida") {
		t.Fatalf("return: %d", r.status)
	}
	if r := a.client.get("/integrations/" + id); !strings.Contains(r.body, "Devolvida pelo suporte: Conta corrente errada") || !strings.Contains(r.body, "rascunho") {
		t.Fatal("A3: the tenant does not see the reason")
	}
	// C-A7: liberar trava.
	if r := op.post("/operator/locks/"+strconv.FormatInt(int64(a.lock), 10)+"/release", nil); !strings.Contains(r.body, "Trava liberada.") {
		t.Fatalf("release: %d", r.status)
	}
	if locks, _ := e.st.AllLocks(context.Background()); len(locks) != 0 {
		t.Fatal("lock not released")
	}
	r := op.get("/operator/audit")
	for _, want := range []string{"Devolvida ao cliente.", "Trava liberada.", "suporte@ponte.local"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("A4: audit page misses %s", want)
		}
	}
	// P3 from the operator pages: only for accounts still on a provisional password.
	if r := op.post("/operator/users/"+strconv.FormatInt(int64(a.user.ID), 10)+"/resend", nil); !strings.Contains(r.body, "já escolheu a própria senha") {
		t.Fatal("operator resend replaced a chosen password")
	}
}

// CSRF: a form posted from another site is refused (http.CrossOriginProtection); cookies are
// HttpOnly and SameSite=Lax; every answer has the security headers.
func TestSecurityHeadersAndCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	c := e.signUp("Empresa", "ana@exemplo.com.br")
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/integrations", strings.NewReader("erp=omie"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := c.do(req); r.status != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", r.status)
	}
	req, _ = http.NewRequest(http.MethodPost, e.srv.URL+"/logout", nil)
	req.Header.Set("Origin", "https://evil.example")
	if r := c.do(req); r.status != http.StatusForbidden {
		t.Fatalf("cross-origin post: %d", r.status)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Post(e.srv.URL+"/login", "application/x-www-form-urlencoded", strings.NewReader("email=ana%40exemplo.com.br&password=senha-nova-123"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v", session)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
		if res.Header.Get(h) != want {
			t.Errorf("%s = %q", h, res.Header.Get(h))
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	// The session id is stored hashed: the cookie value is nowhere in the database.
	ctx := context.Background()
	var n int
	if err := e.st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE id_hash = ?`, session.Value).Scan(&n); err != nil || n != 0 {
		t.Fatalf("session id stored in clear: %d %v", n, err)
	}
	// Static files are served under content-hashed URLs with long caching.
	u := e.s.assets.url("htmx.min.js")
	if !strings.HasPrefix(u, "/static/") || len(strings.Split(u, "/")) != 4 {
		t.Fatalf("asset URL %q", u)
	}
	r, err := http.Get(e.srv.URL + u)
	if err != nil || r.StatusCode != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("asset: %v %v", r, err)
	}
	r.Body.Close()
	if r, _ := http.Get(e.srv.URL + "/static/000000000000/htmx.min.js"); r.StatusCode != 404 {
		t.Fatalf("stale hash served: %d", r.StatusCode)
	}
}

// S11: no credential is in the database in clear: the SQLite files (with the WAL) and a
// PostgreSQL dump are searched for the keys used.
func TestNoCredentialInClear(t *testing.T) {
	t.Parallel()
	secrets := []string{secretAuvoKey, secretAuvoToken, secretOmieKey, secretOmieSec}
	t.Run("sqlite", func(t *testing.T) {
		e := newEnv(t, store.SQLite)
		a := seedTenantA(t, e)
		tok := oauth.Token{AccessToken: "access-tok-4242", RefreshToken: "refresh-tok-4242", Expiry: time.Now().Add(time.Hour)}
		if err := e.st.OAuthTokens(a.user.TenantID).SaveToken(context.Background(), store.OAuthConnKey(a.in.ID), tok); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(e.dbPath + "*")
		if len(files) == 0 {
			t.Fatal("no database file")
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range append(secrets, "access-tok-4242", "refresh-tok-4242") {
				if strings.Contains(string(b), s) {
					t.Errorf("%s holds %q in clear", filepath.Base(f), s)
				}
			}
		}
	})
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv(storetest.PostgresEnv) == "" {
			t.Skip(storetest.PostgresEnv + " not set")
		}
		dump, err := exec.LookPath("pg_dump")
		if err != nil {
			t.Skip("pg_dump not installed")
		}
		e := newEnv(t, store.Postgres)
		seedTenantA(t, e)
		u, err := url.Parse(e.dbURL)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		schema := q.Get("search_path")
		q.Del("search_path")
		u.RawQuery = q.Encode()
		out, err := exec.Command(dump, "--data-only", "--schema="+schema, u.String()).CombinedOutput()
		if err != nil {
			t.Fatalf("pg_dump: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "Empresa A Secreta") {
			t.Fatal("the dump does not hold the data: the search proves nothing")
		}
		for _, s := range secrets {
			if strings.Contains(string(out), s) {
				t.Errorf("the dump holds %q in clear", s)
			}
		}
	})
}

func readAll(b *strings.Builder, res *http.Response) (int64, error) {
	buf := make([]byte, 32<<10)
	var n int64
	for {
		k, err := res.Body.Read(buf)
		b.Write(buf[:k])
		n += int64(k)
		if err != nil {
			return n, nil
		}
	}
}
