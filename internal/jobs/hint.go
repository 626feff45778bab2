package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/pontehub/ponte/internal/store"
)

// HintEvery is the debounce of webhook deliveries: at most one early cycle per integration in
// this window, however many deliveries arrive (SPEC WH2).
const HintEvery = 30 * time.Second

// ErrHintDebounced is returned by Hint when the integration is not active or a delivery already
// started an early cycle less than HintEvery ago: the delivery is acknowledged and nothing runs.
var ErrHintDebounced = errors.New("jobs: webhook hint debounced")

// Hint enqueues an early cycle of the tenant's integration because a partner delivered a
// webhook (SPEC WH2). It is the scheduled cycle's job, so the integration's lease keeps it from
// running in parallel with any other cycle on any node (F3); the cycle reads the changes through
// the partners' APIs as always, so the delivery's body is never needed. The debounce claim and
// the job are one transaction, and the job's slot is the start of its HintEvery window, so two
// nodes racing on the same window insert one job.
func (e *Enqueuer) Hint(ctx context.Context, tenant store.TenantID, id store.IntegrationID) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	slot := now.Truncate(HintEvery)
	job := river.InsertManyParams{Args: CycleArgs{IntegrationID: int64(id), TenantID: int64(tenant), Slot: slot, Hint: true}}
	return e.engine.enqueue(ctx, []river.InsertManyParams{job}, func(ex store.Execer) error {
		ok, err := e.st.ClaimWebhookHint(ctx, ex, tenant, id, now, HintEvery)
		if err != nil {
			return err
		}
		if !ok {
			return ErrHintDebounced
		}
		return nil
	})
}
