// Package jobs schedules and runs the integrations' sync cycles on River, on SQLite or on
// PostgreSQL. One leader-only periodic tick finds the integrations that are due, enqueues one job
// per integration and period (unique, so a period never runs twice) and moves each
// integration's next_run_at forward in the same transaction. One job runs all the enabled flows
// of one integration, so runs of one integration never overlap (SPEC F3), while different
// integrations run in parallel on every worker of every node.
package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// Cycler runs one cycle of one integration: its enabled flows, in order. The sync engine
// implements it. A returned error with a partner RetryAfter snoozes the job instead of failing it.
type Cycler interface {
	RunCycle(ctx context.Context, c store.Cycle) error
}

// CyclerFunc adapts a function to Cycler.
type CyclerFunc func(ctx context.Context, c store.Cycle) error

// RunCycle implements Cycler.
func (f CyclerFunc) RunCycle(ctx context.Context, c store.Cycle) error { return f(ctx, c) }

// Options configures a Runner.
type Options struct {
	Node         string        // this node's name, recorded on every cycle
	PollInterval time.Duration // the period of every integration (SPEC F2)
	Workers      int           // cycles run at the same time on this node
	Cycler       Cycler
	Log          *slog.Logger
	Metrics      prometheus.Registerer
	// Alert tells the tenant when a cycle failed on its last attempt; nil tells no one.
	Alert Alerter
	// Retention is how old run history gets before the hourly retention job deletes it
	// (issue 23); zero keeps everything.
	Retention time.Duration
}

// Alerter tells a tenant that a cycle of its integration failed for good; *alert.Alerter is
// the one production uses.
type Alerter interface {
	RetriesExhausted(ctx context.Context, c store.Cycle, attempts int, errText string) error
}

// Runner is the job engine of one node.
type Runner struct {
	st *store.Store
	// incarnation tells this process from earlier runs of the same node in lease owners.
	incarnation string
	opts        Options
	engine      engine
	runs        *prometheus.CounterVec
	seconds     prometheus.Histogram
}

// engine hides River's transaction type, which differs between the SQLite and pgx drivers.
type engine interface {
	start(ctx context.Context) error
	stop(ctx context.Context) error
	// cancel stops at once, cancelling the running jobs' contexts.
	cancel(ctx context.Context) error
	// enqueue inserts the jobs and runs advance in one transaction.
	enqueue(ctx context.Context, jobs []river.InsertManyParams, advance func(ex store.Execer) error) error
}

// Migrate applies River's own migrations. On PostgreSQL it holds an advisory lock so several
// nodes starting together migrate once.
func Migrate(ctx context.Context, st *store.Store) error {
	if st.Dialect() == store.Postgres {
		conn, err := st.DB().Conn(ctx)
		if err != nil {
			return fmt.Errorf("jobs: migrate: %w", err)
		}
		defer conn.Close()
		const lockID = 7401_2026_11 // any constant shared by all nodes
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockID); err != nil {
			return fmt.Errorf("jobs: migrate lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockID) //nolint:errcheck
		return migrate(ctx, riverpgxv5.New(st.Pool()))
	}
	return migrate(ctx, riversqlite.New(st.DB()))
}

func migrate[TTx any](ctx context.Context, d riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(d, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

// New builds the job engine. Start it with Start.
func New(st *store.Store, o Options) (*Runner, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Workers < 1 {
		o.Workers = 1
	}
	inc := make([]byte, 4)
	_, _ = rand.Read(inc)
	r := &Runner{
		st:          st,
		opts:        o,
		incarnation: hex.EncodeToString(inc),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ponte_job_runs_total", Help: "Integration cycles run on this node, by result (ok, error, snoozed).",
		}, []string{"result"}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ponte_job_run_duration_seconds", Help: "Duration of integration cycles.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 16),
		}),
	}
	if o.Metrics != nil {
		for _, c := range []prometheus.Collector{r.runs, r.seconds} {
			if err := o.Metrics.Register(c); err != nil {
				return nil, fmt.Errorf("jobs: metrics: %w", err)
			}
		}
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &tickWorker{r: r})
	river.AddWorker(workers, &cycleWorker{r: r})
	river.AddWorker(workers, &recoverWorker{r: r})
	cfg := &river.Config{
		ID:     o.Node,
		Logger: slog.New(warnOnly{o.Log.Handler()}).With("component", "river"),
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Workers}},
		// The tick is leader-only: River enqueues periodic jobs from the elected leader alone.
		PeriodicJobs: []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(tickInterval(o.PollInterval)),
			func() (river.JobArgs, *river.InsertOpts) { return TickArgs{}, nil },
			&river.PeriodicJobOpts{ID: "tick", RunOnStart: true})},
		Workers:           workers,
		FetchPollInterval: fetchInterval(o.PollInterval),
		FetchCooldown:     min(100*time.Millisecond, fetchInterval(o.PollInterval)),
		// A cycle of a large account can take long; River's default of one minute is too short.
		JobTimeout: r.jobTimeout(),
		// A cycle of a node that died is picked up again once its lease and job time out.
		RescueStuckJobsAfter: r.jobTimeout() + time.Minute,
		MaxAttempts:          5,
	}
	cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(recoverEvery),
		func() (river.JobArgs, *river.InsertOpts) { return RecoverArgs{}, nil },
		&river.PeriodicJobOpts{ID: "recover"}))
	r.addOps(workers, cfg)
	r.addOperate(workers)
	var err error
	if r.engine, err = newEngine(st, cfg); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return r, nil
}

// newEngine builds River on the store's dialect; a cfg without queues is an insert-only client.
func newEngine(st *store.Store, cfg *river.Config) (engine, error) {
	if st.Dialect() == store.Postgres {
		return newRiver(riverpgxv5.New(st.Pool()), cfg, func(ctx context.Context, fn func(tx pgx.Tx, ex store.Execer) error) error {
			return pgx.BeginFunc(ctx, st.Pool(), func(tx pgx.Tx) error { return fn(tx, pgxExec{tx}) })
		})
	}
	return newRiver(riversqlite.New(st.DB()), cfg, func(ctx context.Context, fn func(tx *sql.Tx, ex store.Execer) error) error {
		return st.Tx(ctx, func(tx *store.Tx) error { return fn(tx.SQLTx(), tx.SQLTx()) })
	})
}

// tickInterval is how often the leader looks for due integrations: every minute in production,
// more often when the poll interval is short (tests, demos), so a period starts on time.
func tickInterval(poll time.Duration) time.Duration {
	return min(time.Minute, max(100*time.Millisecond, poll/10))
}

func fetchInterval(poll time.Duration) time.Duration {
	return min(time.Second, max(50*time.Millisecond, poll/20))
}

// Start starts working jobs; the tick starts on whichever node River elects leader. First it
// takes back what this node's previous incarnation left behind: its leases (it is dead, so they
// are free at once instead of after their expiry) and its cycles still marked running, closed as
// interrupted and queued again. Cancelling ctx does not stop the jobs: Stop does, gracefully.
func (r *Runner) Start(ctx context.Context) error {
	if n, err := r.st.ReleaseNodeLeases(ctx, r.opts.Node); err != nil {
		return err
	} else if n > 0 {
		r.opts.Log.Info("took back the leases of this node's previous run", "node", r.opts.Node, "leases", n)
	}
	t := time.Now()
	if err := r.recover(ctx, t, t); err != nil {
		return err
	}
	return r.engine.start(context.WithoutCancel(ctx))
}

// Stop stops taking new cycles and lets the running ones finish until ctx's deadline (the
// shutdown grace); then it cancels them, and each is closed as interrupted.
func (r *Runner) Stop(ctx context.Context) error {
	err := r.engine.stop(ctx)
	if err == nil || ctx.Err() == nil {
		return err
	}
	r.opts.Log.Warn("shutdown grace over: cancelling the cycles still running")
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	return r.engine.cancel(cctx)
}

// jobTimeout is how long one cycle job may run before River gives it up.
func (r *Runner) jobTimeout() time.Duration { return max(30*time.Minute, 3*r.opts.PollInterval) }

type riverEngine[TTx any] struct {
	client *river.Client[TTx]
	withTx func(ctx context.Context, fn func(tx TTx, ex store.Execer) error) error
}

func newRiver[TTx any](d riverdriver.Driver[TTx], cfg *river.Config, withTx func(context.Context, func(TTx, store.Execer) error) error) (*riverEngine[TTx], error) {
	c, err := river.NewClient(d, cfg)
	if err != nil {
		return nil, err
	}
	return &riverEngine[TTx]{client: c, withTx: withTx}, nil
}

func (e *riverEngine[TTx]) start(ctx context.Context) error { return e.client.Start(ctx) }
func (e *riverEngine[TTx]) stop(ctx context.Context) error  { return e.client.Stop(ctx) }
func (e *riverEngine[TTx]) cancel(ctx context.Context) error {
	return e.client.StopAndCancel(ctx)
}

func (e *riverEngine[TTx]) enqueue(ctx context.Context, jobs []river.InsertManyParams, advance func(store.Execer) error) error {
	return e.withTx(ctx, func(tx TTx, ex store.Execer) error {
		if _, err := e.client.InsertManyTx(ctx, tx, jobs); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
		return advance(ex)
	})
}

// pgxExec adapts a pgx transaction to store.Execer.
type pgxExec struct{ tx pgx.Tx }

func (p pgxExec) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	tag, err := p.tx.Exec(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(tag.RowsAffected()), nil
}

// TickArgs is the periodic job that schedules cycles.
type TickArgs struct{}

// Kind implements river.JobArgs.
func (TickArgs) Kind() string { return "tick" }

// InsertOpts: a failed tick is not retried; the next one comes within a tick interval. Ticks
// need no uniqueness: cycle jobs are unique and next_run_at moves only from the value read.
func (TickArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 1} }

// CycleArgs is one integration's cycle for one period.
type CycleArgs struct {
	IntegrationID int64     `json:"integration_id"`
	TenantID      int64     `json:"tenant_id"`
	Slot          time.Time `json:"slot"` // the period's scheduled start: with the id, what makes the job unique
	// Manual marks a "Sincronizar agora" cycle (SPEC OP1): Slot is when it was asked for.
	Manual bool `json:"manual,omitempty"`
	// Hint marks an early cycle started by a partner's webhook (SPEC WH2).
	Hint bool `json:"hint,omitempty"`
}

// Kind implements river.JobArgs.
func (CycleArgs) Kind() string { return "integration_cycle" }

// InsertOpts makes a cycle unique per integration and period.
func (CycleArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type tickWorker struct {
	river.WorkerDefaults[TickArgs]
	r *Runner
}

// Work enqueues every due integration, in batches, each batch in one transaction with the moves
// of next_run_at.
func (w *tickWorker) Work(ctx context.Context, _ *river.Job[TickArgs]) error {
	t := time.Now()
	for {
		due, err := w.r.st.AllDueIntegrations(ctx, t, 500)
		if err != nil || len(due) == 0 {
			return err
		}
		params := make([]river.InsertManyParams, len(due))
		for i, d := range due {
			params[i] = river.InsertManyParams{Args: CycleArgs{IntegrationID: int64(d.ID), TenantID: int64(d.TenantID), Slot: d.NextRunAt.UTC()}}
		}
		err = w.r.engine.enqueue(ctx, params, func(ex store.Execer) error {
			for _, d := range due {
				if _, err := w.r.st.AdvanceNextRun(ctx, ex, d.ID, d.NextRunAt, NextSlot(d.NextRunAt, w.r.opts.PollInterval, t)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("tick: %w", err)
		}
		if len(due) < 500 {
			return nil
		}
	}
}

// NextSlot is the period after slot. A scheduler that is a little late catches up period by
// period, so no period is lost; after a long stop (more than catchUp periods behind) it does not
// queue up every period it missed: the integration runs once and goes back on its grid.
func NextSlot(slot time.Time, every time.Duration, now time.Time) time.Time {
	next := slot.Add(every)
	if behind := now.Sub(next); behind > catchUp*every {
		next = slot.Add(every * (now.Sub(slot)/every + 1))
	}
	return next
}

// catchUp is how many periods late the schedule may be and still run every one of them.
const catchUp = 3

type cycleWorker struct {
	river.WorkerDefaults[CycleArgs]
	r *Runner
}

// Work runs one cycle and records it.
func (w *cycleWorker) Work(ctx context.Context, job *river.Job[CycleArgs]) error {
	a := job.Args
	log := w.r.opts.Log.With("tenant_id", a.TenantID, "integration_id", a.IntegrationID, "slot", a.Slot)
	// A job that runs only after a later slot finished (River rescued it after a crash) has
	// nothing left to do: running it would put an old slot after newer ones in the history.
	// A manual cycle is the user's request and always runs, as does a webhook's early cycle.
	if over, err := w.r.st.NewerCycleDone(ctx, store.IntegrationID(a.IntegrationID), a.Slot); err != nil {
		return err
	} else if over && !a.Manual && !a.Hint {
		log.Info("dropped a cycle overtaken by a newer finished one")
		return nil
	}
	// SPEC F3: a retried cycle must not overlap the next period's cycle of the same integration.
	// The lease is short and renewed while the cycle runs, so a dead node's integrations are
	// free again within leaseTTL.
	lease := fmt.Sprintf("%s/%s/%d", w.r.opts.Node, w.r.incarnation, job.ID)
	got, err := w.r.st.AcquireCycleLease(ctx, store.IntegrationID(a.IntegrationID), lease, time.Now().Add(leaseTTL))
	if err != nil {
		return err
	}
	if !got {
		return river.JobSnooze(min(leaseTTL, w.r.opts.PollInterval/10+time.Second))
	}
	ctx, stopBeat := w.r.heartbeat(ctx, store.IntegrationID(a.IntegrationID), lease, log)
	defer stopBeat()
	defer func() {
		if err := w.r.st.ReleaseCycleLease(context.WithoutCancel(ctx), store.IntegrationID(a.IntegrationID), lease); err != nil {
			log.Error("releasing cycle lease", "err", err)
		}
	}()
	start := time.Now()
	id, err := w.r.st.StartLeasedCycle(ctx, store.TenantID(a.TenantID), store.IntegrationID(a.IntegrationID), a.Slot, w.r.opts.Node, lease)
	if err != nil {
		w.r.runs.WithLabelValues("error").Inc()
		return err
	}
	c := store.Cycle{ID: id, TenantID: store.TenantID(a.TenantID), IntegrationID: store.IntegrationID(a.IntegrationID),
		Slot: a.Slot, Node: w.r.opts.Node, StartedAt: start, Status: "running"}
	var cerr error
	if w.r.opts.Cycler != nil {
		cerr = w.r.opts.Cycler.RunCycle(ctx, c)
	}
	w.r.seconds.Observe(time.Since(start).Seconds())
	status, result, text := "done", "ok", ""
	snooze := partner.RetryAfterOf(cerr)
	switch {
	case cerr == nil:
	case ctx.Err() != nil:
		// Our own stop (shutdown grace over, or the lease lost), not the partner's failure.
		status, result, text = "interrupted", "interrupted", "interrompida: o Ponte parou durante o ciclo; os registros pendentes voltam no próximo ciclo"
	case snooze > 0:
		status, result, text = "snoozed", "snoozed", cerr.Error()
	default:
		status, result, text = "failed", "error", cerr.Error()
	}
	if err := w.r.st.FinishCycle(context.WithoutCancel(ctx), c.TenantID, id, status, text); err != nil {
		log.Error("recording cycle end", "err", err)
	}
	w.r.runs.WithLabelValues(result).Inc()
	if cerr != nil {
		log.Warn("cycle did not finish", "status", status, "err", cerr)
	}
	// A failure that River will not retry again is the tenant's to know about; throttles only
	// snooze, and snoozes do not count as attempts.
	if cerr != nil && snooze == 0 && job.Attempt >= job.MaxAttempts && w.r.opts.Alert != nil {
		if err := w.r.opts.Alert.RetriesExhausted(context.WithoutCancel(ctx), c, job.Attempt, text); err != nil {
			log.Error("alerting the tenant", "err", err)
		}
	}
	if snooze > 0 {
		return river.JobSnooze(snooze)
	}
	return cerr
}

// leaseTTL is how long a cycle's lease lasts without renewal: how long a dead node's
// integration waits before another node takes it over. heartbeatEvery renews it.
const (
	leaseTTL       = time.Minute
	heartbeatEvery = 15 * time.Second
)

// heartbeat renews the cycle's lease every heartbeatEvery until stop is called. When the lease
// is lost (this node was too slow to renew, and another took the integration), the returned
// context is cancelled so two cycles of one integration never go on together (SPEC F3).
func (r *Runner) heartbeat(ctx context.Context, id store.IntegrationID, owner string, log *slog.Logger) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				ok, err := r.st.RenewCycleLease(context.WithoutCancel(ctx), id, owner, time.Now().Add(leaseTTL))
				if err != nil {
					log.Warn("renewing the cycle lease", "err", err) // tried again at the next beat
					continue
				}
				if !ok {
					log.Error("cycle lease lost to another node; stopping this cycle")
					cancel()
					return
				}
			}
		}
	}()
	return ctx, func() { close(done); cancel() }
}

// warnOnly passes on River's warnings and errors; its info lines are routine chatter.
type warnOnly struct{ slog.Handler }

func (w warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.Handler.Enabled(ctx, l)
}

func (w warnOnly) WithAttrs(as []slog.Attr) slog.Handler { return warnOnly{w.Handler.WithAttrs(as)} }

func (w warnOnly) WithGroup(g string) slog.Handler { return warnOnly{w.Handler.WithGroup(g)} }
