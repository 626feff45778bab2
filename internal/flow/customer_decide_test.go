package flow

import (
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

const validCNPJ = "11.222.333/0001-81"

func auvoRec(mod func(*Customer)) Customer {
	c := Customer{ID: "10", Document: validCNPJ, Active: true, Client: true, Fields: Fields{Name: "Alfa", Address: "Rua X, 1, Centro, São Paulo - SP, Brasil"}}
	if mod != nil {
		mod(&c)
	}
	return c
}

func TestAdmitAuvo(t *testing.T) {
	t.Parallel()
	active := &store.Link{AuvoID: "10", ERPID: "900", State: store.LinkActive}
	locked := &store.Link{AuvoID: "10", ERPID: "900", State: store.LinkLocked, LockReason: string(ReasonLockedDeleted)}
	cases := []struct {
		name   string
		c      Customer
		l      *store.Link
		action store.Action
		reason Code
		ok     bool
	}{
		{"C-A1 inactive", auvoRec(func(c *Customer) { c.Active = false }), nil, store.ActionSkipped, ReasonInactive, false},
		{"C-A2 no document", auvoRec(func(c *Customer) { c.Document = " " }), nil, store.ActionSkipped, ReasonNoDocument, false},
		{"C-A2 invalid check digits", auvoRec(func(c *Customer) { c.Document = "11.222.333/0001-82" }), nil, store.ActionSkipped, ReasonInvalidDocument, false},
		{"C-A5 address outside the patterns", auvoRec(func(c *Customer) { c.AddressErr = "x" }), nil, store.ActionSkipped, ReasonAddressPattern, false},
		{"C-A7 external code erased", auvoRec(nil), active, store.ActionLocked, ReasonLockedErased, false},
		{"C-A7 external code replaced", auvoRec(func(c *Customer) { c.ExternalID = "901" }), active, store.ActionLocked, ReasonLockedErased, false},
		{"C-A7 already locked keeps its reason", auvoRec(func(c *Customer) { c.ExternalID = "900" }), locked, store.ActionLocked, ReasonLockedDeleted, false},
		{"C-A9 linked and inactivated", auvoRec(func(c *Customer) { c.ExternalID, c.Active = "900", false }), active, store.ActionSkipped, ReasonInactive, false},
		{"unlinked and valid: place", auvoRec(nil), nil, "", "", true},
		{"linked and valid: reconcile", auvoRec(func(c *Customer) { c.ExternalID = "900" }), active, "", "", true},
	}
	for _, c := range cases {
		d, ok := admitAuvo(c.c, c.l)
		if ok != c.ok || d.Action != c.action || d.Reason != c.reason {
			t.Errorf("%s: %+v ok=%v", c.name, d, ok)
		}
	}
}

func TestAdmitERP(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		c      Customer
		l      *store.Link
		reason Code
		ok     bool
	}{
		{"C-E1 inactive", auvoRec(func(c *Customer) { c.Active = false }), nil, ReasonInactive, false},
		{"C-E2 no document", auvoRec(func(c *Customer) { c.Document = "" }), nil, ReasonNoDocument, false},
		{"C-E5 not a client", auvoRec(func(c *Customer) { c.Client = false }), nil, ReasonNotClientTag, false},
		{"C-E8 locked", auvoRec(nil), &store.Link{State: store.LinkLocked, LockReason: string(ReasonLockedErased)}, ReasonLockedErased, false},
		{"C-E10 linked and inactivated", auvoRec(func(c *Customer) { c.Active = false }), &store.Link{State: store.LinkActive}, ReasonInactive, false},
		{"valid", auvoRec(nil), nil, "", true},
	}
	for _, c := range cases {
		d, ok := admitERP(c.c, c.l, ReasonNotClientTag)
		if ok != c.ok || d.Reason != c.reason {
			t.Errorf("%s: %+v ok=%v", c.name, d, ok)
		}
	}
}

func TestPlaceAuvo(t *testing.T) {
	t.Parallel()
	k := func(id, linkedTo string, deleted bool) Candidate {
		return Candidate{Customer: Customer{ID: id}, LinkedTo: linkedTo, Deleted: deleted}
	}
	cases := []struct {
		name   string
		c      Customer
		cands  []Candidate
		action store.Action
		reason Code
		target string
	}{
		{"C-A4 no match: create", auvoRec(nil), nil, store.ActionCreated, ReasonCreated, ""},
		{"C-A3 unlinked match: link", auvoRec(nil), []Candidate{k("900", "", false)}, store.ActionLinked, ReasonLinkedDocument, "900"},
		{"C-A3 linked elsewhere: create new", auvoRec(nil), []Candidate{k("900", "11", false)}, store.ActionCreated, ReasonCreatedDuplicate, ""},
		{"C-A3 one linked, one free: link the free one", auvoRec(nil), []Candidate{k("900", "11", false), k("901", "", false)}, store.ActionLinked, ReasonLinkedDocument, "901"},
		{"external code names a free match: adopt it", auvoRec(func(c *Customer) { c.ExternalID = "902" }),
			[]Candidate{k("901", "", false), k("902", "", false)}, store.ActionLinked, ReasonLinkedExternal, "902"},
		{"C-A7 match linked to a deleted Auvo customer: lock", auvoRec(nil), []Candidate{k("900", "11", true)}, store.ActionLocked, ReasonLockedDeleted, "900"},
	}
	for _, c := range cases {
		d := placeAuvo(c.c, c.cands)
		if d.Action != c.action || d.Reason != c.reason || d.Target != c.target {
			t.Errorf("%s: %+v", c.name, d)
		}
	}
}

func TestPlaceERP(t *testing.T) {
	t.Parallel()
	e := Customer{ID: "900"}
	k := func(id, ext, linkedTo string) Candidate {
		return Candidate{Customer: Customer{ID: id, ExternalID: ext}, LinkedTo: linkedTo}
	}
	cases := []struct {
		name   string
		cands  []Candidate
		action store.Action
		reason Code
		target string
	}{
		{"C-E4 no match: create", nil, store.ActionCreated, ReasonCreated, ""},
		{"C-E3 same external code: nothing to create", []Candidate{k("10", "900", "")}, store.ActionLinked, ReasonLinkedExternal, "10"},
		{"C-E3 another external code: create new", []Candidate{k("10", "901", "")}, store.ActionCreated, ReasonCreatedDuplicate, ""},
		{"C-E3 no external code: link", []Candidate{k("10", "", "")}, store.ActionLinked, ReasonLinkedDocument, "10"},
		{"C-E3 no external code but a locked link elsewhere: create new", []Candidate{k("10", "", "901")}, store.ActionCreated, ReasonCreatedDuplicate, ""},
	}
	for _, c := range cases {
		d := placeERP(e, c.cands)
		if d.Action != c.action || d.Reason != c.reason || d.Target != c.target {
			t.Errorf("%s: %+v", c.name, d)
		}
	}
}

func TestMergeC_E11(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	base := synced{Auvo: Fields{Name: "A", Email: "a@x", Phone: "1"}, ERP: Fields{Name: "A", Email: "a@x", Phone: "1"}}
	cases := []struct {
		name          string
		auvo, erp     Fields
		auvoAt, erpAt time.Time
		toERP, toAuvo bool
		wantA, wantE  Fields
		conflict      bool
	}{
		{"nothing changed", base.Auvo, base.ERP, t0, t0, true, true, base.Auvo, base.ERP, false},
		{"Auvo changed: copied to the ERP", Fields{Name: "B", Email: "a@x", Phone: "1"}, base.ERP, t0, t0, true, true,
			Fields{Name: "B", Email: "a@x", Phone: "1"}, Fields{Name: "B", Email: "a@x", Phone: "1"}, false},
		{"ERP changed: copied to Auvo", base.Auvo, Fields{Name: "A", Email: "e@x", Phone: "1"}, t0, t0, true, true,
			Fields{Name: "A", Email: "e@x", Phone: "1"}, Fields{Name: "A", Email: "e@x", Phone: "1"}, false},
		{"different fields changed on each side: both kept", Fields{Name: "B", Email: "a@x", Phone: "1"}, Fields{Name: "A", Email: "e@x", Phone: "1"}, t0, t0, true, true,
			Fields{Name: "B", Email: "e@x", Phone: "1"}, Fields{Name: "B", Email: "e@x", Phone: "1"}, false},
		{"same field, ERP later: ERP wins", Fields{Name: "B", Email: "a@x", Phone: "1"}, Fields{Name: "C", Email: "a@x", Phone: "1"}, t0, t0.Add(time.Minute), true, true,
			Fields{Name: "C", Email: "a@x", Phone: "1"}, Fields{Name: "C", Email: "a@x", Phone: "1"}, true},
		{"same field, Auvo later: Auvo wins", Fields{Name: "B", Email: "a@x", Phone: "1"}, Fields{Name: "C", Email: "a@x", Phone: "1"}, t0.Add(time.Minute), t0, true, true,
			Fields{Name: "B", Email: "a@x", Phone: "1"}, Fields{Name: "B", Email: "a@x", Phone: "1"}, true},
		{"same field, same time: Auvo wins", Fields{Name: "B", Email: "a@x", Phone: "1"}, Fields{Name: "C", Email: "a@x", Phone: "1"}, t0, t0, true, true,
			Fields{Name: "B", Email: "a@x", Phone: "1"}, Fields{Name: "B", Email: "a@x", Phone: "1"}, true},
		{"F1 ERP → Auvo off: Auvo never written, ERP's own change not overwritten", Fields{Name: "B", Email: "a@x", Phone: "1"}, Fields{Name: "A", Email: "e@x", Phone: "1"}, t0, t0, true, false,
			Fields{Name: "B", Email: "a@x", Phone: "1"}, Fields{Name: "B", Email: "e@x", Phone: "1"}, false},
	}
	for _, c := range cases {
		m := merge(base, c.auvo, c.erp, c.auvoAt, c.erpAt, c.toERP, c.toAuvo)
		if m.Auvo != c.wantA || m.ERP != c.wantE || m.Conflict() != c.conflict {
			t.Errorf("%s: auvo %+v erp %+v conflict %v", c.name, m.Auvo, m.ERP, m.Conflict())
		}
	}
}

func TestReconcile(t *testing.T) {
	t.Parallel()
	l := store.Link{AuvoID: "10", ERPID: "900", State: store.LinkActive}
	a := auvoRec(func(c *Customer) { c.ExternalID = "900" })
	e := auvoRec(func(c *Customer) { c.ID = "900" })
	cases := []struct {
		name   string
		p      Pair
		action store.Action
		reason Code
	}{
		{"C-E8 Auvo customer deleted: lock", Pair{Link: l, ERP: &e}, store.ActionLocked, ReasonLockedDeleted},
		{"C-E8 external code erased: lock", Pair{Link: l, Auvo: &Customer{ID: "10", Active: true}, ERP: &e}, store.ActionLocked, ReasonLockedErased},
		{"C-A10 ERP customer deleted: lock, nothing recreated", Pair{Link: l, Auvo: &a}, store.ActionLocked, ReasonLockedERPDeleted},
		{"C-E10 ERP side inactive", Pair{Link: l, Auvo: &a, ERP: &Customer{ID: "900"}}, store.ActionSkipped, ReasonInactive},
		{"same fields: unchanged", Pair{Link: l, Auvo: &a, ERP: &e}, store.ActionUnchanged, ""},
	}
	for _, c := range cases {
		d, _ := reconcile(c.p, true, true)
		if d.Action != c.action || d.Reason != c.reason {
			t.Errorf("%s: %+v", c.name, d)
		}
	}
}

func TestOmieIsClientC_E5(t *testing.T) {
	t.Parallel()
	cases := []struct {
		tags []string
		want bool
	}{
		{nil, true},
		{[]string{"Aluga"}, true},
		{[]string{"Cliente", "Fornecedor"}, true},
		{[]string{"cliente"}, true},
		{[]string{"CLIENTE", "Transportadora"}, true},
		{[]string{"Fornecedor"}, false},
		{[]string{"Fornecedor", "Aluga"}, false},
		{[]string{"TRANSPORTADORA"}, false},
	}
	for _, c := range cases {
		var tags []omie.Tag
		for _, s := range c.tags {
			tags = append(tags, omie.Tag{Tag: s})
		}
		if got := omieIsClient(tags); got != c.want {
			t.Errorf("%v: %v", c.tags, got)
		}
	}
}

func TestCursorNeverPassesARetry(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	recs := []Customer{{ID: "1", ChangedAt: t0}, {ID: "2", ChangedAt: t0.Add(time.Minute)}, {ID: "3", ChangedAt: t0.Add(2 * time.Minute)}}
	c := cursor{}.advance(recs, nil, time.Minute)
	if !c.T.Equal(t0.Add(2*time.Minute)) || !c.Seen[seenKey(recs[2])] || !c.Seen[seenKey(recs[1])] || c.Seen[seenKey(recs[0])] {
		t.Fatalf("all done: %+v", c)
	}
	c = cursor{}.advance(recs, map[string]bool{"2": true}, time.Minute)
	if !c.T.Before(recs[1].ChangedAt) || c.Seen[seenKey(recs[1])] {
		t.Fatalf("record 2 to retry: cursor %+v", c)
	}
	if got := c.since(time.Minute); got.After(recs[1].ChangedAt) {
		t.Fatalf("the next listing starts after the failed record: %v", got)
	}
}

func TestReasonsHaveOneMessageEach(t *testing.T) {
	t.Parallel()
	seen := map[Code]bool{}
	for _, r := range Reasons() {
		if seen[r.Code] || r.Message == "" || r.Rule == "" || r.Action == "" {
			t.Errorf("reason %+v: duplicate or incomplete", r)
		}
		seen[r.Code] = true
	}
	if got := message(ReasonLockedERPDeleted, store.Omie, ""); got != "Cliente já integrado antes e excluído no Omie — trava (exclusões não são propagadas); fale com o analista" {
		t.Errorf("message = %q", got)
	}
}
