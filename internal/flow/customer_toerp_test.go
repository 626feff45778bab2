package flow_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/store"
)

// oneWay turns ERP → Auvo off, so a test sees the Auvo → ERP flow alone.
var oneWay = flowtest.Options{Off: []store.Flow{store.FlowCustomersToAuvo}}

func TestCustomersAuvoToOmie(t *testing.T) {
	t.Parallel()
	const flowAE = store.FlowCustomersToERP

	t.Run("C-A1 inactive Auvo customer is not integrated", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			a := seedAuvo(t, env, auvo.Customer{Description: "Inativa Ltda", CPFCNPJ: cnpj()})
			editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.Active = false })
			env.MustCycle()
			if n := len(env.Omie.Customers(env.OmieKey)); n != 0 {
				t.Fatalf("Omie has %d customers", n)
			}
			wantOutcome(t, outcomeOf(t, env, flowAE, auvoID(a), ""), store.ActionSkipped, "inactive")
		})
	})

	t.Run("C-A2 customer without document or with an invalid one is not integrated, no ERP call", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			none := seedAuvo(t, env, auvo.Customer{Description: "Sem Documento"})
			bad := seedAuvo(t, env, auvo.Customer{Description: "Documento Errado", CPFCNPJ: "11.222.333/0001-82"})
			env.MustCycle()
			if n := len(env.Stats()["omie"]); n != 0 {
				t.Fatalf("Omie was called: %v", env.Stats()["omie"])
			}
			o := outcomeOf(t, env, flowAE, auvoID(none), "")
			wantOutcome(t, o, store.ActionSkipped, "no_document")
			if o.Message != "Cliente sem CPF/CNPJ — não integrado" {
				t.Errorf("V2 message = %q", o.Message)
			}
			wantOutcome(t, outcomeOf(t, env, flowAE, auvoID(bad), ""), store.ActionSkipped, "invalid_document")
		})
	})

	t.Run("C-A3 document exists in Omie and is unlinked: link, external code written", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			doc := cnpj()
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Oficina Beta", CnpjCpf: doc})
			a := seedAuvo(t, env, auvo.Customer{Description: "Oficina Beta", CPFCNPJ: doc})
			env.MustCycle()
			if got := env.AuvoCustomer(a.ID).Value.ExternalID; got != omieID(o) {
				t.Fatalf("externalId = %q, want %q", got, omieID(o))
			}
			if n := len(omieByDoc(env, doc)); n != 1 {
				t.Fatalf("Omie has %d customers with the document", n)
			}
			wantOutcome(t, outcomeOf(t, env, flowAE, auvoID(a), ""), store.ActionLinked, "linked_document")
		})
	})

	t.Run("C-A3 document exists in Omie and is linked elsewhere: create new", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			doc := cnpj()
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Matriz", CnpjCpf: doc})
			seedAuvo(t, env, auvo.Customer{Description: "Matriz", CPFCNPJ: doc})
			env.MustCycle()
			second := seedAuvo(t, env, auvo.Customer{Description: "Matriz (filial)", CPFCNPJ: doc})
			env.MustCycle()
			list := omieByDoc(env, doc)
			if len(list) != 2 {
				t.Fatalf("Omie has %d customers with the document, want 2", len(list))
			}
			ext := env.AuvoCustomer(second.ID).Value.ExternalID
			if ext == "" || ext == omieID(o) {
				t.Fatalf("second Auvo customer's externalId = %q", ext)
			}
			wantOutcome(t, outcomeOf(t, env, flowAE, auvoID(second), ""), store.ActionCreated, "created_duplicate")
		})
	})

	t.Run("C-A3 Omie refuses the duplicate: clear error, retried only after a change", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(flowtest.Options{Off: oneWay.Off, Omie: omiesandbox.AccountOptions{RefuseDuplicateDocument: true}}))
			doc := cnpj()
			seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Matriz", CnpjCpf: doc})
			seedAuvo(t, env, auvo.Customer{Description: "Matriz", CPFCNPJ: doc})
			env.MustCycle()
			second := seedAuvo(t, env, auvo.Customer{Description: "Matriz (filial)", CPFCNPJ: doc})
			env.ResetStats()
			env.MustCycle()
			o := outcomeOf(t, env, flowAE, auvoID(second), "")
			wantOutcome(t, o, store.ActionFailed, "erp_duplicate_refused")
			if !strings.Contains(o.Message, "já cadastrado para o CPF/CNPJ") {
				t.Errorf("V3 the partner's message is missing: %q", o.Message)
			}
			if n := calls(env, "omie", "IncluirCliente"); n != 1 {
				t.Fatalf("IncluirCliente called %d times, want 1", n)
			}
			env.ResetStats()
			env.MustCycle()
			env.MustCycle()
			if n := calls(env, "omie", "IncluirCliente"); n != 0 {
				t.Fatalf("retried without a change: IncluirCliente called %d times", n)
			}
			editAuvo(t, env, second.ID, func(c *auvo.Customer) { c.Description = "Matriz - Filial 2" })
			env.MustCycle()
			if n := calls(env, "omie", "IncluirCliente"); n != 1 {
				t.Fatalf("after a change IncluirCliente called %d times, want 1", n)
			}
		})
	})

	t.Run("C-A4 no Omie customer with the document: created, linked, idempotency key set", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Nova Ltda", CPFCNPJ: doc, PhoneNumber: []string{"(11) 98765-4321"},
				Email: []string{"contato@nova.com.br"}, AdressComplement: "Sala 2"})
			env.MustCycle()
			list := omieByDoc(env, doc)
			if len(list) != 1 {
				t.Fatalf("Omie has %d customers", len(list))
			}
			c := list[0]
			if c.RazaoSocial != "Nova Ltda" || c.Endereco != "Rua das Flores" || c.EnderecoNumero != "100" || c.Bairro != "Centro" ||
				c.Estado != "SP" || c.Telefone1DDD != "11" || c.Email != "contato@nova.com.br" || c.Complemento != "Sala 2" {
				t.Fatalf("Omie customer = %+v", c)
			}
			if c.CodigoClienteIntegracao != "auvo-"+auvoID(a) {
				t.Errorf("integration code = %q", c.CodigoClienteIntegracao)
			}
			if got := env.AuvoCustomer(a.ID).Value.ExternalID; got != omieID(c) {
				t.Fatalf("externalId = %q, want %q", got, omieID(c))
			}
			wantOutcome(t, outcomeOf(t, env, flowAE, auvoID(a), ""), store.ActionCreated, "created")
		})
	})

	t.Run("C-A5 address patterns AD-O1 to AD-O4 are accepted, others are refused with the patterns", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			accepted := map[string]string{
				"AD-O1":    "Rua Augusta, 1500, Consolação - São Paulo - SP",
				"AD-O2":    "Rua Augusta, 1500, Consolação, São Paulo, SP",
				"AD-O3":    "Rua Augusta, 1500, Consolação - São Paulo - SP, 01304-001",
				"AD-O4":    "Rua Augusta, 1500, Consolação, São Paulo, SP, 01304-001",
				"geocoder": "Rua Augusta, 1500 - Consolação, São Paulo - SP, 01304-001, Brasil",
			}
			// AD-R3, AD-R4: a Conta Azul line without the city is refused for Omie naming the
			// missing field, with the line to paste into Auvo.
			noCity := seedAuvo(t, env, auvo.Customer{Description: "Sem Cidade", CPFCNPJ: cnpj(), Address: "Rua Vergueiro, 3185, Vila Mariana, SP, 04101-300"})
			o := checkAddresses(t, env, accepted)
			if !strings.Contains(o.Message, "Endereço fora do padrão") || !strings.Contains(o.Message, "Logradouro") {
				t.Errorf("message does not name the accepted patterns: %q", o.Message)
			}
			nc := outcomeOf(t, env, flowAE, auvoID(noCity), "")
			wantOutcome(t, nc, store.ActionSkipped, "address_pattern")
			for _, s := range []string{"Falta a cidade", "Escreva assim: `Rua Vergueiro, 3185, Vila Mariana, Cidade - SP, 04101-300` (falta: cidade)"} {
				if !strings.Contains(nc.Message, s) {
					t.Errorf("AD-R3/AD-R4: run-log message lacks %q: %q", s, nc.Message)
				}
			}
			if n := len(env.Omie.Customers(env.OmieKey)); n != len(accepted) {
				t.Errorf("Omie has %d customers, want %d", n, len(accepted))
			}
		})
	})

	t.Run("C-A7 deleted in Auvo after linking and created again: lock, talk to the analyst; operator release integrates it", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			doc := cnpj()
			first := seedAuvo(t, env, auvo.Customer{Description: "Renascida Ltda", CPFCNPJ: doc})
			env.MustCycle()
			if err := env.Auvo.DeleteCustomer(env.AuvoKey, first.ID); err != nil {
				t.Fatal(err)
			}
			again := seedAuvo(t, env, auvo.Customer{Description: "Renascida Ltda", CPFCNPJ: doc})
			env.MustCycle()
			o := outcomeOf(t, env, flowAE, auvoID(again), "")
			wantOutcome(t, o, store.ActionLocked, "locked_deleted")
			if !strings.Contains(o.Message, "fale com o analista") {
				t.Errorf("V2 message = %q", o.Message)
			}
			if n := len(omieByDoc(env, doc)); n != 1 {
				t.Fatalf("Omie has %d customers with the document, want 1", n)
			}
			if ext := env.AuvoCustomer(again.ID).Value.ExternalID; ext != "" {
				t.Fatalf("locked customer got externalId %q", ext)
			}
			ctx := context.Background()
			locks, err := env.Store.Locks(ctx, env.In.TenantID, env.In.ID)
			if err != nil || len(locks) != 1 || locks[0].AuvoID != auvoID(first) {
				t.Fatalf("locks = %+v, %v", locks, err)
			}
			if err := env.Store.ReleaseLock(ctx, env.In.TenantID, env.In.ID, locks[0].ID, "analista@ponte"); err != nil {
				t.Fatal(err)
			}
			editAuvo(t, env, again.ID, func(c *auvo.Customer) { c.Note = "liberado" })
			env.MustCycle()
			wantOutcome(t, outcomeOf(t, env, flowAE, auvoID(again), ""), store.ActionLinked, "linked_document")
			if ext := env.AuvoCustomer(again.ID).Value.ExternalID; ext != omieID(omieByDoc(env, doc)[0]) {
				t.Fatalf("released customer's externalId = %q", ext)
			}
		})
	})

	t.Run("C-A7 external code erased in Auvo after linking: lock, no update", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Apagada Ltda", CPFCNPJ: doc})
			env.MustCycle()
			editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.ExternalID = ""; c.Description = "Apagada SA" })
			env.ResetStats()
			env.MustCycle()
			wantOutcome(t, outcomeOf(t, env, flowAE, auvoID(a), ""), store.ActionLocked, "locked_external_erased")
			if w := flowtest.Writes(env.Stats()); len(w) != 0 {
				t.Fatalf("writes after the lock: %v", w)
			}
			if l, ok := env.Link(a.ID); !ok || l.State != store.LinkLocked {
				t.Fatalf("link = %+v", l)
			}
			if c := omieByDoc(env, doc); len(c) != 1 || c[0].RazaoSocial != "Apagada Ltda" {
				t.Fatalf("Omie = %+v", c)
			}
		})
	})

	t.Run("C-A8 changes in Auvo reach Omie: name, phone, address, complement, e-mail; external code kept", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Antes Ltda", CPFCNPJ: doc})
			env.MustCycle()
			ext := env.AuvoCustomer(a.ID).Value.ExternalID
			editAuvo(t, env, a.ID, func(c *auvo.Customer) {
				c.Description, c.PhoneNumber, c.Email = "Depois Ltda", []string{"(21) 3333-4444"}, []string{"novo@depois.com.br"}
				c.Address, c.AdressComplement = "Av. Rio Branco, 50, Centro, Rio de Janeiro, RJ, 20090-000", "Loja 3"
			})
			env.MustCycle()
			c := omieByDoc(env, doc)[0]
			if c.RazaoSocial != "Depois Ltda" || c.Telefone1DDD != "21" || c.Email != "novo@depois.com.br" || c.Endereco != "Av. Rio Branco" ||
				c.Estado != "RJ" || c.Complemento != "Loja 3" {
				t.Fatalf("Omie = %+v", c)
			}
			if got := env.AuvoCustomer(a.ID).Value.ExternalID; got != ext {
				t.Fatalf("external code changed %q → %q", ext, got)
			}
			o := outcomeOf(t, env, flowAE, auvoID(a), "")
			wantOutcome(t, o, store.ActionUpdated, "updated")
			if !strings.Contains(o.Diff, "Depois Ltda") {
				t.Errorf("diff = %s", o.Diff)
			}
		})
	})

	t.Run("C-A9 inactivated in Auvo: Omie no longer updated nor inactivated; reactivated: updates resume", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(oneWay))
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Pausada Ltda", CPFCNPJ: doc})
			env.MustCycle()
			editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.Active = false; c.Description = "Pausada (inativa)" })
			env.MustCycle()
			c := omieByDoc(env, doc)[0]
			if c.RazaoSocial != "Pausada Ltda" || c.Inativo.Bool() {
				t.Fatalf("Omie changed: %q inativo=%v", c.RazaoSocial, c.Inativo)
			}
			wantOutcome(t, outcomeOf(t, env, flowAE, auvoID(a), ""), store.ActionSkipped, "inactive")
			if l, _ := env.Link(a.ID); l.State != store.LinkInactive {
				t.Fatalf("link state = %s", l.State)
			}
			editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.Active = true; c.Description = "Pausada Reativada" })
			env.MustCycle()
			if c := omieByDoc(env, doc)[0]; c.RazaoSocial != "Pausada Reativada" {
				t.Fatalf("after reactivation Omie = %q", c.RazaoSocial)
			}
		})
	})

	t.Run("C-A10 F4 deletion in Auvo is not propagated", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(flowtest.Options{}))
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Excluída Ltda", CPFCNPJ: doc})
			env.MustCycle()
			if err := env.Auvo.DeleteCustomer(env.AuvoKey, a.ID); err != nil {
				t.Fatal(err)
			}
			env.ResetStats()
			env.MustCycle()
			env.MustCycle()
			if w := flowtest.Writes(env.Stats()); len(w) != 0 {
				t.Fatalf("writes after a deletion: %v", w)
			}
			if c := omieByDoc(env, doc); len(c) != 1 || c[0].Inativo.Bool() {
				t.Fatalf("Omie = %+v", c)
			}
		})
	})
}
