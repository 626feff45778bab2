package omiesandbox_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/sandbox"
)

// env is the sandbox mounted in the hub, as `ponte sandbox` serves it, spoken to in raw HTTP.
type env struct {
	sb    *omiesandbox.Server
	srv   *httptest.Server
	clock *sandbox.Clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{clock: sandbox.NewClock(time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC))}
	e.sb = omiesandbox.New(omiesandbox.Options{Now: e.clock.Now})
	e.srv = httptest.NewServer(sandbox.NewHub(e.sb))
	t.Cleanup(e.srv.Close)
	return e
}

// answer is an HTTP status and a decoded JSON body.
type answer struct {
	status int
	body   map[string]any
	raw    []byte
}

func (a answer) str(key string) string { s, _ := a.body[key].(string); return s }

// call posts Omie's envelope to a service ("geral/clientes").
func (e *env) call(t *testing.T, service, call string, acct omiesandbox.Account, param any) answer {
	t.Helper()
	body, err := json.Marshal(map[string]any{"call": call, "app_key": acct.AppKey, "app_secret": acct.AppSecret,
		"param": []any{param}})
	if err != nil {
		t.Fatal(err)
	}
	return e.post(t, "/omie/api/v1/"+service+"/", body)
}

func (e *env) post(t *testing.T, path string, body []byte) answer {
	t.Helper()
	return e.do(t, http.MethodPost, path, body)
}

func (e *env) do(t *testing.T, method, path string, body []byte) answer {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, raw: raw}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	_ = d.Decode(&a.body)
	return a
}

// admin calls the admin API and decodes its JSON answer into out (when not nil).
func (e *env) admin(t *testing.T, method, path string, in, out any) int {
	t.Helper()
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			t.Fatal(err)
		}
	}
	a := e.do(t, method, "/_sandbox/omie"+path, body)
	if out != nil {
		d := json.NewDecoder(bytes.NewReader(a.raw))
		d.UseNumber() // ids print as digits, not 1.5e+09
		if err := d.Decode(out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, a.status, a.raw)
		}
	}
	return a.status
}

// newAccount creates an account through the admin API.
func (e *env) newAccount(t *testing.T, opts map[string]any) omiesandbox.Account {
	t.Helper()
	var acct omiesandbox.Account
	if st := e.admin(t, http.MethodPost, "/accounts", opts, &acct); st != http.StatusCreated || acct.AppKey == "" || acct.AppSecret == "" {
		t.Fatalf("create account: %d %+v", st, acct)
	}
	return acct
}

// example reads one of the real payloads of api/examples, kept in the client's testdata.
func example(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decode reads JSON keeping numbers exact.
func decode(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
