package flow_test

import (
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// SPEC K2 (issue 22): what Omie computes for a task's documents — the sandbox sums the lines it
// received, to the centavo — is the total Auvo shows for the task: line discounts, a
// percentage or money discount on the whole, extra costs, fractional quantities, and a free
// warranty item whose zero price must reach Omie as zero (an omitted nValUnit would take the
// service's registered price).
func TestTaskMoneyReachesOmie(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		w := newTaskWorld(t, d, "3", store.FlowTasks)
		svc := func(qty float64, cents int64, disc auvo.Discount) auvo.TaskService {
			q := auvo.DecimalFromFloat(qty)
			return auvo.TaskService{ID: w.service.ID, Name: w.service.Title, Quantity: q, UnitaryValue: auvo.DecimalFromCents(cents),
				TotalValue: lineTotal(q, cents, disc), Discount: disc}
		}
		prod := func(qty float64, cents int64, disc auvo.Discount) auvo.TaskProduct {
			q := auvo.DecimalFromFloat(qty)
			return auvo.TaskProduct{ProductID: w.product.ProductID, Code: w.product.Code, Name: w.product.Name, Quantity: q,
				UnitaryValue: auvo.DecimalFromCents(cents), TotalValue: lineTotal(q, cents, disc), Discount: disc}
		}
		money := func(cents int64) auvo.Discount {
			return auvo.Discount{Type: "Valor", Value: auvo.DecimalFromCents(cents)}
		}
		pct := func(p float64) auvo.Discount {
			return auvo.Discount{Type: "Percentual", Value: auvo.DecimalFromFloat(p)}
		}
		cost := func(cents int64) auvo.AdditionalCost {
			return auvo.AdditionalCost{Name: "Deslocamento", UnitaryValue: auvo.DecimalFromCents(cents)}
		}
		cases := map[string]func(*auvo.Task){
			"line discounts": func(tk *auvo.Task) {
				tk.Services = []auvo.TaskService{svc(1, 18000, pct(10))}
				tk.Products = []auvo.TaskProduct{prod(2, 9500, money(1250))}
			},
			"percentage on the whole, rounding": func(tk *auvo.Task) {
				tk.Services = []auvo.TaskService{svc(1.5, 3333, auvo.Discount{}), svc(0.333, 10001, auvo.Discount{})}
				tk.Products = []auvo.TaskProduct{prod(3, 333, auvo.Discount{}), prod(1.25, 1999, money(1))}
				tk.Summary.Discount = pct(7.5)
			},
			"money on the whole and extra costs": func(tk *auvo.Task) {
				tk.Products = []auvo.TaskProduct{prod(1, 10000, auvo.Discount{})}
				tk.AdditionalCosts = []auvo.AdditionalCost{cost(4590), cost(1000)}
				tk.Summary.Discount = money(2501)
			},
			"services only with extra costs": func(tk *auvo.Task) {
				tk.Products = nil
				tk.AdditionalCosts = []auvo.AdditionalCost{cost(3500)}
				tk.Summary.Discount = money(500)
			},
			"free warranty items": func(tk *auvo.Task) {
				tk.Services = []auvo.TaskService{svc(1, 0, auvo.Discount{}), svc(1, 18000, auvo.Discount{})}
				tk.Products = []auvo.TaskProduct{prod(1, 0, auvo.Discount{}), prod(2, 9500, auvo.Discount{})}
			},
		}
		tasks := map[string]auvo.Task{}
		for name, edit := range cases {
			tasks[name] = w.task(t, edit)
		}
		w.env.MustCycle()
		for name, tk := range tasks {
			want := tk.Summary.TotalValue.Cents()
			if want <= 0 {
				t.Fatalf("%s: Auvo total %d: the case tests nothing", name, want)
			}
			var got int64
			for _, os := range sentOS(w.env, "auvo-task-"+taskID(tk)+"-os") {
				got += int64(os.Cabecalho.NValorTotal)
			}
			for _, pv := range sentOrders(w.env, "auvo-task-"+taskID(tk)+"-pv") {
				if pv.TotalPedido == nil {
					t.Fatalf("%s: order without total_pedido", name)
				}
				got += int64(pv.TotalPedido.ValorTotalPedido)
			}
			if got != want {
				t.Errorf("%s: Omie total R$ %s, Auvo total R$ %s", name, omie.Money(got), omie.Money(want))
			}
		}
	})
}

// lineTotal is the line value Auvo shows (quantity × price less the line's discount), as the
// seeded task carries it.
func lineTotal(q auvo.Decimal, cents int64, d auvo.Discount) auvo.Decimal {
	g := (q.Micro()*cents + 500_000) / 1_000_000
	off := d.Value.Cents()
	if d.Type == "Percentual" {
		off = (g*d.Value.Micro()/1_000_000 + 50) / 100
	}
	return auvo.DecimalFromCents(g - off)
}

// Issue 22 item 7: the sale's consumidor_final comes from the Omie customer: S for a company
// without state registration, N once it has one (an ICMS taxpayer).
func TestTaskSaleFinalConsumerFromCustomer(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		w := newTaskWorld(t, d, "3", store.FlowTasks)
		plain := w.task(t, nil)
		w.env.MustCycle()
		editOmie(t, w.env, w.omieCli.CodigoClienteOmie, func(c *omie.ClienteCadastro) { c.InscricaoEstadual = "110.042.490.114" })
		w.env.Clock.Advance(omie.RedundantWindow)
		taxpayer := w.task(t, nil)
		w.env.MustCycle()
		for tk, want := range map[string]omie.Flag{taskID(plain): omie.Sim, taskID(taxpayer): omie.Nao} {
			pvs := sentOrders(w.env, "auvo-task-"+tk+"-pv")
			if len(pvs) != 1 || pvs[0].InformacoesAdicionais == nil || pvs[0].InformacoesAdicionais.ConsumidorFinal != want {
				t.Fatalf("task %s: sales %+v, want one with consumidor_final %s", tk, pvs, want)
			}
		}
	})
}
