package flow_test

import (
	"context"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/store"
)

func blingCalls(env *flowtest.Env) int64 {
	var n int64
	for _, c := range env.Bling.Counter().Snapshot() {
		n += c
	}
	return n
}

// Issue 22 item 5: Bling's daily quota pauses the integration's Bling flows until the quota
// resets — the cycle ends cleanly, later cycles make no call to Bling, and once the pause is
// over the records left behind are sent.
func TestBlingDailyQuotaPausesUntilReset(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		env := flowtest.New(t, d, customersOnly(flowtest.Options{ERP: store.Bling}))
		ctx := context.Background()
		c := seedAuvo(t, env, auvo.Customer{Description: "Oficina Dois Irmãos", CPFCNPJ: cnpj()})
		env.Bling.SetDailyLimit(1) // the account has used up its day
		if err := env.Cycle(); err != nil {
			t.Fatalf("the cycle that meets the quota: %v, want a clean end (paused)", err)
		}
		p, err := env.Store.PartnerPauseOf(ctx, env.In.TenantID, env.In.ID, env.Clock.Now())
		if err != nil || p.Partner != "bling" || p.Until.Sub(env.Clock.Now()) < time.Minute || p.Until.Sub(env.Clock.Now()) > 25*time.Hour {
			t.Fatalf("pause = %+v, %v; want one until the next midnight in Brasília", p, err)
		}
		before := blingCalls(env)
		for range 3 {
			env.Clock.Advance(10 * time.Minute)
			if err := env.Cycle(); err != nil {
				t.Fatal(err)
			}
		}
		if n := blingCalls(env) - before; n != 0 {
			t.Fatalf("%d calls to Bling while paused, want 0", n)
		}
		env.Bling.SetDailyLimit(-1)
		env.Clock.Advance(p.Until.Sub(env.Clock.Now()) + time.Second)
		if err := env.Cycle(); err != nil {
			t.Fatal(err)
		}
		var external string
		for _, r := range env.Auvo.Customers(env.AuvoKey) {
			if r.Value.ID == c.ID {
				external = r.Value.ExternalID
			}
		}
		if external == "" || len(env.Bling.Contacts(env.BlingAccount)) != 1 {
			t.Fatalf("after the pause: external code %q, %d contacts; want the customer sent once", external,
				len(env.Bling.Contacts(env.BlingAccount)))
		}
	})
}
