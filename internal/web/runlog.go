package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/pontehub/ponte/internal/store"
)

const runsPerPage = 20

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
