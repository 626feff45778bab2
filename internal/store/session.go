package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// tokenHash is how session ids and reset tokens are stored: a database dump holds no usable
// token.
func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession records a new session of user under the (random, secret) token the browser
// keeps in its cookie; only the token's hash is stored.
func (c *conn) CreateSession(ctx context.Context, token string, user UserID) error {
	t := now()
	if _, err := c.exec(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)`,
		tokenHash(token), user, t, t); err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionUser returns the account of a live session and marks it seen (at most once a minute,
// to spare the database). A session idle longer than idle, or older than absolute, is deleted
// and gives ErrExpired; an unknown token gives ErrNotFound (SPEC P4).
func (c *conn) SessionUser(ctx context.Context, token string, idle, absolute time.Duration) (User, error) {
	h := tokenHash(token)
	var created, seen time.Time
	var uid UserID
	err := c.queryRow(ctx, `SELECT user_id, created_at, last_seen_at FROM sessions WHERE id_hash = ?`, h).Scan(&uid, &created, &seen)
	if err != nil {
		return User{}, notFound(err, "session")
	}
	t := now()
	if t.Sub(seen) > idle || t.Sub(created) > absolute {
		if _, err := c.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, h); err != nil {
			return User{}, fmt.Errorf("store: expire session: %w", err)
		}
		return User{}, ErrExpired
	}
	if t.Sub(seen) > time.Minute {
		if _, err := c.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`, t, h); err != nil {
			return User{}, fmt.Errorf("store: touch session: %w", err)
		}
	}
	return c.UserByID(ctx, uid)
}

// DeleteSession ends one session (logout).
func (c *conn) DeleteSession(ctx context.Context, token string) error {
	if _, err := c.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, tokenHash(token)); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of an account.
func (c *conn) DeleteUserSessions(ctx context.Context, user UserID) error {
	if _, err := c.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, user); err != nil {
		return fmt.Errorf("store: delete sessions of %d: %w", user, err)
	}
	return nil
}

// CreatePasswordReset records a one-time password-reset token for user, valid until expires.
func (c *conn) CreatePasswordReset(ctx context.Context, token string, user UserID, expires time.Time) error {
	if _, err := c.exec(ctx, `INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (?, ?, ?)`,
		tokenHash(token), user, expires.UTC()); err != nil {
		return fmt.Errorf("store: create password reset: %w", err)
	}
	return nil
}

// PasswordResetUser returns the account a reset token is for, without using it: ErrNotFound for
// an unknown token, ErrExpired for a used or expired one.
func (c *conn) PasswordResetUser(ctx context.Context, token string) (User, error) {
	var (
		uid     UserID
		expires time.Time
		used    sql.NullTime
	)
	err := c.queryRow(ctx, `SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = ?`, tokenHash(token)).
		Scan(&uid, &expires, &used)
	if err != nil {
		return User{}, notFound(err, "password reset")
	}
	if used.Valid || now().After(expires) {
		return User{}, ErrExpired
	}
	return c.UserByID(ctx, uid)
}

// UsePasswordReset spends a reset token: it works once, before it expires (SPEC P4). It returns
// the account, or ErrExpired when the token was used, expired or never existed.
func (c *conn) UsePasswordReset(ctx context.Context, token string) (UserID, error) {
	t := now()
	var uid UserID
	err := c.queryRow(ctx, `UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
		RETURNING user_id`, t, tokenHash(token), t).Scan(&uid)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, ErrExpired
		}
		return 0, fmt.Errorf("store: use password reset: %w", err)
	}
	return uid, nil
}

// Throttled counts the events recorded under key since `since`: failed logins per e-mail or
// per address, password e-mails per account. It is shared by every node.
func (c *conn) Throttled(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM throttle_events WHERE key = ? AND at > ?`, key, since.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: throttle %s: %w", key, err)
	}
	return n, nil
}

// AddThrottle records one event under key, and forgets events older than a day.
func (c *conn) AddThrottle(ctx context.Context, key string) error {
	t := now()
	if _, err := c.exec(ctx, `INSERT INTO throttle_events (key, at) VALUES (?, ?)`, key, t); err != nil {
		return fmt.Errorf("store: throttle %s: %w", key, err)
	}
	if _, err := c.exec(ctx, `DELETE FROM throttle_events WHERE key = ? AND at < ?`, key, t.Add(-24*time.Hour)); err != nil {
		return fmt.Errorf("store: throttle %s: %w", key, err)
	}
	return nil
}

// HitThrottle records one attempt under key and returns how many were recorded since `since`,
// this one included. The insert commits before the count, so of N attempts racing on one key
// the k-th to commit sees at least k: no more than limit callers ever see a count ≤ limit,
// which a count-then-insert could not promise (issue 18 item 2).
func (c *conn) HitThrottle(ctx context.Context, key string, since time.Time) (int, error) {
	if err := c.AddThrottle(ctx, key); err != nil {
		return 0, err
	}
	return c.Throttled(ctx, key, since)
}

// ClearThrottle forgets the events under key (a successful login clears its failures).
func (c *conn) ClearThrottle(ctx context.Context, key string) error {
	if _, err := c.exec(ctx, `DELETE FROM throttle_events WHERE key = ?`, key); err != nil {
		return fmt.Errorf("store: throttle %s: %w", key, err)
	}
	return nil
}
