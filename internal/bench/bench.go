// Package bench measures Ponte where it matters: partner API calls and rate limits, cycle
// times and propagation delays, with Ponte's real sync engine against the partner sandboxes
// over real HTTP. `ponte-bench` is its command line; docs/benchmarks.md has the scenarios, the
// commands and the figures.
//
// Two drivers run the engine. The idle and changes scenarios run cycles back to back on a
// clock that jumps one period between cycles (so Omie's 60-second rules and Auvo's token and
// rate windows see production's spacing) and count every call per cycle. The scale and nodes
// scenarios run whole Ponte nodes (app.App with River) on the real clock, on SQLite or on one
// PostgreSQL database, and check the schedule: every integration once per period, on time.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// Config is one benchmark run.
type Config struct {
	Scenario    string        `json:"scenario"` // idle, changes, scale, nodes
	Tenants     int           `json:"tenants"`
	Customers   int           `json:"customers"` // Auvo customers per tenant
	Products    int           `json:"products"`  // Omie products per tenant (product flow on when > 0)
	Cycles      int           `json:"cycles"`    // measured cycles (periods in scale/nodes)
	ChangeRate  float64       `json:"change_rate"`
	Latency     time.Duration `json:"latency_ns"`
	DB          string        `json:"db"` // sqlite or postgres
	PostgresURL string        `json:"-"`
	Nodes       int           `json:"nodes"`
	Workers     int           `json:"workers"` // cycles at once per node (PONTE_WORKERS)
	Period      time.Duration `json:"period_ns"`
	// SharedAuvo makes every tenant use one Auvo account, so all cycles of all nodes press on
	// one credential's limit (the cross-node limiter's test).
	SharedAuvo bool `json:"shared_auvo"`
	// AuvoRateLimit overrides Auvo's 400 calls a minute in the sandbox and nowhere else: a
	// lower value makes the sandbox stricter than Ponte's limiter, to prove the meter counts.
	AuvoRateLimit int `json:"auvo_rate_limit,omitempty"`
	// OmieRedundantOff turns off Omie's no-repeat rule in the sandbox accounts. Only for periods
	// under a minute: there a cycle run by another node repeats the previous cycle's identical
	// listing within Omie's 60 s, which 10-minute periods never do.
	OmieRedundantOff bool `json:"omie_redundant_off,omitempty"`
}

// Defaults fills what c leaves empty with the scenario's defaults.
func (c Config) Defaults() Config {
	if c.Scenario == "" {
		c.Scenario = "changes"
	}
	if c.Tenants == 0 {
		c.Tenants = 1
	}
	if c.Cycles == 0 {
		c.Cycles = 3
	}
	if c.DB == "" {
		c.DB = "sqlite"
	}
	if c.Nodes == 0 {
		c.Nodes = 1
	}
	if c.Workers == 0 {
		c.Workers = 20
	}
	if c.Period == 0 {
		c.Period = 10 * time.Minute
	}
	if c.PostgresURL == "" {
		c.PostgresURL = os.Getenv("PONTE_TEST_POSTGRES_URL")
	}
	return c
}

func (c Config) validate() error {
	var errs []error
	switch c.Scenario {
	case "idle", "changes", "scale", "nodes":
	default:
		errs = append(errs, fmt.Errorf("-scenario must be idle, changes, scale or nodes, not %q", c.Scenario))
	}
	if c.Tenants < 1 || c.Customers < 0 || c.Products < 0 || c.Cycles < 1 || c.Workers < 1 || c.Nodes < 1 {
		errs = append(errs, errors.New("-tenants, -cycles, -workers and -nodes must be at least 1; -customers and -products not negative"))
	}
	if c.ChangeRate < 0 || c.ChangeRate > 1 {
		errs = append(errs, errors.New("-change-rate must be between 0 and 1"))
	}
	if c.Nodes > 1 && c.DB != "postgres" {
		errs = append(errs, errors.New("-nodes above 1 needs -db postgres: SQLite serves one node"))
	}
	if c.Period < time.Second {
		errs = append(errs, errors.New("-period must be at least 1s"))
	}
	return errors.Join(errs...)
}

// Run runs the benchmark c describes.
func Run(ctx context.Context, c Config) (Summary, error) {
	c = c.Defaults()
	if err := c.validate(); err != nil {
		return Summary{}, err
	}
	start := time.Now()
	var (
		s   Summary
		err error
	)
	switch c.Scenario {
	case "idle", "changes":
		if c.Scenario == "idle" {
			c.ChangeRate = 0
		}
		s, err = runCycles(ctx, c)
	default:
		s, err = runNodes(ctx, c)
	}
	s.Config = c
	s.WallS = round(time.Since(start).Seconds())
	s.PeakRSSMB = peakRSSMB()
	return s, err
}

// Main is ponte-bench: it parses args, runs, and prints the summary as JSON on stdout. It
// returns the exit code: 0, 1 when the run failed, 2 for bad flags.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ponte-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c Config
	fs.StringVar(&c.Scenario, "scenario", "changes", "idle, changes, scale or nodes")
	fs.IntVar(&c.Tenants, "tenants", 1, "tenants (one integration each)")
	fs.IntVar(&c.Customers, "customers", 100, "Auvo customers per tenant")
	fs.IntVar(&c.Products, "products", 0, "Omie products per tenant (turns the product flow on)")
	fs.IntVar(&c.Cycles, "cycles", 3, "measured cycles (scale, nodes: periods)")
	fs.Float64Var(&c.ChangeRate, "change-rate", 0.1, "share of each tenant's customers changed in Auvo before each cycle")
	fs.DurationVar(&c.Latency, "latency", 0, "latency added to every partner call")
	fs.StringVar(&c.DB, "db", "sqlite", "sqlite or postgres")
	fs.StringVar(&c.PostgresURL, "postgres-url", "", "PostgreSQL URL (default $PONTE_TEST_POSTGRES_URL); the run uses a schema of its own")
	fs.IntVar(&c.Nodes, "nodes", 1, "Ponte nodes (nodes scenario; above 1 needs postgres)")
	fs.IntVar(&c.Workers, "workers", 20, "cycles at once per node (PONTE_WORKERS)")
	fs.DurationVar(&c.Period, "period", 10*time.Minute, "poll period (PONTE_POLL_INTERVAL); scale and nodes run in real time")
	fs.BoolVar(&c.SharedAuvo, "shared-auvo", false, "every tenant on one Auvo account (one credential's limit for all nodes)")
	fs.IntVar(&c.AuvoRateLimit, "auvo-rate-limit", 0, "the Auvo sandbox's calls per minute (default the published 400)")
	fs.BoolVar(&c.OmieRedundantOff, "omie-redundant-off", false, "turn off Omie's 60-second no-repeat rule in the sandbox (periods under a minute only)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := c.Defaults().validate(); err != nil {
		fmt.Fprintf(stderr, "ponte-bench: %v\n", err)
		return 2
	}
	s, err := Run(ctx, c)
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if eerr := enc.Encode(s); eerr != nil {
		fmt.Fprintf(stderr, "ponte-bench: %v\n", eerr)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "ponte-bench: %v\n", err)
		return 1
	}
	return 0
}
