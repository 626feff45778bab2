package omie

import "context"

var (
	opListarCadastroServico = op{service: "servicos/servico/", call: "ListarCadastroServico"}
	opIncluirOS             = op{service: "servicos/os/", call: "IncluirOS", write: true}
	opConsultarOS           = op{service: "servicos/os/", call: "ConsultarOS"}
)

// ListarCadastroServicoRequest asks for registered services ("srvListarRequest"). Its date
// filters have their own names, unlike the geral/* lists.
type ListarCadastroServicoRequest struct {
	NPagina           int    `json:"nPagina"`
	NRegPorPagina     int    `json:"nRegPorPagina"`
	COrdenarPor       string `json:"cOrdenarPor,omitempty"`
	COrdemDecrescente Flag   `json:"cOrdemDecrescente,omitempty"`
	DInclusaoInicial  string `json:"dInclusaoInicial,omitempty"`
	DInclusaoFinal    string `json:"dInclusaoFinal,omitempty"`
	DAlteracaoInicial string `json:"dAlteracaoInicial,omitempty"`
	DAlteracaoFinal   string `json:"dAlteracaoFinal,omitempty"`
	HInclusaoInicial  string `json:"hInclusaoInicial,omitempty"`
	HInclusaoFinal    string `json:"hInclusaoFinal,omitempty"`
	HAlteracaoInicial string `json:"hAlteracaoInicial,omitempty"`
	HAlteracaoFinal   string `json:"hAlteracaoFinal,omitempty"`
	CDescricao        string `json:"cDescricao,omitempty"`
	CCodigo           string `json:"cCodigo,omitempty"`
	Inativo           Flag   `json:"inativo,omitempty"`
	CExibirProdutos   Flag   `json:"cExibirProdutos,omitempty"`
}

// Servico is one registered service ("cadastros").
type Servico struct {
	IntListar ServicoIntegracao `json:"intListar"`
	Cabecalho ServicoCabecalho  `json:"cabecalho"`
	Descricao *ServicoDescricao `json:"descricao,omitempty"`
	Info      *ServicoInfo      `json:"info,omitempty"`
}

// ServicoIntegracao holds a service's ids; NCodServ is what service orders take.
type ServicoIntegracao struct {
	CCodIntServ string `json:"cCodIntServ,omitempty"`
	NCodServ    int64  `json:"nCodServ"`
}

// ServicoCabecalho is a service's main data.
type ServicoCabecalho struct {
	CDescricao  string  `json:"cDescricao,omitempty"`
	CCodigo     string  `json:"cCodigo,omitempty"`
	CIdTrib     string  `json:"cIdTrib,omitempty"`
	CCodServMun string  `json:"cCodServMun,omitempty"`
	CCodLC116   string  `json:"cCodLC116,omitempty"`
	NIdNBS      string  `json:"nIdNBS,omitempty"`
	NPrecoUnit  float64 `json:"nPrecoUnit,omitempty"`
	CCodCateg   string  `json:"cCodCateg,omitempty"`
}

// ServicoDescricao is a service's long description.
type ServicoDescricao struct {
	CDescrCompleta string `json:"cDescrCompleta,omitempty"`
}

// ServicoInfo is a service's audit block; unlike Info it carries inativo.
type ServicoInfo struct {
	Info
	Inativo Flag `json:"inativo,omitempty"`
}

// ListarCadastroServicoResponse is one page of services.
type ListarCadastroServicoResponse struct {
	NPage
	Cadastros []Servico `json:"cadastros"`
}

// ListarCadastroServico returns one page of services; none is an empty page.
func (c *Client) ListarCadastroServico(ctx context.Context, req ListarCadastroServicoRequest) (ListarCadastroServicoResponse, error) {
	return list(ctx, c, opListarCadastroServico, req, ListarCadastroServicoResponse{NPage: NPage{NPagina: req.NPagina}})
}

// OS is a service order ("osCadastro"). Its blocks have PascalCase keys, some do not.
type OS struct {
	Cabecalho             OSCabecalho              `json:"Cabecalho"`
	InformacoesAdicionais *OSInformacoesAdicionais `json:"InformacoesAdicionais,omitempty"`
	ServicosPrestados     []OSServico              `json:"ServicosPrestados,omitempty"`
	ProdutosUtilizados    *OSProdutosUtilizados    `json:"produtosUtilizados,omitempty"`
	Parcelas              []OSParcela              `json:"Parcelas,omitempty"`
	Email                 *OSEmail                 `json:"Email,omitempty"`
	Observacoes           *OSObservacoes           `json:"Observacoes,omitempty"`
	DespesasReembolsaveis *OSDespesas              `json:"despesasReembolsaveis,omitempty"`
	InfoCadastro          *OSInfoCadastro          `json:"InfoCadastro,omitempty"` // filled by Omie
}

// OSCabecalho is a service order's header. CCodIntOS is the idempotency key.
type OSCabecalho struct {
	CCodIntOS   string `json:"cCodIntOS,omitempty"`
	NCodOS      int64  `json:"nCodOS,omitempty"`
	CNumOS      string `json:"cNumOS,omitempty"`
	CCodIntCli  string `json:"cCodIntCli,omitempty"`
	NCodCli     int64  `json:"nCodCli,omitempty"`
	DDtPrevisao string `json:"dDtPrevisao,omitempty"`
	CEtapa      string `json:"cEtapa,omitempty"` // "10".."40" columns, "50" faturar
	NCodVend    int64  `json:"nCodVend,omitempty"`
	NQtdeParc   int    `json:"nQtdeParc,omitempty"`
	CCodParc    string `json:"cCodParc,omitempty"`
	NValorTotal Money  `json:"nValorTotal,omitempty"` // computed by Omie
	NCodCtr     int64  `json:"nCodCtr,omitempty"`
}

// OSInformacoesAdicionais holds a service order's category, bank account and invoice data.
type OSInformacoesAdicionais struct {
	CCodCateg     string `json:"cCodCateg,omitempty"`
	NCodCC        int64  `json:"nCodCC,omitempty"`
	CNumPedido    string `json:"cNumPedido,omitempty"`
	CNumContrato  string `json:"cNumContrato,omitempty"`
	CContato      string `json:"cContato,omitempty"`
	CDadosAdicNF  string `json:"cDadosAdicNF,omitempty"`
	CCodObra      string `json:"cCodObra,omitempty"`
	CCodART       string `json:"cCodART,omitempty"`
	NCodProj      int64  `json:"nCodProj,omitempty"`
	CCidPrestServ string `json:"cCidPrestServ,omitempty"`
	DDataRps      string `json:"dDataRps,omitempty"`
	CNumRecibo    string `json:"cNumRecibo,omitempty"`
}

// OSServico is one service line of a service order.
type OSServico struct {
	NCodServico    int64  `json:"nCodServico,omitempty"`
	CCodIntServico string `json:"cCodIntServico,omitempty"`
	CTribServ      string `json:"cTribServ,omitempty"`
	CCodServMun    string `json:"cCodServMun,omitempty"`
	CCodServLC116  string `json:"cCodServLC116,omitempty"`
	// NQtde is required [C]; NValUnit is sent even when zero, because with nCodServico an
	// omitted price is taken from the service's registered one [C S1 ServicosPrestados.php].
	NQtde               Quantity    `json:"nQtde"`
	NValUnit            Money       `json:"nValUnit"`
	CDescServ           string      `json:"cDescServ,omitempty"`
	CTpDesconto         string      `json:"cTpDesconto,omitempty"` // "V" value, "P" percent
	NValorDesconto      Money       `json:"nValorDesconto,omitempty"`
	CRetemISS           Flag        `json:"cRetemISS,omitempty"`
	Impostos            *OSImpostos `json:"impostos,omitempty"`
	CCodCategItem       string      `json:"cCodCategItem,omitempty"`
	NSeqItem            int         `json:"nSeqItem,omitempty"`
	NIdItem             int64       `json:"nIdItem,omitempty"`
	CAcaoItem           string      `json:"cAcaoItem,omitempty"`
	CNaoGerarFinanceiro Flag        `json:"cNaoGerarFinanceiro,omitempty"`
}

// OSImpostos are a service line's tax rates and withholdings (the fields of the real request).
type OSImpostos struct {
	NAliqISS   float64 `json:"nAliqISS,omitempty"`
	CRetemIRRF Flag    `json:"cRetemIRRF,omitempty"`
	NAliqIRRF  float64 `json:"nAliqIRRF,omitempty"`
	CRetemPIS  Flag    `json:"cRetemPIS,omitempty"`
	NAliqPIS   float64 `json:"nAliqPIS,omitempty"`
}

// OSProdutosUtilizados lists the products used by a service order. CAcaoProdUtilizados is
// required: "REM" (remessa) or "EST" (stock exit).
type OSProdutosUtilizados struct {
	CAcaoProdUtilizados string               `json:"cAcaoProdUtilizados,omitempty"`
	CCodCategRem        string               `json:"cCodCategRem,omitempty"`
	ProdutoUtilizado    []OSProdutoUtilizado `json:"produtoUtilizado,omitempty"`
}

// OSProdutoUtilizado is one product used by a service order.
type OSProdutoUtilizado struct {
	NCodProdutoPU      int64    `json:"nCodProdutoPU,omitempty"`
	NQtdePU            Quantity `json:"nQtdePU"`
	CodigoLocalEstoque int64    `json:"codigo_local_estoque,omitempty"`
	NIdItemPU          int64    `json:"nIdItemPU,omitempty"`
	CAcaoItemPU        string   `json:"cAcaoItemPU,omitempty"`
}

// OSParcela is one instalment of a service order.
type OSParcela struct {
	NParcela    int      `json:"nParcela,omitempty"`
	DDtVenc     string   `json:"dDtVenc,omitempty"`
	NValor      Money    `json:"nValor,omitempty"`
	NPercentual Quantity `json:"nPercentual,omitempty"`
	NDias       int      `json:"nDias,omitempty"`
}

// OSEmail says what Omie e-mails about a service order.
type OSEmail struct {
	CEnvRecibo  Flag   `json:"cEnvRecibo,omitempty"`
	CEnvLink    Flag   `json:"cEnvLink,omitempty"`
	CEnvBoleto  Flag   `json:"cEnvBoleto,omitempty"`
	CEnvPix     Flag   `json:"cEnvPix,omitempty"`
	CEnviarPara string `json:"cEnviarPara,omitempty"`
}

// OSDespesas are a service order's reimbursable expenses ("despesasReembolsaveis"
// [C S1 DespesasReembolsaveis.php]): what the customer pays besides the services, where a
// task's extra costs go when it has no products.
type OSDespesas struct {
	CCodCategReemb      string      `json:"cCodCategReemb,omitempty"`
	DespesaReembolsavel []OSDespesa `json:"despesaReembolsavel,omitempty"`
}

// OSDespesa is one reimbursable expense.
type OSDespesa struct {
	CDescReemb  string `json:"cDescReemb,omitempty"`
	NValorReemb Money  `json:"nValorReemb"`
	DDataReemb  string `json:"dDataReemb,omitempty"`
}

// OSObservacoes is a service order's internal note.
type OSObservacoes struct {
	CObsOS string `json:"cObsOS,omitempty"`
}

// OSInfoCadastro is a service order's audit block.
type OSInfoCadastro struct {
	CCancelada Flag   `json:"cCancelada,omitempty"`
	CFaturada  Flag   `json:"cFaturada,omitempty"`
	DDtInc     string `json:"dDtInc,omitempty"`
	CHrInc     string `json:"cHrInc,omitempty"`
	DDtAlt     string `json:"dDtAlt,omitempty"`
	CHrAlt     string `json:"cHrAlt,omitempty"`
	DDtFat     string `json:"dDtFat,omitempty"`
}

// OSChave names a service order by integration code, id or number.
type OSChave struct {
	CCodIntOS string `json:"cCodIntOS,omitempty"`
	NCodOS    int64  `json:"nCodOS,omitempty"`
	CNumOS    string `json:"cNumOS,omitempty"`
}

// OSStatus is the answer to IncluirOS; CCodStatus "0" is success.
type OSStatus struct {
	CCodIntOS   string `json:"cCodIntOS"`
	NCodOS      int64  `json:"nCodOS"`
	CNumOS      string `json:"cNumOS"`
	CCodStatus  string `json:"cCodStatus"`
	CDescStatus string `json:"cDescStatus"`
}

// IncluirOS creates a service order keyed by Cabecalho.CCodIntOS. A repeated code is
// partner.KindConflict; an answer with a non-zero cCodStatus is a refusal with Omie's text
// (partner.KindInvalid). After an ambiguous failure (or a success answer without an id) the
// order is looked up by its code and, when found, reported as created.
func (c *Client) IncluirOS(ctx context.Context, os OS) (OSStatus, error) {
	out, err := call[OSStatus](ctx, c, opIncluirOS, os)
	if err == nil {
		err = writeStatus(opIncluirOS, out.CCodStatus, out.CDescStatus, out.NCodOS)
	}
	if code := os.Cabecalho.CCodIntOS; err != nil && code != "" && ambiguous(err) {
		if found, lerr := c.ConsultarOS(ctx, OSChave{CCodIntOS: code}); lerr == nil && found.Cabecalho.NCodOS != 0 {
			return OSStatus{CCodIntOS: code, NCodOS: found.Cabecalho.NCodOS, CNumOS: found.Cabecalho.CNumOS,
				CCodStatus: "0", CDescStatus: "OS encontrada após falha ambígua"}, nil
		}
	}
	return out, err
}

// ConsultarOS returns one service order; a missing one is partner.KindNotFound.
func (c *Client) ConsultarOS(ctx context.Context, key OSChave) (OS, error) {
	return call[OS](ctx, c, opConsultarOS, key)
}
