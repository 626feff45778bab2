package flow

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// opsRun is one run of the product, stock, task or quotation flow (SPEC §6–8). It keeps the
// customer flows' outcome, link and failure handling (customerRun) and adds the Omie client,
// which is the customer side's, so that reads repeated by two flows of a cycle share the
// client's REDUNDANT cache.
type opsRun struct {
	*customerRun
	omie *omie.Client
	api  *auvo.Client
	cfg  store.Config
}

// newOpsRun returns the run, or false when the flow cannot run (Unavailable): the run is then
// recorded with nothing read.
func newOpsRun(c *cycle, r *run) (*opsRun, bool) {
	if _, off := Unavailable(c.in, r.flow); off {
		return nil, false
	}
	oc, ok := realERP(c.erp).(omieCustomers)
	if !ok {
		return nil, false
	}
	return &opsRun{customerRun: &customerRun{cycle: c, r: r}, omie: oc.c, api: c.auvo.c, cfg: c.in.Config}, true
}

// finish counts a record's result, turning a partner failure into its outcome first; the error
// is one that stops the run (throttling, credentials, the database).
func (o *opsRun) finish(res record, err error) (record, error) {
	if err != nil {
		if res, err = o.failed(Customer{}, res, err); err != nil {
			return res, err
		}
	}
	return res, o.count(res)
}

// stamp is a record's identity and modification time in the form the cursor keeps.
func stamp(id string, at time.Time) Customer { return Customer{ID: id, ChangedAt: at} }

// productPageSize is the page size of product listings: Omie recommends at most 500.
const productPageSize = 500

// runProducts creates and updates in Auvo the Omie products that have a position in the chosen
// stock location (PR1, PR2); products of other locations are left alone (PR4). It reads the
// products changed since the cursor and, so that a product that just got a position there is
// not missed, the unlinked products of the location whatever their change time.
func runProducts(ctx context.Context, c *cycle, r *run) error {
	o, ok := newOpsRun(c, r)
	if !ok {
		return nil
	}
	pos, idx, err := o.location(ctx)
	if err != nil {
		return err
	}
	since := r.cursor.since(o.e.overlap)
	req := omie.ListarProdutosRequest{RegistrosPorPagina: productPageSize, FiltrarApenasOmiePDV: omie.Nao}
	if !since.IsZero() {
		// No filtrar_por_data_ate: Omie's clock stamps dAlt; a bound from Ponte's clock would
		// cut off what Omie stamped after it when Omie runs ahead (see omieCustomers.changed).
		req.FiltrarPorDataDe, req.FiltrarPorHoraDe = omie.FormatDate(since), omie.FormatTime(since)
	}
	list, err := o.products(ctx, req)
	if err != nil {
		return err
	}
	listed := map[string]bool{}
	for _, p := range list {
		listed[p.ID] = true
	}
	var missing []omie.ProdutoChave
	for _, id := range pos.ids {
		if _, linked := idx.byERP[id]; !linked && !listed[id] {
			n, _ := omieID(id)
			missing = append(missing, omie.ProdutoChave{CodigoProduto: n})
		}
	}
	if len(missing) > 0 {
		more, err := o.products(ctx, omie.ListarProdutosRequest{RegistrosPorPagina: productPageSize,
			FiltrarApenasOmiePDV: omie.Nao, ProdutosPorCodigo: missing})
		if err != nil {
			return err
		}
		list = append(list, more...)
	}

	slices.SortStableFunc(list, func(a, b omieProduct) int { return a.ChangedAt.Compare(b.ChangedAt) })
	retry := map[string]bool{}
	stamps := make([]Customer, 0, len(list))
	for _, p := range list {
		// No Seen check: a product re-read inside the overlap may have entered the location
		// since; reading it again costs no partner call, and a repeated skip is not logged.
		stamps = append(stamps, stamp(p.ID, p.ChangedAt))
		var lp *store.Link
		if l, ok := idx.byERP[p.ID]; ok {
			lp = &l
		}
		row, in := pos.byID[p.ID]
		r.counts.Read++
		res, err := o.product(ctx, p, quantity(row.NSaldo), in, lp)
		if res, err = o.finish(res, err); err != nil {
			return err
		}
		retry[p.ID] = res.retry
	}
	r.cursor = r.cursor.advance(stamps, retry, o.e.overlap)
	return nil
}

func (o *opsRun) products(ctx context.Context, req omie.ListarProdutosRequest) ([]omieProduct, error) {
	var out []omieProduct
	for p, err := range o.omie.AllProdutos(ctx, req) {
		if err != nil {
			return nil, err
		}
		out = append(out, fromOmieProduto(p))
	}
	return out, nil
}

// product runs one Omie product through PR1, PR2 and PR4.
func (o *opsRun) product(ctx context.Context, p omieProduct, stock float64, inLocation bool, l *store.Link) (record, error) {
	res := record{erpID: p.ID, name: p.Fields.Name}
	var last productSync
	if l != nil {
		last, res.auvoID = readProductSync(*l), l.AuvoID
	}
	res.d = decideProduct(p, inLocation, l, last)
	switch res.d.Action {
	case store.ActionUnchanged:
		return res, nil
	case store.ActionCreated:
		return o.createProduct(ctx, res, p, stock)
	case store.ActionUpdated:
		return o.updateProduct(ctx, res, p, *l, last)
	}
	return res, o.outcome(res)
}

// createProduct makes the Auvo product of p (PR1), unless Auvo already has one whose externalId
// is p's id: created by an earlier run that stopped before its link was saved, or by hand. Then
// that one is linked and brought in line, so a product is never created twice.
func (o *opsRun) createProduct(ctx context.Context, res record, p omieProduct, stock float64) (record, error) {
	found, ok, err := o.api.ProductByExternalID(ctx, p.ID)
	if err != nil {
		return res, err
	}
	if ok {
		res.d = Decision{Action: store.ActionLinked, Reason: ReasonProductLinked}
		if ops := productOps(fieldsOfAuvo(found), p.Fields); len(ops) > 0 {
			res.detail = "alterado no Auvo: " + strings.Join(productChanges(fieldsOfAuvo(found), p.Fields), ", ")
			if o.pv == nil {
				if found, err = o.api.PatchProduct(ctx, found.Code, ops); err != nil {
					return res, err
				}
			}
		}
		res.auvoID = found.ProductID
		sync := productSync{Code: found.Code, Fields: p.Fields, Stock: quantity(found.TotalStock.Float64())}
		return res, o.save(ctx, res, o.productLink(found.ProductID, p, sync))
	}
	if o.pv != nil {
		res.auvoID = strconv.FormatInt(o.pv.fakeID(), 10)
		return res, o.save(ctx, res, o.productLink(res.auvoID, p, productSync{Code: p.Code, Fields: p.Fields, Stock: stock}))
	}
	saved, err := o.api.CreateProduct(ctx, auvo.Product{ExternalID: p.ID, Code: p.Code, Name: p.Fields.Name,
		Description: p.Fields.Name, UnitaryValue: auvo.DecimalFromCents(p.Fields.Price),
		TotalStock: auvo.DecimalFromFloat(stock), Active: p.Fields.Active})
	if err != nil && saved.ProductID != "" {
		// Created, but its price was not set: link it with the price Auvo holds, so that the
		// next run (the product stays behind the cursor) sets it by PATCH.
		sync := productSync{Code: saved.Code, Fields: fieldsOfAuvo(saved), Stock: stock}
		quiet := res
		quiet.d, quiet.auvoID = Decision{Action: store.ActionUnchanged}, saved.ProductID
		if serr := o.save(ctx, quiet, o.productLink(saved.ProductID, p, sync)); serr != nil {
			return res, serr
		}
		return res, err
	}
	if err != nil {
		return res, err
	}
	res.auvoID = saved.ProductID
	sync := productSync{Code: saved.Code, Fields: p.Fields, Stock: stock}
	return res, o.save(ctx, res, o.productLink(saved.ProductID, p, sync))
}

// updateProduct writes to Auvo the fields that changed in Omie since the last sync (PR2).
func (o *opsRun) updateProduct(ctx context.Context, res record, p omieProduct, l store.Link, last productSync) (record, error) {
	code := last.Code
	if code == "" {
		code = l.AuvoID
	}
	res.detail = strings.Join(productChanges(last.Fields, p.Fields), ", ")
	var saved auvo.Product
	if o.pv == nil {
		var err error
		if saved, err = o.api.PatchProduct(ctx, code, productOps(last.Fields, p.Fields)); err != nil {
			return res, err
		}
	}
	next := last
	next.Fields = p.Fields
	if saved.Code != "" {
		next.Code = saved.Code
	}
	l.Synced, l.Name, l.ERPChangedAt = next.String(), p.Fields.Name, p.ChangedAt
	return res, o.save(ctx, res, l)
}

func (o *opsRun) productLink(auvoID string, p omieProduct, s productSync) store.Link {
	return store.Link{TenantID: o.in.TenantID, IntegrationID: o.in.ID, Entity: store.EntityProduct,
		AuvoID: auvoID, ERPID: p.ID, Name: p.Fields.Name, State: store.LinkActive, Synced: s.String(),
		ERPChangedAt: p.ChangedAt}
}
