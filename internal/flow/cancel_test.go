package flow_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/store"
)

// TestOwnStopIsNotAPartnerFailure (issue 21): when Ponte itself stops a cycle (the shutdown
// grace ran out, or the lease was lost), the flow in progress is closed as interrupted, no
// record gets a "partner failure" outcome, no further flow starts, and the next cycle syncs what
// was left.
func TestOwnStopIsNotAPartnerFailure(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var once sync.Once
		env := flowtest.New(t, d, flowtest.Options{Wrap: func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				// The first write to Omie finds Ponte stopping: the cycle's context ends while
				// the call is under way.
				if strings.HasPrefix(r.URL.Path, "/omie/") && strings.Contains(r.URL.Path, "clientes") {
					once.Do(cancel)
				}
				h.ServeHTTP(w, r)
			})
		}})
		c := seedAuvo(t, env, auvo.Customer{Description: "Cliente Parado", CPFCNPJ: cnpj()})
		bg := context.Background()
		id, err := env.Store.StartCycle(bg, env.In.TenantID, env.In.ID, env.Clock.Now(), "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := env.Engine.RunCycle(ctx, store.Cycle{ID: id, TenantID: env.In.TenantID, IntegrationID: env.In.ID,
			Slot: env.Clock.Now(), Node: "test"}); err == nil {
			t.Fatal("a stopped cycle reported success")
		}
		runs, err := env.Store.Runs(bg, env.In.TenantID, env.In.ID, "", 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		interrupted := 0
		for _, r := range runs {
			switch r.Status {
			case "interrupted":
				interrupted++
			case "failed", "running":
				t.Errorf("run of %s is %q (%s) after Ponte's own stop", r.Flow, r.Status, r.Error)
			}
		}
		if interrupted != 1 {
			t.Errorf("%d runs interrupted, want the one in progress; runs: %+v", interrupted, runs)
		}
		for _, o := range env.Outcomes(store.OutcomeFilter{}) {
			if o.Action == store.ActionFailed {
				t.Errorf("record %s got a failure outcome (%s) for Ponte's own stop", o.Name, o.Reason)
			}
		}
		env.Clock.Advance(flowtest.Period)
		env.MustCycle()
		if _, ok := env.Link(c.ID); !ok {
			t.Fatal("the next cycle did not sync the record the stop interrupted")
		}
	})
}
