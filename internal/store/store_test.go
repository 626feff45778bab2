package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/oauth"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

func TestIntegrations(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := s.CreateTenant(ctx, "Refrigeração Alfa")
		b, _ := s.CreateTenant(ctx, "Beta Climatização")
		in, err := s.CreateIntegration(ctx, a.ID, store.Omie)
		if err != nil {
			t.Fatal(err)
		}
		if in.State != store.StateDraft || in.TenantID != a.ID || !in.NextRunAt.IsZero() {
			t.Fatalf("new integration = %+v", in)
		}

		t.Run("P5 another tenant cannot see or change it", func(t *testing.T) {
			if _, err := s.IntegrationByID(ctx, b.ID, in.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("tenant B read tenant A's integration: %v", err)
			}
			if err := s.SetIntegrationState(ctx, b.ID, in.ID, store.StateActive, ""); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("tenant B changed tenant A's integration: %v", err)
			}
			if err := s.SetFlowEnabled(ctx, b.ID, in.ID, store.FlowProducts, false); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("tenant B toggled tenant A's flow: %v", err)
			}
			list, _ := s.Integrations(ctx, b.ID)
			if len(list) != 0 {
				t.Fatalf("tenant B lists %d integrations", len(list))
			}
		})

		t.Run("S11 credentials are sealed at rest and read back", func(t *testing.T) {
			cr := store.Credentials{AuvoAPIKey: "auvo-key-XYZ", AuvoAPIToken: "auvo-token-XYZ", OmieAppKey: "1234567890", OmieAppSecret: "omie-secret-XYZ"}
			cfg := store.Config{TaskStatus: "3", QuoteStatus: "Aprovado", BankAccount: 42, StockLocation: 7}
			if err := s.SaveIntegrationSetup(ctx, a.ID, in.ID, cfg, cr); err != nil {
				t.Fatal(err)
			}
			got, err := s.IntegrationByID(ctx, a.ID, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Credentials != cr || got.Config != cfg {
				t.Fatalf("read back %+v %+v", got.Credentials, got.Config)
			}
			var raw string
			if err := s.DB().QueryRowContext(ctx, `SELECT secrets FROM integrations`).Scan(&raw); err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{"auvo-key-XYZ", "auvo-token-XYZ", "omie-secret-XYZ", "1234567890"} {
				if strings.Contains(raw, secret) {
					t.Fatalf("column holds %q in clear: %s", secret, raw)
				}
			}
		})

		t.Run("F1 Omie has six flows, toggles persist", func(t *testing.T) {
			flows, err := s.Flows(ctx, a.ID, in.ID)
			if err != nil || len(flows) != 6 {
				t.Fatalf("flows = %v, %v", flows, err)
			}
			if err := s.SetFlowEnabled(ctx, a.ID, in.ID, store.FlowStock, false); err != nil {
				t.Fatal(err)
			}
			flows, _ = s.Flows(ctx, a.ID, in.ID)
			for _, f := range flows {
				if f.Enabled != (f.Flow != store.FlowStock) {
					t.Fatalf("flow %s enabled=%v", f.Flow, f.Enabled)
				}
			}
			ca, _ := s.CreateIntegration(ctx, b.ID, store.ContaAzul)
			caFlows, _ := s.Flows(ctx, b.ID, ca.ID)
			if len(caFlows) != 2 {
				t.Fatalf("Conta Azul flows = %v", caFlows)
			}
		})

		t.Run("A2 activation schedules, due list and advance", func(t *testing.T) {
			if err := s.SetIntegrationState(ctx, a.ID, in.ID, store.StateActive, ""); err != nil {
				t.Fatal(err)
			}
			due, err := s.AllDueIntegrations(ctx, time.Now().Add(time.Second), 10)
			if err != nil || len(due) != 1 || due[0].ID != in.ID {
				t.Fatalf("due = %v, %v", due, err)
			}
			next := due[0].NextRunAt.Add(10 * time.Minute)
			var ok bool
			err = s.Tx(ctx, func(tx *store.Tx) error {
				ok, err = s.AdvanceNextRun(ctx, tx.SQLTx(), in.ID, due[0].NextRunAt, next)
				return err
			})
			if err != nil || !ok {
				t.Fatalf("advance: %v %v", ok, err)
			}
			// A second advance from the old time must be refused: someone else already moved it.
			err = s.Tx(ctx, func(tx *store.Tx) error {
				ok, err = s.AdvanceNextRun(ctx, tx.SQLTx(), in.ID, due[0].NextRunAt, next.Add(time.Minute))
				return err
			})
			if err != nil || ok {
				t.Fatalf("stale advance accepted: %v %v", ok, err)
			}
			due, _ = s.AllDueIntegrations(ctx, time.Now().Add(time.Second), 10)
			if len(due) != 0 {
				t.Fatalf("still due after advance: %v", due)
			}
		})

		t.Run("V1 cycles and runs", func(t *testing.T) {
			slot := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
			cy, err := s.StartCycle(ctx, a.ID, in.ID, slot, "node-1")
			if err != nil {
				t.Fatal(err)
			}
			run, err := s.StartRun(ctx, a.ID, in.ID, cy, store.FlowCustomersToERP)
			if err != nil {
				t.Fatal(err)
			}
			want := store.Counts{Read: 10, Created: 3, Linked: 2, Updated: 1, Skipped: 3, Failed: 1}
			if err := s.FinishRun(ctx, a.ID, run, "done", want, ""); err != nil {
				t.Fatal(err)
			}
			if err := s.FinishCycle(ctx, a.ID, cy, "done", ""); err != nil {
				t.Fatal(err)
			}
			runs, err := s.Runs(ctx, a.ID, in.ID, "", 10, 0)
			if err != nil || len(runs) != 1 || runs[0].Counts != want || runs[0].CycleID != cy || runs[0].FinishedAt.IsZero() {
				t.Fatalf("runs = %+v, %v", runs, err)
			}
			if other, _ := s.Runs(ctx, b.ID, in.ID, "", 10, 0); len(other) != 0 {
				t.Fatalf("tenant B sees tenant A's runs")
			}
			cycles, err := s.AllCyclesSince(ctx, slot)
			if err != nil || len(cycles) != 1 || !cycles[0].Slot.Equal(slot) || cycles[0].Status != "done" {
				t.Fatalf("cycles = %+v, %v", cycles, err)
			}
		})

		t.Run("A4 audit log per tenant", func(t *testing.T) {
			if err := s.Audit(ctx, store.AuditEntry{TenantID: a.ID, IntegrationID: in.ID, Actor: "ana@alfa.com.br", Action: "config.saved", Detail: "Configuração salva"}); err != nil {
				t.Fatal(err)
			}
			if err := s.Audit(ctx, store.AuditEntry{Actor: "sistema", Action: "boot"}); err != nil {
				t.Fatal(err)
			}
			mine, _ := s.AuditLog(ctx, a.ID, 10)
			all, _ := s.AllAuditLog(ctx, 10)
			theirs, _ := s.AuditLog(ctx, b.ID, 10)
			if len(mine) != 1 || mine[0].IntegrationID != in.ID || len(all) != 2 || len(theirs) != 0 {
				t.Fatalf("mine=%v all=%v theirs=%v", mine, all, theirs)
			}
		})
	})
}

// S10/S11: OAuth tokens are sealed, tenant-scoped, and "needs reconnect" is cleared by a new token.
func TestOAuthTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := s.CreateTenant(ctx, "A")
		b, _ := s.CreateTenant(ctx, "B")
		key := store.OAuthConnKey(1)
		ta, tb := s.OAuthTokens(a.ID), s.OAuthTokens(b.ID)
		if _, err := ta.LoadToken(ctx, key); !errors.Is(err, oauth.ErrNoToken) {
			t.Fatalf("empty load: %v", err)
		}
		exp := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
		if err := ta.SaveToken(ctx, key, oauth.Token{AccessToken: "AT-secret", RefreshToken: "RT-secret", Expiry: exp}); err != nil {
			t.Fatal(err)
		}
		got, err := ta.LoadToken(ctx, key)
		if err != nil || got.AccessToken != "AT-secret" || got.RefreshToken != "RT-secret" || !got.Expiry.Equal(exp) {
			t.Fatalf("load = %+v, %v", got, err)
		}
		if _, err := tb.LoadToken(ctx, key); !errors.Is(err, oauth.ErrNoToken) {
			t.Fatalf("tenant B loaded tenant A's token: %v", err)
		}
		var raw string
		_ = s.DB().QueryRowContext(ctx, `SELECT access_token || refresh_token FROM oauth_tokens`).Scan(&raw)
		if strings.Contains(raw, "secret") {
			t.Fatalf("tokens stored in clear: %s", raw)
		}
		if err := ta.MarkNeedsReconnect(ctx, key, "invalid_grant"); err != nil {
			t.Fatal(err)
		}
		if needs, connected, _ := ta.NeedsReconnect(ctx, key); !needs || !connected {
			t.Fatalf("needs=%v connected=%v", needs, connected)
		}
		if err := ta.SaveToken(ctx, key, oauth.Token{AccessToken: "AT2", RefreshToken: "RT2", Expiry: exp}); err != nil {
			t.Fatal(err)
		}
		if needs, _, _ := ta.NeedsReconnect(ctx, key); needs {
			t.Fatal("new token did not clear needs-reconnect")
		}
	})
}
