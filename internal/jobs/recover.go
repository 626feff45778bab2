package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/pontehub/ponte/internal/store"
)

// recoverEvery is how often the leader looks for cycles of nodes that died and did not come
// back. Their leases expire within leaseTTL, so such an integration is running again within
// leaseTTL + recoverEvery (issue 21: "taken over within about a minute on any node").
const recoverEvery = 15 * time.Second

// recover closes the cycles left running by a process that is gone (their lease expired or was
// released) as interrupted, with their runs, and queues a cycle of each such integration at once
// so it does not wait for its next period: the cursor guarantees the interrupted records are
// read again. Only the node whose update closed a cycle queues its retry.
//
// Cycles that started before startedBefore are considered: at a node's start every cycle whose
// lease is gone qualifies (this node's own were just released); the leader's periodic look
// leaves a few seconds to a cycle whose lease is being taken.
func (r *Runner) recover(ctx context.Context, t, startedBefore time.Time) error {
	dead, err := r.st.InterruptDeadCycles(ctx, startedBefore, t.Add(-r.jobTimeout()),
		"interrompida: o processo que rodava o ciclo parou (queda, reinício ou deploy); os registros pendentes voltam no próximo ciclo")
	if err != nil || len(dead) == 0 {
		return err
	}
	params := make([]river.InsertManyParams, 0, len(dead))
	for _, d := range dead {
		r.opts.Log.Warn("closed a cycle left running by a stopped process; running it again",
			"tenant_id", d.TenantID, "integration_id", d.IntegrationID, "slot", d.Slot, "node", d.Node)
		params = append(params, river.InsertManyParams{Args: CycleArgs{IntegrationID: int64(d.IntegrationID),
			TenantID: int64(d.TenantID), Slot: t.UTC().Truncate(time.Microsecond)}})
	}
	return r.engine.enqueue(ctx, params, func(store.Execer) error { return nil })
}

// RecoverArgs is the leader's periodic look for cycles left running by dead nodes.
type RecoverArgs struct{}

// Kind implements river.JobArgs.
func (RecoverArgs) Kind() string { return "recover" }

// InsertOpts: never retried; the next one comes within recoverEvery.
func (RecoverArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 1} }

type recoverWorker struct {
	river.WorkerDefaults[RecoverArgs]
	r *Runner
}

// Work closes and requeues the cycles whose lease has been gone for a while.
func (w *recoverWorker) Work(ctx context.Context, _ *river.Job[RecoverArgs]) error {
	t := time.Now()
	return w.r.recover(ctx, t, t.Add(-5*time.Second))
}
