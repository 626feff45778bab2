package flow

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// orderLine is one product or service of a task or quotation, as it goes to Omie. Money is in
// centavos and quantities in millionths (money.go).
type orderLine struct {
	AuvoID   string // the product's GUID (tasks) or id/code (quotations), the service's GUID
	Name     string
	Service  bool
	Quantity omie.Quantity
	Price    omie.Money // unit price
	Discount omie.Money // money off the line: its own discount plus its share of the whole's
	OmieID   int64      // the Omie product or service, once resolved
}

// orderCost is an extra cost of a task or quotation (deslocamento, taxa…).
type orderCost struct {
	Name  string
	Value omie.Money
}

// orderSource is a task (K2) or a quotation (Q1) to send to Omie: its services become a service
// order, its products a sale, each under an integration code derived from the Auvo id (K4).
type orderSource struct {
	Kind     string // "task" or "quote": the code prefix
	ID       string
	Name     string // for the run log
	Customer int64  // the Auvo customer id
	Lines    []orderLine
	Costs    []orderCost
	// CostsOff is the part of the whole discount the lines could not take (they were worth
	// less than it): it comes off the extra costs.
	CostsOff omie.Money
	// Problem, when set, is why the money cannot be sent as Auvo shows it (a discount larger
	// than what it discounts): the source is refused, never sent at another total.
	Problem string
	Note    string
	// OSEntity and OrderEntity are the link entities of the two documents.
	OSEntity, OrderEntity store.Entity
	// Etapa is the Omie stage both documents are created in.
	Etapa string
}

// Omie stages ([I]: the stage names are configurable per account; "10" is the first column,
// the quotations' proposal stage, and a task's work is already done, so its documents start one
// column later; "50" would mean invoicing, which Ponte leaves to people).
const (
	taskEtapa  = "20"
	quoteEtapa = "10"
)

// Integration code suffixes of the two documents.
const (
	docOS    = "os"
	docOrder = "pv"
)

// code is the Omie integration code of one document of the source: "auvo-task-123-os",
// "auvo-task-123-pv", "auvo-quote-45-pv". It is the idempotency key (K4).
func (s orderSource) code(doc string) string { return "auvo-" + s.Kind + "-" + s.ID + "-" + doc }

func (s orderSource) has(service bool) bool {
	for _, l := range s.Lines {
		if l.Service == service {
			return true
		}
	}
	return false
}

// addLine adds a line with its own discount (d, of the line's gross value).
func (s *orderSource) addLine(l orderLine, d auvo.Discount) {
	gross := lineGross(l.Quantity, l.Price)
	l.Discount = discountMoney(d, gross)
	if l.Discount < 0 || l.Discount > gross {
		s.Problem = "o desconto do item " + l.Name + " (R$ " + l.Discount.String() + ") é maior que o valor do item (R$ " + gross.String() + ")"
	}
	s.Lines = append(s.Lines, l)
}

// applyWhole spreads the whole's discount (d, of the lines net plus the extra costs [I]) over
// the lines in proportion to their net values, to the centavo, so that Omie gets it item by
// item whichever document an item goes to. What the lines cannot take comes off the costs.
func (s *orderSource) applyWhole(d auvo.Discount) {
	net := make([]omie.Money, len(s.Lines))
	var lines, costs omie.Money
	for i, l := range s.Lines {
		net[i] = max(lineGross(l.Quantity, l.Price)-l.Discount, 0)
		lines += net[i]
	}
	for _, c := range s.Costs {
		costs += c.Value
	}
	whole := discountMoney(d, lines+costs)
	switch {
	case whole <= 0:
		return
	case whole > lines+costs:
		s.Problem = "o desconto total (R$ " + whole.String() + ") é maior que o valor do documento (R$ " + (lines + costs).String() + ")"
		return
	}
	onLines := min(whole, lines)
	for i, share := range distribute(onLines, net) {
		s.Lines[i].Discount += share
	}
	s.CostsOff = whole - onLines
}

// total is what the source is worth once every discount is taken, in centavos: the figure the
// Omie documents must add up to.
func (s orderSource) total() omie.Money {
	var t omie.Money
	for _, l := range s.Lines {
		t += lineGross(l.Quantity, l.Price) - l.Discount
	}
	for _, c := range s.Costs {
		t += c.Value
	}
	return t - s.CostsOff
}

func taskSource(t auvo.Task) orderSource {
	id := strconv.FormatInt(t.TaskID, 10)
	s := orderSource{Kind: "task", ID: id, Customer: t.CustomerID, OSEntity: store.EntityTaskOS,
		OrderEntity: store.EntityTaskOrder, Etapa: taskEtapa,
		Name: strings.TrimSpace("Tarefa " + id + " — " + t.CustomerDescription),
		Note: "Tarefa nº " + id + " do Auvo"}
	for _, p := range t.Products {
		s.addLine(orderLine{AuvoID: p.ProductID, Name: p.Name, Quantity: omie.Quantity(p.Quantity.Micro()),
			Price: omie.Money(p.UnitaryValue.Cents())}, p.Discount)
	}
	for _, sv := range t.Services {
		s.addLine(orderLine{AuvoID: sv.ID, Name: sv.Name, Service: true, Quantity: omie.Quantity(sv.Quantity.Micro()),
			Price: omie.Money(sv.UnitaryValue.Cents())}, sv.Discount)
	}
	for _, c := range t.AdditionalCosts {
		s.Costs = append(s.Costs, orderCost{Name: c.Name, Value: omie.Money(c.UnitaryValue.Cents())})
	}
	s.applyWhole(t.Summary.Discount)
	return s
}

func quoteSource(q auvo.Quotation) orderSource {
	id := strconv.FormatInt(q.PublicID, 10)
	s := orderSource{Kind: "quote", ID: id, Customer: q.CustomerID, OSEntity: store.EntityQuoteOS,
		OrderEntity: store.EntityQuoteOrder, Etapa: quoteEtapa,
		Name: strings.TrimSpace("Orçamento " + id + " — " + q.CustomerName),
		Note: "Orçamento nº " + id + " do Auvo"}
	for _, p := range q.Products {
		s.addLine(orderLine{AuvoID: string(p.ProductID), Name: string(p.ProductID), // the quotation names no product: its Auvo id
			Quantity: omie.Quantity(p.Amout.Micro()), Price: omie.Money(p.UnitaryValue.Cents())}, auvo.Discount{})
	}
	for _, c := range q.AditionalCosts {
		s.Costs = append(s.Costs, orderCost{Name: c.Description, Value: omie.Money(c.Value.Cents())})
	}
	// The summary's discount carries its type; "descount" (a bare amount) is the same figure
	// in the documented example, read when the summary has none.
	d := q.Summary.Discount
	if d.Value.IsZero() {
		d = auvo.Discount{Value: q.Descount, Type: "Monetario"}
	}
	s.applyWhole(d)
	return s
}

// orderState is what is known of a source before it is sent.
type orderState struct {
	HaveOS, HaveOrder bool     // the documents already linked (sent before)
	CustomerLinked    bool     // K3
	CustomerProblem   string   // why not, for the run log
	Missing           []string // K5: lines without an Omie counterpart, by name
}

// decideOrder applies K2–K5 (and Q1) to a source: unchanged once every document it needs is in
// Omie (sent once), skipped without items, waiting for its customer (K3) or for its items'
// counterparts (K5), else sent. It is pure.
func decideOrder(s orderSource, st orderState) Decision {
	needOS, needOrder := s.has(true), s.has(false)
	switch {
	case !needOS && !needOrder:
		if s.Kind == "quote" {
			return Decision{Action: store.ActionSkipped, Reason: ReasonQuoteNoItems}
		}
		return Decision{Action: store.ActionSkipped, Reason: ReasonTaskNoItems}
	case (!needOS || st.HaveOS) && (!needOrder || st.HaveOrder):
		return Decision{Action: store.ActionUnchanged}
	case !st.CustomerLinked:
		return Decision{Action: store.ActionSkipped, Reason: ReasonCustomerNotLinked, Detail: st.CustomerProblem}
	case len(st.Missing) > 0:
		return Decision{Action: store.ActionSkipped, Reason: ReasonItemNotLinked, Detail: strings.Join(st.Missing, "; ")}
	case s.Problem != "":
		return Decision{Action: store.ActionSkipped, Reason: ReasonOrderDiscount, Detail: s.Problem}
	}
	if s.Kind == "quote" {
		return Decision{Action: store.ActionCreated, Reason: ReasonQuoteSent}
	}
	return Decision{Action: store.ActionCreated, Reason: ReasonTaskSent}
}

// waits reports whether a decision leaves the source to be tried again each cycle.
func waits(d Decision) bool {
	return d.Reason == ReasonCustomerNotLinked || d.Reason == ReasonItemNotLinked
}

// buildOS is the service order of the source's services (K2): the chosen bank account (S7) and
// category (S8), each line's discount in money, and the extra costs as reimbursable expenses
// when the source has no products to carry them.
func buildOS(s orderSource, customer int64, cfg store.Config, day time.Time) omie.OS {
	os := omie.OS{
		Cabecalho: omie.OSCabecalho{CCodIntOS: s.code(docOS), NCodCli: customer, DDtPrevisao: omie.FormatDate(day),
			CEtapa: s.Etapa, NQtdeParc: 1},
		InformacoesAdicionais: &omie.OSInformacoesAdicionais{CCodCateg: cfg.Category, NCodCC: cfg.BankAccount},
		Observacoes:           &omie.OSObservacoes{CObsOS: s.Note},
	}
	for _, l := range s.Lines {
		if !l.Service {
			continue
		}
		sv := omie.OSServico{NCodServico: l.OmieID, NQtde: l.Quantity, NValUnit: l.Price, CDescServ: l.Name}
		if l.Discount > 0 {
			sv.CTpDesconto, sv.NValorDesconto = "V", l.Discount
		}
		os.ServicosPrestados = append(os.ServicosPrestados, sv)
	}
	if !s.has(false) {
		if costs := costLines(s, day); len(costs) > 0 {
			os.DespesasReembolsaveis = &omie.OSDespesas{DespesaReembolsavel: costs}
		}
	}
	return os
}

// costLines are the source's extra costs, less what the whole discount left on them (taken
// from the last costs first), as reimbursable expenses of a service order.
func costLines(s orderSource, day time.Time) []omie.OSDespesa {
	var out []omie.OSDespesa
	off := s.CostsOff
	for i := len(s.Costs) - 1; i >= 0; i-- {
		c := s.Costs[i]
		take := min(off, c.Value)
		off -= take
		if v := c.Value - take; v > 0 {
			out = append([]omie.OSDespesa{{CDescReemb: c.Name, NValorReemb: v, DDataReemb: omie.FormatDate(day)}}, out...)
		}
	}
	return out
}

// finalConsumer decides the sale's consumidor_final, which decides its ICMS: a company with a
// state registration (an ICMS taxpayer) buys for resale or use in its business and is not a
// final consumer; a person, a company without one ("ISENTO" or empty) or a customer Omie marks
// as non-contributor is. Omie's own contribuinte flag, when set, wins. It is pure.
func finalConsumer(c omie.ClienteCadastro) omie.Flag {
	switch c.Contribuinte {
	case omie.Sim:
		return omie.Nao
	case omie.Nao:
		return omie.Sim
	}
	ie := strings.ToUpper(strings.TrimSpace(c.InscricaoEstadual))
	if c.PessoaFisica != omie.Sim && ie != "" && !strings.HasPrefix(ie, "ISENT") {
		return omie.Nao
	}
	return omie.Sim
}

// buildOrder is the sale of the source's products (K2): the chosen category (S8), bank account
// (S7) and, on every item, stock location (S9); each line's discount in money, and the extra
// costs as the order's "outras despesas" (tab Frete e Outras Despesas, without freight).
func buildOrder(s orderSource, customer int64, cfg store.Config, day time.Time, final omie.Flag) omie.Pedido {
	p := omie.Pedido{
		Cabecalho: omie.PedidoCabecalho{CodigoPedidoIntegracao: s.code(docOrder), CodigoCliente: customer,
			DataPrevisao: omie.FormatDate(day), Etapa: s.Etapa, CodigoParcela: "000"}, // "000" à vista [I]
		InformacoesAdicionais: &omie.PedidoInformacoesAdicionais{CodigoCategoria: cfg.Category,
			CodigoContaCorrente: cfg.BankAccount, ConsumidorFinal: final, UtilizarEmails: "N", EnviarEmail: omie.Nao},
		Observacoes: &omie.PedidoObservacoes{ObsVenda: s.Note},
	}
	n := 0
	for _, l := range s.Lines {
		if l.Service {
			continue
		}
		n++
		item := omie.PedidoItem{
			Ide:     omie.PedidoItemIde{CodigoItemIntegracao: fmt.Sprintf("%s-%d", s.code(docOrder), n)},
			Produto: omie.PedidoItemProduto{CodigoProduto: l.OmieID, Quantidade: l.Quantity, ValorUnitario: l.Price},
			InfAdic: &omie.PedidoItemInfAdic{CodigoLocalEstoque: cfg.StockLocation},
		}
		if l.Discount > 0 {
			item.Produto.TipoDesconto, item.Produto.ValorDesconto = "V", l.Discount
		}
		p.Det = append(p.Det, item)
	}
	var costs omie.Money
	for _, c := range s.Costs {
		costs += c.Value
	}
	if costs -= s.CostsOff; costs > 0 {
		p.Frete = &omie.PedidoFrete{Modalidade: "9", OutrasDespesas: costs} // "9" sem frete [C S1 Frete.php]
	}
	return p
}
