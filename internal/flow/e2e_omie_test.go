package flow_test

import (
	"strconv"
	"testing"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/flow"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

type omieWorld struct{}

func (omieWorld) seed(t *testing.T, env *flowtest.Env, name, doc string, client, active bool) string {
	tags := cliente()
	if !client {
		tags = cliente("Fornecedor", "Transportadora")
	}
	c := omie.ClienteCadastro{RazaoSocial: name, CnpjCpf: doc, Tags: tags}
	if !active {
		c.Inativo = omie.Sim
	}
	return omieID(seedOmie(t, env, c))
}

func (omieWorld) rename(t *testing.T, env *flowtest.Env, id, name string) {
	n, _ := strconv.ParseInt(id, 10, 64)
	editOmie(t, env, n, func(c *omie.ClienteCadastro) { c.RazaoSocial = name })
}

func (omieWorld) customers(env *flowtest.Env) map[string]string {
	out := map[string]string{}
	for _, c := range env.Omie.Customers(env.OmieKey) {
		d, _ := br.ParseDocument(c.CnpjCpf)
		out[omieID(c)] = d.Digits
	}
	return out
}

func (omieWorld) name(env *flowtest.Env, id string) string {
	c, _ := env.OmieCustomer(id)
	return c.RazaoSocial
}

func notClientReason(w erpWorld) flow.Code {
	switch w.(type) {
	case omieWorld:
		return flow.ReasonNotClientTag
	case contaAzulWorld:
		return flow.ReasonNotClientProfile
	case blingWorld:
		return flow.ReasonNotClientType
	}
	return ""
}

func TestEndToEndOmie(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		runE2E(t, flowtest.New(t, d, customersOnly(flowtest.Options{})), omieWorld{})
	})
}
