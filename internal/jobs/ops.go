package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/pontehub/ponte/internal/store"
)

// ManualSyncEvery is how often a manual cycle of one integration may start (SPEC OP1).
const ManualSyncEvery = time.Minute

// ErrSyncRefused is returned by SyncNow when the integration is not active or its last manual
// cycle was accepted less than ManualSyncEvery ago; the caller reads the integration to say which.
var ErrSyncRefused = errors.New("jobs: manual sync refused")

// Enqueuer starts manual cycles (SPEC OP1). It is the worker's Runner on a node that works jobs,
// and an insert-only River client on a node that only serves the portal.
type Enqueuer struct {
	st     *store.Store
	engine engine
}

// NewEnqueuer builds an insert-only client, for nodes without the worker role.
func NewEnqueuer(st *store.Store) (*Enqueuer, error) {
	e, err := newEngine(st, &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("jobs: enqueuer: %w", err)
	}
	return &Enqueuer{st: st, engine: e}, nil
}

// Enqueuer is the Runner's own client, for the portal of a node that also works jobs.
func (r *Runner) Enqueuer() *Enqueuer { return &Enqueuer{st: r.st, engine: r.engine} }

// SyncNow enqueues a cycle of the tenant's integration for now: the same job as a scheduled
// period, so the integration's lease keeps it from overlapping any other cycle on any node
// (SPEC F3), and next_run_at is not touched, so the regular schedule is unchanged. The claim of
// the one-a-minute limit and the job are one transaction.
func (e *Enqueuer) SyncNow(ctx context.Context, tenant store.TenantID, id store.IntegrationID) error {
	// Microseconds: what PostgreSQL keeps, so the cycle's slot equals manual_sync_at.
	t := time.Now().UTC().Truncate(time.Microsecond)
	job := river.InsertManyParams{Args: CycleArgs{IntegrationID: int64(id), TenantID: int64(tenant), Slot: t, Manual: true}}
	return e.engine.enqueue(ctx, []river.InsertManyParams{job}, func(ex store.Execer) error {
		ok, err := e.st.ClaimManualSync(ctx, ex, tenant, id, t, ManualSyncEvery)
		if err != nil {
			return err
		}
		if !ok {
			return ErrSyncRefused
		}
		return nil
	})
}

// addOps registers the operations jobs (retention) with River.
func (r *Runner) addOps(workers *river.Workers, cfg *river.Config) {
	river.AddWorker(workers, &retentionWorker{r: r})
	if r.opts.Retention > 0 {
		cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil },
			&river.PeriodicJobOpts{ID: "retention", RunOnStart: true}))
	}
}

// RetentionArgs is the hourly job that deletes run history older than Options.Retention.
type RetentionArgs struct{}

// Kind implements river.JobArgs.
func (RetentionArgs) Kind() string { return "retention" }

// InsertOpts: one at a time; the next hour retries what a failed run left.
func (RetentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

type retentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	r *Runner
}

// Work deletes the old history in batches (issue 23), keeping each record's last outcome.
func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	if w.r.opts.Retention <= 0 {
		return nil
	}
	start := time.Now()
	p, err := w.r.st.PurgeAllHistory(ctx, start.Add(-w.r.opts.Retention), 5000)
	w.r.opts.Log.Info("retention", "outcomes", p.Outcomes, "runs", p.Runs, "cycles", p.Cycles, "link_events", p.LinkEvents,
		"duration", time.Since(start).Round(time.Millisecond), "err", err)
	return err
}
