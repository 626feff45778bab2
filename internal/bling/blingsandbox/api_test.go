package blingsandbox_test

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/bling/blingsandbox"
	"github.com/pontehub/ponte/internal/br"
)

// call sends one API request and returns status and body.
func (f *fixture) call(method, path, token string, body any) (int, []byte) {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.srv.URL+"/bling/Api/v3"+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func errorType(t *testing.T, body []byte) string {
	t.Helper()
	var e bling.ErrorResponse
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not Bling's error envelope: %s", body)
	}
	return e.Error.Type
}

// TestAPIAnswers checks the envelope and error rules of api/bling.md §3 and the filters of §2.
func TestAPIAnswers(t *testing.T) {
	t.Parallel()
	f := newFixture(t, blingsandbox.Options{RequestsPerSecond: -1})
	tok := f.exchange(f.code()).AccessToken

	if st, b := f.call("GET", "/contatos", "nope", nil); st != 401 || errorType(t, b) != bling.ErrTypeUnauthorized {
		t.Errorf("bad token: %d %s", st, b)
	}
	if st, b := f.call("GET", "/contatos/123", tok, nil); st != 404 || errorType(t, b) != bling.ErrTypeNotFound {
		t.Errorf("unknown contact: %d %s", st, b)
	}
	if st, b := f.call("GET", "/pedidos/vendas", tok, nil); st != 404 || errorType(t, b) != bling.ErrTypeNotFound {
		t.Errorf("unsimulated resource: %d %s", st, b)
	}

	if st, b := f.call("DELETE", "/contatos/123", tok, nil); st != 405 || errorType(t, b) != bling.ErrTypeMethodNotAllowed {
		t.Errorf("DELETE (Ponte never deletes, SPEC F4): %d %s", st, b)
	}

	doc := br.GenerateCPF(rand.New(rand.NewPCG(1, 2)))
	st, b := f.call("POST", "/contatos", tok, bling.Contact{Name: "Ana", PersonType: "F", Document: doc})
	var created struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &created); st != 201 || err != nil || created.Data.ID == 0 {
		t.Fatalf("create: %d %s", st, b)
	}
	if st, b := f.call("PUT", "/contatos/"+itoa(created.Data.ID), tok, bling.Contact{Name: "Ana Souza", PersonType: "F", Document: doc}); st != 204 || len(b) != 0 {
		t.Errorf("PUT: %d %q, want 204 with no body", st, b)
	}
	for name, body := range map[string]any{
		"empty body":     nil,
		"malformed body": json.RawMessage(`{"nome":`),
		"no type":        bling.Contact{Name: "Ana"},
		"bad CPF":        bling.Contact{Name: "Ana", PersonType: "F", Document: "123.456.789-00"},
		"unknown type":   bling.Contact{Name: "Ana", PersonType: "F", Types: []bling.ContactType{{ID: 1}}},
		// Issue 22: a misspelt field is refused, not dropped, so a wrong name in the client fails.
		"misspelt field":   json.RawMessage(`{"nome":"Ana","tipo":"F","numeroDocumeto":"` + doc + `"}`),
		"misspelt address": json.RawMessage(`{"nome":"Ana","tipo":"F","endereco":{"geral":{"logradouro":"Rua X"}}}`),
	} {
		if st, b := f.call("POST", "/contatos", tok, body); st != 400 || errorType(t, b) == "" {
			t.Errorf("%s: %d %s, want 400 with Bling's error", name, st, b)
		}
	}

	list := func(q url.Values) (int, []bling.Contact, []byte) {
		st, b := f.call("GET", "/contatos?"+q.Encode(), tok, nil)
		var env struct {
			Data []bling.Contact `json:"data"`
		}
		_ = json.Unmarshal(b, &env)
		return st, env.Data, b
	}
	// numeroDocumento is compared bare, as Bling expects it [C]: punctuation finds nothing.
	if _, cs, _ := list(url.Values{"numeroDocumento": {doc}}); len(cs) != 1 || cs[0].Document != doc {
		t.Errorf("bare document: %+v", cs)
	}
	formatted := doc[0:3] + "." + doc[3:6] + "." + doc[6:9] + "-" + doc[9:]
	if _, cs, b := list(url.Values{"numeroDocumento": {formatted}}); len(cs) != 0 || !bytes.Contains(b, []byte(`"data":[]`)) {
		t.Errorf("punctuated document: %s", b)
	}
	if st, _, b := list(url.Values{"dataAlteracaoInicial": {"2024-01-01 00:00:00"}, "dataAlteracaoFinal": {"2026-01-01 00:00:00"}}); st != 400 || errorType(t, b) != bling.ErrTypeValidation {
		t.Errorf("two-year window: %d %s", st, b)
	}
	if st, _, b := list(url.Values{"dataAlteracaoInicial": {"ontem"}}); st != 400 {
		t.Errorf("bad date: %d %s", st, b)
	}
	if _, cs, _ := list(url.Values{"dataAlteracaoInicial": {"2026-11-20"}}); len(cs) != 1 {
		t.Errorf("date-only filter: %+v", cs)
	}
	if _, cs, _ := list(url.Values{"dataAlteracaoInicial": {"2026-11-20 07:00:00"}}); len(cs) != 0 {
		// 09:00 UTC is 06:00 in Brasília: the contact changed before 07:00 local time.
		t.Errorf("filter times are Brasília time: %+v", cs)
	}
	if _, cs, _ := list(url.Values{"limite": {"1"}, "pagina": {"2"}}); len(cs) != 0 {
		t.Errorf("page past the end: %+v", cs)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestRateLimitPerAccount: Bling counts 3 calls per second per account, shared by every app
// installed on it, and a daily quota (api/bling.md §3); excess answers 429 TOO_MANY_REQUESTS.
func TestRateLimitPerAccount(t *testing.T) {
	t.Parallel()
	f := newFixture(t, blingsandbox.Options{})
	tokA := f.exchange(f.code()).AccessToken
	other := f.sb.NewApp("https://other.example/cb")
	code, _ := f.sb.IssueCode(other.ClientID, f.account)
	f.app = other
	tokB := f.exchange(code).AccessToken
	for i := range 3 {
		if st, b := f.call("GET", "/contatos/tipos", tokA, nil); st != 200 {
			t.Fatalf("call %d: %d %s", i+1, st, b)
		}
	}
	if st, b := f.call("GET", "/contatos/tipos", tokB, nil); st != 429 || errorType(t, b) != bling.ErrTypeTooManyRequests {
		t.Errorf("4th call in a second, from another app: %d %s", st, b)
	}
	time.Sleep(time.Second)
	if st, _ := f.call("GET", "/contatos/tipos", tokB, nil); st != 200 {
		t.Errorf("after a second: %d", st)
	}

	d := newFixture(t, blingsandbox.Options{DailyLimit: 2, RequestsPerSecond: -1, AccessTTL: 48 * time.Hour})
	tok := d.exchange(d.code()).AccessToken
	d.call("GET", "/contatos/tipos", tok, nil)
	d.call("GET", "/contatos/tipos", tok, nil)
	if st, b := d.call("GET", "/contatos/tipos", tok, nil); st != 429 || !strings.Contains(string(b), "diário") {
		t.Errorf("over the daily quota: %d %s", st, b)
	}
	d.clock.Advance(24 * time.Hour)
	if st, _ := d.call("GET", "/contatos/tipos", tok, nil); st != 200 {
		t.Errorf("next day: %d", st)
	}
}

// TestAdminAPI drives the /_sandbox/bling/ routes the way a person or a script would.
func TestAdminAPI(t *testing.T) {
	t.Parallel()
	f := newFixture(t, blingsandbox.Options{})
	post := func(path string, body any, out any) int {
		b, _ := json.Marshal(body)
		res, err := http.Post(f.srv.URL+"/_sandbox/bling"+path, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if out != nil {
			_ = json.NewDecoder(res.Body).Decode(out)
		}
		return res.StatusCode
	}
	var app blingsandbox.App
	if st := post("/apps", map[string]string{"redirect_uri": "https://ponte.example/cb"}, &app); st != 201 || app.ClientSecret == "" {
		t.Fatalf("POST /apps: %d %+v", st, app)
	}
	if st := post("/apps", map[string]string{}, nil); st != 400 {
		t.Errorf("app without redirect link: %d", st)
	}
	var acct struct{ ID int64 }
	if st := post("/accounts", map[string]string{"name": "Loja"}, &acct); st != 201 || acct.ID == 0 {
		t.Fatalf("POST /accounts: %d", st)
	}
	var code struct{ Code string }
	if st := post("/authorize", map[string]any{"client_id": app.ClientID, "account": acct.ID}, &code); st != 200 || code.Code == "" {
		t.Fatalf("POST /authorize: %d", st)
	}
	f.app = app
	if a := f.exchange(code.Code); a.Status != 200 {
		t.Errorf("admin-issued code refused: %+v", a)
	}
	var c struct{ ID int64 }
	if st := post("/accounts/"+itoa(acct.ID)+"/contacts", bling.Contact{Name: "Ana", PersonType: "F"}, &c); st != 201 {
		t.Fatalf("seed contact: %d", st)
	}
	f.clock.Advance(time.Hour)
	req, _ := http.NewRequest(http.MethodPatch, f.srv.URL+"/_sandbox/bling/accounts/"+itoa(acct.ID)+"/contacts/"+itoa(c.ID),
		strings.NewReader(`{"telefone":"(11) 3333-4444"}`))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	got := f.sb.Contacts(acct.ID)
	if res.StatusCode != 204 || len(got) != 1 || got[0].Contact.Phone != "(11) 3333-4444" || got[0].Contact.Name != "Ana" ||
		!got[0].Modified.Equal(f.clock.Now()) || got[0].Created.Equal(got[0].Modified) {
		t.Errorf("PATCH: %d %+v", res.StatusCode, got)
	}
	var revoked struct{ Revoked int }
	if st := post("/accounts/"+itoa(acct.ID)+"/revoke", nil, &revoked); st != 200 || revoked.Revoked != 1 {
		t.Errorf("revoke: %d %+v", st, revoked)
	}
	if st := post("/accounts/999/revoke", nil, nil); st != 404 {
		t.Errorf("unknown account: %d", st)
	}
}

// TestDemoSeed: `ponte sandbox` starts with the demo app and accounts whose contacts carry valid
// documents (SPEC C-E2) and the type mix of C-E7: clients, suppliers, carriers, both, none.
func TestDemoSeed(t *testing.T) {
	t.Parallel()
	sb := blingsandbox.New(blingsandbox.Options{Demo: true})
	cs := sb.Contacts(1)
	if len(cs) < 40 || len(sb.Contacts(2)) == 0 {
		t.Fatalf("demo accounts hold %d and %d contacts", len(cs), len(sb.Contacts(2)))
	}
	seen := map[string]int{}
	for _, c := range cs {
		if _, err := br.ParseDocument(c.Contact.Document); err != nil {
			t.Errorf("contact %d: %v", c.Contact.ID, err)
		}
		if c.Contact.Addresses == nil || c.Contact.Addresses.Main.City == "" || c.Contact.Addresses.Main.ZIP == "" {
			t.Errorf("contact %d has no address", c.Contact.ID)
		}
		var names []string
		for _, ty := range c.Contact.Types {
			names = append(names, ty.Description)
		}
		seen[strings.Join(names, "+")]++
		seen["situacao "+c.Contact.Status]++
	}
	for _, k := range []string{"Cliente", "Fornecedor", "Transportador", "Cliente+Fornecedor", "", "situacao I", "situacao E"} {
		if seen[k] == 0 {
			t.Errorf("demo data has no contact of kind %q: %v", k, seen)
		}
	}
	d := sb.Describe("http://127.0.0.1:9090/bling")
	for _, want := range []string{"http://127.0.0.1:9090/bling/Api/v3", "/Api/v3/oauth", blingsandbox.DemoClientID, blingsandbox.DemoClientSecret} {
		if !strings.Contains(d, want) {
			t.Errorf("Describe lacks %q:\n%s", want, d)
		}
	}
	sb.NewAccount("extra")
	sb.Reset()
	if len(sb.Contacts(1)) != len(cs) || sb.Contacts(3) != nil {
		t.Error("Reset did not restore the demo state")
	}
}
