package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"
)

// WebhookTarget is the integration a receiver token points at (SPEC WH2).
type WebhookTarget struct {
	TenantID TenantID
	ID       IntegrationID
	ERP      ERP
	State    State
}

// WebhookToken returns the tenant integration's receiver token, creating it on first use: 32
// random bytes in hex, so the URL cannot be guessed (SPEC WH1). It never changes afterwards, so
// a URL pasted into a partner's settings keeps working.
func (c *conn) WebhookToken(ctx context.Context, tenant TenantID, id IntegrationID) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("store: webhook token: %w", err)
	}
	if _, err := c.exec(ctx, `UPDATE integrations SET webhook_token = ? WHERE tenant_id = ? AND id = ? AND webhook_token IS NULL`,
		hex.EncodeToString(b), tenant, id); err != nil {
		return "", fmt.Errorf("store: webhook token of %d: %w", id, err)
	}
	var tok string
	if err := c.queryRow(ctx, `SELECT webhook_token FROM integrations WHERE tenant_id = ? AND id = ?`, tenant, id).Scan(&tok); err != nil {
		return "", notFound(err, "integration %d", id)
	}
	return tok, nil
}

// WebhookTargetByToken finds the integration of a receiver token. The token is the only key: a
// delivery carries no session, so this is the one look-up not scoped by a tenant given by the
// caller; the tenant comes from the row found.
func (c *conn) WebhookTargetByToken(ctx context.Context, token string) (WebhookTarget, error) {
	var t WebhookTarget
	var erp, state string
	err := c.queryRow(ctx, `SELECT tenant_id, id, erp, state FROM integrations WHERE webhook_token = ?`, token).
		Scan(&t.TenantID, &t.ID, &erp, &state)
	if err != nil {
		return WebhookTarget{}, notFound(err, "webhook token")
	}
	t.ERP, t.State = ERP(erp), State(state)
	return t, nil
}

// ClaimWebhookHint records, within ex, a delivery for the tenant's integration at t and reports
// whether it may start an early cycle: only when the integration is active and no delivery
// started one less than every ago (SPEC WH2's debounce, held in the database so it holds
// across nodes). A refused claim changes nothing.
func (s *Store) ClaimWebhookHint(ctx context.Context, ex Execer, tenant TenantID, id IntegrationID, t time.Time, every time.Duration) (bool, error) {
	res, err := ex.ExecContext(ctx, s.q(`UPDATE integrations SET webhook_hint_at = ?, webhook_last_at = ?
		WHERE tenant_id = ? AND id = ? AND state = ? AND (webhook_hint_at IS NULL OR webhook_hint_at <= ?)`),
		t.UTC(), t.UTC(), int64(tenant), int64(id), string(StateActive), t.Add(-every).UTC())
	if err != nil {
		return false, fmt.Errorf("store: claim webhook hint of %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// WebhookLastAt is when the tenant integration's last delivery started an early cycle; zero
// when never.
func (c *conn) WebhookLastAt(ctx context.Context, tenant TenantID, id IntegrationID) (time.Time, error) {
	var t sql.NullTime
	err := c.queryRow(ctx, `SELECT webhook_last_at FROM integrations WHERE tenant_id = ? AND id = ?`, tenant, id).Scan(&t)
	if err != nil {
		return time.Time{}, notFound(err, "integration %d", id)
	}
	return t.Time, nil
}
