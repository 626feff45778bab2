package bench

import (
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Summary is what a benchmark run prints, as JSON.
type Summary struct {
	Config Config `json:"config"`
	// Setup is the initial sync of every seeded record (not part of the measured cycles).
	Setup *Phase `json:"setup,omitempty"`
	// Measured is the measured periods of the scale and nodes scenarios, all nodes together.
	Measured *Phase `json:"measured,omitempty"`
	// Cycles are the measured cycles, one entry per cycle of every integration together.
	Cycles []CycleReport `json:"cycles,omitempty"`
	// CycleDurationMS is the duration of one integration's cycle, over the measured cycles.
	CycleDurationMS Percentiles `json:"cycle_duration_ms"`
	// PropagationMS is the time from a change in Auvo to its arrival in Omie; PropagationFrom
	// says where the clock starts ("change", or "cycle start" when cycles are run back to back
	// on a compressed clock, where the wait for the next period is not real time).
	PropagationMS   Percentiles `json:"propagation_ms"`
	PropagationFrom string      `json:"propagation_from"`
	// Lost counts changes that never reached the other side, Duplicates ERP customers that share
	// a document; both must be 0.
	Lost       int `json:"lost"`
	Duplicates int `json:"duplicates"`
	// CycleErrors counts cycles that ended with an error (a partner failure, a throttle);
	// FirstError is the first one's text.
	CycleErrors int    `json:"cycle_errors"`
	FirstError  string `json:"first_error,omitempty"`
	// Throttles are the throttle answers each partner gave during the whole run: 0 when
	// Ponte's limiters, gates and read cache work.
	Throttles map[string]int64 `json:"throttles"`
	// Schedule is filled by the scheduled scenarios (scale, nodes).
	Schedule *Schedule `json:"schedule,omitempty"`
	// Scaling is filled by the nodes scenario: the same work on one node and on Config.Nodes.
	Scaling   *Scaling `json:"scaling,omitempty"`
	PeakRSSMB float64  `json:"peak_rss_mb"`
	WallS     float64  `json:"wall_s"`
	Notes     []string `json:"notes,omitempty"`
}

// Phase is a stretch of work over every integration: how many records moved and how fast.
type Phase struct {
	Records          int                         `json:"records"`
	Seconds          float64                     `json:"seconds"`
	RecordsPerSecond float64                     `json:"records_per_second"`
	Calls            map[string]map[string]int64 `json:"calls"`
	TotalCalls       int64                       `json:"total_calls"`
}

// CycleReport is one measured cycle of every integration.
type CycleReport struct {
	Index   int `json:"index"`
	Changed int `json:"changed"` // records changed before the cycle, over all integrations
	Phase
	Writes int64 `json:"writes"`
	Reads  int64 `json:"reads"`
	Logins int64 `json:"logins"`
	// MinCalls is the fewest calls that can carry the changes (see MinimumCalls), and
	// OverMinimum how far above it the cycle went (0.05 = 5 % more).
	MinCalls    int64   `json:"min_calls"`
	OverMinimum float64 `json:"over_minimum"`
	// CallsPerChange is (reads + writes) per changed record; 0 in an idle cycle.
	CallsPerChange float64 `json:"calls_per_change"`
	// MaxListsPerFlowSide is the most list calls one integration made of one method: 1 in an
	// idle cycle when the listings fit one page.
	MaxListsPerFlowSide float64 `json:"max_lists_per_flow_side"`
}

// Schedule says whether every integration ran on time, once per period.
type Schedule struct {
	PeriodS float64 `json:"period_s"`
	Cycles  int     `json:"cycles"`
	// StartDelayS is how long after its slot each cycle started; Late counts those that
	// started after their period had ended (SPEC F2 says none may).
	StartDelayS Percentiles `json:"start_delay_s"`
	Late        int         `json:"late"`
	// Twice counts (integration, slot) pairs finished more than once: must be 0 (SPEC F3).
	Twice int `json:"twice"`
	// Nodes is how many cycles each node ran.
	Nodes map[string]int `json:"nodes"`
}

// Scaling compares one node with several on the same work.
type Scaling struct {
	OneNodeRecordsPerSecond float64 `json:"one_node_records_per_second"`
	NodesRecordsPerSecond   float64 `json:"nodes_records_per_second"`
	Ratio                   float64 `json:"ratio"`
	OneNodeSeconds          float64 `json:"one_node_seconds"`
	NodesSeconds            float64 `json:"nodes_seconds"`
}

// Percentiles summarise a distribution.
type Percentiles struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// percentiles summarises xs (nearest-rank); xs is sorted in place.
func percentiles(xs []float64) Percentiles {
	if len(xs) == 0 {
		return Percentiles{}
	}
	slices.Sort(xs)
	at := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(xs)))) - 1
		return round(xs[max(0, min(i, len(xs)-1))])
	}
	return Percentiles{N: len(xs), P50: at(0.50), P95: at(0.95), P99: at(0.99), Max: round(xs[len(xs)-1])}
}

func round(x float64) float64 { return math.Round(x*100) / 100 }

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// MinimumCalls is the fewest API calls that can carry `changed` customer changes made in Auvo
// in one cycle with both customer flows on: one write per change, the pages of the Auvo listing
// that holds them, and, because Ponte's own writes show up in Omie's "changed since" listing,
// the pages of that listing too. An idle cycle (changed = 0) still lists each side once.
func MinimumCalls(changed, auvoPage, omiePage int) int64 {
	pages := func(n, size int) int64 { return int64(max(1, (n+size-1)/size)) }
	return int64(changed) + pages(changed, auvoPage) + pages(changed, omiePage)
}

// peakRSSMB is the process's peak resident set (VmHWM); 0 where /proc is missing.
func peakRSSMB() float64 { return procStatusMB("VmHWM:") }

// rssMB is the process's resident set now (VmRSS).
func rssMB() float64 { return procStatusMB("VmRSS:") }

func procStatusMB(field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err == nil {
				return round(kb / 1024)
			}
		}
	}
	return 0
}

// classify splits call counts into writes, reads and logins, by the partners' method names.
func classify(calls map[string]map[string]int64) (writes, reads, logins int64) {
	for _, m := range calls {
		for method, n := range m {
			switch {
			case strings.Contains(method, "/login"):
				logins += n
			case isRead(method):
				reads += n
			default:
				writes += n
			}
		}
	}
	return writes, reads, logins
}

func isRead(method string) bool {
	for _, p := range []string{"GET ", "Listar", "Consultar", "Pesquisar"} {
		if strings.HasPrefix(method, p) {
			return true
		}
	}
	return false
}

func total(calls map[string]map[string]int64) int64 {
	var n int64
	for _, m := range calls {
		for _, v := range m {
			n += v
		}
	}
	return n
}

// diff is after minus before, method by method.
func diff(after, before map[string]map[string]int64) map[string]map[string]int64 {
	out := map[string]map[string]int64{}
	for p, m := range after {
		out[p] = map[string]int64{}
		for k, v := range m {
			if d := v - before[p][k]; d != 0 {
				out[p][k] = d
			}
		}
	}
	return out
}
