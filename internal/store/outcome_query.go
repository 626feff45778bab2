package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pontehub/ponte/internal/br"
)

// MaxOutcomeSearch is the longest search the run log accepts, in characters: names and documents
// are far shorter, and a longer LIKE pattern only costs the database (SQLite refuses patterns
// over 50,000 bytes).
const MaxOutcomeSearch = 100

// ErrSearchTooLong is returned for a search longer than MaxOutcomeSearch.
var ErrSearchTooLong = errors.New("store: search too long")

// OutcomeCursor marks the last outcome of a run-log page; the next page starts just after it
// (older). The zero cursor starts at the newest outcome.
type OutcomeCursor struct {
	At time.Time
	ID int64
}

// IsZero reports whether the cursor is the start of the log.
func (k OutcomeCursor) IsZero() bool { return k.ID == 0 }

// String is the cursor as a URL parameter: the time in Unix nanoseconds and the id.
func (k OutcomeCursor) String() string {
	if k.IsZero() {
		return ""
	}
	return strconv.FormatInt(k.At.UnixNano(), 10) + "." + strconv.FormatInt(k.ID, 10)
}

// ParseOutcomeCursor reads a cursor written by String.
func ParseOutcomeCursor(s string) (OutcomeCursor, error) {
	ts, id, ok := strings.Cut(s, ".")
	n, err1 := strconv.ParseInt(ts, 10, 64)
	i, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || i <= 0 || n <= 0 {
		return OutcomeCursor{}, fmt.Errorf("store: bad outcome cursor %q", s)
	}
	return OutcomeCursor{At: time.Unix(0, n).UTC(), ID: i}, nil
}

// OutcomeFilter selects outcomes; zero fields select everything. Text matches the record's name
// with accents and case ignored, its document by letters and digits only (punctuation ignored),
// or its ids on either side.
type OutcomeFilter struct {
	Flow   Flow
	Action Action
	Reason string
	Text   string
	RunID  RunID
	From   time.Time     // at or after, when set
	To     time.Time     // before, when set
	After  OutcomeCursor // page: only outcomes older than this one
	Limit  int           // default 50
}

// countable reports whether the per-run counts answer the filter's total exactly.
func (f OutcomeFilter) countable() bool {
	return strings.TrimSpace(f.Text) == "" && f.From.IsZero() && f.To.IsZero()
}

// docKey is a document reduced to what identifies it: letters (of an alphanumeric CNPJ) and
// digits, upper-cased. "61.823.860/0001-10" and "61823860000110" have the same key.
func docKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		}
	}
	return b.String()
}

// docQuery is the document key of a search that looks like a document (digits, letters and the
// punctuation documents are written with, at least one digit), or "".
func docQuery(s string) string {
	digit := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '.', r == '-', r == '/', r == ' ':
		default:
			return ""
		}
	}
	if !digit {
		return ""
	}
	return docKey(s)
}

func likeArg(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}

// where is the filter as SQL; page adds the keyset condition.
func (f OutcomeFilter) where(tenant TenantID, id IntegrationID, page bool) (string, []any, error) {
	w := ` WHERE tenant_id = ? AND integration_id = ?`
	args := []any{tenant, id}
	add := func(cond string, a ...any) {
		w += ` AND ` + cond
		args = append(args, a...)
	}
	if f.Flow != "" {
		add(`flow = ?`, f.Flow)
	}
	if f.Action != "" {
		add(`action = ?`, f.Action)
	}
	if f.Reason != "" {
		add(`reason = ?`, f.Reason)
	}
	if f.RunID != 0 {
		add(`run_id = ?`, f.RunID)
	}
	if !f.From.IsZero() {
		add(`at >= ?`, f.From.UTC())
	}
	if !f.To.IsZero() {
		add(`at < ?`, f.To.UTC())
	}
	if page && !f.After.IsZero() {
		add(`(at, id) < (?, ?)`, f.After.At.UTC(), f.After.ID)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		if utf8.RuneCountInString(t) > MaxOutcomeSearch {
			return "", nil, ErrSearchTooLong
		}
		d := docQuery(t)
		if len(d) == 11 || len(d) == 14 {
			// A whole CPF or CNPJ is looked up in its index; nothing else is that long.
			add(`search_doc = ?`, d)
			return w, args, nil
		}
		raw := likeArg(t)
		cond := `(search_name LIKE ? ESCAPE '\' OR auvo_id LIKE ? ESCAPE '\' OR erp_id LIKE ? ESCAPE '\'`
		a := []any{likeArg(br.Fold(t)), raw, raw}
		if d != "" {
			cond += ` OR search_doc LIKE ? ESCAPE '\'`
			a = append(a, likeArg(d))
		}
		add(cond+`)`, a...)
	}
	return w, args, nil
}

// Outcomes lists one page of the tenant integration's outcomes that f selects, newest first.
// The page after it is f with After set to the last outcome's cursor (keyset paging: page 500 is
// as cheap as page 1).
func (c *conn) Outcomes(ctx context.Context, tenant TenantID, id IntegrationID, f OutcomeFilter) ([]Outcome, error) {
	w, args, err := f.where(tenant, id, true)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := c.query(ctx, `SELECT `+outcomeCols+` FROM outcomes`+w+` ORDER BY at DESC, id DESC LIMIT ?`,
		append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: outcomes: %w", err)
	}
	defer rows.Close()
	var out []Outcome
	for rows.Next() {
		o, err := scanOutcome(rows)
		if err != nil {
			return nil, fmt.Errorf("store: outcomes: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: outcomes: %w", err)
	}
	return out, nil
}

// Cursor is where a page that ends with o stops.
func (o Outcome) Cursor() OutcomeCursor { return OutcomeCursor{At: o.At, ID: o.ID} }

// EachOutcome calls fn with every outcome f selects, newest first, reading batches of a thousand
// by keyset so memory stays constant and, on SQLite, the single connection is free between
// batches. f.After and f.Limit are ignored. An error from fn stops the walk and is returned.
func (c *conn) EachOutcome(ctx context.Context, tenant TenantID, id IntegrationID, f OutcomeFilter, fn func(Outcome) error) error {
	f.After, f.Limit = OutcomeCursor{}, 1000
	for {
		page, err := c.Outcomes(ctx, tenant, id, f)
		if err != nil {
			return err
		}
		for _, o := range page {
			if err := fn(o); err != nil {
				return err
			}
		}
		if len(page) < f.Limit {
			return nil
		}
		f.After = page[len(page)-1].Cursor()
	}
}

// CountOutcomes counts what f selects (ignoring f.After). Filters by flow, action, reason and run
// are answered exactly from the per-run counts; a search or a date range counts at most max rows
// and reports exact = false when there are more.
func (c *conn) CountOutcomes(ctx context.Context, tenant TenantID, id IntegrationID, f OutcomeFilter, max int) (n int, exact bool, err error) {
	if f.countable() {
		w := ` WHERE tenant_id = ? AND integration_id = ?`
		args := []any{tenant, id}
		for _, c := range []struct {
			col string
			v   any
			set bool
		}{{"flow", f.Flow, f.Flow != ""}, {"action", f.Action, f.Action != ""}, {"reason", f.Reason, f.Reason != ""}, {"run_id", f.RunID, f.RunID != 0}} {
			if c.set {
				w += ` AND ` + c.col + ` = ?`
				args = append(args, c.v)
			}
		}
		if err := c.queryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM outcome_counts`+w, args...).Scan(&n); err != nil {
			return 0, false, fmt.Errorf("store: count outcomes: %w", err)
		}
		return n, true, nil
	}
	w, args, err := f.where(tenant, id, false)
	if err != nil {
		return 0, false, err
	}
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM outcomes`+w+` LIMIT ?) AS page`,
		append(args, max+1)...).Scan(&n); err != nil {
		return 0, false, fmt.Errorf("store: count outcomes: %w", err)
	}
	if n > max {
		return max, false, nil
	}
	return n, true, nil
}

// ReasonCount is how many outcomes had one action and reason.
type ReasonCount struct {
	Action Action
	Reason string
	N      int
}

// OutcomeReasonCounts counts the tenant integration's outcomes per action and reason, for one
// run (or all runs when run is zero), most frequent first, from the per-run counts.
func (c *conn) OutcomeReasonCounts(ctx context.Context, tenant TenantID, id IntegrationID, run RunID) ([]ReasonCount, error) {
	w := ` WHERE tenant_id = ? AND integration_id = ?`
	args := []any{tenant, id}
	if run != 0 {
		w += ` AND run_id = ?`
		args = append(args, run)
	}
	rows, err := c.query(ctx, `SELECT action, reason, SUM(n) FROM outcome_counts`+w+
		` GROUP BY action, reason HAVING SUM(n) > 0 ORDER BY SUM(n) DESC, action, reason`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: outcome counts: %w", err)
	}
	defer rows.Close()
	var out []ReasonCount
	for rows.Next() {
		var (
			rc     ReasonCount
			action string
		)
		if err := rows.Scan(&action, &rc.Reason, &rc.N); err != nil {
			return nil, fmt.Errorf("store: outcome counts: %w", err)
		}
		rc.Action = Action(action)
		out = append(out, rc)
	}
	return out, rows.Err()
}
