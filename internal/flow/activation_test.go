package flow_test

import (
	"context"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// TestNoCycleBeforeInternalActivation proves A1/A2: an integration that is a draft, awaits the
// internal activation, is paused or stopped with an error is never scheduled, and a cycle that
// reaches it anyway (a job enqueued before the state changed) calls no partner and writes
// nothing; in particular nothing comes from the ERP into Auvo. Once the operator approves, the
// same data flows.
func TestNoCycleBeforeInternalActivation(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		env := flowtest.New(t, d, flowtest.Options{})
		ctx := context.Background()
		fromOmie := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Vem do Omie Ltda", CnpjCpf: cnpj()})
		seedAuvo(t, env, auvo.Customer{Description: "Vai para o Omie", CPFCNPJ: cnpj()})
		for _, st := range []store.State{store.StateDraft, store.StatePending, store.StatePaused, store.StateError} {
			if err := env.Store.SetIntegrationState(ctx, env.In.TenantID, env.In.ID, st, ""); err != nil {
				t.Fatal(err)
			}
			due, err := env.Store.AllDueIntegrations(ctx, env.Clock.Now().AddDate(1, 0, 0), 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, du := range due {
				if du.ID == env.In.ID {
					t.Errorf("%s: the integration is scheduled", st)
				}
			}
			env.ResetStats()
			env.MustCycle()
			for p, calls := range env.Stats() {
				if len(calls) > 0 {
					t.Errorf("%s: a cycle called %s: %v", st, p, calls)
				}
			}
			if got := env.Outcomes(store.OutcomeFilter{}); len(got) != 0 {
				t.Errorf("%s: a cycle recorded outcomes: %+v", st, got)
			}
		}
		for _, c := range env.Auvo.Customers(env.AuvoKey) {
			if c.Value.Description == fromOmie.RazaoSocial {
				t.Fatal("A2: an Omie customer reached Auvo before the internal activation")
			}
		}

		// The operator's internal activation: the next cycle brings the Omie customer.
		if err := env.Store.SetIntegrationState(ctx, env.In.TenantID, env.In.ID, store.StateActive, ""); err != nil {
			t.Fatal(err)
		}
		env.MustCycle()
		found := false
		for _, c := range env.Auvo.Customers(env.AuvoKey) {
			found = found || c.Value.Description == fromOmie.RazaoSocial
		}
		if !found {
			t.Fatal("after the activation the Omie customer did not reach Auvo")
		}
	})
}
