package flow

import (
	"context"
	"errors"
	"fmt"

	"github.com/pontehub/ponte/internal/jobs"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// Reprocessing (SPEC OP2): a record is read again from its source partner by id, whatever the
// flow's cursor says, and decided by the same functions as in a cycle, with the links and locks
// as they are now: a lock an operator released is gone, one still held stops the record again.
// Creates go through the same look-ups (documents, links, external codes) as in a cycle, so a
// record already integrated is found and never created twice. The result is a new outcome, in a
// run of its own (no cycle), even when it repeats the last one; the flow's cursor is not moved.
const (
	ReasonReprocessGone      Code = "reprocess_gone"      // OP2: no longer at the partner
	ReasonReprocessUnchanged Code = "reprocess_unchanged" // OP2: nothing to change
)

func init() {
	reasons = append(reasons,
		Reason{ReasonReprocessGone, store.ActionSkipped, "OP2",
			"Reprocessado: o registro não existe mais no sistema de origem — nada foi criado nem alterado", ""},
		Reason{ReasonReprocessUnchanged, store.ActionUnchanged, "OP2",
			"Reprocessado: os dois sistemas já estão iguais — nada a alterar", ""})
}

// MaxReprocess is how many skipped records one "Reprocessar ignorados" tries; a press after it
// takes the next ones.
const MaxReprocess = 1000

// Reprocessable reports whether records of flow f can be reprocessed one by one. The other
// flows read their skipped records again every cycle anyway (products of the location, tasks
// waiting for their customer, quotations in the stage), so "Sincronizar agora" is theirs.
func Reprocessable(f store.Flow) bool {
	return f == store.FlowCustomersToERP || f == store.FlowCustomersToAuvo
}

// Reprocess runs one reprocessing job (jobs.Operator). An integration that is no longer active,
// a flow turned off, or an outcome that is not the integration's is left alone: the portal
// refused those already, and a job queued before a pause must not run after it.
func (e *Engine) Reprocess(ctx context.Context, a jobs.ReprocessArgs) error {
	tenant := store.TenantID(a.TenantID)
	in, err := e.st.IntegrationByID(ctx, tenant, store.IntegrationID(a.IntegrationID))
	if err != nil {
		return fmt.Errorf("flow: reprocess: %w", err)
	}
	log := e.log.With("tenant_id", in.TenantID, "integration_id", in.ID, "flow", a.Flow)
	if in.State != store.StateActive || !Reprocessable(a.Flow) {
		log.Info("reprocess dropped", "state", in.State)
		return nil
	}
	var targets []store.Outcome
	if a.OutcomeID != 0 {
		o, err := e.st.OutcomeByID(ctx, tenant, a.OutcomeID)
		if errors.Is(err, store.ErrNotFound) || err == nil && (o.IntegrationID != in.ID || o.Flow != a.Flow) {
			log.Info("reprocess of an outcome not found", "outcome_id", a.OutcomeID)
			return nil
		}
		if err != nil {
			return err
		}
		targets = []store.Outcome{o}
	} else if targets, err = e.st.SkippedRecords(ctx, tenant, in.ID, a.Flow, MaxReprocess); err != nil {
		return err
	}
	flows, err := e.st.Flows(ctx, in.TenantID, in.ID)
	if err != nil {
		return err
	}
	enabled := false
	for _, f := range flows {
		enabled = enabled || f.Flow == a.Flow && f.Enabled
	}
	if !enabled || len(targets) == 0 {
		return nil
	}
	erp, err := e.erpSide(in)
	if err != nil {
		return err
	}
	c := e.newCycle(in, 0, flows, erp, nil)
	id, err := e.st.StartRun(ctx, in.TenantID, in.ID, 0, a.Flow)
	if err != nil {
		return err
	}
	r := &run{flow: a.Flow, id: id, reprocess: true}
	cr := &customerRun{cycle: c, r: r}
	var rerr error
	for _, t := range targets {
		if rerr = cr.reprocessOne(ctx, t); rerr != nil {
			break
		}
	}
	status, text := "done", ""
	switch kind := partner.KindOf(rerr); {
	case rerr == nil:
	case ctx.Err() != nil:
		status, text = "interrupted", "interrompida: o Ponte parou durante o reprocessamento"
	case kind == partner.KindThrottled || kind == partner.KindBlocked:
		status, text = "throttled", userText(rerr)
	default:
		status, text = "failed", userText(rerr)
	}
	if err := e.st.FinishRun(context.WithoutCancel(ctx), in.TenantID, id, status, r.counts, text); err != nil {
		return errors.Join(rerr, err)
	}
	if partner.KindOf(rerr) == partner.KindAuth {
		return e.authFailed(ctx, in, rerr)
	}
	return rerr
}

// reprocessOne reads one record again from its source and runs it through its flow's rules.
func (cr *customerRun) reprocessOne(ctx context.Context, t store.Outcome) error {
	var (
		rec Customer
		err error
		one func(context.Context, Customer) (record, error)
	)
	res := record{auvoID: t.AuvoID, erpID: t.ERPID, name: t.Name, doc: t.Document}
	switch cr.r.flow {
	case store.FlowCustomersToERP:
		if t.AuvoID == "" {
			return nil
		}
		rec, _, err = cr.auvo.get(ctx, t.AuvoID)
		one = cr.auvoToERP
	default:
		if t.ERPID == "" {
			return nil
		}
		rec, err = cr.erp.get(ctx, t.ERPID)
		one = cr.erpToAuvo
	}
	cr.r.counts.Read++
	if partner.KindOf(err) == partner.KindNotFound || partner.KindOf(err) == partner.KindInvalid {
		res.d = Decision{Action: store.ActionSkipped, Reason: ReasonReprocessGone}
		if err := cr.outcome(res); err != nil {
			return err
		}
		return cr.count(res)
	}
	if err == nil {
		res, err = one(ctx, rec)
	}
	if err != nil {
		if res, err = cr.failed(rec, res, err); err != nil {
			return err
		}
	}
	if res.d.Action == store.ActionUnchanged {
		res.d = Decision{Action: store.ActionUnchanged, Reason: ReasonReprocessUnchanged}
		if err := cr.outcome(res); err != nil {
			return err
		}
	}
	return cr.count(res)
}
