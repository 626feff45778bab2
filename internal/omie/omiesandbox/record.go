package omiesandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/omie"
)

// record is one stored Omie object, kept as the JSON object Omie would answer, so nothing a
// caller sends is lost and answers carry exactly the stored keys.
type record = map[string]any

// fault is an Omie error answer.
type fault struct {
	status int
	code   string // left out of the body when empty, as in the captured samples without one
	text   string
}

func (f *fault) body() map[string]string {
	b := map[string]string{"faultstring": f.text}
	if f.code != "" {
		b["faultcode"] = f.code
	}
	return b
}

func clientFault(code, format string, args ...any) *fault {
	return &fault{status: http.StatusInternalServerError, code: code, text: fmt.Sprintf(format, args...)}
}

func validation(text string) *fault {
	return &fault{status: http.StatusInternalServerError, code: omie.CodeValidation, text: text}
}

// required answers a missing mandatory tag. [U] The real text is unknown.
func required(tag string) *fault {
	return validation(fmt.Sprintf("ERROR: A tag [%s] é de preenchimento obrigatório !", tag))
}

func noRecords(page int) *fault {
	return clientFault(omie.CodeNoRecords, "ERROR: Não existem registros para a página [%d]!", page)
}

// countsAsMisuse reports the faults that push a key towards the misuse block: every fault but
// the ordinary "no records" and "not found" answers, which well-behaved integrations get all day.
func (f *fault) countsAsMisuse() bool {
	switch f.code {
	case omie.CodeNoRecords, omie.CodeNotFoundByID, omie.CodeNotFoundByIntCod, omie.CodeNoneFound, omie.CodeServiceNotFound:
		return false
	}
	return true
}

// decodeRecord reads one JSON object, keeping numbers exact (ids exceed 2^53 in principle).
func decodeRecord(b []byte) (record, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var r record
	if err := d.Decode(&r); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, fmt.Errorf("esperado um objeto JSON")
	}
	return r, nil
}

// toRecord turns a typed value (an omie struct) into a record.
func toRecord(v any) record {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // omie structs always marshal
	}
	r, err := decodeRecord(b)
	if err != nil {
		panic(err)
	}
	return r
}

// fromRecord turns a record into a typed value.
func fromRecord[T any](r record) T {
	var out T
	b, _ := json.Marshal(r)
	_ = json.Unmarshal(b, &out)
	return out
}

// clone deep-copies a record so callers never share the stored maps.
func clone(r record) record {
	b, _ := json.Marshal(r)
	out, _ := decodeRecord(b)
	return out
}

func str(r record, key string) string {
	switch v := r[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return ""
}

func i64(r record, key string) int64 {
	switch v := r[key].(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
		f, _ := v.Float64()
		return int64(f)
	case string:
		n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return n
	case float64:
		return int64(v)
	case int64:
		return v
	case int:
		return int64(v)
	}
	return 0
}

func num(r record, key string) float64 {
	switch v := r[key].(type) {
	case json.Number:
		f, _ := v.Float64()
		return f
	case string:
		f, _ := strconv.ParseFloat(v, 64)
		return f
	case float64:
		return v
	case int64:
		return float64(v)
	case int:
		return float64(v)
	}
	return 0
}

func obj2(r record, key string) record {
	if m, ok := r[key].(map[string]any); ok {
		return m
	}
	return nil
}

// ensure returns r[key] as an object, creating it when missing.
func ensure(r record, key string) record {
	if m := obj2(r, key); m != nil {
		return m
	}
	m := record{}
	r[key] = m
	return m
}

func list(r record, key string) []record {
	arr, _ := r[key].([]any)
	out := make([]record, 0, len(arr))
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func flag(r record, key string) bool { return str(r, key) == "S" }

// stamp writes the audit fields of a write at now: inclusion and change on create (so that an
// incremental list filtered on changes also sees new records), change only on update.
// [U] Whether Omie fills dAlt on creation is not documented; the sync engine's
// filtrar_apenas_alteracao cursor would miss new customers otherwise.
func stamp(info record, now time.Time, created bool, user string) {
	d, h := omie.FormatDate(now), omie.FormatTime(now)
	if created {
		info["dInc"], info["hInc"], info["uInc"] = d, h, user
	}
	info["dAlt"], info["hAlt"], info["uAlt"] = d, h, user
}

// window is an inclusion/change period filter.
type window struct {
	from, to     time.Time
	hasFrom      bool
	hasTo        bool
	onlyIncluded bool
	onlyChanged  bool
}

// parseWindow reads "dd/mm/aaaa" dates and optional "hh:mm:ss" times. A start without time starts
// at 00:00:00 and an end without time ends at 23:59:59; a time without its date is ignored [U].
func parseWindow(dateFrom, timeFrom, dateTo, timeTo string, onlyInc, onlyAlt bool) (window, *fault) {
	w := window{onlyIncluded: onlyInc, onlyChanged: onlyAlt}
	if dateFrom != "" {
		t, err := omie.ParseDateTime(dateFrom, timeFrom)
		if err != nil {
			return w, validation(fmt.Sprintf("ERROR: Data/hora inicial inválida [%s %s] !", dateFrom, timeFrom))
		}
		w.from, w.hasFrom = t, true
	}
	if dateTo != "" {
		if timeTo == "" {
			timeTo = "23:59:59"
		}
		t, err := omie.ParseDateTime(dateTo, timeTo)
		if err != nil {
			return w, validation(fmt.Sprintf("ERROR: Data/hora final inválida [%s %s] !", dateTo, timeTo))
		}
		w.to, w.hasTo = t, true
	}
	return w, nil
}

// match reports whether a record included at inc and changed at alt falls in the window.
// [I] Without filtrar_apenas_*, either date may match ("incluídos e/ou alterados").
func (w window) match(inc, alt time.Time) bool {
	if !w.hasFrom && !w.hasTo {
		return true
	}
	in := func(t time.Time) bool {
		return !t.IsZero() && (!w.hasFrom || !t.Before(w.from)) && (!w.hasTo || !t.After(w.to))
	}
	switch {
	case w.onlyIncluded:
		return in(inc)
	case w.onlyChanged:
		return in(alt)
	}
	return in(inc) || in(alt)
}

// at reads a date and time from r, the zero time when absent.
func at(r record, dateKey, timeKey string) time.Time {
	if r == nil || str(r, dateKey) == "" {
		return time.Time{}
	}
	t, _ := omie.ParseDateTime(str(r, dateKey), str(r, timeKey))
	return t
}

// page cuts one page out of rows. An empty result, or a page past the last, is Omie's 5113 fault.
// [U] The hard page-size maximum is unknown; the sandbox caps at 500 (Omie's recommended maximum)
// and defaults to 50.
func page(rows []record, pageNo, size int, empty func(int) *fault) ([]record, int, *fault) {
	if pageNo < 1 {
		pageNo = 1
	}
	if size <= 0 {
		size = 50
	}
	size = min(size, 500)
	total := int(math.Ceil(float64(len(rows)) / float64(size)))
	if len(rows) == 0 || pageNo > total {
		return nil, total, empty(pageNo)
	}
	end := min(len(rows), pageNo*size)
	return rows[(pageNo-1)*size : end], total, nil
}

// listPage answers a geral/* list: pagina, total_de_paginas, registros, total_de_registros.
func listPage(p record, rows []record, listKey string) (any, *fault) {
	pg := int(i64(p, "pagina"))
	cut, total, f := page(rows, pg, int(i64(p, "registros_por_pagina")), noRecords)
	if f != nil {
		return nil, f
	}
	return record{"pagina": max(pg, 1), "total_de_paginas": total, "registros": len(cut),
		"total_de_registros": len(rows), listKey: cut}, nil
}

// nListPage answers an estoque/* or servicos/* list: nPagina, nTotPaginas, nRegistros, nTotRegistros.
func nListPage(p record, rows []record, listKey string) (record, *fault) {
	pg := int(i64(p, "nPagina"))
	cut, total, f := page(rows, pg, int(i64(p, "nRegPorPagina")), noRecords)
	if f != nil {
		return nil, f
	}
	return record{"nPagina": max(pg, 1), "nTotPaginas": total, "nRegistros": len(cut),
		"nTotRegistros": len(rows), listKey: cut}, nil
}

// table is a set of records keyed by an int64 id found at a path inside each record.
type table struct {
	idPath []string
	rows   map[int64]record
}

func newTable(idPath ...string) *table { return &table{idPath: idPath, rows: map[int64]record{}} }

func (t *table) idOf(r record) int64 {
	for _, k := range t.idPath[:len(t.idPath)-1] {
		r = obj2(r, k)
		if r == nil {
			return 0
		}
	}
	return i64(r, t.idPath[len(t.idPath)-1])
}

func (t *table) setID(r record, id int64) {
	for _, k := range t.idPath[:len(t.idPath)-1] {
		r = ensure(r, k)
	}
	r[t.idPath[len(t.idPath)-1]] = id
}

// sorted returns the records in id order, which is Omie's default order ("Código") [I].
func (t *table) sorted() []record {
	ids := make([]int64, 0, len(t.rows))
	for id := range t.rows {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]record, len(ids))
	for i, id := range ids {
		out[i] = t.rows[id]
	}
	return out
}

// find returns the first record for which match is true.
func (t *table) find(match func(record) bool) record {
	for _, r := range t.sorted() {
		if match(r) {
			return r
		}
	}
	return nil
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			return r
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return -1
	}, s)
}
