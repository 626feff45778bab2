package flow_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// taskWorld is an integration with a linked customer, an Omie service matched by code to an
// Auvo service, and an Omie product of the chosen location already created in Auvo.
type taskWorld struct {
	env         *flowtest.Env
	cfg         store.Config
	customer    auvo.Customer        // linked to omieCli
	omieCli     omie.ClienteCadastro //
	service     auvo.Service         // external code = the Omie service's code
	omieService omie.Servico
	product     auvo.Product // created by the product flow from omieProduct
	omieProduct omie.Produto
}

// newTaskWorld builds a taskWorld with the flows on running, task status code status.
func newTaskWorld(t *testing.T, d store.Dialect, status string, on ...store.Flow) *taskWorld {
	t.Helper()
	env, cfg := opsEnv(t, d, append(on, store.FlowProducts)...)
	w := &taskWorld{env: env, cfg: cfg}
	doc := cnpj()
	w.omieCli = seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Condomínio Solar", CnpjCpf: doc})
	w.customer = seedAuvo(t, env, auvo.Customer{Description: "Condomínio Solar", CPFCNPJ: doc, ExternalID: omieID(w.omieCli)})
	if _, err := env.Store.SaveLink(t.Context(), store.Link{TenantID: env.In.TenantID, IntegrationID: env.In.ID,
		Entity: store.EntityCustomer, AuvoID: auvoID(w.customer), ERPID: omieID(w.omieCli), State: store.LinkActive}); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.omieService, err = env.Omie.SeedServico(env.OmieKey, omie.Servico{Cabecalho: omie.ServicoCabecalho{
		CDescricao: "Manutenção preventiva", CCodigo: "SRV-MP", NPrecoUnit: 180}}); err != nil {
		t.Fatal(err)
	}
	if w.service, err = env.Auvo.SeedService(env.AuvoKey, auvo.Service{Title: "Preventiva", ExternalCode: "SRV-MP",
		Price: auvo.DecimalFromCents(18000), Active: true}); err != nil {
		t.Fatal(err)
	}
	w.omieProduct = seedProduct(t, env, cfg.StockLocation, omie.Produto{Codigo: "GAS-R410", Descricao: "Gás R410A", ValorUnitario: 95}, 12)
	cfg.TaskStatus = status
	env.Configure(cfg)
	w.cfg = cfg
	env.MustCycle()
	w.product = oneAuvoProduct(t, env, w.omieProduct)
	return w
}

// task seeds a task of the world's customer with one service and one product line, then edits
// it as Auvo stamps a change.
func (w *taskWorld) task(t *testing.T, edit func(*auvo.Task)) auvo.Task {
	t.Helper()
	tk := auvo.Task{CustomerID: w.customer.ID, Orientation: "Revisão do ar-condicionado", Finished: true, CheckinType: 1,
		CheckIn: true, CheckOut: true,
		Services: []auvo.TaskService{{ID: w.service.ID, Name: w.service.Title, Quantity: auvo.DecimalFromFloat(1),
			UnitaryValue: auvo.DecimalFromCents(18000), TotalValue: auvo.DecimalFromCents(18000)}},
		Products: []auvo.TaskProduct{{ProductID: w.product.ProductID, Code: w.product.Code, Name: w.product.Name,
			Quantity: auvo.DecimalFromFloat(2), UnitaryValue: auvo.DecimalFromCents(9500), TotalValue: auvo.DecimalFromCents(19000)}},
	}
	if edit != nil {
		edit(&tk)
	}
	saved, err := w.env.Auvo.SeedTask(w.env.AuvoKey, tk)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

func taskID(tk auvo.Task) string { return strconv.FormatInt(tk.TaskID, 10) }

// sentOS returns the Omie service orders with the task's integration code.
func sentOS(env *flowtest.Env, code string) []omie.OS {
	var out []omie.OS
	for _, os := range env.Omie.ServiceOrders(env.OmieKey) {
		if os.Cabecalho.CCodIntOS == code {
			out = append(out, os)
		}
	}
	return out
}

func sentOrders(env *flowtest.Env, code string) []omie.Pedido {
	var out []omie.Pedido
	for _, p := range env.Omie.Orders(env.OmieKey) {
		if p.Cabecalho.CodigoPedidoIntegracao == code {
			out = append(out, p)
		}
	}
	return out
}

func TestTasksAuvoToOmie(t *testing.T) {
	t.Parallel()
	const flowK = store.FlowTasks

	t.Run("K2 services become one OS and products one sale, with the chosen account, category and location; K2 sent once", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			w := newTaskWorld(t, d, "3", flowK)
			tk := w.task(t, nil)
			w.env.MustCycle()
			oss := sentOS(w.env, "auvo-task-"+taskID(tk)+"-os")
			if len(oss) != 1 {
				t.Fatalf("service orders = %d, want 1", len(oss))
			}
			os := oss[0]
			if os.Cabecalho.NCodCli != w.omieCli.CodigoClienteOmie || os.InformacoesAdicionais == nil ||
				os.InformacoesAdicionais.NCodCC != w.cfg.BankAccount || os.InformacoesAdicionais.CCodCateg != w.cfg.Category {
				t.Fatalf("OS header = %+v %+v", os.Cabecalho, os.InformacoesAdicionais)
			}
			if len(os.ServicosPrestados) != 1 || os.ServicosPrestados[0].NCodServico != w.omieService.IntListar.NCodServ ||
				os.ServicosPrestados[0].NValUnit != 18000 {
				t.Fatalf("OS services = %+v", os.ServicosPrestados)
			}
			pvs := sentOrders(w.env, "auvo-task-"+taskID(tk)+"-pv")
			if len(pvs) != 1 {
				t.Fatalf("sales = %d, want 1", len(pvs))
			}
			pv := pvs[0]
			if pv.Cabecalho.CodigoCliente != w.omieCli.CodigoClienteOmie || pv.InformacoesAdicionais.CodigoContaCorrente != w.cfg.BankAccount ||
				pv.InformacoesAdicionais.CodigoCategoria != w.cfg.Category {
				t.Fatalf("sale = %+v %+v", pv.Cabecalho, pv.InformacoesAdicionais)
			}
			if len(pv.Det) != 1 || pv.Det[0].Produto.CodigoProduto != w.omieProduct.CodigoProduto || pv.Det[0].Produto.Quantidade != 2*omie.QuantityScale ||
				pv.Det[0].InfAdic == nil || pv.Det[0].InfAdic.CodigoLocalEstoque != w.cfg.StockLocation {
				t.Fatalf("sale items = %+v", pv.Det)
			}
			wantOutcome(t, outcomeOf(t, w.env, flowK, taskID(tk), ""), store.ActionCreated, "task_sent")

			// Later changes to the task do not send it again.
			if _, err := w.env.Auvo.EditTask(w.env.AuvoKey, tk.TaskID, func(t *auvo.Task) { t.Report = "Trocado o filtro" }); err != nil {
				t.Fatal(err)
			}
			w.env.ResetStats()
			w.env.MustCycle()
			if wr := flowtest.Writes(w.env.Stats()); hasCallPrefix(wr, "omie") {
				t.Fatalf("Omie writes after the task changed: %v", wr)
			}
			if len(w.env.Omie.ServiceOrders(w.env.OmieKey)) != 1 || len(w.env.Omie.Orders(w.env.OmieKey)) != 1 {
				t.Fatal("the task was sent twice")
			}
		})
	})

	t.Run("K4 a task re-read after a crash between the Omie call and the local commit creates no second OS or sale", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			w := newTaskWorld(t, d, "4", flowK)
			tk := w.task(t, nil)
			crash := &crashAfter{Context: context.Background(), happened: func() bool {
				return len(w.env.Omie.ServiceOrders(w.env.OmieKey)) > 0
			}}
			if err := w.env.CycleWith(crash); err == nil {
				t.Fatal("the crashed cycle reported no error")
			}
			if n := len(sentOS(w.env, "auvo-task-"+taskID(tk)+"-os")); n != 1 {
				t.Fatalf("service orders after the crash = %d, want 1", n)
			}
			if _, err := w.env.Store.LinkByAuvoID(t.Context(), w.env.In.TenantID, w.env.In.ID, store.EntityTaskOS, taskID(tk)); err == nil {
				t.Fatal("the OS link was saved: the crash came too late to test anything")
			}
			w.env.MustCycle()
			w.env.MustCycle()
			if n := len(sentOS(w.env, "auvo-task-"+taskID(tk)+"-os")); n != 1 {
				t.Fatalf("service orders = %d, want 1", n)
			}
			if n := len(sentOrders(w.env, "auvo-task-"+taskID(tk)+"-pv")); n != 1 {
				t.Fatalf("sales = %d, want 1", n)
			}
			l, err := w.env.Store.LinkByAuvoID(t.Context(), w.env.In.TenantID, w.env.In.ID, store.EntityTaskOS, taskID(tk))
			if err != nil || l.ERPID != strconv.FormatInt(w.env.Omie.ServiceOrders(w.env.OmieKey)[0].Cabecalho.NCodOS, 10) {
				t.Fatalf("OS link = %+v, %v", l, err)
			}
			o := outcomeOf(t, w.env, flowK, taskID(tk), "")
			if o.Action != store.ActionCreated || !strings.Contains(o.Message, "ordem de serviço") {
				t.Fatalf("outcome = %+v", o)
			}
		})
	})

	t.Run("K3 an unlinked customer is integrated first under the C-A rules, then the task is sent", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			w := newTaskWorld(t, d, "4", flowK, store.FlowCustomersToERP)
			// A customer changed before the customer flow's cursor, so only the task brings it in.
			doc := cnpj()
			c := seedAuvo(t, w.env, auvo.Customer{Description: "Padaria Nova", CPFCNPJ: doc,
				DateLastUpdate: auvo.NewTime(flowtest.Start.Add(-24 * time.Hour))})
			tk := w.task(t, func(t *auvo.Task) { t.CustomerID = c.ID })
			w.env.MustCycle()
			om := omieByDoc(w.env, doc)
			if len(om) != 1 {
				t.Fatalf("Omie customers with the document = %d, want 1", len(om))
			}
			wantOutcome(t, outcomeOf(t, w.env, store.FlowCustomersToERP, auvoID(c), ""), store.ActionCreated, "created")
			oss := sentOS(w.env, "auvo-task-"+taskID(tk)+"-os")
			if len(oss) != 1 || oss[0].Cabecalho.NCodCli != om[0].CodigoClienteOmie {
				t.Fatalf("service orders = %+v, want one for customer %d", oss, om[0].CodigoClienteOmie)
			}
		})
	})

	t.Run("K3 a customer that cannot be integrated makes the task wait with the reason; it goes once the customer is fixed", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			w := newTaskWorld(t, d, "4", flowK, store.FlowCustomersToERP)
			c := seedAuvo(t, w.env, auvo.Customer{Description: "Sem Documento Ltda"})
			tk := w.task(t, func(t *auvo.Task) { t.CustomerID = c.ID })
			w.env.MustCycle()
			o := outcomeOf(t, w.env, flowK, taskID(tk), "")
			wantOutcome(t, o, store.ActionSkipped, "customer_not_linked")
			if !strings.Contains(o.Message, "Cliente sem CPF/CNPJ") {
				t.Errorf("K3 reason does not say why: %q", o.Message)
			}
			if n := len(w.env.Omie.ServiceOrders(w.env.OmieKey)) + len(w.env.Omie.Orders(w.env.OmieKey)); n != 0 {
				t.Fatalf("%d documents sent for a task without its customer", n)
			}
			editAuvo(t, w.env, c.ID, func(c *auvo.Customer) { c.CPFCNPJ = cnpj() })
			w.env.MustCycle()
			if n := len(sentOS(w.env, "auvo-task-"+taskID(tk)+"-os")); n != 1 {
				t.Fatalf("service orders = %d after the customer was fixed, want 1", n)
			}
		})
	})

	t.Run("K5 an item without counterpart is named and nothing is sent; once matched the waiting task goes", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			w := newTaskWorld(t, d, "4", flowK)
			install, err := w.env.Auvo.SeedService(w.env.AuvoKey, auvo.Service{Title: "Instalação de split", ExternalCode: "SRV-INS",
				Active: true})
			if err != nil {
				t.Fatal(err)
			}
			tk := w.task(t, func(t *auvo.Task) {
				t.Services = append(t.Services, auvo.TaskService{ID: install.ID, Name: install.Title,
					Quantity: auvo.DecimalFromFloat(1), UnitaryValue: auvo.DecimalFromCents(35000)})
			})
			w.env.MustCycle()
			o := outcomeOf(t, w.env, flowK, taskID(tk), "")
			wantOutcome(t, o, store.ActionSkipped, "item_not_linked")
			if !strings.Contains(o.Message, "serviço Instalação de split") || strings.Contains(o.Message, "Preventiva") {
				t.Errorf("K5 message = %q, want the unmatched item named (only it)", o.Message)
			}
			if n := len(w.env.Omie.ServiceOrders(w.env.OmieKey)) + len(w.env.Omie.Orders(w.env.OmieKey)); n != 0 {
				t.Fatalf("%d documents sent with an unmatched item", n)
			}
			if _, err := w.env.Omie.SeedServico(w.env.OmieKey, omie.Servico{Cabecalho: omie.ServicoCabecalho{
				CDescricao: "Instalação", CCodigo: "SRV-INS"}}); err != nil {
				t.Fatal(err)
			}
			w.env.MustCycle()
			oss := sentOS(w.env, "auvo-task-"+taskID(tk)+"-os")
			if len(oss) != 1 || len(oss[0].ServicosPrestados) != 2 {
				t.Fatalf("service orders = %+v, want one with both services", oss)
			}
		})
	})

	t.Run("K1 incremental: a cycle reads only the tasks changed since the last one (dateLastUpdate, wide date window)", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			w := newTaskWorld(t, d, "4", flowK)
			for range 3 {
				w.task(t, nil)
			}
			w.env.MustCycle()
			if n := lastRun(t, w.env, flowK).Counts.Read; n != 3 {
				t.Fatalf("first cycle read %d tasks, want 3", n)
			}
			later := w.task(t, nil)
			w.env.MustCycle()
			if r := lastRun(t, w.env, flowK); r.Counts.Read != 1 || r.Status != "done" {
				t.Fatalf("second cycle = %+v, want one task read", r)
			}
			if n := len(sentOS(w.env, "auvo-task-"+taskID(later)+"-os")); n != 1 {
				t.Fatalf("the later task was not sent")
			}
			if n := len(w.env.Omie.ServiceOrders(w.env.OmieKey)); n != 4 {
				t.Fatalf("service orders = %d, want 4", n)
			}
		})
	})

	t.Run("S2 K1 code X turns the flow off: no task is read", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			w := newTaskWorld(t, d, "X", flowK, store.FlowQuotes)
			w.task(t, nil)
			w.env.ResetStats()
			w.env.MustCycle()
			if n := calls(w.env, "auvo", "GET /tasks") + calls(w.env, "auvo", "GET /quotations"); n != 0 {
				t.Fatalf("tasks or quotations read with X: %v", w.env.Stats()["auvo"])
			}
		})
	})
}

// crashAfter is a context that is cancelled from the moment happened reports true: a cycle run
// under it stops at its next look at the context after the partner call that made it true, as
// if the process died between that call and the local commit.
type crashAfter struct {
	context.Context
	happened func() bool
	once     sync.Once
	done     chan struct{}
	mu       sync.Mutex
}

func (c *crashAfter) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
	}
	if c.happened() {
		c.once.Do(func() { close(c.done) })
	}
	return c.done
}

func (c *crashAfter) Err() error {
	select {
	case <-c.Done():
		return context.Canceled
	default:
		return nil
	}
}

// The task status filter codes (S2, api/auvo.md §3.2), with the sandbox's reading of "finished
// automatically" (an automatic check-in, checkinType 2; no task field says it [U]).
func TestTaskStatusCodes(t *testing.T) {
	t.Parallel()
	kinds := map[string]func(*auvo.Task){
		"open":      func(t *auvo.Task) { t.Finished, t.CheckIn, t.CheckOut = false, false, false },
		"started":   func(t *auvo.Task) { t.Finished, t.CheckIn, t.CheckOut = false, true, false },
		"auto":      func(t *auvo.Task) { t.Finished, t.CheckinType = true, 2 },
		"manual":    func(t *auvo.Task) { t.Finished, t.CheckinType = true, 1 },
		"pendency":  func(t *auvo.Task) { t.Finished, t.CheckinType, t.Pendency = true, 1, "Falta peça" },
		"unchecked": func(t *auvo.Task) { t.Finished, t.CheckinType, t.CheckIn, t.CheckOut = true, 1, false, false },
	}
	want := map[string][]string{
		"0": {"open", "started"},
		"1": {"auto"},
		"2": {"manual", "pendency", "unchecked"},
		"3": {"auto", "manual", "pendency", "unchecked"},
		"4": {"auto", "manual", "open", "pendency", "started", "unchecked"},
		"5": {"pendency"},
		"6": {"auto", "manual", "pendency", "started"},
	}
	for code := range want {
		t.Run("K1 S2 status code "+code+" selects exactly the tasks of Auvo's filter", func(t *testing.T) {
			t.Parallel()
			flowtest.Each(t, func(t *testing.T, d store.Dialect) {
				w := newTaskWorld(t, d, code, store.FlowTasks)
				ids := map[string]string{}
				for name, edit := range kinds {
					ids[taskID(w.task(t, edit))] = name
				}
				w.env.MustCycle()
				var got []string
				for _, os := range w.env.Omie.ServiceOrders(w.env.OmieKey) {
					id := strings.TrimSuffix(strings.TrimPrefix(os.Cabecalho.CCodIntOS, "auvo-task-"), "-os")
					got = append(got, ids[id])
				}
				slices.Sort(got)
				if !slices.Equal(got, want[code]) {
					t.Fatalf("code %s sent %v, want %v", code, got, want[code])
				}
			})
		})
	}
}

func TestTaskTypeAndGroupFilters(t *testing.T) {
	t.Parallel()
	t.Run("K1 S3 S4 only tasks of the task type and of customers in the group are sent", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			w := newTaskWorld(t, d, "4", store.FlowTasks)
			tt, err := w.env.Auvo.SeedTaskType(w.env.AuvoKey, auvo.TaskType{Description: "Preventiva", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			g, err := w.env.Auvo.SeedCustomerGroup(w.env.AuvoKey, auvo.CustomerGroup{Description: "Contratos"})
			if err != nil {
				t.Fatal(err)
			}
			editAuvo(t, w.env, w.customer.ID, func(c *auvo.Customer) { c.GroupsID = []int64{g.ID} })
			other := seedAuvo(t, w.env, auvo.Customer{Description: "Fora do grupo", CPFCNPJ: cnpj()})
			cfg := w.cfg
			cfg.TaskType, cfg.CustomerGroup = strconv.FormatInt(tt.ID, 10), strconv.FormatInt(g.ID, 10)
			w.env.Configure(cfg)
			yes := w.task(t, func(t *auvo.Task) { t.TaskType = tt.ID })
			w.task(t, func(t *auvo.Task) { t.TaskType = tt.ID + 1000 })
			w.task(t, func(t *auvo.Task) { t.TaskType = tt.ID; t.CustomerID = other.ID })
			w.env.MustCycle()
			oss := w.env.Omie.ServiceOrders(w.env.OmieKey)
			if len(oss) != 1 || oss[0].Cabecalho.CCodIntOS != "auvo-task-"+taskID(yes)+"-os" {
				t.Fatalf("service orders = %+v, want only task %d's", oss, yes.TaskID)
			}
		})
	})
}

func lastRun(t *testing.T, env *flowtest.Env, f store.Flow) store.Run {
	t.Helper()
	runs, err := env.Store.Runs(t.Context(), env.In.TenantID, env.In.ID, f, 1, 0)
	if err != nil || len(runs) == 0 {
		t.Fatalf("runs of %s: %v, %v", f, runs, err)
	}
	return runs[0]
}
