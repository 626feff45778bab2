package flow

import (
	"context"

	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// unchanged reports whether a linked record's synced fields are what Ponte last wrote or read on
// its side: an echo of Ponte's own write, or an edit of fields Ponte does not sync (C-E11).
func unchanged(l store.Link, rec Customer, fp string) bool {
	return l.State == store.LinkActive && rec.Active && fingerprint(rec.Fields) == fp
}

// auvoToERP runs one Auvo customer through the Auvo → ERP rules (SPEC §5.1).
func (cr *customerRun) auvoToERP(ctx context.Context, rec Customer) (record, error) {
	res := record{auvoID: rec.ID, name: rec.Fields.Name, doc: docKey(rec.Document)}
	l, found, err := cr.linkBy(ctx, rec.ID, "")
	if err != nil {
		return res, err
	}
	var lp *store.Link
	if found {
		lp, res.erpID = &l, l.ERPID
		if unchanged(l, rec, l.AuvoFP) && rec.ExternalID == l.ERPID {
			res.d.Action = store.ActionUnchanged
			return res, nil
		}
	}
	d, ok := admitAuvo(rec, lp)
	res.d = d
	if !ok {
		return cr.stop(ctx, res, lp)
	}
	if found {
		var ep *Customer
		e, err := cr.erp.get(ctx, l.ERPID)
		switch {
		case err == nil:
			ep = &e
		case partner.KindOf(err) != partner.KindNotFound:
			return res, err
		}
		return cr.pairUpdate(ctx, res, Pair{Link: l, Auvo: &rec, ERP: ep}, *rec.auvoRaw)
	}
	return cr.placeAuvo(ctx, res, rec)
}

// placeAuvo links or creates the ERP customer of an unlinked Auvo customer (C-A3, C-A4) or
// finds it is a deleted customer created again (C-A7).
func (cr *customerRun) placeAuvo(ctx context.Context, res record, rec Customer) (record, error) {
	doc, _, _ := documentOf(rec.Document)
	list, err := cr.erp.byDocument(ctx, doc)
	if err != nil {
		return res, err
	}
	if rec.ExternalID != "" && !hasID(list, rec.ExternalID) {
		// An external code Ponte did not write (an earlier integration): adopt that record.
		// A code that is no id of this ERP (refused or not found) names nothing to adopt.
		k, err := cr.erp.get(ctx, rec.ExternalID)
		switch kind := partner.KindOf(err); {
		case err == nil:
			list = append(list, k)
		case kind != partner.KindNotFound && kind != partner.KindInvalid:
			return res, err
		}
	}
	cands := make([]Candidate, len(list))
	links := make([]*store.Link, len(list))
	free := false
	for i, k := range list {
		cands[i].Customer = k
		kl, found, err := cr.linkBy(ctx, "", k.ID)
		if err != nil {
			return res, err
		}
		if found {
			links[i] = &kl
			cands[i].LinkedTo = kl.AuvoID
			cands[i].Deleted = kl.State == store.LinkLocked && kl.LockReason == string(ReasonLockedDeleted)
			continue
		}
		// An Auvo customer carrying this ERP id as its external code is linked to it, even
		// without a link row (linked before Ponte).
		other, ok, err := cr.auvo.c.CustomerByExternalID(ctx, k.ID)
		if err != nil {
			return res, err
		}
		if ok && other.ID != rec.auvoRaw.ID {
			cands[i].LinkedTo = itoa(other.ID)
			continue
		}
		free = true
	}
	if !free {
		if err := cr.findDeleted(ctx, cands, links); err != nil {
			return res, err
		}
	}
	d := placeAuvo(rec, cands)
	res.d, res.erpID = d, d.Target
	switch d.Action {
	case store.ActionLinked:
		k := cands[indexOf(cands, d.Target)].Customer
		a := rec
		if rec.ExternalID != k.ID {
			if a, err = cr.auvo.setExternal(ctx, rec.ID, k.ID); err != nil {
				return res, err
			}
		}
		return res, cr.save(ctx, res, cr.newLink(a, k))
	case store.ActionCreated:
		e, err := cr.erp.create(ctx, rec.Fields, doc, rec.ID)
		if err != nil {
			return res, err
		}
		res.erpID = e.ID
		a, err := cr.auvo.setExternal(ctx, rec.ID, e.ID)
		if err != nil {
			return res, err
		}
		return res, cr.save(ctx, res, cr.newLink(a, e))
	}
	return res, cr.outcome(res)
}

// findDeleted checks whether the Auvo customers the candidates are linked to still exist; a
// deleted one locks its link (C-A7): the trava is found from either side.
func (cr *customerRun) findDeleted(ctx context.Context, cands []Candidate, links []*store.Link) error {
	for i := range cands {
		if links[i] == nil || cands[i].Deleted || links[i].State == store.LinkLocked {
			continue
		}
		_, _, err := cr.auvo.get(ctx, links[i].AuvoID)
		if partner.KindOf(err) == partner.KindNotFound {
			cands[i].Deleted = true
			if err := cr.e.st.SetLinkState(ctx, cr.in.TenantID, links[i].ID, store.LinkLocked, string(ReasonLockedDeleted), "engine"); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func hasID(list []Customer, id string) bool {
	for _, c := range list {
		if c.ID == id {
			return true
		}
	}
	return false
}

func indexOf(cands []Candidate, id string) int {
	for i, c := range cands {
		if c.ID == id {
			return i
		}
	}
	return -1
}
