package contaazulsandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/contaazul"
)

// seedPerson is one line of the demo data: who, with which profiles.
type seedPerson struct {
	nome, tipo string
	perfis     []string
	ativo      bool
	noDoc      bool
	alnum      bool // alphanumeric CNPJ (from July 2026)
}

var demoPeople = []seedPerson{
	{nome: "Ana Beatriz Carvalho", tipo: "Física", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Bruno Henrique Lima", tipo: "Física", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Camila Souza Ribeiro", tipo: "Física", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Diego Martins Rocha", tipo: "Física", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Eduarda Ferreira Gomes", tipo: "Física", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Fábio Nogueira Alves", tipo: "Física", perfis: []string{"Cliente"}, ativo: false},
	{nome: "Gabriela Pires Moreira", tipo: "Física", perfis: []string{"Cliente"}, ativo: true, noDoc: true},
	{nome: "Heitor Azevedo Costa", tipo: "Física", perfis: []string{"Cliente", "Fornecedor"}, ativo: true},
	{nome: "Isabela Cardoso Teixeira", tipo: "Física", perfis: []string{"Cliente"}, ativo: true},
	{nome: "João Pedro Barbosa", tipo: "Física", perfis: []string{"Fornecedor"}, ativo: true},
	{nome: "Academia Corpo em Forma Ltda", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Auto Peças Paulista Ltda", tipo: "Jurídica", perfis: []string{"Cliente", "Fornecedor"}, ativo: true},
	{nome: "Clínica Odontológica Sorriso S/S", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Condomínio Residencial Jardim das Acácias", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Construtora Horizonte Azul S.A.", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Distribuidora Elétrica Fortaleza Ltda", tipo: "Jurídica", perfis: []string{"Fornecedor"}, ativo: true},
	{nome: "Escola Pequenos Sábios Ltda", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Farmácia Vida Saudável Ltda", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: false},
	{nome: "Frigorífico Serra Gaúcha Ltda", tipo: "Jurídica", perfis: []string{"Cliente", "Transportadora"}, ativo: true},
	{nome: "Hotel Mar de Itapuã Ltda", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Indústria de Plásticos Vale Verde Ltda", tipo: "Jurídica", perfis: []string{"Fornecedor"}, ativo: true},
	{nome: "Lavanderia Bolha Branca ME", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Log Express Transportes Ltda", tipo: "Jurídica", perfis: []string{"Transportadora"}, ativo: true},
	{nome: "Mercado Bom Preço Eireli", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Metalúrgica Aço Forte Ltda", tipo: "Jurídica", perfis: []string{"Fornecedor", "Transportadora"}, ativo: true},
	{nome: "Padaria Pão Dourado Ltda", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Rápido Sul Cargas Ltda", tipo: "Jurídica", perfis: []string{"Transportadora"}, ativo: true},
	{nome: "Refrigeração Polo Norte Ltda", tipo: "Jurídica", perfis: []string{"Cliente", "Fornecedor"}, ativo: true},
	{nome: "Restaurante Sabor Mineiro Ltda", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true},
	{nome: "Supermercado Estrela do Norte S.A.", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true, alnum: true},
	{nome: "Tecnologia Nuvem Clara Ltda", tipo: "Jurídica", perfis: []string{"Fornecedor"}, ativo: true},
	{nome: "Transportadora Rodovia Federal Ltda", tipo: "Jurídica", perfis: []string{"Transportadora"}, ativo: true},
	{nome: "Global Parts Trading LLC", tipo: "Estrangeira", perfis: []string{"Fornecedor"}, ativo: true, noDoc: true},
	{nome: "Oficina Mecânica Dois Irmãos ME", tipo: "Jurídica", perfis: []string{"Cliente"}, ativo: true},
}

var demoAddresses = []Endereco{
	{CEP: "01310-100", Logradouro: "Avenida Paulista", Numero: "1578", Complemento: "Conjunto 42", Bairro: "Bela Vista", Cidade: "São Paulo", Estado: "SP", Pais: "Brasil"},
	{CEP: "20040-020", Logradouro: "Rua da Assembleia", Numero: "10", Complemento: "Sala 2101", Bairro: "Centro", Cidade: "Rio de Janeiro", Estado: "RJ", Pais: "Brasil"},
	{CEP: "30130-010", Logradouro: "Avenida Afonso Pena", Numero: "1500", Bairro: "Centro", Cidade: "Belo Horizonte", Estado: "MG", Pais: "Brasil"},
	{CEP: "80010-000", Logradouro: "Rua XV de Novembro", Numero: "300", Bairro: "Centro", Cidade: "Curitiba", Estado: "PR", Pais: "Brasil"},
	{CEP: "90010-150", Logradouro: "Rua dos Andradas", Numero: "1234", Complemento: "Loja 3", Bairro: "Centro Histórico", Cidade: "Porto Alegre", Estado: "RS", Pais: "Brasil"},
	{CEP: "40020-000", Logradouro: "Avenida Sete de Setembro", Numero: "55", Bairro: "Dois de Julho", Cidade: "Salvador", Estado: "BA", Pais: "Brasil"},
	{CEP: "60160-230", Logradouro: "Avenida Santos Dumont", Numero: "2828", Complemento: "Bloco B", Bairro: "Aldeota", Cidade: "Fortaleza", Estado: "CE", Pais: "Brasil"},
	{CEP: "79002-070", Logradouro: "Rua Barão do Rio Branco", Numero: "224", Bairro: "Centro", Cidade: "Campo Grande", Estado: "MS", Pais: "Brasil"},
	{CEP: "13015-904", Logradouro: "Rua Barão de Jaguara", Numero: "707", Bairro: "Centro", Cidade: "Campinas", Estado: "SP", Pais: "Brasil"},
	{CEP: "88010-400", Logradouro: "Rua Felipe Schmidt", Numero: "90", Complemento: "Apto 301", Bairro: "Centro", Cidade: "Florianópolis", Estado: "SC", Pais: "Brasil"},
}

// seedDemo adds the demo account and its people; the caller holds s.mu. A fixed random seed
// keeps documents and ids the same on every start, so a demo can be followed from a script.
func (s *Sandbox) seedDemo() {
	r := rand.New(rand.NewPCG(2025, 3))
	acc := s.addAccountLocked(Account{ID: DemoAccountID, RazaoSocial: "Refrigeração Demo Serviços Ltda",
		NomeFantasia: "Demo Refrigeração", Documento: br.GenerateCNPJ(r), Email: "financeiro@demo-refrigeracao.example",
		DataFundacao: "2012-06-01"})
	a := s.accounts[acc.ID]
	now := s.now()
	for i, sp := range demoPeople {
		p := Pessoa{ID: seededUUID(r), Nome: sp.nome, TipoPessoa: sp.tipo, Ativo: sp.ativo,
			Codigo: fmt.Sprintf("CLI%03d", i+1), Email: demoEmail(sp.nome, sp.tipo),
			TelefoneComercial: fmt.Sprintf("11%08d", r.IntN(1e8)), TelefoneCelular: fmt.Sprintf("119%08d", r.IntN(1e8)),
			Enderecos:  []Endereco{demoAddresses[i%len(demoAddresses)]},
			Inscricoes: []Inscricao{{IndicadorInscricaoEstadual: "NAO CONTRIBUINTE"}}, OutrosContatos: []Contato{}}
		p.Enderecos[0].ID = seededUUID(r)
		for _, pf := range sp.perfis {
			p.Perfis = append(p.Perfis, Perfil{TipoPerfil: pf})
		}
		switch {
		case sp.noDoc:
		case sp.alnum:
			p.Documento = br.GenerateAlphanumericCNPJ(r)
		case sp.tipo == "Física":
			p.Documento = br.GenerateCPF(r)
			p.RG = fmt.Sprintf("%02d.%03d.%03d-%d", r.IntN(100), r.IntN(1000), r.IntN(1000), r.IntN(10))
			p.DataNascimento = fmt.Sprintf("19%02d-%02d-%02d", 60+r.IntN(40), 1+r.IntN(12), 1+r.IntN(28))
		default:
			p.Documento = br.GenerateCNPJ(r)
			p.NomeFantasia = strings.TrimSuffix(strings.TrimSuffix(sp.nome, " Ltda"), " ME")
			p.Inscricoes[0] = Inscricao{IndicadorInscricaoEstadual: "CONTRIBUINTE", InscricaoEstadual: fmt.Sprintf("%09d", r.IntN(1e9))}
		}
		if i%5 == 0 {
			p.Observacao = "Atendimento preferencial às terças e quintas."
		}
		if i%7 == 0 {
			// Records migrated from the legacy API keep their old ids.
			p.IDLegado = contaazul.NewLegacyID(100000000 + int64(r.IntN(9e8)))
			p.UUIDLegado = seededUUID(r)
		}
		// Spread the changes over the last 30 days, so "changed since" filters have work to do.
		changed := now.Add(-time.Duration(r.IntN(30*24*60)) * time.Minute).Truncate(time.Second)
		p.CriadoEm = changed.Add(-time.Duration(r.IntN(400)) * 24 * time.Hour).In(saoPaulo).Format("2006-01-02")
		p.DataAlteracao = changed.In(saoPaulo).Format("2006-01-02T15:04:05")
		if _, err := s.seedLocked(a, p); err != nil {
			panic("contaazulsandbox: bad demo person " + sp.nome + ": " + err.Error())
		}
	}
}

// demoEmail makes an address from a name: "Ana Beatriz Carvalho" → "ana.carvalho@example.com",
// "Auto Peças Paulista Ltda" → "auto.pecas@example.com".
func demoEmail(nome, tipo string) string {
	f := strings.Fields(strings.ToLower(nome))
	local := f[0]
	switch {
	case len(f) > 1 && tipo == "Física":
		local += "." + f[len(f)-1]
	case len(f) > 1:
		local += "." + f[1]
	}
	var b strings.Builder
	for _, r := range local {
		switch {
		case r >= 'a' && r <= 'z', r == '.':
			b.WriteRune(r)
		case strings.ContainsRune("áàâã", r):
			b.WriteByte('a')
		case strings.ContainsRune("éê", r):
			b.WriteByte('e')
		case r == 'í':
			b.WriteByte('i')
		case strings.ContainsRune("óôõ", r):
			b.WriteByte('o')
		case r == 'ú':
			b.WriteByte('u')
		case r == 'ç':
			b.WriteByte('c')
		}
	}
	return b.String() + "@example.com"
}

func seededUUID(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b[:])
}
