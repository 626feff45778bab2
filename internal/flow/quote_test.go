package flow_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// stage returns the sandbox's quotation stage with the name.
func stage(t *testing.T, name string) auvo.Stage {
	t.Helper()
	for _, s := range auvosandbox.Stages() {
		if s.Description == name {
			return s
		}
	}
	t.Fatalf("no sandbox stage %q", name)
	return auvo.Stage{}
}

// quoteWorld is a taskWorld with quotation integration on for stage name, and an Omie product
// whose Auvo code is a number, as the quotation lines' productId is (api/auvo.md §4).
func quoteWorld(t *testing.T, d store.Dialect, name string) (*taskWorld, auvo.Product, omie.Produto) {
	t.Helper()
	w := newTaskWorld(t, d, "X", store.FlowQuotes)
	op := seedProduct(t, w.env, w.cfg.StockLocation, omie.Produto{Codigo: "4711", Descricao: "Filtro secador", ValorUnitario: 40}, 5)
	w.cfg.QuoteStatus = name
	w.env.Configure(w.cfg)
	w.env.MustCycle()
	return w, oneAuvoProduct(t, w.env, op), op
}

func (w *taskWorld) quote(t *testing.T, stageName string, products ...auvo.QuotationProduct) auvo.Quotation {
	t.Helper()
	q, err := w.env.Auvo.SeedQuotation(w.env.AuvoKey, auvo.Quotation{CustomerID: w.customer.ID, Products: products,
		CurrentStage: stage(t, stageName)})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func quoteID(q auvo.Quotation) string { return strconv.FormatInt(q.PublicID, 10) }

func TestQuotesAuvoToOmie(t *testing.T) {
	t.Parallel()

	t.Run("Q1 a quotation in the configured stage is sent once as a sale in the proposal stage; other stages are not", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			w, ap, op := quoteWorld(t, d, "Aprovado")
			line := auvo.QuotationProduct{ProductID: auvo.Ref(ap.Code), Amout: auvo.DecimalFromFloat(3), UnitaryValue: auvo.DecimalFromCents(4000)}
			yes := w.quote(t, "Aprovado", line)
			open := w.quote(t, "Em aberto", line)
			w.env.MustCycle()
			pvs := sentOrders(w.env, "auvo-quote-"+quoteID(yes)+"-pv")
			if len(pvs) != 1 {
				t.Fatalf("sales = %d, want 1", len(pvs))
			}
			pv := pvs[0]
			if pv.Cabecalho.Etapa != "10" || pv.Cabecalho.CodigoCliente != w.omieCli.CodigoClienteOmie ||
				len(pv.Det) != 1 || pv.Det[0].Produto.CodigoProduto != op.CodigoProduto || pv.Det[0].Produto.Quantidade != 3*omie.QuantityScale ||
				pv.InformacoesAdicionais.CodigoContaCorrente != w.cfg.BankAccount {
				t.Fatalf("sale = %+v", pv)
			}
			if n := len(sentOrders(w.env, "auvo-quote-"+quoteID(open)+"-pv")); n != 0 {
				t.Fatalf("a quotation of another stage was sent")
			}
			wantOutcome(t, outcomeOf(t, w.env, store.FlowQuotes, quoteID(yes), ""), store.ActionCreated, "quote_sent")

			w.env.ResetStats()
			w.env.MustCycle()
			if wr := flowtest.Writes(w.env.Stats()); hasCallPrefix(wr, "omie") {
				t.Fatalf("Omie writes on the second cycle: %v", wr)
			}
			if _, err := w.env.Auvo.EditQuotation(w.env.AuvoKey, open.PublicID, func(q *auvo.Quotation) {
				q.CurrentStage = stage(t, "Aprovado")
			}); err != nil {
				t.Fatal(err)
			}
			w.env.MustCycle()
			if n := len(sentOrders(w.env, "auvo-quote-"+quoteID(open)+"-pv")); n != 1 {
				t.Fatalf("quotation moved into the stage: sales = %d, want 1", n)
			}
			if n := len(w.env.Omie.Orders(w.env.OmieKey)); n != 2 {
				t.Fatalf("sales in Omie = %d, want 2", n)
			}
		})
	})

	t.Run("Q1 S5 the stage name must be exactly the configured one", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			w, ap, _ := quoteWorld(t, d, "aprovado")
			w.quote(t, "Aprovado", auvo.QuotationProduct{ProductID: auvo.Ref(ap.Code), Amout: auvo.DecimalFromFloat(1)})
			w.env.MustCycle()
			if n := len(w.env.Omie.Orders(w.env.OmieKey)); n != 0 {
				t.Fatalf("sales = %d for a stage named differently", n)
			}
		})
	})

	t.Run("Q1 K5 a quotation product without counterpart is named and nothing is sent", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			w, _, _ := quoteWorld(t, d, "Aprovado")
			stray, err := w.env.Auvo.SeedProduct(w.env.AuvoKey, auvo.Product{Code: "9090", Name: "Peça avulsa", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			q := w.quote(t, "Aprovado", auvo.QuotationProduct{ProductID: auvo.Ref(stray.Code), Amout: auvo.DecimalFromFloat(1)})
			w.env.MustCycle()
			o := outcomeOf(t, w.env, store.FlowQuotes, quoteID(q), "")
			wantOutcome(t, o, store.ActionSkipped, "item_not_linked")
			if !strings.Contains(o.Message, "9090") {
				t.Errorf("K5 message = %q, want the product named", o.Message)
			}
			if n := len(w.env.Omie.Orders(w.env.OmieKey)); n != 0 {
				t.Fatalf("sales = %d with an unmatched product", n)
			}
		})
	})
}
