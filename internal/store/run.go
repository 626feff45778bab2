package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// CycleID identifies one execution of an integration's job.
type CycleID int64

// RunID identifies one flow run.
type RunID int64

// Cycle is one execution of an integration's job for one scheduled slot.
type Cycle struct {
	ID            CycleID
	TenantID      TenantID
	IntegrationID IntegrationID
	Slot          time.Time // the scheduled time this cycle serves
	Node          string
	StartedAt     time.Time
	FinishedAt    time.Time
	Status        string // running, done, failed
	Error         string
}

// StartCycle records that node began the integration's cycle for slot.
func (c *conn) StartCycle(ctx context.Context, tenant TenantID, id IntegrationID, slot time.Time, node string) (CycleID, error) {
	cid, err := c.insert(ctx, `INSERT INTO cycles (tenant_id, integration_id, slot, node, started_at) VALUES (?, ?, ?, ?, ?)`,
		tenant, id, slot.UTC(), node, now())
	if err != nil {
		return 0, fmt.Errorf("store: start cycle: %w", err)
	}
	return CycleID(cid), nil
}

// FinishCycle records how a cycle ended.
func (c *conn) FinishCycle(ctx context.Context, tenant TenantID, id CycleID, status, errText string) error {
	return c.updateOne(ctx, `UPDATE cycles SET finished_at = ?, status = ?, error = ? WHERE tenant_id = ? AND id = ?`,
		now(), status, errText, tenant, id)
}

// Cycles lists the tenant integration's cycles, newest first.
func (c *conn) Cycles(ctx context.Context, tenant TenantID, id IntegrationID, limit int) ([]Cycle, error) {
	return c.listCycles(ctx, `SELECT id, tenant_id, integration_id, slot, node, started_at, finished_at, status, error
		FROM cycles WHERE tenant_id = ? AND integration_id = ? ORDER BY slot DESC, id DESC LIMIT ?`, tenant, id, limit)
}

// AllCyclesSince lists every tenant's cycles whose slot is at or after t: for operators and the
// scheduling tests that check each integration ran exactly once per period.
func (c *conn) AllCyclesSince(ctx context.Context, t time.Time) ([]Cycle, error) {
	return c.listCycles(ctx, `SELECT id, tenant_id, integration_id, slot, node, started_at, finished_at, status, error
		FROM cycles WHERE slot >= ? ORDER BY integration_id, slot`, t.UTC())
}

func (c *conn) listCycles(ctx context.Context, query string, args ...any) ([]Cycle, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: cycles: %w", err)
	}
	defer rows.Close()
	var out []Cycle
	for rows.Next() {
		var (
			cy  Cycle
			fin sql.NullTime
		)
		if err := rows.Scan(&cy.ID, &cy.TenantID, &cy.IntegrationID, &cy.Slot, &cy.Node, &cy.StartedAt, &fin, &cy.Status, &cy.Error); err != nil {
			return nil, fmt.Errorf("store: cycles: %w", err)
		}
		cy.FinishedAt = fin.Time
		out = append(out, cy)
	}
	return out, rows.Err()
}

// Counts are what a flow run did, record by record (SPEC V1).
type Counts struct {
	Read, Created, Linked, Updated, Skipped, Failed int
}

// Run is one flow run.
type Run struct {
	ID            RunID
	TenantID      TenantID
	IntegrationID IntegrationID
	CycleID       CycleID
	Flow          Flow
	StartedAt     time.Time
	FinishedAt    time.Time
	Status        string // running, done, failed, throttled
	Counts        Counts
	Error         string
}

// StartRun records the start of one flow within a cycle.
func (c *conn) StartRun(ctx context.Context, tenant TenantID, id IntegrationID, cycle CycleID, f Flow) (RunID, error) {
	var cyc sql.NullInt64
	if cycle != 0 {
		cyc = sql.NullInt64{Int64: int64(cycle), Valid: true}
	}
	rid, err := c.insert(ctx, `INSERT INTO runs (tenant_id, integration_id, cycle_id, flow, started_at) VALUES (?, ?, ?, ?, ?)`,
		tenant, id, cyc, f, now())
	if err != nil {
		return 0, fmt.Errorf("store: start run: %w", err)
	}
	return RunID(rid), nil
}

// FinishRun records a run's result.
func (c *conn) FinishRun(ctx context.Context, tenant TenantID, id RunID, status string, n Counts, errText string) error {
	return c.updateOne(ctx, `UPDATE runs SET finished_at = ?, status = ?, n_read = ?, n_created = ?, n_linked = ?,
		n_updated = ?, n_skipped = ?, n_failed = ?, error = ? WHERE tenant_id = ? AND id = ?`,
		now(), status, n.Read, n.Created, n.Linked, n.Updated, n.Skipped, n.Failed, errText, tenant, id)
}

// Runs lists the tenant integration's runs of flow (all flows when empty), newest first.
func (c *conn) Runs(ctx context.Context, tenant TenantID, id IntegrationID, f Flow, limit, offset int) ([]Run, error) {
	q := `SELECT id, tenant_id, integration_id, cycle_id, flow, started_at, finished_at, status,
		n_read, n_created, n_linked, n_updated, n_skipped, n_failed, error
		FROM runs WHERE tenant_id = ? AND integration_id = ?`
	args := []any{tenant, id}
	if f != "" {
		q += ` AND flow = ?`
		args = append(args, f)
	}
	q += ` ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`
	return c.listRuns(ctx, q, append(args, limit, offset)...)
}

func (c *conn) listRuns(ctx context.Context, q string, args ...any) ([]Run, error) {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var (
			r    Run
			cyc  sql.NullInt64
			fin  sql.NullTime
			flow string
		)
		if err := rows.Scan(&r.ID, &r.TenantID, &r.IntegrationID, &cyc, &flow, &r.StartedAt, &fin, &r.Status,
			&r.Counts.Read, &r.Counts.Created, &r.Counts.Linked, &r.Counts.Updated, &r.Counts.Skipped, &r.Counts.Failed, &r.Error); err != nil {
			return nil, fmt.Errorf("store: runs: %w", err)
		}
		r.CycleID, r.FinishedAt, r.Flow = CycleID(cyc.Int64), fin.Time, Flow(flow)
		out = append(out, r)
	}
	return out, rows.Err()
}

// AcquireCycleLease takes the integration for owner until the given time, unless another owner
// holds an unexpired lease. It reports whether owner now holds it.
func (c *conn) AcquireCycleLease(ctx context.Context, id IntegrationID, owner string, until time.Time) (bool, error) {
	t := now()
	res, err := c.exec(ctx, `UPDATE integrations SET lease_owner = ?, lease_until = ?
		WHERE id = ? AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)`, owner, until.UTC(), id, t, owner)
	if err != nil {
		return false, fmt.Errorf("store: lease integration %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseCycleLease frees the integration if owner holds it.
func (c *conn) ReleaseCycleLease(ctx context.Context, id IntegrationID, owner string) error {
	_, err := c.exec(ctx, `UPDATE integrations SET lease_owner = '', lease_until = NULL WHERE id = ? AND lease_owner = ?`, id, owner)
	if err != nil {
		return fmt.Errorf("store: release integration %d: %w", id, err)
	}
	return nil
}
