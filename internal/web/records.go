package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pontehub/ponte/internal/flow"
	"github.com/pontehub/ponte/internal/store"
)

const (
	outcomesPerPage = 50
	// countCap bounds the count of a date range: past it the page says "mais de".
	countCap = 10000
)

// recordsView is the per-record log (V2, OP3): what happened to each record and why.
type recordsView struct {
	In       store.Integration
	Base     string // the page's path, tenant or operator
	Flows    []store.Flow
	Actions  []store.Action
	Reasons  []store.ReasonCount
	Filter   store.OutcomeFilter
	From, To string // the date fields as typed
	Errors   map[string]string
	Ignored  []string // filter values that were not understood, said so
	Outcomes []store.Outcome
	Total    int
	Exact    bool // Total is the exact count; otherwise "more than"
	Counted  bool // Total is known
	Page     int
	PastEnd  bool   // a page after the last one was asked for
	First    string // link to the first page, "" on it
	Next     string
	Export   string // the CSV of exactly this view
	Tenant   string // the company's name, on the operator's copy of the page
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

// reasonCode is the shape of a reason code; the engine's codes are all of it.
var reasonCode = regexp.MustCompile(`^[a-z0-9_]{1,80}$`)

var allActions = []store.Action{store.ActionCreated, store.ActionLinked, store.ActionUpdated, store.ActionUnchanged,
	store.ActionSkipped, store.ActionLocked, store.ActionFailed}

func (s *server) recordsShow(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	return s.renderRecords(w, r, u, in)
}

func (s *server) recordsExport(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	return s.exportRecords(w, r, in)
}

// parseDay reads a date field (dd/mm/aaaa as people type it, or aaaa-mm-dd from a date input)
// as the start of that day in Brasília.
func parseDay(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "02/01/2006"} {
		if t, err := time.ParseInLocation(layout, s, brasilia); err == nil && t.Year() >= 2000 && t.Year() <= 2100 {
			return t, true
		}
	}
	return time.Time{}, false
}

// recordsFilter reads the run log's query: unknown values are ignored and said so, fields with
// errors are named in v.Errors, and nothing the user typed is lost.
func recordsFilter(q url.Values, v *recordsView) {
	f := &v.Filter
	v.Errors = map[string]string{}
	if fl := q.Get("flow"); fl != "" {
		if slices.Contains(v.Flows, store.Flow(fl)) {
			f.Flow = store.Flow(fl)
		} else {
			v.Ignored = append(v.Ignored, "fluxo")
		}
	}
	if a := q.Get("action"); a != "" {
		if slices.Contains(allActions, store.Action(a)) {
			f.Action = store.Action(a)
		} else {
			v.Ignored = append(v.Ignored, "resultado")
		}
	}
	if rs := q.Get("reason"); rs != "" {
		if reasonCode.MatchString(rs) {
			f.Reason = rs
		} else {
			v.Ignored = append(v.Ignored, "motivo")
		}
	}
	if run := q.Get("run"); run != "" {
		if n, err := strconv.ParseInt(run, 10, 64); err == nil && n > 0 {
			f.RunID = store.RunID(n)
		} else {
			v.Ignored = append(v.Ignored, "execução")
		}
	}
	// What was typed stays in the field even when it is refused.
	text, msg := cleanText(q.Get("q"), store.MaxOutcomeSearch)
	f.Text = text
	if utf8.RuneCountInString(text) > store.MaxOutcomeSearch {
		msg = "A busca aceita até " + strconv.Itoa(store.MaxOutcomeSearch) + " caracteres: digite parte do nome, o CPF/CNPJ ou o código."
		f.Text = string([]rune(text)[:store.MaxOutcomeSearch])
	}
	if msg != "" {
		v.Errors["q"] = msg
	}
	v.From, v.To = strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	if v.From != "" {
		if t, ok := parseDay(v.From); ok {
			f.From = t
		} else {
			v.Errors["from"] = "Data inválida; use dd/mm/aaaa."
		}
	}
	if v.To != "" {
		if t, ok := parseDay(v.To); ok {
			f.To = t.AddDate(0, 0, 1) // the whole last day
		} else {
			v.Errors["to"] = "Data inválida; use dd/mm/aaaa."
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		v.Errors["to"] = "A data final deve ser igual ou posterior à inicial."
	}
	if after := q.Get("after"); after != "" {
		if k, err := store.ParseOutcomeCursor(after); err == nil {
			f.After = k
		} else {
			v.Ignored = append(v.Ignored, "página")
		}
	}
	v.Page = 1
	if p, err := strconv.Atoi(q.Get("p")); err == nil && p > 1 && p < 1_000_000 && !f.After.IsZero() {
		v.Page = p
	}
}

// renderRecords is the run log page (V2, OP3): one keyset page of the filtered outcomes, with
// the total from the per-run counts when the filter allows, and the CSV link of the same view.
func (s *server) renderRecords(w http.ResponseWriter, r *http.Request, u *user, in store.Integration) error {
	q := r.URL.Query()
	v := recordsView{In: in, Base: r.URL.Path, Flows: store.FlowsFor(in.ERP), Actions: allActions}
	recordsFilter(q, &v)
	ctx := r.Context()
	var err error
	if u.Operator {
		t, err := s.Store.TenantByID(ctx, in.TenantID)
		if err != nil {
			return err
		}
		v.Tenant = t.Name
	}
	if v.Reasons, err = s.Store.OutcomeReasonCounts(ctx, in.TenantID, in.ID, v.Filter.RunID); err != nil {
		return err
	}
	status := http.StatusOK
	if len(v.Errors) > 0 {
		status = http.StatusBadRequest
		return s.render(w, r, u, status, "records.html", "Registros", v)
	}
	f := v.Filter
	f.Limit = outcomesPerPage + 1
	if v.Outcomes, err = s.Store.Outcomes(ctx, in.TenantID, in.ID, f); err != nil {
		return err
	}
	export := withoutPage(q)
	v.Export = v.Base + ".csv"
	if enc := export.Encode(); enc != "" {
		v.Export += "?" + enc
	}
	if !f.After.IsZero() {
		v.First = v.Base + "?" + export.Encode()
		v.PastEnd = len(v.Outcomes) == 0
	}
	if len(v.Outcomes) > outcomesPerPage {
		v.Outcomes = v.Outcomes[:outcomesPerPage]
		next := withoutPage(q)
		next.Set("after", v.Outcomes[len(v.Outcomes)-1].Cursor().String())
		next.Set("p", strconv.Itoa(v.Page+1))
		v.Next = v.Base + "?" + next.Encode()
	}
	switch {
	case f.Text == "":
		if v.Total, v.Exact, err = s.Store.CountOutcomes(ctx, in.TenantID, in.ID, f, countCap); err != nil {
			return err
		}
		v.Counted = true
	case f.After.IsZero() && v.Next == "":
		// A search is not counted (that would read every row again): its total is known only
		// when it fits one page.
		v.Total, v.Exact, v.Counted = len(v.Outcomes), true, true
	}
	return s.render(w, r, u, status, "records.html", "Registros", v)
}

// withoutPage is the query without the paging parameters: the first page of the same view.
func withoutPage(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		if k != "after" && k != "p" && len(vs) > 0 && vs[0] != "" {
			out.Set(k, vs[0])
		}
	}
	return out
}
