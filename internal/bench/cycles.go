package bench

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/connector"
	"github.com/pontehub/ponte/internal/flow"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// omieCustomerPage is the page size the engine lists Omie customers with (flow.omiePageSize).
const omieCustomerPage = 200

// jumpClock is the real clock plus an offset that grows by a period between cycles: inside a
// cycle time passes as it does (rate limits hold in real time), between cycles a whole period
// goes by for the sandboxes, Omie's read cache and the engine's cursors.
type jumpClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *jumpClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *jumpClock) jump(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// partners builds clients as the production connector does (shared Doer and limiter, Omie
// gate and read cache), except that Omie's 60-second read cache runs on the jumping clock.
type partners struct {
	*connector.Connector
	omieURL string
	gate    *partner.Gate
	cache   *omie.ReadCache
	now     func() time.Time
}

func (p *partners) Omie(cr store.Credentials) *omie.Client {
	return omie.New(p.omieURL, omie.Credentials{AppKey: cr.OmieAppKey, AppSecret: cr.OmieAppSecret}, p.Doer(),
		omie.WithGate(p.gate), omie.WithCache(p.cache), omie.WithClock(p.now))
}

// newPartners returns the engine's partners for w: the real HTTP client and, as in production,
// the node-local limiter on SQLite and the shared one on PostgreSQL.
func newPartners(st *store.Store, w *World, now func() time.Time) *partners {
	var lim partner.Limiter = partner.NewLocalLimiter()
	if st.Dialect() == store.Postgres {
		lim = st.RateLimiter()
	}
	doer := &partner.Doer{HTTP: partner.NewHTTPClient(partner.HTTPOptions{UserAgent: "ponte-bench"}), Limiter: lim}
	cfg := config.Config{BaseURL: "http://ponte.bench", AuvoURL: w.AuvoURL(), OmieURL: w.OmieURL()}
	return &partners{Connector: connector.New(cfg, st, connector.Options{Doer: doer}), omieURL: w.OmieURL(),
		gate: partner.NewGate(), cache: omie.NewReadCache(), now: now}
}

// runCycles is the idle and changes scenarios: seed, sync everything once (the setup phase),
// then c.Cycles cycles of every integration, each after changing c.ChangeRate of every
// tenant's customers in Auvo, counting every call.
func runCycles(ctx context.Context, c Config) (Summary, error) {
	var s Summary
	clk := &jumpClock{}
	// Tokens outlive the run: with the clock jumping, the client (on the real clock) could not
	// know when the sandbox's token expired, and would pay a refused call each time.
	w := NewWorld(WorldOptions{Now: clk.Now, Latency: c.Latency, AuvoRateLimit: c.AuvoRateLimit, TokenTTL: 365 * 24 * time.Hour})
	defer w.Close()
	db, err := openDatabase(ctx, c.DB, c.PostgresURL)
	if err != nil {
		return s, err
	}
	defer db.remove()
	st, err := db.open(ctx)
	if err != nil {
		return s, err
	}
	defer st.Close()
	tenants, err := seedAll(ctx, w, st, c)
	if err != nil {
		return s, err
	}
	eng := flow.New(flow.Options{Store: st, Partners: newPartners(st, w, clk.Now), Now: clk.Now})
	r := &cycleRunner{st: st, eng: eng, clk: clk, workers: c.Workers}

	// Setup: the first cycle creates every customer in Omie, the second reads Ponte's own
	// writes back from Omie (echoes, skipped).
	before, t0 := w.Calls(), time.Now()
	for range 2 {
		clk.jump(c.Period)
		if _, err := r.all(ctx, tenants); err != nil {
			return s, err
		}
	}
	s.Setup = phase(c.Tenants*c.Customers, time.Since(t0), diff(w.Calls(), before))

	tr := newTracker(w, tenants)
	var durations []float64
	for k := 1; k <= c.Cycles; k++ {
		changed := 0
		for i, t := range tenants {
			for _, j := range w.pick(int(math.Round(c.ChangeRate*float64(c.Customers))), c.Customers) {
				if err := w.ChangeAuvo(t, i, j, k); err != nil {
					return s, err
				}
				tr.expect(i, t.Docs[j], customerName(i, j, k))
				changed++
			}
		}
		clk.jump(c.Period)
		before, t0 := w.Calls(), time.Now()
		tr.start(t0)
		stop := tr.watch(ctx, 50*time.Millisecond)
		ds, err := r.all(ctx, tenants)
		stop()
		if err != nil {
			return s, err
		}
		durations = append(durations, ds...)
		s.Cycles = append(s.Cycles, cycleReport(k, changed, time.Since(t0), diff(w.Calls(), before), c.Tenants))
	}
	s.CycleDurationMS = percentiles(durations)
	s.PropagationMS, s.PropagationFrom = percentiles(tr.delays), "cycle start"
	s.Lost = tr.lost()
	s.Duplicates = duplicates(w, tenants)
	s.Throttles = w.Throttles()
	s.CycleErrors, s.FirstError = r.errs, r.firstErr
	s.Notes = append(s.Notes, fmt.Sprintf("cycles run back to back on a clock that jumps %v between them; a change waits up to one period for its cycle on top of propagation_ms", c.Period))
	return s, nil
}

func seedAll(ctx context.Context, w *World, st *store.Store, c Config) ([]Tenant, error) {
	var shared *Tenant
	tenants := make([]Tenant, 0, c.Tenants)
	for i := range c.Tenants {
		o := SeedOptions{Customers: c.Customers, Products: c.Products, Omie: omiesandbox.AccountOptions{DisableRedundant: c.OmieRedundantOff}}
		if c.SharedAuvo && shared != nil {
			o.Auvo = &shared.auvoAccount
		}
		t, err := w.Seed(ctx, st, i, o)
		if err != nil {
			return nil, err
		}
		if c.SharedAuvo && shared == nil {
			shared = &t
		}
		tenants = append(tenants, t)
	}
	return tenants, Activate(ctx, st, tenants)
}

// cycleRunner runs one cycle of many integrations, c.workers at a time, as one node would.
type cycleRunner struct {
	st      *store.Store
	eng     *flow.Engine
	clk     *jumpClock
	workers int

	mu       sync.Mutex
	errs     int
	firstErr string
}

// all runs one cycle of every tenant's integration and returns each cycle's duration in ms.
func (r *cycleRunner) all(ctx context.Context, tenants []Tenant) ([]float64, error) {
	out := make([]float64, len(tenants))
	sem := make(chan struct{}, r.workers)
	var (
		wg    sync.WaitGroup
		fatal error
		once  sync.Once
	)
	for i, t := range tenants {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			start := time.Now()
			if err := r.one(ctx, t); err != nil {
				once.Do(func() { fatal = err })
			}
			out[i] = ms(time.Since(start))
		})
	}
	wg.Wait()
	return out, fatal
}

// one runs and records one cycle. A partner error ends the cycle as it would a job (it is
// counted, not fatal); a store error is fatal.
func (r *cycleRunner) one(ctx context.Context, t Tenant) error {
	slot := r.clk.Now()
	id, err := r.st.StartCycle(ctx, t.ID, t.Integration, slot, "bench")
	if err != nil {
		return err
	}
	cerr := r.eng.RunCycle(ctx, store.Cycle{ID: id, TenantID: t.ID, IntegrationID: t.Integration, Slot: slot, Node: "bench"})
	status, text := "done", ""
	if cerr != nil {
		status, text = "failed", cerr.Error()
		r.mu.Lock()
		r.errs++
		if r.firstErr == "" {
			r.firstErr = text
		}
		r.mu.Unlock()
	}
	return r.st.FinishCycle(context.WithoutCancel(ctx), t.ID, id, status, text)
}

func phase(records int, d time.Duration, calls map[string]map[string]int64) *Phase {
	p := &Phase{Records: records, Seconds: round(d.Seconds()), Calls: calls, TotalCalls: total(calls)}
	if d > 0 {
		p.RecordsPerSecond = round(float64(records) / d.Seconds())
	}
	return p
}

func cycleReport(k, changed int, d time.Duration, calls map[string]map[string]int64, integrations int) CycleReport {
	rep := CycleReport{Index: k, Changed: changed, Phase: *phase(changed, d, calls)}
	rep.Writes, rep.Reads, rep.Logins = classify(calls)
	rep.MinCalls = int64(integrations) * MinimumCalls(changed/max(1, integrations), auvo.PageSize, omieCustomerPage)
	if rep.MinCalls > 0 {
		rep.OverMinimum = round(float64(rep.Writes+rep.Reads-rep.MinCalls) / float64(rep.MinCalls))
	}
	if changed > 0 {
		rep.CallsPerChange = round(float64(rep.Writes+rep.Reads) / float64(changed))
	}
	for _, m := range calls {
		for method, n := range m {
			if isList(method) {
				rep.MaxListsPerFlowSide = max(rep.MaxListsPerFlowSide, round(float64(n)/float64(integrations)))
			}
		}
	}
	return rep
}

// isList tells listing calls (one per flow and side in a quiet cycle) from look-ups by id.
func isList(method string) bool {
	if strings.HasPrefix(method, "GET /") {
		return !strings.Contains(method, "{") && !strings.Contains(method, "/login")
	}
	return strings.HasPrefix(method, "Listar")
}
