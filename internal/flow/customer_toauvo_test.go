package flow_test

import (
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// fromERP turns Auvo → ERP off, so a test sees the ERP → Auvo flow alone.
var fromERP = flowtest.Options{Off: []store.Flow{store.FlowCustomersToERP}}

func cliente(tags ...string) []omie.Tag {
	if len(tags) == 0 {
		tags = []string{"Cliente"}
	}
	var out []omie.Tag
	for _, t := range tags {
		out = append(out, omie.Tag{Tag: t})
	}
	return out
}

func TestCustomersOmieToAuvo(t *testing.T) {
	t.Parallel()
	const flowEA = store.FlowCustomersToAuvo

	t.Run("C-E1 inactive Omie customer is not integrated", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(fromERP))
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Inativa", CnpjCpf: cnpj(), Inativo: omie.Sim, Tags: cliente()})
			env.MustCycle()
			if n := len(env.Auvo.Customers(env.AuvoKey)); n != 0 {
				t.Fatalf("Auvo has %d customers", n)
			}
			wantOutcome(t, outcomeOf(t, env, flowEA, "", omieID(o)), store.ActionSkipped, "inactive")
		})
	})

	t.Run("C-E2 Omie customer without document is not integrated", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(fromERP))
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Sem Doc", Tags: cliente()})
			env.MustCycle()
			if n := len(env.Auvo.Customers(env.AuvoKey)); n != 0 {
				t.Fatalf("Auvo has %d customers", n)
			}
			wantOutcome(t, outcomeOf(t, env, flowEA, "", omieID(o)), store.ActionSkipped, "no_document")
		})
	})

	t.Run("C-E3 Auvo customer with the document and this external code: nothing created", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(fromERP))
			doc := cnpj()
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Já Ligada", CnpjCpf: doc, Tags: cliente()})
			a := seedAuvo(t, env, auvo.Customer{Description: "Já Ligada", CPFCNPJ: doc, ExternalID: omieID(o)})
			env.ResetStats()
			env.MustCycle()
			if n := len(auvoByDoc(env, doc)); n != 1 {
				t.Fatalf("Auvo has %d customers with the document", n)
			}
			if w := flowtest.Writes(env.Stats()); len(w) != 0 {
				t.Fatalf("writes: %v", w)
			}
			wantOutcome(t, outcomeOf(t, env, flowEA, auvoID(a), ""), store.ActionLinked, "linked_external")
		})
	})

	t.Run("C-E3 Auvo customer with the document and another external code: new Auvo customer", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(fromERP))
			doc := cnpj()
			seedAuvo(t, env, auvo.Customer{Description: "Outra", CPFCNPJ: doc, ExternalID: "999"})
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Filial Omie", CnpjCpf: doc, Tags: cliente()})
			env.MustCycle()
			list := auvoByDoc(env, doc)
			if len(list) != 2 {
				t.Fatalf("Auvo has %d customers with the document, want 2", len(list))
			}
			o2 := outcomeOf(t, env, flowEA, "", omieID(o))
			wantOutcome(t, o2, store.ActionCreated, "created_duplicate")
			for _, a := range list {
				if a.ExternalID != "999" && a.ExternalID != omieID(o) {
					t.Fatalf("new Auvo customer externalId = %q", a.ExternalID)
				}
			}
		})
	})

	t.Run("C-E3 Auvo customer with the document and no external code: linked", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(fromERP))
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Sem Código", CPFCNPJ: doc})
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Sem Código", CnpjCpf: doc, Tags: cliente()})
			env.MustCycle()
			if got := env.AuvoCustomer(a.ID).Value.ExternalID; got != omieID(o) {
				t.Fatalf("externalId = %q", got)
			}
			if n := len(auvoByDoc(env, doc)); n != 1 {
				t.Fatalf("Auvo has %d customers", n)
			}
			wantOutcome(t, outcomeOf(t, env, flowEA, "", omieID(o)), store.ActionLinked, "linked_document")
		})
	})

	t.Run("C-E4 no Auvo customer with the document: created with the external code", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(fromERP))
			doc := cnpj()
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Nova do Omie", CnpjCpf: doc, Tags: cliente(),
				Telefone1DDD: "11", Telefone1Numero: "3333-4444", Email: "nova@omie.com.br", Complemento: "Bloco B"})
			env.MustCycle()
			list := auvoByDoc(env, doc)
			if len(list) != 1 {
				t.Fatalf("Auvo has %d customers", len(list))
			}
			a := list[0]
			if a.ExternalID != omieID(o) || a.Description != "Nova do Omie" || !strings.HasPrefix(a.Address, "Av. Brasil, 500, Jardins") ||
				len(a.PhoneNumber) != 1 || a.PhoneNumber[0] != "1133334444" || a.AdressComplement != "Bloco B" || !a.Active {
				t.Fatalf("Auvo customer = %+v", a)
			}
			wantOutcome(t, outcomeOf(t, env, flowEA, "", omieID(o)), store.ActionCreated, "created")
		})
	})

	t.Run("C-E5 Omie tags decide who is a customer", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(fromERP))
			checkRoles(t, env, []roleCase{
				{nil, true},
				{[]string{"Aluga", "Tag 08092022"}, true},
				{[]string{"Cliente", "Fornecedor", "Transportadora"}, true},
				{[]string{"CLIENTE"}, true},
				{[]string{"Fornecedor"}, false},
				{[]string{"Transportadora", "Aluga"}, false},
				{[]string{"fornecedor", "transportadora"}, false},
			}, "not_client_tag", func(roles []string) string {
				tags := []omie.Tag{}
				for _, tg := range roles {
					tags = append(tags, omie.Tag{Tag: tg})
				}
				return omieID(seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Tags " + strings.Join(roles, "+"), CnpjCpf: cnpj(), Tags: tags}))
			})
		})
	})

	t.Run("C-E8 Omie customer whose Auvo customer was deleted is not recreated: lock", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(fromERP))
			doc := cnpj()
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Some do Auvo", CnpjCpf: doc, Tags: cliente()})
			env.MustCycle()
			a := auvoByDoc(env, doc)[0]
			if err := env.Auvo.DeleteCustomer(env.AuvoKey, a.ID); err != nil {
				t.Fatal(err)
			}
			editOmie(t, env, o.CodigoClienteOmie, func(c *omie.ClienteCadastro) { c.RazaoSocial = "Some do Auvo SA" })
			env.ResetStats()
			env.MustCycle()
			o2 := outcomeOf(t, env, flowEA, "", omieID(o))
			wantOutcome(t, o2, store.ActionLocked, "locked_deleted")
			if w := flowtest.Writes(env.Stats()); len(w) != 0 {
				t.Fatalf("writes: %v", w)
			}
			if n := len(auvoByDoc(env, doc)); n != 0 {
				t.Fatalf("recreated in Auvo: %d", n)
			}
			editOmie(t, env, o.CodigoClienteOmie, func(c *omie.ClienteCadastro) { c.Email = "x@y.com.br" })
			env.MustCycle()
			if n := len(auvoByDoc(env, doc)); n != 0 {
				t.Fatalf("recreated in Auvo after the lock: %d", n)
			}
		})
	})

	t.Run("C-E8 Omie customer whose Auvo external code was erased: lock, no update", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(fromERP))
			doc := cnpj()
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Código Apagado", CnpjCpf: doc, Tags: cliente()})
			env.MustCycle()
			a := auvoByDoc(env, doc)[0]
			editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.ExternalID = "" })
			editOmie(t, env, o.CodigoClienteOmie, func(c *omie.ClienteCadastro) { c.RazaoSocial = "Código Apagado SA" })
			env.MustCycle()
			wantOutcome(t, outcomeOf(t, env, flowEA, "", omieID(o)), store.ActionLocked, "locked_external_erased")
			if got := env.AuvoCustomer(a.ID).Value; got.Description != "Código Apagado" || got.ExternalID != "" {
				t.Fatalf("Auvo = %+v", got)
			}
		})
	})

	t.Run("C-E9 changes in Omie reach Auvo: name, phone, address, complement, e-mail", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(fromERP))
			doc := cnpj()
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Antes Omie", CnpjCpf: doc, Tags: cliente()})
			env.MustCycle()
			editOmie(t, env, o.CodigoClienteOmie, func(c *omie.ClienteCadastro) {
				c.RazaoSocial, c.Email, c.Telefone1DDD, c.Telefone1Numero = "Depois Omie", "depois@omie.com.br", "31", "99876-5432"
				c.Endereco, c.EnderecoNumero, c.Bairro, c.Cidade, c.Estado, c.Cep = "Rua da Bahia", "1000", "Lourdes", "BELO HORIZONTE (MG)", "MG", "30160011"
				c.Complemento = "Andar 4"
			})
			env.MustCycle()
			a := auvoByDoc(env, doc)[0]
			if a.Description != "Depois Omie" || a.Email[0] != "depois@omie.com.br" || a.PhoneNumber[0] != "31998765432" ||
				!strings.HasPrefix(a.Address, "Rua da Bahia, 1000, Lourdes, BELO HORIZONTE - MG, 30160-011") || a.AdressComplement != "Andar 4" ||
				a.ExternalID != omieID(o) {
				t.Fatalf("Auvo = %+v", a)
			}
			wantOutcome(t, outcomeOf(t, env, flowEA, "", omieID(o)), store.ActionUpdated, "updated")
		})
	})

	t.Run("C-E10 inactivated in Omie: Auvo no longer updated, its status unchanged", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, customersOnly(fromERP))
			doc := cnpj()
			o := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Vai Parar", CnpjCpf: doc, Tags: cliente()})
			env.MustCycle()
			editOmie(t, env, o.CodigoClienteOmie, func(c *omie.ClienteCadastro) { c.Inativo = omie.Sim; c.RazaoSocial = "Parou" })
			env.MustCycle()
			a := auvoByDoc(env, doc)[0]
			if a.Description != "Vai Parar" || !a.Active {
				t.Fatalf("Auvo changed: %+v", a)
			}
			wantOutcome(t, outcomeOf(t, env, flowEA, "", omieID(o)), store.ActionSkipped, "inactive")
		})
	})
}
