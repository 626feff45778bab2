package store_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// benchOutcomes is how many outcomes BenchmarkRunLog seeds (issue 23: a million).
const benchOutcomes = 1_000_000

// seedRunLog writes n outcomes over 1,000 runs of one integration in one statement: half per
// customer flow, 40 % updated, 20 % created, 10 % linked, 20 % skipped (two reasons) and 10 %
// failed, one a second from 2026-09-01.
func seedRunLog(b *testing.B, s *store.Store, n int) (store.TenantID, store.IntegrationID) {
	b.Helper()
	ctx := context.Background()
	ten, err := s.CreateTenant(ctx, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	in, _ := s.CreateIntegration(ctx, ten.ID, store.Omie)
	runs := n / 1000
	var first store.RunID
	for i := range runs {
		r, err := s.StartRun(ctx, ten.ID, in.ID, 0, store.FlowCustomersToERP)
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			first = r
		}
	}
	at := `strftime('%Y-%m-%d %H:%M:%S', '2026-09-01 00:00:00', '+' || n || ' seconds') || '+00:00'`
	if s.Dialect() == store.Postgres {
		at = `TIMESTAMPTZ '2026-09-01 00:00:00+00' + n * INTERVAL '1 second'`
	}
	q := `INSERT INTO outcomes (tenant_id, integration_id, run_id, flow, action, reason, message, auvo_id, erp_id,
		name, document, diff, at, search_name, search_doc)
		WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %d)
		SELECT %d, %d, %d + (n - 1) / 1000,
			CASE WHEN n %% 2 = 0 THEN 'clientes_auvo_erp' ELSE 'clientes_erp_auvo' END,
			CASE n %% 10 WHEN 0 THEN 'updated' WHEN 1 THEN 'updated' WHEN 2 THEN 'updated' WHEN 3 THEN 'updated'
				WHEN 4 THEN 'created' WHEN 5 THEN 'created' WHEN 6 THEN 'skipped' WHEN 7 THEN 'skipped'
				WHEN 8 THEN 'failed' ELSE 'linked' END,
			CASE n %% 10 WHEN 6 THEN 'no_document' WHEN 7 THEN 'address_pattern' WHEN 8 THEN 'partner_error' ELSE '' END,
			'mensagem', 'a' || n, 'e' || n, 'Cliente Número ' || n, '' || (10000000000000 + n), '', AT_EXPR,
			'cliente numero ' || n, '' || (10000000000000 + n)
		FROM seq`
	start := time.Now()
	if _, err := s.DB().ExecContext(ctx, strings.Replace(fmt.Sprintf(q, n, ten.ID, in.ID, first), "AT_EXPR", at, 1)); err != nil {
		b.Fatal(err)
	}
	if s.Dialect() == store.Postgres {
		if _, err := s.DB().ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	} else if _, err := s.DB().ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: seeded %d outcomes in %s", s.Dialect(), n, time.Since(start).Round(time.Second))
	return ten.ID, in.ID
}

// BenchmarkRunLog measures the run log at a million outcomes on each dialect (SPEC OP3,
// issue 23's goal: a page under 50 ms): a page view as the portal builds it (page, total and
// reason list), page 500 by keyset, filtered pages, searches, and the CSV walk of a filtered view.
//
//	go test -run '^$' -bench BenchmarkRunLog -benchtime 20x ./internal/store/
func BenchmarkRunLog(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			if d == store.Postgres && os.Getenv(storetest.PostgresEnv) == "" {
				b.Skip(storetest.PostgresEnv + " not set")
			}
			s := storetest.Open(b, d)
			ctx := context.Background()
			ten, in := seedRunLog(b, s, benchOutcomes)
			page := func(b *testing.B, f store.OutcomeFilter) {
				f.Limit = 51
				got, err := s.Outcomes(ctx, ten, in, f)
				if err != nil || len(got) == 0 {
					b.Fatalf("page: %d rows, %v", len(got), err)
				}
			}
			view := func(b *testing.B, f store.OutcomeFilter) {
				page(b, f)
				if _, _, err := s.CountOutcomes(ctx, ten, in, f, 10000); err != nil {
					b.Fatal(err)
				}
				if _, err := s.OutcomeReasonCounts(ctx, ten, in, f.RunID); err != nil {
					b.Fatal(err)
				}
			}
			deep, err := s.Outcomes(ctx, ten, in, store.OutcomeFilter{Limit: 499 * 50})
			if err != nil {
				b.Fatal(err)
			}
			page500 := deep[len(deep)-1].Cursor()
			deep = nil
			for _, c := range []struct {
				name string
				f    store.OutcomeFilter
				fn   func(*testing.B, store.OutcomeFilter)
			}{
				{"view/all", store.OutcomeFilter{}, view},
				{"view/skipped+reason", store.OutcomeFilter{Action: store.ActionSkipped, Reason: "no_document"}, view},
				{"view/flow+failed", store.OutcomeFilter{Flow: store.FlowCustomersToERP, Action: store.ActionFailed}, view},
				{"view/one-day", store.OutcomeFilter{From: time.Date(2026, 9, 5, 3, 0, 0, 0, time.UTC), To: time.Date(2026, 9, 6, 3, 0, 0, 0, time.UTC)}, view},
				{"page/search-name", store.OutcomeFilter{Text: "número 4242"}, page},
				{"page/500-by-keyset", store.OutcomeFilter{After: page500}, page},
				{"page/search-name-rare", store.OutcomeFilter{Text: "numero 999999"}, page},
				{"view/search-document", store.OutcomeFilter{Text: "10.000.000/5000-00"}, view},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						c.fn(b, c.f)
					}
				})
			}
			b.Run("csv/failed-100000-rows", func(b *testing.B) {
				for b.Loop() {
					n := 0
					err := s.EachOutcome(ctx, ten, in, store.OutcomeFilter{Action: store.ActionFailed}, func(store.Outcome) error { n++; return nil })
					if err != nil || n != benchOutcomes/10 {
						b.Fatalf("walked %d, %v", n, err)
					}
				}
			})
		})
	}
}
