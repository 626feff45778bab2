package bench

import (
	"context"
	"sync"
	"time"
)

// tracker watches changes made in Auvo arrive in Omie, by polling the Omie sandbox, and keeps
// how long each took.
type tracker struct {
	w       *World
	tenants []Tenant

	mu      sync.Mutex
	pending map[int]map[string]change // tenant index → document → the change in flight
	delays  []float64                 // ms
}

type change struct {
	name string
	at   time.Time // zero until start
}

func newTracker(w *World, tenants []Tenant) *tracker {
	return &tracker{w: w, tenants: tenants, pending: map[int]map[string]change{}}
}

// expect notes that tenant i's customer with document doc was renamed to name, at `at` (zero:
// when start is called). A newer change of the same customer replaces an older one.
func (tr *tracker) expect(i int, doc, name string, at ...time.Time) {
	c := change{name: name}
	if len(at) > 0 {
		c.at = at[0]
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.pending[i] == nil {
		tr.pending[i] = map[string]change{}
	}
	tr.pending[i][doc] = c
}

// start stamps every unstamped change with t.
func (tr *tracker) start(t time.Time) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for _, m := range tr.pending {
		for doc, c := range m {
			if c.at.IsZero() {
				c.at = t
				m[doc] = c
			}
		}
	}
}

// watch polls every `every` until the returned stop is called; stop polls once more.
func (tr *tracker) watch(ctx context.Context, every time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				tr.poll()
			}
		}
	}()
	return func() {
		cancel()
		<-done
		tr.poll()
	}
}

// poll checks every tenant with changes in flight.
func (tr *tracker) poll() {
	tr.mu.Lock()
	var todo []int
	for i, m := range tr.pending {
		if len(m) > 0 {
			todo = append(todo, i)
		}
	}
	tr.mu.Unlock()
	for _, i := range todo {
		names := tr.w.omieNames(tr.tenants[i])
		now := time.Now()
		tr.mu.Lock()
		for doc, c := range tr.pending[i] {
			if names[doc] == c.name && !c.at.IsZero() {
				tr.delays = append(tr.delays, ms(now.Sub(c.at)))
				delete(tr.pending[i], doc)
			}
		}
		tr.mu.Unlock()
	}
}

// lost counts the changes that have not arrived.
func (tr *tracker) lost() int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	n := 0
	for _, m := range tr.pending {
		n += len(m)
	}
	return n
}

// duplicates counts the Omie customers beyond the first with one document, over every tenant:
// Ponte never creates a second one for a customer it already synced.
func duplicates(w *World, tenants []Tenant) int {
	n := 0
	for _, t := range tenants {
		for _, ids := range w.omieCustomerIDs(t) {
			n += len(ids) - 1
		}
	}
	return n
}
