package flow_test

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/store"
)

// Issue 8: a customer changed in Auvo costs one Omie write. The merge (C-E11) takes the Omie side
// from the cycle's one listing or from the link's snapshot, and the write is not read back; its
// echo in the next listing is known by its fingerprint.
func TestChangedCustomersCostOmie(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		const n, bothSides = 50, 5
		env := flowtest.New(t, d, customersOnly(flowtest.Options{}))
		var as []auvo.Customer
		for i := range n {
			as = append(as, seedAuvo(t, env, auvo.Customer{Description: fmt.Sprintf("Custo %02d", i), CPFCNPJ: cnpj(),
				PhoneNumber: []string{"(11) 3333-0000", "(11) 98888-0000"}, Email: []string{"antes@custo.com.br"}}))
		}
		env.MustCycle()
		env.MustCycle()

		for i, a := range as {
			editAuvo(t, env, a.ID, func(c *auvo.Customer) {
				c.Description += " (renomeado)"
				if i%10 == 0 {
					c.PhoneNumber = []string{"(11) 3333-1111"} // one phone left: Omie keeps telefone2
				}
			})
		}
		// A minute later, a few of them get a new e-mail in Omie: the cycle's listing has them, and
		// the merge takes the e-mail from it while the name goes to Omie.
		env.Clock.Advance(time.Minute)
		for _, a := range as[:bothSides] {
			editOmie(t, env, omieNum(t, env, a), func(c *omie.ClienteCadastro) { c.Email = "depois@custo.com.br" })
		}
		env.ResetStats()
		env.MustCycle()
		st := env.Stats()
		want := map[string]int64{"AlterarCliente": n, "ListarClientes": 1}
		if !maps.Equal(st["omie"], want) {
			t.Errorf("Omie calls = %v, want %v: one write per change, one listing, no ConsultarCliente", st["omie"], want)
		}
		if got := st["auvo"]["PUT /customers"]; got != bothSides {
			t.Errorf("Auvo writes = %d, want %d (the e-mails changed in Omie)", got, bothSides)
		}
		for i, a := range as {
			o, _ := env.OmieCustomer(env.AuvoCustomer(a.ID).Value.ExternalID)
			if o.RazaoSocial != a.Description+" (renomeado)" {
				t.Errorf("Omie name %q, want %q", o.RazaoSocial, a.Description+" (renomeado)")
			}
			if i%10 == 0 && (o.Telefone1Numero != "3333-1111" && o.Telefone1Numero != "33331111") {
				t.Errorf("Omie phone 1 = %q %q, want the new one", o.Telefone1DDD, o.Telefone1Numero)
			}
			if ga := env.AuvoCustomer(a.ID).Value; i < bothSides && (len(ga.Email) != 1 || ga.Email[0] != "depois@custo.com.br") {
				t.Errorf("Auvo e-mail %v, want Omie's change", ga.Email)
			}
		}

		// The echoes: every renamed customer is listed again with a new modification time, and
		// none of them is written anywhere, nor reported.
		before := len(env.Outcomes(store.OutcomeFilter{}))
		echoCycles(t, env)
		if after := len(env.Outcomes(store.OutcomeFilter{})); after != before {
			t.Errorf("the echoes left %d outcomes", after-before)
		}
	})
}

// C-E11: when the ERP → Auvo flow passes over an ERP change (here the customer lost its Cliente
// tag, C-E5), the link's snapshot no longer tells what Omie holds, and a later Auvo change of
// the same field is merged with Omie's record as read, so Omie's later change still wins.
func TestSkippedERPChangeStillMergedOmie(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		env := flowtest.New(t, d, customersOnly(flowtest.Options{}))
		a := seedAuvo(t, env, auvo.Customer{Description: "Papel Ltda", CPFCNPJ: cnpj(), Email: []string{"a@papel.com.br"}})
		env.MustCycle()
		id := omieNum(t, env, a)
		// Auvo changes the e-mail; a minute later Omie changes it too and drops the Cliente tag.
		// Auvo's listing fails in the next cycle, so the ERP → Auvo flow sees Omie's change (and
		// skips it: not a customer) before the Auvo → ERP flow sees Auvo's.
		editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.Email = []string{"auvo@papel.com.br"} })
		env.Clock.Advance(time.Minute)
		editOmie(t, env, id, func(c *omie.ClienteCadastro) { c.Email, c.Tags = "omie@papel.com.br", cliente("Fornecedor") })
		failAuvoList := func() {
			t.Helper()
			env.Auvo.Faults().Add(sandbox.Fault{Method: "GET /customers", Kind: sandbox.FaultError, Status: 500, Count: 1})
			if err := env.Cycle(); err == nil {
				t.Fatal("the Auvo listing did not fail")
			}
		}
		failAuvoList()
		wantOutcome(t, outcomeOf(t, env, store.FlowCustomersToAuvo, "", fmt.Sprint(id)), store.ActionSkipped, "not_client_tag")
		// Another Omie change, listed in one more cycle, moves the ERP cursor past the overlap, so
		// the listing no longer has the customer.
		seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Outro", CnpjCpf: cnpj(), Tags: cliente()})
		failAuvoList()
		env.MustCycle()
		if got := omieCustomerByID(t, env, id).Email; got != "omie@papel.com.br" {
			t.Fatalf("Omie e-mail = %q: the older Auvo change overwrote Omie's later one", got)
		}
	})
}

func omieNum(t *testing.T, env *flowtest.Env, a auvo.Customer) int64 {
	t.Helper()
	o, ok := env.OmieCustomer(env.AuvoCustomer(a.ID).Value.ExternalID)
	if !ok {
		t.Fatalf("Auvo customer %d has no Omie customer", a.ID)
	}
	return o.CodigoClienteOmie
}

func omieCustomerByID(t *testing.T, env *flowtest.Env, id int64) omie.ClienteCadastro {
	t.Helper()
	o, ok := env.OmieCustomer(fmt.Sprint(id))
	if !ok {
		t.Fatalf("no Omie customer %d", id)
	}
	return o
}

// Issue 8 for the ERPs whose lists leave fields out: a customer renamed in Auvo costs Conta Azul
// one PATCH (the person is read first only when the address changes) and Bling one PUT and the
// read its whole-record PUT needs; the merge reads nothing else, and the echoes write nothing.
func TestChangedCustomersCostPartialLists(t *testing.T) {
	t.Parallel()
	const n = 10
	for _, c := range []struct {
		erp     store.ERP
		partner string
		want    map[string]int64
	}{
		{store.ContaAzul, "contaazul", map[string]int64{"PATCH /v1/pessoas/{id}": n, "GET /v1/pessoas": 1}},
		{store.Bling, "bling", map[string]int64{"PUT /contatos/{id}": n, "GET /contatos/{id}": n, "GET /contatos": 1}},
	} {
		t.Run(string(c.erp), func(t *testing.T) {
			t.Parallel()
			flowtest.Each(t, func(t *testing.T, d store.Dialect) {
				env := flowtest.New(t, d, customersOnly(flowtest.Options{ERP: c.erp}))
				var as []auvo.Customer
				for i := range n {
					as = append(as, seedAuvo(t, env, auvo.Customer{Description: fmt.Sprintf("Parcial %02d", i), CPFCNPJ: cnpj(),
						PhoneNumber: []string{"(11) 3333-0000"}}))
				}
				env.MustCycle()
				env.MustCycle()
				for _, a := range as {
					editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.Description += " (renomeado)" })
				}
				env.ResetStats()
				env.MustCycle()
				got := env.Stats()[c.partner]
				delete(got, "POST /oauth/token")
				delete(got, "POST /oauth2/token")
				if !maps.Equal(got, c.want) {
					t.Errorf("%s calls = %v, want %v", c.partner, got, c.want)
				}
				echoCycles(t, env)
			})
		})
	}
}

// echoCycles runs the two cycles after a burst of writes: the echoes are listed and neither
// written back nor read one by one.
func echoCycles(t *testing.T, env *flowtest.Env) {
	t.Helper()
	for range 2 {
		env.ResetStats()
		env.MustCycle()
		st := env.Stats()
		if w := flowtest.Writes(st); len(w) != 0 {
			t.Errorf("the echoes were written back: %v", w)
		}
		if n := st["omie"]["ConsultarCliente"]; n != 0 {
			t.Errorf("an echo cycle read %d Omie customers one by one", n)
		}
	}
}
