package flow_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/jobs"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

func reprocess(t *testing.T, env *flowtest.Env, f store.Flow, outcome int64) {
	t.Helper()
	err := env.Engine.Reprocess(context.Background(), jobs.ReprocessArgs{IntegrationID: int64(env.In.ID),
		TenantID: int64(env.In.TenantID), Flow: f, OutcomeID: outcome, At: time.Now()})
	if err != nil {
		t.Fatalf("reprocess: %v", err)
	}
}

// TestReprocessOP2 proves OP2: a skipped record is read again from Auvo though the cursor moved
// past it, and its new outcome is a new run-log entry in a run of its own; reprocessing never
// creates a second ERP record, records a repeated skip, reports a record gone from the partner
// with a clear reason and creates nothing, keeps a lock until an operator releases it, and
// "Reprocessar ignorados" takes every skipped record of the flow.
func TestReprocessOP2(t *testing.T) {
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		env := flowtest.New(t, d, flowtest.Options{})
		fixed := seedAuvo(t, env, auvo.Customer{Description: "Padaria Pão Quente", CPFCNPJ: cnpj(), Address: badAddress})
		still := seedAuvo(t, env, auvo.Customer{Description: "Oficina Sem Número", CPFCNPJ: cnpj(), Address: badAddress})
		gone := seedAuvo(t, env, auvo.Customer{Description: "Mercado Fechado", CPFCNPJ: cnpj(), Address: badAddress})
		ok := seedAuvo(t, env, auvo.Customer{Description: "Clínica Boa Saúde", CPFCNPJ: cnpj()})
		env.MustCycle()
		env.MustCycle() // the cursor is past every record now
		skipped := outcomeOf(t, env, store.FlowCustomersToERP, auvoID(fixed), "")
		wantOutcome(t, skipped, store.ActionSkipped, "address_pattern")

		// The user fixes the address; the record is reprocessed from its run-log line.
		editAuvo(t, env, fixed.ID, func(c *auvo.Customer) { c.Address = goodAddress })
		runs := runCount(t, env)
		reprocess(t, env, store.FlowCustomersToERP, skipped.ID)
		got := outcomeOf(t, env, store.FlowCustomersToERP, auvoID(fixed), "")
		wantOutcome(t, got, store.ActionCreated, "created")
		if got.ID == skipped.ID || got.RunID == skipped.RunID || runCount(t, env) != runs+1 {
			t.Fatalf("the reprocessing is not a new entry of a new run: %+v after %+v", got, skipped)
		}
		if n := len(omieByDoc(env, fixed.CPFCNPJ)); n != 1 {
			t.Fatalf("%d Omie customers for the fixed record, want 1", n)
		}

		// Again, and after the next cycle: found, never created twice.
		reprocess(t, env, store.FlowCustomersToERP, got.ID)
		wantOutcome(t, outcomeOf(t, env, store.FlowCustomersToERP, auvoID(fixed), ""), store.ActionUnchanged, "reprocess_unchanged")
		env.MustCycle()
		reprocess(t, env, store.FlowCustomersToERP, outcomeOf(t, env, store.FlowCustomersToERP, auvoID(ok), "").ID)
		if n, m := len(omieByDoc(env, fixed.CPFCNPJ)), len(omieByDoc(env, ok.CPFCNPJ)); n != 1 || m != 1 {
			t.Fatalf("Omie customers: %d and %d, want 1 each", n, m)
		}

		// Gone from Auvo: a clear reason, nothing created.
		goneOut := outcomeOf(t, env, store.FlowCustomersToERP, auvoID(gone), "")
		if err := env.Auvo.DeleteCustomer(env.AuvoKey, gone.ID); err != nil {
			t.Fatal(err)
		}
		reprocess(t, env, store.FlowCustomersToERP, goneOut.ID)
		g := outcomeOf(t, env, store.FlowCustomersToERP, auvoID(gone), "")
		wantOutcome(t, g, store.ActionSkipped, "reprocess_gone")
		if g.Message == "" || len(omieByDoc(env, gone.CPFCNPJ)) != 0 {
			t.Fatalf("a record gone from Auvo: %+v, Omie has %d", g, len(omieByDoc(env, gone.CPFCNPJ)))
		}

		// "Reprocessar ignorados": the one still out of pattern gets a new entry (repeating the
		// skip, which a cycle would leave out), the gone one its reason again.
		before := len(env.Outcomes(store.OutcomeFilter{Flow: store.FlowCustomersToERP}))
		reprocess(t, env, store.FlowCustomersToERP, 0)
		after := env.Outcomes(store.OutcomeFilter{Flow: store.FlowCustomersToERP})
		if len(after) != before+2 {
			t.Fatalf("reprocessing the skipped records added %d entries, want 2: %+v", len(after)-before, after[:len(after)-before])
		}
		wantOutcome(t, outcomeOf(t, env, store.FlowCustomersToERP, auvoID(still), ""), store.ActionSkipped, "address_pattern")
	})
}

// TestReprocessOP2Locks: a reprocessed record whose link is locked stays locked (a new entry
// says so); once an operator released the lock, reprocessing decides it afresh.
func TestReprocessOP2Locks(t *testing.T) {
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		env := flowtest.New(t, d, flowtest.Options{})
		a := seedAuvo(t, env, auvo.Customer{Description: "Some do Omie SA", CPFCNPJ: cnpj()})
		env.MustCycle()
		l, found := env.Link(a.ID)
		if !found {
			t.Fatal("not linked")
		}
		n, _ := strconv.ParseInt(l.ERPID, 10, 64)
		if err := env.Omie.DeleteCustomer(env.OmieKey, n); err != nil {
			t.Fatal(err)
		}
		editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.Description = "Some do Omie Ltda" })
		env.MustCycle()
		locked := outcomeOf(t, env, store.FlowCustomersToERP, auvoID(a), "")
		wantOutcome(t, locked, store.ActionLocked, "locked_erp_deleted")

		reprocess(t, env, store.FlowCustomersToERP, locked.ID)
		again := outcomeOf(t, env, store.FlowCustomersToERP, auvoID(a), "")
		if again.ID == locked.ID || again.Action != store.ActionLocked || len(omieByDoc(env, a.CPFCNPJ)) != 0 {
			t.Fatalf("a locked record reprocessed: %+v; Omie has %d", again, len(omieByDoc(env, a.CPFCNPJ)))
		}

		l, _ = env.Link(a.ID)
		if err := env.Store.ReleaseLock(ctx, env.In.TenantID, env.In.ID, l.ID, "analista@ponte"); err != nil {
			t.Fatal(err)
		}
		reprocess(t, env, store.FlowCustomersToERP, again.ID)
		wantOutcome(t, outcomeOf(t, env, store.FlowCustomersToERP, auvoID(a), ""), store.ActionCreated, "created")
		if n := len(omieByDoc(env, a.CPFCNPJ)); n != 1 {
			t.Fatalf("%d Omie customers after the release, want 1", n)
		}
	})
}

// TestReprocessOP2ERPToAuvo: the ERP → Auvo flow reprocesses a skipped ERP record read again from
// the ERP, once the user fixed it there.
func TestReprocessOP2ERPToAuvo(t *testing.T) {
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		env := flowtest.New(t, d, flowtest.Options{})
		o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Sem Documento Ltda", NomeFantasia: "Sem Documento",
			Inativo: omie.Nao, Tags: []omie.Tag{{Tag: "Cliente"}}})
		env.MustCycle()
		id := omieID(o)
		skipped := outcomeOf(t, env, store.FlowCustomersToAuvo, "", id)
		wantOutcome(t, skipped, store.ActionSkipped, "no_document")
		doc := cnpj()
		editOmie(t, env, o.CodigoClienteOmie, func(c *omie.ClienteCadastro) { c.CnpjCpf = doc })
		reprocess(t, env, store.FlowCustomersToAuvo, skipped.ID)
		wantOutcome(t, outcomeOf(t, env, store.FlowCustomersToAuvo, "", id), store.ActionCreated, "created")
		if n := len(auvoByDoc(env, doc)); n != 1 {
			t.Fatalf("%d Auvo customers, want 1", n)
		}
	})
}
