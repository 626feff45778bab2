package omie_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/partner"
)

// refs are the records an order points at.
type refs struct {
	cliente, servico, produto, local, conta int64
	categoria                               string
}

func seedRefs(t *testing.T, e *env) refs {
	t.Helper()
	k := e.acct.AppKey
	cli, err := e.sb.SeedCustomer(k, omie.ClienteCadastro{RazaoSocial: "CLIENTE", CodigoClienteIntegracao: "auvo-1"})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := e.sb.SeedServico(k, omie.Servico{Cabecalho: omie.ServicoCabecalho{CCodigo: "SRV-1", CDescricao: "Visita técnica", NPrecoUnit: 120}})
	if err != nil {
		t.Fatal(err)
	}
	prod, err := e.sb.SeedProduct(k, omie.Produto{Codigo: "FLT", Descricao: "Filtro", Unidade: "UN", ValorUnitario: 45.9})
	if err != nil {
		t.Fatal(err)
	}
	loc, err := e.sb.SeedLocation(k, omie.LocalEstoque{Codigo: "01", Descricao: "Depósito", Padrao: omie.Sim})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := e.sb.SeedContaCorrente(k, omie.ContaCorrente{Descricao: "Banco", TipoContaCorrente: "CC"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.sb.SeedCategoria(k, omie.Categoria{Codigo: "1.01.01", Descricao: "Venda", ContaReceita: omie.Sim}); err != nil {
		t.Fatal(err)
	}
	return refs{cliente: cli.CodigoClienteOmie, servico: srv.IntListar.NCodServ, produto: prod.CodigoProduto,
		local: loc.CodigoLocalEstoque, conta: cc.NCodCC, categoria: "1.01.01"}
}

// SPEC K2/K4: a task's services become an OS keyed by cCodIntOS; what is written reads back, and
// the same code twice is a Conflict, never a second order.
func TestOSRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, omiesandbox.AccountOptions{})
	ctx := context.Background()
	r := seedRefs(t, e)
	want := omie.OS{
		Cabecalho: omie.OSCabecalho{CCodIntOS: "auvo-task-77", NCodCli: r.cliente, DDtPrevisao: "30/06/2025", CEtapa: "20", NQtdeParc: 1},
		InformacoesAdicionais: &omie.OSInformacoesAdicionais{CCodCateg: r.categoria, NCodCC: r.conta,
			CCidPrestServ: "SAO PAULO (SP)", CDadosAdicNF: "Tarefa Auvo 77"},
		ServicosPrestados: []omie.OSServico{{NCodServico: r.servico, NQtde: 2 * omie.QuantityScale, NValUnit: 12000, CRetemISS: omie.Nao,
			CDescServ: "Visita técnica", Impostos: &omie.OSImpostos{NAliqISS: 3}}},
		ProdutosUtilizados: &omie.OSProdutosUtilizados{CAcaoProdUtilizados: "EST",
			ProdutoUtilizado: []omie.OSProdutoUtilizado{{NCodProdutoPU: r.produto, NQtdePU: omie.QuantityScale, CodigoLocalEstoque: r.local}}},
		Observacoes: &omie.OSObservacoes{CObsOS: "Obs"},
	}
	st, err := e.client.IncluirOS(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	if st.CCodStatus != "0" || st.NCodOS == 0 || st.CNumOS == "" {
		t.Fatalf("status = %+v", st)
	}
	got, err := e.client.ConsultarOS(ctx, omie.OSChave{CCodIntOS: "auvo-task-77"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Cabecalho.NValorTotal != 24000 || got.InfoCadastro == nil || got.InfoCadastro.DDtInc == "" {
		t.Errorf("Omie's fields: total %v info %+v", got.Cabecalho.NValorTotal, got.InfoCadastro)
	}
	got.Cabecalho.NCodOS, got.Cabecalho.CNumOS, got.Cabecalho.NValorTotal, got.InfoCadastro = 0, "", 0, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back differs:\n got  %+v\n want %+v", got, want)
	}
	if orders := e.sb.ServiceOrders(e.acct.AppKey); len(orders) != 1 || orders[0].Cabecalho.NCodOS != st.NCodOS {
		t.Errorf("sandbox holds %+v", orders)
	}
	// Inside Omie's 60 s window the identical write is refused locally (REDUNDANT), unsent.
	_, err = e.client.IncluirOS(ctx, want)
	if k := kindOf(t, err); k != partner.KindThrottled || partner.RetryAfterOf(err) != omie.RedundantWindow || e.calls("IncluirOS") != 1 {
		t.Fatalf("identical IncluirOS at once: kind %v retry %v, %d calls; want throttled 60s, unsent",
			k, partner.RetryAfterOf(err), e.calls("IncluirOS"))
	}
	e.clock.Advance(omie.RedundantWindow)
	_, err = e.client.IncluirOS(ctx, want)
	if k := kindOf(t, err); k != partner.KindConflict {
		t.Fatalf("second IncluirOS: kind %v, want conflict (%v)", k, err)
	}
	if id, ok := omie.ExistingID(err); !ok || id != st.NCodOS {
		t.Errorf("ExistingID = %d, want %d", id, st.NCodOS)
	}
	_, err = e.client.ConsultarOS(ctx, omie.OSChave{CCodIntOS: "nope"})
	if k := kindOf(t, err); k != partner.KindNotFound {
		t.Errorf("missing OS: kind %v, want not found", k)
	}
}

// SPEC K2/K4: a task's products become a sale keyed by codigo_pedido_integracao.
func TestPedidoRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, omiesandbox.AccountOptions{})
	ctx := context.Background()
	r := seedRefs(t, e)
	want := omie.Pedido{
		Cabecalho: omie.PedidoCabecalho{CodigoPedidoIntegracao: "auvo-task-77", CodigoCliente: r.cliente,
			DataPrevisao: "30/06/2025", Etapa: "10", CodigoParcela: "000"},
		Det: []omie.PedidoItem{{
			Ide:     omie.PedidoItemIde{CodigoItemIntegracao: "ITEM01"},
			Produto: omie.PedidoItemProduto{CodigoProduto: r.produto, Quantidade: 2 * omie.QuantityScale, ValorUnitario: 4590, TipoDesconto: "V"},
			InfAdic: &omie.PedidoItemInfAdic{CodigoLocalEstoque: r.local},
		}},
		InformacoesAdicionais: &omie.PedidoInformacoesAdicionais{CodigoCategoria: r.categoria, CodigoContaCorrente: r.conta,
			ConsumidorFinal: omie.Sim, UtilizarEmails: "N", EnviarEmail: omie.Nao},
		Observacoes: &omie.PedidoObservacoes{ObsVenda: "Pedido gerado pela Ponte"},
	}
	st, err := e.client.IncluirPedido(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	if st.CodigoStatus != "0" || st.CodigoPedido == 0 || st.NumeroPedido == "" {
		t.Fatalf("status = %+v", st)
	}
	got, err := e.client.ConsultarPedido(ctx, omie.PedidoChave{CodigoPedido: st.CodigoPedido})
	if err != nil {
		t.Fatal(err)
	}
	c := got.Cabecalho
	if c.NumeroPedido != st.NumeroPedido || c.QuantidadeItens != 1 || c.ImportadoAPI != omie.Sim || got.Det[0].Ide.CodigoItem == 0 {
		t.Errorf("Omie's fields: %+v, item %+v", c, got.Det[0].Ide)
	}
	if tot := got.TotalPedido; tot == nil || tot.ValorTotalPedido != 9180 {
		t.Errorf("total_pedido = %+v, want 91.80", tot)
	}
	got.Cabecalho, got.TotalPedido = want.Cabecalho, nil
	got.Det[0].Ide.CodigoItem = 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back differs:\n got  %+v\n want %+v", got, want)
	}
	if orders := e.sb.Orders(e.acct.AppKey); len(orders) != 1 {
		t.Errorf("sandbox holds %d orders, want 1", len(orders))
	}
	e.clock.Advance(omie.RedundantWindow)
	_, err = e.client.IncluirPedido(ctx, want)
	if k := kindOf(t, err); k != partner.KindConflict {
		t.Errorf("second IncluirPedido: kind %v, want conflict", k)
	}
	bad := want
	bad.Cabecalho.CodigoPedidoIntegracao = "auvo-task-78"
	bad.InformacoesAdicionais = &omie.PedidoInformacoesAdicionais{CodigoCategoria: r.categoria, ConsumidorFinal: omie.Sim}
	_, err = e.client.IncluirPedido(ctx, bad)
	if k := kindOf(t, err); k != partner.KindInvalid {
		t.Errorf("order without bank account: kind %v, want invalid (%v)", k, err)
	}
}

// Issue 22: the sandbox computes total_pedido from what it received, to the centavo: item
// discounts and other costs count, a zero quantity is a line, and a discount larger than its
// item is refused.
func TestPedidoTotals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, omiesandbox.AccountOptions{})
	ctx := context.Background()
	r := seedRefs(t, e)
	order := func(code string, edit func(*omie.Pedido)) omie.Pedido {
		p := omie.Pedido{
			Cabecalho: omie.PedidoCabecalho{CodigoPedidoIntegracao: code, CodigoCliente: r.cliente, DataPrevisao: "30/06/2025",
				Etapa: "10", CodigoParcela: "000"},
			Det: []omie.PedidoItem{{Ide: omie.PedidoItemIde{CodigoItemIntegracao: code + "-1"},
				Produto: omie.PedidoItemProduto{CodigoProduto: r.produto, Quantidade: 1_500_000, ValorUnitario: 3333,
					TipoDesconto: "V", ValorDesconto: 100}}},
			InformacoesAdicionais: &omie.PedidoInformacoesAdicionais{CodigoCategoria: r.categoria, CodigoContaCorrente: r.conta,
				ConsumidorFinal: omie.Sim},
			Frete: &omie.PedidoFrete{Modalidade: "9", OutrasDespesas: 4590},
		}
		if edit != nil {
			edit(&p)
		}
		return p
	}
	if _, err := e.client.IncluirPedido(ctx, order("t-1", nil)); err != nil {
		t.Fatal(err)
	}
	got, err := e.client.ConsultarPedido(ctx, omie.PedidoChave{CodigoPedidoIntegracao: "t-1"})
	if err != nil {
		t.Fatal(err)
	}
	// 1.5 × 33.33 = 49.995 → 50.00, less 1.00, plus 45.90.
	if tot := got.TotalPedido; tot == nil || tot.ValorTotalPedido != 9490 || tot.ValorDescontos != 100 {
		t.Fatalf("total_pedido = %+v, want 94.90 with 1.00 off", tot)
	}
	_, err = e.client.IncluirPedido(ctx, order("t-2", func(p *omie.Pedido) {
		p.Det[0].Produto.Quantidade, p.Det[0].Produto.TipoDesconto, p.Det[0].Produto.ValorDesconto = 0, "", 0
	}))
	if err != nil {
		t.Fatalf("a zero quantity sent as 0 is a line, not a missing tag: %v", err)
	}
	_, err = e.client.IncluirPedido(ctx, order("t-3", func(p *omie.Pedido) { p.Det[0].Produto.ValorDesconto = 5001 }))
	if k := kindOf(t, err); k != partner.KindInvalid {
		t.Fatalf("a discount larger than the item: kind %v, want invalid", k)
	}
}
