package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/bench"
	"github.com/pontehub/ponte/internal/store/storetest"
)

func run(t *testing.T, c bench.Config) bench.Summary {
	t.Helper()
	s, err := bench.Run(context.Background(), c)
	if err != nil {
		t.Fatalf("run: %v (summary %+v)", err, s)
	}
	return s
}

// F2 and the idle acceptance: a cycle without changes lists each enabled flow's source
// once, writes nothing and gets no throttle answer.
func TestIdleCycleListsOncePerFlowAndSide(t *testing.T) {
	t.Parallel()
	s := run(t, bench.Config{Scenario: "idle", Tenants: 3, Customers: 12, Cycles: 2, Workers: 3})
	if s.Setup == nil || s.Setup.Calls["omie"]["IncluirCliente"] != 36 {
		t.Fatalf("setup did not create the 36 customers in Omie: %+v", s.Setup)
	}
	for _, c := range s.Cycles {
		if c.Writes != 0 {
			t.Errorf("cycle %d: %d writes in an idle cycle: %v", c.Index, c.Writes, c.Calls)
		}
		if c.MaxListsPerFlowSide > 1 {
			t.Errorf("cycle %d: a listing called %v times per integration: %v", c.Index, c.MaxListsPerFlowSide, c.Calls)
		}
		if c.Calls["auvo"]["GET /customers"] != 3 || c.Calls["omie"]["ListarClientes"] != 3 {
			t.Errorf("cycle %d: want one listing per side and integration: %v", c.Index, c.Calls)
		}
	}
	if s.Throttles["auvo"]+s.Throttles["omie"] != 0 || s.CycleErrors != 0 {
		t.Errorf("throttles %v, cycle errors %d (%s)", s.Throttles, s.CycleErrors, s.FirstError)
	}
}

// The changes acceptance at CI size: every change reaches Omie with one write, no duplicate,
// no throttle answer, and the cycle's calls stay within 10 % of the minimum.
func TestChangedCustomersCost(t *testing.T) {
	t.Parallel()
	const customers, rate = 30, 0.5
	s := run(t, bench.Config{Scenario: "changes", Tenants: 1, Customers: customers, Cycles: 1, ChangeRate: rate})
	c := s.Cycles[0]
	if c.Changed != customers*rate || c.Writes != int64(c.Changed) {
		t.Errorf("%d changes, %d writes (%v): want one write per change", c.Changed, c.Writes, c.Calls)
	}
	if s.Lost != 0 || s.Duplicates != 0 || s.PropagationMS.N != c.Changed {
		t.Errorf("lost %d, duplicates %d, propagated %d of %d", s.Lost, s.Duplicates, s.PropagationMS.N, c.Changed)
	}
	if s.Throttles["auvo"]+s.Throttles["omie"] != 0 {
		t.Errorf("throttle answers: %v", s.Throttles)
	}
	if want := bench.MinimumCalls(c.Changed, auvo.PageSize, 200); c.MinCalls != want {
		t.Errorf("min calls %d, want %d", c.MinCalls, want)
	}
	// The acceptance: within 10 % of the fewest calls that can carry the changes.
	if c.OverMinimum > 0.10 {
		t.Errorf("%d calls for %d changes, minimum %d (%.0f %% over): %v", c.Writes+c.Reads, c.Changed, c.MinCalls, 100*c.OverMinimum, c.Calls)
	}
	t.Logf("%d changes: %d calls, minimum %d, calls per change %.2f", c.Changed, c.TotalCalls, c.MinCalls, c.CallsPerChange)
}

// The meter itself: with the Auvo sandbox stricter than Ponte's limiter, the throttle answers
// are seen and counted, so a 0 elsewhere means none happened.
func TestThrottleAnswersAreCounted(t *testing.T) {
	t.Parallel()
	s, _ := bench.Run(context.Background(), bench.Config{Scenario: "idle", Tenants: 8, Customers: 0, Cycles: 1,
		SharedAuvo: true, AuvoRateLimit: 4, Workers: 8})
	if s.Throttles["auvo"] == 0 {
		t.Fatalf("no Auvo throttle answer counted with a sandbox limit of 4 a minute: %+v", s)
	}
}

// Rate limiting end to end across nodes: three nodes on one PostgreSQL database run forty
// integrations that share one Auvo account, far more calls than Auvo's 400 a minute allow, with
// the sandbox enforcing that real limit. The limiter shared in the database keeps all three
// under it: no throttle answer, the calls stay within the limit, and no integration runs twice
// in a period (SPEC F3).
func TestThreeNodesKeepOneAuvoLimit(t *testing.T) {
	t.Parallel()
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skip(storetest.PostgresEnv + " not set")
	}
	const periods, period = 15, 2 * time.Second
	start := time.Now()
	s := run(t, bench.Config{Scenario: "scale", DB: "postgres", Nodes: 3, Workers: 10, Tenants: 40, Customers: 0,
		Cycles: periods, Period: period, SharedAuvo: true, OmieRedundantOff: true})
	elapsed := time.Since(start)
	auvoCalls := s.Setup.Calls["auvo"]
	calls := int64(0)
	for _, n := range auvoCalls {
		calls += n
	}
	for _, n := range s.Measured.Calls["auvo"] {
		calls += n
	}
	// Forty integrations every two seconds want 1,200 listings a minute: three times the limit.
	allowed := float64(auvo.RateLimitPerMinute) * (elapsed.Minutes() + 1.0/20)
	if float64(calls) > allowed {
		t.Errorf("%d Auvo calls in %v: more than the %0.f the limit allows", calls, elapsed.Round(time.Second), allowed)
	}
	if float64(calls) < 0.5*allowed {
		t.Errorf("only %d Auvo calls in %v: the limit was not under pressure", calls, elapsed.Round(time.Second))
	}
	if s.Throttles["auvo"] != 0 {
		t.Errorf("%d Auvo throttle answers across three nodes", s.Throttles["auvo"])
	}
	if s.Schedule.Twice != 0 || len(s.Schedule.Nodes) < 2 {
		t.Errorf("schedule: %+v", s.Schedule)
	}
	t.Logf("%d Auvo calls in %v over %d nodes, throttles %v", calls, elapsed.Round(time.Second), len(s.Schedule.Nodes), s.Throttles)
}

// ponte-bench prints the summary as JSON and refuses bad flags with exit code 2.
func TestCommandLine(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := bench.Main(context.Background(), []string{"-scenario", "idle", "-customers", "3", "-cycles", "1"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var s bench.Summary
	if err := json.Unmarshal(out.Bytes(), &s); err != nil || len(s.Cycles) != 1 || s.PeakRSSMB <= 0 {
		t.Fatalf("summary %s: %v", out.String(), err)
	}
	errOut.Reset()
	if code := bench.Main(context.Background(), []string{"-scenario", "fast", "-nodes", "3"}, &out, &errOut); code != 2 ||
		!strings.Contains(errOut.String(), "-scenario") || !strings.Contains(errOut.String(), "postgres") {
		t.Fatalf("bad flags: exit %d, %q", code, errOut.String())
	}
}

// MinimumCalls is the floor: writes plus the listing pages on both sides.
func TestMinimumCalls(t *testing.T) {
	for _, tc := range []struct {
		changed int
		want    int64
	}{
		{0, 2},           // idle: one listing per side
		{1, 3},           // one write, one page each side
		{100, 102},       // exactly one Auvo page
		{101, 104},       // two Auvo pages
		{1000, 1015},     // 10 Auvo pages of 100, 5 Omie pages of 200
		{10000, 10150},   // 100 + 50 pages
		{250, 250 + 5},   // 3 + 2
		{200, 200 + 3},   // 2 + 1
		{201, 201 + 5},   // 3 + 2
		{99, 99 + 1 + 1}, // one page each
	} {
		if got := bench.MinimumCalls(tc.changed, 100, 200); got != tc.want {
			t.Errorf("MinimumCalls(%d) = %d, want %d", tc.changed, got, tc.want)
		}
	}
}
