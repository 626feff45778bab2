package flow_test

import (
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/contaazul"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/store"
)

type contaAzulWorld struct{}

func seedPessoa(t *testing.T, env *flowtest.Env, p contaazul.Pessoa) contaazul.Pessoa {
	t.Helper()
	if p.TipoPessoa == "" {
		p.TipoPessoa = contaazul.TipoJuridica
	}
	if len(p.Perfis) == 0 {
		p.Perfis = []contaazul.Perfil{{TipoPerfil: contaazul.PerfilCliente}}
	}
	if p.Enderecos == nil {
		p.Enderecos = []contaazul.Endereco{{Logradouro: "Av. Paulista", Numero: "1000", Complemento: "Conj. 5", Bairro: "Bela Vista",
			Cidade: "São Paulo", Estado: "SP", CEP: "01310-100", Pais: "Brasil"}}
	}
	if p.Documento != "" {
		if d, err := br.ParseDocument(p.Documento); err == nil {
			p.Documento = d.Formatted()
		}
	}
	saved, err := env.ContaAzul.SeedPessoa(env.CAAccount, p)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

func (contaAzulWorld) seed(t *testing.T, env *flowtest.Env, name, doc string, client, active bool) string {
	p := contaazul.Pessoa{Nome: name, Documento: doc, Ativo: active}
	if !client {
		p.Perfis = []contaazul.Perfil{{TipoPerfil: contaazul.PerfilFornecedor}, {TipoPerfil: contaazul.PerfilTransportadora}}
	}
	return seedPessoa(t, env, p).ID
}

func (contaAzulWorld) rename(t *testing.T, env *flowtest.Env, id, name string) {
	if _, err := env.ContaAzul.EditPessoa(env.CAAccount, id, func(p *contaazul.Pessoa) { p.Nome = name }); err != nil {
		t.Fatal(err)
	}
}

func (contaAzulWorld) customers(env *flowtest.Env) map[string]string {
	out := map[string]string{}
	for _, p := range env.ContaAzul.Pessoas(env.CAAccount) {
		d, _ := br.ParseDocument(p.Documento)
		out[p.ID] = d.Digits
	}
	return out
}

func (contaAzulWorld) name(env *flowtest.Env, id string) string {
	for _, p := range env.ContaAzul.Pessoas(env.CAAccount) {
		if p.ID == id {
			return p.Nome
		}
	}
	return ""
}

func pessoa(env *flowtest.Env, id string) contaazul.Pessoa {
	for _, p := range env.ContaAzul.Pessoas(env.CAAccount) {
		if p.ID == id {
			return p
		}
	}
	return contaazul.Pessoa{}
}

func TestEndToEndContaAzul(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		runE2E(t, flowtest.New(t, d, customersOnly(flowtest.Options{ERP: store.ContaAzul})), contaAzulWorld{})
	})
}

func TestCustomersContaAzul(t *testing.T) {
	t.Parallel()
	ca := customersOnly(flowtest.Options{ERP: store.ContaAzul})

	t.Run("C-E6 Conta Azul profiles decide who is a customer", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, ca)
			ids := checkRoles(t, env, []roleCase{
				{[]string{"Cliente"}, true},
				{[]string{"Cliente", "Fornecedor", "Transportadora"}, true},
				{[]string{"Fornecedor"}, false},
				{[]string{"Fornecedor", "Transportadora"}, false},
			}, "not_client_profile", func(roles []string) string {
				var ps []contaazul.Perfil
				for _, p := range roles {
					ps = append(ps, contaazul.Perfil{TipoPerfil: p})
				}
				return seedPessoa(t, env, contaazul.Pessoa{Nome: "Perfis " + strings.Join(roles, "+"), Documento: cnpj(), Ativo: true, Perfis: ps}).ID
			})
			// Until it becomes a customer: the supplier gets the Cliente profile.
			if _, err := env.ContaAzul.EditPessoa(env.CAAccount, ids[2], func(p *contaazul.Pessoa) {
				p.Perfis = append(p.Perfis, contaazul.Perfil{TipoPerfil: contaazul.PerfilCliente})
			}); err != nil {
				t.Fatal(err)
			}
			env.MustCycle()
			wantOutcome(t, outcomeOf(t, env, store.FlowCustomersToAuvo, "", ids[2]), store.ActionCreated, "created")
		})
	})

	t.Run("C-A5 address patterns AD-C1 to AD-C9 are accepted for Conta Azul, others refused; no ping-pong", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, ca)
			accepted := map[string]string{
				"AD-C1": "Rua Augusta, 1500, Apto 52, Consolação, SP, 01304-001",
				"AD-C2": "Rua Oscar Freire, 379/12, Jardins, São Paulo, SP, 01426-001",
				"AD-C3": "Rua Tabapuã, 649, Conj. 12, Itaim Bibi - SP, 04533-012",
				"AD-C4": "Rua Haddock Lobo, 595 Apto 101, Cerqueira César, São Paulo, SP, 01414-001",
				"AD-C5": "Rua Bela Cintra, 1200, Apto 81, Consolação, SP",
				"AD-C6": "Rua Vergueiro, 3185, Vila Mariana, SP, 04101-300",
				"AD-C7": "Rua Frei Caneca - 569 - Apto 34 - Consolação - SP - 01307-001",
				"AD-C8": "Rua Pamplona, Apto 23, Jardim Paulista, São Paulo - SP, 01405-000, Brasil",
				"AD-C9": "Rua Treze de Maio, Bela Vista, São Paulo-SP, 01327-000, Brasil",
			}
			checkAddresses(t, env, accepted)
			env.MustCycle()
			env.ResetStats()
			env.MustCycle()
			if w := flowtest.Writes(env.Stats()); len(w) != 0 {
				t.Fatalf("C-E11 writes in a quiet cycle: %v", w)
			}
		})
	})

	t.Run("C-A8 C-E9 Conta Azul syncs name, phone, address, e-mail and observação both ways", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env := flowtest.New(t, d, ca)
			doc := cnpj()
			a := seedAuvo(t, env, auvo.Customer{Description: "Obs Ltda", CPFCNPJ: doc, Note: "cliente desde 2019",
				Address: "Rua Augusta, 1500, Sala 3, Consolação, São Paulo, SP, 01304-001", PhoneNumber: []string{"11987654321"}})
			env.MustCycle()
			ext := env.AuvoCustomer(a.ID).Value.ExternalID
			p := pessoa(env, ext)
			if p.Observacao != "cliente desde 2019" || len(p.Enderecos) != 1 || p.Enderecos[0].Complemento != "Sala 3" || p.Enderecos[0].Logradouro != "Rua Augusta" {
				t.Fatalf("created in Conta Azul: %+v", p)
			}
			editAuvo(t, env, a.ID, func(c *auvo.Customer) { c.Note = "visita às terças"; c.Email = []string{"obs@ltda.com.br"} })
			env.MustCycle()
			if p := pessoa(env, ext); p.Observacao != "visita às terças" || p.Email != "obs@ltda.com.br" {
				t.Fatalf("C-A8 Conta Azul = %q %q", p.Observacao, p.Email)
			}
			if _, err := env.ContaAzul.EditPessoa(env.CAAccount, ext, func(p *contaazul.Pessoa) { p.Observacao = "mudou no Conta Azul" }); err != nil {
				t.Fatal(err)
			}
			env.MustCycle()
			if got := env.AuvoCustomer(a.ID).Value.Note; got != "mudou no Conta Azul" {
				t.Fatalf("C-E9 Auvo note = %q", got)
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
