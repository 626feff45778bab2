package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/jobs"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// overlapCycler runs cycles that take a while and records, per integration, whether two ever
// ran at once and which slots ran.
type overlapCycler struct {
	mu      sync.Mutex
	running map[store.IntegrationID]int
	slots   map[store.IntegrationID][]time.Time
	overlap []string
}

func (c *overlapCycler) RunCycle(ctx context.Context, cy store.Cycle) error {
	c.mu.Lock()
	c.running[cy.IntegrationID]++
	if c.running[cy.IntegrationID] > 1 {
		c.overlap = append(c.overlap, fmt.Sprintf("integration %d slot %s", cy.IntegrationID, cy.Slot))
	}
	c.slots[cy.IntegrationID] = append(c.slots[cy.IntegrationID], cy.Slot)
	c.mu.Unlock()
	time.Sleep(400 * time.Millisecond) // long enough for the scheduled and the manual cycle to meet
	c.mu.Lock()
	c.running[cy.IntegrationID]--
	c.mu.Unlock()
	return nil
}

// OP1 with F3: "Sincronizar agora" goes through the scheduled cycle's job, so with two nodes on
// PostgreSQL (one on SQLite) a manual cycle and a scheduled one never run at once; a second
// press within a minute is refused on every node; a paused integration is refused; and the
// schedule's grid is unchanged.
func TestSyncNowOP1(t *testing.T) {
	t.Parallel()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			if d == store.Postgres && os.Getenv(storetest.PostgresEnv) == "" {
				t.Skip(storetest.PostgresEnv + " not set")
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			const period = 2 * time.Second
			box := storetest.Box(t)
			var stores []*store.Store
			if d == store.Postgres {
				url := storetest.NewSchema(t)
				for range 2 {
					st, err := store.Open(ctx, store.Options{URL: url, Box: box})
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { st.Close() })
					stores = append(stores, st)
				}
				if err := stores[0].Migrate(ctx); err != nil {
					t.Fatal(err)
				}
			} else {
				stores = append(stores, storetest.Open(t, d))
			}
			if err := jobs.Migrate(ctx, stores[0]); err != nil {
				t.Fatal(err)
			}
			st := stores[0]
			var ids []store.IntegrationID
			var tenants []store.TenantID
			for i := range 4 {
				ten, _ := st.CreateTenant(ctx, fmt.Sprint("Empresa ", i))
				in, err := st.CreateIntegration(ctx, ten.ID, store.Omie)
				if err != nil {
					t.Fatal(err)
				}
				if err := st.SetIntegrationState(ctx, ten.ID, in.ID, store.StateActive, ""); err != nil {
					t.Fatal(err)
				}
				ids, tenants = append(ids, in.ID), append(tenants, ten.ID)
			}
			paused, _ := st.CreateTenant(ctx, "Pausada")
			pin, _ := st.CreateIntegration(ctx, paused.ID, store.Omie)
			if err := st.SetIntegrationState(ctx, paused.ID, pin.ID, store.StatePaused, ""); err != nil {
				t.Fatal(err)
			}
			first := map[store.IntegrationID]time.Time{}
			for i, id := range ids {
				in, _ := st.IntegrationByID(ctx, tenants[i], id)
				first[id] = in.NextRunAt
			}

			cy := &overlapCycler{running: map[store.IntegrationID]int{}, slots: map[store.IntegrationID][]time.Time{}}
			var runners []*jobs.Runner
			for i, s := range stores {
				r, err := jobs.New(s, jobs.Options{Node: fmt.Sprint("node", i), PollInterval: period, Workers: 4, Cycler: cy,
					Log: slog.New(slog.DiscardHandler)})
				if err != nil {
					t.Fatal(err)
				}
				if err := r.Start(ctx); err != nil {
					t.Fatal(err)
				}
				runners = append(runners, r)
			}
			defer func() {
				for _, r := range runners {
					_ = r.Stop(context.Background())
				}
			}()
			// Let scheduled cycles start, then press the button on every node, twice.
			time.Sleep(period + period/2)
			for i, id := range ids {
				accepted := 0
				for round := range 2 {
					for _, r := range runners {
						err := r.Enqueuer().SyncNow(ctx, tenants[i], id)
						switch {
						case err == nil:
							accepted++
						case !errors.Is(err, jobs.ErrSyncRefused):
							t.Fatalf("sync now %d round %d: %v", id, round, err)
						}
					}
				}
				if accepted != 1 {
					t.Errorf("OP1 integration %d: %d manual cycles accepted within a minute, want 1", id, accepted)
				}
			}
			if err := runners[0].Enqueuer().SyncNow(ctx, paused.ID, pin.ID); !errors.Is(err, jobs.ErrSyncRefused) {
				t.Errorf("OP1 paused integration: %v", err)
			}
			// Wait until every manual cycle ran and a scheduled one followed it.
			deadline := time.Now().Add(90 * time.Second)
			for {
				done := 0
				for i, id := range ids {
					at, _ := st.ManualSyncAt(ctx, tenants[i], id)
					cy.mu.Lock()
					manual, after := false, false
					for _, s := range cy.slots[id] {
						manual = manual || s.Equal(at)
						after = after || s.After(at)
					}
					cy.mu.Unlock()
					if manual && after {
						done++
					}
				}
				if done == len(ids) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("manual cycles did not all run (%d of %d)", done, len(ids))
				}
				time.Sleep(200 * time.Millisecond)
			}
			for _, r := range runners {
				_ = r.Stop(context.Background())
			}
			cy.mu.Lock()
			defer cy.mu.Unlock()
			if len(cy.overlap) > 0 {
				t.Errorf("F3 cycles overlapped: %v", cy.overlap)
			}
			for i, id := range ids {
				in, _ := st.IntegrationByID(ctx, tenants[i], id)
				if off := in.NextRunAt.Sub(first[id]) % period; off != 0 {
					t.Errorf("OP1 the schedule of %d moved off its grid by %s", id, off)
				}
			}
			if len(cy.slots[pin.ID]) != 0 {
				t.Errorf("paused integration ran %v", cy.slots[pin.ID])
			}
		})
	}
}

// Issue 23: with a retention set, the hourly job (run at start) deletes outcomes older than it
// and keeps each record's last one.
func TestRetentionJob(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	if err := jobs.Migrate(ctx, st); err != nil {
		t.Fatal(err)
	}
	ten, _ := st.CreateTenant(ctx, "Alfa")
	in, _ := st.CreateIntegration(ctx, ten.ID, store.Omie)
	old := time.Now().AddDate(0, 0, -100)
	for i, at := range []time.Time{old, old.Add(time.Hour), old.Add(2 * time.Hour)} {
		auvo := "1"
		if i == 2 {
			auvo = "2"
		}
		if _, err := st.InsertOutcome(ctx, store.Outcome{TenantID: ten.ID, IntegrationID: in.ID, Flow: store.FlowCustomersToERP,
			Action: store.ActionSkipped, Reason: "no_document", AuvoID: auvo, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := jobs.New(st, jobs.Options{Node: "n", PollInterval: time.Minute, Retention: 90 * 24 * time.Hour, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Stop(context.Background())
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		got, err := st.Outcomes(ctx, ten.ID, in.ID, store.OutcomeFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 2 {
			if got[0].AuvoID != "2" || got[1].AuvoID != "1" || !got[1].At.Equal(old.Add(time.Hour)) {
				t.Fatalf("kept %+v", got)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("retention did not run: %d outcomes", len(got))
		}
	}
}
