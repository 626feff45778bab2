package auvosandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/sandbox"
)

// apiError is an answer in one of Auvo's three error shapes (API doc §6).
type apiError struct {
	status int
	body   any // nil writes no body
}

// appError is shape 2, the application error.
func appError(status, code int, msg string) *apiError {
	return &apiError{status: status, body: map[string]any{"message": msg, "target": nil, "errorCode": code, "errors": nil}}
}

// modelError is shape 1, ASP.NET model state for a parameter that does not bind.
func modelError(field, value string) *apiError {
	return &apiError{status: http.StatusBadRequest,
		body: map[string][]string{field: {"The value '" + value + "' is not valid."}}}
}

// notFound answers 404 without a body: the doc shows none for unknown ids, and the body of the
// empty-list 404 is unknown (API doc §6 [U]).
func notFound() *apiError { return &apiError{status: http.StatusNotFound} }

// throttleBody is the exact rate-limit answer, with 403 (API doc §6 shape 3).
func writeThrottle(w http.ResponseWriter) {
	sandbox.WriteJSON(w, http.StatusForbidden, map[string]string{"error": "Rate limit temporarily exceeded"})
}

func (e *apiError) write(w http.ResponseWriter) {
	if e.body == nil {
		w.WriteHeader(e.status)
		return
	}
	sandbox.WriteJSON(w, e.status, e.body)
}

func writeResult(w http.ResponseWriter, status int, v any) {
	sandbox.WriteJSON(w, status, map[string]any{"result": v})
}

// query reads query parameters by case-insensitive name ("ParamFilter", "Page": API doc §3.2).
func query(r *http.Request, name string) (string, bool) {
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0], true
		}
	}
	return "", false
}

// filter is a decoded paramFilter with lower-cased keys.
type filter map[string]json.RawMessage

// parseFilter reads paramFilter. required lists answer the doc's 400 when it is missing.
func parseFilter(r *http.Request, required bool) (filter, *apiError) {
	raw, ok := query(r, "paramFilter")
	if !ok || strings.TrimSpace(raw) == "" {
		if required {
			return nil, appError(http.StatusBadRequest, 0, "The paramFilter is required as ParamUserFilter string json.")
		}
		return filter{}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, modelError("paramFilter", raw)
	}
	f := filter{}
	for k, v := range m {
		if string(v) != "null" {
			f[strings.ToLower(k)] = v
		}
	}
	return f, nil
}

func (f filter) has(k string) bool { _, ok := f[strings.ToLower(k)]; return ok }

func (f filter) str(k string) string {
	raw, ok := f[strings.ToLower(k)]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.Trim(string(raw), `"`)
}

func (f filter) int(k string) (int64, *apiError) {
	if !f.has(k) {
		return 0, nil
	}
	var n auvo.Int
	if err := json.Unmarshal(f[strings.ToLower(k)], &n); err != nil {
		return 0, modelError(k, f.str(k))
	}
	return int64(n), nil
}

func (f filter) boolean(k string) (*bool, *apiError) {
	if !f.has(k) {
		return nil, nil
	}
	s := strings.ToLower(f.str(k))
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, modelError(k, s)
	}
	return &b, nil
}

func (f filter) time(k string) (time.Time, *apiError) {
	if !f.has(k) {
		return time.Time{}, nil
	}
	t, err := auvo.ParseTime(f.str(k))
	if err != nil {
		return time.Time{}, modelError(k, f.str(k))
	}
	return t.Time, nil
}

// ints reads a list of ids given as a JSON array or a comma-separated string.
func (f filter) ints(k string) ([]int64, *apiError) {
	raw, ok := f[strings.ToLower(k)]
	if !ok {
		return nil, nil
	}
	var arr []auvo.Int
	if json.Unmarshal(raw, &arr) == nil {
		out := make([]int64, len(arr))
		for i, n := range arr {
			out[i] = int64(n)
		}
		return out, nil
	}
	var out []int64
	for _, s := range f.strs(k) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, modelError(k, f.str(k))
		}
		out = append(out, n)
	}
	return out, nil
}

// strs reads a comma-separated list ("externalId": "a,b": API doc §2.3).
func (f filter) strs(k string) []string {
	var out []string
	for s := range strings.SplitSeq(f.str(k), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// filterReader reads typed values out of a filter, keeping the first binding error.
type filterReader struct {
	f   filter
	err *apiError
}

func (fr *filterReader) keep(e *apiError) {
	if fr.err == nil {
		fr.err = e
	}
}

func (fr *filterReader) int(k string) int64 {
	v, e := fr.f.int(k)
	fr.keep(e)
	return v
}

func (fr *filterReader) boolean(k string) *bool {
	v, e := fr.f.boolean(k)
	fr.keep(e)
	return v
}

func (fr *filterReader) time(k string) time.Time {
	v, e := fr.f.time(k)
	fr.keep(e)
	return v
}

func (fr *filterReader) ints(k string) []int64 {
	v, e := fr.f.ints(k)
	fr.keep(e)
	return v
}

// contains is the partial, case-insensitive match the doc suggests for names (API doc §2.3 [I]).
func contains(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// since is the ">=" semantics of the date filters (API doc §2.3 [I]).
func since(t auvo.Time, from time.Time) bool { return from.IsZero() || !t.Before(from) }

// paging is page, pageSize and order of a list request.
type paging struct {
	page, size int
	desc       bool
}

func parsePaging(r *http.Request, maxSize int) (paging, *apiError) {
	p := paging{page: 1, size: 10}
	if s, ok := query(r, "page"); ok && s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, modelError("page", s)
		}
		p.page = n
	}
	if s, ok := query(r, "pageSize"); ok && s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, modelError("pageSize", s)
		}
		p.size = min(n, maxSize) // the real cap is unknown (API doc §6 [U]); configurable
	}
	if s, ok := query(r, "order"); ok {
		p.desc = strings.EqualFold(s, "desc") || s == "1"
	}
	return p, nil
}

// writeList answers one page of items in Auvo's list envelope, or 404 when the page is empty
// (API doc §6), unless emptyOK.
func writeList[T any](w http.ResponseWriter, r *http.Request, items []T, p paging, emptyOK bool) {
	if p.desc {
		items = slices.Clone(items)
		slices.Reverse(items)
	}
	from := min((p.page-1)*p.size, len(items))
	to := min(from+p.size, len(items))
	pageItems := items[from:to]
	if len(pageItems) == 0 && !emptyOK {
		notFound().write(w)
		return
	}
	order := 0
	if p.desc {
		order = 1
	}
	var list any = pageItems
	if sel, ok := query(r, "selectfields"); ok && strings.TrimSpace(sel) != "" {
		list = project(pageItems, sel)
	}
	links := []map[string]string{{"href": pageLink(r, p.page, p), "rel": "self", "method": "GET"}}
	if to < len(items) {
		links = append(links, map[string]string{"href": pageLink(r, p.page+1, p), "rel": "nextPage", "method": "GET"})
	}
	writeResult(w, http.StatusOK, map[string]any{
		"entityList":            list,
		"pagedSearchReturnData": map[string]int{"order": order, "pageSize": p.size, "page": p.page, "totalItems": len(items)},
		"links":                 links,
	})
}

// pageLink builds an href like the doc's ".../v2/Customers/?Page=1&PageSize=10&Order=Asc". The
// hub strips its own prefix from the path, so the original request URI is used.
func pageLink(r *http.Request, page int, p paging) string {
	path, _, _ := strings.Cut(r.RequestURI, "?")
	order := "Asc"
	if p.desc {
		order = "Desc"
	}
	q := "Page=" + strconv.Itoa(page) + "&PageSize=" + strconv.Itoa(p.size) + "&Order=" + order
	if pf, ok := query(r, "paramFilter"); ok {
		q = "ParamFilter=" + url.QueryEscape(pf) + "&" + q
	}
	return "http://" + r.Host + path + "?" + q
}

// project keeps only the selected fields of each item (selectfields, API doc §6).
func project[T any](items []T, sel string) []map[string]json.RawMessage {
	want := map[string]bool{}
	for f := range strings.SplitSeq(sel, ",") {
		want[strings.ToLower(strings.TrimSpace(f))] = true
	}
	out := make([]map[string]json.RawMessage, 0, len(items))
	for _, it := range items {
		m, _ := toMap(it)
		for k := range m {
			if !want[strings.ToLower(k)] {
				delete(m, k)
			}
		}
		out = append(out, m)
	}
	return out
}

// readJSON reads a request body of a write, which needs Content-Type application/json
// (415 otherwise, API doc §1).
func readJSON(r *http.Request, v any) *apiError {
	if !strings.Contains(strings.ToLower(r.Header.Get("Content-Type")), "json") {
		return &apiError{status: http.StatusUnsupportedMediaType,
			body: map[string]any{"title": "Unsupported Media Type", "status": 415}}
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		return modelError("body", err.Error())
	}
	if err := json.Unmarshal(b, v); err != nil {
		return modelError("body", strings.TrimSpace(string(b)))
	}
	return nil
}

// pathID parses a numeric path id, answering the doc's 400 for a non-numeric one.
func pathID(s string) (int64, *apiError) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, modelError("id", s)
	}
	return n, nil
}

// nonNil makes a nil list an empty one, since the real API writes [] and never null.
func nonNil[T any](lists ...*[]T) {
	for _, l := range lists {
		if *l == nil {
			*l = []T{}
		}
	}
}
