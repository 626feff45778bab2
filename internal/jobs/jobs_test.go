package jobs

import (
	"testing"
	"time"
)

// F2: the schedule keeps its grid; a late tick catches up period by period, a long outage
// skips to the next period on the grid instead of queueing every missed one.
func TestNextSlot(t *testing.T) {
	base := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	p := 10 * time.Minute
	for _, tc := range []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"on time", base.Add(time.Second), base.Add(p)},
		{"one period late: catch up, do not skip", base.Add(p + time.Minute), base.Add(p)},
		{"three periods late: still catch up", base.Add(3*p + time.Minute), base.Add(p)},
		{"down for a day: back on the grid after now", base.Add(24*time.Hour + time.Minute), base.Add(24*time.Hour + p)},
	} {
		if got := NextSlot(base, p, tc.now); !got.Equal(tc.want) {
			t.Errorf("%s: NextSlot = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestTickAndFetchIntervals(t *testing.T) {
	if got := tickInterval(10 * time.Minute); got != time.Minute {
		t.Errorf("production tick = %v, want 1m", got)
	}
	if got := tickInterval(2 * time.Second); got >= 2*time.Second {
		t.Errorf("tick %v not shorter than a 2s period", got)
	}
}
