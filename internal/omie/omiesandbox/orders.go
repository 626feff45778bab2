package omiesandbox

import (
	"fmt"
	"strconv"

	"github.com/pontehub/ponte/internal/omie"
)

// The sandbox checks what a real account would: required tags [C] and that referenced customers,
// services, products, bank accounts and categories exist [U: the real texts are unknown; they
// follow the customer ones]. It does not move stock or create receivables.

func (s *Server) incluirOS(a *account, p record) (any, *fault) {
	cab := obj2(p, "Cabecalho")
	if cab == nil {
		return nil, required("Cabecalho")
	}
	code := str(cab, "cCodIntOS")
	if code != "" {
		if dup := a.os.find(func(r record) bool { return str(obj2(r, "Cabecalho"), "cCodIntOS") == code }); dup != nil {
			return nil, clientFault(omie.CodeDuplicate, "ERROR: OS já cadastrada para o Código de Integração [%s] com o nCod [%d] !",
				code, a.os.idOf(dup))
		}
	}
	cli, f := findCliente(a, i64(cab, "nCodCli"), str(cab, "cCodIntCli"))
	if f != nil {
		return nil, f
	}
	if f := requireDate(cab, "dDtPrevisao"); f != nil {
		return nil, f
	}
	if str(cab, "cEtapa") == "" {
		return nil, required("cEtapa")
	}
	servicos := list(p, "ServicosPrestados")
	if len(servicos) == 0 {
		return nil, required("ServicosPrestados")
	}
	for _, sp := range servicos {
		if f := findServico(a, sp); f != nil {
			return nil, f
		}
	}
	rec := clone(p)
	total, f := osTotal(a, rec)
	if f != nil {
		return nil, f
	}
	if adic := obj2(p, "InformacoesAdicionais"); adic != nil {
		if f := checkConta(a, i64(adic, "nCodCC")); f != nil {
			return nil, f
		}
		if f := checkCategoria(a, str(adic, "cCodCateg")); f != nil {
			return nil, f
		}
	}
	if pu := obj2(p, "produtosUtilizados"); pu != nil {
		if str(pu, "cAcaoProdUtilizados") == "" {
			return nil, required("cAcaoProdUtilizados")
		}
		for _, item := range list(pu, "produtoUtilizado") {
			if f := checkProduto(a, i64(item, "nCodProdutoPU"), ""); f != nil {
				return nil, f
			}
		}
	}
	id := s.newID(a.os)
	a.seq++
	c := ensure(rec, "Cabecalho")
	c["nCodOS"], c["cNumOS"], c["nValorTotal"] = id, strconv.Itoa(a.seq), total
	c["nCodCli"] = i64(cli, "codigo_cliente_omie")
	now := s.now()
	rec["InfoCadastro"] = record{"cCancelada": "N", "cFaturada": "N", "dDtInc": omie.FormatDate(now),
		"cHrInc": omie.FormatTime(now), "dDtAlt": omie.FormatDate(now), "cHrAlt": omie.FormatTime(now)}
	a.os.rows[id] = rec
	return record{"cCodIntOS": code, "nCodOS": id, "cNumOS": c["cNumOS"], "cCodStatus": "0",
		"cDescStatus": "Ordem de Serviço cadastrada com sucesso!"}, nil
}

func (s *Server) consultarOS(a *account, p record) (any, *fault) {
	code, id, num := str(p, "cCodIntOS"), i64(p, "nCodOS"), str(p, "cNumOS")
	r := a.os.find(func(r record) bool {
		c := obj2(r, "Cabecalho")
		return (id != 0 && i64(c, "nCodOS") == id) || (code != "" && str(c, "cCodIntOS") == code) ||
			(num != "" && str(c, "cNumOS") == num)
	})
	switch {
	case r != nil:
		return clone(r), nil
	case code != "":
		return nil, clientFault(omie.CodeNotFoundByIntCod, "ERROR: OS não cadastrada para o Código de Integração [%s] !", code)
	case id != 0:
		return nil, clientFault(omie.CodeNotFoundByID, "ERROR: OS não cadastrada para o Código [%d] !", id)
	case num != "":
		return nil, clientFault(omie.CodeNotFoundByID, "ERROR: OS não cadastrada para o Número [%s] !", num)
	}
	return nil, required("cCodIntOS")
}

func (s *Server) incluirPedido(a *account, p record) (any, *fault) {
	cab := obj2(p, "cabecalho")
	if cab == nil {
		return nil, required("cabecalho")
	}
	code := str(cab, "codigo_pedido_integracao")
	if code == "" {
		return nil, required("codigo_pedido_integracao") // [C] required on insert
	}
	if dup := a.pedidos.find(func(r record) bool { return str(obj2(r, "cabecalho"), "codigo_pedido_integracao") == code }); dup != nil {
		return nil, clientFault(omie.CodeDuplicate, "ERROR: Pedido já cadastrado para o Código de Integração [%s] com o nCod [%d] !",
			code, a.pedidos.idOf(dup))
	}
	if i64(cab, "codigo_cliente") == 0 && str(cab, "codigo_cliente_integracao") == "" {
		return nil, required("codigo_cliente")
	}
	cli, f := findCliente(a, i64(cab, "codigo_cliente"), str(cab, "codigo_cliente_integracao"))
	if f != nil {
		return nil, f
	}
	if f := requireDate(cab, "data_previsao"); f != nil {
		return nil, f
	}
	for _, k := range []string{"etapa", "codigo_parcela"} {
		if str(cab, k) == "" {
			return nil, required(k)
		}
	}
	det := list(p, "det")
	if len(det) == 0 {
		return nil, required("det")
	}
	for _, d := range det {
		if str(obj2(d, "ide"), "codigo_item_integracao") == "" {
			return nil, required("codigo_item_integracao")
		}
		prod := obj2(d, "produto")
		if f := checkProduto(a, i64(prod, "codigo_produto"), str(prod, "codigo_produto_integracao")); f != nil {
			return nil, f
		}
	}
	adic := obj2(p, "informacoes_adicionais")
	if adic == nil {
		return nil, required("informacoes_adicionais")
	}
	for _, k := range []string{"codigo_categoria", "codigo_conta_corrente", "consumidor_final"} {
		if str(adic, k) == "" {
			return nil, required(k)
		}
	}
	if f := checkConta(a, i64(adic, "codigo_conta_corrente")); f != nil {
		return nil, f
	}
	if f := checkCategoria(a, str(adic, "codigo_categoria")); f != nil {
		return nil, f
	}
	totals, f := pedidoTotal(p)
	if f != nil {
		return nil, f
	}
	rec := clone(p)
	rec["total_pedido"] = totals
	id := s.newID(a.pedidos)
	a.seq++
	c := ensure(rec, "cabecalho")
	c["codigo_pedido"], c["numero_pedido"], c["quantidade_itens"] = id, strconv.Itoa(a.seq), len(det)
	c["codigo_cliente"] = i64(cli, "codigo_cliente_omie")
	c["importado_api"], c["bloqueado"], c["encerrado"] = "S", "N", "N"
	if str(c, "origem_pedido") == "" {
		c["origem_pedido"] = "API"
	}
	for _, d := range list(rec, "det") {
		ensure(d, "ide")["codigo_item"] = s.rng.Int64N(9_000_000_000) + 1_000_000_000
	}
	a.pedidos.rows[id] = rec
	return record{"codigo_pedido": id, "codigo_pedido_integracao": code, "codigo_status": "0",
		"descricao_status": "Pedido cadastrado com sucesso!", "numero_pedido": c["numero_pedido"]}, nil
}

func (s *Server) consultarPedido(a *account, p record) (any, *fault) {
	code, id, num := str(p, "codigo_pedido_integracao"), i64(p, "codigo_pedido"), str(p, "numero_pedido")
	r := a.pedidos.find(func(r record) bool {
		c := obj2(r, "cabecalho")
		return (id != 0 && i64(c, "codigo_pedido") == id) || (code != "" && str(c, "codigo_pedido_integracao") == code) ||
			(num != "" && str(c, "numero_pedido") == num)
	})
	switch {
	case r != nil:
		return record{"pedido_venda_produto": clone(r)}, nil
	case code != "":
		return nil, clientFault(omie.CodeNotFoundByIntCod, "ERROR: Pedido não cadastrado para o Código de Integração [%s] !", code)
	case id != 0:
		return nil, clientFault(omie.CodeNotFoundByID, "ERROR: Pedido não cadastrado para o Código [%d] !", id)
	case num != "":
		return nil, clientFault(omie.CodeNotFoundByID, "ERROR: Pedido não cadastrado para o Número [%s] !", num)
	}
	return nil, required("codigo_pedido")
}

func requireDate(r record, key string) *fault {
	v := str(r, key)
	if v == "" {
		return required(key)
	}
	if _, err := omie.ParseDateTime(v, ""); err != nil {
		return validation(fmt.Sprintf("ERROR: Data inválida na tag [%s]: [%s] !", key, v))
	}
	return nil
}

// findServico checks that a service line names a registered service. [C] The text for an unknown
// integration code is captured (Client-5002).
func findServico(a *account, sp record) *fault {
	id, code := i64(sp, "nCodServico"), str(sp, "cCodIntServico")
	found := a.servicos.find(func(r record) bool {
		in := obj2(r, "intListar")
		return (id != 0 && i64(in, "nCodServ") == id) || (id == 0 && code != "" && str(in, "cCodIntServ") == code)
	})
	switch {
	case found != nil:
		return nil
	case id != 0:
		return clientFault(omie.CodeNotFoundByID, "ERROR: Serviço não cadastrado para o Código [%d] !", id)
	case code != "":
		return clientFault(omie.CodeServiceNotFound,
			"ERROR: Serviço não cadastrado para o Código de integração do Serviço [%s] ! Tag [cCodIntServ]!", code)
	}
	return required("nCodServico")
}

func checkProduto(a *account, id int64, code string) *fault {
	if id == 0 && code == "" {
		return required("codigo_produto")
	}
	found := a.produtos.find(func(r record) bool {
		return (id != 0 && i64(r, "codigo_produto") == id) || (id == 0 && str(r, "codigo_produto_integracao") == code)
	})
	if found != nil {
		return nil
	}
	if id != 0 {
		return clientFault(omie.CodeNotFoundByID, "ERROR: Produto não cadastrado para o Código [%d] !", id)
	}
	return clientFault(omie.CodeNotFoundByIntCod, "ERROR: Produto não cadastrado para o Código de Integração [%s] !", code)
}

func checkConta(a *account, id int64) *fault {
	if id == 0 {
		return nil
	}
	if _, ok := a.contas.rows[id]; !ok {
		return clientFault(omie.CodeNotFoundByID, "ERROR: Conta Corrente não cadastrada para o Código [%d] !", id)
	}
	return nil
}

func checkCategoria(a *account, code string) *fault {
	if code == "" {
		return nil
	}
	for _, c := range a.categorias {
		if str(c, "codigo") == code {
			return nil
		}
	}
	return clientFault(omie.CodeNotFoundByID, "ERROR: Categoria não cadastrada para o Código [%s] !", code)
}
