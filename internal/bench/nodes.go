package bench

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/pontehub/ponte/internal/app"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/store"
)

// runNodes is the scale and nodes scenarios. scale runs c.Nodes whole Ponte nodes; nodes runs
// the same work on one node and then on c.Nodes, and compares their throughput.
func runNodes(ctx context.Context, c Config) (Summary, error) {
	if c.Scenario != "nodes" || c.Nodes == 1 {
		return runFleet(ctx, c)
	}
	one := c
	one.Nodes = 1
	s1, err := runFleet(ctx, one)
	if err != nil {
		return s1, fmt.Errorf("one node: %w", err)
	}
	s, err := runFleet(ctx, c)
	if err != nil {
		return s, err
	}
	s.Scaling = &Scaling{OneNodeRecordsPerSecond: s1.Setup.RecordsPerSecond, NodesRecordsPerSecond: s.Setup.RecordsPerSecond,
		OneNodeSeconds: s1.Setup.Seconds, NodesSeconds: s.Setup.Seconds}
	if s1.Setup.RecordsPerSecond > 0 {
		s.Scaling.Ratio = round(s.Setup.RecordsPerSecond / s1.Setup.RecordsPerSecond)
	}
	s.Throttles["auvo"] += s1.Throttles["auvo"]
	s.Throttles["omie"] += s1.Throttles["omie"]
	s.Notes = append(s.Notes, "scaling compares the setup phase (every seeded customer synced) on 1 node and on the configured nodes; throttles add both runs")
	return s, nil
}

// runFleet seeds the tenants, starts c.Nodes nodes on one database with the real scheduler,
// waits until every integration has synced once (setup), then measures c.Cycles periods with
// changes made at random moments, and one more period for the last changes to arrive.
func runFleet(ctx context.Context, c Config) (Summary, error) {
	var s Summary
	w := NewWorld(WorldOptions{Latency: c.Latency, AuvoRateLimit: c.AuvoRateLimit})
	defer w.Close()
	db, err := openDatabase(ctx, c.DB, c.PostgresURL)
	if err != nil {
		return s, err
	}
	defer db.remove()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	var nodes []*app.App
	defer func() {
		for _, a := range nodes {
			a.Close()
		}
	}()
	for i := range c.Nodes {
		cfg, err := nodeConfig(c, db, w, i)
		if err != nil {
			return s, err
		}
		a, err := app.New(ctx, cfg, log, app.Options{})
		if err != nil {
			return s, err
		}
		nodes = append(nodes, a)
	}
	st := nodes[0].Store()
	tenants, err := seedAll(ctx, w, st, c)
	if err != nil {
		return s, err
	}
	s.Notes = append(s.Notes, fmt.Sprintf("RSS after seeding the sandboxes, before the nodes started: %.1f MB (the sandboxes run in this process and are part of peak_rss_mb)", rssMB()))

	t0 := time.Now()
	before := w.Calls()
	runCtx, stopNodes := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, a := range nodes {
		wg.Go(func() {
			if err := a.Run(runCtx); err != nil {
				log.Error("node stopped", "err", err)
			}
		})
	}
	stop := func() {
		stopNodes()
		wg.Wait()
	}
	if err := waitSynced(ctx, st, t0, len(tenants)); err != nil {
		stop()
		return s, err
	}
	s.Setup = phase(c.Tenants*c.Customers, time.Since(t0), diff(w.Calls(), before))

	t1 := time.Now()
	before = w.Calls()
	tr := newTracker(w, tenants)
	watchEvery := max(100*time.Millisecond, c.Period/100)
	stopWatch := tr.watch(ctx, watchEvery)
	err = changeFor(ctx, w, tr, tenants, c)
	if err == nil {
		// One more period and a tick for the last changes to be picked up and written.
		err = sleep(ctx, c.Period+tickOf(c.Period)+5*time.Second)
	}
	stopWatch()
	stop()
	if err != nil {
		return s, err
	}
	s.Measured = phase(c.Tenants*int(math.Round(c.ChangeRate*float64(c.Customers)))*c.Cycles, time.Since(t1), diff(w.Calls(), before))
	cycles, err := st.AllCyclesSince(context.WithoutCancel(ctx), t1.Add(-time.Second))
	if err != nil {
		return s, err
	}
	s.Schedule, s.CycleDurationMS = schedule(cycles, t1, c.Period)
	s.PropagationMS, s.PropagationFrom = percentiles(tr.delays), "change"
	s.Lost = tr.lost()
	s.Duplicates = duplicates(w, tenants)
	s.Throttles = w.Throttles()
	for _, cy := range cycles {
		if cy.Status != "done" {
			s.CycleErrors++
			if s.FirstError == "" {
				s.FirstError = cy.Status + ": " + cy.Error
			}
		}
	}
	s.Notes = append(s.Notes, fmt.Sprintf("changes polled in Omie every %v: propagation is accurate to that", watchEvery))
	if c.Period <= time.Minute && !c.OmieRedundantOff {
		s.Notes = append(s.Notes, "a period under Omie's 60-second no-repeat window lets a cycle repeat the previous one's listing: expect Omie REDUNDANT answers (use -omie-redundant-off)")
	}
	return s, nil
}

func nodeConfig(c Config, db *database, w *World, i int) (config.Config, error) {
	env := map[string]string{
		"PONTE_ADDR":          "127.0.0.1:0",
		"PONTE_ROLES":         "worker",
		"PONTE_DATA_DIR":      db.dir,
		"PONTE_DATABASE_URL":  db.url,
		"PONTE_SECRET_KEY":    db.key,
		"PONTE_POLL_INTERVAL": c.Period.String(),
		"PONTE_WORKERS":       strconv.Itoa(c.Workers),
		"PONTE_AUVO_URL":      w.AuvoURL(),
		"PONTE_OMIE_URL":      w.OmieURL(),
	}
	if db.url != "" {
		env["PONTE_DATA_DIR"] = filepath.Join(db.dir, "node"+strconv.Itoa(i))
	}
	return config.FromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
}

// tickOf is how often the scheduler looks for due integrations (jobs.tickInterval).
func tickOf(period time.Duration) time.Duration {
	return min(time.Minute, max(100*time.Millisecond, period/10))
}

// waitSynced waits until every integration has finished a cycle since t0.
func waitSynced(ctx context.Context, st *store.Store, t0 time.Time, n int) error {
	for {
		cycles, err := st.AllCyclesSince(ctx, t0.Add(-time.Second))
		if err != nil {
			return err
		}
		done := map[store.IntegrationID]bool{}
		for _, cy := range cycles {
			if cy.Status == "done" {
				done[cy.IntegrationID] = true
			}
		}
		if len(done) >= n {
			return nil
		}
		if err := sleep(ctx, time.Second); err != nil {
			return fmt.Errorf("bench: %d of %d integrations synced: %w", len(done), n, err)
		}
	}
}

// changeFor renames c.ChangeRate of every tenant's customers in each of c.Cycles periods, each
// at a random moment of its period, as users do.
func changeFor(ctx context.Context, w *World, tr *tracker, tenants []Tenant, c Config) error {
	type edit struct {
		at      time.Duration
		tenant  int
		j, vers int
	}
	per := int(math.Round(c.ChangeRate * float64(c.Customers)))
	start := time.Now()
	for k := range c.Cycles {
		var plan []edit
		for i := range tenants {
			for _, j := range w.pick(per, c.Customers) {
				plan = append(plan, edit{at: time.Duration(k)*c.Period + rand.N(c.Period), tenant: i, j: j, vers: k + 1})
			}
		}
		slices.SortFunc(plan, func(a, b edit) int { return int(a.at - b.at) })
		for _, e := range plan {
			if err := sleep(ctx, time.Until(start.Add(e.at))); err != nil {
				return err
			}
			t := tenants[e.tenant]
			if err := w.ChangeAuvo(t, e.tenant, e.j, e.vers); err != nil {
				return err
			}
			tr.expect(e.tenant, t.Docs[e.j], customerName(e.tenant, e.j, e.vers), time.Now())
		}
	}
	return sleep(ctx, time.Until(start.Add(time.Duration(c.Cycles)*c.Period)))
}

// schedule checks the cycles whose slot is at or after from: how late each started, whether a
// slot ran twice, and which node ran it; and how long they took.
func schedule(cycles []store.Cycle, from time.Time, period time.Duration) (*Schedule, Percentiles) {
	sc := &Schedule{PeriodS: period.Seconds(), Nodes: map[string]int{}}
	var delays, durations []float64
	done := map[string]int{}
	for _, cy := range cycles {
		if cy.Slot.Before(from.Add(-period)) {
			continue
		}
		sc.Cycles++
		sc.Nodes[cy.Node]++
		d := cy.StartedAt.Sub(cy.Slot)
		delays = append(delays, round(d.Seconds()))
		if d > period {
			sc.Late++
		}
		if !cy.FinishedAt.IsZero() {
			durations = append(durations, ms(cy.FinishedAt.Sub(cy.StartedAt)))
		}
		if cy.Status == "done" {
			k := fmt.Sprintf("%d/%d", cy.IntegrationID, cy.Slot.UnixNano())
			if done[k]++; done[k] == 2 {
				sc.Twice++
			}
		}
	}
	sc.StartDelayS = percentiles(delays)
	return sc, percentiles(durations)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
