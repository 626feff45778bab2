package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

func TestLinks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := s.CreateTenant(ctx, "Alfa")
		b, _ := s.CreateTenant(ctx, "Beta")
		in, _ := s.CreateIntegration(ctx, a.ID, store.Omie)
		inB, _ := s.CreateIntegration(ctx, b.ID, store.Omie)
		seen := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		var l store.Link
		err := s.Tx(ctx, func(tx *store.Tx) error {
			var err error
			l, err = tx.SaveLink(ctx, store.Link{TenantID: a.ID, IntegrationID: in.ID, Entity: store.EntityCustomer,
				AuvoID: "10", ERPID: "900", Document: "11222333000181", AuvoFP: "fa", ERPFP: "fe", AuvoChangedAt: seen})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("read back by either side", func(t *testing.T) {
			byAuvo, err := s.LinkByAuvoID(ctx, a.ID, in.ID, store.EntityCustomer, "10")
			if err != nil || byAuvo.ERPID != "900" || byAuvo.State != store.LinkActive || byAuvo.AuvoFP != "fa" || !byAuvo.AuvoChangedAt.Equal(seen) {
				t.Fatalf("by auvo = %+v, %v", byAuvo, err)
			}
			byERP, err := s.LinkByERPID(ctx, a.ID, in.ID, store.EntityCustomer, "900")
			if err != nil || byERP.ID != l.ID {
				t.Fatalf("by erp = %+v, %v", byERP, err)
			}
			if _, err := s.LinkByAuvoID(ctx, a.ID, in.ID, store.EntityProduct, "10"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("other entity: %v", err)
			}
		})

		t.Run("P5 another tenant cannot read or release it", func(t *testing.T) {
			if _, err := s.LinkByAuvoID(ctx, b.ID, in.ID, store.EntityCustomer, "10"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("tenant B read it: %v", err)
			}
			if err := s.ReleaseLock(ctx, b.ID, inB.ID, l.ID, "op@b"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("tenant B released it: %v", err)
			}
		})

		t.Run("one current link per record on each side", func(t *testing.T) {
			_, err := s.SaveLink(ctx, store.Link{TenantID: a.ID, IntegrationID: in.ID, Entity: store.EntityCustomer, AuvoID: "10", ERPID: "901"})
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("second link of auvo 10: %v", err)
			}
			_, err = s.SaveLink(ctx, store.Link{TenantID: a.ID, IntegrationID: in.ID, Entity: store.EntityCustomer, AuvoID: "11", ERPID: "900"})
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("second link of erp 900: %v", err)
			}
		})

		t.Run("update keeps fingerprints and times", func(t *testing.T) {
			l2 := l
			l2.ERPFP, l2.ERPChangedAt, l2.Synced = "fe2", seen.Add(time.Hour), `{"name":"X"}`
			got, err := s.SaveLink(ctx, l2)
			if err != nil || got.ERPFP != "fe2" || !got.ERPChangedAt.Equal(seen.Add(time.Hour)) || got.Synced != `{"name":"X"}` || got.AuvoFP != "fa" {
				t.Fatalf("updated = %+v, %v", got, err)
			}
		})

		t.Run("C-A7 lock is listed, released by an operator, with history", func(t *testing.T) {
			if err := s.ReleaseLock(ctx, a.ID, in.ID, l.ID, "op@ponte"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("released an active link: %v", err)
			}
			if err := s.SetLinkState(ctx, a.ID, l.ID, store.LinkLocked, "locked_deleted", "engine"); err != nil {
				t.Fatal(err)
			}
			locks, err := s.Locks(ctx, a.ID, in.ID)
			if err != nil || len(locks) != 1 || locks[0].LockReason != "locked_deleted" {
				t.Fatalf("locks = %+v, %v", locks, err)
			}
			all, err := s.AllLocks(ctx)
			if err != nil || len(all) != 1 || all[0].TenantID != a.ID {
				t.Fatalf("all locks = %+v, %v", all, err)
			}
			if err := s.ReleaseLock(ctx, a.ID, in.ID, l.ID, "op@ponte"); err != nil {
				t.Fatal(err)
			}
			if locks, _ := s.Locks(ctx, a.ID, in.ID); len(locks) != 0 {
				t.Fatalf("still locked: %+v", locks)
			}
			if _, err := s.LinkByAuvoID(ctx, a.ID, in.ID, store.EntityCustomer, "10"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("released link still current: %v", err)
			}
			// A released lock lets the records link again.
			if _, err := s.SaveLink(ctx, store.Link{TenantID: a.ID, IntegrationID: in.ID, Entity: store.EntityCustomer, AuvoID: "12", ERPID: "900"}); err != nil {
				t.Fatalf("relink after release: %v", err)
			}
			ev, err := s.LinkEvents(ctx, a.ID, l.ID)
			if err != nil || len(ev) != 3 || ev[1].State != store.LinkLocked || ev[2].State != store.LinkReleased || ev[2].Actor != "op@ponte" {
				t.Fatalf("events = %+v, %v", ev, err)
			}
		})
	})
}

func TestOutcomes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := s.CreateTenant(ctx, "Alfa")
		b, _ := s.CreateTenant(ctx, "Beta")
		in, _ := s.CreateIntegration(ctx, a.ID, store.Omie)
		run, err := s.StartRun(ctx, a.ID, in.ID, 0, store.FlowCustomersToERP)
		if err != nil {
			t.Fatal(err)
		}
		rows := []store.Outcome{
			{Action: store.ActionCreated, AuvoID: "1", ERPID: "91", Name: "Padaria Pão_Quente", Document: "11222333000181"},
			{Action: store.ActionSkipped, Reason: "no_document", Message: "Cliente sem CPF/CNPJ — não integrado", AuvoID: "2", Name: "Sem Doc"},
			{Action: store.ActionSkipped, Reason: "no_document", AuvoID: "3", Name: "Outro Sem Doc"},
			{Action: store.ActionFailed, Reason: "partner_error", AuvoID: "4", Name: "100% Clima"},
		}
		err = s.Tx(ctx, func(tx *store.Tx) error {
			for _, o := range rows {
				o.TenantID, o.IntegrationID, o.RunID, o.Flow = a.ID, in.ID, run, store.FlowCustomersToERP
				if _, err := tx.InsertOutcome(ctx, o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name  string
			f     store.OutcomeFilter
			total int
			first string
		}{
			{"all, newest first", store.OutcomeFilter{}, 4, "4"},
			{"by reason", store.OutcomeFilter{Reason: "no_document"}, 2, "3"},
			{"by action", store.OutcomeFilter{Action: store.ActionCreated}, 1, "1"},
			{"by run", store.OutcomeFilter{RunID: run}, 4, "4"},
			{"by other flow", store.OutcomeFilter{Flow: store.FlowCustomersToAuvo}, 0, ""},
			{"text in name, case-insensitive", store.OutcomeFilter{Text: "PÃO_q"}, 1, "1"},
			{"text: % and _ are literal", store.OutcomeFilter{Text: "100%"}, 1, "4"},
			{"text in document", store.OutcomeFilter{Text: "333000"}, 1, "1"},
		}
		for _, c := range cases {
			got, err := s.Outcomes(ctx, a.ID, in.ID, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			total, exact, err := s.CountOutcomes(ctx, a.ID, in.ID, c.f, 100)
			if err != nil || !exact {
				t.Fatalf("%s: count %v %v", c.name, exact, err)
			}
			if total != c.total || (c.first != "" && (len(got) == 0 || got[0].AuvoID != c.first)) || (c.first == "" && len(got) != 0) {
				t.Errorf("%s: total %d, rows %+v", c.name, total, got)
			}
		}
		first, _ := s.Outcomes(ctx, a.ID, in.ID, store.OutcomeFilter{Reason: "no_document", Limit: 1})
		got, _ := s.Outcomes(ctx, a.ID, in.ID, store.OutcomeFilter{Reason: "no_document", Limit: 1, After: first[0].Cursor()})
		if len(got) != 1 || got[0].Message != "Cliente sem CPF/CNPJ — não integrado" || got[0].RunID != run || got[0].At.IsZero() {
			t.Errorf("row read back = %+v", got)
		}
		other, _ := s.Outcomes(ctx, b.ID, in.ID, store.OutcomeFilter{})
		if total, _, _ := s.CountOutcomes(ctx, b.ID, in.ID, store.OutcomeFilter{}, 100); total != 0 || len(other) != 0 {
			t.Errorf("P5 tenant B sees %d outcomes", total)
		}
		last, err := s.LastOutcome(ctx, a.ID, in.ID, store.FlowCustomersToERP, "3", "")
		if err != nil || last.Name != "Outro Sem Doc" || last.Reason != "no_document" {
			t.Fatalf("last outcome of auvo 3 = %+v, %v", last, err)
		}
		if last, err := s.LastOutcome(ctx, a.ID, in.ID, store.FlowCustomersToERP, "", "91"); err != nil || last.AuvoID != "1" {
			t.Fatalf("last outcome of erp 91 = %+v, %v", last, err)
		}
		if _, err := s.LastOutcome(ctx, b.ID, in.ID, store.FlowCustomersToERP, "3", ""); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("P5 tenant B read a last outcome: %v", err)
		}
		counts, err := s.OutcomeReasonCounts(ctx, a.ID, in.ID, run)
		if err != nil || len(counts) != 3 || counts[0].Reason != "no_document" || counts[0].N != 2 {
			t.Fatalf("counts = %+v, %v", counts, err)
		}
	})
}
