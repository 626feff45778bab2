package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pontehub/ponte/internal/oauth"
)

// OAuthConnKey names the OAuth connection of an integration to its ERP.
func OAuthConnKey(id IntegrationID) string { return fmt.Sprintf("integration:%d", id) }

// OAuthTokens is the store's oauth.TokenStore for one tenant: tokens are sealed like every other
// credential, and a tenant can only reach its own connections.
type OAuthTokens struct {
	c      *conn
	store  *Store
	tenant TenantID
}

// OAuthTokens returns the token store of tenant.
func (s *Store) OAuthTokens(tenant TenantID) *OAuthTokens {
	return &OAuthTokens{c: &s.conn, store: s, tenant: tenant}
}

// LoadToken implements oauth.TokenStore.
func (o *OAuthTokens) LoadToken(ctx context.Context, key string) (oauth.Token, error) {
	var (
		access, refresh string
		exp             sql.NullTime
	)
	err := o.c.queryRow(ctx, `SELECT access_token, refresh_token, expiry FROM oauth_tokens WHERE tenant_id = ? AND conn_key = ?`,
		o.tenant, key).Scan(&access, &refresh, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return oauth.Token{}, oauth.ErrNoToken
	}
	if err != nil {
		return oauth.Token{}, fmt.Errorf("store: oauth token %s: %w", key, err)
	}
	var t oauth.Token
	if t.AccessToken, err = o.c.box.Open(access); err != nil {
		return oauth.Token{}, fmt.Errorf("store: oauth token %s: %w", key, err)
	}
	if t.RefreshToken, err = o.c.box.Open(refresh); err != nil {
		return oauth.Token{}, fmt.Errorf("store: oauth token %s: %w", key, err)
	}
	t.Expiry = exp.Time
	return t, nil
}

// SaveToken implements oauth.TokenStore; saving a token clears "needs reconnect".
func (o *OAuthTokens) SaveToken(ctx context.Context, key string, t oauth.Token) error {
	access, err := o.c.box.Seal(t.AccessToken)
	if err != nil {
		return fmt.Errorf("store: sealing token: %w", err)
	}
	refresh, err := o.c.box.Seal(t.RefreshToken)
	if err != nil {
		return fmt.Errorf("store: sealing token: %w", err)
	}
	_, err = o.c.exec(ctx, `INSERT INTO oauth_tokens (conn_key, tenant_id, access_token, refresh_token, expiry, needs_reconnect, reason, updated_at)
		VALUES (?, ?, ?, ?, ?, FALSE, '', ?)
		ON CONFLICT (conn_key) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
		expiry = excluded.expiry, needs_reconnect = FALSE, reason = '', updated_at = excluded.updated_at
		WHERE oauth_tokens.tenant_id = excluded.tenant_id`,
		key, o.tenant, access, refresh, nullTime(t.Expiry), now())
	if err != nil {
		return fmt.Errorf("store: save oauth token %s: %w", key, err)
	}
	return nil
}

// MarkNeedsReconnect implements oauth.TokenStore.
func (o *OAuthTokens) MarkNeedsReconnect(ctx context.Context, key, reason string) error {
	return o.c.updateOne(ctx, `UPDATE oauth_tokens SET needs_reconnect = TRUE, reason = ?, updated_at = ? WHERE tenant_id = ? AND conn_key = ?`,
		reason, now(), o.tenant, key)
}

// NeedsReconnect reports whether the connection must be authorised again ("reconectar", S10),
// and whether it was ever connected.
func (o *OAuthTokens) NeedsReconnect(ctx context.Context, key string) (needs, connected bool, err error) {
	err = o.c.queryRow(ctx, `SELECT needs_reconnect FROM oauth_tokens WHERE tenant_id = ? AND conn_key = ?`, o.tenant, key).Scan(&needs)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("store: oauth token %s: %w", key, err)
	}
	return needs, true, nil
}

var _ oauth.TokenStore = (*OAuthTokens)(nil)

// LockToken implements oauth.Locker: on PostgreSQL it holds a session advisory lock on the
// connection key, on a dedicated connection, until unlock is called, so nodes sharing the
// database refresh one at a time. On SQLite there is one process and the in-process lock is
// enough.
func (o *OAuthTokens) LockToken(ctx context.Context, key string) (func(), error) {
	s := o.store
	if s == nil || s.dialect != Postgres {
		return func() {}, nil
	}
	cn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: token lock: %w", err)
	}
	if _, err := cn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, key); err != nil {
		cn.Close()
		return nil, fmt.Errorf("store: token lock: %w", err)
	}
	return func() {
		_, _ = cn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, key)
		cn.Close()
	}, nil
}

var _ oauth.Locker = (*OAuthTokens)(nil)
