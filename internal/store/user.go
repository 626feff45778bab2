package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// UserID identifies a portal account.
type UserID int64

// User is a person who signs in to the portal: a tenant's user, or an operator (SPEC P6), who
// has no tenant and sees all of them.
type User struct {
	ID             UserID
	TenantID       TenantID // 0 for operators
	Email          string   // lower-case
	PasswordHash   string   // argon2id PHC string; never the password
	MustChange     bool     // the password was e-mailed or printed: change it at next login (P2)
	Operator       bool
	PasswordSentAt time.Time // when a generated password was last sent (P3 rate limit)
	CreatedAt      time.Time
}

const userCols = `id, tenant_id, email, password_hash, must_change, operator, password_sent_at, created_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var (
		u      User
		tenant sql.NullInt64
		sent   sql.NullTime
	)
	if err := row.Scan(&u.ID, &tenant, &u.Email, &u.PasswordHash, &u.MustChange, &u.Operator, &sent, &u.CreatedAt); err != nil {
		return User{}, err
	}
	u.TenantID, u.PasswordSentAt = TenantID(tenant.Int64), sent.Time
	return u, nil
}

// NormalizeEmail is the form e-mails are stored and looked up in.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser adds an account with a generated password to be changed at first login. A taken
// e-mail gives ErrConflict. Operators pass tenant 0.
func (c *conn) CreateUser(ctx context.Context, tenant TenantID, email, passwordHash string, operator bool) (User, error) {
	email = NormalizeEmail(email)
	var n int
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, email).Scan(&n); err != nil {
		return User{}, fmt.Errorf("store: create user: %w", err)
	}
	if n > 0 {
		return User{}, fmt.Errorf("store: create user: %w", ErrConflict)
	}
	t := now()
	id, err := c.insert(ctx, `INSERT INTO users (tenant_id, email, password_hash, must_change, operator, password_sent_at, created_at)
		VALUES (?, ?, ?, TRUE, ?, ?, ?)`, nullID(tenant), email, passwordHash, operator, t, t)
	if err != nil {
		if isUniqueViolation(err) {
			return User{}, fmt.Errorf("store: create user: %w", ErrConflict)
		}
		return User{}, fmt.Errorf("store: create user: %w", err)
	}
	return c.UserByID(ctx, UserID(id))
}

// isUniqueViolation recognises both engines' answer to a duplicate key, for the race between
// the look-up and the insert.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505" // unique_violation
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return lite.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || lite.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// UserByID returns an account, or ErrNotFound.
func (c *conn) UserByID(ctx context.Context, id UserID) (User, error) {
	u, err := scanUser(c.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if err != nil {
		return User{}, notFound(err, "user %d", id)
	}
	return u, nil
}

// UserByEmail returns the account with that e-mail (any case), or ErrNotFound.
func (c *conn) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(c.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`, NormalizeEmail(email)))
	if err != nil {
		return User{}, notFound(err, "user by e-mail")
	}
	return u, nil
}

// TenantUsers lists the accounts of a tenant.
func (c *conn) TenantUsers(ctx context.Context, tenant TenantID) ([]User, error) {
	rows, err := c.query(ctx, `SELECT `+userCols+` FROM users WHERE tenant_id = ? ORDER BY id`, tenant)
	if err != nil {
		return nil, fmt.Errorf("store: users of tenant %d: %w", tenant, err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users of tenant %d: %w", tenant, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetPassword replaces an account's password hash. mustChange marks a generated password that
// was just sent (P1, P3): its sending time is recorded for the resend limit. Every session of
// the account ends, so a stolen session dies with the old password.
func (c *conn) SetPassword(ctx context.Context, id UserID, passwordHash string, mustChange bool) error {
	var sent sql.NullTime
	if mustChange {
		sent = nullTime(now())
	}
	err := c.updateOne(ctx, `UPDATE users SET password_hash = ?, must_change = ?,
		password_sent_at = COALESCE(?, password_sent_at) WHERE id = ?`, passwordHash, mustChange, sent, id)
	if err != nil {
		return err
	}
	return c.DeleteUserSessions(ctx, id)
}

// ErrExpired is returned for a session or one-time link that existed but is no longer valid.
var ErrExpired = errors.New("store: expired")

// Operators lists every operator account (SPEC P6), oldest first: the people told about what no
// single tenant can fix, such as a partner's quota running out.
func (c *conn) Operators(ctx context.Context) ([]User, error) {
	rows, err := c.query(ctx, `SELECT `+userCols+` FROM users WHERE operator = ? ORDER BY id`, true)
	if err != nil {
		return nil, fmt.Errorf("store: operators: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: operators: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
