package blingsandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/br"
)

// place is a real street in a real district, so seeded addresses look like what Ponte meets.
type place struct {
	street, district, city, uf, cep string
}

func places() []place {
	return []place{
		{"Rua Olavo Bilac", "Imigrante", "Bento Gonçalves", "RS", "95702-000"},
		{"Avenida Paulista", "Bela Vista", "São Paulo", "SP", "01310-100"},
		{"Rua da Consolação", "Consolação", "São Paulo", "SP", "01301-000"},
		{"Rua XV de Novembro", "Centro", "Curitiba", "PR", "80020-310"},
		{"Avenida Afonso Pena", "Centro", "Belo Horizonte", "MG", "30130-001"},
		{"Rua Voluntários da Pátria", "Botafogo", "Rio de Janeiro", "RJ", "22270-000"},
		{"Avenida Sete de Setembro", "Centro", "Salvador", "BA", "40060-001"},
		{"Rua Felipe Schmidt", "Centro", "Florianópolis", "SC", "88010-001"},
		{"Avenida Goiás", "Setor Central", "Goiânia", "GO", "74005-010"},
		{"Rua do Bom Jesus", "Recife", "Recife", "PE", "50030-170"},
		{"Avenida Dom Luís", "Meireles", "Fortaleza", "CE", "60160-230"},
		{"Rua Marechal Deodoro", "Centro", "Joinville", "SC", "89201-100"},
		{"Avenida Brasil", "Centro", "Campinas", "SP", "13013-000"},
		{"Rua Sete de Setembro", "Centro", "Porto Alegre", "RS", "90010-190"},
	}
}

// seedDemo fills a fresh state with the demo app and two accounts; callers hold s.mu.
func (s *Sandbox) seedDemo() {
	s.newApp(App{ClientID: DemoClientID, ClientSecret: DemoClientSecret, RedirectURI: DemoRedirectURI})
	r := rand.New(rand.NewPCG(2026, 5))
	s.seedAccount(s.newAccount("Refrigeração Polar Ltda (demo)"), r, 48)
	s.seedAccount(s.newAccount("Elétrica Horizonte ME (demo)"), r, 12)
}

// seedAccount adds n contacts with the mix a field-service company's Bling holds: clients
// (companies and people), suppliers, carriers, contacts that are client and supplier, contacts
// with no type, some inactive, one deleted, and a technician. Modification times are spread over
// the last 90 days so dataAlteracaoInicial filters select something.
func (s *Sandbox) seedAccount(accountID int64, r *rand.Rand, n int) {
	a := s.st.accounts[accountID]
	typ := func(d string) bling.ContactType { t, _ := bling.FindType(a.types, d); return t }
	client, supplier, carrier, tech := typ("Cliente"), typ("Fornecedor"), typ("Transportador"), typ("Técnico")
	companies := []string{"Padaria Pão Dourado", "Supermercado Bom Preço", "Clínica Sorriso", "Hotel Vista Mar",
		"Restaurante Sabor Caseiro", "Farmácia Vida", "Academia Corpo em Forma", "Escola Pequeno Príncipe",
		"Mercearia São José", "Açougue Boi Gordo", "Lanchonete Esquina", "Auto Peças Central"}
	people := []string{"Ana Paula Ferreira", "João Carlos da Silva", "Maria Eduarda Souza", "Pedro Henrique Lima",
		"Luciana Almeida", "Rafael Costa", "Fernanda Rocha", "Marcos Vinícius Pereira", "Juliana Martins", "André Oliveira"}
	suppliers := []string{"Distribuidora Frio Sul", "Compressores Brasil Indústria", "Gases Refrigerantes Norte",
		"Tubos e Conexões Aliança"}
	carriers := []string{"Transportadora Rápido Gaúcho", "Expresso Serra Azul"}
	ps := places()
	now := s.opt.Now()
	for i := range n {
		p := ps[r.IntN(len(ps))]
		c := bling.Contact{Status: bling.StatusActive, PersonType: bling.PersonCompany, IEIndicator: 9}
		kind := i % 12
		switch {
		case kind < 5: // client company
			c.Name = companies[r.IntN(len(companies))] + suffixFor(i)
			c.Types = []bling.ContactType{client}
		case kind < 8: // client person
			c.Name = people[r.IntN(len(people))]
			c.PersonType = bling.PersonIndividual
			c.Types = []bling.ContactType{client}
		case kind == 8: // supplier
			c.Name = suppliers[r.IntN(len(suppliers))] + suffixFor(i)
			c.Types = []bling.ContactType{supplier}
			c.IEIndicator = 1
		case kind == 9: // carrier
			c.Name = carriers[r.IntN(len(carriers))] + suffixFor(i)
			c.Types = []bling.ContactType{carrier}
		case kind == 10: // client that also supplies
			c.Name = companies[r.IntN(len(companies))] + " Distribuição" + suffixFor(i)
			c.Types = []bling.ContactType{client, supplier}
		default: // no type at all: counts as a client (SPEC C-E7)
			c.Name = people[r.IntN(len(people))]
			c.PersonType = bling.PersonIndividual
		}
		if c.PersonType == bling.PersonIndividual {
			c.Document = br.GenerateCPF(r)
		} else {
			// Bling keeps documents as typed: companies here carry punctuation, people do not.
			d, _ := br.ParseDocument(br.GenerateCNPJ(r))
			c.Document = d.Formatted()
			c.TradeName = strings.Split(c.Name, " ")[0] + " " + p.city
		}
		c.Code = fmt.Sprintf("C%04d", i+1)
		c.Phone = fmt.Sprintf("(%s) 3%03d-%04d", ddd(p.uf), r.IntN(1000), r.IntN(10000))
		c.Mobile = fmt.Sprintf("(%s) 9%04d-%04d", ddd(p.uf), 8000+r.IntN(2000), r.IntN(10000))
		c.Email = emailFor(c.Name, i)
		c.Addresses = &bling.Addresses{Main: &bling.Address{Street: p.street, ZIP: p.cep, District: p.district,
			City: p.city, State: p.uf, Number: fmt.Sprint(10 + r.IntN(2000))}}
		if r.IntN(4) == 0 {
			c.Addresses.Main.Complement = fmt.Sprintf("Sala %d", 1+r.IntN(30))
		}
		switch i {
		case 3, 17:
			c.Status = bling.StatusInactive
		case 29:
			c.Status = bling.StatusDeleted
		case 5:
			c.Types = append(c.Types, tech)
		}
		id := s.insert(a, c)
		sc := a.contacts[id]
		sc.created = now.Add(-time.Duration(90+r.IntN(700)) * 24 * time.Hour)
		sc.modified = now.Add(-time.Duration(r.IntN(90*24)) * time.Hour)
	}
}

func suffixFor(i int) string {
	if i < 12 {
		return " Ltda"
	}
	return fmt.Sprintf(" Filial %d", i/12+1)
}

func emailFor(name string, i int) string {
	first := strings.ToLower(strings.Fields(name)[0])
	return fmt.Sprintf("%s%d@exemplo.com.br", strings.NewReplacer("á", "a", "ã", "a", "ç", "c", "é", "e", "í", "i", "ó", "o", "ú", "u").Replace(first), i+1)
}

// ddd returns a plausible area code for the state.
func ddd(uf string) string {
	switch uf {
	case "SP":
		return "11"
	case "RJ":
		return "21"
	case "MG":
		return "31"
	case "PR":
		return "41"
	case "SC":
		return "48"
	case "RS":
		return "54"
	case "BA":
		return "71"
	case "GO":
		return "62"
	case "PE":
		return "81"
	case "CE":
		return "85"
	}
	return "11"
}
