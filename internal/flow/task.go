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

// orderLine is one product or service of a task or quotation, as it goes to Omie.
type orderLine struct {
	AuvoID   string // the product's GUID (tasks) or id/code (quotations), the service's GUID
	Name     string
	Service  bool
	Quantity float64
	Price    float64 // unit price
	Discount float64 // money off the line
	OmieID   int64   // the Omie product or service, once resolved
}

// orderSource is a task (K2) or a quotation (Q1) to send to Omie: its services become a service
// order, its products a sale, each under an integration code derived from the Auvo id (K4).
type orderSource struct {
	Kind     string // "task" or "quote": the code prefix
	ID       string
	Name     string // for the run log
	Customer int64  // the Auvo customer id
	Lines    []orderLine
	Note     string
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

// discountMoney turns a line discount into money: Auvo reads a money discount as "Valor" (or
// "0"), a quotation's as "Monetario"; anything else is a percentage of the gross amount.
func discountMoney(d auvo.Discount, gross float64) float64 {
	v := d.Value.Float64()
	switch t := strings.ToLower(strings.TrimSpace(d.Type)); t {
	case "", "0", "valor", "monetario", "monetário":
		return v
	}
	return gross * v / 100
}

func taskSource(t auvo.Task) orderSource {
	id := strconv.FormatInt(t.TaskID, 10)
	s := orderSource{Kind: "task", ID: id, Customer: t.CustomerID, OSEntity: store.EntityTaskOS,
		OrderEntity: store.EntityTaskOrder, Etapa: taskEtapa,
		Name: strings.TrimSpace("Tarefa " + id + " — " + t.CustomerDescription),
		Note: "Tarefa nº " + id + " do Auvo"}
	for _, p := range t.Products {
		q, v := p.Quantity.Float64(), p.UnitaryValue.Float64()
		s.Lines = append(s.Lines, orderLine{AuvoID: p.ProductID, Name: p.Name, Quantity: q, Price: v,
			Discount: discountMoney(p.Discount, q*v)})
	}
	for _, sv := range t.Services {
		q, v := sv.Quantity.Float64(), sv.UnitaryValue.Float64()
		s.Lines = append(s.Lines, orderLine{AuvoID: sv.ID, Name: sv.Name, Service: true, Quantity: q, Price: v,
			Discount: discountMoney(sv.Discount, q*v)})
	}
	return s
}

func quoteSource(q auvo.Quotation) orderSource {
	id := strconv.FormatInt(q.PublicID, 10)
	s := orderSource{Kind: "quote", ID: id, Customer: q.CustomerID, OSEntity: store.EntityQuoteOS,
		OrderEntity: store.EntityQuoteOrder, Etapa: quoteEtapa,
		Name: strings.TrimSpace("Orçamento " + id + " — " + q.CustomerName),
		Note: "Orçamento nº " + id + " do Auvo"}
	for _, p := range q.Products {
		s.Lines = append(s.Lines, orderLine{AuvoID: string(p.ProductID), Name: string(p.ProductID), // the quotation names no product: its Auvo id
			Quantity: p.Amout.Float64(), Price: p.UnitaryValue.Float64()})
	}
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
// category (S8).
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
	return os
}

// buildOrder is the sale of the source's products (K2): the chosen category (S8), bank account
// (S7) and, on every item, stock location (S9).
func buildOrder(s orderSource, customer int64, cfg store.Config, day time.Time) omie.Pedido {
	p := omie.Pedido{
		Cabecalho: omie.PedidoCabecalho{CodigoPedidoIntegracao: s.code(docOrder), CodigoCliente: customer,
			DataPrevisao: omie.FormatDate(day), Etapa: s.Etapa, CodigoParcela: "000"}, // "000" à vista [I]
		InformacoesAdicionais: &omie.PedidoInformacoesAdicionais{CodigoCategoria: cfg.Category,
			CodigoContaCorrente: cfg.BankAccount, ConsumidorFinal: omie.Sim, UtilizarEmails: "N", EnviarEmail: omie.Nao},
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
	return p
}
