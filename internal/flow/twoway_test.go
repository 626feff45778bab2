package flow_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/store"
)

func TestTwoWayOmie(t *testing.T) {
	t.Parallel()

	t.Run("C-E11 a change reaches the other side once and does not come back; a quiet cycle writes nothing", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(flowtest.Options{}))
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Eco Ltda", CPFCNPJ: doc})
			env.MustCycle()
			editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.Description = "Eco Ltda (nova razão)" })
			env.ResetStats()
			env.MustCycle()
			if n := calls(env, "omie", "AlterarCliente"); n != 1 {
				t.Fatalf("AlterarCliente = %d, want 1", n)
			}
			if n := calls(env, "auvo", "PUT /customers"); n != 0 {
				t.Fatalf("the change bounced back to Auvo: %v", env.Stats()["auvo"])
			}
			for range 2 {
				env.ResetStats()
				env.MustCycle()
				if w := flowtest.Writes(env.Stats()); len(w) != 0 {
					t.Fatalf("ping-pong: writes in a quiet cycle: %v", w)
				}
			}
			if c := omieByDoc(env, doc)[0]; c.RazaoSocial != "Eco Ltda (nova razão)" {
				t.Fatalf("Omie = %q", c.RazaoSocial)
			}
		})
	})

	t.Run("C-E11 both sides changed: each field keeps the later change, and the run log says so", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(flowtest.Options{}))
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Conflito Ltda", CPFCNPJ: doc, Email: []string{"a@conflito.com.br"}})
			env.MustCycle()
			o := omieByDoc(env, doc)[0]
			// Auvo changes name and e-mail first; a minute later Omie changes the e-mail and the phone.
			editAuvo(t, env, a.ID, func(c *auvo.Customer) {
				c.Description, c.Email = "Conflito Auvo", []string{"auvo@conflito.com.br"}
			})
			env.Clock.Advance(time.Minute)
			editOmie(t, env, o.CodigoClienteOmie, func(c *omie.ClienteCadastro) {
				c.Email, c.Telefone1DDD, c.Telefone1Numero = "omie@conflito.com.br", "11", "4004-1234"
			})
			env.MustCycle()
			env.MustCycle()
			ga, gomie := env.AuvoCustomer(a.ID).Value, omieByDoc(env, doc)[0]
			if ga.Description != "Conflito Auvo" || gomie.RazaoSocial != "Conflito Auvo" {
				t.Errorf("name: Auvo %q Omie %q, want Auvo's change on both", ga.Description, gomie.RazaoSocial)
			}
			if len(ga.Email) != 1 || ga.Email[0] != "omie@conflito.com.br" || gomie.Email != "omie@conflito.com.br" {
				t.Errorf("e-mail: Auvo %v Omie %q, want Omie's later change on both", ga.Email, gomie.Email)
			}
			if len(ga.PhoneNumber) != 1 || ga.PhoneNumber[0] != "1140041234" {
				t.Errorf("phone: Auvo %v, want Omie's change", ga.PhoneNumber)
			}
			oc := outcomeOf(t, env, store.FlowCustomersToERP, auvoID(a), "")
			wantOutcome(t, oc, store.ActionUpdated, "updated_conflict")
			if !strings.Contains(oc.Diff, `"conflito":true`) || !strings.Contains(oc.Message, "vale o mais recente") {
				t.Errorf("run log does not show the conflict: %s / %s", oc.Message, oc.Diff)
			}
			env.ResetStats()
			env.MustCycle()
			if w := flowtest.Writes(env.Stats()); len(w) != 0 {
				t.Fatalf("writes after settling: %v", w)
			}
		})
	})

	t.Run("C-A6 F2 steady state: a cycle without changes lists once per flow and side and writes nothing", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(flowtest.Options{}))
			for i := range 30 {
				seedAuvo(t, env, auvo.Customer{Description: "Cliente A" + string(rune('a'+i%26)), CPFCNPJ: cnpj()})
				seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Cliente O" + string(rune('a'+i%26)), CnpjCpf: cnpj(), Tags: cliente()})
			}
			env.MustCycle()
			for range 3 {
				env.ResetStats()
				env.MustCycle()
				st := env.Stats()
				// A login means the sandbox expired the token on the test clock while the client, on
				// the real clock, still held it: the refused list call is made again once.
				if n := st["auvo"]["GET /customers"] - st["auvo"]["POST /login"]; n > 1 {
					t.Errorf("Auvo list calls = %d: %v", n, st)
				}
				if n := st["omie"]["ListarClientes"]; n > 1 {
					t.Errorf("Omie list calls = %d", n)
				}
				if w := flowtest.Writes(st); len(w) != 0 {
					t.Errorf("writes: %v", w)
				}
				if len(st["omie"]) > 1 || len(st["auvo"]) > 2 { // the list, and Auvo's login when its token expires
					t.Errorf("calls: %v", st)
				}
			}
		})
	})

	t.Run("V1 V3 a transient partner error fails the record, keeps it, and the next cycle integrates it", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Instável Ltda", CPFCNPJ: doc})
			env.Omie.Faults().Add(sandbox.Fault{Method: "IncluirCliente", Kind: sandbox.FaultError, Status: 500, Count: 1})
			if err := env.Cycle(); err != nil {
				t.Fatalf("cycle: %v", err)
			}
			wantOutcome(t, outcomeOf(t, env, store.FlowCustomersToERP, auvoID(a), ""), store.ActionFailed, "partner_error")
			runs, err := env.Store.Runs(context.Background(), env.In.TenantID, env.In.ID, store.FlowCustomersToERP, 1, 0)
			if err != nil || len(runs) != 1 || runs[0].Counts.Failed != 1 || runs[0].Counts.Read != 1 || runs[0].Status != "done" {
				t.Fatalf("V1 run = %+v, %v", runs, err)
			}
			env.MustCycle()
			env.MustCycle()
			if n := len(omieByDoc(env, doc)); n != 1 {
				t.Fatalf("Omie has %d customers with the document, want exactly 1", n)
			}
			wantOutcome(t, outcomeOf(t, env, store.FlowCustomersToERP, auvoID(a), ""), store.ActionCreated, "created")
		})
	})

	t.Run("V3 throttling stops the cycle with RetryAfter and loses nothing", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			var docs []string
			for range 5 {
				doc := cnpj()
				docs = append(docs, doc)
				seedAuvo(t, env, auvo.Customer{Description: "Vazão " + doc[:4], CPFCNPJ: doc})
			}
			env.Omie.Faults().Add(sandbox.Fault{Method: "ListarClientes", Kind: sandbox.FaultThrottle, Count: 1})
			err := env.Cycle()
			if partner.RetryAfterOf(err) <= 0 {
				t.Fatalf("cycle error %v has no RetryAfter: the job would not snooze", err)
			}
			runs, _ := env.Store.Runs(context.Background(), env.In.TenantID, env.In.ID, store.FlowCustomersToERP, 1, 0)
			if len(runs) != 1 || runs[0].Status != "throttled" {
				t.Fatalf("run = %+v", runs)
			}
			env.MustCycle()
			for _, doc := range docs {
				if n := len(omieByDoc(env, doc)); n != 1 {
					t.Fatalf("document %s: %d Omie customers", doc, n)
				}
			}
		})
	})

	t.Run("A3 rejected credentials put the integration in error with the reason", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(flowtest.Options{}))
			ctx := context.Background()
			cr := env.In.Credentials
			cr.OmieAppSecret = "errado"
			if err := env.Store.SaveIntegrationSetup(ctx, env.In.TenantID, env.In.ID, env.In.Config, cr); err != nil {
				t.Fatal(err)
			}
			seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "X", CnpjCpf: cnpj(), Tags: cliente()})
			if err := env.Cycle(); partner.KindOf(err) != partner.KindAuth {
				t.Fatalf("cycle error = %v", err)
			}
			in, _ := env.Store.IntegrationByID(ctx, env.In.TenantID, env.In.ID)
			if in.State != store.StateError || !strings.Contains(in.StateReason, "Credenciais recusadas") {
				t.Fatalf("integration = %s %q", in.State, in.StateReason)
			}
			env.ResetStats()
			if err := env.Cycle(); err != nil {
				t.Fatalf("a cycle of an integration in error: %v", err)
			}
			if st := env.Stats(); len(st["omie"]) != 0 || len(st["auvo"]) != 0 {
				t.Fatalf("calls while in error: %v", st)
			}
		})
	})
}

func TestDeletionsOmie(t *testing.T) {
	t.Parallel()

	t.Run("C-A10 F4 deletion in Omie is not propagated and the customer is not recreated there", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(flowtest.Options{}))
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Some do Omie", CPFCNPJ: doc})
			env.MustCycle()
			o := omieByDoc(env, doc)[0]
			if err := env.Omie.DeleteCustomer(env.OmieKey, o.CodigoClienteOmie); err != nil {
				t.Fatal(err)
			}
			editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.Description = "Some do Omie SA" })
			env.ResetStats()
			env.MustCycle()
			env.MustCycle()
			// The engine no longer reads the Omie customer before writing it (issue 8): the one
			// AlterarCliente Omie refuses is how the deletion is found. Nothing else is written.
			w := flowtest.Writes(env.Stats())
			if w["omie AlterarCliente"] > 1 {
				t.Fatalf("the deleted customer was written again after its link locked: %v", w)
			}
			delete(w, "omie AlterarCliente")
			if len(w) != 0 {
				t.Fatalf("writes after the ERP deletion: %v", w)
			}
			if len(omieByDoc(env, doc)) != 0 {
				t.Fatalf("the customer deleted in Omie was created there again")
			}
			if got := env.AuvoCustomer(a.ID); got.Deleted || !got.Value.Active {
				t.Fatalf("Auvo customer touched: %+v", got)
			}
			wantOutcome(t, outcomeOf(t, env, store.FlowCustomersToERP, auvoID(a), ""), store.ActionLocked, "locked_erp_deleted")
		})
	})

	t.Run("V3 a transient failure of a listing fails the attempt for River to retry and the next cycle reads the records", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			doc := cnpj()
			seedAuvo(t, env, auvo.Customer{Description: "Lista Instável", CPFCNPJ: doc})
			env.Auvo.Faults().Add(sandbox.Fault{Method: "GET /customers", Kind: sandbox.FaultError, Status: 500, Count: 1})
			err := env.Cycle()
			// Not a snooze (that is for throttles): River's attempts count it, with backoff, and
			// the tenant is alerted when they run out.
			if partner.KindOf(err) != partner.KindTransient || partner.RetryAfterOf(err) != 0 {
				t.Fatalf("cycle error = %v (retry after %v)", err, partner.RetryAfterOf(err))
			}
			env.MustCycle()
			if n := len(omieByDoc(env, doc)); n != 1 {
				t.Fatalf("Omie has %d customers with the document", n)
			}
		})
	})
}

// The engine never creates twice: a run that stops between the ERP create and the link (here
// the external code cannot be written to Auvo) finds the created customer by document next
// time and links it.
func TestIdempotentCreateOmie(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		env := flowtest.New(t, d, customersOnly(oneWay))
		doc := cnpj()
		a := seedAuvo(t, env, auvo.Customer{Description: "Meio Caminho", CPFCNPJ: doc})
		env.Auvo.Faults().Add(sandbox.Fault{Method: "PATCH /customers/{id}", Kind: sandbox.FaultError, Status: 500, Count: 1})
		env.MustCycle()
		wantOutcome(t, outcomeOf(t, env, store.FlowCustomersToERP, auvoID(a), ""), store.ActionFailed, "partner_error")
		env.MustCycle()
		list := omieByDoc(env, doc)
		if len(list) != 1 {
			t.Fatalf("Omie has %d customers with the document, want 1", len(list))
		}
		if got := env.AuvoCustomer(a.ID).Value.ExternalID; got != omieID(list[0]) {
			t.Fatalf("externalId = %q, want %q", got, omieID(list[0]))
		}
		wantOutcome(t, outcomeOf(t, env, store.FlowCustomersToERP, auvoID(a), ""), store.ActionLinked, "linked_document")
	})
}
