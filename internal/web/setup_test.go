package web

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/store"
)

func TestCheckTaskStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"0", "0", true}, {"3", "3", true}, {"6", "6", true}, {" 4 ", "4", true}, {"x", "X", true}, {"X", "X", true},
		{"", "", false}, {"7", "7", false}, {"1,2", "1,2", false}, {"1 2", "1 2", false}, {"12", "12", false},
		{"-1", "-1", false}, {"a", "a", false}, {"XX", "XX", false}, {"１", "１", false},
	} {
		got, msg := checkTaskStatus(tc.in)
		if (msg == "") != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("S2 %q → %q %q, want %q ok=%v", tc.in, got, msg, tc.want, tc.ok)
		}
		if !tc.ok && msg != msgTaskStatus {
			t.Errorf("S2 %q: message %q", tc.in, msg)
		}
	}
}

func TestCheckCode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"", true}, {"15", true}, {" 9001 ", true}, {"0", false}, {"1,2", false}, {"1 2", false}, {"abc", false},
		{"-3", false}, {"99999999999999999999", false},
	} {
		if _, msg := checkCode(tc.in, msgTaskType); (msg == "") != tc.ok {
			t.Errorf("S3/S4 %q → %q, want ok=%v", tc.in, msg, tc.ok)
		}
	}
}

func TestCheckQuoteStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want, msg string }{
		{"Aprovado", "Aprovado", ""}, {"  Em   negociação ", "Em negociação", ""}, {"x", "X", ""},
		{"", "", msgQuoteStatus}, {"Todos", "Todos", msgQuoteTodos}, {"TODOS", "TODOS", msgQuoteTodos}, {"todas", "todas", msgQuoteTodos},
	} {
		got, msg := checkQuoteStatus(tc.in)
		if got != tc.want || msg != tc.msg {
			t.Errorf("S5 %q → %q %q, want %q %q", tc.in, got, msg, tc.want, tc.msg)
		}
	}
	stages := []string{"Aberto", "Aprovado", "Em negociação"}
	for _, tc := range []struct{ name, want string }{
		{"Aprovado", ""}, {"aprovado", "se escreve “Aprovado”"}, {"Em negociacao", "se escreve “Em negociação”"},
		{"Fechado", "Status encontrados: Aberto, Aprovado, Em negociação."},
	} {
		if got := checkStage(tc.name, stages); (tc.want == "" && got != "") || !strings.Contains(got, tc.want) {
			t.Errorf("S5 stage %q → %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := checkStage("Qualquer", nil); got != "" {
		t.Errorf("S5 with no stage seen: %q", got)
	}
}

func TestPasswords(t *testing.T) {
	t.Parallel()
	h := hashPassword("correta-123")
	if !checkPassword(h, "correta-123") || checkPassword(h, "errada-123") || checkPassword("$argon2id$v=19$m=1$x$y", "x") {
		t.Fatal("argon2id check")
	}
	if h == hashPassword("correta-123") {
		t.Fatal("no random salt")
	}
	seen := map[string]bool{}
	for range 100 {
		p := generatePassword()
		if len(p) != 18 || strings.ContainsAny(p, "0O1lI") || seen[p] {
			t.Fatalf("generated %q", p)
		}
		seen[p] = true
	}
	for _, tc := range []struct{ pw, confirm, want string }{
		{"curta", "curta", "pelo menos 10"}, {"ana@exemplo.com.br", "ana@exemplo.com.br", "seu e-mail"},
		{"senha-boa-123", "senha-boa-124", "confirmação"}, {strings.Repeat("a", 129), strings.Repeat("a", 129), "no máximo"},
		{"senha-boa-123", "senha-boa-123", ""},
	} {
		err := checkNewPassword(tc.pw, tc.confirm, "ana@exemplo.com.br")
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%q: %v, want %q", tc.pw, err, tc.want)
		}
	}
}

var optionRE = regexp.MustCompile(`<option value="([^"]+)"[^>]*>([^<]+)</option>`)

// option returns the value of the select option whose label contains text.
func optionValue(t *testing.T, body, selectID, text string) string {
	t.Helper()
	i := strings.Index(body, `<select id="`+selectID+`"`)
	if i < 0 {
		t.Fatalf("no select %s in page", selectID)
	}
	j := strings.Index(body[i:], "</select>")
	for _, m := range optionRE.FindAllStringSubmatch(body[i:i+j], -1) {
		if strings.Contains(m[2], text) {
			return m[1]
		}
	}
	t.Fatalf("select %s has no %q", selectID, text)
	return ""
}

// fieldError returns the inline message of a field, "" when there is none.
func fieldError(body, field string) string {
	m := regexp.MustCompile(`id="` + field + `-error">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// S1–S9, S11, S12 against the Auvo and Omie sandboxes: wrong keys and bad codes are refused on
// their field with input kept, the three selects are filled from Omie, secrets never come back.
func TestSetupOmie(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	c := e.signUp("Clima Sul", "ana@climasul.com.br")
	omieAcc := e.omie.NewAccount(omiesandbox.AccountOptions{Seed: true})
	ctx := context.Background()
	auvoCli := e.s.Connector.Auvo(store.Credentials{AuvoAPIKey: auvosandbox.DemoAPIKey, AuvoAPIToken: auvosandbox.DemoAPIToken})
	types, err := auvoCli.AllTaskTypes(ctx)
	if err != nil || len(types) == 0 {
		t.Fatalf("task types: %v %v", types, err)
	}
	stages, err := auvoCli.QuotationStages(ctx)
	if err != nil || len(stages) == 0 {
		t.Fatalf("stages: %v", err)
	}

	r := c.post("/integrations", url.Values{"erp": {"omie"}})
	if r.status != 200 || !strings.HasPrefix(r.url, "/integrations/") {
		t.Fatalf("create: %d %s", r.status, r.url)
	}
	path := r.url
	// Issue 17: choosing Omie again opens the same integration and says why there is one.
	if again := c.post("/integrations", url.Values{"erp": {"omie"}}); again.url != path ||
		!strings.Contains(again.body, "Você já tem a integração Auvo ⇄ Omie") {
		t.Fatalf("a second Omie: landed on %s, want %s with the explanation", again.url, path)
	}
	form := url.Values{
		"auvo_api_key": {"chave-errada"}, "auvo_api_token": {auvosandbox.DemoAPIToken},
		"task_status": {"1,2"}, "task_type": {"999999"}, "customer_group": {""}, "quote_status": {"Todos"},
		"omie_app_key": {omieAcc.AppKey}, "omie_app_secret": {omieAcc.AppSecret}, "action": {"save"},
	}
	r = c.post(path, form)
	if r.status != 422 {
		t.Fatalf("bad setup saved: %d", r.status)
	}
	if msg := fieldError(r.body, "auvo_api_key"); !strings.Contains(msg, "O Auvo recusou a chave") {
		t.Errorf("S1 wrong key: %q", msg)
	}
	if msg := fieldError(r.body, "task_status"); msg != msgTaskStatus {
		t.Errorf("S2 1,2: %q", msg)
	}
	if msg := fieldError(r.body, "quote_status"); msg != strings.ReplaceAll(msgQuoteTodos, "“", "“") {
		t.Errorf("S5 Todos: %q", msg)
	}
	if !strings.Contains(r.body, `value="1,2"`) || !strings.Contains(r.body, `value="Todos"`) {
		t.Error("S12: typed values not kept")
	}
	for _, secret := range []string{"chave-errada", auvosandbox.DemoAPIToken, omieAcc.AppKey, omieAcc.AppSecret} {
		if strings.Contains(r.body, secret) {
			t.Errorf("S11: secret %q is in the page", secret)
		}
	}
	// The Omie keys were right: the three selects are filled from Omie (S7–S9).
	account := optionValue(t, r.body, "bank_account", "Banco do Brasil")
	category := optionValue(t, r.body, "category", "Venda de Produtos")
	location := optionValue(t, r.body, "stock_location", "")
	if strings.Contains(r.body, "Conta antiga (encerrada)") || strings.Contains(r.body, "Despesas Operacionais") {
		t.Error("inactive accounts or expense categories offered")
	}

	// Second attempt: right Auvo key, unknown task type; the Omie secrets are not typed again,
	// they come back sealed from the page.
	sealed := regexp.MustCompile(`name="sealed_omie_app_secret" value="([^"]+)"`).FindStringSubmatch(r.body)
	if sealed == nil || strings.Contains(sealed[1], omieAcc.AppSecret) {
		t.Fatal("typed Omie secret not carried sealed")
	}
	sealedKey := regexp.MustCompile(`name="sealed_omie_app_key" value="([^"]+)"`).FindStringSubmatch(r.body)
	form = url.Values{
		"auvo_api_key": {auvosandbox.DemoAPIKey}, "auvo_api_token": {auvosandbox.DemoAPIToken},
		"sealed_omie_app_key": {sealedKey[1]}, "sealed_omie_app_secret": {sealed[1]},
		"task_status": {"3"}, "task_type": {"999999"}, "quote_status": {stages[0].Description},
		"bank_account": {account}, "category": {category}, "stock_location": {location}, "action": {"save"},
	}
	r = c.post(path, form)
	if msg := fieldError(r.body, "task_type"); !strings.Contains(msg, "não tem tipo de tarefa com o código 999999") {
		t.Fatalf("S3 unknown type: %d %q", r.status, msg)
	}
	if fieldError(r.body, "auvo_api_key") != "" || fieldError(r.body, "omie_app_key") != "" {
		t.Fatalf("keys refused: %q %q", fieldError(r.body, "auvo_api_key"), fieldError(r.body, "omie_app_key"))
	}
	form.Set("task_type", strconv.FormatInt(types[0].ID, 10))
	form.Set("quote_status", "Todos-os-status-inexistentes")
	r = c.post(path, form)
	if msg := fieldError(r.body, "quote_status"); !strings.Contains(msg, "Status encontrados") {
		t.Fatalf("S5 unknown stage: %q", msg)
	}
	form.Set("quote_status", stages[0].Description)
	r = c.post(path, form)
	if r.status != 200 || !strings.Contains(r.body, "Configuração salva.") {
		t.Fatalf("save: %d %s\n%s", r.status, r.url, r.body)
	}
	u := mustUser(e, "ana@climasul.com.br")
	ins, _ := e.st.Integrations(ctx, u.TenantID)
	in := ins[0]
	if in.Credentials.OmieAppSecret != omieAcc.AppSecret || in.Credentials.AuvoAPIKey != auvosandbox.DemoAPIKey ||
		in.Config.TaskStatus != "3" || in.Config.BankAccountName != "Banco do Brasil - Conta Movimento" || in.Config.Category != category {
		t.Fatalf("saved %+v", in.Config)
	}
	// S11: the saved form shows masks, not the keys; an empty secret field keeps the saved key.
	r = c.get(path)
	if !strings.Contains(r.body, "salva; deixe em branco para manter") || strings.Contains(r.body, omieAcc.AppSecret) {
		t.Fatal("S11: saved secrets not masked")
	}
	form = url.Values{"task_status": {"X"}, "quote_status": {"X"}, "bank_account": {account}, "category": {category},
		"stock_location": {location}, "action": {"save"}}
	if r = c.post(path, form); !strings.Contains(r.body, "Configuração salva.") {
		t.Fatalf("save with kept keys: %d\n%s", r.status, r.body)
	}
	in, _ = e.st.IntegrationByID(ctx, u.TenantID, in.ID)
	if in.Credentials.OmieAppSecret != omieAcc.AppSecret || in.Config.TaskStatus != "X" {
		t.Fatalf("kept keys: %+v", in.Config)
	}
	// "Testar conexão" confirms both sides without saving.
	r = c.post(path, url.Values{"action": {"test"}})
	if !strings.Contains(r.body, "Conexão com o Auvo confirmada.") || !strings.Contains(r.body, "Conexão com o Omie confirmada") {
		t.Fatalf("test connection:\n%s", r.body)
	}

	// A1, A2, A3: activate → pending → operator approves → active.
	if r = c.post(path+"/activate", nil); !strings.Contains(r.body, "aguardando ativação interna") {
		t.Fatalf("activate:\n%s", r.body)
	}
	op := e.operator("suporte@ponte.local")
	r = op.get("/operator")
	if !strings.Contains(r.body, "Clima Sul") || !strings.Contains(r.body, "approve-"+strconv.FormatInt(int64(in.ID), 10)) {
		t.Fatalf("pending list:\n%s", r.body)
	}
	if r = op.post("/operator/integrations/"+strconv.FormatInt(int64(in.ID), 10)+"/approve", nil); !strings.Contains(r.body, "ativada") {
		t.Fatalf("approve: %d", r.status)
	}
	if r = c.get("/"); !strings.Contains(r.body, "state-active") {
		t.Fatalf("tenant home after approval:\n%s", r.body)
	}
	// A4: every step is in the audit log.
	log, _ := e.st.AuditLog(ctx, u.TenantID, 100)
	var actions []string
	for _, a := range log {
		actions = append(actions, a.Action)
	}
	for _, want := range []string{"config.saved", "activation.requested", "activation.approved"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("A4: no %s in %v", want, actions)
		}
	}
	for _, a := range log {
		if strings.Contains(a.Detail, omieAcc.AppSecret) || strings.Contains(a.Detail, auvosandbox.DemoAPIToken) {
			t.Fatal("a secret is in the audit log")
		}
	}
}

// Hostile setup input is refused on its field, never stored: very long values, invalid UTF-8,
// control characters, markup (kept, escaped).
func TestSetupRefusesHostileInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	c := e.signUp("Empresa", "ana@exemplo.com.br")
	path := c.post("/integrations", url.Values{"erp": {"omie"}}).url
	r := c.post(path, url.Values{"action": {"save"}, "task_type": {strings.Repeat("9", 5000)}, "quote_status": {"Aprovado\xff"},
		"customer_group": {"1\x00"}, "task_status": {`<script>alert(1)</script>`}})
	if r.status != 422 {
		t.Fatalf("saved: %d", r.status)
	}
	for field, want := range map[string]string{"task_type": "Use no máximo 40 caracteres.", "quote_status": "caracteres inválidos",
		"customer_group": "caracteres de controle", "task_status": msgTaskStatus} {
		if got := fieldError(r.body, field); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	if strings.Contains(r.body, "<script>alert(1)</script>") || !strings.Contains(r.body, "&lt;script&gt;") {
		t.Error("markup not escaped")
	}
	u := mustUser(e, "ana@exemplo.com.br")
	ins, _ := e.st.Integrations(context.Background(), u.TenantID)
	if ins[0].Config != (store.Config{}) {
		t.Fatalf("stored %+v", ins[0].Config)
	}
}

// A3, V3: the integration shows its error state with the reason, and the last cycle's
// throttling or partner error, in Portuguese.
func TestErrorAndThrottleStatesShown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	a := seedTenantA(t, e)
	ctx := context.Background()
	if err := e.st.SetIntegrationState(ctx, a.user.TenantID, a.in.ID, store.StateError, "O Omie recusou a APP Key: cadastre-a de novo."); err != nil {
		t.Fatal(err)
	}
	cy, err := e.st.StartCycle(ctx, a.user.TenantID, a.in.ID, time.Now(), "node-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.FinishCycle(ctx, a.user.TenantID, cy, "throttled", "Omie: limite de requisições por minuto atingido"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/integrations/" + strconv.FormatInt(int64(a.in.ID), 10)} {
		r := a.client.get(p)
		for _, want := range []string{"com erro", "O Omie recusou a APP Key: cadastre-a de novo.", "aguardando o limite de chamadas do parceiro",
			"Omie: limite de requisições por minuto atingido"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("%s lacks %q", p, want)
			}
		}
	}
}
