package store

import (
	"context"
	"strings"
	"time"
)

// CyclesPage lists one page of the tenant integration's cycles, newest first: the Execuções
// page shows one line per cycle (issue 17).
func (c *conn) CyclesPage(ctx context.Context, tenant TenantID, id IntegrationID, limit, offset int) ([]Cycle, error) {
	return c.listCycles(ctx, `SELECT id, tenant_id, integration_id, slot, node, started_at, finished_at, status, error
		FROM cycles WHERE tenant_id = ? AND integration_id = ? ORDER BY slot DESC, id DESC LIMIT ? OFFSET ?`, tenant, id, limit, offset)
}

// CycleRuns lists the flow runs of the given cycles of the tenant's integration, oldest first
// within each cycle.
func (c *conn) CycleRuns(ctx context.Context, tenant TenantID, id IntegrationID, cycles []CycleID) ([]Run, error) {
	if len(cycles) == 0 {
		return nil, nil
	}
	args := []any{tenant, id}
	for _, cy := range cycles {
		args = append(args, cy)
	}
	return c.listRuns(ctx, `SELECT id, tenant_id, integration_id, cycle_id, flow, started_at, finished_at, status,
		n_read, n_created, n_linked, n_updated, n_skipped, n_failed, error
		FROM runs WHERE tenant_id = ? AND integration_id = ? AND cycle_id IN (?`+strings.Repeat(", ?", len(cycles)-1)+`)
		ORDER BY cycle_id, started_at, id`, args...)
}

// RunsOutsideCycles lists the tenant integration's runs that belong to no cycle (started on
// their own, like a reprocessing) with from <= started_at < to, newest first; a zero bound is
// open.
func (c *conn) RunsOutsideCycles(ctx context.Context, tenant TenantID, id IntegrationID, from, to time.Time, limit int) ([]Run, error) {
	q := `SELECT id, tenant_id, integration_id, cycle_id, flow, started_at, finished_at, status,
		n_read, n_created, n_linked, n_updated, n_skipped, n_failed, error
		FROM runs WHERE tenant_id = ? AND integration_id = ? AND cycle_id IS NULL`
	args := []any{tenant, id}
	if !from.IsZero() {
		q += ` AND started_at >= ?`
		args = append(args, from.UTC())
	}
	if !to.IsZero() {
		q += ` AND started_at < ?`
		args = append(args, to.UTC())
	}
	return c.listRuns(ctx, q+` ORDER BY started_at DESC, id DESC LIMIT ?`, append(args, limit)...)
}
