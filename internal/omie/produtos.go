package omie

import (
	"context"
	"iter"
)

var (
	opListarProdutos      = op{service: "geral/produtos/", call: "ListarProdutos"}
	opConsultarProduto    = op{service: "geral/produtos/", call: "ConsultarProduto"}
	opListarPosEstoque    = op{service: "estoque/consulta/", call: "ListarPosEstoque"}
	opListarLocaisEstoque = op{service: "estoque/local/", call: "ListarLocaisEstoque"}
)

// Produto is Omie's product record ("produto_servico_cadastro"). Stock is not here: it comes from
// ListarPosEstoque, per location.
type Produto struct {
	CodigoProduto           int64                 `json:"codigo_produto,omitempty"` // Omie's id
	CodigoProdutoIntegracao string                `json:"codigo_produto_integracao,omitempty"`
	Codigo                  string                `json:"codigo,omitempty"` // the SKU users see and may edit
	Descricao               string                `json:"descricao,omitempty"`
	Unidade                 string                `json:"unidade,omitempty"`
	NCM                     string                `json:"ncm,omitempty"`
	EAN                     string                `json:"ean,omitempty"`
	ValorUnitario           float64               `json:"valor_unitario,omitempty"`
	CodigoFamilia           int64                 `json:"codigo_familia,omitempty"`
	TipoItem                string                `json:"tipoItem,omitempty"`
	PesoLiq                 float64               `json:"peso_liq,omitempty"`
	PesoBruto               float64               `json:"peso_bruto,omitempty"`
	Altura                  float64               `json:"altura,omitempty"`
	Largura                 float64               `json:"largura,omitempty"`
	Profundidade            float64               `json:"profundidade,omitempty"`
	Marca                   string                `json:"marca,omitempty"`
	Modelo                  string                `json:"modelo,omitempty"`
	DescrDetalhada          string                `json:"descr_detalhada,omitempty"`
	ObsInternas             string                `json:"obs_internas,omitempty"`
	Bloqueado               Flag                  `json:"bloqueado,omitempty"`
	BloquearExclusao        Flag                  `json:"bloquear_exclusao,omitempty"`
	ImportadoAPI            Flag                  `json:"importado_api,omitempty"`
	Inativo                 Flag                  `json:"inativo,omitempty"`
	ProdutoVariacao         Flag                  `json:"produto_variacao,omitempty"`
	ProdutoLote             Flag                  `json:"produto_lote,omitempty"`
	RecomendacoesFiscais    *RecomendacoesFiscais `json:"recomendacoes_fiscais,omitempty"`
	Info                    *Info                 `json:"info,omitempty"`
}

// RecomendacoesFiscais are a product's tax hints.
type RecomendacoesFiscais struct {
	OrigemMercadoria string `json:"origem_mercadoria,omitempty"`
	CupomFiscal      Flag   `json:"cupom_fiscal,omitempty"`
	MarketPlace      Flag   `json:"market_place,omitempty"`
}

// ProdutoChave names one product ("produto_servico_cadastro_chave").
type ProdutoChave struct {
	CodigoProduto           int64  `json:"codigo_produto,omitempty"`
	CodigoProdutoIntegracao string `json:"codigo_produto_integracao,omitempty"`
	Codigo                  string `json:"codigo,omitempty"`
}

// ListarProdutosRequest is "produto_servico_list_request". There is no filtrar_apenas_ativo:
// Omie refuses it as an unknown tag.
type ListarProdutosRequest struct {
	Pagina                   int            `json:"pagina"`
	RegistrosPorPagina       int            `json:"registros_por_pagina"`
	ApenasImportadoAPI       Flag           `json:"apenas_importado_api,omitempty"`
	FiltrarPorDataDe         string         `json:"filtrar_por_data_de,omitempty"`
	FiltrarPorDataAte        string         `json:"filtrar_por_data_ate,omitempty"`
	FiltrarPorHoraDe         string         `json:"filtrar_por_hora_de,omitempty"`
	FiltrarPorHoraAte        string         `json:"filtrar_por_hora_ate,omitempty"`
	FiltrarApenasInclusao    Flag           `json:"filtrar_apenas_inclusao,omitempty"`
	FiltrarApenasAlteracao   Flag           `json:"filtrar_apenas_alteracao,omitempty"`
	FiltrarApenasOmiePDV     Flag           `json:"filtrar_apenas_omiepdv,omitempty"` // send N to get every product
	FiltrarApenasFamilia     int64          `json:"filtrar_apenas_familia,omitempty"`
	FiltrarApenasTipo        string         `json:"filtrar_apenas_tipo,omitempty"`
	FiltrarApenasDescricao   string         `json:"filtrar_apenas_descricao,omitempty"` // "X", "X%", "%X", "%X%"
	FiltrarApenasMarketplace Flag           `json:"filtrar_apenas_marketplace,omitempty"`
	ExibirCaracteristicas    Flag           `json:"exibir_caracteristicas,omitempty"`
	ExibirTabelasPreco       Flag           `json:"exibir_tabelas_preco,omitempty"`
	ExibirObs                Flag           `json:"exibir_obs,omitempty"`
	ExibirKit                Flag           `json:"exibir_kit,omitempty"`
	ProdutosPorCodigo        []ProdutoChave `json:"produtosPorCodigo,omitempty"`
	Inativo                  Flag           `json:"inativo,omitempty"`
	NCM                      string         `json:"ncm,omitempty"`
	EAN                      string         `json:"ean,omitempty"`
}

// ListarProdutosResponse is "produto_servico_listfull_response".
type ListarProdutosResponse struct {
	Page
	ProdutoServicoCadastro []Produto `json:"produto_servico_cadastro"`
}

// ListarProdutos returns one page of products; a page without records is empty, not an error.
func (c *Client) ListarProdutos(ctx context.Context, req ListarProdutosRequest) (ListarProdutosResponse, error) {
	return list(ctx, c, opListarProdutos, req, ListarProdutosResponse{Page: Page{Pagina: req.Pagina}})
}

// AllProdutos pages through ListarProdutos.
func (c *Client) AllProdutos(ctx context.Context, req ListarProdutosRequest) iter.Seq2[Produto, error] {
	return pages(req.Pagina, func(p int) ([]Produto, int, error) {
		req.Pagina = p
		res, err := c.ListarProdutos(ctx, req)
		return res.ProdutoServicoCadastro, res.TotalDePaginas, err
	})
}

// ConsultarProduto returns one product; a missing one is partner.KindNotFound.
func (c *Client) ConsultarProduto(ctx context.Context, key ProdutoChave) (Produto, error) {
	return call[Produto](ctx, c, opConsultarProduto, key)
}

// ListarPosEstoqueRequest asks for stock positions. Without a location Omie answers the default
// one; ListaLocalEstoque "TODOS" answers every location.
type ListarPosEstoqueRequest struct {
	NPagina                 int                   `json:"nPagina"`
	NRegPorPagina           int                   `json:"nRegPorPagina"`
	DDataPosicao            string                `json:"dDataPosicao,omitempty"`
	CExibeTodos             Flag                  `json:"cExibeTodos,omitempty"` // S: also products without stock
	CodigoLocalEstoque      int64                 `json:"codigo_local_estoque,omitempty"`
	ListaLocalEstoque       string                `json:"lista_local_estoque,omitempty"` // "id,id" or "TODOS"
	CTipoItem               string                `json:"cTipoItem,omitempty"`
	CExibeApenasPDV         Flag                  `json:"cExibeApenasPDV,omitempty"`
	CExibeApenasMarketplace Flag                  `json:"cExibeApenasMarketplace,omitempty"`
	ListaProdutos           []ProdutoEstoqueChave `json:"lista_produtos,omitempty"`
}

// ProdutoEstoqueChave names a product in a stock query.
type ProdutoEstoqueChave struct {
	NCodProd int64  `json:"nCodProd,omitempty"`
	CCodInt  string `json:"cCodInt,omitempty"`
	CCodigo  string `json:"cCodigo,omitempty"`
}

// PosEstoque is one product's stock in one location.
type PosEstoque struct {
	NCodProd           int64   `json:"nCodProd"`
	CCodInt            string  `json:"cCodInt,omitempty"`
	CCodigo            string  `json:"cCodigo,omitempty"`
	CDescricao         string  `json:"cDescricao,omitempty"`
	NPrecoUnitario     float64 `json:"nPrecoUnitario,omitempty"`
	NSaldo             float64 `json:"nSaldo"`
	NCMC               float64 `json:"nCMC,omitempty"`
	NPendente          float64 `json:"nPendente,omitempty"`
	EstoqueMinimo      float64 `json:"estoque_minimo,omitempty"`
	CodigoLocalEstoque int64   `json:"codigo_local_estoque"`
	Reservado          float64 `json:"reservado"`
	Fisico             float64 `json:"fisico"`
}

// ListarPosEstoqueResponse is one page of stock positions.
type ListarPosEstoqueResponse struct {
	NPage
	DDataPosicao string       `json:"dDataPosicao,omitempty"`
	Produtos     []PosEstoque `json:"produtos"`
}

// ListarPosEstoque returns one page of stock positions; no positions is an empty page.
func (c *Client) ListarPosEstoque(ctx context.Context, req ListarPosEstoqueRequest) (ListarPosEstoqueResponse, error) {
	return list(ctx, c, opListarPosEstoque, req, ListarPosEstoqueResponse{NPage: NPage{NPagina: req.NPagina}})
}

// AllPosEstoque pages through ListarPosEstoque.
func (c *Client) AllPosEstoque(ctx context.Context, req ListarPosEstoqueRequest) iter.Seq2[PosEstoque, error] {
	return pages(req.NPagina, func(p int) ([]PosEstoque, int, error) {
		req.NPagina = p
		res, err := c.ListarPosEstoque(ctx, req)
		return res.Produtos, res.NTotPaginas, err
	})
}

// ListarLocaisEstoqueRequest asks for stock locations.
type ListarLocaisEstoqueRequest struct {
	NPagina                int    `json:"nPagina"`
	NRegPorPagina          int    `json:"nRegPorPagina"`
	FiltrarPorDataDe       string `json:"filtrar_por_data_de,omitempty"`
	FiltrarPorDataAte      string `json:"filtrar_por_data_ate,omitempty"`
	FiltrarPorHoraDe       string `json:"filtrar_por_hora_de,omitempty"`
	FiltrarPorHoraAte      string `json:"filtrar_por_hora_ate,omitempty"`
	FiltrarApenasInclusao  Flag   `json:"filtrar_apenas_inclusao,omitempty"`
	FiltrarApenasAlteracao Flag   `json:"filtrar_apenas_alteracao,omitempty"`
}

// LocalEstoque is a stock location. Its audit fields are flat, unlike the info block of customers.
type LocalEstoque struct {
	CodigoLocalEstoque int64  `json:"codigo_local_estoque"` // the id other services take
	Codigo             string `json:"codigo,omitempty"`
	Descricao          string `json:"descricao,omitempty"`
	Tipo               string `json:"tipo,omitempty"`
	Padrao             Flag   `json:"padrao,omitempty"`
	Inativo            Flag   `json:"inativo,omitempty"`
	CodigoCliente      int64  `json:"codigo_cliente,omitempty"`
	DispOrdemProducao  Flag   `json:"dispOrdemProducao,omitempty"`
	DispConsumoOP      Flag   `json:"dispConsumoOP,omitempty"`
	DispRemessa        Flag   `json:"dispRemessa,omitempty"`
	DispVenda          Flag   `json:"dispVenda,omitempty"`
	DInc               string `json:"dInc,omitempty"`
	HInc               string `json:"hInc,omitempty"`
	UInc               string `json:"uInc,omitempty"`
	DAlt               string `json:"dAlt,omitempty"`
	HAlt               string `json:"hAlt,omitempty"`
	UAlt               string `json:"uAlt,omitempty"`
}

// ListarLocaisEstoqueResponse is one page of stock locations.
type ListarLocaisEstoqueResponse struct {
	NPage
	LocaisEncontrados []LocalEstoque `json:"locaisEncontrados"`
}

// ListarLocaisEstoque returns one page of stock locations; none is an empty page.
func (c *Client) ListarLocaisEstoque(ctx context.Context, req ListarLocaisEstoqueRequest) (ListarLocaisEstoqueResponse, error) {
	return list(ctx, c, opListarLocaisEstoque, req, ListarLocaisEstoqueResponse{NPage: NPage{NPagina: req.NPagina}})
}
