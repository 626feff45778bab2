package auvosandbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// kind describes one resource so that list, get, patch, delete and the admin API are written
// once.
type kind[T any] struct {
	name      string // as the API spells it: "customers", "taskTypes"
	tab       func(*account) *table[T]
	id        func(*T) string
	numericID bool                                             // a non-numeric path id is the doc's 400
	match     func(v *T, id string) bool                       // nil: id(v) == id
	filter    func(a *account, fr *filterReader) func(*T) bool // nil: no filters
	prepare   func(a *account, v *T, now time.Time)            // fills ids and dates of a new record
	touch     func(v *T, now time.Time)                        // moves dateLastUpdate; nil when none
	present   func(a *account, v T) T                          // shapes a record for the API
	aliases   map[string]string                                // extra write names → JSON name
	required  bool                                             // paramFilter required: 400 without it
	noFilter  int                                              // status for a list without paramFilter, when not 400
	patched   func(v *T, fields []string, before T)            // after a PATCH (quirks)
	afterEdit func(a *account, v *T)                           // keeps derived fields in step
}

func (k *kind[T]) matches(v *T, id string) bool {
	if k.match != nil {
		return k.match(v, id)
	}
	return k.id(v) == id
}

func (k *kind[T]) out(a *account, v T) T {
	if k.present != nil {
		return k.present(a, v)
	}
	return v
}

func (k *kind[T]) lookup(a *account, id string) (*Record[T], *apiError) {
	if k.numericID {
		if _, err := pathID(id); err != nil {
			return nil, err
		}
	}
	rec := k.tab(a).find(func(v *T) bool { return k.matches(v, id) })
	if rec == nil {
		return nil, notFound()
	}
	return rec, nil
}

// selected returns the live records a list request's paramFilter selects.
func (k *kind[T]) selected(r *http.Request, a *account, deleted bool) ([]T, *apiError) {
	if k.noFilter != 0 {
		if _, ok := query(r, "paramFilter"); !ok {
			return nil, &apiError{status: k.noFilter}
		}
	}
	f, err := parseFilter(r, k.required)
	if err != nil {
		return nil, err
	}
	keep := func(*T) bool { return true }
	if k.filter != nil {
		fr := &filterReader{f: f}
		keep = k.filter(a, fr)
		if fr.err != nil {
			return nil, fr.err
		}
	}
	var items []T
	for _, rec := range k.tab(a).rows {
		if rec.Deleted == deleted && keep(&rec.Value) {
			items = append(items, k.out(a, rec.Value))
		}
	}
	return items, nil
}

func listOf[T any](s *Server, k *kind[T], deleted bool) func(http.ResponseWriter, *http.Request, *account, string) *apiError {
	return func(w http.ResponseWriter, r *http.Request, a *account, _ string) *apiError {
		items, err := k.selected(r, a, deleted)
		if err != nil {
			return err
		}
		p, err := parsePaging(r, s.opts.MaxPageSize)
		if err != nil {
			return err
		}
		writeList(w, r, items, p, s.opts.EmptyListOK)
		return nil
	}
}

func getOf[T any](k *kind[T]) func(http.ResponseWriter, *http.Request, *account, string) *apiError {
	return func(w http.ResponseWriter, _ *http.Request, a *account, id string) *apiError {
		rec, err := k.lookup(a, id)
		if err != nil {
			return err
		}
		writeResult(w, http.StatusOK, k.out(a, rec.Value))
		return nil
	}
}

// patchOf serves PATCH /{res}/{id} with a JSON Patch array; the answer is the saved entity.
func patchOf[T any](s *Server, k *kind[T]) func(http.ResponseWriter, *http.Request, *account, string) *apiError {
	return func(w http.ResponseWriter, r *http.Request, a *account, id string) *apiError {
		rec, err := k.lookup(a, id)
		if err != nil {
			return err
		}
		var ops []patchOp
		if err := readJSON(r, &ops); err != nil {
			return err
		}
		before := rec.Value
		next := rec.Value
		if perr := applyPatch(&next, ops, k.aliases); perr != nil {
			return bindError(perr)
		}
		if k.patched != nil {
			k.patched(&next, patchedFields(ops), before)
		}
		rec.Value = next
		k.changed(a, &rec.Value, s.now())
		writeResult(w, http.StatusOK, k.out(a, rec.Value))
		return nil
	}
}

func patchedFields(ops []patchOp) []string {
	out := make([]string, len(ops))
	for i, op := range ops {
		out[i] = strings.ToLower(strings.Trim(op.Path, "/"))
	}
	return out
}

func deleteOf[T any](s *Server, k *kind[T]) func(http.ResponseWriter, *http.Request, *account, string) *apiError {
	return func(w http.ResponseWriter, _ *http.Request, a *account, id string) *apiError {
		rec, err := k.lookup(a, id)
		if err != nil {
			return err
		}
		rec.Deleted, rec.DeletedAt = true, s.now()
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// changed records that a record was written: derived fields follow and dateLastUpdate moves,
// which Ponte's incremental sync depends on.
func (k *kind[T]) changed(a *account, v *T, now time.Time) {
	if k.afterEdit != nil {
		k.afterEdit(a, v)
	}
	if k.touch != nil {
		k.touch(v, now)
	}
}

func bindError(err error) *apiError {
	if bf, ok := err.(*badField); ok {
		return modelError(bf.Field, bf.Value)
	}
	return appError(http.StatusBadRequest, 0, err.Error())
}

func idString(n int64) string { return strconv.FormatInt(n, 10) }
