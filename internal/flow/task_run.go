package flow

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// orderRun is one run of the task or quotation flow, with what it reads at most once: the
// product links, Omie's service catalogue and the Auvo services met.
type orderRun struct {
	*opsRun
	products     productIndex
	omieServices []omie.Servico
	servicesRead bool
	auvoServices map[string]auvo.Service
}

func newOrderRun(ctx context.Context, c *cycle, r *run) (*orderRun, bool, error) {
	o, ok := newOpsRun(c, r)
	if !ok {
		return nil, false, nil
	}
	idx, err := o.productIndex(ctx)
	if err != nil {
		return nil, false, err
	}
	return &orderRun{opsRun: o, products: idx, auvoServices: map[string]auvo.Service{}}, true, nil
}

// waitPrefix marks, in the cursor's Seen set, a task waiting for its customer (K3) or its items'
// counterparts (K5) or a partner that failed: it is read again by id each cycle, so a waiting
// task never holds the cursor back.
const waitPrefix = "wait:"

// maxWaiting bounds the waiting tasks re-read each cycle (one GET each); the oldest ids beyond
// it are dropped and wait for their next change instead.
const maxWaiting = 200

// runTasks sends each task that settings S2–S4 select to Omie once (K1–K5). It lists the tasks
// changed since the cursor with Auvo's own filters (status, type, customer group; the client
// adds the wide date window Auvo requires) and re-reads the waiting ones.
func runTasks(ctx context.Context, c *cycle, r *run) error {
	o, ok, err := newOrderRun(ctx, c, r)
	if !ok || err != nil {
		return err
	}
	f, _ := taskFilter(o.cfg)
	f.DateLastUpdate = r.cursor.since(o.e.overlap)
	tasks, err := o.api.AllTasks(ctx, f)
	if err != nil {
		return err
	}
	listed := map[int64]bool{}
	stamps := make([]Customer, 0, len(tasks))
	for _, t := range tasks {
		listed[t.TaskID] = true
		stamps = append(stamps, stamp(strconv.FormatInt(t.TaskID, 10), t.DateLastUpdate.Time))
	}
	for key := range r.cursor.Seen {
		id, err := strconv.ParseInt(strings.TrimPrefix(key, waitPrefix), 10, 64)
		if !strings.HasPrefix(key, waitPrefix) || err != nil || listed[id] {
			continue
		}
		t, err := o.api.GetTask(ctx, id)
		switch {
		case partner.KindOf(err) == partner.KindNotFound:
			continue // deleted in Auvo: nothing to send (F4)
		case err != nil:
			return err
		case !f.DateLastUpdate.IsZero() && !t.DateLastUpdate.Before(f.DateLastUpdate):
			continue // changed and not listed: the filters no longer select it
		}
		tasks = append(tasks, t)
	}
	slices.SortStableFunc(tasks, func(a, b auvo.Task) int { return a.DateLastUpdate.Compare(b.DateLastUpdate.Time) })
	var wait []int64
	for _, t := range tasks {
		if r.cursor.Seen[seenKey(stamp(strconv.FormatInt(t.TaskID, 10), t.DateLastUpdate.Time))] {
			continue
		}
		r.counts.Read++
		res, err := o.send(ctx, taskSource(t))
		if res, err = o.finish(res, err); err != nil {
			return err
		}
		if res.retry || waits(res.d) {
			wait = append(wait, t.TaskID)
		}
	}
	next := r.cursor.advance(stamps, nil, o.e.overlap)
	slices.Sort(wait)
	if len(wait) > maxWaiting {
		wait = wait[len(wait)-maxWaiting:]
	}
	for _, id := range wait {
		delete(next.Seen, seenKey(stamp(strconv.FormatInt(id, 10), findTask(tasks, id).DateLastUpdate.Time)))
		next.Seen[waitPrefix+strconv.FormatInt(id, 10)] = true
	}
	r.cursor = next
	return nil
}

func findTask(ts []auvo.Task, id int64) auvo.Task {
	for _, t := range ts {
		if t.TaskID == id {
			return t
		}
	}
	return auvo.Task{}
}

// send runs one task or quotation through K2–K5: it decides, then creates in Omie the documents
// not linked yet, saving each link as soon as its document exists, and records one outcome.
func (o *orderRun) send(ctx context.Context, s orderSource) (record, error) {
	res := record{auvoID: s.ID, name: s.Name}
	var st orderState
	osLink, haveOS, err := o.docLink(ctx, s.OSEntity, s.ID)
	if err != nil {
		return res, err
	}
	orderLink, haveOrder, err := o.docLink(ctx, s.OrderEntity, s.ID)
	if err != nil {
		return res, err
	}
	st.HaveOS, st.HaveOrder = haveOS, haveOrder
	res.erpID = strings.Trim(osLink.ERPID+" "+orderLink.ERPID, " ")
	// Sent before, or nothing to send: decided before any partner call.
	if d := decideOrder(s, orderState{HaveOS: haveOS, HaveOrder: haveOrder, CustomerLinked: true}); d.Action != store.ActionCreated {
		res.d = d
		return res, o.outcomeUnlessUnchanged(res)
	}
	customer, problem, err := o.customerOf(ctx, s.Customer)
	if err != nil {
		return res, err
	}
	st.CustomerLinked, st.CustomerProblem = customer != 0, problem
	if st.CustomerLinked {
		if st.Missing, err = o.resolve(ctx, s.Lines); err != nil {
			return res, err
		}
	}
	res.d = decideOrder(s, st)
	if res.d.Action != store.ActionCreated {
		return res, o.outcome(res)
	}
	day := o.e.now()
	docs := []struct {
		need   bool
		entity store.Entity
		label  string
		send   func() (int64, string, bool, error)
	}{
		{s.has(true) && !haveOS, s.OSEntity, "ordem de serviço nº ", func() (int64, string, bool, error) {
			return o.includeOS(ctx, buildOS(s, customer, o.cfg, day))
		}},
		{s.has(false) && !haveOrder, s.OrderEntity, "pedido de venda nº ", func() (int64, string, bool, error) {
			if customer < 0 {
				// A customer the preview would create: the sale is built as for one without data.
				return o.includeOrder(ctx, buildOrder(s, customer, o.cfg, day, omie.Sim))
			}
			cli, err := o.omie.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: customer})
			if err != nil {
				return 0, "", false, err
			}
			return o.includeOrder(ctx, buildOrder(s, customer, o.cfg, day, finalConsumer(cli)))
		}},
	}
	var done, found, ids []string
	for _, doc := range docs {
		if !doc.need {
			continue
		}
		id, num, dup, err := doc.send()
		if err != nil {
			return res, err
		}
		if err := o.saveDoc(ctx, s, doc.entity, id); err != nil {
			return res, err
		}
		ids = append(ids, strconv.FormatInt(id, 10))
		if dup {
			found = append(found, doc.label+num)
		} else {
			done = append(done, doc.label+num)
		}
	}
	res.erpID = strings.Trim(res.erpID+" "+strings.Join(ids, " "), " ")
	if len(done) == 0 && len(found) > 0 {
		res.d.Reason = ReasonTaskFound
		if s.Kind == "quote" {
			res.d.Reason = ReasonQuoteFound
		}
		res.d.Action = store.ActionLinked
	}
	res.detail = strings.Join(append(done, found...), ", ")
	return res, o.outcome(res)
}

func (o *orderRun) outcomeUnlessUnchanged(res record) error {
	if res.d.Action == store.ActionUnchanged {
		return nil
	}
	return o.outcome(res)
}

func (o *orderRun) docLink(ctx context.Context, e store.Entity, auvoID string) (store.Link, bool, error) {
	if o.pv != nil {
		if l, ok := o.pv.link(e, auvoID, ""); ok {
			return l, true, nil
		}
	}
	l, err := o.e.st.LinkByAuvoID(ctx, o.in.TenantID, o.in.ID, e, auvoID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Link{}, false, nil
	}
	return l, err == nil, err
}

// saveDoc records that a document of the source exists in Omie. It is saved at once, alone, so
// a failure of the source's other document never makes this one be sent again.
func (o *orderRun) saveDoc(ctx context.Context, s orderSource, e store.Entity, id int64) error {
	l := store.Link{TenantID: o.in.TenantID, IntegrationID: o.in.ID, Entity: e,
		AuvoID: s.ID, ERPID: strconv.FormatInt(id, 10), Name: s.Name, State: store.LinkActive}
	if o.pv != nil {
		o.pv.putLink(l)
		return nil
	}
	_, err := o.e.st.SaveLink(ctx, l)
	return err
}

// includeOS creates the service order, or finds the one an earlier attempt created (K4).
func (o *orderRun) includeOS(ctx context.Context, os omie.OS) (int64, string, bool, error) {
	if o.pv != nil {
		return o.pv.fakeID(), "(prévia)", false, nil
	}
	return include(func() (int64, string, error) {
		st, err := o.omie.IncluirOS(ctx, os)
		return st.NCodOS, st.CNumOS, err
	}, func() (int64, string, error) {
		got, err := o.omie.ConsultarOS(ctx, omie.OSChave{CCodIntOS: os.Cabecalho.CCodIntOS})
		return got.Cabecalho.NCodOS, got.Cabecalho.CNumOS, err
	})
}

// includeOrder creates the sale, or finds the one an earlier attempt created (K4).
func (o *orderRun) includeOrder(ctx context.Context, p omie.Pedido) (int64, string, bool, error) {
	if o.pv != nil {
		return o.pv.fakeID(), "(prévia)", false, nil
	}
	return include(func() (int64, string, error) {
		st, err := o.omie.IncluirPedido(ctx, p)
		return st.CodigoPedido, st.NumeroPedido, err
	}, func() (int64, string, error) {
		got, err := o.omie.ConsultarPedido(ctx, omie.PedidoChave{CodigoPedidoIntegracao: p.Cabecalho.CodigoPedidoIntegracao})
		return got.Cabecalho.CodigoPedido, got.Cabecalho.NumeroPedido, err
	})
}

// include creates a document with create. Its integration code is already taken when an
// earlier attempt got through (a run that stopped before saving the link, K4): then find gives
// that document, and found is set. The Omie client itself looks the code up after an ambiguous
// failure of the create.
func include(create, find func() (int64, string, error)) (id int64, number string, found bool, err error) {
	id, number, err = create()
	if err == nil || partner.KindOf(err) != partner.KindConflict {
		return id, number, false, err
	}
	id, number, ferr := find()
	if ferr != nil {
		return 0, "", false, errors.Join(err, ferr)
	}
	return id, number, true, nil
}

// customerOf returns the Omie id of an Auvo customer (K3), or zero and why not. An unlinked
// customer is first run through the Auvo → ERP customer rules (SPEC §5.1) when that flow is on;
// its outcome is recorded under the customer flow.
func (o *orderRun) customerOf(ctx context.Context, auvoID int64) (int64, string, error) {
	if auvoID == 0 {
		return 0, "sem cliente no Auvo", nil
	}
	id := strconv.FormatInt(auvoID, 10)
	l, found, err := o.linkBy(ctx, id, "")
	if err != nil {
		return 0, "", err
	}
	if !found {
		if !o.enabled[store.FlowCustomersToERP] {
			return 0, "o fluxo Clientes Auvo → ERP está desligado", nil
		}
		cr := &customerRun{cycle: o.cycle, r: &run{flow: store.FlowCustomersToERP, id: o.r.id}}
		rec, _, err := o.auvo.get(ctx, id)
		if err != nil {
			return 0, "", err
		}
		res, err := cr.auvoToERP(ctx, rec)
		if err != nil {
			if res, err = cr.failed(rec, res, err); err != nil {
				return 0, "", err
			}
		}
		if l, found, err = o.linkBy(ctx, id, ""); err != nil {
			return 0, "", err
		}
		if !found {
			return 0, message(res.d.Reason, o.in.ERP, firstNonEmpty(res.detail, res.d.Detail)), nil
		}
	}
	if l.State == store.LinkLocked {
		return 0, message(Code(l.LockReason), o.in.ERP, ""), nil
	}
	n, err := strconv.ParseInt(l.ERPID, 10, 64)
	if err != nil {
		return 0, "vínculo do cliente com id do Omie inválido: " + l.ERPID, nil
	}
	return n, "", nil
}

// resolve finds the Omie counterpart of each line (K5) and returns the names of those without:
// products by their product link (PR1), services by theirs or by code or name.
func (o *orderRun) resolve(ctx context.Context, lines []orderLine) ([]string, error) {
	var missing []string
	for i := range lines {
		l := &lines[i]
		var (
			erpID string
			err   error
		)
		if l.Service {
			erpID, err = o.serviceOf(ctx, l.AuvoID)
		} else {
			erpID, err = o.productOf(ctx, l.AuvoID)
		}
		if err != nil {
			return nil, err
		}
		if l.OmieID, _ = strconv.ParseInt(erpID, 10, 64); l.OmieID == 0 {
			kind := "produto"
			if l.Service {
				kind = "serviço"
			}
			missing = append(missing, kind+" "+l.Name)
		}
	}
	return missing, nil
}

// productOf returns the Omie id of an Auvo product named by GUID (task lines) or by code or id
// (quotation lines, whose productId is a number [U]); "" when it has no product link.
func (o *orderRun) productOf(ctx context.Context, auvoID string) (string, error) {
	if l, ok := o.products.auvoProduct(auvoID); ok && l.State == store.LinkActive {
		return l.ERPID, nil
	}
	if auvoID == "" {
		return "", nil
	}
	p, err := o.api.GetProduct(ctx, auvoID)
	if partner.KindOf(err) == partner.KindNotFound {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if l, ok := o.products.auvoProduct(p.ProductID); ok && l.State == store.LinkActive {
		return l.ERPID, nil
	}
	return "", nil
}

// serviceOf returns the Omie id of an Auvo service (GUID): its service link, else the Omie
// service whose id, integration code or code is the Auvo service's external code, else the only
// Omie service with the same name. A match found so is linked, so it stays the same.
func (o *orderRun) serviceOf(ctx context.Context, guid string) (string, error) {
	l, found, err := o.docLink(ctx, store.EntityService, guid)
	if err != nil || found {
		return l.ERPID, err
	}
	sv, ok := o.auvoServices[guid]
	if !ok {
		if sv, err = o.api.GetService(ctx, guid); err != nil && partner.KindOf(err) != partner.KindNotFound {
			return "", err
		}
		o.auvoServices[guid] = sv
	}
	if sv.ID == "" {
		return "", nil
	}
	list, err := o.services(ctx)
	if err != nil {
		return "", err
	}
	match := matchService(sv, list)
	if match == 0 {
		return "", nil
	}
	erpID := strconv.FormatInt(match, 10)
	if o.pv != nil {
		return erpID, nil // a preview saves no link; the service is matched again each time
	}
	_, err = o.e.st.SaveLink(ctx, store.Link{TenantID: o.in.TenantID, IntegrationID: o.in.ID, Entity: store.EntityService,
		AuvoID: guid, ERPID: erpID, Name: sv.Title, State: store.LinkActive})
	if errors.Is(err, store.ErrConflict) {
		err = nil // the Omie service is linked to another Auvo service: use it, keep that link
	}
	return erpID, err
}

// matchService finds the Omie service of an Auvo service by external code, then by name. It is
// pure; zero means none (or more than one by name).
func matchService(sv auvo.Service, list []omie.Servico) int64 {
	if code := strings.TrimSpace(sv.ExternalCode); code != "" {
		for _, s := range list {
			if code == strconv.FormatInt(s.IntListar.NCodServ, 10) || code == s.IntListar.CCodIntServ ||
				strings.EqualFold(code, s.Cabecalho.CCodigo) {
				return s.IntListar.NCodServ
			}
		}
	}
	var found int64
	for _, s := range list {
		if br.Fold(s.Cabecalho.CDescricao) == br.Fold(sv.Title) {
			if found != 0 {
				return 0
			}
			found = s.IntListar.NCodServ
		}
	}
	return found
}

// services reads Omie's service catalogue once per run.
func (o *orderRun) services(ctx context.Context) ([]omie.Servico, error) {
	if o.servicesRead {
		return o.omieServices, nil
	}
	for page := 1; ; page++ {
		res, err := o.omie.ListarCadastroServico(ctx, omie.ListarCadastroServicoRequest{NPagina: page, NRegPorPagina: productPageSize})
		if err != nil {
			return nil, err
		}
		o.omieServices = append(o.omieServices, res.Cadastros...)
		if len(res.Cadastros) == 0 || page >= res.NTotPaginas {
			break
		}
	}
	o.servicesRead = true
	return o.omieServices, nil
}
