// Package store holds every SQL statement of Ponte. One Store works on the embedded SQLite file
// or on PostgreSQL; statements are written once with ? placeholders and portable SQL, and the
// dialect helper rebinds them. Every method that touches tenant data takes the tenant id.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // the embedded database driver

	"github.com/pontehub/ponte/internal/secret"
)

// ErrNotFound is returned when a looked-up row does not exist (or belongs to another tenant).
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned when a write would break a uniqueness rule.
var ErrConflict = errors.New("store: conflict")

//go:embed migrations
var migrations embed.FS

// Dialect names the database engine.
type Dialect string

// The two supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Options says where the database is.
type Options struct {
	// URL is a postgres:// URL, or empty for SQLite at SQLitePath.
	URL        string
	SQLitePath string
	// Box seals credentials before they are written (SPEC S11). Required.
	Box *secret.Box
}

// Store is Ponte's database.
type Store struct {
	conn
	db   *sql.DB
	pool *pgxpool.Pool // PostgreSQL only: the pool River's driver uses
	box  *secret.Box
}

// conn carries what both Store and Tx need to run statements; store methods are written once on
// it and work inside or outside a transaction.
type conn struct {
	x       querier
	dialect Dialect
	box     *secret.Box
}

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a database transaction; it has every method Store has.
type Tx struct {
	conn
	tx *sql.Tx
}

// SQLTx exposes the transaction to the job engine, which must enqueue jobs in the same
// transaction on SQLite.
func (tx *Tx) SQLTx() *sql.Tx { return tx.tx }

// Open connects to the database. It does not migrate; call Migrate.
func Open(ctx context.Context, o Options) (*Store, error) {
	if o.Box == nil {
		return nil, errors.New("store: no secret box")
	}
	if o.URL != "" {
		pool, err := pgxpool.New(ctx, o.URL)
		if err != nil {
			return nil, fmt.Errorf("store: postgres: %w", err)
		}
		if err := pool.Ping(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("store: postgres: %w", err)
		}
		db := stdlib.OpenDBFromPool(pool)
		return &Store{conn: conn{x: db, dialect: Postgres, box: o.Box}, db: db, pool: pool, box: o.Box}, nil
	}
	if err := os.MkdirAll(filepath.Dir(o.SQLitePath), 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	dsn := "file:" + o.SQLitePath + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_time_format=sqlite&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	// One writer: SQLite serialises writes anyway, and River's SQLite driver needs a single
	// connection to avoid SQLITE_BUSY. Never query the Store while holding a Tx on SQLite.
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: sqlite %s: %w", o.SQLitePath, err)
	}
	return &Store{conn: conn{x: db, dialect: SQLite, box: o.Box}, db: db, box: o.Box}, nil
}

// Close releases the database.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.pool != nil {
		s.pool.Close()
	}
	return err
}

// Dialect returns the database engine.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB returns the database/sql handle, for River's SQLite driver.
func (s *Store) DB() *sql.DB { return s.db }

// Pool returns the PostgreSQL pool, for River's pgx driver; nil on SQLite.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

func (s *Store) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(s.dialect))
	if err != nil {
		return nil, err
	}
	d := goose.DialectSQLite3
	// Numbers are reserved by area (001 core, 010 portal, 020 engine, 030 operations, …), so a
	// later release may add a lower number than one already applied: apply it, do not refuse.
	opts := []goose.ProviderOption{goose.WithAllowOutofOrder(true)}
	if s.dialect == Postgres {
		d = goose.DialectPostgres
		// Several nodes may start at once: one migrates, the others wait.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 600))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(d, s.db, sub, opts...)
}

// Migrate applies every pending migration of Ponte's schema.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// MigrationsPending reports whether the schema is behind the code (for /readyz).
func (s *Store) MigrationsPending(ctx context.Context) (bool, error) {
	p, err := s.provider()
	if err != nil {
		return false, err
	}
	return p.HasPending(ctx)
}

// Tx runs fn in a transaction, committing when fn returns nil. Never call a partner API inside
// fn: a transaction must not wait on the network.
func (s *Store) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	// Deferred, so a panic in fn rolls back too: SQLite has one connection, and a transaction
	// left open would hold every other writer until ctx ends. After Commit it does nothing.
	defer t.Rollback() //nolint:errcheck
	tx := &Tx{conn: conn{x: t, dialect: s.dialect, box: s.box}, tx: t}
	if err := fn(tx); err != nil {
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// q rebinds ? placeholders to $n for PostgreSQL. Statements never contain a literal '?'.
func (c *conn) q(query string) string {
	if c.dialect != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (c *conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.x.ExecContext(ctx, c.q(query), args...)
}

func (c *conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.x.QueryContext(ctx, c.q(query), args...)
}

func (c *conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return c.x.QueryRowContext(ctx, c.q(query), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (c *conn) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := c.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// now is the current time as the store writes it: UTC, so SQLite's text times sort correctly.
func now() time.Time { return time.Now().UTC() }

// notFound maps sql.ErrNoRows to ErrNotFound and wraps anything else with what was looked up.
func notFound(err error, what string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return fmt.Errorf("store: "+what+": %w", append(args, err)...)
}

// nullTime turns a possibly-zero time into a value the drivers store as NULL.
func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}
