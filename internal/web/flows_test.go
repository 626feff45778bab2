package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/connector"
	"github.com/pontehub/ponte/internal/store"
)

// F1: each flow is switched on and off from the engrenagem page, with htmx (the row is swapped)
// and without (the page reloads); every toggle is audited (A4).
func TestFlowToggle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	a := seedTenantA(t, e)
	c := a.client
	base := "/integrations/" + strconv.FormatInt(int64(a.in.ID), 10)
	r := c.get(base + "/flows")
	for _, f := range store.FlowsFor(store.Omie) {
		if !strings.Contains(r.body, f.Label()) {
			t.Errorf("F1: %s missing", f.Label())
		}
	}
	if !strings.Contains(r.body, `id="toggle-clientes_auvo_erp" data-enabled="true"`) {
		t.Fatalf("flows page:\n%s", r.body)
	}
	// htmx: only the row comes back.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+base+"/flows/"+string(store.FlowCustomersToERP), strings.NewReader("enabled=off"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	r = c.do(req)
	if r.status != 200 || !strings.HasPrefix(r.body, `<tr id="flow-clientes_auvo_erp">`) || !strings.Contains(r.body, `data-enabled="false"`) || !strings.Contains(r.body, ">Ligar</button>") {
		t.Fatalf("htmx toggle: %d\n%s", r.status, r.body)
	}
	ctx := context.Background()
	flows, _ := e.st.Flows(ctx, a.user.TenantID, a.in.ID)
	if flows[0].Flow != store.FlowCustomersToERP || flows[0].Enabled {
		t.Fatalf("flow still on: %+v", flows[0])
	}
	// Plain form: back on.
	r = c.post(base+"/flows/"+string(store.FlowCustomersToERP), url.Values{"enabled": {"on"}})
	if !strings.Contains(r.body, "Fluxo Clientes Auvo → ERP ligado.") {
		t.Fatalf("form toggle: %d", r.status)
	}
	if r := c.post(base+"/flows/nao_existe", url.Values{"enabled": {"on"}}); r.status != 404 {
		t.Fatalf("unknown flow: %d", r.status)
	}
	log, _ := e.st.AuditLog(ctx, a.user.TenantID, 10)
	n := 0
	for _, l := range log {
		if strings.HasPrefix(l.Action, "flow.") {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("A4: %d flow entries", n)
	}
	if r := c.get(base + "/audit"); !strings.Contains(r.body, "Fluxo desligado.") {
		t.Fatal("A4: the tenant does not see its audit log")
	}
}

// V1, V2: runs with counts, and outcomes with reasons filtered by flow, action, reason, run and
// text, paginated.
func TestRunLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	a := seedTenantA(t, e)
	c := a.client
	ctx := context.Background()
	tenant, id := a.user.TenantID, a.in.ID
	for i := range 60 {
		o := store.Outcome{TenantID: tenant, IntegrationID: id, RunID: a.run, Flow: store.FlowCustomersToAuvo,
			Action: store.ActionSkipped, Reason: "address_pattern", Message: "Endereço fora do padrão aceito: rua sem número",
			Name: "Cliente Paginado " + strconv.Itoa(i), ERPID: strconv.Itoa(9000 + i)}
		if _, err := e.st.InsertOutcome(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	base := "/integrations/" + strconv.FormatInt(int64(id), 10)
	r := c.get(base + "/runs")
	if !strings.Contains(r.body, "Clientes Auvo → ERP") || !strings.Contains(r.body, "2 lidos · 1 criado · 1 não integrado") {
		t.Fatalf("V1 runs:\n%s", r.body)
	}
	if r := c.get(base + "/runs?flow=" + string(store.FlowStock)); !strings.Contains(r.body, `id="no-runs"`) {
		t.Fatal("flow filter on runs")
	}
	r = c.get(base + "/records?reason=no_document")
	if !strings.Contains(r.body, `<option value="no_document" selected>Cliente sem CPF/CNPJ — não integrado (1)</option>`) ||
		!strings.Contains(r.body, "Informe o CPF ou CNPJ no cadastro") {
		t.Errorf("V2: reasons not worded for people:\n%s", r.body)
	}
	r = c.get(base + "/records")
	if !strings.Contains(r.body, "62 registro(s).") || !strings.Contains(r.body, `id="next-page"`) {
		t.Fatalf("V2 all:\n%s", r.body)
	}
	for _, tc := range []struct {
		query, want string
		total       int
	}{
		{"action=skipped&reason=no_document", "Cliente sem CPF/CNPJ — não integrado", 1},
		{"flow=" + string(store.FlowCustomersToERP), "Cliente Secreto Um", 2},
		{"q=secreto+um", "Cliente Secreto Um", 1},
		{"q=9059", "Cliente Paginado 59", 1},
		{"run=" + strconv.FormatInt(int64(a.run), 10) + "&action=created", "Cliente criado no Omie.", 1},
		{"action=skipped", "Cliente Paginado", 61},
	} {
		r := c.get(base + "/records?" + tc.query)
		if !strings.Contains(r.body, tc.want) || !strings.Contains(r.body, strconv.Itoa(tc.total)+" registro(s).") {
			t.Errorf("V2 %s: want %q and %d records\n", tc.query, tc.want, tc.total)
		}
	}
	// Page 2 of 61 skipped shows the 11 oldest.
	next := nextPage(t, c.get(base+"/records?action=skipped"))
	if r := c.get(next); strings.Count(r.body, `class="outcome `) != 11 || strings.Contains(r.body, `id="next-page"`) {
		t.Errorf("page 2 has %d rows", strings.Count(r.body, `class="outcome `))
	}
}

// S10: Conectar runs the authorization-code flow of Conta Azul and of Bling against their
// sandboxes; tokens are stored sealed, and an answer that does not match this browser's request
// is refused.
func TestConnect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	caAcc := e.ca.NewAccount()
	blAcc := e.bling.NewAccount("Loja Bling")
	for _, tc := range []struct {
		erp      store.ERP
		clientID string
		code     func() (string, error)
	}{
		{store.ContaAzul, e.caApp.ClientID, func() (string, error) { return e.ca.IssueCode(e.caApp.ClientID, caAcc.ID) }},
		{store.Bling, e.blApp.ClientID, func() (string, error) { return e.bling.IssueCode(e.blApp.ClientID, blAcc) }},
	} {
		t.Run(string(tc.erp), func(t *testing.T) {
			c := e.signUp("Empresa "+string(tc.erp), "ana@"+string(tc.erp)+".com.br")
			r := c.post("/integrations", url.Values{"erp": {string(tc.erp)}})
			path := r.url
			if !strings.Contains(r.body, "ainda não conectada") {
				t.Fatalf("setup page:\n%s", r.body)
			}
			// The consent page is the partner's; the test plays the user who approves it: the
			// portal sends the browser to the authorize URL, the sandbox issues the code its
			// consent form would.
			noFollow := &http.Client{Jar: c.hc.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := noFollow.Get(e.srv.URL + path + "/connect")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			authURL, err := url.Parse(res.Header.Get("Location"))
			if err != nil || res.StatusCode != http.StatusSeeOther || authURL.Query().Get("client_id") != tc.clientID {
				t.Fatalf("connect: %d %s", res.StatusCode, res.Header.Get("Location"))
			}
			state := authURL.Query().Get("state")
			callback := connector.OAuthCallbackPath(tc.erp)
			code, err := tc.code()
			if err != nil {
				t.Fatal(err)
			}
			// Another browser (without this one's cookie) cannot use the state.
			if r := e.signUp("Outra "+string(tc.erp), "bia@"+string(tc.erp)+".com.br").get(callback + "?code=" + code + "&state=" + url.QueryEscape(state)); r.status != 400 {
				t.Fatalf("callback in another browser: %d", r.status)
			}
			code, _ = tc.code()
			r = c.get(callback + "?code=" + code + "&state=" + url.QueryEscape(state))
			if !strings.Contains(r.body, "Conta "+tc.erp.Label()+" conectada.") || strings.Contains(r.body, "ainda não conectada") {
				t.Fatalf("callback: %d\n%s", r.status, r.body)
			}
			u := mustUser(e, "ana@"+string(tc.erp)+".com.br")
			ins, _ := e.st.Integrations(context.Background(), u.TenantID)
			needs, connected, err := e.st.OAuthTokens(u.TenantID).NeedsReconnect(context.Background(), store.OAuthConnKey(ins[0].ID))
			if err != nil || !connected || needs {
				t.Fatalf("stored token: connected %v needs %v %v", connected, needs, err)
			}
		})
	}
}

// A3: the user pauses an active integration (nothing runs, no next run) and resumes it.
func TestPauseResume(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	a := seedTenantA(t, e)
	ctx := context.Background()
	if err := e.st.SetIntegrationState(ctx, a.user.TenantID, a.in.ID, store.StateActive, ""); err != nil {
		t.Fatal(err)
	}
	base := "/integrations/" + strconv.FormatInt(int64(a.in.ID), 10)
	if r := a.client.post(base+"/resume", nil); !strings.Contains(r.body, "não está pausada") {
		t.Fatal("resumed an active integration")
	}
	if r := a.client.post(base+"/pause", nil); !strings.Contains(r.body, "Integração pausada") || !strings.Contains(r.body, "state-paused") {
		t.Fatalf("pause: %d", r.status)
	}
	in, _ := e.st.IntegrationByID(ctx, a.user.TenantID, a.in.ID)
	if in.State != store.StatePaused || !in.NextRunAt.IsZero() {
		t.Fatalf("paused: %s next %v", in.State, in.NextRunAt)
	}
	if due, _ := e.st.AllDueIntegrations(ctx, in.UpdatedAt.Add(1e12), 10); len(due) != 0 {
		t.Fatal("a paused integration is due")
	}
	if r := a.client.post(base+"/resume", nil); !strings.Contains(r.body, "Integração retomada.") {
		t.Fatalf("resume: %d", r.status)
	}
	if in, _ = e.st.IntegrationByID(ctx, a.user.TenantID, a.in.ID); in.State != store.StateActive {
		t.Fatalf("resumed: %s", in.State)
	}
}

// Issue 22 item 5: a partner's daily quota pausing the integration shows on the flows page, with
// when it ends and the partner's words; without a pause there is no banner.
func TestFlowsPageShowsPartnerPause(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	a := seedTenantA(t, e)
	base := "/integrations/" + strconv.FormatInt(int64(a.in.ID), 10)
	if r := a.client.get(base + "/flows"); strings.Contains(r.body, `id="partner-pause"`) {
		t.Fatal("pause banner without a pause")
	}
	until := time.Now().Add(5 * time.Hour)
	if err := e.st.PausePartner(context.Background(), a.user.TenantID, a.in.ID, "bling", until, "bling: Limite diário de requisições atingido"); err != nil {
		t.Fatal(err)
	}
	r := a.client.get(base + "/flows")
	if !strings.Contains(r.body, `id="partner-pause"`) || !strings.Contains(r.body, "Limite diário de requisições atingido") ||
		!strings.Contains(r.body, "Sincronização pausada até") {
		t.Fatalf("flows page without the pause:\n%s", r.body)
	}
}
