package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/store"
)

// TestSetupForgedAndStaleChoices proves S7–S9 against choices that did not come from Omie's
// lists: a forged id (one Omie never offered) is refused on its field when saving, and a choice
// closed in Omie after it was saved (here the category) stops the activation with a message that
// names it, so no sale is ever booked on a category the company no longer uses; the setup page
// shows that saved choice flagged (issue 17).
func TestSetupForgedAndStaleChoices(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	c := e.signUp("Frio Norte", "bia@frionorte.com.br")
	acc := e.omie.NewAccount(omiesandbox.AccountOptions{Seed: true})
	ctx := context.Background()
	path := c.post("/integrations", url.Values{"erp": {"omie"}}).url
	form := omieSetupForm(t, e, c, path, acc)
	account, category, location := form.Get("bank_account"), form.Get("category"), form.Get("stock_location")
	form.Del("bank_account")
	var r resp

	for _, forged := range []struct{ field, value string }{
		{"bank_account", "987654321"}, {"category", "9.99.99"}, {"stock_location", "-1"},
	} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("bank_account", account)
		f.Set("category", category)
		f.Set("stock_location", location)
		f.Set(forged.field, forged.value)
		r = c.post(path, f)
		if msg := fieldError(r.body, forged.field); r.status != 422 || !strings.Contains(msg, "não existe mais no Omie") {
			t.Errorf("forged %s=%s: status %d, message %q", forged.field, forged.value, r.status, msg)
		}
	}
	u := mustUser(e, "bia@frionorte.com.br")
	ins, err := e.st.Integrations(ctx, u.TenantID)
	if err != nil || len(ins) != 1 || ins[0].Config.BankAccount != 0 {
		t.Fatalf("a forged choice was saved: %+v %v", ins, err)
	}

	form.Set("bank_account", account)
	form.Set("category", category)
	form.Set("stock_location", location)
	if r = c.post(path, form); !strings.Contains(r.body, "Configuração salva.") {
		t.Fatalf("save: %d\n%s", r.status, r.body)
	}
	// The category is closed in Omie after the save.
	var closed omie.Categoria
	for _, cat := range e.omie.Categorias(acc.AppKey) {
		if cat.Codigo == category {
			closed = cat
		}
	}
	closed.ContaInativa = "S"
	if _, err := e.omie.SeedCategoria(acc.AppKey, closed); err != nil {
		t.Fatal(err)
	}
	e.pass(2 * time.Minute) // the user comes back later: Omie's lists are read again
	// Issue 17: the setup page keeps the closed category selected and flags it, not blanked to
	// "Selecione…".
	r = c.get(path)
	if !strings.Contains(r.body, `<option value="`+category+`" selected>`+category+` · `+closed.Descricao+` (não está mais na lista)</option>`) ||
		!strings.Contains(r.body, `id="category-stale"`) {
		t.Errorf("the closed category is not shown as the saved choice, flagged:\n%s", r.body)
	}
	r = c.post(path+"/activate", nil)
	if !strings.Contains(r.body, "a categoria “") || !strings.Contains(r.body, "não existe mais ou foi inativada no Omie") {
		t.Errorf("stale category: activation did not name it:\n%s", r.body)
	}
	in, err := e.st.IntegrationByID(ctx, u.TenantID, ins[0].ID)
	if err != nil || in.State != store.StateDraft {
		t.Fatalf("stale choice: state %q (%v), want rascunho", in.State, err)
	}

	// Choosing an open category again lets the activation through (A1).
	closed.ContaInativa = "N"
	if _, err := e.omie.SeedCategoria(acc.AppKey, closed); err != nil {
		t.Fatal(err)
	}
	e.pass(2 * time.Minute)
	if r = c.post(path+"/activate", nil); !strings.Contains(r.body, "aguardando ativação interna") {
		t.Fatalf("activate after the fix:\n%s", r.body)
	}
}

// omieSetupForm is a complete Omie setup for the Auvo demo account and acc, with the first
// quotation stage and the bank account, category and stock location that Omie offers (read
// through "Testar conexão"), ready to post with action=save.
func omieSetupForm(t *testing.T, e *env, c *client, path string, acc omiesandbox.Account) url.Values {
	t.Helper()
	stages, err := e.s.Connector.Auvo(store.Credentials{AuvoAPIKey: auvosandbox.DemoAPIKey, AuvoAPIToken: auvosandbox.DemoAPIToken}).
		QuotationStages(context.Background())
	if err != nil || len(stages) == 0 {
		t.Fatalf("stages: %v", err)
	}
	form := url.Values{
		"auvo_api_key": {auvosandbox.DemoAPIKey}, "auvo_api_token": {auvosandbox.DemoAPIToken},
		"omie_app_key": {acc.AppKey}, "omie_app_secret": {acc.AppSecret},
		"task_status": {"3"}, "quote_status": {stages[0].Description}, "action": {"test"},
	}
	r := c.post(path, form)
	form.Set("bank_account", optionValue(t, r.body, "bank_account", "Banco do Brasil"))
	form.Set("category", optionValue(t, r.body, "category", "Venda de Produtos"))
	form.Set("stock_location", optionValue(t, r.body, "stock_location", ""))
	form.Set("action", "save")
	return form
}
