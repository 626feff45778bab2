package flow

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// A preview (SPEC OP7) is a cycle run by the same runners and the same decision functions with
// the writes turned off: every partner read is made as in a cycle (through the same clients, so
// the same rate limits bound it), every write is left unsent and recorded as what it would have
// done, and nothing is saved: no cursor, link, outcome or run. A link the cycle would save is
// kept in memory for the rest of the preview, so a record decided later (the ERP → Auvo flow
// after the Auvo → ERP one, a task after its customer) is decided as the cycle would decide it.
//
// Where a write would have answered with something (a new id), the preview makes one up: a
// negative number, which no partner uses, so a made-up id can never reach a partner as a real
// one. What a partner would refuse only on the write itself (an ERP's own duplicate check) is
// not known before writing; the checks Ponte makes before sending (addresses, C-A5) are made.

// preview is the state of one preview run.
type preview struct {
	next     int64
	links    map[string]store.Link
	records  []store.Outcome
	omitted  int
	locked   map[store.Flow]int
	read     int
	progress func(read int)
	ticked   time.Time
}

func newPreview(progress func(int)) *preview {
	return &preview{links: map[string]store.Link{}, locked: map[store.Flow]int{}, progress: progress}
}

// fakeID is the id a write would have given: negative, never a partner's.
func (p *preview) fakeID() int64 {
	p.next--
	return p.next
}

func linkKey(e store.Entity, side, id string) string { return string(e) + "|" + side + "|" + id }

// putLink keeps a link the cycle would have saved.
func (p *preview) putLink(l store.Link) {
	if l.AuvoID != "" {
		p.links[linkKey(l.Entity, "auvo", l.AuvoID)] = l
	}
	if l.ERPID != "" {
		p.links[linkKey(l.Entity, "erp", l.ERPID)] = l
	}
}

// link finds a link the preview would have saved, by its Auvo id or (auvoID empty) its ERP id.
func (p *preview) link(e store.Entity, auvoID, erpID string) (store.Link, bool) {
	if auvoID != "" {
		l, ok := p.links[linkKey(e, "auvo", auvoID)]
		return l, ok
	}
	l, ok := p.links[linkKey(e, "erp", erpID)]
	return l, ok
}

// record keeps one record's outcome as the run log would have it.
func (p *preview) record(o store.Outcome) {
	if len(p.records) >= store.MaxPreviewRecords {
		p.omitted++
		return
	}
	o.At = time.Now().UTC()
	p.records = append(p.records, o)
}

// counted notes one decided record, telling the job's progress now and then.
func (p *preview) counted(f store.Flow, a store.Action) {
	p.read++
	if a == store.ActionLocked {
		p.locked[f]++
	}
	if p.progress != nil && time.Since(p.ticked) > 2*time.Second {
		p.ticked = time.Now()
		p.progress(p.read)
	}
}

// dryERP is an ERP side whose writes are not sent: reads go to the ERP, a create or update
// answers what the ERP would hold after it, once the checks Ponte makes before sending pass.
type dryERP struct {
	erpCustomers
	pv *preview
}

func (d dryERP) create(_ context.Context, f Fields, doc br.Document, _ string) (Customer, error) {
	if _, err := splitAddress(f.Address, br.ERP(d.erp())); err != nil {
		return Customer{}, err
	}
	return Customer{ID: strconv.FormatInt(d.pv.fakeID(), 10), Document: doc.Formatted(), Active: true, Client: true, Fields: f}, nil
}

func (d dryERP) update(_ context.Context, cur Customer, f Fields) (Customer, error) {
	if f.Address != "" && f.Address != cur.Fields.Address {
		if _, err := splitAddress(f.Address, br.ERP(d.erp())); err != nil {
			return Customer{}, err
		}
	}
	return written(cur, f, changedList(cur.Fields, f)), nil
}

// realERP is the ERP side under a preview's, for the flows that need the partner client itself.
func realERP(e erpCustomers) erpCustomers {
	if d, ok := e.(dryERP); ok {
		return d.erpCustomers
	}
	return e
}

// ErrPreviewNotReady is returned by Preview for an integration whose credentials are not saved
// yet: there is nothing to read.
var ErrPreviewNotReady = errors.New("flow: preview: the integration is not configured")

// Preview computes what a cycle of the tenant's integration would do now (SPEC OP7), in any
// state once its credentials are saved: before activation too. progress, when set, is told
// now and then how many records were decided. A partner throttle returns the error (with its
// RetryAfter); every other failure of a flow is in that flow's Error, the others go on.
func (e *Engine) Preview(ctx context.Context, tenant store.TenantID, id store.IntegrationID, progress func(read int)) (store.PreviewResult, error) {
	var res store.PreviewResult
	in, err := e.st.IntegrationByID(ctx, tenant, id)
	if err != nil {
		return res, fmt.Errorf("flow: preview of %d: %w", id, err)
	}
	if !configured(in) {
		return res, ErrPreviewNotReady
	}
	switch p, err := e.st.PartnerPauseOf(ctx, in.TenantID, in.ID, e.now()); {
	case err == nil:
		return res, &partner.Error{Partner: p.Partner, Kind: partner.KindBlocked, RetryAfter: time.Until(p.Until),
			Message: "a cota de chamadas acabou; a prévia roda quando ela renovar"}
	case !errors.Is(err, store.ErrNotFound):
		return res, err
	}
	flows, err := e.st.Flows(ctx, in.TenantID, in.ID)
	if err != nil {
		return res, err
	}
	erp, err := e.erpSide(in)
	if err != nil {
		return res, err
	}
	pv := newPreview(progress)
	c := e.newCycle(in, 0, flows, erp, pv)
	for _, f := range flows {
		rn, ok := e.runners[f.Flow]
		if !ok || !f.Enabled {
			continue
		}
		cur, _ := readCursor(f.Cursor)
		r := &run{flow: f.Flow, cursor: cur}
		pf := store.PreviewFlow{Flow: f.Flow}
		rerr := rn(ctx, c, r)
		pf.Counts, pf.Locked = r.counts, pv.locked[f.Flow]
		if rerr != nil {
			switch partner.KindOf(rerr) {
			case partner.KindThrottled, partner.KindBlocked:
				return res, rerr
			case partner.KindAuth:
				pf.Error = "Credenciais recusadas pelo parceiro: " + userText(rerr)
				res.Flows = append(res.Flows, pf)
				return e.previewResult(res, pv), nil
			}
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			pf.Error = userText(rerr)
		}
		res.Flows = append(res.Flows, pf)
	}
	return e.previewResult(res, pv), nil
}

func (e *Engine) previewResult(res store.PreviewResult, pv *preview) store.PreviewResult {
	res.Records, res.Omitted = pv.records, pv.omitted
	if res.Records == nil {
		res.Records = []store.Outcome{}
	}
	return res
}

// configured reports whether the integration's credentials are saved, so its partners can be
// read: an integration still being set up has none.
func configured(in store.Integration) bool {
	cr := in.Credentials
	if cr.AuvoAPIKey == "" || cr.AuvoAPIToken == "" {
		return false
	}
	if in.ERP == store.Omie {
		return cr.OmieAppKey != "" && cr.OmieAppSecret != ""
	}
	return true // Conta Azul and Bling connect by OAuth; a missing grant answers as rejected credentials
}

// RunPreview runs the preview job (SPEC OP7): it computes the tenant's preview and saves its
// result, or why it could not be made, in words the user reads. It returns an error only for a
// throttle (the job snoozes and runs again) or the database.
func (e *Engine) RunPreview(ctx context.Context, tenant store.TenantID, id store.PreviewID) error {
	p, err := e.st.PreviewByID(ctx, tenant, id)
	if err != nil {
		return err
	}
	if p.Status == store.PreviewDone || p.Status == store.PreviewFailed {
		return nil
	}
	if err := e.st.SetPreviewProgress(ctx, tenant, id, 0); err != nil {
		return err
	}
	res, err := e.Preview(ctx, tenant, p.IntegrationID, func(n int) {
		if perr := e.st.SetPreviewProgress(context.WithoutCancel(ctx), tenant, id, n); perr != nil {
			e.log.Warn("saving preview progress", "tenant_id", tenant, "integration_id", p.IntegrationID, "err", perr)
		}
	})
	text := ""
	switch {
	case err == nil:
	case partner.RetryAfterOf(err) > 0:
		return err
	case errors.Is(err, ErrPreviewNotReady):
		text = "Conclua a configuração (credenciais do Auvo e do ERP) para ver a prévia."
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		text = "A prévia foi interrompida: o Ponte parou enquanto ela rodava. Peça outra."
	case isPartnerErr(err):
		text = "Não foi possível ler os parceiros: " + userText(err)
	default:
		return err
	}
	return e.st.FinishPreview(context.WithoutCancel(ctx), tenant, id, res, text)
}

func isPartnerErr(err error) bool {
	var pe *partner.Error
	return errors.As(err, &pe)
}
