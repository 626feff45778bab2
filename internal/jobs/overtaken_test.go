package jobs_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/jobs"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// TestOvertakenSlotIsDropped (issue 21): a scheduled cycle whose slot is older than a slot that
// already finished (River rescued its job after a crash, long after) is dropped, not run, so the
// history never shows an old slot after newer ones; the schedule goes on from there.
func TestOvertakenSlotIsDropped(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := storetest.Open(t, d)
			if err := jobs.Migrate(ctx, st); err != nil {
				t.Fatal(err)
			}
			ten, _ := st.CreateTenant(ctx, "Empresa")
			in, err := st.CreateIntegration(ctx, ten.ID, store.Omie)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SetIntegrationState(ctx, ten.ID, in.ID, store.StateActive, ""); err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC().Truncate(time.Second)
			newer, old := now.Add(-time.Minute), now.Add(-time.Hour)
			id, err := st.StartLeasedCycle(ctx, ten.ID, in.ID, newer, "other", "other/x/1")
			if err != nil {
				t.Fatal(err)
			}
			if err := st.FinishCycle(ctx, ten.ID, id, "done", ""); err != nil {
				t.Fatal(err)
			}
			// The integration is due for the old slot, as if its job came back from a crash.
			if _, err := st.DB().ExecContext(ctx, rebind(d, `UPDATE integrations SET next_run_at = ? WHERE id = ?`), old, int64(in.ID)); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var ran []time.Time
			const period = 2 * time.Second
			r, err := jobs.New(st, jobs.Options{Node: "n", PollInterval: period, Workers: 2, Log: slog.New(slog.DiscardHandler),
				Cycler: jobs.CyclerFunc(func(ctx context.Context, c store.Cycle) error {
					mu.Lock()
					ran = append(ran, c.Slot)
					mu.Unlock()
					return nil
				})})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer r.Stop(context.Background()) //nolint:errcheck
			deadline := time.Now().Add(60 * time.Second)
			for {
				mu.Lock()
				n := len(ran)
				mu.Unlock()
				if n >= 1 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("no cycle ran after the overtaken one")
				}
				time.Sleep(50 * time.Millisecond)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, s := range ran {
				if !s.After(newer) {
					t.Errorf("slot %v ran after slot %v had finished", s, newer)
				}
			}
		})
	}
}

// rebind turns ? into $1 for PostgreSQL, for the one raw statement of this test.
func rebind(d store.Dialect, q string) string {
	if d != store.Postgres {
		return q
	}
	out, n := []byte{}, 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, '$', byte('0'+n))
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}
