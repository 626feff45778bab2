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
	"github.com/pontehub/ponte/internal/br"
)

// The admin API the sync-engine tests use: accounts, seeding, dumps with the deleted flag,
// user-style edits that move dateLastUpdate, deletes, per-account reset, and call counts.
func TestAdminAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	st, b := e.do("POST", "/_sandbox/auvo/accounts", "", "")
	var acc auvosandbox.Account
	if st != http.StatusCreated || json.Unmarshal(b, &acc) != nil || acc.APIKey == "" || acc.APIToken == "" || acc.ID == 0 {
		t.Fatalf("new account: %d %s", st, b)
	}
	e.acc = acc
	base := "/_sandbox/auvo/accounts/" + acc.APIKey
	st, b = e.do("POST", base+"/customers", `[{"description":"Um","externalId":"e:1"},{"description":"Dois","cpfCnpj":"11222333000181","active":true}]`, "")
	var seeded []auvo.Customer
	if st != http.StatusCreated || json.Unmarshal(b, &seeded) != nil || len(seeded) != 2 || seeded[0].ID == 0 || seeded[0].ID == seeded[1].ID {
		t.Fatalf("seed customers: %d %s", st, b)
	}
	if st, b := e.do("POST", base+"/tasks", `{"customerId":`+fmt.Sprint(seeded[1].ID)+`,"orientation":"Visita"}`, ""); st != http.StatusCreated || !strings.Contains(string(b), `"customerDescription":"Dois"`) {
		t.Errorf("seed one task: %d %s", st, b)
	}

	e.clock.Advance(time.Hour)
	st, b = e.do("PATCH", fmt.Sprintf("%s/customers/%d", base, seeded[0].ID), `{"note":"editado no Auvo","name":"Um Ltda"}`, "")
	var edited auvo.Customer
	if st != http.StatusOK || json.Unmarshal(b, &edited) != nil || edited.Note != "editado no Auvo" || edited.Description != "Um Ltda" ||
		edited.DateLastUpdate.Sub(seeded[0].DateLastUpdate.Time) != time.Hour {
		t.Errorf("user edit: %d %s", st, b)
	}
	if st, _ := e.do("DELETE", fmt.Sprintf("%s/customers/%d", base, seeded[1].ID), "", ""); st != http.StatusNoContent {
		t.Errorf("delete: %d", st)
	}
	_, b = e.do("GET", base+"/customers", "", "")
	var dump []struct {
		ID        int64  `json:"id"`
		Deleted   bool   `json:"deleted"`
		DeletedAt string `json:"deletedAt"`
	}
	if json.Unmarshal(b, &dump) != nil || len(dump) != 2 || dump[0].Deleted || !dump[1].Deleted || dump[1].DeletedAt != "2026-03-02T10:00:00" {
		t.Errorf("dump: %s", b)
	}
	tok := e.login()
	if st, _ := e.do("GET", fmt.Sprintf("/auvo/v2/customers/%d", seeded[1].ID), "", tok); st != http.StatusNotFound {
		t.Errorf("deleted customer answers %d, want 404", st)
	}
	_, b = e.do("GET", "/_sandbox/stats", "", "")
	var stats map[string]map[string]int64
	if json.Unmarshal(b, &stats) != nil || stats["auvo"]["POST /login"] != 1 || stats["auvo"]["GET /customers/{id}"] != 1 {
		t.Errorf("stats: %s", b)
	}
	if st, _ := e.do("POST", base+"/reset", "", ""); st != http.StatusNoContent || len(e.sb.Customers(acc.APIKey)) != 0 {
		t.Errorf("account reset: %d, %d customers left", st, len(e.sb.Customers(acc.APIKey)))
	}
	if st, _ := e.do("GET", "/_sandbox/auvo/accounts/nobody/customers", "", ""); st != http.StatusNotFound {
		t.Errorf("unknown account: %d", st)
	}
	if st, _ := e.do("GET", base+"/widgets", "", ""); st != http.StatusNotFound {
		t.Errorf("unknown resource: %d", st)
	}
}

// Go helpers report unknown accounts and records instead of inventing them.
func TestHelpersRefuseUnknown(t *testing.T) {
	t.Parallel()
	sb := auvosandbox.New(auvosandbox.Options{})
	if _, err := sb.SeedCustomer("nobody", auvo.Customer{}); err != auvosandbox.ErrUnknownAccount {
		t.Errorf("seed on an unknown account: %v", err)
	}
	acc := sb.NewAccount()
	if _, err := sb.EditCustomer(acc.APIKey, 1, func(*auvo.Customer) {}); err != auvosandbox.ErrNoRecord {
		t.Errorf("edit of a missing customer: %v", err)
	}
	if err := sb.DeleteTask(acc.APIKey, 1); err != auvosandbox.ErrNoRecord {
		t.Errorf("delete of a missing task: %v", err)
	}
}

// The demo account holds realistic data: valid CPFs/CNPJs, some customers without a document or
// inactive, one-line addresses in SPEC C-A5 patterns (and two that match none), and tasks and
// quotations to integrate.
func TestDemoAccountData(t *testing.T) {
	t.Parallel()
	sb := auvosandbox.New(auvosandbox.Options{})
	customers := sb.Customers(auvosandbox.DemoAPIKey)
	var noDoc, inactive, badAddress int
	for _, r := range customers {
		c := r.Value
		switch {
		case c.CPFCNPJ == "":
			noDoc++
		case !br.ValidCPF(c.CPFCNPJ) && !br.ValidCNPJ(c.CPFCNPJ):
			t.Errorf("%s: invalid document %s", c.Description, c.CPFCNPJ)
		}
		if !c.Active {
			inactive++
		}
		if _, _, err := br.ParseAddress(c.Address, br.AnyERP); err != nil {
			badAddress++
		}
	}
	if len(customers) < 15 || noDoc < 2 || inactive < 2 || badAddress != 2 {
		t.Errorf("%d customers, %d without document, %d inactive, %d unparsable addresses", len(customers), noDoc, inactive, badAddress)
	}
	var withItems int
	for _, r := range sb.Tasks(auvosandbox.DemoAPIKey) {
		if len(r.Value.Products) > 0 && len(r.Value.Services) > 0 && r.Value.Summary.TotalValue.Cents() > 0 {
			withItems++
		}
	}
	if withItems < 3 {
		t.Errorf("%d demo tasks with products and services", withItems)
	}
	stages := map[string]bool{}
	for _, r := range sb.Quotations(auvosandbox.DemoAPIKey) {
		stages[r.Value.CurrentStage.Description] = true
	}
	if len(stages) != len(auvosandbox.Stages()) {
		t.Errorf("quotation stages in the demo: %v", stages)
	}
	// Reset brings the demo account back, and only it.
	acc := sb.NewAccount()
	sb.Reset()
	if sb.Customers(acc.APIKey) != nil || len(sb.Customers(auvosandbox.DemoAPIKey)) != len(customers) {
		t.Error("Reset did not restore exactly the demo account")
	}
}
