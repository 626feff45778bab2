package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ClaimManualSync records, within ex, that a manual cycle of the tenant's integration starts at
// t (SPEC OP1). It reports false, changing nothing, when the integration is not active or the
// last manual cycle was accepted less than every ago, so the check holds across nodes.
func (s *Store) ClaimManualSync(ctx context.Context, ex Execer, tenant TenantID, id IntegrationID, t time.Time, every time.Duration) (bool, error) {
	res, err := ex.ExecContext(ctx, s.q(`UPDATE integrations SET manual_sync_at = ?
		WHERE tenant_id = ? AND id = ? AND state = ? AND (manual_sync_at IS NULL OR manual_sync_at <= ?)`),
		t.UTC(), int64(tenant), int64(id), string(StateActive), t.Add(-every).UTC())
	if err != nil {
		return false, fmt.Errorf("store: claim manual sync of %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ManualSyncAt is when the tenant integration's last manual cycle was accepted; zero when never.
func (c *conn) ManualSyncAt(ctx context.Context, tenant TenantID, id IntegrationID) (time.Time, error) {
	var t sql.NullTime
	err := c.queryRow(ctx, `SELECT manual_sync_at FROM integrations WHERE tenant_id = ? AND id = ?`, tenant, id).Scan(&t)
	if err != nil {
		return time.Time{}, notFound(err, "integration %d", id)
	}
	return t.Time, nil
}
