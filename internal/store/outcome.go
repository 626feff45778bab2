package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Action is what the engine did with one record (SPEC V2).
type Action string

// The actions an outcome records.
const (
	ActionCreated   Action = "created"
	ActionLinked    Action = "linked"
	ActionUpdated   Action = "updated"
	ActionUnchanged Action = "unchanged"
	ActionSkipped   Action = "skipped"
	ActionLocked    Action = "locked"
	ActionFailed    Action = "failed"
)

// Label is the action as the run log shows it.
func (a Action) Label() string {
	switch a {
	case ActionCreated:
		return "criado"
	case ActionLinked:
		return "vinculado"
	case ActionUpdated:
		return "atualizado"
	case ActionUnchanged:
		return "sem alteração"
	case ActionSkipped:
		return "não integrado"
	case ActionLocked:
		return "travado"
	case ActionFailed:
		return "falhou"
	}
	return string(a)
}

// Outcome is what happened to one record in one run, and why.
type Outcome struct {
	ID            int64
	TenantID      TenantID
	IntegrationID IntegrationID
	RunID         RunID // zero when not part of a recorded run
	Flow          Flow
	Action        Action
	Reason        string // stable reason code, e.g. no_document
	Message       string // plain Portuguese, naming the rule
	AuvoID        string
	ERPID         string
	Name          string
	Document      string
	Diff          string // JSON of the field changes, when any
	At            time.Time
}

// InsertOutcome records an outcome; the engine calls it in the transaction that saves the link.
func (c *conn) InsertOutcome(ctx context.Context, o Outcome) (int64, error) {
	if o.At.IsZero() {
		o.At = now()
	}
	var run sql.NullInt64
	if o.RunID != 0 {
		run = sql.NullInt64{Int64: int64(o.RunID), Valid: true}
	}
	id, err := c.insert(ctx, `INSERT INTO outcomes (tenant_id, integration_id, run_id, flow, action, reason, message,
		auvo_id, erp_id, name, document, diff, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.TenantID, o.IntegrationID, run, o.Flow, o.Action, o.Reason, o.Message, o.AuvoID, o.ERPID, o.Name,
		o.Document, o.Diff, o.At.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: insert outcome: %w", err)
	}
	return id, nil
}

// OutcomeFilter selects outcomes; zero fields select everything. Text matches the record's
// name, document or ids (case-insensitive substring).
type OutcomeFilter struct {
	Flow   Flow
	Action Action
	Reason string
	Text   string
	RunID  RunID
	Limit  int // default 50
	Offset int
}

func (f OutcomeFilter) where(tenant TenantID, id IntegrationID) (string, []any) {
	w := ` WHERE tenant_id = ? AND integration_id = ?`
	args := []any{tenant, id}
	if f.Flow != "" {
		w += ` AND flow = ?`
		args = append(args, f.Flow)
	}
	if f.Action != "" {
		w += ` AND action = ?`
		args = append(args, f.Action)
	}
	if f.Reason != "" {
		w += ` AND reason = ?`
		args = append(args, f.Reason)
	}
	if f.RunID != 0 {
		w += ` AND run_id = ?`
		args = append(args, f.RunID)
	}
	if t := strings.ToLower(strings.TrimSpace(f.Text)); t != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(t) + "%"
		w += ` AND (LOWER(name) LIKE ? ESCAPE '\' OR document LIKE ? ESCAPE '\' OR auvo_id LIKE ? ESCAPE '\' OR erp_id LIKE ? ESCAPE '\')`
		args = append(args, like, like, like, like)
	}
	return w, args
}

// Outcomes lists the tenant integration's outcomes that f selects, newest first, and how many
// there are in all.
func (c *conn) Outcomes(ctx context.Context, tenant TenantID, id IntegrationID, f OutcomeFilter) ([]Outcome, int, error) {
	w, args := f.where(tenant, id)
	var total int
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM outcomes`+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: outcomes: %w", err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := c.query(ctx, `SELECT `+outcomeCols+` FROM outcomes`+w+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: outcomes: %w", err)
	}
	defer rows.Close()
	var out []Outcome
	for rows.Next() {
		o, err := scanOutcome(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: outcomes: %w", err)
		}
		out = append(out, o)
	}
	return out, total, rows.Err()
}

const outcomeCols = `id, tenant_id, integration_id, run_id, flow, action, reason, message, auvo_id, erp_id, name, document, diff, at`

func scanOutcome(row interface{ Scan(...any) error }) (Outcome, error) {
	var (
		o            Outcome
		run          sql.NullInt64
		flow, action string
	)
	err := row.Scan(&o.ID, &o.TenantID, &o.IntegrationID, &run, &flow, &action, &o.Reason, &o.Message,
		&o.AuvoID, &o.ERPID, &o.Name, &o.Document, &o.Diff, &o.At)
	o.RunID, o.Flow, o.Action = RunID(run.Int64), Flow(flow), Action(action)
	return o, err
}

// ReasonCount is how many outcomes had one action and reason.
type ReasonCount struct {
	Action Action
	Reason string
	N      int
}

// OutcomeReasonCounts counts the tenant integration's outcomes per action and reason, for one
// run (or all runs when run is zero), most frequent first.
func (c *conn) OutcomeReasonCounts(ctx context.Context, tenant TenantID, id IntegrationID, run RunID) ([]ReasonCount, error) {
	w, args := OutcomeFilter{RunID: run}.where(tenant, id)
	rows, err := c.query(ctx, `SELECT action, reason, COUNT(*) FROM outcomes`+w+
		` GROUP BY action, reason ORDER BY COUNT(*) DESC, action, reason`, args...)
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

// LastOutcome returns the newest outcome of one record in one flow of the tenant's integration,
// by its Auvo id (or, when auvoID is empty, its ERP id), or ErrNotFound. The engine uses it to
// leave out an outcome that only repeats the last one.
func (c *conn) LastOutcome(ctx context.Context, tenant TenantID, id IntegrationID, f Flow, auvoID, erpID string) (Outcome, error) {
	col, val := "auvo_id", auvoID
	if auvoID == "" {
		col, val = "erp_id", erpID
	}
	o, err := scanOutcome(c.queryRow(ctx, `SELECT `+outcomeCols+` FROM outcomes
		WHERE tenant_id = ? AND integration_id = ? AND flow = ? AND `+col+` = ? ORDER BY id DESC LIMIT 1`, tenant, id, f, val))
	if err != nil {
		return Outcome{}, notFound(err, "last outcome of %s", val)
	}
	return o, nil
}
