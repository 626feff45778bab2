package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/store"
)

// P1, P2: sign-up e-mails a generated password, never shown in the page or stored in clear; the
// first login must change it.
func TestSignUpAndFirstLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	c := e.client()
	r := c.post("/signup", url.Values{"name": {"Refrigeração <b>Ação</b> Ltda"}, "email": {"Ana@Exemplo.com.br"}})
	if r.status != 200 || r.url != "/login" || !strings.Contains(r.body, "Enviamos a senha de acesso para ana@exemplo.com.br") {
		t.Fatalf("sign-up answer %d %s:\n%s", r.status, r.url, r.body)
	}
	pw := e.lastPassword("ana@exemplo.com.br")
	if strings.Contains(r.body, pw) {
		t.Fatal("P1: the password is in the page")
	}
	u := mustUser(e, "ana@exemplo.com.br")
	if strings.Contains(u.PasswordHash, pw) || !strings.HasPrefix(u.PasswordHash, "$argon2id$") || !u.MustChange {
		t.Fatalf("P1: stored %+v", u)
	}
	ten, _ := e.st.TenantByID(context.Background(), u.TenantID)
	if ten.Name != "Refrigeração <b>Ação</b> Ltda" {
		t.Fatalf("company name stored as %q", ten.Name)
	}
	// P2: every page but the password form sends the user back to it.
	if r := c.post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {pw}}); r.url != "/password" {
		t.Fatalf("first login → %s", r.url)
	}
	if r := c.get("/integrations/1/flows"); r.url != "/password" {
		t.Fatalf("P2: a page before changing the password → %s", r.url)
	}
	if r := c.post("/password", url.Values{"password": {pw}, "confirm": {pw}}); r.status != 422 || !strings.Contains(r.body, "diferente da que recebeu") {
		t.Fatalf("P2: kept the e-mailed password: %d", r.status)
	}
	if r := c.post("/password", url.Values{"password": {"curta"}, "confirm": {"curta"}}); r.status != 422 || !strings.Contains(r.body, "pelo menos 10") {
		t.Fatalf("short password: %d", r.status)
	}
	r = c.post("/password", url.Values{"password": {"senha-nova-123"}, "confirm": {"senha-nova-123"}})
	if r.url != "/" || !strings.Contains(r.body, "Senha alterada") {
		t.Fatalf("change → %s %d", r.url, r.status)
	}
	// The company name is escaped wherever it appears; here, on the home page it is not shown,
	// so check the operator view below. The old password no longer works.
	c2 := e.client()
	if r := c2.post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {pw}}); r.status != 401 {
		t.Fatalf("old password accepted: %d", r.status)
	}
	if r := c2.post("/login", url.Values{"email": {"ANA@exemplo.com.br"}, "password": {"senha-nova-123"}}); r.url != "/" || r.status != 200 {
		t.Fatalf("new password: %d %s", r.status, r.url)
	}
	op := e.operator("suporte@ponte.local")
	if r := op.get("/operator/integrations"); strings.Contains(r.body, "<b>Ação</b>") {
		t.Fatal("company name rendered as HTML")
	}
}

// Hostile or broken sign-up input is refused with a message on its field and nothing is stored.
func TestSignUpRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	c := e.client()
	for name, tc := range map[string]struct {
		form url.Values
		want string
	}{
		"empty":          {url.Values{}, "Informe o nome da sua empresa."},
		"long name":      {url.Values{"name": {strings.Repeat("a", 121)}, "email": {"a@b.com.br"}}, "Use no máximo 120 caracteres."},
		"not UTF-8":      {url.Values{"name": {"Empresa \xff"}, "email": {"a@b.com.br"}}, "caracteres inválidos"},
		"control chars":  {url.Values{"name": {"Empresa\x00"}, "email": {"a@b.com.br"}}, "caracteres de controle"},
		"bad e-mail":     {url.Values{"name": {"Empresa"}, "email": {"não é e-mail"}}, "Informe um e-mail válido"},
		"display name":   {url.Values{"name": {"Empresa"}, "email": {"Ana <a@b.com.br>"}}, "Informe um e-mail válido"},
		"header in mail": {url.Values{"name": {"Empresa"}, "email": {"a@b.com.br\r\nBcc: x@y.com"}}, "caracteres de controle"},
	} {
		r := c.post("/signup", tc.form)
		if r.status != 422 || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s: %d, want 422 with %q\n%s", name, r.status, tc.want, r.body)
		}
	}
	// S12: what was typed is kept (escaped).
	r := c.post("/signup", url.Values{"name": {`<script>alert(1)</script>`}, "email": {"x"}})
	if !strings.Contains(r.body, `value="&lt;script&gt;alert(1)&lt;/script&gt;"`) {
		t.Errorf("input not kept escaped:\n%s", r.body)
	}
	if len(e.mails()) != 0 {
		t.Fatal("a refused sign-up sent mail")
	}
	c.post("/signup", url.Values{"name": {"Empresa"}, "email": {"dup@b.com.br"}})
	if r := c.post("/signup", url.Values{"name": {"Outra"}, "email": {"DUP@b.com.br"}}); r.status != 422 || !strings.Contains(r.body, "Já existe uma conta") {
		t.Fatalf("duplicate: %d", r.status)
	}
}

// P4: wrong passwords are counted per e-mail; after five the account refuses logins for a while,
// even with the right password.
func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	e.signUp("Empresa", "ana@exemplo.com.br")
	c := e.client()
	for i := range 5 {
		if r := c.post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {"errada"}}); r.status != 401 {
			t.Fatalf("attempt %d: %d", i, r.status)
		}
	}
	r := c.post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {"senha-nova-123"}})
	if r.status != 429 || !strings.Contains(r.body, "Muitas tentativas") {
		t.Fatalf("sixth attempt: %d", r.status)
	}
	// Unknown e-mails answer like wrong passwords.
	if r := c.post("/login", url.Values{"email": {"ninguem@exemplo.com.br"}, "password": {"x"}}); r.status != 401 || !strings.Contains(r.body, "E-mail ou senha incorretos.") {
		t.Fatalf("unknown e-mail: %d", r.status)
	}
}

// P3: "Não recebi a senha" sends a new provisional password, only to accounts that still have
// one, with the same answer for unknown e-mails, and at most three times an hour.
func TestResendPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	c := e.client()
	c.post("/signup", url.Values{"name": {"Empresa"}, "email": {"ana@exemplo.com.br"}})
	first := e.lastPassword("ana@exemplo.com.br")
	r := c.post("/password/resend", url.Values{"email": {"ana@exemplo.com.br"}})
	if r.status != 200 || !strings.Contains(r.body, "enviamos uma senha nova") {
		t.Fatalf("resend: %d", r.status)
	}
	second := e.lastPassword("ana@exemplo.com.br")
	if second == first {
		t.Fatal("the same password was sent again")
	}
	if r := c.post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {first}}); r.status != 401 {
		t.Fatal("the replaced password still works")
	}
	unknown := c.post("/password/resend", url.Values{"email": {"ninguem@exemplo.com.br"}})
	if unknown.status != 200 || !strings.Contains(unknown.body, "enviamos uma senha nova") {
		t.Fatal("unknown e-mail answered differently")
	}
	n := len(e.mails())
	c.post("/password/resend", url.Values{"email": {"ana@exemplo.com.br"}})
	if r := c.post("/password/resend", url.Values{"email": {"ana@exemplo.com.br"}}); r.status != 422 || !strings.Contains(r.body, "várias vezes") {
		t.Fatalf("fourth resend in an hour: %d", r.status)
	}
	if got := len(e.mails()); got != n+1 {
		t.Fatalf("mails after the limit: %d, want %d", got, n+1)
	}
	// An account that chose its password is not reset by a resend.
	e.signUp("Outra", "bia@exemplo.com.br")
	before := mustUser(e, "bia@exemplo.com.br").PasswordHash
	c.post("/password/resend", url.Values{"email": {"bia@exemplo.com.br"}})
	if mustUser(e, "bia@exemplo.com.br").PasswordHash != before {
		t.Fatal("P3: resend replaced a chosen password")
	}
}

// P4: the e-mailed reset link works once and signs the user in with the new password.
func TestPasswordResetLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	e.signUp("Empresa", "ana@exemplo.com.br")
	c := e.client()
	if r := c.post("/password/forgot", url.Values{"email": {"ana@exemplo.com.br"}}); r.status != 200 || !strings.Contains(r.body, "enviamos um link") {
		t.Fatalf("forgot: %d", r.status)
	}
	ms := e.mails()
	body := ms[len(ms)-1].body
	i := strings.Index(body, e.srv.URL+"/password/reset/")
	if i < 0 {
		t.Fatalf("no link in %q", body)
	}
	link := strings.Fields(body[i:])[0]
	path := strings.TrimPrefix(link, e.srv.URL)
	if r := c.get(path); r.status != 200 || !strings.Contains(r.body, "Criar senha nova") {
		t.Fatalf("reset page: %d", r.status)
	}
	if r := c.post(path, url.Values{"password": {"outra-senha-456"}, "confirm": {"outra-senha-456"}}); r.url != "/" || r.status != 200 {
		t.Fatalf("reset: %d %s", r.status, r.url)
	}
	if r := c.get(path); r.status != 404 || !strings.Contains(r.body, "expirou ou já foi usado") {
		t.Fatalf("second use: %d", r.status)
	}
	if r := e.client().post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {"outra-senha-456"}}); r.url != "/" {
		t.Fatalf("login with the new password → %s", r.url)
	}
	// Logout ends the session: the same cookie no longer opens pages.
	c.post("/logout", nil)
	if r := c.get("/integrations/1"); r.url != "/login" {
		t.Fatalf("after logout → %s", r.url)
	}
}
