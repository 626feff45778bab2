package contaazulsandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
	"github.com/pontehub/ponte/internal/sandbox"
)

// fixture is a sandbox behind the hub, on a test clock, with one app and one account.
type fixture struct {
	sb   *contaazulsandbox.Sandbox
	clk  *sandbox.Clock
	base string
	srv  *httptest.Server
	app  contaazulsandbox.App
	acc  contaazulsandbox.Account
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := sandbox.NewClock(time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC))
	sb := contaazulsandbox.New(contaazulsandbox.Options{Now: clk.Now})
	srv := httptest.NewServer(sandbox.NewHub(sb))
	t.Cleanup(srv.Close)
	f := &fixture{sb: sb, clk: clk, base: srv.URL + "/contaazul", srv: srv}
	f.app = sb.NewApp("http://localhost/retorno")
	f.acc = sb.NewAccount()
	return f
}

// tokenCall posts form to the token endpoint with the app's Basic credentials.
func (f *fixture) tokenCall(t *testing.T, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.base+"/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(f.app.ClientID, f.app.ClientSecret)
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return res.StatusCode, m
}

func (f *fixture) exchange(t *testing.T, code string) (int, map[string]any) {
	t.Helper()
	return f.tokenCall(t, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {f.app.RedirectURI}})
}

func (f *fixture) code(t *testing.T) string {
	t.Helper()
	c, err := f.sb.IssueCode(f.app.ClientID, f.acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// api calls the resource API with token and returns the status.
func (f *fixture) api(t *testing.T, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, f.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

func (f *fixture) connect(t *testing.T) (access, refresh string) {
	t.Helper()
	st, tok := f.exchange(t, f.code(t))
	if st != http.StatusOK {
		t.Fatalf("exchange: %d %v", st, tok)
	}
	return tok["access_token"].(string), tok["refresh_token"].(string)
}

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	t.Run("code expires after 3 minutes", func(t *testing.T) {
		f := newFixture(t)
		c := f.code(t)
		f.clk.Advance(3*time.Minute + time.Second)
		if st, body := f.exchange(t, c); st != http.StatusBadRequest || body["error"] != "invalid_grant" {
			t.Fatalf("%d %v", st, body)
		}
	})
	t.Run("code reuse is invalid_grant and revokes what the code gave", func(t *testing.T) {
		f := newFixture(t)
		c := f.code(t)
		st, tok := f.exchange(t, c)
		if st != http.StatusOK || tok["expires_in"] != float64(3600) || tok["token_type"] != "Bearer" {
			t.Fatalf("%d %v", st, tok)
		}
		if st, body := f.exchange(t, c); st != http.StatusBadRequest || body["error"] != "invalid_grant" {
			t.Fatalf("second exchange: %d %v", st, body)
		}
		if st, _ := f.api(t, http.MethodGet, "/v1/pessoas", tok["access_token"].(string), ""); st != http.StatusUnauthorized {
			t.Fatalf("access token after code reuse: %d", st)
		}
	})
	t.Run("redirect_uri must be the one of the authorization", func(t *testing.T) {
		f := newFixture(t)
		st, body := f.tokenCall(t, url.Values{"grant_type": {"authorization_code"}, "code": {f.code(t)}, "redirect_uri": {"http://localhost/outra"}})
		if st != http.StatusBadRequest || body["error"] != "invalid_grant" {
			t.Fatalf("%d %v", st, body)
		}
	})
	t.Run("client credentials in the body are accepted, a wrong secret is not", func(t *testing.T) {
		f := newFixture(t)
		form := url.Values{"grant_type": {"authorization_code"}, "code": {f.code(t)}, "redirect_uri": {f.app.RedirectURI},
			"client_id": {f.app.ClientID}, "client_secret": {"errado"}}
		req, _ := http.NewRequest(http.MethodPost, f.base+"/oauth2/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if st, body := do(t, req); st != http.StatusUnauthorized || body["error"] != "invalid_client" {
			t.Fatalf("wrong secret: %d %v", st, body)
		}
		form.Set("client_secret", f.app.ClientSecret)
		req, _ = http.NewRequest(http.MethodPost, f.base+"/oauth2/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if st, body := do(t, req); st != http.StatusOK {
			t.Fatalf("body credentials: %d %v", st, body)
		}
	})
	t.Run("refresh rotates; a rotated token presented again revokes the family", func(t *testing.T) {
		f := newFixture(t)
		_, rt1 := f.connect(t)
		st, tok := f.tokenCall(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt1}})
		rt2, _ := tok["refresh_token"].(string)
		if st != http.StatusOK || rt2 == "" || rt2 == rt1 {
			t.Fatalf("refresh: %d %v", st, tok)
		}
		if st, body := f.tokenCall(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt1}}); st != http.StatusBadRequest || body["error"] != "invalid_grant" {
			t.Fatalf("reuse: %d %v", st, body)
		}
		if st, body := f.tokenCall(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt2}}); st != http.StatusBadRequest || body["error"] != "invalid_grant" {
			t.Fatalf("new token after reuse: %d %v", st, body)
		}
		if st, _ := f.api(t, http.MethodGet, "/v1/pessoas", tok["access_token"].(string), ""); st != http.StatusUnauthorized {
			t.Fatalf("access token after reuse: %d", st)
		}
	})
	t.Run("admin shortcut issues a working code", func(t *testing.T) {
		f := newFixture(t)
		body := `{"client_id":"` + f.app.ClientID + `","account_id":"` + f.acc.ID + `"}`
		res, err := http.Post(f.srv.URL+"/_sandbox/contaazul/authorize", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var out struct{ Code string }
		_ = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if st, tok := f.exchange(t, out.Code); st != http.StatusOK {
			t.Fatalf("%d %v", st, tok)
		}
	})
}

// TestLoginAlias: the newer portal URL /login shows the same page, whose form still posts to
// /oauth2/authorize.
func TestLoginAlias(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	q := url.Values{"response_type": {"code"}, "client_id": {f.app.ClientID}, "redirect_uri": {f.app.RedirectURI}, "state": {"s"}}
	res, err := http.Get(f.base + "/login?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), `action="oauth2/authorize"`) || !strings.Contains(string(b), f.acc.ID) {
		t.Fatalf("%d\n%s", res.StatusCode, b)
	}
}

func TestAccessTokenExpires(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	at, _ := f.connect(t)
	if st, _ := f.api(t, http.MethodGet, "/v1/pessoas", at, ""); st != http.StatusOK {
		t.Fatalf("fresh token: %d", st)
	}
	f.clk.Advance(time.Hour)
	if st, body := f.api(t, http.MethodGet, "/v1/pessoas", at, ""); st != http.StatusUnauthorized {
		t.Fatalf("after 1h: %d %v", st, body)
	}
}

// TestPessoasValidation checks the documented refusals of /v1/pessoas.
func TestPessoasValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	at, _ := f.connect(t)
	for _, tc := range []struct {
		name, method, path, body string
		want                     int
	}{
		{"tamanho_pagina outside the enum", http.MethodGet, "/v1/pessoas?tamanho_pagina=15", "", 400},
		{"tamanho_pagina in the enum", http.MethodGet, "/v1/pessoas?tamanho_pagina=1000", "", 200},
		{"data_criacao_inicio without fim", http.MethodGet, "/v1/pessoas?data_criacao_inicio=2026-01-01", "", 400},
		{"bad data_alteracao_de", http.MethodGet, "/v1/pessoas?data_alteracao_de=ontem", "", 400},
		{"DELETE does not exist", http.MethodDelete, "/v1/pessoas/4bbdae00-2242-4703-9310-9946d6c2d0a3", "", 405},
		{"unknown id", http.MethodGet, "/v1/pessoas/4bbdae00-2242-4703-9310-9946d6c2d0a3", "", 404},
		{"create without nome", http.MethodPost, "/v1/pessoas", `{"tipo_pessoa":"Física"}`, 400},
		{"perfis must be an array of objects", http.MethodPost, "/v1/pessoas", `{"nome":"A","tipo_pessoa":"Física","perfis":"Cliente"}`, 400},
		{"unknown tipo_perfil", http.MethodPost, "/v1/pessoas", `{"nome":"A","tipo_pessoa":"Física","perfis":[{"tipo_perfil":"Parceiro"}]}`, 400},
		{"estado must be a UF", http.MethodPost, "/v1/pessoas", `{"nome":"A","tipo_pessoa":"Física","enderecos":[{"estado":"sp"}]}`, 400},
		{"cpf with 10 digits", http.MethodPost, "/v1/pessoas", `{"nome":"A","tipo_pessoa":"Física","cpf":"1234567890"}`, 400},
		{"check digits are not validated", http.MethodPost, "/v1/pessoas", `{"nome":"A","tipo_pessoa":"Física","cpf":"12345678900"}`, 201},
		{"no token", http.MethodGet, "/v1/pessoas", "", 401},
		// Issue 22: a misspelt field is refused, at the top and in a nested block.
		{"misspelt field", http.MethodPost, "/v1/pessoas", `{"nome":"A","tipo_pessoa":"Física","observacoes":"x"}`, 400},
		{"misspelt address field", http.MethodPost, "/v1/pessoas", `{"nome":"A","tipo_pessoa":"Física","enderecos":[{"rua":"X"}]}`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.clk.Advance(time.Second) // stay under 10/s
			tok := at
			if tc.want == 401 {
				tok = ""
			}
			st, body := f.api(t, tc.method, tc.path, tok, tc.body)
			if st != tc.want {
				t.Fatalf("%d %v, want %d", st, body, tc.want)
			}
			if st >= 400 && st != 405 && (body["message"] == nil || body["code"] == nil) {
				t.Fatalf("error body %v lacks code/message", body)
			}
		})
	}
}

// TestPut: PUT replaces the record, so what the body leaves out is cleared; PATCH keeps it.
func TestPut(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	at, _ := f.connect(t)
	p, err := f.sb.SeedPessoa(f.acc.ID, contaazulsandbox.Pessoa{Nome: "Ana", TipoPessoa: "Física", Observacao: "nota", Email: "a@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if st, body := f.api(t, http.MethodPatch, "/v1/pessoas/"+p.ID, at, `{"nome":"Ana Maria"}`); st != 200 || body["observacao"] != "nota" {
		t.Fatalf("PATCH: %d %v", st, body)
	}
	if st, body := f.api(t, http.MethodPut, "/v1/pessoas/"+p.ID, at, `{"nome":"Ana Maria"}`); st != 400 {
		t.Fatalf("PUT without tipo_pessoa: %d %v", st, body)
	}
	st, body := f.api(t, http.MethodPut, "/v1/pessoas/"+p.ID, at, `{"nome":"Ana M.","tipo_pessoa":"Física","email":"b@example.com"}`)
	if st != 200 || body["observacao"] != "" || body["email"] != "b@example.com" || body["nome"] != "Ana M." {
		t.Fatalf("PUT: %d %v", st, body)
	}
	if st, _ := f.api(t, http.MethodPost, "/v1/pessoas/"+p.ID, at, `{}`); st != http.StatusMethodNotAllowed {
		t.Fatalf("POST on a person: %d", st)
	}
}

// TestDemoSeed: the demo company has customers, suppliers, carriers, people with several
// profiles, inactive and document-less people, all with valid documents where they have one.
func TestDemoSeed(t *testing.T) {
	t.Parallel()
	sb := contaazulsandbox.New(contaazulsandbox.Options{})
	ps := sb.Pessoas(contaazulsandbox.DemoAccountID)
	count := map[string]int{}
	for _, p := range ps {
		for _, pf := range p.Perfis {
			count[pf.TipoPerfil]++
		}
		if len(p.Perfis) > 1 {
			count["several"]++
		}
		if !p.Ativo {
			count["inactive"]++
		}
		switch {
		case p.Documento == "":
			count["no document"]++
		case p.TipoPessoa == "Física" && !br.ValidCPF(p.Documento), p.TipoPessoa == "Jurídica" && !br.ValidCNPJ(p.Documento):
			t.Errorf("%s: invalid document %s", p.Nome, p.Documento)
		}
	}
	for _, k := range []string{"Cliente", "Fornecedor", "Transportadora", "several", "inactive", "no document"} {
		if count[k] == 0 {
			t.Errorf("demo data has no %s person (%v)", k, count)
		}
	}
	// Reset keeps the printed demo credentials working.
	sb.Reset()
	if len(sb.Pessoas(contaazulsandbox.DemoAccountID)) != len(ps) {
		t.Fatal("reset lost the demo account")
	}
	if _, err := sb.IssueCode(contaazulsandbox.DemoClientID, contaazulsandbox.DemoAccountID); err != nil {
		t.Fatal(err)
	}
}
