package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pontehub/ponte/internal/flow"
	"github.com/pontehub/ponte/internal/store"
)

const (
	runsPerPage     = 20
	outcomesPerPage = 50
)

type runsView struct {
	In         store.Integration
	Flows      []store.Flow
	Flow       store.Flow
	Runs       []store.Run
	Page       int
	Prev, Next string // links, "" when there is none
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
	runs, err := s.Store.Runs(r.Context(), in.TenantID, in.ID, v.Flow, runsPerPage+1, (v.Page-1)*runsPerPage)
	if err != nil {
		return err
	}
	if len(runs) > runsPerPage {
		runs, v.Next = runs[:runsPerPage], pageLink(r.URL.Path, q, v.Page+1)
	}
	if v.Page > 1 {
		v.Prev = pageLink(r.URL.Path, q, v.Page-1)
	}
	v.Runs = runs
	return s.render(w, r, u, http.StatusOK, "runs.html", "Execuções", v)
}

// recordsView is the per-record log (V2): what happened to each record and why.
type recordsView struct {
	In         store.Integration
	Base       string // the page's path, tenant or operator
	Flows      []store.Flow
	Actions    []store.Action
	Reasons    []store.ReasonCount
	Filter     store.OutcomeFilter
	Outcomes   []store.Outcome
	Total      int
	Page       int
	Prev, Next string
}

// reasonLabel names a reason code in the run log's filter, as the engine words it (V2).
func reasonLabel(erp store.ERP, code string) string {
	if r, ok := flow.ReasonOf(flow.Code(code)); ok {
		return r.Text(erp)
	}
	return code
}

// reasonFix is what the user can do about a reason, "" when nothing is expected of them.
func reasonFix(erp store.ERP, code string) string {
	if r, ok := flow.ReasonOf(flow.Code(code)); ok {
		return strings.ReplaceAll(r.Fix, "{erp}", erp.Label())
	}
	return ""
}

var allActions = []store.Action{store.ActionCreated, store.ActionLinked, store.ActionUpdated, store.ActionUnchanged,
	store.ActionSkipped, store.ActionLocked, store.ActionFailed}

func (s *server) recordsShow(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	return s.renderRecords(w, r, u, in)
}

func (s *server) renderRecords(w http.ResponseWriter, r *http.Request, u *user, in store.Integration) error {
	q := r.URL.Query()
	v := recordsView{In: in, Base: r.URL.Path, Flows: store.FlowsFor(in.ERP), Actions: allActions, Page: pageParam(q)}
	f := &v.Filter
	if fl := store.Flow(q.Get("flow")); slices.Contains(v.Flows, fl) {
		f.Flow = fl
	}
	if a := store.Action(q.Get("action")); slices.Contains(allActions, a) {
		f.Action = a
	}
	f.Reason, _ = cleanText(q.Get("reason"), 80)
	f.Text, _ = cleanText(q.Get("q"), 100)
	if run, err := strconv.ParseInt(q.Get("run"), 10, 64); err == nil && run > 0 {
		f.RunID = store.RunID(run)
	}
	f.Limit, f.Offset = outcomesPerPage, (v.Page-1)*outcomesPerPage
	ctx := r.Context()
	var err error
	if v.Outcomes, v.Total, err = s.Store.Outcomes(ctx, in.TenantID, in.ID, *f); err != nil {
		return err
	}
	if v.Reasons, err = s.Store.OutcomeReasonCounts(ctx, in.TenantID, in.ID, f.RunID); err != nil {
		return err
	}
	if v.Page*outcomesPerPage < v.Total {
		v.Next = pageLink(r.URL.Path, q, v.Page+1)
	}
	if v.Page > 1 {
		v.Prev = pageLink(r.URL.Path, q, v.Page-1)
	}
	return s.render(w, r, u, http.StatusOK, "records.html", "Registros", v)
}

type auditView struct {
	In      *store.Integration
	Entries []store.AuditEntry
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
	var mine []store.AuditEntry
	for _, e := range all {
		if e.IntegrationID == in.ID {
			mine = append(mine, e)
		}
	}
	return s.render(w, r, u, http.StatusOK, "audit.html", "Histórico de alterações", auditView{In: &in, Entries: mine})
}
