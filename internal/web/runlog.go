package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/pontehub/ponte/internal/store"
)

const runsPerPage = 20

type runsView struct {
	In         store.Integration
	Flows      []store.Flow
	Flow       store.Flow
	Runs       []store.Run // one flow's history, when Flow is chosen
	Cycles     []cycleRow  // otherwise one line per cycle, its flows folded in
	Page       int
	Prev, Next string // links, "" when there is none
}

// cycleRow is one cycle of the Execuções page: its totals, and its flows split into those that
// did something (shown) and those that found nothing to do (one line).
type cycleRow struct {
	store.Cycle
	Total  store.Counts
	Busy   []store.Run
	Quiet  []store.Flow
	Failed bool
}

// cyclePage is one page of cycles with their runs, and the runs of no cycle that started
// between this page's cycles (they come after the newest cycle of the previous page).
func (s *server) cyclePage(ctx context.Context, in store.Integration, page int) ([]cycleRow, bool, error) {
	offset, before := (page-1)*runsPerPage, 0
	if page > 1 {
		offset, before = offset-1, 1 // the previous page's last cycle bounds this page's time range
	}
	cycles, err := s.Store.CyclesPage(ctx, in.TenantID, in.ID, runsPerPage+1+before, offset)
	if err != nil {
		return nil, false, err
	}
	var to, from time.Time
	if before == 1 && len(cycles) > 0 {
		to, cycles = cycles[0].StartedAt, cycles[1:]
	}
	more := len(cycles) > runsPerPage
	if more {
		cycles = cycles[:runsPerPage]
		from = cycles[len(cycles)-1].StartedAt
	}
	ids := make([]store.CycleID, len(cycles))
	for i, c := range cycles {
		ids[i] = c.ID
	}
	runs, err := s.Store.CycleRuns(ctx, in.TenantID, in.ID, ids)
	if err != nil {
		return nil, false, err
	}
	rows := cycleRows(cycles, runs)
	if len(cycles) > 0 || page == 1 {
		alone, err := s.Store.RunsOutsideCycles(ctx, in.TenantID, in.ID, from, to, runsPerPage)
		if err != nil {
			return nil, false, err
		}
		for _, r := range alone {
			row := cycleRows([]store.Cycle{{StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, Status: r.Status}}, []store.Run{r})
			rows = append(rows, row...)
		}
		slices.SortStableFunc(rows, func(a, b cycleRow) int { return b.StartedAt.Compare(a.StartedAt) })
	}
	return rows, more, nil
}

func cycleRows(cycles []store.Cycle, runs []store.Run) []cycleRow {
	rows := make([]cycleRow, len(cycles))
	at := map[store.CycleID]*cycleRow{}
	for i, c := range cycles {
		rows[i].Cycle = c
		at[c.ID] = &rows[i]
	}
	for _, r := range runs {
		row := at[r.CycleID]
		if row == nil {
			continue
		}
		n := r.Counts
		t := &row.Total
		t.Read, t.Created, t.Linked, t.Updated, t.Skipped, t.Failed = t.Read+n.Read, t.Created+n.Created, t.Linked+n.Linked,
			t.Updated+n.Updated, t.Skipped+n.Skipped, t.Failed+n.Failed
		if n.Created+n.Linked+n.Updated+n.Skipped+n.Failed > 0 || r.Error != "" || r.Status == "failed" || r.Status == "throttled" {
			row.Busy = append(row.Busy, r)
		} else {
			row.Quiet = append(row.Quiet, r.Flow)
		}
		row.Failed = row.Failed || n.Failed > 0 || r.Status == "failed"
	}
	return rows
}

func pageParam(q url.Values) int {
	p, err := strconv.Atoi(q.Get("page"))
	if err != nil || p < 1 || p > 100000 {
		return 1
	}
	return p
}

// pageLink is the current query with another page number.
func pageLink(path string, q url.Values, page int) string {
	q2 := url.Values{}
	for k, v := range q {
		q2[k] = v
	}
	q2.Set("page", strconv.Itoa(page))
	return path + "?" + q2.Encode()
}

// runsShow is the history of runs with their counts (V1).
func (s *server) runsShow(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := runsView{In: in, Flows: store.FlowsFor(in.ERP), Page: pageParam(q)}
	if f := store.Flow(q.Get("flow")); slices.Contains(v.Flows, f) {
		v.Flow = f
	}
	ctx := r.Context()
	more := false
	if v.Flow != "" {
		runs, err := s.Store.Runs(ctx, in.TenantID, in.ID, v.Flow, runsPerPage+1, (v.Page-1)*runsPerPage)
		if err != nil {
			return err
		}
		if more = len(runs) > runsPerPage; more {
			runs = runs[:runsPerPage]
		}
		v.Runs = runs
	} else {
		var err error
		if v.Cycles, more, err = s.cyclePage(ctx, in, v.Page); err != nil {
			return err
		}
	}
	if more {
		v.Next = pageLink(r.URL.Path, q, v.Page+1)
	}
	if v.Page > 1 {
		v.Prev = pageLink(r.URL.Path, q, v.Page-1)
	}
	return s.render(w, r, u, http.StatusOK, "runs.html", "Execuções", v)
}

type auditView struct {
	In      *store.Integration
	Entries []auditRow
}

// auditShow is the tenant's own audit log (A4), for one integration.
func (s *server) auditShow(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	all, err := s.Store.AuditLog(r.Context(), u.TenantID, 500)
	if err != nil {
		return err
	}
	var mine []auditRow
	for _, e := range all {
		if e.IntegrationID == in.ID {
			mine = append(mine, auditRow{AuditEntry: e, What: auditLabel(e.Action)})
		}
	}
	return s.render(w, r, u, http.StatusOK, "audit.html", "Histórico de alterações", auditView{In: &in, Entries: mine})
}
