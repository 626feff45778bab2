package flow_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/store"
)

type blingWorld struct{}

func seedContact(t *testing.T, env *flowtest.Env, ct bling.Contact, types ...string) string {
	t.Helper()
	if ct.PersonType == "" {
		ct.PersonType = bling.PersonCompany
	}
	if ct.Status == "" {
		ct.Status = bling.StatusActive
	}
	if ct.Addresses == nil {
		ct.Addresses = &bling.Addresses{Main: &bling.Address{Street: "Rua XV de Novembro", Number: "200", District: "Centro",
			City: "Curitiba", State: "PR", ZIP: "80020-310"}}
	}
	for _, ty := range types {
		ct.Types = append(ct.Types, bling.ContactType{ID: env.Bling.TypeID(env.BlingAccount, ty), Description: ty})
	}
	id, err := env.Bling.SeedContact(env.BlingAccount, ct)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(id, 10)
}

func (blingWorld) seed(t *testing.T, env *flowtest.Env, name, doc string, client, active bool) string {
	ct := bling.Contact{Name: name, Document: doc}
	if !active {
		ct.Status = bling.StatusInactive
	}
	types := []string{"Cliente"}
	if !client {
		types = []string{"Fornecedor"}
	}
	return seedContact(t, env, ct, types...)
}

func (blingWorld) rename(t *testing.T, env *flowtest.Env, id, name string) {
	n, _ := strconv.ParseInt(id, 10, 64)
	if err := env.Bling.EditContact(env.BlingAccount, n, func(c *bling.Contact) { c.Name = name }); err != nil {
		t.Fatal(err)
	}
}

func (blingWorld) customers(env *flowtest.Env) map[string]string {
	out := map[string]string{}
	for _, c := range env.Bling.Contacts(env.BlingAccount) {
		if c.Contact.Status == bling.StatusDeleted {
			continue
		}
		d, _ := br.ParseDocument(c.Contact.Document)
		out[strconv.FormatInt(c.Contact.ID, 10)] = d.Digits
	}
	return out
}

func (blingWorld) name(env *flowtest.Env, id string) string {
	return contact(env, id).Name
}

func contact(env *flowtest.Env, id string) bling.Contact {
	for _, c := range env.Bling.Contacts(env.BlingAccount) {
		if strconv.FormatInt(c.Contact.ID, 10) == id {
			return c.Contact
		}
	}
	return bling.Contact{}
}

func TestEndToEndBling(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		runE2E(t, flowtest.New(t, d, customersOnly(flowtest.Options{ERP: store.Bling})), blingWorld{})
	})
}

func TestCustomersBling(t *testing.T) {
	t.Parallel()
	bl := customersOnly(flowtest.Options{ERP: store.Bling})

	t.Run("C-E7 Bling contact types decide who is a customer", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, bl)
			checkRoles(t, env, []roleCase{
				{nil, true},
				{[]string{"Cliente"}, true},
				{[]string{"Cliente", "Fornecedor"}, true},
				{[]string{"Fornecedor"}, false},
				{[]string{"Fornecedor", "Transportador"}, false},
			}, "not_client_type", func(roles []string) string {
				return seedContact(t, env, bling.Contact{Name: "Tipos " + strings.Join(roles, "+"), Document: cnpj()}, roles...)
			})
		})
	})

	t.Run("C-A4 C-A8 a customer created in Bling with type Cliente and its changes", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, bl)
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Bling Novo", CPFCNPJ: doc, Email: []string{"b@novo.com.br"},
				Address: "Rua Augusta, 1500, Sala 3, Consolação, São Paulo, SP, 01304-001"})
			env.MustCycle()
			ext := env.AuvoCustomer(a.ID).Value.ExternalID
			ct := contact(env, ext)
			if ct.Name != "Bling Novo" || ct.Email != "b@novo.com.br" || ct.Addresses == nil || ct.Addresses.Main == nil ||
				ct.Addresses.Main.Street != "Rua Augusta" || ct.Addresses.Main.Complement != "Sala 3" || !blingHasType(ct, "Cliente") ||
				ct.Code != "auvo-"+auvoID(a) {
				t.Fatalf("Bling contact = %+v", ct)
			}
			editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.Description = "Bling Alterado" })
			env.MustCycle()
			if got := contact(env, ext).Name; got != "Bling Alterado" {
				t.Fatalf("C-A8 Bling name = %q", got)
			}
			env.ResetStats()
			env.MustCycle()
			env.MustCycle()
			if w := flowtest.Writes(env.Stats()); len(w) != 0 {
				t.Fatalf("C-E11 writes in quiet cycles: %v", w)
			}
		})
	})
}

func blingHasType(ct bling.Contact, desc string) bool {
	for _, t := range ct.Types {
		if br.Fold(t.Description) == br.Fold(desc) {
			return true
		}
	}
	return false
}
