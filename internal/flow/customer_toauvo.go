package flow

import (
	"context"
	"errors"
	"strconv"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// erpToAuvo runs one ERP customer through the ERP → Auvo rules (SPEC §5.2).
func (cr *customerRun) erpToAuvo(ctx context.Context, rec Customer) (record, error) {
	res := record{erpID: rec.ID, name: rec.Fields.Name, doc: docKey(rec.Document)}
	l, found, err := cr.linkBy(ctx, "", rec.ID)
	if err != nil {
		return res, err
	}
	var lp *store.Link
	if found {
		lp, res.auvoID = &l, l.AuvoID
		if unchanged(l, rec, l.ERPFP) {
			res.d.Action = store.ActionUnchanged
			return res, nil
		}
	}
	d, ok := admitERP(rec, lp, cr.erp.notClient())
	res.d = d
	if !ok {
		if found && d.Reason != ReasonInactive { // an inactive link is never taken as the ERP's state
			if err := cr.staleERP(ctx, l); err != nil {
				return res, err
			}
		}
		return cr.stop(ctx, res, lp)
	}
	if found {
		var (
			ap  *Customer
			raw auvo.Customer
		)
		a, raw, err := cr.auvo.get(ctx, l.AuvoID)
		switch {
		case err == nil:
			ap = &a
		case partner.KindOf(err) != partner.KindNotFound:
			return res, err
		}
		res, err := cr.pairUpdate(ctx, res, Pair{Link: l, Auvo: ap, ERP: &rec}, raw)
		if err != nil {
			if serr := cr.staleERP(context.WithoutCancel(ctx), l); serr != nil {
				err = errors.Join(err, serr)
			}
		}
		return res, err
	}
	return cr.placeERP(ctx, res, rec)
}

// staleERP marks the ERP snapshot of an active link stale: the ERP changed the record and Ponte
// did not take the change in (the record was skipped, or a write failed), so the snapshot no
// longer tells what the ERP holds, and the Auvo → ERP flow reads the record instead
// (erpSnapshot). An empty ERP fingerprint is the mark; the next sync of the pair writes a
// fresh one.
func (cr *customerRun) staleERP(ctx context.Context, l store.Link) error {
	if l.State != store.LinkActive || l.ERPFP == "" || cr.pv != nil {
		return nil // a preview leaves links as they are
	}
	l.ERPFP = ""
	_, err := cr.e.st.SaveLink(ctx, l)
	return err
}

// placeERP links or creates the Auvo customer of an unlinked ERP customer (C-E3, C-E4).
func (cr *customerRun) placeERP(ctx context.Context, res record, rec Customer) (record, error) {
	doc, _, _ := documentOf(rec.Document)
	idx, err := cr.auvoIndex(ctx)
	if err != nil {
		return res, err
	}
	var cands []Candidate
	for _, raw := range idx[doc.Digits] {
		k := Candidate{Customer: cr.auvo.customer(*raw)}
		kl, found, err := cr.linkBy(ctx, k.ID, "")
		if err != nil {
			return res, err
		}
		if found {
			k.LinkedTo = kl.ERPID
		}
		cands = append(cands, k)
	}
	d := placeERP(rec, cands)
	res.d, res.auvoID = d, d.Target
	var a Customer
	switch {
	case d.Action == store.ActionLinked && d.Reason == ReasonLinkedExternal:
		a = cands[indexOf(cands, d.Target)].Customer
	case d.Action == store.ActionLinked:
		if a, err = cr.auvo.setExternal(ctx, d.Target, rec.ID); err != nil {
			return res, err
		}
	default:
		if a, err = cr.auvo.create(ctx, rec.Fields, doc, rec.ID); err != nil {
			return res, err
		}
		res.auvoID = a.ID
	}
	cr.indexPut(doc.Digits, a.auvoRaw)
	return res, cr.save(ctx, res, cr.newLink(a, rec))
}

// auvoIndex reads every Auvo customer once per run, by document.
func (cr *customerRun) auvoIndex(ctx context.Context) (map[string][]*auvo.Customer, error) {
	if cr.auvoByDoc != nil {
		return cr.auvoByDoc, nil
	}
	all, err := cr.auvo.c.AllCustomers(ctx, auvo.CustomerFilter{})
	if err != nil {
		return nil, err
	}
	cr.auvoByDoc = map[string][]*auvo.Customer{}
	for i := range all {
		k := docKey(all[i].CPFCNPJ)
		cr.auvoByDoc[k] = append(cr.auvoByDoc[k], &all[i])
	}
	return cr.auvoByDoc, nil
}

// indexPut keeps the index true after a link or create in this run.
func (cr *customerRun) indexPut(doc string, a *auvo.Customer) {
	if a == nil {
		return
	}
	list := cr.auvoByDoc[doc]
	for i, c := range list {
		if c.ID == a.ID {
			list[i] = a
			return
		}
	}
	cr.auvoByDoc[doc] = append(list, a)
}
