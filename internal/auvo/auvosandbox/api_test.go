package auvosandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
)

// API doc §6: a list that matches nothing answers 404; the EmptyListOK switch answers 200.
func TestEmptyListIs404(t *testing.T) {
	t.Parallel()
	for _, emptyOK := range []bool{false, true} {
		e := newEnv(t, auvosandbox.Options{EmptyListOK: emptyOK})
		tok := e.login()
		st, body := e.do("GET", "/auvo/v2/customers/"+list(`{"externalId":"none"}`), "", tok)
		want := http.StatusNotFound
		if emptyOK {
			want = http.StatusOK
		}
		if st != want {
			t.Errorf("EmptyListOK %v: status %d %s, want %d", emptyOK, st, body, want)
		}
	}
}

// API doc §6: 400 calls a minute pass; the 401st answers 403 {"error": "Rate limit temporarily
// exceeded"}; a minute later calls pass again.
func TestRateLimit401stCallIs403(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{RateLimit: 400})
	tok := e.login() // call 1
	_, _ = e.sb.SeedCustomer(e.acc.APIKey, auvo.Customer{Description: "A"})
	for i := 2; i <= 400; i++ {
		if st, b := e.do("GET", "/auvo/v2/customers/"+list(`{}`), "", tok); st != http.StatusOK {
			t.Fatalf("call %d: %d %s", i, st, b)
		}
	}
	st, b := e.do("GET", "/auvo/v2/customers/"+list(`{}`), "", tok)
	if st != http.StatusForbidden || strings.TrimSpace(string(b)) != `{"error":"Rate limit temporarily exceeded"}` {
		t.Fatalf("call 401: %d %s", st, b)
	}
	other := e.sb.NewAccount() // the limit is per account: another one is not affected
	if st, _ := e.do("GET", "/auvo/v2/login/?apiKey="+other.APIKey+"&apiToken="+other.APIToken, "", ""); st != http.StatusOK {
		t.Errorf("another account was throttled: %d", st)
	}
	e.clock.Advance(time.Minute)
	if st, b := e.do("GET", "/auvo/v2/customers/"+list(`{}`), "", tok); st != http.StatusOK {
		t.Errorf("a minute later: %d %s", st, b)
	}
}

// API doc §1: both login forms; 400 model state without apiKey; 404 for an unknown key; 401 for a
// missing, unknown or expired token.
func TestAuthAnswers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	st, b := e.do("GET", "/auvo/v2/login/?apiKey=&apiToken=x", "", "")
	if st != http.StatusBadRequest || strings.TrimSpace(string(b)) != `{"apiKey":["The value '\"\"' is not valid."]}` {
		t.Errorf("login without apiKey: %d %s", st, b)
	}
	if st, b := e.do("POST", "/auvo/v2/login/", `{"apiKey":"nobody","apiToken":"x"}`, ""); st != http.StatusNotFound {
		t.Errorf("login with an unknown key: %d %s", st, b)
	}
	tok := e.login()
	if st, _ := e.do("GET", "/auvo/v2/customers/"+list(`{}`), "", ""); st != http.StatusUnauthorized {
		t.Errorf("no token: %d", st)
	}
	if st, _ := e.do("GET", "/auvo/v2/customers/"+list(`{}`), "", "forged"); st != http.StatusUnauthorized {
		t.Errorf("unknown token: %d", st)
	}
	e.clock.Advance(29 * time.Minute)
	if st, _ := e.do("GET", "/auvo/v2/customers/"+list(`{}`), "", tok); st != http.StatusNotFound { // alive, empty
		t.Errorf("token at 29 min: %d", st)
	}
	e.clock.Advance(time.Minute)
	if st, _ := e.do("GET", "/auvo/v2/customers/"+list(`{}`), "", tok); st != http.StatusUnauthorized {
		t.Errorf("token at 30 min: %d", st)
	}
}

// API doc §3.2 (C-live S3): a task list without window or customer is 400 with errorCode 168.
func TestTaskListNeedsWindow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	tok := e.login()
	st, b := e.do("GET", "/auvo/v2/tasks/"+list(`{"status":4}`), "", tok)
	var body map[string]any
	_ = json.Unmarshal(b, &body)
	if st != http.StatusBadRequest || body["errorCode"] != 168.0 ||
		body["message"] != "Start date and end date are required when customerId is not provided" {
		t.Errorf("tasks without window: %d %s", st, b)
	}
	for _, k := range []string{"target", "errors"} {
		if v, ok := body[k]; !ok || v != nil {
			t.Errorf("error body lacks %q: null", k)
		}
	}
	// PascalCase keys work as well (API doc §3.2).
	st, b = e.do("GET", "/auvo/v2/Tasks/?ParamFilter="+strings.TrimPrefix(list(`{"StartDate":"2026-01-01T00:00:00","EndDate":"2026-12-31T00:00:00"}`), "?paramFilter="), "", tok)
	if st != http.StatusNotFound {
		t.Errorf("tasks with a PascalCase window: %d %s", st, b)
	}
}

// API doc §5/§6: paramFilter is required on /products (400); /services without it answered 404
// live; a write without Content-Type is 415; a non-numeric id is the model-state 400.
func TestRequestChecks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	tok := e.login()
	st, b := e.do("GET", "/auvo/v2/products/", "", tok)
	if st != http.StatusBadRequest || !strings.Contains(string(b), "The paramFilter is required as ParamUserFilter string json.") {
		t.Errorf("products without paramFilter: %d %s", st, b)
	}
	_, _ = e.sb.SeedService(e.acc.APIKey, auvo.Service{Title: "Visita"})
	if st, _ := e.do("GET", "/auvo/v2/services?page=1&pageSize=1", "", tok); st != http.StatusNotFound {
		t.Errorf("services without paramFilter: %d", st)
	}
	if st, _ := e.do("GET", "/auvo/v2/services"+list(`{}`), "", tok); st != http.StatusOK {
		t.Errorf("services with paramFilter: %d", st)
	}
	req, _ := http.NewRequest("POST", e.url+"/auvo/v2/customers/", strings.NewReader(`{"name":"X"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("POST without Content-Type: %d", resp.StatusCode)
	}
	st, b = e.do("GET", "/auvo/v2/customers/abc", "", tok)
	if st != http.StatusBadRequest || strings.TrimSpace(string(b)) != `{"id":["The value 'abc' is not valid."]}` {
		t.Errorf("non-numeric id: %d %s", st, b)
	}
}

// API doc §5 (C-live S3): POST /products stores a price ×10; PATCH stores it right.
func TestProductPostPriceQuirk(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	tok := e.login()
	st, b := e.do("POST", "/auvo/v2/products/", `{"name":"Correia","code":"77","unitaryValue":12.5}`, tok)
	if st != http.StatusCreated {
		t.Fatalf("POST: %d %s", st, b)
	}
	if got := e.sb.Products(e.acc.APIKey)[0].Value.UnitaryValue.Cents(); got != 12500 {
		t.Errorf("price after POST = %d cents, want 12500 (×10)", got)
	}
	st, b = e.do("PATCH", "/auvo/v2/products/77", `[{"op":"replace","path":"unitaryValue","value":12.5}]`, tok)
	if st != http.StatusOK || !strings.Contains(string(b), `"unitaryValue":"$12.50"`) {
		t.Errorf("PATCH: %d %s", st, b)
	}
}

// API doc §5 (C-live S3): PATCH of a task type answers 200 and does not keep the description.
func TestTaskTypePatchKeepsDescription(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	tok := e.login()
	tt, _ := e.sb.SeedTaskType(e.acc.APIKey, auvo.TaskType{Description: "Preventiva"})
	st, b := e.do("PATCH", fmt.Sprintf("/auvo/v2/taskTypes/%d", tt.ID), `[{"op":"replace","path":"/description","value":"Outra"},{"op":"replace","path":"active","value":true}]`, tok)
	if st != http.StatusOK || !strings.Contains(string(b), `"description":"Preventiva"`) || !strings.Contains(string(b), `"active":true`) {
		t.Errorf("PATCH task type: %d %s", st, b)
	}
}

// API doc §2.1: PUT without replaceData replaces every field (S8's default [U]); with
// replaceData false it merges. Either way dateLastUpdate moves.
func TestCustomerPutReplaceData(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	tok := e.login()
	c, _ := e.sb.SeedCustomer(e.acc.APIKey, auvo.Customer{Description: "A", ExternalID: "x:1", Note: "nota", Active: true})
	e.clock.Advance(time.Minute)
	st, b := e.do("PUT", "/auvo/v2/customers/", `{"externalId":"x:1","name":"B","replaceData":false}`, tok)
	if st != http.StatusOK || !strings.Contains(string(b), `"note":"nota"`) || !strings.Contains(string(b), `"description":"B"`) {
		t.Errorf("merge: %d %s", st, b)
	}
	st, b = e.do("PUT", "/auvo/v2/customers/", `{"externalId":"x:1","description":"C"}`, tok)
	if st != http.StatusOK || !strings.Contains(string(b), `"note":""`) || !strings.Contains(string(b), fmt.Sprintf(`"id":%d`, c.ID)) {
		t.Errorf("replace: %d %s", st, b)
	}
	got := e.sb.Customers(e.acc.APIKey)[0].Value
	if got.DateLastUpdate.Sub(c.DateLastUpdate.Time) != time.Minute || got.ExternalID != "x:1" {
		t.Errorf("after PUT: %+v", got)
	}
}

// API doc §6: selectfields projects the list; links carry nextPage while pages remain.
func TestSelectFieldsAndLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	tok := e.login()
	for i := range 3 {
		_, _ = e.sb.SeedCustomer(e.acc.APIKey, auvo.Customer{Description: fmt.Sprint("C", i), CPFCNPJ: "11222333000181"})
	}
	_, b := e.do("GET", "/auvo/v2/customers/"+list(`{}`)+"&pageSize=2&selectfields=id,cpfCnpj", "", tok)
	var out struct {
		Result struct {
			EntityList []map[string]any `json:"entityList"`
			Paged      struct {
				TotalItems int `json:"totalItems"`
			} `json:"pagedSearchReturnData"`
			Links []auvo.Link `json:"links"`
		} `json:"result"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Result.EntityList) != 2 || len(out.Result.EntityList[0]) != 2 || out.Result.Paged.TotalItems != 3 {
		t.Errorf("projection: %s", b)
	}
	if len(out.Result.Links) != 2 || out.Result.Links[1].Rel != "nextPage" {
		t.Errorf("links: %+v", out.Result.Links)
	}
}

// GET /tasks/getdeletedtasks lists the tasks a user deleted, which leave the normal list.
func TestDeletedTasks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	tok := e.login()
	a, _ := e.sb.SeedTask(e.acc.APIKey, auvo.Task{Orientation: "a"})
	_, _ = e.sb.SeedTask(e.acc.APIKey, auvo.Task{Orientation: "b"})
	if err := e.sb.DeleteTask(e.acc.APIKey, a.TaskID); err != nil {
		t.Fatal(err)
	}
	window := list(`{"startDate":"2026-01-01T00:00:00","endDate":"2026-12-31T23:59:59"}`)
	_, b := e.do("GET", "/auvo/v2/tasks/GetDeletedTasks"+window, "", tok)
	if !strings.Contains(string(b), fmt.Sprintf(`"taskID":%d`, a.TaskID)) || !strings.Contains(string(b), `"totalItems":1`) {
		t.Errorf("deleted tasks: %s", b)
	}
	if st, _ := e.do("GET", fmt.Sprintf("/auvo/v2/tasks/%d", a.TaskID), "", tok); st != http.StatusNotFound {
		t.Errorf("GET of a deleted task: %d", st)
	}
}
