package auvo_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
)

func seedCustomers(t *testing.T, e *env, n int) []auvo.Customer {
	t.Helper()
	out := make([]auvo.Customer, n)
	for i := range n {
		c, err := e.sb.SeedCustomer(e.acc.APIKey, auvo.Customer{Description: fmt.Sprintf("Cliente %03d", i),
			ExternalID: fmt.Sprintf("erp:%d", i), Active: i%3 != 0})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = c
	}
	return out
}

// API doc §6: pages of 100 until totalItems; AllCustomers reads them all in order.
func TestCustomerPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	seeded := seedCustomers(t, e, 250)
	p1, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 1)
	if err != nil || len(p1.Customers) != 100 || !p1.More {
		t.Fatalf("page 1: %d customers, more %v, %v", len(p1.Customers), p1.More, err)
	}
	p3, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 3)
	if err != nil || len(p3.Customers) != 50 || p3.More {
		t.Fatalf("page 3: %d customers, more %v, %v", len(p3.Customers), p3.More, err)
	}
	p4, err := e.c.ListCustomers(ctx, auvo.CustomerFilter{}, 4) // past the end: Auvo's 404
	if err != nil || len(p4.Customers) != 0 || p4.More {
		t.Fatalf("page 4: %+v, %v", p4, err)
	}
	all, err := e.c.AllCustomers(ctx, auvo.CustomerFilter{})
	if err != nil || len(all) != 250 {
		t.Fatalf("AllCustomers: %d, %v", len(all), err)
	}
	for i := range all {
		if all[i].ID != seeded[i].ID {
			t.Fatalf("customer %d is %d, want %d", i, all[i].ID, seeded[i].ID)
		}
	}
}

// API doc §2.3: active, externalId (several, comma-separated) and groupId filters.
func TestCustomerFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	seeded := seedCustomers(t, e, 9)
	g, _ := e.sb.SeedCustomerGroup(e.acc.APIKey, auvo.CustomerGroup{Description: "Condomínios"})
	if _, err := e.sb.EditCustomer(e.acc.APIKey, seeded[4].ID, func(c *auvo.Customer) { c.GroupsID = []int64{g.ID} }); err != nil {
		t.Fatal(err)
	}
	active := true
	got, err := e.c.AllCustomers(ctx, auvo.CustomerFilter{Active: &active})
	if err != nil || len(got) != 6 {
		t.Errorf("active: %d customers, %v; want 6", len(got), err)
	}
	got, err = e.c.AllCustomers(ctx, auvo.CustomerFilter{ExternalIDs: []string{"erp:2", "erp:7"}})
	if err != nil || len(got) != 2 || got[0].ExternalID != "erp:2" || got[1].ExternalID != "erp:7" {
		t.Errorf("externalId: %+v, %v", got, err)
	}
	got, err = e.c.AllCustomers(ctx, auvo.CustomerFilter{GroupID: g.ID})
	if err != nil || len(got) != 1 || got[0].ID != seeded[4].ID {
		t.Errorf("groupId: %+v, %v", got, err)
	}
	c, ok, err := e.c.CustomerByExternalID(ctx, "erp:5")
	if err != nil || !ok || c.ID != seeded[5].ID {
		t.Errorf("CustomerByExternalID: %+v %v %v", c, ok, err)
	}
	if _, ok, err := e.c.CustomerByExternalID(ctx, "erp:99"); ok || err != nil {
		t.Errorf("CustomerByExternalID of a missing one: %v %v", ok, err)
	}
}

// Ponte's incremental sync: dateLastUpdate (>=) returns exactly what changed since the cursor,
// whether the change came from a user or through the API; deleted customers leave the list.
func TestCustomerDateLastUpdateCursor(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	seeded := seedCustomers(t, e, 5)
	e.clock.Advance(time.Hour)
	cursor := e.clock.Now()
	if _, err := e.sb.EditCustomer(e.acc.APIKey, seeded[1].ID, func(c *auvo.Customer) { c.Note = "mudou" }); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.PatchCustomer(ctx, seeded[3].ID, []auvo.PatchOp{auvo.Replace("note", "pela API")}); err != nil {
		t.Fatal(err)
	}
	if err := e.sb.DeleteCustomer(e.acc.APIKey, seeded[4].ID); err != nil {
		t.Fatal(err)
	}
	got, err := e.c.AllCustomers(ctx, auvo.CustomerFilter{DateLastUpdate: cursor})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, c := range got {
		ids = append(ids, c.ID)
		if c.DateLastUpdate.Before(cursor) {
			t.Errorf("customer %d changed at %v, before the cursor", c.ID, c.DateLastUpdate)
		}
	}
	if !slices.Equal(ids, []int64{seeded[1].ID, seeded[3].ID}) {
		t.Errorf("changed since cursor: %v, want %v", ids, []int64{seeded[1].ID, seeded[3].ID})
	}
	all, _ := e.c.AllCustomers(ctx, auvo.CustomerFilter{})
	if len(all) != 4 {
		t.Errorf("after a delete the list has %d customers, want 4", len(all))
	}
}

// API doc §3.2: status codes, task type and customer group select tasks; the client sends a
// window by itself, since Auvo refuses a list without one (errorCode 168).
func TestTaskFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	key := e.acc.APIKey
	g, _ := e.sb.SeedCustomerGroup(key, auvo.CustomerGroup{Description: "Restaurantes"})
	inGroup, _ := e.sb.SeedCustomer(key, auvo.Customer{Description: "Restaurante", GroupsID: []int64{g.ID}, Active: true})
	other, _ := e.sb.SeedCustomer(key, auvo.Customer{Description: "Outro", Active: true})
	tt, _ := e.sb.SeedTaskType(key, auvo.TaskType{Description: "Preventiva"})
	day := auvo.NewTime(e.clock.Now())
	tasks := []auvo.Task{
		{CustomerID: inGroup.ID, TaskType: tt.ID, TaskDate: day, Finished: true, CheckIn: true, CheckOut: true, CheckinType: 1},
		{CustomerID: inGroup.ID, TaskDate: day, Finished: true, CheckinType: 2, Pendency: "voltar"},
		{CustomerID: other.ID, TaskType: tt.ID, TaskDate: day},
		{CustomerID: other.ID, TaskDate: day, CheckIn: true},
	}
	var ids []int64
	for _, t0 := range tasks {
		saved, err := e.sb.SeedTask(key, t0)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, saved.TaskID)
	}
	status := func(n int) *int { return &n }
	cases := []struct {
		name string
		f    auvo.TaskFilter
		want []int64
	}{
		{"S2 4 all", auvo.TaskFilter{Status: status(auvo.StatusAll)}, ids},
		{"S2 0 unfinished", auvo.TaskFilter{Status: status(auvo.StatusUnfinished)}, ids[2:]},
		{"S2 3 finished", auvo.TaskFilter{Status: status(auvo.StatusFinished)}, ids[:2]},
		{"S2 1 finished automatically", auvo.TaskFilter{Status: status(auvo.StatusFinishedAuto)}, ids[1:2]},
		{"S2 2 finished manually", auvo.TaskFilter{Status: status(auvo.StatusFinishedManual)}, ids[:1]},
		{"S2 5 with pendency", auvo.TaskFilter{Status: status(auvo.StatusWithPendency)}, ids[1:2]},
		{"S2 6 check-in or check-out", auvo.TaskFilter{Status: status(auvo.StatusStartedOrFinished)}, []int64{ids[0], ids[3]}},
		{"S3 task type", auvo.TaskFilter{Type: tt.ID}, []int64{ids[0], ids[2]}},
		{"S4 customer group", auvo.TaskFilter{CustomerGroupID: g.ID}, ids[:2]},
		{"window before the tasks", auvo.TaskFilter{StartDate: day.Add(-48 * time.Hour), EndDate: day.Add(-24 * time.Hour)}, nil},
		{"customer without window", auvo.TaskFilter{CustomerID: other.ID}, ids[2:]},
	}
	for _, tc := range cases {
		got, err := e.c.AllTasks(ctx, tc.f)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var gotIDs []int64
		for _, x := range got {
			gotIDs = append(gotIDs, x.TaskID)
		}
		if !slices.Equal(gotIDs, tc.want) {
			t.Errorf("%s: tasks %v, want %v", tc.name, gotIDs, tc.want)
		}
	}
	if err := e.sb.DeleteTask(key, ids[2]); err != nil {
		t.Fatal(err)
	}
	deleted, err := e.c.ListDeletedTasks(ctx, auvo.TaskFilter{}, 1)
	if err != nil || len(deleted.Tasks) != 1 || deleted.Tasks[0].TaskID != ids[2] {
		t.Errorf("ListDeletedTasks: %+v, %v", deleted, err)
	}
	rest, err := e.c.AllTasks(ctx, auvo.TaskFilter{})
	if err != nil || len(rest) != 3 {
		t.Errorf("after a delete: %d tasks, %v", len(rest), err)
	}
}

// Quotations are selected by stage name (setting S5); the stages are read from them.
func TestQuotationsByStage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	stages := auvosandbox.Stages()
	for i, st := range []auvo.Stage{stages[2], stages[0], stages[2]} {
		if _, err := e.sb.SeedQuotation(e.acc.APIKey, auvo.Quotation{CustomerID: int64(i), CurrentStage: st}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := e.c.AllQuotations(ctx, auvo.QuotationFilter{CurrentStage: stages[2].Description})
	if err != nil || len(got) != 2 || got[0].CurrentStage.ID != stages[2].ID {
		t.Fatalf("by stage %q: %+v, %v", stages[2].Description, got, err)
	}
	q, err := e.c.GetQuotation(ctx, got[1].PublicID)
	if err != nil || q.PublicID != got[1].PublicID {
		t.Errorf("GetQuotation: %+v, %v", q, err)
	}
	seen, err := e.c.QuotationStages(ctx)
	if err != nil || len(seen) != 2 || seen[0].ID != stages[0].ID || seen[1].ID != stages[2].ID {
		t.Errorf("QuotationStages = %+v, %v", seen, err)
	}
}

// The catalogues the settings screen lists: task types (S3) and customer groups (S4).
func TestCatalogues(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	for _, d := range []string{"Instalação", "Preventiva"} {
		_, _ = e.sb.SeedTaskType(e.acc.APIKey, auvo.TaskType{Description: d})
		_, _ = e.sb.SeedCustomerGroup(e.acc.APIKey, auvo.CustomerGroup{Description: d})
	}
	types, err := e.c.ListTaskTypes(ctx, 1)
	if err != nil || len(types.TaskTypes) != 2 || types.TaskTypes[0].Description != "Instalação" {
		t.Errorf("ListTaskTypes: %+v, %v", types, err)
	}
	groups, err := e.c.AllCustomerGroups(ctx)
	if err != nil || len(groups) != 2 || groups[1].Description != "Preventiva" {
		t.Errorf("AllCustomerGroups: %+v, %v", groups, err)
	}
	tt, err := e.c.GetTaskType(ctx, types.TaskTypes[1].ID)
	if err != nil || tt.Description != "Preventiva" {
		t.Errorf("GetTaskType: %+v, %v", tt, err)
	}
}
