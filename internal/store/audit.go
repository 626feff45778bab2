package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// AuditEntry is one change to configuration, activation or flows (SPEC A4).
type AuditEntry struct {
	ID            int64
	TenantID      TenantID      // 0 for changes outside any tenant
	IntegrationID IntegrationID // 0 when not about one integration
	Actor         string        // who: an e-mail, or "sistema"
	Action        string        // what, as a short code: "config.saved", "activation.approved", …
	Detail        string        // what, in Portuguese, for people
	At            time.Time
}

func nullID[T ~int64](id T) sql.NullInt64 {
	return sql.NullInt64{Int64: int64(id), Valid: id != 0}
}

// Audit appends an entry to the audit log.
func (c *conn) Audit(ctx context.Context, e AuditEntry) error {
	_, err := c.exec(ctx, `INSERT INTO audit (tenant_id, integration_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?, ?)`,
		nullID(e.TenantID), nullID(e.IntegrationID), e.Actor, e.Action, e.Detail, now())
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

// AuditLog lists the tenant's audit entries, newest first.
func (c *conn) AuditLog(ctx context.Context, tenant TenantID, limit int) ([]AuditEntry, error) {
	return c.listAudit(ctx, `SELECT id, tenant_id, integration_id, actor, action, detail, at FROM audit
		WHERE tenant_id = ? ORDER BY at DESC, id DESC LIMIT ?`, tenant, limit)
}

// AllAuditLog lists every tenant's audit entries, newest first: for operators.
func (c *conn) AllAuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	return c.listAudit(ctx, `SELECT id, tenant_id, integration_id, actor, action, detail, at FROM audit
		ORDER BY at DESC, id DESC LIMIT ?`, limit)
}

func (c *conn) listAudit(ctx context.Context, query string, args ...any) ([]AuditEntry, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var (
			e             AuditEntry
			tenant, integ sql.NullInt64
		)
		if err := rows.Scan(&e.ID, &tenant, &integ, &e.Actor, &e.Action, &e.Detail, &e.At); err != nil {
			return nil, fmt.Errorf("store: audit log: %w", err)
		}
		e.TenantID, e.IntegrationID = TenantID(tenant.Int64), IntegrationID(integ.Int64)
		out = append(out, e)
	}
	return out, rows.Err()
}
