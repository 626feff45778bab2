package flow_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/store"
)

// erpWorld is what the end-to-end test needs of one ERP's sandbox: seeding customers in each
// role and reading the account back through the sandbox.
type erpWorld interface {
	// seed stores a customer; client false makes it a supplier/carrier only (C-E5, C-E6, C-E7).
	seed(t *testing.T, env *flowtest.Env, name, doc string, client, active bool) string
	// rename edits a customer's name as a user would.
	rename(t *testing.T, env *flowtest.Env, id, name string)
	// customers lists the account's customers: id → normalised document.
	customers(env *flowtest.Env) map[string]string
	// name returns a customer's name.
	name(env *flowtest.Env, id string) string
}

// e2eCounts are the outcomes the scenario must produce, by flow and reason.
type e2eCounts map[string]int

func key(f store.Flow, a store.Action, reason string) string {
	return string(f) + " " + string(a) + " " + reason
}

// runE2E seeds both sandboxes with about 200 customers covering every customer rule, runs cycles
// with both directions on, and checks the exact final state of both accounts, the outcomes, that
// no duplicate was created, and that a quiet cycle writes nothing and lists once per flow and side.
func runE2E(t *testing.T, env *flowtest.Env, w erpWorld) {
	t.Helper()
	const (
		aNew, aNoDoc, aBadDoc, aInactive, aBadAddr, aMatch = 60, 10, 5, 10, 10, 10
		eNew, eSupplier, eInactive, eNoDoc                 = 40, 10, 5, 5
		aDup, aDeleted, aErased, eDupAuvo                  = 5, 3, 3, 4
	)
	addresses := []string{
		"Rua Augusta, 1500, Consolação - São Paulo - SP",
		"Rua Augusta, 1500, Consolação, São Paulo, SP",
		"Rua Augusta, 1500, Consolação - São Paulo - SP, 01304-001",
		"Rua Augusta, 1500, Consolação, São Paulo, SP, 01304-001",
		"Rua Augusta, 1500 - Consolação, São Paulo - SP, 01304-001, Brasil",
	}
	wantOmieDocs := map[string]int{} // document → ERP customers expected
	wantAuvoDocs := map[string]int{} // document → live Auvo customers expected
	var created, matched []auvo.Customer
	for i := range aNew {
		doc := cnpj()
		created = append(created, seedAuvo(t, env, auvo.Customer{Description: fmt.Sprintf("Auvo Novo %03d", i), CPFCNPJ: doc,
			Address: addresses[i%len(addresses)], PhoneNumber: []string{fmt.Sprintf("(11) 9%04d-%04d", i, i)}}))
		wantOmieDocs[doc], wantAuvoDocs[doc] = 1, 1
	}
	for i := range aNoDoc {
		seedAuvo(t, env, auvo.Customer{Description: fmt.Sprintf("Auvo Sem Doc %d", i)})
	}
	for i := range aBadDoc {
		seedAuvo(t, env, auvo.Customer{Description: fmt.Sprintf("Auvo Doc Errado %d", i), CPFCNPJ: "529.982.247-2" + fmt.Sprint(i%5)})
	}
	for i := range aInactive {
		doc := cnpj()
		a := seedAuvo(t, env, auvo.Customer{Description: fmt.Sprintf("Auvo Inativo %d", i), CPFCNPJ: doc})
		editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.Active = false })
		wantAuvoDocs[doc] = 1
	}
	for i := range aBadAddr {
		doc := cnpj()
		seedAuvo(t, env, auvo.Customer{Description: fmt.Sprintf("Auvo Endereço Ruim %d", i), CPFCNPJ: doc, Address: badAddress})
		wantAuvoDocs[doc] = 1
	}
	for i := range aMatch {
		doc := cnpj()
		w.seed(t, env, fmt.Sprintf("Comum %d", i), doc, true, true)
		matched = append(matched, seedAuvo(t, env, auvo.Customer{Description: fmt.Sprintf("Comum %d", i), CPFCNPJ: doc}))
		wantOmieDocs[doc], wantAuvoDocs[doc] = 1, 1
	}
	erpNew := map[string]string{}
	for i := range eNew {
		doc := cnpj()
		erpNew[w.seed(t, env, fmt.Sprintf("ERP Novo %03d", i), doc, true, true)] = doc
		wantOmieDocs[doc], wantAuvoDocs[doc] = 1, 1
	}
	for i := range eSupplier {
		doc := cnpj()
		w.seed(t, env, fmt.Sprintf("Fornecedor %d", i), doc, false, true)
		wantOmieDocs[doc] = 1
	}
	for i := range eInactive {
		doc := cnpj()
		w.seed(t, env, fmt.Sprintf("ERP Inativo %d", i), doc, true, false)
		wantOmieDocs[doc] = 1
	}
	for i := range eNoDoc {
		w.seed(t, env, fmt.Sprintf("ERP Sem Doc %d", i), "", true, true)
	}
	// Auvo customers linked to another ERP record (external code set by an earlier integration):
	// the ERP customer with the same document gets an Auvo customer of its own (C-E3).
	for i := range eDupAuvo {
		doc := cnpj()
		seedAuvo(t, env, auvo.Customer{Description: fmt.Sprintf("Auvo Ligado Fora %d", i), CPFCNPJ: doc, ExternalID: "outro-erp-" + fmt.Sprint(i),
			Address: badAddress})
		w.seed(t, env, fmt.Sprintf("ERP Duplicado %d", i), doc, true, true)
		wantOmieDocs[doc], wantAuvoDocs[doc] = 1, 2
	}

	env.MustCycle()
	env.MustCycle()

	// Second act: duplicates of linked customers, deletions and erased external codes.
	for i := range aDup {
		doc := docOf(created[i])
		seedAuvo(t, env, auvo.Customer{Description: fmt.Sprintf("Auvo Novo %03d (filial)", i), CPFCNPJ: doc})
		wantOmieDocs[doc], wantAuvoDocs[doc] = 2, 2
	}
	for i := range aDeleted {
		a := created[aDup+i]
		if err := env.Auvo.DeleteCustomer(env.AuvoKey, a.ID); err != nil {
			t.Fatal(err)
		}
		seedAuvo(t, env, auvo.Customer{Description: a.Description + " (recriado)", CPFCNPJ: a.CPFCNPJ})
	}
	for i := range aErased {
		editAuvo(t, env, matched[i].ID, func(c *auvo.Customer) { c.ExternalID = ""; c.Description += " sem código" })
	}
	// Real changes on both sides of linked customers.
	for i := range 5 {
		editAuvo(t, env, created[20+i].ID, func(c *auvo.Customer) { c.Description += " alterado no Auvo" })
	}
	n := 0
	for id := range erpNew {
		if n == 5 {
			break
		}
		w.rename(t, env, id, w.name(env, id)+" alterado no ERP")
		n++
	}
	env.MustCycle()
	env.MustCycle()

	// The exact final state of both accounts.
	gotERP := map[string]int{}
	for _, doc := range w.customers(env) {
		gotERP[doc]++
	}
	for doc, want := range wantOmieDocs {
		if gotERP[doc] != want {
			t.Errorf("ERP has %d customers with document %s, want %d", gotERP[doc], doc, want)
		}
	}
	if len(w.customers(env)) != sum(wantOmieDocs)+eNoDoc {
		t.Errorf("ERP has %d customers, want %d", len(w.customers(env)), sum(wantOmieDocs)+eNoDoc)
	}
	gotAuvo := map[string]int{}
	for _, r := range env.Auvo.Customers(env.AuvoKey) {
		if !r.Deleted {
			gotAuvo[docOf(r.Value)]++
		}
	}
	for doc, want := range wantAuvoDocs {
		if gotAuvo[doc] != want {
			t.Errorf("Auvo has %d live customers with document %s, want %d", gotAuvo[doc], doc, want)
		}
	}
	for id, doc := range erpNew {
		a := auvoByDoc(env, doc)
		if len(a) != 1 || a[0].ExternalID != id || a[0].Description != w.name(env, id) {
			t.Errorf("ERP customer %s in Auvo: %+v (ERP name %q)", id, a, w.name(env, id))
		}
	}
	for i := range 5 {
		a := env.AuvoCustomer(created[20+i].ID).Value
		if w.name(env, a.ExternalID) != a.Description {
			t.Errorf("Auvo change not in the ERP: %q vs %q", a.Description, w.name(env, a.ExternalID))
		}
	}

	// The outcomes: every rule, with its reason.
	toERP, toAuvo := store.FlowCustomersToERP, store.FlowCustomersToAuvo
	want := e2eCounts{
		key(toERP, store.ActionCreated, "created"):                   aNew,
		key(toERP, store.ActionLinked, "linked_document"):            aMatch,
		key(toERP, store.ActionSkipped, "no_document"):               aNoDoc,
		key(toERP, store.ActionSkipped, "invalid_document"):          aBadDoc,
		key(toERP, store.ActionSkipped, "inactive"):                  aInactive,
		key(toERP, store.ActionSkipped, "address_pattern"):           aBadAddr + eDupAuvo,
		key(toERP, store.ActionCreated, "created_duplicate"):         aDup,
		key(toERP, store.ActionLocked, "locked_deleted"):             aDeleted,
		key(toERP, store.ActionLocked, "locked_external_erased"):     aErased,
		key(toERP, store.ActionUpdated, "updated"):                   5,
		key(toAuvo, store.ActionCreated, "created"):                  eNew,
		key(toAuvo, store.ActionCreated, "created_duplicate"):        eDupAuvo,
		key(toAuvo, store.ActionSkipped, string(notClientReason(w))): eSupplier,
		key(toAuvo, store.ActionSkipped, "inactive"):                 eInactive,
		key(toAuvo, store.ActionSkipped, "no_document"):              eNoDoc,
		key(toAuvo, store.ActionUpdated, "updated"):                  5,
	}
	got := e2eCounts{}
	for _, o := range env.Outcomes(store.OutcomeFilter{}) {
		got[key(o.Flow, o.Action, o.Reason)]++
		if o.Action == store.ActionSkipped && (o.Reason == "" || o.Message == "") {
			t.Errorf("V2 a skip without its reason: %+v", o)
		}
		if o.Action == store.ActionFailed {
			t.Errorf("failure: %+v", o)
		}
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d outcomes, want %d", k, got[k], n)
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected outcomes %s: %d", k, n)
		}
	}

	// C-E11 and the steady-state cost: quiet cycles write nothing and list once per flow and side.
	for range 2 {
		env.ResetStats()
		env.MustCycle()
		st := env.Stats()
		if wr := flowtest.Writes(st); len(wr) != 0 {
			t.Errorf("writes in a quiet cycle: %v", wr)
		}
		for p, m := range st {
			for method, n := range m {
				if n-m["POST /login"] > 1 && method != "POST /login" {
					t.Errorf("quiet cycle: %s %s called %d times", p, method, n)
				}
			}
		}
	}
}

func docOf(a auvo.Customer) string {
	d, err := br.ParseDocument(a.CPFCNPJ)
	if err != nil {
		return strings.TrimSpace(a.CPFCNPJ)
	}
	return d.Digits
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
