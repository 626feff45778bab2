package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// StartLeasedCycle records that node began the integration's cycle for slot under the lease
// owner, so that InterruptDeadCycles can tell a live cycle from one whose process is gone.
func (c *conn) StartLeasedCycle(ctx context.Context, tenant TenantID, id IntegrationID, slot time.Time, node, owner string) (CycleID, error) {
	cid, err := c.insert(ctx, `INSERT INTO cycles (tenant_id, integration_id, slot, node, started_at, lease_owner) VALUES (?, ?, ?, ?, ?, ?)`,
		tenant, id, slot.UTC(), node, now(), owner)
	if err != nil {
		return 0, fmt.Errorf("store: start cycle: %w", err)
	}
	return CycleID(cid), nil
}

// RenewCycleLease moves the lease of owner on the integration to until. It reports false when
// owner no longer holds it (it expired and another node took it): the cycle must stop.
func (c *conn) RenewCycleLease(ctx context.Context, id IntegrationID, owner string, until time.Time) (bool, error) {
	res, err := c.exec(ctx, `UPDATE integrations SET lease_until = ? WHERE id = ? AND lease_owner = ?`, until.UTC(), id, owner)
	if err != nil {
		return false, fmt.Errorf("store: renew lease of integration %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseNodeLeases frees every lease whose owner starts with node+"/": called by a node as it
// starts, before it runs anything, they are all its previous incarnation's, which is dead.
func (c *conn) ReleaseNodeLeases(ctx context.Context, node string) (int, error) {
	prefix := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(node) + "/%"
	res, err := c.exec(ctx, `UPDATE integrations SET lease_owner = '', lease_until = NULL WHERE lease_owner LIKE ? ESCAPE '\'`, prefix)
	if err != nil {
		return 0, fmt.Errorf("store: release leases of node %s: %w", node, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Interrupted is a cycle that InterruptDeadCycles closed.
type Interrupted struct {
	Cycle         CycleID
	TenantID      TenantID
	IntegrationID IntegrationID
	Slot          time.Time
	Node          string
}

// InterruptDeadCycles closes, as "interrupted" with reason, every cycle still marked running
// that started before olderThan and whose integration no longer holds the lease it ran under
// (its process died: the lease expired or was released), together with its unfinished runs.
// Cycles recorded without a lease owner (before leases were recorded) are closed once they are
// older than legacyBefore. Each cycle is closed by one UPDATE that checks it is still open, so
// when several nodes sweep at once each cycle is reported by exactly one of them.
func (c *conn) InterruptDeadCycles(ctx context.Context, olderThan, legacyBefore time.Time, reason string) ([]Interrupted, error) {
	t := now()
	rows, err := c.query(ctx, `SELECT cy.id, cy.tenant_id, cy.integration_id, cy.slot, cy.node FROM cycles cy
		JOIN integrations i ON i.id = cy.integration_id
		WHERE cy.finished_at IS NULL AND cy.started_at < ?
		  AND ((cy.lease_owner <> '' AND NOT (i.lease_owner = cy.lease_owner AND i.lease_until >= ?))
		       OR (cy.lease_owner = '' AND cy.started_at < ?))
		ORDER BY cy.id LIMIT 1000`, olderThan.UTC(), t, legacyBefore.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: dead cycles: %w", err)
	}
	var found []Interrupted
	for rows.Next() {
		var x Interrupted
		var id, ten, in int64
		if err := rows.Scan(&id, &ten, &in, &x.Slot, &x.Node); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: dead cycles: %w", err)
		}
		x.Cycle, x.TenantID, x.IntegrationID = CycleID(id), TenantID(ten), IntegrationID(in)
		found = append(found, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: dead cycles: %w", err)
	}
	var out []Interrupted
	for _, x := range found {
		res, err := c.exec(ctx, `UPDATE cycles SET finished_at = ?, status = 'interrupted', error = ? WHERE id = ? AND finished_at IS NULL`,
			t, reason, x.Cycle)
		if err != nil {
			return out, fmt.Errorf("store: interrupt cycle %d: %w", x.Cycle, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			continue // another node closed it first
		}
		if _, err := c.exec(ctx, `UPDATE runs SET finished_at = ?, status = 'interrupted', error = ? WHERE cycle_id = ? AND finished_at IS NULL`,
			t, reason, x.Cycle); err != nil {
			return out, fmt.Errorf("store: interrupt runs of cycle %d: %w", x.Cycle, err)
		}
		out = append(out, x)
	}
	return out, nil
}

// NewerCycleDone reports whether the integration has a cycle for a later slot than slot that
// finished: a job for slot that runs only now (River rescued it after a crash) is overtaken.
func (c *conn) NewerCycleDone(ctx context.Context, id IntegrationID, slot time.Time) (bool, error) {
	var n int
	err := c.queryRow(ctx, `SELECT COUNT(*) FROM cycles WHERE integration_id = ? AND slot > ? AND status = 'done'`,
		id, slot.UTC()).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: newer cycles of integration %d: %w", id, err)
	}
	return n > 0, nil
}
