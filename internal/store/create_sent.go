package store

import (
	"context"
	"fmt"
)

// NoteCreateSent records that a create of the Auvo record auvoID is about to be sent to the
// integration's ERP, and reports whether one was sent before (by any node, before any restart).
// When it was, the earlier create may have got through without its link being saved, so the
// caller must look for that record before creating again.
func (c *conn) NoteCreateSent(ctx context.Context, tenant TenantID, integration IntegrationID, e Entity, auvoID string) (bool, error) {
	res, err := c.exec(ctx, `INSERT INTO creates_sent (tenant_id, integration_id, entity, auvo_id, sent_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (integration_id, entity, auvo_id) DO NOTHING`,
		tenant, integration, e, auvoID, now())
	if err != nil {
		return false, fmt.Errorf("store: create sent %s %s: %w", e, auvoID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: create sent %s %s: %w", e, auvoID, err)
	}
	return n == 0, nil
}
