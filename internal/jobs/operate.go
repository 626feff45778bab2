package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// Operator runs what a user or an operator asks of an integration besides a cycle: a preview
// (SPEC OP7) and a reprocessing (OP2). The sync engine implements it, next to Cycler.
type Operator interface {
	// RunPreview computes and saves the preview; an error with a partner RetryAfter snoozes it.
	RunPreview(ctx context.Context, tenant store.TenantID, id store.PreviewID) error
	// Reprocess reads the records again and decides them as a cycle would, recording a run.
	Reprocess(ctx context.Context, a ReprocessArgs) error
}

// PreviewArgs is the job of one preview.
type PreviewArgs struct {
	IntegrationID int64 `json:"integration_id"`
	TenantID      int64 `json:"tenant_id"`
	PreviewID     int64 `json:"preview_id"`
}

// Kind implements river.JobArgs.
func (PreviewArgs) Kind() string { return "integration_preview" }

// InsertOpts: a preview that failed for good says so on its page; it is not tried forever.
func (PreviewArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// ReprocessArgs is one reprocessing: one record (OutcomeID, its line in the run log) or every
// record of Flow whose last outcome is a skip (OutcomeID zero).
type ReprocessArgs struct {
	IntegrationID int64      `json:"integration_id"`
	TenantID      int64      `json:"tenant_id"`
	Flow          store.Flow `json:"flow"`
	OutcomeID     int64      `json:"outcome_id,omitempty"`
	// At is when it was asked for: two presses are two reprocessings, not one unique job.
	At time.Time `json:"at"`
}

// Kind implements river.JobArgs.
func (ReprocessArgs) Kind() string { return "integration_reprocess" }

// InsertOpts: the same press is queued once.
func (ReprocessArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ErrNotOperating is returned when this node's River client cannot queue operations.
var ErrNotOperating = errors.New("jobs: operations are not available")

// Preview records a preview of the tenant's integration as asked for and queues its job (OP7).
func (e *Enqueuer) Preview(ctx context.Context, tenant store.TenantID, id store.IntegrationID) (store.PreviewID, error) {
	pid, err := e.st.CreatePreview(ctx, tenant, id)
	if err != nil {
		return 0, err
	}
	job := river.InsertManyParams{Args: PreviewArgs{IntegrationID: int64(id), TenantID: int64(tenant), PreviewID: int64(pid)}}
	if err := e.engine.enqueue(ctx, []river.InsertManyParams{job}, func(store.Execer) error { return nil }); err != nil {
		if ferr := e.st.FinishPreview(context.WithoutCancel(ctx), tenant, pid, store.PreviewResult{}, "Não foi possível agendar a prévia."); ferr != nil {
			err = errors.Join(err, ferr)
		}
		return 0, fmt.Errorf("jobs: preview: %w", err)
	}
	return pid, nil
}

// Reprocess queues a reprocessing (OP2). It runs under the integration's cycle lease, so never
// at the same time as a cycle of that integration on any node (F3).
func (e *Enqueuer) Reprocess(ctx context.Context, a ReprocessArgs) error {
	if a.At.IsZero() {
		a.At = time.Now().UTC()
	}
	return e.engine.enqueue(ctx, []river.InsertManyParams{{Args: a}}, func(store.Execer) error { return nil })
}

// addOperate registers the preview and reprocessing workers.
func (r *Runner) addOperate(workers *river.Workers) {
	river.AddWorker(workers, &previewWorker{r: r})
	river.AddWorker(workers, &reprocessWorker{r: r})
}

func (r *Runner) operator() (Operator, error) {
	op, ok := r.opts.Cycler.(Operator)
	if !ok {
		return nil, river.JobCancel(ErrNotOperating)
	}
	return op, nil
}

// leased runs fn holding the integration's cycle lease, as a cycle does (F3): while another
// node's or this node's cycle holds it, the job snoozes.
func (r *Runner) leased(ctx context.Context, integration int64, jobID int64, fn func(ctx context.Context) error) error {
	id := store.IntegrationID(integration)
	lease := fmt.Sprintf("%s/%s/op%d", r.opts.Node, r.incarnation, jobID)
	got, err := r.st.AcquireCycleLease(ctx, id, lease, time.Now().Add(leaseTTL))
	if err != nil {
		return err
	}
	if !got {
		return river.JobSnooze(min(leaseTTL, r.opts.PollInterval/10+time.Second))
	}
	log := r.opts.Log.With("integration_id", integration)
	ctx, stopBeat := r.heartbeat(ctx, id, lease, log)
	defer stopBeat()
	defer func() {
		if err := r.st.ReleaseCycleLease(context.WithoutCancel(ctx), id, lease); err != nil {
			log.Error("releasing cycle lease", "err", err)
		}
	}()
	err = fn(ctx)
	if d := partner.RetryAfterOf(err); d > 0 {
		return river.JobSnooze(d)
	}
	return err
}

type previewWorker struct {
	river.WorkerDefaults[PreviewArgs]
	r *Runner
}

// Work runs one preview. It takes the cycle lease like a cycle: the preview's reads then never
// meet the cycle's (Omie refuses an identical call twice within a minute).
func (w *previewWorker) Work(ctx context.Context, job *river.Job[PreviewArgs]) error {
	op, err := w.r.operator()
	if err != nil {
		return err
	}
	a := job.Args
	err = w.r.leased(ctx, a.IntegrationID, job.ID, func(ctx context.Context) error {
		return op.RunPreview(ctx, store.TenantID(a.TenantID), store.PreviewID(a.PreviewID))
	})
	var snooze *river.JobSnoozeError
	if err != nil && !errors.As(err, &snooze) && job.Attempt >= job.MaxAttempts {
		// The last attempt: the page must not say "em andamento" forever.
		if ferr := w.r.st.FinishPreview(context.WithoutCancel(ctx), store.TenantID(a.TenantID), store.PreviewID(a.PreviewID),
			store.PreviewResult{}, "Não foi possível concluir a prévia: "+err.Error()); ferr != nil {
			err = errors.Join(err, ferr)
		}
	}
	return err
}

type reprocessWorker struct {
	river.WorkerDefaults[ReprocessArgs]
	r *Runner
}

// Work runs one reprocessing under the cycle lease.
func (w *reprocessWorker) Work(ctx context.Context, job *river.Job[ReprocessArgs]) error {
	op, err := w.r.operator()
	if err != nil {
		return err
	}
	return w.r.leased(ctx, job.Args.IntegrationID, job.ID, func(ctx context.Context) error {
		return op.Reprocess(ctx, job.Args)
	})
}
