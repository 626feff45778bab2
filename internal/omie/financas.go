package omie

import "context"

var (
	opListarContasCorrentes = op{service: "geral/contacorrente/", call: "ListarContasCorrentes"}
	opListarCategorias      = op{service: "geral/categorias/", call: "ListarCategorias"}
)

// ListarContasCorrentesRequest asks for bank accounts.
type ListarContasCorrentesRequest struct {
	Pagina                 int    `json:"pagina"`
	RegistrosPorPagina     int    `json:"registros_por_pagina"`
	Codigo                 int64  `json:"codigo,omitempty"`
	CodigoIntegracao       string `json:"codigo_integracao,omitempty"`
	ApenasImportadoAPI     Flag   `json:"apenas_importado_api,omitempty"`
	FiltrarPorDataDe       string `json:"filtrar_por_data_de,omitempty"`
	FiltrarPorDataAte      string `json:"filtrar_por_data_ate,omitempty"`
	FiltrarApenasInclusao  Flag   `json:"filtrar_apenas_inclusao,omitempty"`
	FiltrarApenasAlteracao Flag   `json:"filtrar_apenas_alteracao,omitempty"`
	FiltrarApenasAtivo     Flag   `json:"filtrar_apenas_ativo,omitempty"`
}

// ContaCorrente is a bank or cash account; NCodCC is the id orders and service orders take.
type ContaCorrente struct {
	NCodCC              int64   `json:"nCodCC"`
	CCodCCInt           string  `json:"cCodCCInt,omitempty"`
	Descricao           string  `json:"descricao,omitempty"`
	TipoContaCorrente   string  `json:"tipo_conta_corrente,omitempty"` // CC, CX, AC, …
	CodigoBanco         string  `json:"codigo_banco,omitempty"`
	CodigoAgencia       string  `json:"codigo_agencia,omitempty"`
	NumeroContaCorrente string  `json:"numero_conta_corrente,omitempty"`
	SaldoInicial        float64 `json:"saldo_inicial,omitempty"`
	SaldoData           string  `json:"saldo_data,omitempty"`
	ValorLimite         float64 `json:"valor_limite,omitempty"`
	Inativo             Flag    `json:"inativo,omitempty"`
	Bloqueado           Flag    `json:"bloqueado,omitempty"`
	ImportadoAPI        Flag    `json:"importado_api,omitempty"`
	DataInc             string  `json:"data_inc,omitempty"`
	HoraInc             string  `json:"hora_inc,omitempty"`
	UserInc             string  `json:"user_inc,omitempty"`
	DataAlt             string  `json:"data_alt,omitempty"`
	HoraAlt             string  `json:"hora_alt,omitempty"`
	UserAlt             string  `json:"user_alt,omitempty"`
}

// ListarContasCorrentesResponse is one page of bank accounts. Omie names the list after the method.
type ListarContasCorrentesResponse struct {
	Page
	ListarContasCorrentes []ContaCorrente `json:"ListarContasCorrentes"`
}

// ListarContasCorrentes returns one page of bank accounts. Omie's "nenhuma conta corrente foi
// encontrada" (Client-101) is an empty page.
func (c *Client) ListarContasCorrentes(ctx context.Context, req ListarContasCorrentesRequest) (ListarContasCorrentesResponse, error) {
	return list(ctx, c, opListarContasCorrentes, req, ListarContasCorrentesResponse{Page: Page{Pagina: req.Pagina}})
}

// ListarCategoriasRequest asks for categories. FiltrarPorTipo "R" (receita) or "D" (despesa)
// answers only active, non-totalling categories of that kind.
type ListarCategoriasRequest struct {
	Pagina             int    `json:"pagina"`
	RegistrosPorPagina int    `json:"registros_por_pagina"`
	FiltrarApenasAtivo Flag   `json:"filtrar_apenas_ativo,omitempty"`
	FiltrarPorTipo     string `json:"filtrar_por_tipo,omitempty"`
}

// Categoria is an income or expense category; Codigo ("1.01.02") is what orders take.
type Categoria struct {
	Codigo              string    `json:"codigo"`
	Descricao           string    `json:"descricao,omitempty"`
	DescricaoPadrao     string    `json:"descricao_padrao,omitempty"`
	TipoCategoria       string    `json:"tipo_categoria,omitempty"`
	ContaInativa        Flag      `json:"conta_inativa,omitempty"`
	DefinidaPeloUsuario Flag      `json:"definida_pelo_usuario,omitempty"`
	IDContaContabil     int64     `json:"id_conta_contabil,omitempty"`
	TagContaContabil    string    `json:"tag_conta_contabil,omitempty"`
	ContaDespesa        Flag      `json:"conta_despesa,omitempty"`
	ContaReceita        Flag      `json:"conta_receita,omitempty"`
	NaoExibir           Flag      `json:"nao_exibir,omitempty"`
	Natureza            string    `json:"natureza,omitempty"`
	Totalizadora        Flag      `json:"totalizadora,omitempty"`
	Transferencia       Flag      `json:"transferencia,omitempty"`
	CodigoDRE           string    `json:"codigo_dre,omitempty"`
	CategoriaSuperior   string    `json:"categoria_superior,omitempty"`
	DadosDRE            *DadosDRE `json:"dadosDRE,omitempty"`
}

// DadosDRE places a category in the income statement.
type DadosDRE struct {
	CodigoDRE    string `json:"codigoDRE,omitempty"`
	DescricaoDRE string `json:"descricaoDRE,omitempty"`
	NaoExibirDRE Flag   `json:"naoExibirDRE,omitempty"`
	NivelDRE     int    `json:"nivelDRE,omitempty"`
	SinalDRE     string `json:"sinalDRE,omitempty"`
	TotalizaDRE  Flag   `json:"totalizaDRE,omitempty"`
}

// ListarCategoriasResponse is one page of categories.
type ListarCategoriasResponse struct {
	Page
	CategoriaCadastro []Categoria `json:"categoria_cadastro"`
}

// ListarCategorias returns one page of categories; none is an empty page.
func (c *Client) ListarCategorias(ctx context.Context, req ListarCategoriasRequest) (ListarCategoriasResponse, error) {
	return list(ctx, c, opListarCategorias, req, ListarCategoriasResponse{Page: Page{Pagina: req.Pagina}})
}
