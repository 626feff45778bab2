package store

import (
	"context"
	"fmt"
	"time"
)

// PartnerPause is an integration's flows paused until a partner's quota resets.
type PartnerPause struct {
	Partner string    // "bling"
	Until   time.Time // when the quota resets; the pause is over from then on
	Reason  string    // the partner's words, shown on the flows page
}

// PausePartner pauses the integration's flows on partner until until, with reason; it replaces
// the integration's earlier pause, if any.
func (c *conn) PausePartner(ctx context.Context, tenant TenantID, integration IntegrationID, partner string, until time.Time, reason string) error {
	_, err := c.exec(ctx, `INSERT INTO partner_pauses (integration_id, tenant_id, partner, until_at, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (integration_id) DO UPDATE SET partner = excluded.partner,
		until_at = excluded.until_at, reason = excluded.reason`,
		integration, tenant, partner, until.UTC(), reason, now())
	if err != nil {
		return fmt.Errorf("store: pause %s of integration %d: %w", partner, integration, err)
	}
	return nil
}

// PartnerPauseOf returns the integration's pause that is still running at at, or ErrNotFound.
func (c *conn) PartnerPauseOf(ctx context.Context, tenant TenantID, integration IntegrationID, at time.Time) (PartnerPause, error) {
	var p PartnerPause
	err := c.queryRow(ctx, `SELECT partner, until_at, reason FROM partner_pauses
		WHERE tenant_id = ? AND integration_id = ? AND until_at > ?`, tenant, integration, at.UTC()).Scan(&p.Partner, &p.Until, &p.Reason)
	if err != nil {
		return PartnerPause{}, notFound(err, "pause of integration %d", integration)
	}
	return p, nil
}
