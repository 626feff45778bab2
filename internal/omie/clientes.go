package omie

import (
	"context"
	"iter"
)

var (
	opListarClientes        = op{service: "geral/clientes/", call: "ListarClientes"}
	opConsultarCliente      = op{service: "geral/clientes/", call: "ConsultarCliente"}
	opIncluirCliente        = op{service: "geral/clientes/", call: "IncluirCliente", write: true}
	opAlterarCliente        = op{service: "geral/clientes/", call: "AlterarCliente", write: true}
	opUpsertCliente         = op{service: "geral/clientes/", call: "UpsertCliente", write: true}
	opAssociarCodIntCliente = op{service: "geral/clientes/", call: "AssociarCodIntCliente", write: true}
)

// ClienteCadastro is Omie's customer/supplier/carrier record ("clientes_cadastro"). One record
// type serves every role; the role is told by Tags.
type ClienteCadastro struct {
	CodigoClienteOmie       int64  `json:"codigo_cliente_omie,omitempty"` // Omie's id
	CodigoClienteIntegracao string `json:"codigo_cliente_integracao,omitempty"`
	RazaoSocial             string `json:"razao_social,omitempty"`
	NomeFantasia            string `json:"nome_fantasia,omitempty"`
	CnpjCpf                 string `json:"cnpj_cpf,omitempty"` // Omie answers it formatted
	PessoaFisica            Flag   `json:"pessoa_fisica,omitempty"`
	Exterior                Flag   `json:"exterior,omitempty"`
	Inativo                 Flag   `json:"inativo,omitempty"`
	ImportadoAPI            Flag   `json:"importado_api,omitempty"`
	BloquearFaturamento     Flag   `json:"bloquear_faturamento,omitempty"`
	BloquearExclusao        Flag   `json:"bloquear_exclusao,omitempty"`

	Endereco        string `json:"endereco,omitempty"`
	EnderecoNumero  string `json:"endereco_numero,omitempty"`
	Complemento     string `json:"complemento,omitempty"`
	Bairro          string `json:"bairro,omitempty"`
	Cidade          string `json:"cidade,omitempty"` // name or IBGE code; answered like "ARIQUEMES (RO)"
	CidadeIBGE      string `json:"cidade_ibge,omitempty"`
	Estado          string `json:"estado,omitempty"`
	Cep             string `json:"cep,omitempty"`
	CodigoPais      string `json:"codigo_pais,omitempty"`
	SepararEndereco Flag   `json:"separar_endereco,omitempty"`
	PesquisarCep    Flag   `json:"pesquisar_cep,omitempty"`

	Contato         string `json:"contato,omitempty"`
	Telefone1DDD    string `json:"telefone1_ddd,omitempty"`
	Telefone1Numero string `json:"telefone1_numero,omitempty"`
	Telefone2DDD    string `json:"telefone2_ddd,omitempty"`
	Telefone2Numero string `json:"telefone2_numero,omitempty"`
	FaxDDD          string `json:"fax_ddd,omitempty"`
	FaxNumero       string `json:"fax_numero,omitempty"`
	Email           string `json:"email,omitempty"`
	Homepage        string `json:"homepage,omitempty"`

	InscricaoEstadual      string `json:"inscricao_estadual,omitempty"`
	InscricaoMunicipal     string `json:"inscricao_municipal,omitempty"`
	InscricaoSuframa       string `json:"inscricao_suframa,omitempty"`
	OptanteSimplesNacional Flag   `json:"optante_simples_nacional,omitempty"`
	TipoAtividade          string `json:"tipo_atividade,omitempty"`
	Cnae                   string `json:"cnae,omitempty"`
	ProdutorRural          Flag   `json:"produtor_rural,omitempty"`
	Contribuinte           Flag   `json:"contribuinte,omitempty"`
	Nif                    string `json:"nif,omitempty"`
	DocumentoExterior      string `json:"documento_exterior,omitempty"`

	Observacao         string  `json:"observacao,omitempty"`
	ObsDetalhadas      string  `json:"obs_detalhadas,omitempty"`
	RecomendacaoAtraso string  `json:"recomendacao_atraso,omitempty"`
	ValorLimiteCredito float64 `json:"valor_limite_credito,omitempty"`
	EnviarAnexos       Flag    `json:"enviar_anexos,omitempty"`

	// Tags replaces the whole list on AlterarCliente: read, merge, then write.
	Tags            []Tag            `json:"tags,omitempty"`
	Caracteristicas []Caracteristica `json:"caracteristicas,omitempty"`
	Recomendacoes   *Recomendacoes   `json:"recomendacoes,omitempty"`
	EnderecoEntrega *EnderecoEntrega `json:"enderecoEntrega,omitempty"`
	DadosBancarios  *DadosBancarios  `json:"dadosBancarios,omitempty"`
	Info            *Info            `json:"info,omitempty"` // filled by Omie; never sent
}

// Caracteristica is one custom field of a customer.
type Caracteristica struct {
	Campo    string `json:"campo"`
	Conteudo string `json:"conteudo"`
}

// Recomendacoes are a customer's billing defaults.
type Recomendacoes struct {
	NumeroParcelas       string `json:"numero_parcelas,omitempty"`
	CodigoVendedor       int64  `json:"codigo_vendedor,omitempty"`
	EmailFatura          string `json:"email_fatura,omitempty"`
	GerarBoletos         Flag   `json:"gerar_boletos,omitempty"`
	CodigoTransportadora int64  `json:"codigo_transportadora,omitempty"`
}

// EnderecoEntrega is a customer's delivery address.
type EnderecoEntrega struct {
	EntRazaoSocial     string `json:"entRazaoSocial,omitempty"`
	EntCnpjCpf         string `json:"entCnpjCpf,omitempty"`
	EntEndereco        string `json:"entEndereco,omitempty"`
	EntNumero          string `json:"entNumero,omitempty"`
	EntComplemento     string `json:"entComplemento,omitempty"`
	EntBairro          string `json:"entBairro,omitempty"`
	EntCEP             string `json:"entCEP,omitempty"`
	EntEstado          string `json:"entEstado,omitempty"`
	EntCidade          string `json:"entCidade,omitempty"`
	EntSepararEndereco Flag   `json:"entSepararEndereco,omitempty"`
	EntTelefone        string `json:"entTelefone,omitempty"`
	EntIE              string `json:"entIE,omitempty"`
}

// DadosBancarios are a customer's bank details.
type DadosBancarios struct {
	CodigoBanco   string `json:"codigo_banco,omitempty"`
	Agencia       string `json:"agencia,omitempty"`
	ContaCorrente string `json:"conta_corrente,omitempty"`
	DocTitular    string `json:"doc_titular,omitempty"`
	NomeTitular   string `json:"nome_titular,omitempty"`
	TransfPadrao  Flag   `json:"transf_padrao,omitempty"`
	CChavePix     string `json:"cChavePix,omitempty"`
}

// ClienteChave names one customer by Omie id or integration code ("clientes_cadastro_chave").
type ClienteChave struct {
	CodigoClienteOmie       int64  `json:"codigo_cliente_omie,omitempty"`
	CodigoClienteIntegracao string `json:"codigo_cliente_integracao,omitempty"`
}

// ClienteStatus is the answer to every customer write ("clientes_status"); CodigoStatus "0" is success.
type ClienteStatus struct {
	CodigoClienteOmie       int64  `json:"codigo_cliente_omie"`
	CodigoClienteIntegracao string `json:"codigo_cliente_integracao"`
	CodigoStatus            string `json:"codigo_status"`
	DescricaoStatus         string `json:"descricao_status"`
}

// ListarClientesRequest is "clientes_list_request". For incremental sync set FiltrarPorDataDe and
// FiltrarPorHoraDe to the cursor and FiltrarApenasAlteracao to S.
type ListarClientesRequest struct {
	Pagina                 int             `json:"pagina"`
	RegistrosPorPagina     int             `json:"registros_por_pagina"`
	ApenasImportadoAPI     Flag            `json:"apenas_importado_api,omitempty"`
	FiltrarPorDataDe       string          `json:"filtrar_por_data_de,omitempty"`
	FiltrarPorDataAte      string          `json:"filtrar_por_data_ate,omitempty"`
	FiltrarPorHoraDe       string          `json:"filtrar_por_hora_de,omitempty"`
	FiltrarPorHoraAte      string          `json:"filtrar_por_hora_ate,omitempty"`
	FiltrarApenasInclusao  Flag            `json:"filtrar_apenas_inclusao,omitempty"`
	FiltrarApenasAlteracao Flag            `json:"filtrar_apenas_alteracao,omitempty"`
	ClientesFiltro         *ClientesFiltro `json:"clientesFiltro,omitempty"`
	ClientesPorCodigo      []ClienteChave  `json:"clientesPorCodigo,omitempty"`
	ExibirCaracteristicas  Flag            `json:"exibir_caracteristicas,omitempty"`
	ExibirObs              Flag            `json:"exibir_obs,omitempty"` // default N: no observacao in lists
}

// ClientesFiltro narrows ListarClientes ("clientesFiltro").
type ClientesFiltro struct {
	CodigoClienteOmie       int64  `json:"codigo_cliente_omie,omitempty"`
	CodigoClienteIntegracao string `json:"codigo_cliente_integracao,omitempty"`
	CnpjCpf                 string `json:"cnpj_cpf,omitempty"`
	RazaoSocial             string `json:"razao_social,omitempty"`
	NomeFantasia            string `json:"nome_fantasia,omitempty"`
	Endereco                string `json:"endereco,omitempty"`
	Bairro                  string `json:"bairro,omitempty"`
	Cidade                  string `json:"cidade,omitempty"`
	Estado                  string `json:"estado,omitempty"`
	Cep                     string `json:"cep,omitempty"`
	Contato                 string `json:"contato,omitempty"`
	Email                   string `json:"email,omitempty"`
	Homepage                string `json:"homepage,omitempty"`
	InscricaoMunicipal      string `json:"inscricao_municipal,omitempty"`
	InscricaoEstadual       string `json:"inscricao_estadual,omitempty"`
	InscricaoSuframa        string `json:"inscricao_suframa,omitempty"`
	PessoaFisica            Flag   `json:"pessoa_fisica,omitempty"`
	OptanteSimplesNacional  Flag   `json:"optante_simples_nacional,omitempty"`
	Inativo                 Flag   `json:"inativo,omitempty"`
	Tags                    []Tag  `json:"tags,omitempty"`
}

// ListarClientesResponse is "clientes_listfull_response".
type ListarClientesResponse struct {
	Page
	ClientesCadastro []ClienteCadastro `json:"clientes_cadastro"`
}

// ListarClientes returns one page of customers. A page without records (Omie's Client-5113) is an
// empty ClientesCadastro, not an error.
func (c *Client) ListarClientes(ctx context.Context, req ListarClientesRequest) (ListarClientesResponse, error) {
	return list(ctx, c, opListarClientes, req, ListarClientesResponse{Page: Page{Pagina: req.Pagina}})
}

// AllClientes pages through ListarClientes from req.Pagina (default 1) to the last page.
func (c *Client) AllClientes(ctx context.Context, req ListarClientesRequest) iter.Seq2[ClienteCadastro, error] {
	return pages(req.Pagina, func(p int) ([]ClienteCadastro, int, error) {
		req.Pagina = p
		res, err := c.ListarClientes(ctx, req)
		return res.ClientesCadastro, res.TotalDePaginas, err
	})
}

// ConsultarCliente returns one customer by id or integration code; a missing one is a
// partner.KindNotFound error.
func (c *Client) ConsultarCliente(ctx context.Context, key ClienteChave) (ClienteCadastro, error) {
	return call[ClienteCadastro](ctx, c, opConsultarCliente, key)
}

// IncluirCliente creates a customer; CodigoClienteIntegracao is its idempotency key. A duplicate
// integration code is partner.KindConflict (see ExistingID); a duplicate document refused by the
// account is partner.KindInvalid with Omie's message, and so is a non-zero codigo_status. After an ambiguous failure the customer is
// looked up by integration code and, when found, reported as created.
func (c *Client) IncluirCliente(ctx context.Context, cli ClienteCadastro) (ClienteStatus, error) {
	out, err := call[ClienteStatus](ctx, c, opIncluirCliente, cli)
	if err == nil {
		err = writeStatus(opIncluirCliente, out.CodigoStatus, out.DescricaoStatus, out.CodigoClienteOmie)
	}
	if err != nil && cli.CodigoClienteIntegracao != "" && ambiguous(err) {
		if found, lerr := c.ConsultarCliente(ctx, ClienteChave{CodigoClienteIntegracao: cli.CodigoClienteIntegracao}); lerr == nil && found.CodigoClienteOmie != 0 {
			return ClienteStatus{CodigoClienteOmie: found.CodigoClienteOmie, CodigoClienteIntegracao: found.CodigoClienteIntegracao,
				CodigoStatus: "0", DescricaoStatus: "Cliente encontrado após falha ambígua"}, nil
		}
	}
	return out, err
}

// AlterarCliente changes a customer. Fields left empty are kept; Tags, when sent, replace the list.
// Omie finds the record by CodigoClienteIntegracao when it is set (and fails if the stored record
// has none), so send only CodigoClienteOmie to change a record created outside the API.
func (c *Client) AlterarCliente(ctx context.Context, cli ClienteCadastro) (ClienteStatus, error) {
	return call[ClienteStatus](ctx, c, opAlterarCliente, cli)
}

// UpsertCliente creates or changes the customer with cli's integration code (or Omie id).
func (c *Client) UpsertCliente(ctx context.Context, cli ClienteCadastro) (ClienteStatus, error) {
	return call[ClienteStatus](ctx, c, opUpsertCliente, cli)
}

// AssociarCodIntCliente attaches an integration code to an existing customer (both fields set).
func (c *Client) AssociarCodIntCliente(ctx context.Context, key ClienteChave) (ClienteStatus, error) {
	return call[ClienteStatus](ctx, c, opAssociarCodIntCliente, key)
}

// Verify checks the credentials with the cheapest real call. Rejected credentials give a
// partner.KindAuth error carrying Omie's message.
func (c *Client) Verify(ctx context.Context) error {
	_, err := c.ListarClientes(ctx, ListarClientesRequest{Pagina: 1, RegistrosPorPagina: 1})
	return err
}
