package omiesandbox

import (
	"fmt"
	"net/http"
	"strings"
)

// schema is the field list of one of Omie's complex types. Omie validates params strictly: a key
// that is not in the type fails with "Tag [KEY] não faz parte da estrutura do tipo complexo
// [type]" (api/omie.md §1.2). The lists are written from the docs, independently of the client's
// structs, so that a misspelt JSON tag in the client fails here.
type schema struct {
	name   string
	fields map[string]*schema // nil for a scalar or a list of scalars
}

type field struct {
	key string
	s   *schema
}

// obj declares a type with space-separated scalar fields and nested typed fields.
func obj(name, scalars string, nested ...field) *schema {
	s := &schema{name: name, fields: map[string]*schema{}}
	for _, f := range strings.Fields(scalars) {
		s.fields[f] = nil
	}
	for _, n := range nested {
		s.fields[n.key] = n.s
	}
	return s
}

func sub(key string, s *schema) field { return field{key: key, s: s} }

// check validates v against s, recursively; nested values may be objects or lists of objects.
func (s *schema) check(v map[string]any) *fault {
	for k, val := range v {
		child, ok := s.fields[k]
		if !ok {
			// Captured with HTTP 500 and no faultcode [C]; the sandbox sends none either, so the
			// client has to classify it by its text.
			return &fault{status: http.StatusInternalServerError,
				text: fmt.Sprintf("Tag [%s] não faz parte da estrutura do tipo complexo [%s]", strings.ToUpper(k), s.name)}
		}
		if child == nil || val == nil {
			continue
		}
		switch x := val.(type) {
		case map[string]any:
			if f := child.check(x); f != nil {
				return f
			}
		case []any:
			for _, e := range x {
				m, ok := e.(map[string]any)
				if !ok {
					return typeFault(k, child.name)
				}
				if f := child.check(m); f != nil {
					return f
				}
			}
		default:
			return typeFault(k, child.name)
		}
	}
	return nil
}

// typeFault answers a scalar where Omie expects a structure. [U] The real text is unknown.
func typeFault(key, typ string) *fault {
	return validation(fmt.Sprintf("ERROR: A tag [%s] deve ser do tipo complexo [%s] !", key, typ))
}

// schemas holds the param types of every simulated call and the record types the admin API seeds.
type schemas struct {
	cliente, clienteChave, clientesList, tagsReq                       *schema
	produto, produtoChave, produtosList, posEstoqueList, locaisList    *schema
	local, posicao, conta, contasList, categoria, categoriasList       *schema
	servico, servicosList, os, osChave, pedido, pedidoChave, tagRecord *schema
}

func newSchemas() *schemas {
	tag := obj("tags", "tag")
	info := obj("info", "dInc hInc uInc dAlt hAlt uAlt cImpAPI")
	chave := obj("clientes_cadastro_chave", "codigo_cliente_omie codigo_cliente_integracao")
	periodo := "filtrar_por_data_de filtrar_por_data_ate filtrar_por_hora_de filtrar_por_hora_ate " +
		"filtrar_apenas_inclusao filtrar_apenas_alteracao"
	produtoChave := obj("produto_servico_cadastro_chave", "codigo_produto codigo_produto_integracao codigo")
	return &schemas{
		cliente: obj("clientes_cadastro",
			"codigo_cliente_omie codigo_cliente_integracao razao_social nome_fantasia cnpj_cpf pessoa_fisica exterior "+
				"inativo importado_api bloquear_faturamento bloquear_exclusao bloqueado "+
				"endereco endereco_numero complemento bairro cidade cidade_ibge estado cep codigo_pais separar_endereco "+
				"pesquisar_cep logradouro contato telefone1_ddd telefone1_numero telefone2_ddd telefone2_numero fax_ddd "+
				"fax_numero email homepage inscricao_estadual inscricao_municipal inscricao_suframa "+
				"optante_simples_nacional tipo_atividade cnae produtor_rural contribuinte nif documento_exterior "+
				"observacao obs_detalhadas recomendacao_atraso valor_limite_credito enviar_anexos",
			sub("tags", tag),
			sub("caracteristicas", obj("caracteristicas", "campo conteudo")),
			sub("recomendacoes", obj("recomendacoes",
				"numero_parcelas codigo_vendedor email_fatura gerar_boletos codigo_transportadora")),
			sub("enderecoEntrega", obj("enderecoEntrega",
				"entRazaoSocial entCnpjCpf entEndereco entNumero entComplemento entBairro entCEP entEstado entCidade "+
					"entSepararEndereco entTelefone entIE")),
			sub("dadosBancarios", obj("dadosBancarios",
				"codigo_banco agencia conta_corrente doc_titular nome_titular transf_padrao cChavePix")),
			sub("info", info)),
		clienteChave: chave,
		clientesList: obj("clientes_list_request",
			"pagina registros_por_pagina apenas_importado_api "+periodo+" exibir_caracteristicas exibir_obs "+
				"ordenar_por ordem_decrescente ordem_descrescente",
			sub("clientesFiltro", obj("clientesFiltro",
				"codigo_cliente_omie codigo_cliente_integracao cnpj_cpf razao_social nome_fantasia endereco bairro "+
					"cidade estado cep contato email homepage inscricao_municipal inscricao_estadual inscricao_suframa "+
					"pessoa_fisica optante_simples_nacional inativo", sub("tags", tag))),
			sub("clientesPorCodigo", chave)),
		tagsReq:   obj("tagsRequest", "nCodCliente cCodIntCliente", sub("tags", tag)),
		tagRecord: obj("tagsLista", "tag nCodTag"),
		produto: obj("produto_servico_cadastro",
			"codigo_produto codigo_produto_integracao codigo descricao unidade ncm ean valor_unitario codigo_familia "+
				"tipoItem peso_liq peso_bruto altura largura profundidade marca modelo descr_detalhada obs_internas "+
				"bloqueado bloquear_exclusao importado_api inativo produto_variacao produto_lote",
			sub("recomendacoes_fiscais", obj("recomendacoes_fiscais", "origem_mercadoria cupom_fiscal market_place")),
			sub("info", info)),
		produtoChave: produtoChave,
		produtosList: obj("produto_servico_list_request",
			"pagina registros_por_pagina apenas_importado_api "+periodo+" filtrar_apenas_omiepdv filtrar_apenas_familia "+
				"filtrar_apenas_tipo filtrar_apenas_descricao filtrar_apenas_marketplace filtrar_apenas_pdv "+
				"exibir_caracteristicas exibir_tabelas_preco exibir_obs exibir_kit exibir_info_variacoes inativo ncm ean "+
				"ordenar_por ordem_decrescente",
			sub("produtosPorCodigo", produtoChave)),
		posEstoqueList: obj("ListarEstPosRequest",
			"nPagina nRegPorPagina dDataPosicao cExibeTodos codigo_local_estoque lista_local_estoque cTipoItem "+
				"cExibeApenasPDV cExibeApenasMarketplace",
			sub("lista_produtos", obj("lista_produtos", "nCodProd cCodInt cCodigo"))),
		posicao:    obj("posicao", "nCodProd codigo_local_estoque nSaldo nCMC nPendente estoque_minimo reservado"),
		locaisList: obj("locaisListarRequest", "nPagina nRegPorPagina "+periodo),
		local: obj("locaisEncontrados",
			"codigo_local_estoque codigo descricao tipo padrao inativo codigo_cliente dispOrdemProducao dispConsumoOP "+
				"dispRemessa dispVenda dInc hInc uInc dAlt hAlt uAlt"),
		contasList: obj("fin_conta_corrente_listar_request",
			"pagina registros_por_pagina codigo codigo_integracao apenas_importado_api ordenar_por "+
				"filtrar_por_data_de filtrar_por_data_ate filtrar_apenas_inclusao filtrar_apenas_alteracao "+
				"filtrar_apenas_ativo"),
		conta: obj("fin_conta_corrente_cadastro",
			"nCodCC cCodCCInt descricao tipo_conta_corrente codigo_banco codigo_agencia numero_conta_corrente "+
				"saldo_inicial saldo_data valor_limite inativo bloqueado importado_api data_inc hora_inc user_inc "+
				"data_alt hora_alt user_alt"),
		categoriasList: obj("categoria_list_request", "pagina registros_por_pagina filtrar_apenas_ativo filtrar_por_tipo"),
		categoria: obj("categoria_cadastro",
			"codigo descricao descricao_padrao tipo_categoria conta_inativa definida_pelo_usuario id_conta_contabil "+
				"tag_conta_contabil conta_despesa conta_receita nao_exibir natureza totalizadora transferencia "+
				"codigo_dre categoria_superior",
			sub("dadosDRE", obj("dadosDRE", "codigoDRE descricaoDRE naoExibirDRE nivelDRE sinalDRE totalizaDRE"))),
		servicosList: obj("srvListarRequest",
			"nPagina nRegPorPagina cOrdenarPor cOrdemDecrescente dInclusaoInicial dInclusaoFinal dAlteracaoInicial "+
				"dAlteracaoFinal hInclusaoInicial hInclusaoFinal hAlteracaoInicial hAlteracaoFinal cDescricao cCodigo "+
				"inativo cExibirProdutos"),
		servico: obj("cadastros", "",
			sub("intListar", obj("intListar", "cCodIntServ nCodServ")),
			sub("cabecalho", obj("cabecalho",
				"cDescricao cCodigo cIdTrib cCodServMun cCodLC116 nIdNBS nPrecoUnit cCodCateg cTipoDesc nValorDesc nAliqDesc")),
			sub("descricao", obj("descricao", "cDescrCompleta")),
			sub("info", obj("info", "dInc hInc uInc dAlt hAlt uAlt cImpAPI inativo"))),
		os:          osSchema(),
		osChave:     obj("osChave", "cCodIntOS nCodOS cNumOS cIncluirTarefas"),
		pedido:      pedidoSchema(),
		pedidoChave: obj("pvpConsultarRequest", "codigo_pedido codigo_pedido_integracao numero_pedido"),
	}
}

func osSchema() *schema {
	return obj("osCadastro", "",
		sub("Cabecalho", obj("Cabecalho",
			"cCodIntOS nCodOS cNumOS cCodIntCli nCodCli dDtPrevisao cEtapa nCodVend nQtdeParc cCodParc nValorTotal nCodCtr")),
		sub("InformacoesAdicionais", obj("InformacoesAdicionais",
			"cCodCateg nCodCC cNumPedido cNumContrato cContato cDadosAdicNF cCodObra cCodART nCodProj cCidPrestServ "+
				"dDataRps cNumRecibo nIdDestinatario")),
		sub("ServicosPrestados", obj("ServicosPrestados",
			"nCodServico cCodIntServico cTribServ cCodServMun cCodServLC116 nQtde nValUnit cDescServ cTpDesconto "+
				"nValorDesconto nAliqDesconto cRetemISS cCodCategItem nSeqItem nIdItem cAcaoItem cNaoGerarFinanceiro",
			// [I] Only the tax fields of the captured request are known; the rest is refused.
			sub("impostos", obj("impostos", "nAliqISS cRetemIRRF nAliqIRRF cRetemPIS nAliqPIS")))),
		sub("produtosUtilizados", obj("produtosUtilizados", "cAcaoProdUtilizados cCodCategRem",
			sub("produtoUtilizado", obj("produtoUtilizado",
				"nCodProdutoPU nQtdePU codigo_local_estoque nIdItemPU cAcaoItemPU")))),
		sub("Parcelas", obj("Parcelas", "nParcela dDtVenc nValor nPercentual nDias")),
		sub("Email", obj("Email", "cEnvRecibo cEnvLink cEnvBoleto cEnvPix cEnviarPara")),
		sub("Observacoes", obj("Observacoes", "cObsOS")),
		sub("despesasReembolsaveis", obj("despesasReembolsaveis", "cCodCategReemb",
			sub("despesaReembolsavel", obj("despesaReembolsavel", "nCodReemb cAcaoReemb cDescReemb nValorReemb dDataReemb")))),
		sub("InfoCadastro", obj("InfoCadastro", "cCancelada cFaturada dDtInc cHrInc dDtAlt cHrAlt dDtFat")))
}

func pedidoSchema() *schema {
	return obj("pedido_venda_produto", "",
		sub("cabecalho", obj("cabecalho",
			"codigo_pedido codigo_pedido_integracao codigo_cliente codigo_cliente_integracao data_previsao etapa "+
				"codigo_parcela qtde_parcelas origem_pedido codigo_cenario_impostos tipo_desconto_pedido "+
				"perc_desconto_pedido valor_desconto_pedido numero_pedido "+
				"quantidade_itens bloqueado importado_api encerrado")),
		sub("det", obj("det", "",
			sub("ide", obj("ide", "codigo_item_integracao codigo_item acao_item")),
			sub("produto", obj("produto",
				"codigo_produto codigo_produto_integracao descricao quantidade valor_unitario tipo_desconto "+
					"percentual_desconto valor_desconto cfop ncm unidade codigo_tabela_preco reservado")),
			sub("inf_adic", obj("inf_adic",
				"codigo_local_estoque codigo_categoria_item nao_movimentar_estoque nao_gerar_financeiro")),
			sub("observacao", obj("observacao", "obs_item")))),
		sub("frete", obj("frete", "modalidade codigo_transportadora valor_frete valor_seguro outras_despesas")),
		sub("total_pedido", obj("total_pedido",
			"valor_mercadorias valor_descontos valor_frete outras_despesas valor_total_pedido")),
		sub("informacoes_adicionais", obj("informacoes_adicionais",
			"codigo_categoria codigo_conta_corrente consumidor_final utilizar_emails enviar_email enviar_pix "+
				"numero_pedido_cliente numero_contrato contato dados_adicionais_nf codVend codProj meio_pagamento "+
				"tipo_documento")),
		sub("lista_parcelas", obj("lista_parcelas", "",
			sub("parcela", obj("parcela", "numero_parcela valor percentual data_vencimento quantidade_dias")))),
		sub("observacoes", obj("observacoes", "obs_venda")))
}
