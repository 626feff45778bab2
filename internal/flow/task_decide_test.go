package flow

import (
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

func TestUnavailable(t *testing.T) {
	t.Parallel()
	ready := store.Config{TaskStatus: "3", QuoteStatus: "Aprovado", BankAccount: 1, Category: "1.01.02", StockLocation: 9}
	with := func(edit func(*store.Config)) store.Integration {
		cfg := ready
		edit(&cfg)
		return store.Integration{ERP: store.Omie, Config: cfg}
	}
	complete := store.Integration{ERP: store.Omie, Config: ready}
	tests := []struct {
		name string
		in   store.Integration
		f    store.Flow
		off  bool
		says string // part of the reason
	}{
		{"F1 customer flows always run", store.Integration{ERP: store.Bling}, store.FlowCustomersToERP, false, ""},
		{"F1 products only for Omie", store.Integration{ERP: store.ContaAzul, Config: ready}, store.FlowProducts, true, "apenas"},
		{"complete Omie setup: products", complete, store.FlowProducts, false, ""},
		{"complete Omie setup: stock", complete, store.FlowStock, false, ""},
		{"complete Omie setup: tasks", complete, store.FlowTasks, false, ""},
		{"complete Omie setup: quotations", complete, store.FlowQuotes, false, ""},
		{"S2 K1 X turns tasks off", with(func(c *store.Config) { c.TaskStatus = "x" }), store.FlowTasks, true, "X"},
		{"S2 X for tasks leaves quotations on", with(func(c *store.Config) { c.TaskStatus = "X" }), store.FlowQuotes, false, ""},
		{"S2 two codes are refused", with(func(c *store.Config) { c.TaskStatus = "1,2" }), store.FlowTasks, true, "de 0 a 6"},
		{"S2 code 12 is refused", with(func(c *store.Config) { c.TaskStatus = "12" }), store.FlowTasks, true, "de 0 a 6"},
		{"S2 code 7 is refused", with(func(c *store.Config) { c.TaskStatus = "7" }), store.FlowTasks, true, "de 0 a 6"},
		{"S2 empty status", with(func(c *store.Config) { c.TaskStatus = "" }), store.FlowTasks, true, "de 0 a 6"},
		{"S3 type must be a number", with(func(c *store.Config) { c.TaskType = "preventiva" }), store.FlowTasks, true, "tipo"},
		{"S4 group must be a number", with(func(c *store.Config) { c.CustomerGroup = "A" }), store.FlowTasks, true, "grupo"},
		{"S5 Q1 X turns quotations off", with(func(c *store.Config) { c.QuoteStatus = " X " }), store.FlowQuotes, true, "X"},
		{"S5 Todos is refused", with(func(c *store.Config) { c.QuoteStatus = "todos" }), store.FlowQuotes, true, "Todos"},
		{"S5 empty name", with(func(c *store.Config) { c.QuoteStatus = "" }), store.FlowQuotes, true, "status dos orçamentos"},
		{"S7 tasks need the bank account", with(func(c *store.Config) { c.BankAccount = 0 }), store.FlowTasks, true, "conta corrente"},
		{"S8 quotations need the category", with(func(c *store.Config) { c.Category = "" }), store.FlowQuotes, true, "categoria"},
		{"S9 stock needs the location", with(func(c *store.Config) { c.StockLocation = 0 }), store.FlowStock, true, "local de estoque"},
		{"S9 products need the location", with(func(c *store.Config) { c.StockLocation = 0 }), store.FlowProducts, true, "local de estoque"},
		{"S7 products do not need the bank account", with(func(c *store.Config) { c.BankAccount = 0 }), store.FlowProducts, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reason, off := Unavailable(tc.in, tc.f)
			if off != tc.off || !strings.Contains(reason, tc.says) || (!off && reason != "") {
				t.Fatalf("Unavailable = %q, %v; want off %v saying %q", reason, off, tc.off, tc.says)
			}
		})
	}
}

func TestTaskFilterFromSettings(t *testing.T) {
	t.Parallel()
	f, problem := taskFilter(store.Config{TaskStatus: " 0 ", TaskType: "77", CustomerGroup: "12"})
	if problem != "" || f.Status == nil || *f.Status != auvo.StatusUnfinished || f.Type != 77 || f.CustomerGroupID != 12 {
		t.Fatalf("K1 filter = %+v (status %v), %q", f, f.Status, problem)
	}
	f, _ = taskFilter(store.Config{TaskStatus: "6"})
	if *f.Status != auvo.StatusStartedOrFinished || f.Type != 0 || f.CustomerGroupID != 0 {
		t.Fatalf("S3 S4 optional: filter = %+v", f)
	}
}

func TestDecideOrder(t *testing.T) {
	t.Parallel()
	svc := orderLine{Service: true, Name: "Instalação"}
	prod := orderLine{Name: "Gás"}
	task := func(lines ...orderLine) orderSource { return orderSource{Kind: "task", ID: "1", Lines: lines} }
	quote := orderSource{Kind: "quote", ID: "2", Lines: []orderLine{prod}}
	linked := orderState{CustomerLinked: true}
	tests := []struct {
		name   string
		s      orderSource
		st     orderState
		action store.Action
		reason Code
	}{
		{"K2 no items", task(), linked, store.ActionSkipped, ReasonTaskNoItems},
		{"Q1 no items", orderSource{Kind: "quote"}, linked, store.ActionSkipped, ReasonQuoteNoItems},
		{"K2 services and products: send", task(svc, prod), linked, store.ActionCreated, ReasonTaskSent},
		{"K2 sent once: both linked", task(svc, prod), orderState{HaveOS: true, HaveOrder: true}, store.ActionUnchanged, ""},
		{"K2 services only, OS linked", task(svc), orderState{HaveOS: true}, store.ActionUnchanged, ""},
		{"K2 OS linked, sale missing: send the sale", task(svc, prod), orderState{HaveOS: true, CustomerLinked: true},
			store.ActionCreated, ReasonTaskSent},
		{"K3 customer not linked: wait", task(svc), orderState{CustomerProblem: "sem CPF"}, store.ActionSkipped, ReasonCustomerNotLinked},
		{"K5 missing item: wait", task(svc), orderState{CustomerLinked: true, Missing: []string{"serviço X"}},
			store.ActionSkipped, ReasonItemNotLinked},
		{"Q1 send", quote, linked, store.ActionCreated, ReasonQuoteSent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := decideOrder(tc.s, tc.st)
			if d.Action != tc.action || d.Reason != tc.reason {
				t.Fatalf("decideOrder = %s/%s, want %s/%s", d.Action, d.Reason, tc.action, tc.reason)
			}
		})
	}
}

func TestOrderCodesAndDiscounts(t *testing.T) {
	t.Parallel()
	// K4: the integration codes are derived from the Auvo ids, one per document.
	s := taskSource(auvo.Task{TaskID: 123})
	if s.code(docOS) != "auvo-task-123-os" || s.code(docOrder) != "auvo-task-123-pv" {
		t.Fatalf("task codes = %q %q", s.code(docOS), s.code(docOrder))
	}
	if q := quoteSource(auvo.Quotation{PublicID: 45}); q.code(docOrder) != "auvo-quote-45-pv" {
		t.Fatalf("quotation code = %q", q.code(docOrder))
	}
	for _, tc := range []struct {
		typ   string
		value float64
		want  omie.Money
	}{{"Valor", 5, 500}, {"0", 5, 500}, {"Monetario", 5, 500}, {"Percentual", 10, 2000}, {"Percentual", 12.5, 2500}} {
		if got := discountMoney(auvo.Discount{Type: tc.typ, Value: auvo.DecimalFromFloat(tc.value)}, 20000); got != tc.want {
			t.Errorf("discount %s %v of 200 = %v, want %v", tc.typ, tc.value, got, tc.want)
		}
	}
}

func TestMatchService(t *testing.T) {
	t.Parallel()
	list := []omie.Servico{
		{IntListar: omie.ServicoIntegracao{NCodServ: 10}, Cabecalho: omie.ServicoCabecalho{CCodigo: "SRV-1", CDescricao: "Instalação"}},
		{IntListar: omie.ServicoIntegracao{NCodServ: 20, CCodIntServ: "int-20"}, Cabecalho: omie.ServicoCabecalho{CDescricao: "Visita"}},
		{IntListar: omie.ServicoIntegracao{NCodServ: 30}, Cabecalho: omie.ServicoCabecalho{CDescricao: "Visita"}},
	}
	tests := []struct {
		name string
		sv   auvo.Service
		want int64
	}{
		{"K5 by code", auvo.Service{ExternalCode: "srv-1", Title: "Outro nome"}, 10},
		{"K5 by Omie id", auvo.Service{ExternalCode: "30"}, 30},
		{"K5 by integration code", auvo.Service{ExternalCode: "int-20"}, 20},
		{"K5 by name, accents and case aside", auvo.Service{Title: "INSTALACAO"}, 10},
		{"K5 two services with the name: none", auvo.Service{Title: "Visita"}, 0},
		{"K5 no match", auvo.Service{Title: "Limpeza", ExternalCode: "X"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := matchService(tc.sv, list); got != tc.want {
				t.Fatalf("matchService = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestDecideProduct(t *testing.T) {
	t.Parallel()
	p := omieProduct{ID: "7", Fields: productFields{Name: "Gás", Price: 9500, Active: true}}
	active := &store.Link{AuvoID: "g", ERPID: "7", State: store.LinkActive}
	locked := &store.Link{AuvoID: "g", ERPID: "7", State: store.LinkLocked, LockReason: string(ReasonLockedDeleted)}
	same := productSync{Fields: p.Fields}
	cheaper := productSync{Fields: productFields{Name: "Gás", Price: 9000, Active: true}}
	tests := []struct {
		name   string
		inLoc  bool
		l      *store.Link
		last   productSync
		action store.Action
		reason Code
	}{
		{"PR1 new in the location: create", true, nil, productSync{}, store.ActionCreated, ReasonProductCreated},
		{"PR4 not in the location: skip", false, nil, productSync{}, store.ActionSkipped, ReasonProductOtherLocation},
		{"PR4 linked but left the location: not updated", false, active, cheaper, store.ActionSkipped, ReasonProductOtherLocation},
		{"PR2 unchanged", true, active, same, store.ActionUnchanged, ""},
		{"PR2 price changed: update", true, active, cheaper, store.ActionUpdated, ReasonProductUpdated},
		{"locked link stays locked", true, locked, cheaper, store.ActionLocked, ReasonLockedDeleted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := decideProduct(p, tc.inLoc, tc.l, tc.last)
			if d.Action != tc.action || d.Reason != tc.reason {
				t.Fatalf("decideProduct = %s/%s, want %s/%s", d.Action, d.Reason, tc.action, tc.reason)
			}
		})
	}
	if ops := productOps(cheaper.Fields, p.Fields); len(ops) != 1 || ops[0].Path != "unitaryValue" {
		t.Fatalf("PR2 patch = %+v, want the price alone", ops)
	}
}

func TestStockChange(t *testing.T) {
	t.Parallel()
	l := store.Link{State: store.LinkActive, Synced: productSync{Code: "A", Stock: 7}.String()}
	if _, ch := stockChange(l, 7.0000001); ch {
		t.Error("PR3 the same balance (to six places) must not be written")
	}
	if b, ch := stockChange(l, 6.5); !ch || b != 6.5 {
		t.Errorf("PR3 a moved balance = %v, %v; want 6.5, true", b, ch)
	}
	l.State = store.LinkLocked
	if _, ch := stockChange(l, 1); ch {
		t.Error("a locked product's stock must not be written")
	}
}

// V2: every reason code of these flows has its one message and rule in the exported list.
func TestOpsReasonsListed(t *testing.T) {
	t.Parallel()
	listed := map[Code]bool{}
	for _, r := range Reasons() {
		listed[r.Code] = true
	}
	for _, r := range opsReasons {
		got, ok := ReasonOf(r.Code)
		if !ok || !listed[r.Code] || got.Message == "" || got.Rule == "" {
			t.Errorf("reason %s: listed %v, %+v", r.Code, listed[r.Code], got)
		}
		if strings.Contains(got.Text(store.Omie), "{erp}") {
			t.Errorf("reason %s: %q keeps the placeholder", r.Code, got.Text(store.Omie))
		}
	}
}

// Issue 22 item 7: consumidor_final follows the customer: a company with a state registration
// is not a final consumer, a person or a company without one is; Omie's contribuinte flag wins.
func TestFinalConsumer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		c    omie.ClienteCadastro
		want omie.Flag
	}{
		{"person", omie.ClienteCadastro{PessoaFisica: omie.Sim}, omie.Sim},
		{"company with IE", omie.ClienteCadastro{PessoaFisica: omie.Nao, InscricaoEstadual: "110.042.490.114"}, omie.Nao},
		{"company exempt", omie.ClienteCadastro{InscricaoEstadual: "ISENTO"}, omie.Sim},
		{"company without IE", omie.ClienteCadastro{}, omie.Sim},
		{"contributor flag", omie.ClienteCadastro{Contribuinte: omie.Sim}, omie.Nao},
		{"non-contributor with IE", omie.ClienteCadastro{InscricaoEstadual: "123", Contribuinte: omie.Nao}, omie.Sim},
	} {
		if got := finalConsumer(tc.c); got != tc.want {
			t.Errorf("%s: consumidor_final %q, want %q", tc.name, got, tc.want)
		}
	}
}
