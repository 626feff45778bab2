// Package storetest gives tests a real, migrated store: SQLite in a temp dir always, and
// PostgreSQL in a schema of its own when PONTE_TEST_POSTGRES_URL is set, so tests can run in
// parallel against one database.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for schema set-up

	"github.com/pontehub/ponte/internal/secret"
	"github.com/pontehub/ponte/internal/store"
)

// PostgresEnv names the variable holding the test PostgreSQL URL.
const PostgresEnv = "PONTE_TEST_POSTGRES_URL"

// Key returns a fresh random secret key, base64-encoded.
func Key(t testing.TB) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// Box returns a secret box with a fresh key.
func Box(t testing.TB) *secret.Box {
	t.Helper()
	b, err := secret.New(Key(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Dialects lists the dialects tests run on here: SQLite always, PostgreSQL when configured.
func Dialects() []store.Dialect {
	if os.Getenv(PostgresEnv) != "" {
		return []store.Dialect{store.SQLite, store.Postgres}
	}
	return []store.Dialect{store.SQLite}
}

// Each runs fn as a subtest per dialect, each with its own migrated store. Without
// PONTE_TEST_POSTGRES_URL the postgres subtest is reported as skipped, never as passed.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			if d == store.Postgres && os.Getenv(PostgresEnv) == "" {
				t.Skip(PostgresEnv + " not set")
			}
			fn(t, Open(t, d))
		})
	}
}

// Open returns a migrated store of dialect d, closed when the test ends.
func Open(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	o := store.Options{Box: Box(t)}
	if d == store.Postgres {
		o.URL = NewSchema(t)
	} else {
		o.SQLitePath = filepath.Join(t.TempDir(), "ponte.db")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// NewSchema creates an empty PostgreSQL schema for the test, dropped at its end, and returns a
// database URL whose search_path is that schema. The test fails if PONTE_TEST_POSTGRES_URL is
// not set; callers check Dialects first.
func NewSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Fatal(PostgresEnv + " not set")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("creating schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
