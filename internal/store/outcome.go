package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pontehub/ponte/internal/br"
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
		auvo_id, erp_id, name, document, diff, at, search_name, search_doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.TenantID, o.IntegrationID, run, o.Flow, o.Action, o.Reason, o.Message, o.AuvoID, o.ERPID, o.Name,
		o.Document, o.Diff, o.At.UTC(), br.Fold(o.Name), docKey(o.Document))
	if err != nil {
		return 0, fmt.Errorf("store: insert outcome: %w", err)
	}
	return id, nil
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

// OutcomeByID returns one outcome of the tenant, or ErrNotFound.
func (c *conn) OutcomeByID(ctx context.Context, tenant TenantID, id int64) (Outcome, error) {
	o, err := scanOutcome(c.queryRow(ctx, `SELECT `+outcomeCols+` FROM outcomes WHERE tenant_id = ? AND id = ?`, tenant, id))
	if err != nil {
		return Outcome{}, notFound(err, "outcome %d", id)
	}
	return o, nil
}

// SkippedRecords returns, oldest first and at most limit, the records of one flow of the tenant's
// integration whose last outcome is a skip: what "Reprocessar ignorados" tries again (SPEC OP2).
// A record is its Auvo id, or its ERP id when the outcome has no Auvo id.
func (c *conn) SkippedRecords(ctx context.Context, tenant TenantID, id IntegrationID, f Flow, limit int) ([]Outcome, error) {
	rows, err := c.query(ctx, `SELECT `+outcomeCols+` FROM outcomes o
		WHERE o.tenant_id = ? AND o.integration_id = ? AND o.flow = ? AND o.action = ?
		AND NOT EXISTS (SELECT 1 FROM outcomes n WHERE n.tenant_id = o.tenant_id AND n.integration_id = o.integration_id
			AND n.flow = o.flow AND n.id > o.id
			AND ((o.auvo_id <> '' AND n.auvo_id = o.auvo_id) OR (o.auvo_id = '' AND n.erp_id = o.erp_id)))
		ORDER BY o.id LIMIT ?`, tenant, id, f, ActionSkipped, limit)
	if err != nil {
		return nil, fmt.Errorf("store: skipped records: %w", err)
	}
	defer rows.Close()
	var out []Outcome
	for rows.Next() {
		o, err := scanOutcome(rows)
		if err != nil {
			return nil, fmt.Errorf("store: skipped records: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
