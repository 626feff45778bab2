package flow_test

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/store"
)

// Addresses used by the tests: one accepted by every ERP, one by none.
const (
	goodAddress = "Rua das Flores, 100, Centro, São Paulo, SP, 01001-000"
	badAddress  = "Perto da padaria do João"
)

var (
	docMu  sync.Mutex
	docRng = rand.New(rand.NewPCG(7, 11))
)

// cnpj returns a fresh valid CNPJ, digits only.
func cnpj() string {
	docMu.Lock()
	defer docMu.Unlock()
	return br.GenerateCNPJ(docRng)
}

// seedAuvo stores an active Auvo customer, with the good address unless another is given.
func seedAuvo(t *testing.T, env *flowtest.Env, c auvo.Customer) auvo.Customer {
	t.Helper()
	if c.Address == "" {
		c.Address = goodAddress
	}
	c.Active = true
	saved, err := env.Auvo.SeedCustomer(env.AuvoKey, c)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

func seedOmie(t *testing.T, env *flowtest.Env, c omie.ClienteCadastro) omie.ClienteCadastro {
	t.Helper()
	if c.Endereco == "" {
		c.Endereco, c.EnderecoNumero, c.Bairro, c.Cidade, c.Estado, c.Cep = "Av. Brasil", "500", "Jardins", "SAO PAULO (SP)", "SP", "01430001"
	}
	saved, err := env.Omie.SeedCustomer(env.OmieKey, c)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

func editAuvo(t *testing.T, env *flowtest.Env, id int64, edit func(*auvo.Customer)) {
	t.Helper()
	if _, err := env.Auvo.EditCustomer(env.AuvoKey, id, edit); err != nil {
		t.Fatal(err)
	}
}

func editOmie(t *testing.T, env *flowtest.Env, id int64, edit func(*omie.ClienteCadastro)) {
	t.Helper()
	if _, err := env.Omie.EditCustomer(env.OmieKey, id, edit); err != nil {
		t.Fatal(err)
	}
}

func omieID(c omie.ClienteCadastro) string { return strconv.FormatInt(c.CodigoClienteOmie, 10) }

func auvoID(c auvo.Customer) string { return strconv.FormatInt(c.ID, 10) }

// omieByDoc returns the Omie customers with the document.
func omieByDoc(env *flowtest.Env, doc string) []omie.ClienteCadastro {
	return omieByDocIn(env.Omie, env.OmieKey, doc)
}

func omieByDocIn(om *omiesandbox.Server, appKey, doc string) []omie.ClienteCadastro {
	var out []omie.ClienteCadastro
	for _, c := range om.Customers(appKey) {
		if d, err := br.ParseDocument(c.CnpjCpf); err == nil && d.Digits == doc {
			out = append(out, c)
		}
	}
	return out
}

// auvoByDoc returns the live Auvo customers with the document.
func auvoByDoc(env *flowtest.Env, doc string) []auvo.Customer {
	return auvoByDocIn(env.Auvo, env.AuvoKey, doc)
}

func auvoByDocIn(au *auvosandbox.Server, apiKey, doc string) []auvo.Customer {
	var out []auvo.Customer
	for _, r := range au.Customers(apiKey) {
		if d, err := br.ParseDocument(r.Value.CPFCNPJ); err == nil && d.Digits == doc && !r.Deleted {
			out = append(out, r.Value)
		}
	}
	return out
}

// outcomeOf returns the newest outcome of a record in a flow (by Auvo id or ERP id).
func outcomeOf(t *testing.T, env *flowtest.Env, f store.Flow, auvoID, erpID string) store.Outcome {
	t.Helper()
	for _, o := range env.Outcomes(store.OutcomeFilter{Flow: f}) {
		if (auvoID != "" && o.AuvoID == auvoID) || (erpID != "" && o.ERPID == erpID) {
			return o
		}
	}
	t.Fatalf("no outcome in %s for auvo %q erp %q; outcomes: %+v", f, auvoID, erpID, env.Outcomes(store.OutcomeFilter{}))
	return store.Outcome{}
}

func wantOutcome(t *testing.T, o store.Outcome, action store.Action, reason string) {
	t.Helper()
	if o.Action != action || o.Reason != reason {
		t.Fatalf("outcome = %s/%s (%s), want %s/%s", o.Action, o.Reason, o.Message, action, reason)
	}
}

func calls(env *flowtest.Env, partner, method string) int64 {
	return env.Stats()[partner][method]
}

func hasCallPrefix(m map[string]int64, prefixes ...string) bool {
	for k := range m {
		if slices.ContainsFunc(prefixes, func(p string) bool { return len(k) >= len(p) && k[:len(p)] == p }) {
			return true
		}
	}
	return false
}

// customersOnly turns off every flow but the two customer flows, so call counts and writes are
// the customer flows' own.
func customersOnly(o flowtest.Options) flowtest.Options {
	o.Off = append(append([]store.Flow(nil), o.Off...), store.FlowProducts, store.FlowStock, store.FlowTasks, store.FlowQuotes)
	return o
}

// roleCase is one combination of an ERP's roles (tags, profiles, contact types) and whether it
// makes a customer (C-E5, C-E6, C-E7).
type roleCase struct {
	roles []string
	in    bool
}

// checkRoles seeds one ERP record per case, runs a cycle and checks which entered Auvo and which
// were skipped with reason. It returns the records' ids.
func checkRoles(t *testing.T, env *flowtest.Env, cases []roleCase, reason string, seed func(roles []string) string) []string {
	t.Helper()
	ids := make([]string, len(cases))
	for i, c := range cases {
		ids[i] = seed(c.roles)
	}
	env.MustCycle()
	for i, c := range cases {
		o := outcomeOf(t, env, store.FlowCustomersToAuvo, "", ids[i])
		if c.in && o.Action != store.ActionCreated {
			t.Errorf("roles %v: %s %s, want created", c.roles, o.Action, o.Message)
		}
		if !c.in && (o.Action != store.ActionSkipped || o.Reason != reason) {
			t.Errorf("roles %v: %s %s, want skipped %s", c.roles, o.Action, o.Reason, reason)
		}
	}
	return ids
}

// checkAddresses seeds one Auvo customer per accepted address and one with badAddress, runs a
// cycle and checks the accepted ones were created in the ERP and the other refused (C-A5). It
// returns the refusal.
func checkAddresses(t *testing.T, env *flowtest.Env, accepted map[string]string) store.Outcome {
	t.Helper()
	ids := map[string]int64{}
	for p, addr := range accepted {
		ids[p] = seedAuvo(t, env, auvo.Customer{Description: "Cliente " + p, CPFCNPJ: cnpj(), Address: addr}).ID
	}
	bad := seedAuvo(t, env, auvo.Customer{Description: "Fora do Padrão", CPFCNPJ: cnpj(), Address: badAddress})
	env.MustCycle()
	for p, id := range ids {
		o := outcomeOf(t, env, store.FlowCustomersToERP, strconv.FormatInt(id, 10), "")
		if o.Action != store.ActionCreated {
			t.Errorf("%s %q: %s %s", p, accepted[p], o.Action, o.Message)
		}
	}
	o := outcomeOf(t, env, store.FlowCustomersToERP, auvoID(bad), "")
	wantOutcome(t, o, store.ActionSkipped, "address_pattern")
	return o
}
