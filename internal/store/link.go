package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LinkID identifies one link.
type LinkID int64

// Entity names what kind of record a link pairs.
type Entity string

// The linked entities. Customers are synced both ways; the others are written by their flows.
const (
	EntityCustomer  Entity = "customer"
	EntityProduct   Entity = "product"
	EntityService   Entity = "service"
	EntityTaskOS    Entity = "task_os"
	EntityTaskOrder Entity = "task_order"
	EntityQuote     Entity = "quote"
)

// LinkState says whether a link still syncs.
type LinkState string

// The link states (SPEC C-A7, C-A9, C-E8, C-E10).
const (
	LinkActive   LinkState = "active"   // synced both ways as the flows allow
	LinkInactive LinkState = "inactive" // a side was inactivated: no updates until reactivated
	LinkLocked   LinkState = "locked"   // trava: deleted or external code erased; needs an operator
	LinkReleased LinkState = "released" // an operator released the lock: history only
)

// Label is the state as the portal shows it.
func (s LinkState) Label() string {
	switch s {
	case LinkActive:
		return "ativo"
	case LinkInactive:
		return "inativo"
	case LinkLocked:
		return "travado"
	case LinkReleased:
		return "liberado"
	}
	return string(s)
}

// Link pairs an Auvo record with an ERP record (the external code), with what the engine last
// wrote or saw on each side so it can tell its own echo from a real change (SPEC C-E11).
type Link struct {
	ID            LinkID
	TenantID      TenantID
	IntegrationID IntegrationID
	Entity        Entity
	AuvoID        string
	ERPID         string
	Document      string // normalised CPF/CNPJ, for operators
	Name          string // the record's name when last synced, for operators
	State         LinkState
	LockReason    string    // reason code of the lock or inactivation
	AuvoFP        string    // fingerprint of the synced fields as last written to or read from Auvo
	ERPFP         string    // the same for the ERP side
	Synced        string    // the synced field values both sides last agreed on (JSON, engine-owned)
	AuvoChangedAt time.Time // Auvo's modification time of the record when last seen
	ERPChangedAt  time.Time // the ERP's modification time of the record when last seen
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// LinkEvent is one state change of a link.
type LinkEvent struct {
	LinkID LinkID
	State  LinkState
	Reason string
	Actor  string // "engine" or the operator's e-mail
	At     time.Time
}

const linkCols = `id, tenant_id, integration_id, entity, auvo_id, erp_id, document, name, state, lock_reason,
	auvo_fp, erp_fp, synced, auvo_changed_at, erp_changed_at, created_at, updated_at`

func scanLink(row interface{ Scan(...any) error }) (Link, error) {
	var (
		l             Link
		entity, state string
		ac, ec        sql.NullTime
	)
	err := row.Scan(&l.ID, &l.TenantID, &l.IntegrationID, &entity, &l.AuvoID, &l.ERPID, &l.Document, &l.Name, &state,
		&l.LockReason, &l.AuvoFP, &l.ERPFP, &l.Synced, &ac, &ec, &l.CreatedAt, &l.UpdatedAt)
	l.Entity, l.State, l.AuvoChangedAt, l.ERPChangedAt = Entity(entity), LinkState(state), ac.Time, ec.Time
	return l, err
}

// LinkByAuvoID returns the current (not released) link of an Auvo record, or ErrNotFound.
func (c *conn) LinkByAuvoID(ctx context.Context, tenant TenantID, id IntegrationID, e Entity, auvoID string) (Link, error) {
	return c.currentLink(ctx, tenant, id, e, "auvo_id", auvoID)
}

// LinkByERPID returns the current (not released) link of an ERP record, or ErrNotFound.
func (c *conn) LinkByERPID(ctx context.Context, tenant TenantID, id IntegrationID, e Entity, erpID string) (Link, error) {
	return c.currentLink(ctx, tenant, id, e, "erp_id", erpID)
}

// currentLink looks a current link up by one side's id; col is auvo_id or erp_id.
func (c *conn) currentLink(ctx context.Context, tenant TenantID, id IntegrationID, e Entity, col, val string) (Link, error) {
	l, err := scanLink(c.queryRow(ctx, `SELECT `+linkCols+` FROM links WHERE tenant_id = ? AND integration_id = ?
		AND entity = ? AND `+col+` = ? AND state <> 'released'`, tenant, id, e, val))
	if err != nil {
		return Link{}, notFound(err, "link of %s %s %s", col, e, val)
	}
	return l, nil
}

// LinkByID returns one link of the tenant, or ErrNotFound.
func (c *conn) LinkByID(ctx context.Context, tenant TenantID, lid LinkID) (Link, error) {
	l, err := scanLink(c.queryRow(ctx, `SELECT `+linkCols+` FROM links WHERE tenant_id = ? AND id = ?`, tenant, lid))
	if err != nil {
		return Link{}, notFound(err, "link %d", lid)
	}
	return l, nil
}

// SaveLink inserts l (ID zero) or updates it, and returns it as stored. A new link, or a
// change of state, is recorded in the link's history with actor "engine". Inserting a second
// current link for the same Auvo or ERP record gives ErrConflict.
func (c *conn) SaveLink(ctx context.Context, l Link) (Link, error) {
	t := now()
	if l.State == "" {
		l.State = LinkActive
	}
	if l.ID == 0 {
		var n int
		if err := c.queryRow(ctx, `SELECT COUNT(*) FROM links WHERE integration_id = ? AND entity = ? AND state <> 'released'
			AND (auvo_id = ? OR erp_id = ?)`, l.IntegrationID, l.Entity, l.AuvoID, l.ERPID).Scan(&n); err != nil {
			return Link{}, fmt.Errorf("store: save link: %w", err)
		}
		if n > 0 {
			return Link{}, fmt.Errorf("store: link auvo %s ⇄ erp %s: %w", l.AuvoID, l.ERPID, ErrConflict)
		}
		id, err := c.insert(ctx, `INSERT INTO links (tenant_id, integration_id, entity, auvo_id, erp_id, document, name, state,
			lock_reason, auvo_fp, erp_fp, synced, auvo_changed_at, erp_changed_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.TenantID, l.IntegrationID, l.Entity, l.AuvoID, l.ERPID, l.Document, l.Name, l.State, l.LockReason,
			l.AuvoFP, l.ERPFP, l.Synced, nullTime(l.AuvoChangedAt), nullTime(l.ERPChangedAt), t, t)
		if err != nil {
			return Link{}, fmt.Errorf("store: save link: %w", err)
		}
		l.ID = LinkID(id)
		if err := c.linkEvent(ctx, l, "engine"); err != nil {
			return Link{}, err
		}
		return c.LinkByID(ctx, l.TenantID, l.ID)
	}
	old, err := c.LinkByID(ctx, l.TenantID, l.ID)
	if err != nil {
		return Link{}, err
	}
	err = c.updateOne(ctx, `UPDATE links SET auvo_id = ?, erp_id = ?, document = ?, name = ?, state = ?, lock_reason = ?,
		auvo_fp = ?, erp_fp = ?, synced = ?, auvo_changed_at = ?, erp_changed_at = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		l.AuvoID, l.ERPID, l.Document, l.Name, l.State, l.LockReason, l.AuvoFP, l.ERPFP, l.Synced,
		nullTime(l.AuvoChangedAt), nullTime(l.ERPChangedAt), t, l.TenantID, l.ID)
	if err != nil {
		return Link{}, fmt.Errorf("store: save link %d: %w", l.ID, err)
	}
	if old.State != l.State {
		if err := c.linkEvent(ctx, l, "engine"); err != nil {
			return Link{}, err
		}
	}
	return c.LinkByID(ctx, l.TenantID, l.ID)
}

func (c *conn) linkEvent(ctx context.Context, l Link, actor string) error {
	_, err := c.exec(ctx, `INSERT INTO link_events (tenant_id, integration_id, link_id, state, reason, actor, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, l.TenantID, l.IntegrationID, l.ID, l.State, l.LockReason, actor, now())
	if err != nil {
		return fmt.Errorf("store: link %d event: %w", l.ID, err)
	}
	return nil
}

// SetLinkState moves a link of the tenant to state with a reason code, recording who did it.
func (c *conn) SetLinkState(ctx context.Context, tenant TenantID, lid LinkID, state LinkState, reason, actor string) error {
	l, err := c.LinkByID(ctx, tenant, lid)
	if err != nil {
		return err
	}
	if err := c.updateOne(ctx, `UPDATE links SET state = ?, lock_reason = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		state, reason, now(), tenant, lid); err != nil {
		return fmt.Errorf("store: link %d state: %w", lid, err)
	}
	l.State, l.LockReason = state, reason
	return c.linkEvent(ctx, l, actor)
}

// ReleaseLock releases a locked link of the tenant's integration (SPEC C-A7, interpreted:
// operators release locks). The link stays as history in state released and no longer counts:
// the records on both sides are matched again by document as if never linked. It returns
// ErrNotFound when the link is not a lock of that integration.
func (c *conn) ReleaseLock(ctx context.Context, tenant TenantID, id IntegrationID, lid LinkID, actor string) error {
	l, err := c.LinkByID(ctx, tenant, lid)
	if err != nil {
		return err
	}
	if l.IntegrationID != id || l.State != LinkLocked {
		return ErrNotFound
	}
	return c.SetLinkState(ctx, tenant, lid, LinkReleased, l.LockReason, actor)
}

// Locks lists the locked links of the tenant's integration, newest first.
func (c *conn) Locks(ctx context.Context, tenant TenantID, id IntegrationID) ([]Link, error) {
	return c.listLinks(ctx, `SELECT `+linkCols+` FROM links WHERE tenant_id = ? AND integration_id = ? AND state = 'locked'
		ORDER BY updated_at DESC, id DESC`, tenant, id)
}

// AllLocks lists the locked links of every tenant, newest first: for operators.
func (c *conn) AllLocks(ctx context.Context) ([]Link, error) {
	return c.listLinks(ctx, `SELECT `+linkCols+` FROM links WHERE state = 'locked' ORDER BY updated_at DESC, id DESC`)
}

// Links lists the current (not released) links of one entity of the tenant's integration.
func (c *conn) Links(ctx context.Context, tenant TenantID, id IntegrationID, e Entity) ([]Link, error) {
	return c.listLinks(ctx, `SELECT `+linkCols+` FROM links WHERE tenant_id = ? AND integration_id = ? AND entity = ?
		AND state <> 'released' ORDER BY id`, tenant, id, e)
}

func (c *conn) listLinks(ctx context.Context, query string, args ...any) ([]Link, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, fmt.Errorf("store: links: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// LinkEvents returns the history of a link of the tenant, oldest first.
func (c *conn) LinkEvents(ctx context.Context, tenant TenantID, lid LinkID) ([]LinkEvent, error) {
	rows, err := c.query(ctx, `SELECT link_id, state, reason, actor, at FROM link_events WHERE tenant_id = ? AND link_id = ?
		ORDER BY id`, tenant, lid)
	if err != nil {
		return nil, fmt.Errorf("store: link %d events: %w", lid, err)
	}
	defer rows.Close()
	var out []LinkEvent
	for rows.Next() {
		var (
			e     LinkEvent
			state string
		)
		if err := rows.Scan(&e.LinkID, &state, &e.Reason, &e.Actor, &e.At); err != nil {
			return nil, fmt.Errorf("store: link %d events: %w", lid, err)
		}
		e.State = LinkState(state)
		out = append(out, e)
	}
	return out, rows.Err()
}
