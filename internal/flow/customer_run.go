package flow

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// customerRun is one run of a customer flow.
type customerRun struct {
	*cycle
	r *run
	// auvoByDoc indexes Auvo's customers by document, read once per run and only when an ERP
	// record must be placed (the Auvo API cannot filter by document).
	auvoByDoc map[string][]*auvo.Customer
}

// record is one record's result.
type record struct {
	d      Decision
	auvoID string
	erpID  string
	name   string
	doc    string
	diff   string
	detail string
	retry  bool // a transient failure: keep the record behind the cursor
}

func runCustomersToERP(ctx context.Context, c *cycle, r *run) error {
	recs, err := c.auvo.changed(ctx, r.cursor.since(c.e.overlap))
	if err != nil {
		return err
	}
	cr := &customerRun{cycle: c, r: r}
	return cr.each(ctx, recs, cr.auvoToERP)
}

func runCustomersToAuvo(ctx context.Context, c *cycle, r *run) error {
	l, err := c.erpChanged(ctx)
	if err != nil {
		return err
	}
	cr := &customerRun{cycle: c, r: r}
	return cr.each(ctx, slices.Clone(l.recs), cr.erpToAuvo)
}

// erpListing is the ERP's customers changed since the ERP → Auvo cursor, as listed once in a
// cycle.
type erpListing struct {
	recs []Customer
	byID map[string]Customer
}

// erpChanged lists the ERP's changed customers once per cycle, from the ERP → Auvo flow's cursor
// (its overlap included), for both customer flows: the ERP → Auvo flow runs through it, and the
// Auvo → ERP flow takes from it the ERP side of the pairs it merges (erpState). A failed listing
// is not kept, so the next flow that needs it lists again.
func (c *cycle) erpChanged(ctx context.Context) (*erpListing, error) {
	if c.erpListed != nil {
		return c.erpListed, nil
	}
	cur, err := readCursor(c.erpCursor)
	if err != nil {
		cur = cursor{} // runFlow reports the unreadable cursor of the ERP → Auvo flow
	}
	recs, err := c.erp.changed(ctx, cur.since(c.e.overlap))
	if err != nil {
		return nil, err
	}
	l := &erpListing{recs: recs, byID: make(map[string]Customer, len(recs))}
	for _, r := range recs {
		l.byID[r.ID] = r
	}
	c.erpListed = l
	return l, nil
}

// each processes the listed records oldest first and moves the cursor past the finished ones.
// An error that stops the run (throttling, rejected credentials, the database) leaves the
// cursor where it was.
func (cr *customerRun) each(ctx context.Context, recs []Customer, one func(context.Context, Customer) (record, error)) error {
	slices.SortStableFunc(recs, func(a, b Customer) int { return a.ChangedAt.Compare(b.ChangedAt) })
	retry := map[string]bool{}
	for _, rec := range recs {
		if cr.r.cursor.Seen[seenKey(rec)] || (cr.r.flow == store.FlowCustomersToAuvo && cr.touched[rec.ID]) {
			continue
		}
		cr.r.counts.Read++
		full, err := cr.whole(ctx, rec)
		if partner.KindOf(err) == partner.KindNotFound {
			continue // deleted between the listing and the read: nothing to do (F4)
		}
		if err == nil {
			rec = full
		}
		res := record{}
		if err == nil {
			res, err = one(ctx, rec)
		}
		if err != nil {
			res, err = cr.failed(rec, res, err)
			if err != nil {
				return err
			}
		}
		if res.retry {
			retry[rec.ID] = true
		}
		if err := cr.count(res); err != nil {
			return err
		}
	}
	cr.r.cursor = cr.r.cursor.advance(recs, retry, cr.e.overlap)
	return nil
}

// whole reads a partial listed record in full; its listing time stays its modification time
// when the full record has none.
func (cr *customerRun) whole(ctx context.Context, rec Customer) (Customer, error) {
	if !rec.partial {
		return rec, nil
	}
	full, err := cr.erp.get(ctx, rec.ID)
	if err != nil {
		return rec, err
	}
	if full.ChangedAt.IsZero() {
		full.ChangedAt = rec.ChangedAt
	}
	return full, nil
}

// failed turns a partner failure on one record into its outcome, or returns the error when it
// must stop the run: throttling and blocks (the job snoozes), rejected credentials, anything
// that is not a partner's answer (the database).
func (cr *customerRun) failed(rec Customer, res record, err error) (record, error) {
	if res.name == "" {
		res.name = rec.Fields.Name
	}
	if reason, ok := isAddressErr(err); ok {
		res.d = Decision{Action: store.ActionSkipped, Reason: ReasonAddressPattern}
		res.detail = reason
		return res, cr.outcome(res)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// Ponte itself stopped (a deploy, a lost lease): not the partner's failure, and no
		// outcome for the record, which the next cycle reads again.
		return res, err
	}
	var pe *partner.Error
	if !errors.As(err, &pe) {
		return res, err
	}
	switch pe.Kind {
	case partner.KindAuth, partner.KindThrottled, partner.KindBlocked:
		return res, err
	case partner.KindTransient:
		res.d, res.retry = Decision{Action: store.ActionFailed, Reason: ReasonPartnerError}, true
	default:
		code := ReasonPartnerRefused
		if res.d.Reason == ReasonCreatedDuplicate && res.d.Action == store.ActionCreated {
			code = ReasonDuplicateRefused
		}
		res.d = Decision{Action: store.ActionFailed, Reason: code}
	}
	res.detail = userText(err)
	return res, cr.outcome(res)
}

func (cr *customerRun) count(res record) error {
	if cr.pv != nil {
		cr.pv.counted(cr.r.flow, res.d.Action)
	}
	switch res.d.Action {
	case store.ActionCreated:
		cr.r.counts.Created++
	case store.ActionLinked:
		cr.r.counts.Linked++
	case store.ActionUpdated:
		cr.r.counts.Updated++
	case store.ActionSkipped, store.ActionLocked:
		cr.r.counts.Skipped++
	case store.ActionFailed:
		cr.r.counts.Failed++
	}
	return nil
}

func (cr *customerRun) outcomeRow(res record) store.Outcome {
	return store.Outcome{TenantID: cr.in.TenantID, IntegrationID: cr.in.ID, RunID: cr.r.id, Flow: cr.r.flow,
		Action: res.d.Action, Reason: string(res.d.Reason), Message: message(res.d.Reason, cr.in.ERP, firstNonEmpty(res.detail, res.d.Detail)),
		AuvoID: res.auvoID, ERPID: res.erpID, Name: res.name, Document: res.doc, Diff: res.diff}
}

// outcome records a result that changes no link. A skip or lock that only repeats the record's
// last outcome is left out, so a record read again (inside the cursor's overlap, or from Bling,
// which keeps no modification time) does not fill the run log.
func (cr *customerRun) outcome(res record) error {
	ctx := context.Background()
	row := cr.outcomeRow(res)
	if cr.pv != nil {
		cr.pv.record(row)
		return nil
	}
	if (row.Action == store.ActionSkipped || row.Action == store.ActionLocked) && !cr.r.reprocess {
		last, err := cr.e.st.LastOutcome(ctx, cr.in.TenantID, cr.in.ID, cr.r.flow, row.AuvoID, row.ERPID)
		switch {
		case err == nil && last.Action == row.Action && last.Reason == row.Reason && last.Message == row.Message:
			return nil
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	_, err := cr.e.st.InsertOutcome(ctx, row)
	return err
}

// save records the outcome and the link in one transaction. A link the Auvo → ERP flow saves is
// touched: the ERP → Auvo flow of the cycle leaves its ERP record alone.
func (cr *customerRun) save(ctx context.Context, res record, l store.Link) error {
	if cr.r.flow == store.FlowCustomersToERP {
		cr.touched[l.ERPID] = true
	}
	if cr.pv != nil {
		if res.d.Action != store.ActionUnchanged {
			cr.pv.record(cr.outcomeRow(res))
		}
		cr.pv.putLink(l)
		return nil
	}
	return cr.e.st.Tx(ctx, func(tx *store.Tx) error {
		if res.d.Action != store.ActionUnchanged {
			if _, err := tx.InsertOutcome(ctx, cr.outcomeRow(res)); err != nil {
				return err
			}
		}
		_, err := tx.SaveLink(ctx, l)
		return err
	})
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// docKey is the document as records are matched on (C-A3, C-E3): normalised digits.
func docKey(s string) string {
	if d, err := br.ParseDocument(s); err == nil {
		return d.Digits
	}
	return strings.TrimSpace(s)
}

// link looks a link up; found is false when there is none.
func (cr *customerRun) linkBy(ctx context.Context, auvoID, erpID string) (store.Link, bool, error) {
	var (
		l   store.Link
		err error
	)
	if cr.pv != nil {
		if l, ok := cr.pv.link(store.EntityCustomer, auvoID, erpID); ok {
			return l, true, nil
		}
	}
	if auvoID != "" {
		l, err = cr.e.st.LinkByAuvoID(ctx, cr.in.TenantID, cr.in.ID, store.EntityCustomer, auvoID)
	} else {
		l, err = cr.e.st.LinkByERPID(ctx, cr.in.TenantID, cr.in.ID, store.EntityCustomer, erpID)
	}
	if errors.Is(err, store.ErrNotFound) {
		return store.Link{}, false, nil
	}
	return l, err == nil, err
}

// newLink is the link of a pair as both sides now hold it.
func (cr *customerRun) newLink(a, e Customer) store.Link {
	return cr.linked(store.Link{TenantID: cr.in.TenantID, IntegrationID: cr.in.ID, Entity: store.EntityCustomer}, a, e)
}

// linked refreshes l with both sides as they now are: the synced snapshot, fingerprints and
// modification times, active.
func (cr *customerRun) linked(l store.Link, a, e Customer) store.Link {
	l.AuvoID, l.ERPID, l.Document, l.Name = a.ID, e.ID, docKey(a.Document), a.Fields.Name
	l.State, l.LockReason = store.LinkActive, ""
	l.Synced = synced{Auvo: a.Fields, ERP: e.Fields}.String()
	l.AuvoFP, l.ERPFP = fingerprint(a.Fields), fingerprint(e.Fields)
	l.AuvoChangedAt, l.ERPChangedAt = a.ChangedAt, e.ChangedAt
	return l
}

// stop applies a decision that ends at the entry rules or the reconcile checks: an outcome,
// and for a linked record the link's new state (inactive, locked).
func (cr *customerRun) stop(ctx context.Context, res record, l *store.Link) (record, error) {
	if l == nil {
		return res, cr.outcome(res)
	}
	next := *l
	switch {
	case res.d.Action == store.ActionLocked && res.d.NewLock:
		next.State, next.LockReason = store.LinkLocked, string(res.d.Reason)
	case res.d.Reason == ReasonInactive:
		next.State, next.LockReason = store.LinkInactive, string(ReasonInactive)
	default:
		return res, cr.outcome(res)
	}
	return res, cr.save(ctx, res, next)
}

// pairUpdate executes a reconcile decision: writes each side the merge changes, then saves the
// link with both sides as written, and the outcome.
func (cr *customerRun) pairUpdate(ctx context.Context, res record, p Pair, rawAuvo auvo.Customer) (record, error) {
	d, m := reconcile(p, cr.enabled[store.FlowCustomersToERP], cr.enabled[store.FlowCustomersToAuvo])
	res.d = d
	if d.Action != store.ActionUpdated && d.Action != store.ActionUnchanged {
		return cr.stop(ctx, res, &p.Link)
	}
	a, e := *p.Auvo, *p.ERP
	// A merge whose only ERP change is an emptied address writes nothing there (changedList).
	if m.WritesERP() && len(changedList(e.Fields, m.ERP)) > 0 {
		var err error
		e, err = cr.erp.update(ctx, e, m.ERP)
		if partner.KindOf(err) == partner.KindNotFound && p.ERP.fromLink {
			// Deleted in the ERP since Ponte last saw it: not propagated, the link locks (C-A10).
			res.d = Decision{Action: store.ActionLocked, Reason: ReasonLockedERPDeleted, Target: p.Link.ERPID, NewLock: true}
			return cr.stop(ctx, res, &p.Link)
		}
		if err != nil {
			return res, err
		}
	}
	if m.WritesAuvo() {
		var err error
		if a, err = cr.auvo.update(ctx, rawAuvo, m.Auvo); err != nil {
			return res, err
		}
	}
	l := cr.linked(p.Link, a, e)
	if d.Action == store.ActionUnchanged {
		// Fields that differ on the two sides but changed on neither keep their own snapshots.
		l.Synced = synced{Auvo: a.Fields, ERP: e.Fields}.String()
	}
	res.diff = diffJSON(m.Changes)
	res.detail = changedFields(m.Changes)
	return res, cr.save(ctx, res, l)
}

func changedFields(ch []Change) string {
	var parts []string
	for _, c := range ch {
		side := "Auvo"
		if c.To == "erp" {
			side = "ERP"
		}
		s := c.Field + " → " + side
		if c.Conflict {
			s += " (alterado nos dois; vale o mais recente)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
