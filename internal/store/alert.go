package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Alert is an e-mail owed to a tenant about one of its integrations.
type Alert struct {
	ID            int64
	TenantID      TenantID
	IntegrationID IntegrationID
	Kind          string // what happened: "credentials", "retries"
	Episode       string // which occurrence: one alert per integration, kind and episode
	Subject       string
	Body          string
	CreatedAt     time.Time
	SentAt        time.Time // zero until sent
}

// ClaimAlert records a, unless the integration already has an alert of that kind and episode
// (on any node, before any restart); it reports whether a is new and so must be sent.
func (c *conn) ClaimAlert(ctx context.Context, a Alert) (bool, error) {
	res, err := c.exec(ctx, `INSERT INTO alerts (tenant_id, integration_id, kind, episode, subject, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (integration_id, kind, episode) DO NOTHING`,
		a.TenantID, a.IntegrationID, a.Kind, a.Episode, a.Subject, a.Body, now())
	if err != nil {
		return false, fmt.Errorf("store: alert: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: alert: %w", err)
	}
	return n == 1, nil
}

// AllUnsentAlerts lists the alerts of every tenant not sent yet, oldest first.
func (c *conn) AllUnsentAlerts(ctx context.Context, limit int) ([]Alert, error) {
	return c.listAlerts(ctx, `WHERE sent_at IS NULL ORDER BY created_at, id LIMIT ?`, limit)
}

// Alerts lists the alerts of the tenant's integration, newest first.
func (c *conn) Alerts(ctx context.Context, tenant TenantID, id IntegrationID) ([]Alert, error) {
	return c.listAlerts(ctx, `WHERE tenant_id = ? AND integration_id = ? ORDER BY created_at DESC, id DESC`, tenant, id)
}

func (c *conn) listAlerts(ctx context.Context, where string, args ...any) ([]Alert, error) {
	rows, err := c.query(ctx, `SELECT id, tenant_id, integration_id, kind, episode, subject, body, created_at, sent_at
		FROM alerts `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: alerts: %w", err)
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var (
			a    Alert
			sent sql.NullTime
		)
		if err := rows.Scan(&a.ID, &a.TenantID, &a.IntegrationID, &a.Kind, &a.Episode, &a.Subject, &a.Body, &a.CreatedAt, &sent); err != nil {
			return nil, fmt.Errorf("store: alerts: %w", err)
		}
		a.SentAt = sent.Time
		out = append(out, a)
	}
	return out, rows.Err()
}

// MarkAlertSent records that the alert's e-mails went out.
func (c *conn) MarkAlertSent(ctx context.Context, tenant TenantID, id int64) error {
	return c.updateOne(ctx, `UPDATE alerts SET sent_at = ? WHERE tenant_id = ? AND id = ?`, now(), tenant, id)
}
