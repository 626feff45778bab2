package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// Issue 17: the Execuções page pages through cycles and folds each cycle's runs into its line;
// another tenant's or integration's cycles and runs never appear.
func TestCyclesPageAndCycleRuns(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ten, _ := s.CreateTenant(ctx, "Alfa")
		other, _ := s.CreateTenant(ctx, "Beta")
		in, _ := s.CreateIntegration(ctx, ten.ID, store.Omie)
		otherIn, _ := s.CreateIntegration(ctx, other.ID, store.Omie)
		slot := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
		var cycles []store.CycleID
		for i := range 3 {
			cy, err := s.StartCycle(ctx, ten.ID, in.ID, slot.Add(time.Duration(i)*time.Minute), "n")
			if err != nil {
				t.Fatal(err)
			}
			cycles = append(cycles, cy)
			for _, f := range []store.Flow{store.FlowCustomersToERP, store.FlowCustomersToAuvo} {
				if _, err := s.StartRun(ctx, ten.ID, in.ID, cy, f); err != nil {
					t.Fatal(err)
				}
			}
		}
		foreign, _ := s.StartCycle(ctx, other.ID, otherIn.ID, slot.Add(10*time.Minute), "n")
		if _, err := s.StartRun(ctx, other.ID, otherIn.ID, foreign, store.FlowCustomersToERP); err != nil {
			t.Fatal(err)
		}

		page, err := s.CyclesPage(ctx, ten.ID, in.ID, 2, 1)
		if err != nil || len(page) != 2 || page[0].ID != cycles[1] || page[1].ID != cycles[0] {
			t.Fatalf("second page of 2 = %+v, %v; want cycles %v then %v", page, err, cycles[1], cycles[0])
		}
		runs, err := s.CycleRuns(ctx, ten.ID, in.ID, []store.CycleID{cycles[1], cycles[0], foreign})
		if err != nil || len(runs) != 4 {
			t.Fatalf("runs of two cycles = %d (%v), want 4 (the foreign cycle's run left out)", len(runs), err)
		}
		if runs[0].CycleID != cycles[0] || runs[0].Flow != store.FlowCustomersToERP || runs[3].CycleID != cycles[1] {
			t.Fatalf("runs not grouped by cycle in run order: %+v", runs)
		}
		if runs, err := s.CycleRuns(ctx, other.ID, in.ID, cycles); err != nil || len(runs) != 0 {
			t.Fatalf("another tenant reads %d runs (%v)", len(runs), err)
		}
		if runs, err := s.CycleRuns(ctx, ten.ID, in.ID, nil); err != nil || runs != nil {
			t.Fatalf("no cycles: %v, %v", runs, err)
		}
		alone, err := s.StartRun(ctx, ten.ID, in.ID, 0, store.FlowCustomersToERP)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.StartRun(ctx, other.ID, otherIn.ID, 0, store.FlowCustomersToERP); err != nil {
			t.Fatal(err)
		}
		out, err := s.RunsOutsideCycles(ctx, ten.ID, in.ID, time.Time{}, time.Time{}, 10)
		if err != nil || len(out) != 1 || out[0].ID != alone {
			t.Fatalf("runs outside cycles = %+v, %v; want only run %d", out, err, alone)
		}
		if out, err := s.RunsOutsideCycles(ctx, ten.ID, in.ID, time.Now().Add(time.Hour), time.Time{}, 10); err != nil || len(out) != 0 {
			t.Fatalf("runs outside cycles after an hour from now = %d, %v", len(out), err)
		}
	})
}
