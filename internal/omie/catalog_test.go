package omie_test

import (
	"context"
	"testing"

	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/partner"
)

// The read methods the portal and the product/stock flows use, against a seeded account: each
// answers what the account holds, through every page.
func TestCatalogReads(t *testing.T) {
	t.Parallel()
	e := newEnv(t, omiesandbox.AccountOptions{Seed: true})
	ctx := context.Background()
	k := e.acct.AppKey

	t.Run("S7 ListarContasCorrentes", func(t *testing.T) {
		res, err := e.client.ListarContasCorrentes(ctx, omie.ListarContasCorrentesRequest{Pagina: 1, RegistrosPorPagina: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.ListarContasCorrentes) != len(e.sb.ContasCorrentes(k)) || res.ListarContasCorrentes[0].NCodCC == 0 {
			t.Errorf("%d accounts, want %d with ids", len(res.ListarContasCorrentes), len(e.sb.ContasCorrentes(k)))
		}
		active, err := e.client.ListarContasCorrentes(ctx, omie.ListarContasCorrentesRequest{Pagina: 1, RegistrosPorPagina: 50, FiltrarApenasAtivo: omie.Sim})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range active.ListarContasCorrentes {
			if c.Inativo.Bool() {
				t.Errorf("inactive account %q in filtrar_apenas_ativo", c.Descricao)
			}
		}
		if len(active.ListarContasCorrentes) >= len(res.ListarContasCorrentes) {
			t.Error("the seed has an inactive account; the filter removed nothing")
		}
		// Omie answers Client-101 for no accounts: an empty page for the client.
		none, err := e.client.ListarContasCorrentes(ctx, omie.ListarContasCorrentesRequest{Pagina: 1, CodigoIntegracao: "nenhuma"})
		if err != nil || len(none.ListarContasCorrentes) != 0 {
			t.Errorf("no accounts: %d, %v; want an empty page", len(none.ListarContasCorrentes), err)
		}
	})

	t.Run("S8 ListarCategorias receita", func(t *testing.T) {
		res, err := e.client.ListarCategorias(ctx, omie.ListarCategoriasRequest{Pagina: 1, RegistrosPorPagina: 50, FiltrarPorTipo: "R"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.CategoriaCadastro) == 0 {
			t.Fatal("no revenue categories")
		}
		for _, c := range res.CategoriaCadastro {
			if !c.ContaReceita.Bool() || c.Totalizadora.Bool() || c.ContaInativa.Bool() {
				t.Errorf("category %s %q is not an active, non-totalling revenue one", c.Codigo, c.Descricao)
			}
		}
	})

	t.Run("S9 ListarLocaisEstoque", func(t *testing.T) {
		res, err := e.client.ListarLocaisEstoque(ctx, omie.ListarLocaisEstoqueRequest{NPagina: 1, NRegPorPagina: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.LocaisEncontrados) != len(e.sb.Locations(k)) || res.NTotRegistros != len(res.LocaisEncontrados) {
			t.Errorf("%d locations (total %d), want %d", len(res.LocaisEncontrados), res.NTotRegistros, len(e.sb.Locations(k)))
		}
	})

	today := omie.FormatDate(e.clock.Now())
	t.Run("PR1 ListarPosEstoque per location", func(t *testing.T) {
		locs := e.sb.Locations(k)
		total := 0
		for _, l := range locs {
			n := 0
			for p, err := range e.client.AllPosEstoque(ctx, omie.ListarPosEstoqueRequest{NRegPorPagina: 4, CodigoLocalEstoque: l.CodigoLocalEstoque, DDataPosicao: today}) {
				if err != nil {
					t.Fatal(err)
				}
				if p.CodigoLocalEstoque != l.CodigoLocalEstoque || p.NCodProd == 0 || p.CCodigo == "" {
					t.Errorf("position %+v in location %d", p, l.CodigoLocalEstoque)
				}
				n++
			}
			total += n
		}
		all := 0
		for _, err := range e.client.AllPosEstoque(ctx, omie.ListarPosEstoqueRequest{NRegPorPagina: 100, ListaLocalEstoque: "TODOS", DDataPosicao: today}) {
			if err != nil {
				t.Fatal(err)
			}
			all++
		}
		if total == 0 || all != total {
			t.Errorf("per-location rows %d, TODOS rows %d; want equal and non-zero", total, all)
		}
		if total >= len(locs)*len(e.sb.Products(k)) {
			t.Error("every product is in every location; the seed must leave some out (PR4)")
		}
		// Issue 22: the position date is required, as a dd/mm/aaaa date.
		for _, date := range []string{"", "2026-03-02"} {
			_, err := e.client.ListarPosEstoque(ctx, omie.ListarPosEstoqueRequest{NPagina: 1, NRegPorPagina: 7,
				CodigoLocalEstoque: locs[0].CodigoLocalEstoque, DDataPosicao: date})
			if k := kindOf(t, err); k != partner.KindInvalid {
				t.Errorf("dDataPosicao %q: kind %v, want invalid", date, k)
			}
		}
	})

	t.Run("ListarProdutos and ConsultarProduto", func(t *testing.T) {
		var ids []int64
		for p, err := range e.client.AllProdutos(ctx, omie.ListarProdutosRequest{RegistrosPorPagina: 5}) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.CodigoProduto)
		}
		if len(ids) != len(e.sb.Products(k)) {
			t.Fatalf("%d products listed, want %d", len(ids), len(e.sb.Products(k)))
		}
		p, err := e.client.ConsultarProduto(ctx, omie.ProdutoChave{CodigoProduto: ids[0]})
		if err != nil || p.CodigoProduto != ids[0] || p.Descricao == "" || p.Info == nil {
			t.Errorf("ConsultarProduto = %+v, %v", p, err)
		}
	})

	t.Run("ListarCadastroServico", func(t *testing.T) {
		res, err := e.client.ListarCadastroServico(ctx, omie.ListarCadastroServicoRequest{NPagina: 1, NRegPorPagina: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Cadastros) != len(e.sb.Servicos(k)) || res.Cadastros[0].IntListar.NCodServ == 0 || res.Cadastros[0].Cabecalho.CDescricao == "" {
			t.Errorf("services = %+v", res.Cadastros)
		}
	})
}
