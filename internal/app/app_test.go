package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/app"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/jobs"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

func testConfig(t *testing.T, env map[string]string) config.Config {
	t.Helper()
	base := map[string]string{"PONTE_ADDR": "127.0.0.1:0", "PONTE_DATA_DIR": t.TempDir(), "PONTE_SECRET_KEY": storetest.Key(t)}
	for k, v := range env {
		base[k] = v
	}
	cfg, err := config.FromEnv(func(k string) (string, bool) { v, ok := base[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// F2/F3: with several nodes sharing one database, every active integration runs exactly once
// per period: no period twice, none skipped, and the work is spread over the nodes.
func TestScheduleExactlyOncePerPeriod(t *testing.T) {
	t.Parallel()
	const (
		integrations = 50
		period       = 3 * time.Second
		wantCycles   = 4               // periods observed per integration
		deadline     = 2 * time.Minute // generous: CI machines are slow and busy
	)
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			nodes, env := 1, map[string]string{"PONTE_POLL_INTERVAL": period.String(), "PONTE_WORKERS": "10"}
			if d == store.Postgres {
				nodes, env["PONTE_DATABASE_URL"] = 3, storetest.NewSchema(t)
			}
			key := storetest.Key(t)
			env["PONTE_SECRET_KEY"] = key
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			work := jobs.CyclerFunc(func(ctx context.Context, c store.Cycle) error {
				time.Sleep(20 * time.Millisecond) // a cycle takes some time, as real ones do
				return nil
			})
			var apps []*app.App
			for i := 0; i < nodes; i++ {
				a, err := app.New(ctx, testConfig(t, env), log, app.Options{Cycler: work})
				if err != nil {
					t.Fatal(err)
				}
				apps = append(apps, a)
			}
			st := apps[0].Store()
			for i := 0; i < integrations; i++ {
				ten, err := st.CreateTenant(ctx, fmt.Sprintf("Empresa %d", i))
				if err != nil {
					t.Fatal(err)
				}
				in, err := st.CreateIntegration(ctx, ten.ID, store.Omie)
				if err != nil {
					t.Fatal(err)
				}
				if err := st.SetIntegrationState(ctx, ten.ID, in.ID, store.StateActive, ""); err != nil {
					t.Fatal(err)
				}
			}
			began := time.Now()
			var wg sync.WaitGroup
			for _, a := range apps {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := a.Run(ctx); err != nil {
						t.Errorf("run: %v", err)
					}
				}()
			}
			res, err := http.Get("http://" + apps[len(apps)-1].Addr() + "/healthz")
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("healthz: %v %v", res, err)
			}
			res.Body.Close()
			// Wait until every integration has run wantCycles times; how long that takes depends
			// on the machine, what is checked below does not.
			for start := time.Now(); ; time.Sleep(period / 2) {
				cycles, err := st.AllCyclesSince(ctx, began.Add(-time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				per := map[store.IntegrationID]int{}
				for _, c := range cycles {
					per[c.IntegrationID]++
				}
				done := len(per) == integrations
				for _, n := range per {
					done = done && n >= wantCycles
				}
				if done {
					break
				}
				if time.Since(start) > deadline {
					t.Fatalf("after %v only %d integrations ran, counts %v", deadline, len(per), per)
				}
			}
			cancel()
			wg.Wait()
			defer func() {
				for _, a := range apps {
					a.Close()
				}
			}()
			cycles, err := st.AllCyclesSince(context.Background(), began.Add(-time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			slots := map[store.IntegrationID][]time.Time{}
			usedNodes := map[string]bool{}
			for _, c := range cycles {
				slots[c.IntegrationID] = append(slots[c.IntegrationID], c.Slot)
				usedNodes[c.Node] = true
			}
			if len(slots) != integrations {
				t.Fatalf("%d integrations ran, want %d", len(slots), integrations)
			}
			for id, ss := range slots {
				for i := 1; i < len(ss); i++ {
					if gap := ss[i].Sub(ss[i-1]); gap != period {
						t.Errorf("integration %d: slots %v then %v (gap %v): a period ran twice or was skipped", id, ss[i-1], ss[i], gap)
					}
				}
			}
			if nodes > 1 && len(usedNodes) < 2 {
				t.Errorf("all cycles ran on %d node(s); the work was not shared", len(usedNodes))
			}
			t.Logf("%s: %d nodes, %d cycles for %d integrations in %v, nodes used: %d", d, nodes, len(cycles), integrations, time.Since(began).Round(time.Second), len(usedNodes))
		})
	}
}
