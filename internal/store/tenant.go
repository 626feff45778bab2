package store

import (
	"context"
	"fmt"
	"time"
)

// Tenant is a company account.
type Tenant struct {
	ID        TenantID
	Name      string
	CreatedAt time.Time
}

// CreateTenant adds a company account.
func (c *conn) CreateTenant(ctx context.Context, name string) (Tenant, error) {
	t := Tenant{Name: name, CreatedAt: now()}
	id, err := c.insert(ctx, `INSERT INTO tenants (name, created_at) VALUES (?, ?)`, name, t.CreatedAt)
	if err != nil {
		return Tenant{}, fmt.Errorf("store: create tenant: %w", err)
	}
	t.ID = TenantID(id)
	return t, nil
}

// TenantByID returns a tenant, or ErrNotFound.
func (c *conn) TenantByID(ctx context.Context, id TenantID) (Tenant, error) {
	var t Tenant
	err := c.queryRow(ctx, `SELECT id, name, created_at FROM tenants WHERE id = ?`, id).Scan(&t.ID, &t.Name, &t.CreatedAt)
	if err != nil {
		return Tenant{}, notFound(err, "tenant %d", id)
	}
	return t, nil
}
