package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// OP3: the run log's search finds what people type, its pages are read by keyset without a gap
// or a repeat, a date range selects by time, and the totals come from the per-run counts.
func TestRunLogQueryOP3(t *testing.T) {
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
		day := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		special := []store.Outcome{
			{Action: store.ActionCreated, AuvoID: "a1", ERPID: "e1", Name: "Pão de Açúcar Ltda", Document: "61823860000110"},
			{Action: store.ActionSkipped, Reason: "address_pattern", AuvoID: "a2", Name: "JOÃO DA SILVA", Document: "123.456.789-09"},
			{Action: store.ActionCreated, AuvoID: "a3", ERPID: "e3", Name: "Nova Era", Document: "12.ABC.345/01DE-35"},
		}
		for i, o := range special {
			o.TenantID, o.IntegrationID, o.RunID, o.Flow, o.At = a.ID, in.ID, run, store.FlowCustomersToERP, day.Add(time.Duration(i)*time.Minute)
			if _, err := s.InsertOutcome(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		// 30 more, one an hour over the following days, some in another flow.
		for i := range 30 {
			o := store.Outcome{TenantID: a.ID, IntegrationID: in.ID, RunID: run, Flow: store.FlowCustomersToERP,
				Action: store.ActionSkipped, Reason: "no_document", AuvoID: fmt.Sprint("p", i), Name: fmt.Sprint("Cliente ", i),
				At: day.Add(time.Duration(i+1) * time.Hour)}
			if i%3 == 0 {
				o.Flow, o.RunID = store.FlowCustomersToAuvo, 0
			}
			if _, err := s.InsertOutcome(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		search := func(q string) []string {
			t.Helper()
			got, err := s.Outcomes(ctx, a.ID, in.ID, store.OutcomeFilter{Text: q})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			var ids []string
			for _, o := range got {
				ids = append(ids, o.AuvoID)
			}
			return ids
		}
		for _, c := range []struct{ q, want string }{
			{"pao", "a1"}, {"PÃO DE acucar", "a1"}, {"joao", "a2"}, {"João", "a2"},
			{"61.823.860/0001-10", "a1"}, {"61823860000110", "a1"}, {"823.860", "a1"},
			{"12345678909", "a2"}, {"123.456.789-09", "a2"},
			{"12abc34501de35", "a3"}, {"12.ABC.345/01DE-35", "a3"},
			{"e3", "a3"}, {"a2", "a2"},
		} {
			if got := search(c.q); len(got) != 1 || got[0] != c.want {
				t.Errorf("OP3 search %q = %v, want [%s]", c.q, got, c.want)
			}
		}
		if got := search("padaria"); len(got) != 0 {
			t.Errorf("search for an absent name = %v", got)
		}
		if _, err := s.Outcomes(ctx, a.ID, in.ID, store.OutcomeFilter{Text: strings.Repeat("a", store.MaxOutcomeSearch+1)}); !errors.Is(err, store.ErrSearchTooLong) {
			t.Errorf("over-long search: %v", err)
		}
		if got := search(strings.Repeat("é", store.MaxOutcomeSearch)); len(got) != 0 {
			t.Errorf("search of the longest length = %v", got)
		}

		// Keyset pages of 7 over the 33 rows: newest first, every row once, then an empty page.
		var seen []string
		f := store.OutcomeFilter{Limit: 7}
		for range 10 {
			page, err := s.Outcomes(ctx, a.ID, in.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, o := range page {
				seen = append(seen, o.AuvoID)
			}
			f.After = page[len(page)-1].Cursor()
		}
		if len(seen) != 33 || seen[0] != "p29" || seen[32] != "a1" {
			t.Fatalf("OP3 keyset pages: %d rows %v", len(seen), seen)
		}
		k, err := store.ParseOutcomeCursor(f.After.String())
		if err != nil || k.ID != f.After.ID || !k.At.Equal(f.After.At) {
			t.Fatalf("cursor round trip %v → %v, %v", f.After, k, err)
		}
		for _, bad := range []string{"", "x", "1.", ".1", "-5.3", "1.-3", "99999999999999999999.1"} {
			if _, err := store.ParseOutcomeCursor(bad); err == nil {
				t.Errorf("cursor %q accepted", bad)
			}
		}

		// Date range: [day+10h, day+20h) holds p9..p18.
		df := store.OutcomeFilter{From: day.Add(10 * time.Hour), To: day.Add(20 * time.Hour), Limit: 100}
		got, err := s.Outcomes(ctx, a.ID, in.ID, df)
		if err != nil || len(got) != 10 || got[0].AuvoID != "p18" || got[9].AuvoID != "p9" {
			t.Fatalf("OP3 date range: %v %v", len(got), err)
		}
		if n, exact, err := s.CountOutcomes(ctx, a.ID, in.ID, df, 5); err != nil || n != 5 || exact {
			t.Errorf("capped count = %d %v %v", n, exact, err)
		}
		if n, exact, err := s.CountOutcomes(ctx, a.ID, in.ID, df, 100); err != nil || n != 10 || !exact {
			t.Errorf("count in range = %d %v %v", n, exact, err)
		}

		// Totals from the per-run counts, per filter.
		for _, c := range []struct {
			f    store.OutcomeFilter
			want int
		}{
			{store.OutcomeFilter{}, 33},
			{store.OutcomeFilter{Flow: store.FlowCustomersToAuvo}, 10},
			{store.OutcomeFilter{Action: store.ActionSkipped}, 31},
			{store.OutcomeFilter{Reason: "no_document", Flow: store.FlowCustomersToERP}, 20},
			{store.OutcomeFilter{RunID: run}, 23},
			{store.OutcomeFilter{Text: "cliente 2"}, 11},
		} {
			if n, exact, err := s.CountOutcomes(ctx, a.ID, in.ID, c.f, 1000); err != nil || n != c.want || !exact {
				t.Errorf("count %+v = %d %v %v, want %d", c.f, n, exact, err, c.want)
			}
		}
		counts, err := s.OutcomeReasonCounts(ctx, a.ID, in.ID, 0)
		if err != nil || len(counts) != 3 || counts[0].Reason != "no_document" || counts[0].N != 30 {
			t.Errorf("reason counts = %+v %v", counts, err)
		}
		if n, _, _ := s.CountOutcomes(ctx, b.ID, in.ID, store.OutcomeFilter{}, 10); n != 0 {
			t.Errorf("P5: tenant B counts %d", n)
		}

		// The export walk sees exactly the filtered rows.
		var walked int
		err = s.EachOutcome(ctx, a.ID, in.ID, store.OutcomeFilter{Action: store.ActionSkipped}, func(o store.Outcome) error {
			if o.Action != store.ActionSkipped {
				t.Errorf("walk gave %+v", o)
			}
			walked++
			return nil
		})
		if err != nil || walked != 31 {
			t.Errorf("walk %d %v", walked, err)
		}
	})
}

// Issue 23: retention deletes history older than the setting but keeps the last outcome of each
// record, the runs and cycles kept rows refer to, and the last event of each link; the per-run
// counts follow.
func TestPurgeHistory(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := s.CreateTenant(ctx, "Alfa")
		in, _ := s.CreateIntegration(ctx, a.ID, store.Omie)
		cyc, err := s.StartCycle(ctx, a.ID, in.ID, time.Now(), "n1")
		if err != nil {
			t.Fatal(err)
		}
		run, _ := s.StartRun(ctx, a.ID, in.ID, cyc, store.FlowCustomersToERP)
		emptyCyc, _ := s.StartCycle(ctx, a.ID, in.ID, time.Now(), "n1")
		emptyRun, _ := s.StartRun(ctx, a.ID, in.ID, emptyCyc, store.FlowCustomersToAuvo)
		for _, r := range []store.RunID{run, emptyRun} {
			if err := s.FinishRun(ctx, a.ID, r, "done", store.Counts{}, ""); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []store.CycleID{cyc, emptyCyc} {
			if err := s.FinishCycle(ctx, a.ID, c, "done", ""); err != nil {
				t.Fatal(err)
			}
		}
		old := time.Now().Add(-100 * 24 * time.Hour)
		add := func(auvo, erp string, at time.Time) {
			t.Helper()
			o := store.Outcome{TenantID: a.ID, IntegrationID: in.ID, RunID: run, Flow: store.FlowCustomersToERP,
				Action: store.ActionSkipped, Reason: "no_document", AuvoID: auvo, ERPID: erp, At: at}
			if _, err := s.InsertOutcome(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		add("1", "", old)                       // old, superseded below
		add("1", "", old.Add(time.Hour))        // old, the last of record 1 by Auvo id: kept
		add("2", "", old)                       // old, superseded by a recent one
		add("2", "", time.Now())                // recent
		add("", "77", old)                      // old, superseded by the linked outcome below
		add("3", "77", old.Add(2*time.Hour))    // last of 3 and of 77: kept
		add("", "88", old.Add(-time.Hour))      // old, superseded
		add("", "88", old.Add(-30*time.Minute)) // old, last of 88: kept
		p, err := s.PurgeAllHistory(ctx, time.Now().Add(-90*24*time.Hour), 2)
		if err != nil {
			t.Fatal(err)
		}
		if p.Outcomes != 4 {
			t.Errorf("purged %+v, want 4 outcomes", p)
		}
		left, _ := s.Outcomes(ctx, a.ID, in.ID, store.OutcomeFilter{Limit: 100})
		var keys []string
		for _, o := range left {
			keys = append(keys, o.AuvoID+"/"+o.ERPID)
		}
		if strings.Join(keys, " ") != "2/ 3/77 1/ /88" {
			t.Errorf("kept %v", keys)
		}
		if n, _, _ := s.CountOutcomes(ctx, a.ID, in.ID, store.OutcomeFilter{}, 100); n != 4 {
			t.Errorf("counts after purge = %d", n)
		}
		// With everything older than the cutoff, the run with outcomes and its cycle stay; the
		// empty run and its cycle go.
		p, err = s.PurgeAllHistory(ctx, time.Now().Add(time.Minute), 100)
		if err != nil || p.Outcomes != 0 || p.Runs != 1 || p.Cycles != 1 {
			t.Fatalf("second purge %+v %v", p, err)
		}
		runs, _ := s.Runs(ctx, a.ID, in.ID, "", 10, 0)
		if len(runs) != 1 || runs[0].ID != run {
			t.Errorf("runs left %+v", runs)
		}
	})
}
