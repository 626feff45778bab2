package auvosandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/sandbox"
)

// env is a sandbox behind the hub on a real HTTP server, with one fresh account.
type env struct {
	t     *testing.T
	sb    *auvosandbox.Server
	url   string // the hub's base URL
	acc   auvosandbox.Account
	clock *sandbox.Clock
}

func newEnv(t *testing.T, o auvosandbox.Options) *env {
	t.Helper()
	clk := sandbox.NewClock(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	o.Now = clk.Now
	sb := auvosandbox.New(o)
	srv := httptest.NewServer(sandbox.NewHub(sb))
	t.Cleanup(srv.Close)
	return &env{t: t, sb: sb, url: srv.URL, acc: sb.NewAccount(), clock: clk}
}

// do sends a raw request; path is below the hub ("/auvo/v2/customers").
func (e *env) do(method, path, body, token string) (int, []byte) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// login returns a fresh token of the env's account.
func (e *env) login() string {
	e.t.Helper()
	st, b := e.do("POST", "/auvo/v2/login/", `{"apiKey":"`+e.acc.APIKey+`","apiToken":"`+e.acc.APIToken+`"}`, "")
	var out struct {
		Result struct {
			AccessToken string `json:"accessToken"`
		} `json:"result"`
	}
	if st != 200 || json.Unmarshal(b, &out) != nil || out.Result.AccessToken == "" {
		e.t.Fatalf("login: %d %s", st, b)
	}
	return out.Result.AccessToken
}

func list(filter string) string { return "?paramFilter=" + url.QueryEscape(filter) }

func readExample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// paths lists every key path of a JSON document ("result.entityList[].contacts[].name"), the
// field set two payloads are compared by.
func paths(t *testing.T, doc []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, doc)
	}
	set := map[string]bool{}
	var walk func(v any, prefix string)
	walk = func(v any, prefix string) {
		switch x := v.(type) {
		case map[string]any:
			for k, sub := range x {
				p := prefix + "." + k
				set[p] = true
				walk(sub, p)
			}
		case []any:
			for _, sub := range x {
				walk(sub, prefix+"[]")
			}
		}
	}
	walk(v, "")
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func diff(a, b []string) (onlyA, onlyB []string) {
	for _, p := range a {
		if !slices.Contains(b, p) {
			onlyA = append(onlyA, p)
		}
	}
	for _, p := range b {
		if !slices.Contains(a, p) {
			onlyB = append(onlyB, p)
		}
	}
	return onlyA, onlyB
}

// API doc §10: the real payloads decode into the client's structs and re-encode with exactly the
// same field set (typos included), so nothing Auvo sends is lost.
func TestExamplesDecodeWithoutLoss(t *testing.T) {
	t.Parallel()
	cases := map[string]func(b []byte) (any, error){
		"auvo-customers-list-response.json": decodeAs[struct {
			Result auvo.ListResult[auvo.Customer] `json:"result"`
		}],
		"auvo-task-get-response.json": decodeAs[struct {
			Result auvo.Task `json:"result"`
		}],
		"auvo-product-get-response.json": decodeAs[struct {
			Result auvo.Product `json:"result"`
		}],
		"auvo-quotation-get-response.json": decodeAs[struct {
			Result auvo.Quotation `json:"result"`
		}],
	}
	for name, decode := range cases {
		raw := readExample(t, name)
		v, err := decode(raw)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		again, _ := json.Marshal(v)
		lost, added := diff(paths(t, raw), paths(t, again))
		if len(lost) > 0 || len(added) > 0 {
			t.Errorf("%s: lost %v, added %v", name, lost, added)
		}
	}
}

func decodeAs[T any](b []byte) (any, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

// The webhook example writes taskStatus, priority and checkinType as strings (API doc §3.3).
func TestWebhookTaskDecodes(t *testing.T) {
	t.Parallel()
	var n struct {
		Result struct {
			EntityType string      `json:"EntityType"`
			Action     string      `json:"Action"`
			EntityID   int64       `json:"EntityId"`
			Entities   []auvo.Task `json:"Entities"`
		} `json:"result"`
	}
	if err := json.Unmarshal(readExample(t, "auvo-webhook-task-notification.json"), &n); err != nil {
		t.Fatal(err)
	}
	task := n.Result.Entities[0]
	if task.TaskStatus != 1 || task.Priority != 1 || task.CheckinType != 1 || task.TaskID != 123 ||
		task.TaskDate.String() != "2016-03-23T18:00:00" {
		t.Errorf("task = %+v", task)
	}
}

// The sandbox answers in the same shape as the real payloads: an example seeded through the
// admin API comes back from the API with the example's field set.
func TestSandboxAnswersInExampleShape(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	seed := func(resource string, doc []byte, list bool) {
		var env struct {
			Result json.RawMessage `json:"result"`
		}
		_ = json.Unmarshal(doc, &env)
		body := env.Result
		if list {
			var l struct {
				EntityList json.RawMessage `json:"entityList"`
			}
			_ = json.Unmarshal(body, &l)
			body = l.EntityList
		}
		st, b := e.do("POST", "/_sandbox/auvo/accounts/"+e.acc.APIKey+"/"+resource, string(body), "")
		if st != http.StatusCreated {
			t.Fatalf("seed %s: %d %s", resource, st, b)
		}
	}
	tok := e.login()
	compare := func(name string, got []byte) {
		t.Helper()
		lost, added := diff(paths(t, readExample(t, name)), paths(t, got))
		if len(lost) > 0 || len(added) > 0 {
			t.Errorf("%s: the sandbox lacks %v and adds %v\n%s", name, lost, added, got)
		}
	}

	seed("customers", readExample(t, "auvo-customers-list-response.json"), true)
	_, got := e.do("GET", "/auvo/v2/customers/"+list(`{}`)+"&page=1&pageSize=100", "", tok)
	compare("auvo-customers-list-response.json", got)

	seed("tasks", readExample(t, "auvo-task-get-response.json"), false)
	_, got = e.do("GET", "/auvo/v2/tasks/66259532", "", tok)
	compare("auvo-task-get-response.json", got)

	seed("products", readExample(t, "auvo-product-get-response.json"), false)
	_, got = e.do("GET", "/auvo/v2/products/456", "", tok)
	compare("auvo-product-get-response.json", got)

	seed("quotations", readExample(t, "auvo-quotation-get-response.json"), false)
	_, got = e.do("GET", "/auvo/v2/quotations/42", "", tok)
	compare("auvo-quotation-get-response.json", got)

	_, got = e.do("GET", "/auvo/v2/login/?apiKey="+e.acc.APIKey+"&apiToken="+e.acc.APIToken, "", "")
	compare("auvo-login-response.json", got)
}
