package br

import (
	"errors"
	"strings"
	"testing"
)

type addressCase struct {
	in      string
	pattern Pattern
	want    Address
}

// addr builds the expected Address; the country is always Brasil.
func addr(street, number, comp, district, city, uf, cep string) Address {
	return Address{Street: street, Number: number, Complement: comp, District: district, City: city, State: uf, CEP: cep, Country: "Brasil"}
}

// catalogueCases are real-looking addresses for every pattern of SPEC C-A5, named by the pattern
// they prove.
var catalogueCases = []addressCase{
	// AD-O1 Logradouro, Número, Bairro - Cidade - Estado
	{"Avenida Paulista, 1578, Bela Vista - São Paulo - SP", PatternO1, addr("Avenida Paulista", "1578", "", "Bela Vista", "São Paulo", "SP", "")},
	{"Rua XV de Novembro, 1299, Centro - Curitiba - PR", PatternO1, addr("Rua XV de Novembro", "1299", "", "Centro", "Curitiba", "PR", "")},
	{"RUA OLAVO BILAC, 455, IMIGRANTE - BENTO GONCALVES - RS", PatternO1, addr("RUA OLAVO BILAC", "455", "", "IMIGRANTE", "BENTO GONCALVES", "RS", "")},
	// AD-O2 Logradouro, Número, Bairro, Cidade, Estado
	{"Rua da Consolação, 2302, Consolação, São Paulo, SP", PatternO2, addr("Rua da Consolação", "2302", "", "Consolação", "São Paulo", "SP", "")},
	{"Av. Afonso Pena, 1212, Centro, Belo Horizonte, Minas Gerais", PatternO2, addr("Av. Afonso Pena", "1212", "", "Centro", "Belo Horizonte", "MG", "")},
	{"Rua Sete de Setembro, 88, Centro Histórico, Porto Alegre, rs", PatternO2, addr("Rua Sete de Setembro", "88", "", "Centro Histórico", "Porto Alegre", "RS", "")},
	// AD-O3 Logradouro, Número, Bairro - Cidade - Estado, CEP
	{"Avenida Jamari, 3105, Setor 01 - Ariquemes - RO, 76870-175", PatternO3, addr("Avenida Jamari", "3105", "", "Setor 01", "Ariquemes", "RO", "76870-175")},
	{"Rua das Laranjeiras, 540, Laranjeiras - Rio de Janeiro - RJ, 22240-006", PatternO3, addr("Rua das Laranjeiras", "540", "", "Laranjeiras", "Rio de Janeiro", "RJ", "22240-006")},
	{"Rua 25 de Março, 1000, Centro - São Paulo - SP, 01021200", PatternO3, addr("Rua 25 de Março", "1000", "", "Centro", "São Paulo", "SP", "01021-200")},
	// AD-O4 Logradouro, Número, Bairro, Cidade, Estado, CEP
	{"Rua Barão de Jaguara, 1481, Centro, Campinas, SP, 13015-002", PatternO4, addr("Rua Barão de Jaguara", "1481", "", "Centro", "Campinas", "SP", "13015-002")},
	{"Av. Boa Viagem, 3000, Boa Viagem, Recife, PE, 51020-000", PatternO4, addr("Av. Boa Viagem", "3000", "", "Boa Viagem", "Recife", "PE", "51020-000")},
	{"RUA SAO JOSE, 90, CENTRO, FLORIANOPOLIS, SC, 88010-520", PatternO4, addr("RUA SAO JOSE", "90", "", "CENTRO", "FLORIANOPOLIS", "SC", "88010-520")},
	// AD-C1 logradouro, número, complemento, bairro, estado, cep
	{"Rua Augusta, 1500, Apto 52, Consolação, SP, 01304-001", PatternC1, addr("Rua Augusta", "1500", "Apto 52", "Consolação", "", "SP", "01304-001")},
	{"Rua Padre Chagas, 79, Sala 302, Moinhos de Vento, RS, 90570-080", PatternC1, addr("Rua Padre Chagas", "79", "Sala 302", "Moinhos de Vento", "", "RS", "90570-080")},
	{"Av. Sete de Setembro, 4200, Casa 2, Batel, Paraná, 80250-210", PatternC1, addr("Av. Sete de Setembro", "4200", "Casa 2", "Batel", "", "PR", "80250-210")},
	// AD-C2 logradouro, número+complemento (juntos), bairro, cidade, estado, cep
	{"Rua Oscar Freire, 379/12, Jardins, São Paulo, SP, 01426-001", PatternC2, addr("Rua Oscar Freire", "379", "12", "Jardins", "São Paulo", "SP", "01426-001")},
	{"Rua Coronel Diogo, 120-fundos, Jardim da Glória, São Paulo, SP, 01545-000", PatternC2, addr("Rua Coronel Diogo", "120", "fundos", "Jardim da Glória", "São Paulo", "SP", "01545-000")},
	{"Av. Getúlio Vargas, 800apto 1203, Savassi, Belo Horizonte, MG, 30112-020", PatternC2, addr("Av. Getúlio Vargas", "800", "apto 1203", "Savassi", "Belo Horizonte", "MG", "30112-020")},
	// AD-C3 logradouro, número, complemento, bairro - estado, cep (with a comma it is AD-C1)
	{"Rua Tabapuã, 649, Conj. 12, Itaim Bibi - SP, 04533-012", PatternC3, addr("Rua Tabapuã", "649", "Conj. 12", "Itaim Bibi", "", "SP", "04533-012")},
	{"Rua Marquês de Abrantes, 64, Bloco 2, Flamengo - RJ, 22230-061", PatternC3, addr("Rua Marquês de Abrantes", "64", "Bloco 2", "Flamengo", "", "RJ", "22230-061")},
	{"Av. Dom Luís, 500, Loja 120, Meireles - Ceará, 60160-230", PatternC3, addr("Av. Dom Luís", "500", "Loja 120", "Meireles", "", "CE", "60160-230")},
	// AD-C4 logradouro, número complemento (espaço), bairro, cidade, estado, cep
	{"Rua Haddock Lobo, 595 Apto 101, Cerqueira César, São Paulo, SP, 01414-001", PatternC4, addr("Rua Haddock Lobo", "595", "Apto 101", "Cerqueira César", "São Paulo", "SP", "01414-001")},
	{"Av. Atlântica, 1702 Cobertura, Copacabana, Rio de Janeiro, RJ, 22021-001", PatternC4, addr("Av. Atlântica", "1702", "Cobertura", "Copacabana", "Rio de Janeiro", "RJ", "22021-001")},
	{"Rua XV de Novembro, 45 B, Centro, Blumenau, SC, 89010-001", PatternC4, addr("Rua XV de Novembro", "45", "B", "Centro", "Blumenau", "SC", "89010-001")},
	// AD-C5 logradouro, número, complemento, bairro, estado
	{"Rua Bela Cintra, 1200, Apto 81, Consolação, SP", PatternC5, addr("Rua Bela Cintra", "1200", "Apto 81", "Consolação", "", "SP", "")},
	{"Rua Goiás, 300, 2º andar, Centro, MG", PatternC5, addr("Rua Goiás", "300", "2º andar", "Centro", "", "MG", "")},
	{"Av. Brasil, 1500, Galpão 3, Jardim América, São Paulo", PatternC5, addr("Av. Brasil", "1500", "Galpão 3", "Jardim América", "", "SP", "")},
	// AD-C6 logradouro, número, bairro, estado, cep
	{"Rua Vergueiro, 3185, Vila Mariana, SP, 04101-300", PatternC6, addr("Rua Vergueiro", "3185", "", "Vila Mariana", "", "SP", "04101-300")},
	{"Rua da Bahia, 1148, Lourdes, MG, 30160-011", PatternC6, addr("Rua da Bahia", "1148", "", "Lourdes", "", "MG", "30160-011")},
	{"Av. Borges de Medeiros, 2500, Praia de Belas, Rio Grande do Sul, 90110-150", PatternC6, addr("Av. Borges de Medeiros", "2500", "", "Praia de Belas", "", "RS", "90110-150")},
	// AD-C7 logradouro - número - complemento - bairro - estado - cep
	{"Rua Frei Caneca - 569 - Apto 34 - Consolação - SP - 01307-001", PatternC7, addr("Rua Frei Caneca", "569", "Apto 34", "Consolação", "", "SP", "01307-001")},
	{"Av. Sete de Setembro - 1500 - Sala 10 - Centro - BA - 40060-001", PatternC7, addr("Av. Sete de Setembro", "1500", "Sala 10", "Centro", "", "BA", "40060-001")},
	{"Rua Halfeld – 414 – Loja 2 – Centro – MG – 36010-002", PatternC7, addr("Rua Halfeld", "414", "Loja 2", "Centro", "", "MG", "36010-002")},
	// AD-C8 logradouro, complemento, bairro, cidade - estado, CEP, país
	{"Rua Pamplona, Apto 23, Jardim Paulista, São Paulo - SP, 01405-000, Brasil", PatternC8, addr("Rua Pamplona", "", "Apto 23", "Jardim Paulista", "São Paulo", "SP", "01405-000")},
	{"Av. Ipiranga, Sala 1203, República, São Paulo - SP, 01046-010, Brasil", PatternC8, addr("Av. Ipiranga", "", "Sala 1203", "República", "São Paulo", "SP", "01046-010")},
	{"Rua dos Andradas, Loja 5, Centro Histórico, Porto Alegre - RS, 90020-008, Brazil", PatternC8, addr("Rua dos Andradas", "", "Loja 5", "Centro Histórico", "Porto Alegre", "RS", "90020-008")},
	// AD-C9 logradouro, bairro, cidade-estado, CEP, país
	{"Rua Treze de Maio, Bela Vista, São Paulo-SP, 01327-000, Brasil", PatternC9, addr("Rua Treze de Maio", "", "", "Bela Vista", "São Paulo", "SP", "01327-000")},
	{"Estrada do Coco, Abrantes, Camaçari-BA, 42840-000, Brasil", PatternC9, addr("Estrada do Coco", "", "", "Abrantes", "Camaçari", "BA", "42840-000")},
	{"Rua Direita, Centro, Ouro Preto-MG, 35400-000, BRASIL", PatternC9, addr("Rua Direita", "", "", "Centro", "Ouro Preto", "MG", "35400-000")},
}

// geocoderCases are the uncatalogued layouts that HERE, CNPJ look-ups and ERPs write (SPEC C-A5
// "also the uncatalogued formats"), and the tricky spellings the issue lists.
var geocoderCases = []addressCase{
	// HERE: Rua X, 123 - Bairro, Cidade - UF, 01234-567, Brasil
	{"Rua Girassol, 123 - Vila Madalena, São Paulo - SP, 05433-000, Brasil", PatternGeocoder, addr("Rua Girassol", "123", "", "Vila Madalena", "São Paulo", "SP", "05433-000")},
	{"Rua das Flores, 100, Centro, Sao Paulo - SP, 01001-000, Brasil", PatternGeocoder, addr("Rua das Flores", "100", "", "Centro", "Sao Paulo", "SP", "01001-000")},
	{"Rua Principal, 10, Nova Esperança - PR, 87600-000, Brasil", PatternGeocoder, addr("Rua Principal", "10", "", "", "Nova Esperança", "PR", "87600-000")},
	// CNPJ look-up: logradouro, número, complemento, bairro, município - UF, CEP
	{"Av. Brigadeiro Faria Lima, 3477, Andar 14, Itaim Bibi, São Paulo - SP, 04538-133", PatternGeocoder, addr("Av. Brigadeiro Faria Lima", "3477", "Andar 14", "Itaim Bibi", "São Paulo", "SP", "04538-133")},
	{"R. Olavo Bilac, 100, Imigrante, Bento Gonçalves - RS, 95702-000", PatternGeocoder, addr("R. Olavo Bilac", "100", "", "Imigrante", "Bento Gonçalves", "RS", "95702-000")},
	// Omie writes cidade as "ARIQUEMES (RO)"
	{"AVENIDA JAMARI, 1234, SETOR 01, ARIQUEMES (RO), 76870175", PatternGeocoder, addr("AVENIDA JAMARI", "1234", "", "SETOR 01", "ARIQUEMES", "RO", "76870-175")},
	// sem número
	{"Rua Sem Saída, S/N, Centro, Itu, SP", PatternO2, addr("Rua Sem Saída", "S/N", "", "Centro", "Itu", "SP", "")},
	{"Rua Sem Saída, SN, Centro, Itu, SP", PatternO2, addr("Rua Sem Saída", "S/N", "", "Centro", "Itu", "SP", "")},
	{"Rua Sem Saída, s/nº, Centro, Itu, SP", PatternO2, addr("Rua Sem Saída", "S/N", "", "Centro", "Itu", "SP", "")},
	{"Rua Sem Saída, sem número, Centro, Itu, SP", PatternO2, addr("Rua Sem Saída", "S/N", "", "Centro", "Itu", "SP", "")},
	{"Rua Sem Saída, S/N Lote 4, Centro, Itu, SP, 13300-000", PatternC4, addr("Rua Sem Saída", "S/N", "Lote 4", "Centro", "Itu", "SP", "13300-000")},
	// KM
	{"Rodovia BR-116, KM 12, Distrito Industrial, Curitiba - PR", PatternGeocoder, addr("Rodovia BR-116", "KM 12", "", "Distrito Industrial", "Curitiba", "PR", "")},
	{"Rod. Anhanguera km 104, Jardim Santa Mônica, Campinas - SP, 13082-000", PatternGeocoder, addr("Rod. Anhanguera", "KM 104", "", "Jardim Santa Mônica", "Campinas", "SP", "13082-000")},
	{"Rodovia SP-340, Km 12,5, Zona Rural, Mogi Mirim, SP", PatternO2, addr("Rodovia SP-340", "KM 12,5", "", "Zona Rural", "Mogi Mirim", "SP", "")},
	{"Rodovia Presidente Dutra - KM 150 - Galpão 2 - Jardim Cumbica - SP - 07178-000", PatternC7, addr("Rodovia Presidente Dutra", "KM 150", "Galpão 2", "Jardim Cumbica", "", "SP", "07178-000")},
	// nº markers
	{"Rua Tuiuti, nº 45, Tatuapé, São Paulo, SP", PatternO2, addr("Rua Tuiuti", "45", "", "Tatuapé", "São Paulo", "SP", "")},
	{"Rua Tuiuti, n° 45, Tatuapé, São Paulo, SP", PatternO2, addr("Rua Tuiuti", "45", "", "Tatuapé", "São Paulo", "SP", "")},
	{"Rua Tuiuti, No. 45, Tatuapé, São Paulo, SP", PatternO2, addr("Rua Tuiuti", "45", "", "Tatuapé", "São Paulo", "SP", "")},
	{"Rua Tuiuti nº 45, Tatuapé, São Paulo - SP", PatternGeocoder, addr("Rua Tuiuti", "45", "", "Tatuapé", "São Paulo", "SP", "")},
	{"Rua Tuiuti, número 45A, Tatuapé, São Paulo, SP", PatternO2, addr("Rua Tuiuti", "45A", "", "Tatuapé", "São Paulo", "SP", "")},
	{"Rua Tuiuti, 1.045-B, Tatuapé, São Paulo, SP", PatternO2, addr("Rua Tuiuti", "1.045-B", "", "Tatuapé", "São Paulo", "SP", "")},
	// names with digits
	{"Avenida 9 de Julho, 3000, Jardim Paulista, São Paulo, SP", PatternO2, addr("Avenida 9 de Julho", "3000", "", "Jardim Paulista", "São Paulo", "SP", "")},
	{"Rua 7, 140, Setor Oeste, Goiânia - GO, 74125-000, Brasil", PatternGeocoder, addr("Rua 7", "140", "", "Setor Oeste", "Goiânia", "GO", "74125-000")},
	// spacing, punctuation, case, accents
	{"  Rua  Tuiuti ,45 ,Tatuapé,  São Paulo  -  SP.  ", PatternGeocoder, addr("Rua Tuiuti", "45", "", "Tatuapé", "São Paulo", "SP", "")},
	{"rua tuiuti, 45, tatuape, sao paulo, sao paulo;", PatternO2, addr("rua tuiuti", "45", "", "tatuape", "sao paulo", "SP", "")},
	{"Rua Tuiuti, 45, Tatuapé, São Paulo/SP, CEP: 03081-000", PatternGeocoder, addr("Rua Tuiuti", "45", "", "Tatuapé", "São Paulo", "SP", "03081-000")},
	{"Rua Tuiuti, 45, Tatuapé, São Paulo - SP 03081-000", PatternGeocoder, addr("Rua Tuiuti", "45", "", "Tatuapé", "São Paulo", "SP", "03081-000")},
	{"Rua Tuiuti, 45, Tatuapé, São Paulo SP, CEP 03081000", PatternGeocoder, addr("Rua Tuiuti", "45", "", "Tatuapé", "São Paulo", "SP", "03081-000")},
	{"Rua Tuiuti, 45, Tatuapé, São Paulo, SP, 03.081-000", PatternO4, addr("Rua Tuiuti", "45", "", "Tatuapé", "São Paulo", "SP", "03081-000")},
	{"Rua Tuiuti, 45 | Tatuapé | São Paulo / SP", PatternGeocoder, addr("Rua Tuiuti", "45", "", "Tatuapé", "São Paulo", "SP", "")},
	{"Rua Tuiuti, 45\r\nTatuapé\nSão Paulo - SP\n", PatternGeocoder, addr("Rua Tuiuti", "45", "", "Tatuapé", "São Paulo", "SP", "")},
	// complements and bairros that look alike
	{"Rua X, 100, Apto 12, Bloco B, Centro, São Paulo - SP", PatternGeocoder, addr("Rua X", "100", "Apto 12, Bloco B", "Centro", "São Paulo", "SP", "")},
	{"Rua Zilda, 100, Casa Verde, São Paulo - SP", PatternGeocoder, addr("Rua Zilda", "100", "", "Casa Verde", "São Paulo", "SP", "")},
	{"Rua A, 10, Conjunto Habitacional Castelo Branco, Carapicuíba - SP", PatternGeocoder, addr("Rua A", "10", "", "Conjunto Habitacional Castelo Branco", "Carapicuíba", "SP", "")},
	{"Rua do Sol, 20, Próximo ao mercado, Boa Vista, Recife, PE", PatternGeocoder, addr("Rua do Sol", "20", "Próximo ao mercado", "Boa Vista", "Recife", "PE", "")},
	{"Rua do Sol, 20, Galeria Central, Boa Vista, Recife, PE", PatternGeocoder, addr("Rua do Sol", "20", "Galeria Central", "Boa Vista", "Recife", "PE", "")},
	{"Rua do Sol, Compl. Galeria Central, Boa Vista, PE, 50060-000", PatternGeocoder, addr("Rua do Sol", "", "Galeria Central", "Boa Vista", "", "PE", "50060-000")},
	{"Rua do Sol, 20, Complemento: Sala 3, Boa Vista, PE, 50060-000", PatternC1, addr("Rua do Sol", "20", "Sala 3", "Boa Vista", "", "PE", "50060-000")},
	{"Av. Industrial, 900, Complexo Norte, Galpão 2, Distrito Industrial, Manaus - AM", PatternGeocoder, addr("Av. Industrial", "900", "Complexo Norte, Galpão 2", "Distrito Industrial", "Manaus", "AM", "")},
	{"Rua Embu, 5, Jardim Tomé, Embu-Guaçu, SP", PatternO2, addr("Rua Embu", "5", "", "Jardim Tomé", "Embu-Guaçu", "SP", "")},
	{"Rua Paraná, 77, Centro, Jardim Alegre, PR, 86860-000", PatternO4, addr("Rua Paraná", "77", "", "Centro", "Jardim Alegre", "PR", "86860-000")},
	{"Rua 1, Qd. 5, Lt. 10, Setor Sul, Goiânia - GO", PatternGeocoder, addr("Rua 1", "", "Qd. 5, Lt. 10", "Setor Sul", "Goiânia", "GO", "")},
	{"Estrada Municipal, KM 3, Sítio Boa Vista, Zona Rural, Ibiúna - SP, 18150-000", PatternGeocoder, addr("Estrada Municipal", "KM 3", "Sítio Boa Vista", "Zona Rural", "Ibiúna", "SP", "18150-000")},
	// CNPJ look-ups in upper case, parts joined by dashes
	{"AVENIDA PAULISTA, 1000 - ANDAR 10 CONJ 101 - BELA VISTA, SAO PAULO - SP, 01310-100", PatternGeocoder, addr("AVENIDA PAULISTA", "1000", "ANDAR 10 CONJ 101", "BELA VISTA", "SAO PAULO", "SP", "01310-100")},
	{"Rua Barão de Itapetininga, 50 - Conj. 301 - República - São Paulo/SP - CEP: 01042-000", PatternGeocoder, addr("Rua Barão de Itapetininga", "50", "Conj. 301", "República", "São Paulo", "SP", "01042-000")},
	{"Av. Pres. Juscelino Kubitschek, 2041 - Torre B, 5º andar - Vila Nova Conceição, São Paulo - SP, 04543-011, Brasil", PatternGeocoder, addr("Av. Pres. Juscelino Kubitschek", "2041", "Torre B, 5º andar", "Vila Nova Conceição", "São Paulo", "SP", "04543-011")},
	// Brasília: the block and flat are part of the logradouro, there is no número
	{"SQN 104, Bloco A Apto 302, Asa Norte, Brasília - DF, 70733-010, Brasil", PatternC8, addr("SQN 104", "", "Bloco A Apto 302", "Asa Norte", "Brasília", "DF", "70733-010")}, // glued to the street it is refused (AD-R1)
}

func TestParseAddressCataloguePatterns(t *testing.T) {
	t.Parallel()
	runAddressCases(t, catalogueCases)
}

func TestParseAddressUncataloguedAndTricky(t *testing.T) {
	t.Parallel()
	runAddressCases(t, geocoderCases)
}

func runAddressCases(t *testing.T, cases []addressCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(string(c.pattern)+" "+c.in, func(t *testing.T) {
			got, pat, err := ParseAddress(c.in, Bling)
			if err != nil {
				t.Fatalf("ParseAddress: %v", err)
			}
			if got != c.want {
				t.Errorf("fields\n got %+v\nwant %+v", got, c.want)
			}
			if pat != c.pattern {
				t.Errorf("pattern = %s, want %s", pat, c.pattern)
			}
		})
	}
}

// TestParseAddressRejects proves SPEC C-A5's "otherwise the customer is not integrated": each
// address is refused with a reason, and the ambiguous ones say they are ambiguous instead of
// being split by a guess.
func TestParseAddressRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in        string
		ambiguous bool
		says      string // part of the reason
	}{
		{"", false, "não informado"},
		{"   , - ", false, "não informado"},
		{"Rua X, 100, Centro, Campinas", false, "estado (UF)"},
		{"Rua X, 100, Jardim Europa, Londres", false, "estado (UF)"},
		{"Rua X, 100, Centro, SP", true, `"Centro" é o bairro ou a cidade`},
		{"Rua X, 100, Centro, Rio de Janeiro", true, `"Rio de Janeiro" foi lido como o estado`},
		{"Rua X 100 Centro São Paulo SP", false, "Separe as partes do endereço com vírgulas"},
		{"Rua X, 100, Campinas - SP, 13010-000", true, "bairro ou a cidade"},
		{"Rua das Flores 123, Centro, São Paulo - SP", true, "Rua das Flores, 123"},
		{"Rua X, Centro, 100, São Paulo - SP", true, "fora do lugar"},
		{"Rua X, 100, 201, Centro, São Paulo - SP", true, "Apto 201"},
		{"Rua X, 100, Centro, 1310100, São Paulo - SP", true, "CEP incompleto"},
		{"Rua X, 100, Centro, Apto 2, SP", true, "complemento, mas está no lugar da cidade"},
		{"Rua X, 100, Sala 2, Centro - SP, 01000-000, Brasil", true, "bairro, mas está no lugar da cidade"},
		{"Rua X, 100, Jardim Y, Rua Z, SP", true, "logradouro, mas está no lugar da cidade"},
		{"Rua X, 100, Galeria Central, Jardim América, SP, 01000-000", true, `"Jardim América" parece um bairro`},
		{"Rua X, 100, Centro, Rio de Janeiro - RJ, 01001-000", false, "O CEP 01001-000 é de SP"},
		{"Rua X, 100, Centro, São Paulo - SP, 01001-000, 01002-000", true, "dois CEPs"},
		{"Rua X, 100, SP", false, "Faltam o bairro e a cidade"},
		{"Rua X, 100, Apto 3, SP, 01001-000", false, "Faltam o bairro e a cidade"},
		{"SP", false, "logradouro"},
		{"01310-100", false, "logradouro"},
		{"Apto 12, Rua X, 100, Centro, São Paulo - SP", true, "começar pelo logradouro"},
		{"100, Centro, São Paulo - SP", true, "começar pelo logradouro"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			a, pat, err := ParseAddress(c.in, AnyERP)
			var e *AddressError
			if !errors.As(err, &e) {
				t.Fatalf("want *AddressError, got %v (%+v, %s)", err, a, pat)
			}
			if e.Ambiguous != c.ambiguous {
				t.Errorf("Ambiguous = %v, want %v (%s)", e.Ambiguous, c.ambiguous, e.Problem)
			}
			if !strings.Contains(e.Problem, c.says) {
				t.Errorf("problem %q does not say %q", e.Problem, c.says)
			}
			if e.Input != c.in {
				t.Errorf("Input = %q", e.Input)
			}
		})
	}
}

// TestAddressReasonListsERPPatterns proves SPEC C-A5's "the reason says which patterns are
// accepted", per ERP (Bling accepts the union).
func TestAddressReasonListsERPPatterns(t *testing.T) {
	t.Parallel()
	cases := []struct {
		erp        ERP
		has, lacks []string
	}{
		{Omie, []string{"para Omie", "AD-O1: Logradouro, Número, Bairro - Cidade - Estado", "AD-O4", "Here"}, []string{"AD-C1"}},
		{ContaAzul, []string{"para Conta Azul", "AD-C1", "AD-C9: Logradouro, Bairro, Cidade-Estado, CEP, País"}, []string{"AD-O1"}},
		{Bling, []string{"para Bling", "AD-O1", "AD-C9"}, nil},
	}
	for _, c := range cases {
		t.Run(string(c.erp), func(t *testing.T) {
			_, _, err := ParseAddress("Rua X, 100, Centro, Campinas", c.erp)
			if err == nil {
				t.Fatal("accepted an address without UF")
			}
			for _, s := range c.has {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("reason lacks %q: %s", s, err)
				}
			}
			for _, s := range c.lacks {
				if strings.Contains(err.Error(), s) {
					t.Errorf("reason lists %q, not accepted by %s: %s", s, c.erp, err)
				}
			}
		})
	}
}

// TestParseAddressOmieNeedsCity: every Omie pattern (AD-O1…AD-O4) has a city, so an address
// without one (AD-C6) is refused for Omie and accepted for Conta Azul and Bling.
func TestParseAddressOmieNeedsCity(t *testing.T) {
	t.Parallel()
	const in = "Rua Vergueiro, 3185, Vila Mariana, SP, 04101-300"
	if _, _, err := ParseAddress(in, Omie); err == nil || !strings.Contains(err.Error(), "Falta a cidade") {
		t.Errorf("Omie: err = %v, want missing city", err)
	}
	for _, erp := range []ERP{ContaAzul, Bling} {
		if _, pat, err := ParseAddress(in, erp); err != nil || pat != PatternC6 {
			t.Errorf("%s: pattern %s, err %v", erp, pat, err)
		}
	}
}

func TestPatternCatalogue(t *testing.T) {
	t.Parallel()
	if got := len(AcceptedPatterns(Omie)); got != 5 {
		t.Errorf("Omie accepts %d patterns, want AD-O1…AD-O4 + geocoder", got)
	}
	if got := len(AcceptedPatterns(ContaAzul)); got != 10 {
		t.Errorf("Conta Azul accepts %d patterns, want AD-C1…AD-C9 + geocoder", got)
	}
	if got := len(AcceptedPatterns(Bling)); got != 14 {
		t.Errorf("Bling accepts %d patterns, want the union", got)
	}
	for _, p := range AcceptedPatterns(AnyERP) {
		if p.Layout() == "" {
			t.Errorf("%s has no layout", p)
		}
	}
	seen := map[string]Pattern{}
	for _, s := range patternCatalog {
		if other, ok := seen[s.shape]; ok {
			t.Errorf("%s and %s have the same shape %s", s.id, other, s.shape)
		}
		seen[s.shape] = s.id
	}
}

func TestParseERP(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]ERP{"omie": Omie, "Conta Azul": ContaAzul, "contaazul": ContaAzul, "BLING": Bling, "": AnyERP} {
		if got, ok := ParseERP(in); !ok || got != want {
			t.Errorf("ParseERP(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseERP("sap"); ok {
		t.Error("ParseERP accepted sap")
	}
}

func BenchmarkParseAddress(b *testing.B) {
	var inputs []string
	for _, c := range append(append([]addressCase{}, catalogueCases...), geocoderCases...) {
		inputs = append(inputs, c.in)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, _, err := ParseAddress(inputs[n%len(inputs)], Bling); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "addresses/s")
}
