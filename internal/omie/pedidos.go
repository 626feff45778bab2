package omie

import "context"

var (
	opIncluirPedido   = op{service: "produtos/pedido/", call: "IncluirPedido", write: true}
	opConsultarPedido = op{service: "produtos/pedido/", call: "ConsultarPedido"}
)

// Pedido is a sale of products ("pedido_venda_produto"); its keys are snake_case.
type Pedido struct {
	Cabecalho             PedidoCabecalho              `json:"cabecalho"`
	Det                   []PedidoItem                 `json:"det,omitempty"`
	Frete                 *PedidoFrete                 `json:"frete,omitempty"`
	InformacoesAdicionais *PedidoInformacoesAdicionais `json:"informacoes_adicionais,omitempty"`
	ListaParcelas         *PedidoListaParcelas         `json:"lista_parcelas,omitempty"`
	Observacoes           *PedidoObservacoes           `json:"observacoes,omitempty"`
	TotalPedido           *PedidoTotal                 `json:"total_pedido,omitempty"` // computed by Omie: read only
}

// PedidoTotal is the totals block Omie computes for an order ("total_pedido"). Ponte never
// sends it; ConsultarPedido reads it to show what Omie made of the order.
type PedidoTotal struct {
	ValorMercadorias Money `json:"valor_mercadorias"`
	ValorDescontos   Money `json:"valor_descontos"`
	ValorOutrasDesp  Money `json:"outras_despesas"`
	ValorTotalPedido Money `json:"valor_total_pedido"`
}

// PedidoCabecalho is an order's header. CodigoPedidoIntegracao is required and is the
// idempotency key; CodigoCliente is the customer's codigo_cliente_omie.
type PedidoCabecalho struct {
	CodigoPedido            int64  `json:"codigo_pedido,omitempty"`
	CodigoPedidoIntegracao  string `json:"codigo_pedido_integracao,omitempty"`
	CodigoCliente           int64  `json:"codigo_cliente,omitempty"`
	CodigoClienteIntegracao string `json:"codigo_cliente_integracao,omitempty"`
	DataPrevisao            string `json:"data_previsao,omitempty"`
	Etapa                   string `json:"etapa,omitempty"`          // "10".."50"
	CodigoParcela           string `json:"codigo_parcela,omitempty"` // "999" = custom instalments
	QtdeParcelas            int    `json:"qtde_parcelas,omitempty"`
	OrigemPedido            string `json:"origem_pedido,omitempty"`
	CodigoCenarioImpostos   string `json:"codigo_cenario_impostos,omitempty"`
	NumeroPedido            string `json:"numero_pedido,omitempty"` // filled by Omie
	QuantidadeItens         int    `json:"quantidade_itens,omitempty"`
	Bloqueado               Flag   `json:"bloqueado,omitempty"`
	ImportadoAPI            Flag   `json:"importado_api,omitempty"`
	Encerrado               Flag   `json:"encerrado,omitempty"`
}

// PedidoItem is one line of an order ("det").
type PedidoItem struct {
	Ide        PedidoItemIde         `json:"ide"`
	Produto    PedidoItemProduto     `json:"produto"`
	InfAdic    *PedidoItemInfAdic    `json:"inf_adic,omitempty"`
	Observacao *PedidoItemObservacao `json:"observacao,omitempty"`
}

// PedidoItemIde identifies an order line; CodigoItemIntegracao is required.
type PedidoItemIde struct {
	CodigoItemIntegracao string `json:"codigo_item_integracao,omitempty"`
	CodigoItem           int64  `json:"codigo_item,omitempty"`
	AcaoItem             string `json:"acao_item,omitempty"`
}

// PedidoItemProduto is the product, quantity and price of an order line.
type PedidoItemProduto struct {
	CodigoProduto           int64  `json:"codigo_produto,omitempty"`
	CodigoProdutoIntegracao string `json:"codigo_produto_integracao,omitempty"`
	Descricao               string `json:"descricao,omitempty"`
	// Quantidade and ValorUnitario are required [C] and sent even when zero: a free warranty
	// item is a real line, and an omitted price would not mean zero.
	Quantidade         Quantity `json:"quantidade"`
	ValorUnitario      Money    `json:"valor_unitario"`
	TipoDesconto       string   `json:"tipo_desconto,omitempty"` // "V" value, "P" percent
	PercentualDesconto Quantity `json:"percentual_desconto,omitempty"`
	ValorDesconto      Money    `json:"valor_desconto,omitempty"`
	CFOP               string   `json:"cfop,omitempty"`
	NCM                string   `json:"ncm,omitempty"`
	Unidade            string   `json:"unidade,omitempty"`
	CodigoTabelaPreco  int64    `json:"codigo_tabela_preco,omitempty"`
	Reservado          Flag     `json:"reservado,omitempty"`
}

// PedidoItemInfAdic carries the stock location and category of an order line.
type PedidoItemInfAdic struct {
	CodigoLocalEstoque   int64  `json:"codigo_local_estoque,omitempty"`
	CodigoCategoriaItem  string `json:"codigo_categoria_item,omitempty"`
	NaoMovimentarEstoque Flag   `json:"nao_movimentar_estoque,omitempty"`
	NaoGerarFinanceiro   Flag   `json:"nao_gerar_financeiro,omitempty"`
}

// PedidoItemObservacao is a note on an order line.
type PedidoItemObservacao struct {
	ObsItem string `json:"obs_item,omitempty"`
}

// PedidoFrete is the order's tab "Frete e Outras Despesas"; Modalidade is required when the
// block is sent ("9" = sem frete). OutrasDespesas ("outras despesas acessórias") is where an
// order's extra costs go [C S1 Frete.php].
type PedidoFrete struct {
	Modalidade           string `json:"modalidade,omitempty"`
	CodigoTransportadora int64  `json:"codigo_transportadora,omitempty"`
	ValorFrete           Money  `json:"valor_frete,omitempty"`
	OutrasDespesas       Money  `json:"outras_despesas,omitempty"`
}

// PedidoInformacoesAdicionais holds an order's category, bank account and e-mail settings.
type PedidoInformacoesAdicionais struct {
	CodigoCategoria     string `json:"codigo_categoria,omitempty"`
	CodigoContaCorrente int64  `json:"codigo_conta_corrente,omitempty"`
	ConsumidorFinal     Flag   `json:"consumidor_final,omitempty"`
	UtilizarEmails      string `json:"utilizar_emails,omitempty"`
	EnviarEmail         Flag   `json:"enviar_email,omitempty"`
	EnviarPix           Flag   `json:"enviar_pix,omitempty"`
	NumeroPedidoCliente string `json:"numero_pedido_cliente,omitempty"`
	NumeroContrato      string `json:"numero_contrato,omitempty"`
	Contato             string `json:"contato,omitempty"`
	DadosAdicionaisNF   string `json:"dados_adicionais_nf,omitempty"`
	CodVend             int64  `json:"codVend,omitempty"`
	CodProj             int64  `json:"codProj,omitempty"`
	MeioPagamento       string `json:"meio_pagamento,omitempty"`
	TipoDocumento       string `json:"tipo_documento,omitempty"`
}

// PedidoListaParcelas lists custom instalments.
type PedidoListaParcelas struct {
	Parcela []PedidoParcela `json:"parcela,omitempty"`
}

// PedidoParcela is one instalment of an order.
type PedidoParcela struct {
	NumeroParcela  int      `json:"numero_parcela,omitempty"`
	Valor          Money    `json:"valor,omitempty"`
	Percentual     Quantity `json:"percentual,omitempty"`
	DataVencimento string   `json:"data_vencimento,omitempty"`
	QuantidadeDias int      `json:"quantidade_dias,omitempty"`
}

// PedidoObservacoes is an order's note.
type PedidoObservacoes struct {
	ObsVenda string `json:"obs_venda,omitempty"`
}

// PedidoChave names an order by id, integration code or number.
type PedidoChave struct {
	CodigoPedido           int64  `json:"codigo_pedido,omitempty"`
	CodigoPedidoIntegracao string `json:"codigo_pedido_integracao,omitempty"`
	NumeroPedido           string `json:"numero_pedido,omitempty"`
}

// PedidoStatus is the answer to IncluirPedido; CodigoStatus "0" is success.
type PedidoStatus struct {
	CodigoPedido           int64  `json:"codigo_pedido"`
	CodigoPedidoIntegracao string `json:"codigo_pedido_integracao"`
	CodigoStatus           string `json:"codigo_status"`
	DescricaoStatus        string `json:"descricao_status"`
	NumeroPedido           string `json:"numero_pedido"`
}

// IncluirPedido creates a sale keyed by Cabecalho.CodigoPedidoIntegracao. A repeated code is
// partner.KindConflict; an answer with a non-zero codigo_status is a refusal with Omie's text
// (partner.KindInvalid), never an order 0. After an ambiguous failure (or a success answer
// without an id) the order is looked up by its code and, when found, reported as created.
func (c *Client) IncluirPedido(ctx context.Context, p Pedido) (PedidoStatus, error) {
	out, err := call[PedidoStatus](ctx, c, opIncluirPedido, p)
	if err == nil {
		err = writeStatus(opIncluirPedido, out.CodigoStatus, out.DescricaoStatus, out.CodigoPedido)
	}
	if code := p.Cabecalho.CodigoPedidoIntegracao; err != nil && code != "" && ambiguous(err) {
		if found, lerr := c.ConsultarPedido(ctx, PedidoChave{CodigoPedidoIntegracao: code}); lerr == nil && found.Cabecalho.CodigoPedido != 0 {
			return PedidoStatus{CodigoPedido: found.Cabecalho.CodigoPedido, CodigoPedidoIntegracao: code,
				NumeroPedido: found.Cabecalho.NumeroPedido, CodigoStatus: "0",
				DescricaoStatus: "Pedido encontrado após falha ambígua"}, nil
		}
	}
	return out, err
}

// ConsultarPedido returns one order; a missing one is partner.KindNotFound.
func (c *Client) ConsultarPedido(ctx context.Context, key PedidoChave) (Pedido, error) {
	var out struct {
		PedidoVendaProduto Pedido `json:"pedido_venda_produto"`
	}
	err := c.do(ctx, opConsultarPedido, key, &out)
	return out.PedidoVendaProduto, err
}
