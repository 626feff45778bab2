package omiesandbox

import (
	"slices"
	"strconv"
	"strings"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/omie"
)

func (s *Server) listarProdutos(a *account, p record) (any, *fault) {
	w, f := parseWindow(str(p, "filtrar_por_data_de"), str(p, "filtrar_por_hora_de"),
		str(p, "filtrar_por_data_ate"), str(p, "filtrar_por_hora_ate"),
		flag(p, "filtrar_apenas_inclusao"), flag(p, "filtrar_apenas_alteracao"))
	if f != nil {
		return nil, f
	}
	porCodigo := list(p, "produtosPorCodigo")
	var rows []record
	for _, r := range a.produtos.sorted() {
		info := obj2(r, "info")
		switch {
		case flag(p, "apenas_importado_api") && !flag(r, "importado_api"):
		case !w.match(at(info, "dInc", "hInc"), at(info, "dAlt", "hAlt")):
		// [I] The docs give filtrar_apenas_omiepdv a default of S, but real integrations get
		// every product without it; the sandbox treats a missing value as N, and S as "products
		// set up for the PDV" (recomendacoes_fiscais.cupom_fiscal = S).
		case flag(p, "filtrar_apenas_omiepdv") && !flag(obj2(r, "recomendacoes_fiscais"), "cupom_fiscal"):
		case i64(p, "filtrar_apenas_familia") != 0 && i64(p, "filtrar_apenas_familia") != i64(r, "codigo_familia"):
		case str(p, "filtrar_apenas_tipo") != "" && str(p, "filtrar_apenas_tipo") != str(r, "tipoItem"):
		case !matchDescricao(str(p, "filtrar_apenas_descricao"), str(r, "descricao")):
		case str(p, "inativo") != "" && flag(p, "inativo") != flag(r, "inativo"):
		case str(p, "ncm") != "" && str(p, "ncm") != str(r, "ncm"):
		case str(p, "ean") != "" && str(p, "ean") != str(r, "ean"):
		case len(porCodigo) > 0 && !slices.ContainsFunc(porCodigo, func(k record) bool { return matchProduto(r, k) }):
		default:
			rows = append(rows, clone(r))
		}
	}
	return listPage(p, rows, "produto_servico_cadastro")
}

// matchDescricao applies Omie's description patterns [C]: "X" exact, "X%" prefix, "%X" suffix,
// "%X%" contains. [U] Case and accents are ignored.
func matchDescricao(pattern, desc string) bool {
	if pattern == "" {
		return true
	}
	pre, suf := strings.HasPrefix(pattern, "%"), strings.HasSuffix(pattern, "%")
	p, d := br.Fold(strings.Trim(pattern, "%")), br.Fold(desc)
	switch {
	case pre && suf:
		return strings.Contains(d, p)
	case suf:
		return strings.HasPrefix(d, p)
	case pre:
		return strings.HasSuffix(d, p)
	}
	return d == p
}

func matchProduto(r, k record) bool {
	switch {
	case i64(k, "codigo_produto") != 0:
		return i64(k, "codigo_produto") == i64(r, "codigo_produto")
	case str(k, "codigo_produto_integracao") != "":
		return str(k, "codigo_produto_integracao") == str(r, "codigo_produto_integracao")
	case str(k, "codigo") != "":
		return str(k, "codigo") == str(r, "codigo")
	}
	return false
}

// consultarProduto finds a product by id, integration code or code. [U] The not-found texts
// follow the customer ones.
func (s *Server) consultarProduto(a *account, p record) (any, *fault) {
	if i64(p, "codigo_produto") == 0 && str(p, "codigo_produto_integracao") == "" && str(p, "codigo") == "" {
		return nil, required("codigo_produto")
	}
	if r := a.produtos.find(func(r record) bool { return matchProduto(r, p) }); r != nil {
		return clone(r), nil
	}
	if id := i64(p, "codigo_produto"); id != 0 {
		return nil, clientFault(omie.CodeNotFoundByID, "ERROR: Produto não cadastrado para o Código [%d] !", id)
	}
	code := str(p, "codigo_produto_integracao")
	if code == "" {
		code = str(p, "codigo")
	}
	return nil, clientFault(omie.CodeNotFoundByIntCod, "ERROR: Produto não cadastrado para o Código de Integração [%s] !", code)
}

// listarPosEstoque answers one row per (location, product) with a stock position. [I] Without a
// location the default location (padrao = S) is answered; lista_local_estoque "TODOS" answers
// all. cExibeTodos = S adds zero rows for products without a position. dDataPosicao is required
// and must be a dd/mm/aaaa date [I: the docs say only "Data do Movimento"; every public
// integration found sends today's date in that form]; it does not change the answer, the
// sandbox keeps current positions only [U].
func (s *Server) listarPosEstoque(a *account, p record) (any, *fault) {
	if f := requireDate(p, "dDataPosicao"); f != nil {
		return nil, f
	}
	var locais []int64
	switch lista := strings.TrimSpace(str(p, "lista_local_estoque")); {
	case i64(p, "codigo_local_estoque") != 0:
		locais = []int64{i64(p, "codigo_local_estoque")}
	case strings.EqualFold(lista, "TODOS"):
		for _, l := range a.locais.sorted() {
			locais = append(locais, i64(l, "codigo_local_estoque"))
		}
	case lista != "":
		for _, part := range strings.Split(lista, ",") {
			if id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64); err == nil {
				locais = append(locais, id)
			}
		}
	default:
		if l := a.locais.find(func(l record) bool { return flag(l, "padrao") }); l != nil {
			locais = []int64{i64(l, "codigo_local_estoque")}
		}
	}
	filtro := list(p, "lista_produtos")
	var rows []record
	for _, local := range locais {
		for _, prod := range a.produtos.sorted() {
			id := i64(prod, "codigo_produto")
			pos, ok := a.estoque[[2]int64{local, id}]
			if !ok && !flag(p, "cExibeTodos") {
				continue
			}
			if len(filtro) > 0 && !slices.ContainsFunc(filtro, func(k record) bool {
				return i64(k, "nCodProd") == id || (str(k, "cCodInt") != "" && str(k, "cCodInt") == str(prod, "codigo_produto_integracao")) ||
					(str(k, "cCodigo") != "" && str(k, "cCodigo") == str(prod, "codigo"))
			}) {
				continue
			}
			rows = append(rows, positionRow(prod, local, pos))
		}
	}
	date := str(p, "dDataPosicao")
	out, f := nListPage(p, rows, "produtos")
	if f != nil {
		return nil, f
	}
	out["dDataPosicao"] = date
	return out, nil
}

// positionRow builds a stock row. [I] nSaldo is the balance and fisico = nSaldo + reservado
// (the sample has reservado 0 and fisico = nSaldo).
func positionRow(prod record, local int64, pos record) record {
	return record{
		"nCodProd": i64(prod, "codigo_produto"), "cCodInt": str(prod, "codigo_produto_integracao"),
		"cCodigo": str(prod, "codigo"), "cDescricao": str(prod, "descricao"),
		"nPrecoUnitario": num(prod, "valor_unitario"), "nSaldo": num(pos, "nSaldo"), "nCMC": num(pos, "nCMC"),
		"nPendente": num(pos, "nPendente"), "estoque_minimo": num(pos, "estoque_minimo"),
		"codigo_local_estoque": local, "reservado": num(pos, "reservado"),
		"fisico": num(pos, "nSaldo") + num(pos, "reservado"),
	}
}

func (s *Server) listarLocaisEstoque(a *account, p record) (any, *fault) {
	w, f := parseWindow(str(p, "filtrar_por_data_de"), str(p, "filtrar_por_hora_de"),
		str(p, "filtrar_por_data_ate"), str(p, "filtrar_por_hora_ate"),
		flag(p, "filtrar_apenas_inclusao"), flag(p, "filtrar_apenas_alteracao"))
	if f != nil {
		return nil, f
	}
	var rows []record
	for _, l := range a.locais.sorted() {
		if w.match(at(l, "dInc", "hInc"), at(l, "dAlt", "hAlt")) {
			rows = append(rows, clone(l))
		}
	}
	return nListPage(p, rows, "locaisEncontrados")
}

// listarContasCorrentes answers bank accounts. [C] No rows is Client-101, not 5113; [U] a page
// past the last answers the same.
func (s *Server) listarContasCorrentes(a *account, p record) (any, *fault) {
	w, f := parseWindow(str(p, "filtrar_por_data_de"), "", str(p, "filtrar_por_data_ate"), "",
		flag(p, "filtrar_apenas_inclusao"), flag(p, "filtrar_apenas_alteracao"))
	if f != nil {
		return nil, f
	}
	var rows []record
	for _, c := range a.contas.sorted() {
		switch {
		case i64(p, "codigo") != 0 && i64(p, "codigo") != i64(c, "nCodCC"):
		case str(p, "codigo_integracao") != "" && str(p, "codigo_integracao") != str(c, "cCodCCInt"):
		case flag(p, "apenas_importado_api") && !flag(c, "importado_api"):
		case flag(p, "filtrar_apenas_ativo") && flag(c, "inativo"):
		case !w.match(at(c, "data_inc", "hora_inc"), at(c, "data_alt", "hora_alt")):
		default:
			rows = append(rows, clone(c))
		}
	}
	cut, total, f := page(rows, int(i64(p, "pagina")), int(i64(p, "registros_por_pagina")), func(int) *fault {
		return clientFault(omie.CodeNoneFound, "ERROR: Nenhuma conta corrente foi encontrada!")
	})
	if f != nil {
		return nil, f
	}
	return record{"pagina": max(1, int(i64(p, "pagina"))), "total_de_paginas": total, "registros": len(cut),
		"total_de_registros": len(rows), "ListarContasCorrentes": cut}, nil
}

// listarCategorias answers categories. [C] filtrar_por_tipo answers only active, non-totalling
// categories of that kind.
func (s *Server) listarCategorias(a *account, p record) (any, *fault) {
	tipo := strings.ToUpper(str(p, "filtrar_por_tipo"))
	var rows []record
	for _, c := range a.categorias {
		active := !flag(c, "conta_inativa")
		switch {
		case flag(p, "filtrar_apenas_ativo") && !active:
		case tipo == "R" && !(active && flag(c, "conta_receita") && !flag(c, "totalizadora")):
		case tipo == "D" && !(active && flag(c, "conta_despesa") && !flag(c, "totalizadora")):
		default:
			rows = append(rows, clone(c))
		}
	}
	return listPage(p, rows, "categoria_cadastro")
}

func (s *Server) listarCadastroServico(a *account, p record) (any, *fault) {
	inc, f := parseWindow(str(p, "dInclusaoInicial"), str(p, "hInclusaoInicial"),
		str(p, "dInclusaoFinal"), str(p, "hInclusaoFinal"), true, false)
	if f != nil {
		return nil, f
	}
	alt, f := parseWindow(str(p, "dAlteracaoInicial"), str(p, "hAlteracaoInicial"),
		str(p, "dAlteracaoFinal"), str(p, "hAlteracaoFinal"), false, true)
	if f != nil {
		return nil, f
	}
	var rows []record
	for _, r := range a.servicos.sorted() {
		info, cab := obj2(r, "info"), obj2(r, "cabecalho")
		inc0, alt0 := at(info, "dInc", "hInc"), at(info, "dAlt", "hAlt")
		switch {
		case !inc.match(inc0, alt0) || !alt.match(inc0, alt0):
		case str(p, "cCodigo") != "" && str(p, "cCodigo") != str(cab, "cCodigo"):
		// [U] cDescricao is matched as "contains", ignoring case and accents.
		case str(p, "cDescricao") != "" && !strings.Contains(br.Fold(str(cab, "cDescricao")), br.Fold(str(p, "cDescricao"))):
		case str(p, "inativo") != "" && flag(p, "inativo") != flag(info, "inativo"):
		default:
			rows = append(rows, clone(r))
		}
	}
	return nListPage(p, rows, "cadastros")
}
