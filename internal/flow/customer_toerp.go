package flow

import (
	"context"
	"time"

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
		ep, err := cr.erpState(ctx, l)
		if err != nil {
			return res, err
		}
		return cr.pairUpdate(ctx, res, Pair{Link: l, Auvo: &rec, ERP: ep}, *rec.auvoRaw)
	}
	return cr.placeAuvo(ctx, res, rec)
}

// erpState is the ERP side of a linked pair as it is now, nil when the record no longer exists,
// read no more than the rules need (C-E11, issue 8): the cycle's listing has every record the
// ERP changed since the ERP → Auvo cursor, and that flow has taken every earlier change into
// the link's snapshot (or marked the snapshot stale, erpToAuvo). So a linked record the
// listing does not have is its snapshot; a listed one is the listed record, read whole when
// the listing leaves fields out (Conta Azul, Bling) unless its modification time is the one
// the snapshot was taken at. The ERP is read only when the snapshot cannot be trusted: the link
// is not active or its snapshot is stale, or the ERP → Auvo flow is off (its cursor does not
// move, so its listing would grow every cycle).
func (cr *customerRun) erpState(ctx context.Context, l store.Link) (*Customer, error) {
	if cr.enabled[store.FlowCustomersToAuvo] {
		list, err := cr.erpChanged(ctx)
		if err != nil {
			return nil, err
		}
		rec, listed := list.byID[l.ERPID]
		if snap, ok := erpSnapshot(l); ok && (!listed || rec.partial && sameTime(rec.ChangedAt, l.ERPChangedAt)) {
			// Not listed, or listed (inside the cursor's overlap) unchanged since the snapshot.
			rec, listed = snap, true
		}
		if listed {
			full, err := cr.whole(ctx, rec)
			return existing(full, err)
		}
	}
	return existing(cr.erp.get(ctx, l.ERPID))
}

// sameTime reports whether a listed modification time is the one a link saw: the record has not
// changed since (partners stamp to the second, as the cursor's seen keys assume).
func sameTime(listed, seen time.Time) bool {
	return !listed.IsZero() && listed.Equal(seen)
}

// existing is a read record, or nil when the partner says it does not exist.
func existing(c Customer, err error) (*Customer, error) {
	switch {
	case err == nil:
		return &c, nil
	case partner.KindOf(err) == partner.KindNotFound:
		return nil, nil
	}
	return nil, err
}

// erpSnapshot is the ERP record of an active link as Ponte last wrote or read it, when its
// snapshot is whole: a link whose ERP fingerprint is not its snapshot's was marked stale.
func erpSnapshot(l store.Link) (Customer, bool) {
	s, ok := readSynced(l)
	if !ok || l.State != store.LinkActive || l.ERPFP != fingerprint(s.ERP) {
		return Customer{}, false
	}
	return Customer{ID: l.ERPID, Document: l.Document, Active: true, Client: true, Fields: s.ERP,
		ChangedAt: l.ERPChangedAt, fromLink: true}, true
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
			if cr.pv != nil {
				l := *links[i]
				l.State, l.LockReason = store.LinkLocked, string(ReasonLockedDeleted)
				cr.pv.putLink(l)
				continue
			}
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
