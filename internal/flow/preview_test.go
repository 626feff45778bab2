package flow_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/store"
)

// demoEnv is an integration over the sandboxes' demo data, configured as `ponte demo`
// configures it: every flow on, tasks (finished) and quotations (the first stage) sent.
func demoEnv(t *testing.T, d store.Dialect) *flowtest.Env {
	t.Helper()
	env := flowtest.New(t, d, flowtest.Options{Demo: true})
	cfg := env.OmieChoices()
	cfg.TaskStatus = "3"
	if st := auvosandbox.Stages(); len(st) > 0 {
		cfg.QuoteStatus = st[0].Description
	}
	env.Configure(cfg)
	return env
}

// snapshot is everything a preview must leave as it was: cursors, links, outcomes, runs.
type snapshot struct {
	cursors  map[store.Flow]string
	links    int
	outcomes int
	runs     int
}

func take(t *testing.T, env *flowtest.Env) snapshot {
	t.Helper()
	ctx := context.Background()
	s := snapshot{cursors: map[store.Flow]string{}}
	flows, err := env.Store.Flows(ctx, env.In.TenantID, env.In.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range flows {
		s.cursors[f.Flow] = f.Cursor
	}
	for _, e := range []store.Entity{store.EntityCustomer, store.EntityProduct, store.EntityService, store.EntityTaskOS, store.EntityTaskOrder, store.EntityQuote, store.EntityQuoteOrder, store.EntityQuoteOS} {
		ls, err := env.Store.Links(ctx, env.In.TenantID, env.In.ID, e)
		if err != nil {
			t.Fatal(err)
		}
		s.links += len(ls)
	}
	s.outcomes = len(env.Outcomes(store.OutcomeFilter{}))
	runs, err := env.Store.Runs(ctx, env.In.TenantID, env.In.ID, "", 100000, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.runs = len(runs)
	return s
}

func (s snapshot) equal(o snapshot) bool {
	if s.links != o.links || s.outcomes != o.outcomes || s.runs != o.runs || len(s.cursors) != len(o.cursors) {
		return false
	}
	for f, c := range s.cursors {
		if o.cursors[f] != c {
			return false
		}
	}
	return true
}

func preview(t *testing.T, env *flowtest.Env) store.PreviewResult {
	t.Helper()
	res, err := env.Engine.Preview(context.Background(), env.In.TenantID, env.In.ID, nil)
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	for _, f := range res.Flows {
		if f.Error != "" {
			t.Fatalf("preview of %s: %s", f.Flow, f.Error)
		}
	}
	return res
}

// TestPreviewOP7WritesNothing: a preview over the demo data sends no write to any sandbox
// (counted by the sandboxes on the HTTP calls they answer) and leaves every cursor, link,
// outcome and run as it was, both before the first cycle and after one, when records changed.
func TestPreviewOP7WritesNothing(t *testing.T) {
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		env := demoEnv(t, d)
		check := func(when string) store.PreviewResult {
			before := take(t, env)
			env.ResetStats()
			res := preview(t, env)
			stats := env.Stats()
			if w := flowtest.Writes(stats); len(w) > 0 {
				t.Fatalf("%s: the preview wrote to the partners: %v", when, w)
			}
			if len(stats["auvo"]) == 0 || len(stats["omie"]) == 0 {
				t.Fatalf("%s: the preview read nothing: %v", when, stats)
			}
			if after := take(t, env); !before.equal(after) {
				t.Fatalf("%s: the preview changed the store: before %+v, after %+v", when, before, after)
			}
			return res
		}
		res := check("before the first cycle")
		if n := total(res, func(c store.Counts) int { return c.Created + c.Linked }); n == 0 {
			t.Fatalf("the preview of the demo data would create or link nothing: %+v", res.Flows)
		}
		env.MustCycle()
		a := firstAuvoCustomer(t, env)
		if _, err := env.Auvo.EditCustomer(env.AuvoKey, a.ID, func(c *auvo.Customer) { c.PhoneNumber = []string{"(11) 98765-4321"} }); err != nil {
			t.Fatal(err)
		}
		res = check("after a cycle and an edit in Auvo")
		if n := total(res, func(c store.Counts) int { return c.Updated }); n == 0 {
			t.Fatalf("the preview after an edit would update nothing: %+v", res.Flows)
		}
	})
}

// TestPreviewOP7CountsMatchFirstCycle: what the preview says per flow is what the first real
// cycle then does, record counts and actions per record alike, and again for the next cycle
// after a change on each side.
func TestPreviewOP7CountsMatchFirstCycle(t *testing.T) {
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		env := demoEnv(t, d)
		compare := func(when string) {
			res := preview(t, env)
			runsBefore := runCount(t, env)
			outBefore := len(env.Outcomes(store.OutcomeFilter{}))
			env.MustCycle()
			runs := lastRuns(t, env, runsBefore)
			for _, f := range res.Flows {
				got, ok := runs[f.Flow]
				if !ok {
					t.Fatalf("%s: the cycle ran no %s", when, f.Flow)
				}
				if got != f.Counts {
					t.Errorf("%s: %s: preview %+v, cycle %+v", when, f.Flow, f.Counts, got)
				}
			}
			if len(runs) != len(res.Flows) {
				t.Errorf("%s: the cycle ran %d flows, the preview %d", when, len(runs), len(res.Flows))
			}
			// Every outcome the cycle recorded is in the preview with the same action and reason.
			want := map[string]int{}
			for _, o := range res.Records {
				want[recordKey(o)]++
			}
			all := env.Outcomes(store.OutcomeFilter{})
			for _, o := range all[:len(all)-outBefore] {
				if want[recordKey(o)] == 0 {
					t.Errorf("%s: the cycle recorded %q, which the preview did not foresee", when, recordKey(o))
				}
				want[recordKey(o)]--
			}
		}
		compare("first cycle")
		a := firstAuvoCustomer(t, env)
		if _, err := env.Auvo.EditCustomer(env.AuvoKey, a.ID, func(c *auvo.Customer) { c.PhoneNumber = []string{"(11) 98765-4321"} }); err != nil {
			t.Fatal(err)
		}
		if _, err := env.Auvo.SeedCustomer(env.AuvoKey, auvo.Customer{Description: "Padaria Pão Quente", CPFCNPJ: "11.222.333/0001-81",
			Address: "Rua das Flores, 100, Centro, Curitiba, PR, 80010-000", Active: true}); err != nil {
			t.Fatal(err)
		}
		compare("second cycle")
	})
}

func recordKey(o store.Outcome) string {
	return strings.Join([]string{string(o.Flow), string(o.Action), o.Reason, o.Name}, " | ")
}

func total(res store.PreviewResult, n func(store.Counts) int) int {
	s := 0
	for _, f := range res.Flows {
		s += n(f.Counts)
	}
	return s
}

func runCount(t *testing.T, env *flowtest.Env) int {
	t.Helper()
	runs, err := env.Store.Runs(context.Background(), env.In.TenantID, env.In.ID, "", 100000, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(runs)
}

// lastRuns returns the counts of the runs recorded after the first n, by flow.
func lastRuns(t *testing.T, env *flowtest.Env, n int) map[store.Flow]store.Counts {
	t.Helper()
	runs, err := env.Store.Runs(context.Background(), env.In.TenantID, env.In.ID, "", 100000, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[store.Flow]store.Counts{}
	for _, r := range runs[:len(runs)-n] {
		out[r.Flow] = r.Counts
	}
	return out
}

// firstAuvoCustomer is a linked, active Auvo customer of the demo data.
func firstAuvoCustomer(t *testing.T, env *flowtest.Env) auvo.Customer {
	t.Helper()
	for _, r := range env.Auvo.Customers(env.AuvoKey) {
		if l, ok := env.Link(r.Value.ID); ok && l.State == store.LinkActive && r.Value.Active {
			return r.Value
		}
	}
	t.Fatal("no linked Auvo customer")
	return auvo.Customer{}
}
