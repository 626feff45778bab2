package omiesandbox

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/omie"
)

// Demo data: a small air-conditioning service company, the kind of business that runs Auvo and
// Omie together. Every document is valid (br.GenerateCPF/GenerateCNPJ); addresses are split into
// Omie's fields; tags cover every case of SPEC C-E5.

type demoCity struct {
	name, uf, ibge, cep, ddd string
	bairros                  []string
}

var demoCities = []demoCity{
	{"SAO PAULO", "SP", "3550308", "04", "11", []string{"Vila Mariana", "Moema", "Pinheiros", "Tatuapé"}},
	{"CAMPINAS", "SP", "3509502", "13", "19", []string{"Cambuí", "Taquaral", "Barão Geraldo"}},
	{"RIO DE JANEIRO", "RJ", "3304557", "22", "21", []string{"Copacabana", "Tijuca", "Botafogo"}},
	{"BELO HORIZONTE", "MG", "3106200", "30", "31", []string{"Savassi", "Funcionários", "Pampulha"}},
	{"CURITIBA", "PR", "4106902", "80", "41", []string{"Batel", "Água Verde", "Centro Cívico"}},
	{"PORTO ALEGRE", "RS", "4314902", "90", "51", []string{"Moinhos de Vento", "Menino Deus", "Cidade Baixa"}},
	{"SALVADOR", "BA", "2927408", "40", "71", []string{"Barra", "Pituba", "Rio Vermelho"}},
	{"RECIFE", "PE", "2611606", "50", "81", []string{"Boa Viagem", "Casa Forte", "Graças"}},
}

var demoStreets = []string{"Rua das Acácias", "Avenida Paulista", "Rua XV de Novembro", "Avenida Brasil",
	"Rua Sete de Setembro", "Alameda Santos", "Rua da Consolação", "Avenida Getúlio Vargas", "Rua Tiradentes",
	"Rua Marechal Deodoro"}

var demoCompanies = []string{"Clínica Sorriso Odontologia", "Padaria Pão Quente", "Hotel Vista Mar",
	"Supermercado Bom Preço", "Escola Pequeno Príncipe", "Academia Corpo em Forma", "Restaurante Sabor Mineiro",
	"Farmácia Saúde Total", "Escritório Almeida Advogados", "Refrigeração Polar Peças", "Transportadora Rápido Sul",
	"Distribuidora Frio Forte"}

var demoPeople = []string{"Ana Paula Ferreira", "Carlos Eduardo Souza", "Mariana Lima Santos", "João Pedro Oliveira",
	"Fernanda Costa Ribeiro", "Ricardo Almeida Nunes", "Juliana Martins Rocha", "Paulo Henrique Barbosa",
	"Beatriz Carvalho Dias", "Lucas Gabriel Pereira", "Camila Araújo Mendes", "Roberto Teixeira Gomes"}

// demoTags cycles through every tag situation of SPEC C-E5.
var demoTags = [][]string{
	{"Cliente"},
	{"Cliente", "Fornecedor"},
	{"Fornecedor"}, // supplier only: not integrated
	{},             // no tags: integrated
	{"Contrato PMOC"},
	{"Cliente", "Contrato PMOC"},
	{"Transportadora"},
	{"Fornecedor", "Transportadora"},
	{"cliente"}, // lower case: matching is case-insensitive
}

// seedDemo fills a with the demo company's records. Called with s.mu held.
func (s *Server) seedDemo(a *account) {
	now := s.now()
	r := s.rng
	ago := func(maxDays int) time.Time {
		return now.Add(-time.Duration(1+r.IntN(maxDays*24*60)) * time.Minute)
	}
	names := append(append([]string{}, demoCompanies...), demoPeople...)
	for i, name := range names {
		person := i >= len(demoCompanies)
		city := demoCities[i%len(demoCities)]
		c := record{
			"razao_social": strings.ToUpper(name), "nome_fantasia": name,
			"endereco": demoStreets[r.IntN(len(demoStreets))], "endereco_numero": fmt.Sprint(10 + r.IntN(2900)),
			"bairro": city.bairros[r.IntN(len(city.bairros))], "cidade": city.name + " (" + city.uf + ")",
			"cidade_ibge": city.ibge, "estado": city.uf, "cep": fmt.Sprintf("%s%06d", city.cep, r.IntN(1_000_000)),
			"codigo_pais": "1058", "telefone1_ddd": city.ddd,
			"email":   strings.ToLower(strings.ReplaceAll(br.Fold(name), " ", ".")) + "@exemplo.com.br",
			"inativo": "N", "exterior": "N", "bloquear_faturamento": "N", "importado_api": "N",
			"optante_simples_nacional": "N",
		}
		if person {
			c["cnpj_cpf"] = br.GenerateCPF(r)
			c["telefone1_numero"] = fmt.Sprintf("9%08d", r.IntN(100_000_000))
		} else {
			c["cnpj_cpf"] = br.GenerateCNPJ(r)
			c["telefone1_numero"] = fmt.Sprintf("3%07d", r.IntN(10_000_000))
			c["inscricao_estadual"] = "ISENTO"
			c["contato"] = demoPeople[r.IntN(len(demoPeople))]
		}
		if i%3 == 0 {
			c["complemento"] = fmt.Sprintf("Sala %d", 1+r.IntN(400))
		}
		switch {
		case i%7 == 6:
			delete(c, "cnpj_cpf") // customers without a document exist (SPEC C-E2)
		case i%9 == 4:
			c["inativo"] = "S" // and inactive ones (SPEC C-E1)
		}
		tags := []any{}
		for _, t := range demoTags[i%len(demoTags)] {
			tags = append(tags, record{"tag": t})
		}
		c["tags"] = tags
		inc := ago(700)
		alt := inc.Add(time.Duration(r.Int64N(int64(now.Sub(inc)))))
		info := record{"dInc": omie.FormatDate(inc), "hInc": omie.FormatTime(inc), "uInc": userScreen,
			"dAlt": omie.FormatDate(alt), "hAlt": omie.FormatTime(alt), "uAlt": userScreen, "cImpAPI": "N"}
		c["info"] = info
		_, _ = s.seedLocked(a, "customers", c)
	}

	var locais []int64
	for i, l := range []struct{ codigo, descricao string }{
		{"01", "Depósito Central"}, {"02", "Loja Centro"}, {"03", "Veículo Técnico 01"},
	} {
		rec, _ := s.seedLocked(a, "locations", record{"codigo": l.codigo, "descricao": l.descricao, "tipo": "1",
			"padrao": string(omie.FlagOf(i == 0)), "inativo": "N", "dispVenda": "S", "dispRemessa": "S"})
		locais = append(locais, a.locais.idOf(rec))
	}

	produtos := []struct {
		codigo, descricao, unidade, ncm string
		preco                           float64
	}{
		{"FLT-12K", "Filtro de ar split 12000 BTU", "UN", "8421.39.90", 45.9},
		{"GAS-R410", "Gás refrigerante R410A 11,3 kg", "UN", "3824.78.00", 689},
		{"CAP-35", "Capacitor 35 uF 440 V", "UN", "8532.25.90", 32.5},
		{"CMP-9K", "Compressor rotativo 9000 BTU", "UN", "8414.30.19", 1290},
		{"CTR-UNI", "Controle remoto universal para split", "UN", "8543.70.99", 59.9},
		{"TUB-14", "Tubo de cobre 1/4\"", "M", "7411.10.10", 28.4},
		{"SUP-CND", "Suporte para condensadora 500 mm", "PAR", "7308.90.10", 89},
		{"DRN-12", "Mangueira de dreno 1/2\"", "M", "3917.32.90", 4.8},
		{"FIT-PVC", "Fita PVC branca 10 m", "UN", "3919.10.00", 12.9},
		{"TRM-DIG", "Termostato digital", "UN", "9032.10.10", 149},
		{"PLC-EVP", "Placa eletrônica evaporadora", "UN", "8537.10.90", 420},
		{"BMB-VAC", "Bomba de vácuo 5 CFM", "UN", "8414.10.00", 980},
	}
	for i, p := range produtos {
		inc := ago(500)
		rec, _ := s.seedLocked(a, "products", record{
			"codigo": p.codigo, "descricao": p.descricao, "unidade": p.unidade, "ncm": p.ncm, "valor_unitario": p.preco,
			"tipoItem": "00", "bloqueado": "N", "importado_api": "N", "inativo": string(omie.FlagOf(i == 10)),
			"recomendacoes_fiscais": record{"origem_mercadoria": "0", "cupom_fiscal": "N", "market_place": "N"},
			"info": record{"dInc": omie.FormatDate(inc), "hInc": omie.FormatTime(inc), "uInc": userScreen,
				"dAlt": omie.FormatDate(inc), "hAlt": omie.FormatTime(inc), "uAlt": userScreen, "cImpAPI": "N"},
		})
		id := a.produtos.idOf(rec)
		// Positions: most products in the central depot, some in the shop or the van, a few
		// nowhere (SPEC PR1/PR4 need both kinds).
		for j, local := range locais {
			if (i+j)%3 != 2 && i != 11 {
				_, _ = s.seedLocked(a, "stock", record{"codigo_local_estoque": local, "nCodProd": id,
					"nSaldo": float64(r.IntN(60)), "reservado": float64(r.IntN(3)), "nCMC": math.Round(p.preco*60) / 100})
			}
		}
	}

	for _, c := range []record{
		{"descricao": "Banco do Brasil - Conta Movimento", "tipo_conta_corrente": "CC", "codigo_banco": "001",
			"codigo_agencia": "1234-5", "numero_conta_corrente": "98765-4", "saldo_inicial": 15000.0},
		{"descricao": "Itaú - Recebimentos", "tipo_conta_corrente": "CC", "codigo_banco": "341",
			"codigo_agencia": "0912", "numero_conta_corrente": "45678-9", "saldo_inicial": 3200.0},
		{"descricao": "Caixinha", "tipo_conta_corrente": "CX", "codigo_banco": "999"},
		{"descricao": "Conta antiga (encerrada)", "tipo_conta_corrente": "CC", "codigo_banco": "237", "inativo": "S"},
	} {
		c["bloqueado"], c["importado_api"] = "N", "N"
		_, _ = s.seedLocked(a, "bank-accounts", c)
	}

	for _, c := range []struct {
		codigo, descricao string
		receita, total    bool
		inativa           bool
	}{
		{"1.01", "Receitas Diretas", true, true, false},
		{"1.01.01", "Venda de Produtos", true, false, false},
		{"1.01.02", "Prestação de Serviços", true, false, false},
		{"1.01.03", "Contratos de Manutenção", true, false, false},
		{"1.01.04", "Receita Descontinuada", true, false, true},
		{"2.01", "Despesas Operacionais", false, true, false},
		{"2.01.01", "Compra de Material", false, false, false},
		{"2.01.02", "Combustível", false, false, false},
	} {
		superior := c.codigo[:strings.LastIndex(c.codigo, ".")]
		_, _ = s.seedLocked(a, "categories", record{"codigo": c.codigo, "descricao": c.descricao,
			"descricao_padrao": c.descricao, "conta_receita": string(omie.FlagOf(c.receita)),
			"conta_despesa": string(omie.FlagOf(!c.receita)), "totalizadora": string(omie.FlagOf(c.total)),
			"conta_inativa": string(omie.FlagOf(c.inativa)), "transferencia": "N", "nao_exibir": "N",
			"definida_pelo_usuario": "N", "categoria_superior": superior})
	}

	for _, sv := range []struct {
		codigo, descricao, lc116 string
		preco                    float64
	}{
		{"SRV-001", "Instalação de ar-condicionado split", "14.06", 450},
		{"SRV-002", "Manutenção preventiva (PMOC)", "14.01", 220},
		{"SRV-003", "Limpeza e higienização", "14.01", 180},
		{"SRV-004", "Visita técnica", "14.01", 120},
		{"SRV-005", "Carga de gás refrigerante", "14.01", 350},
	} {
		inc := ago(400)
		d, h := omie.FormatDate(inc), omie.FormatTime(inc)
		_, _ = s.seedLocked(a, "services", record{
			"cabecalho": record{"cCodigo": sv.codigo, "cDescricao": sv.descricao, "cCodLC116": sv.lc116,
				"cCodServMun": "0" + strings.ReplaceAll(sv.lc116, ".", ""), "nPrecoUnit": sv.preco, "cCodCateg": "1.01.02"},
			"descricao": record{"cDescrCompleta": sv.descricao + " conforme normas do fabricante."},
			"info": record{"dInc": d, "hInc": h, "uInc": userScreen, "dAlt": d, "hAlt": h, "uAlt": userScreen,
				"cImpAPI": "N", "inativo": "N"},
		})
	}
}
