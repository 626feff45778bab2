package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for the schema set-up

	"github.com/pontehub/ponte/internal/secret"
	"github.com/pontehub/ponte/internal/store"
)

// database is where one benchmark run keeps Ponte's data: a SQLite file in a temp dir, or a
// fresh schema of the given PostgreSQL database, dropped at the end.
type database struct {
	dir    string // data dir (SQLite file, nodes' data dirs)
	url    string // PostgreSQL URL with search_path set to the run's schema; "" for SQLite
	key    string // the secret key every node shares
	remove func()
}

func openDatabase(ctx context.Context, kind, pgURL string) (*database, error) {
	dir, err := os.MkdirTemp("", "ponte-bench-")
	if err != nil {
		return nil, err
	}
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	d := &database{dir: dir, key: base64.StdEncoding.EncodeToString(k), remove: func() { os.RemoveAll(dir) }}
	switch kind {
	case "sqlite":
		return d, nil
	case "postgres":
	default:
		d.remove()
		return nil, fmt.Errorf("bench: -db must be sqlite or postgres, not %q", kind)
	}
	if pgURL == "" {
		d.remove()
		return nil, fmt.Errorf("bench: -db postgres needs -postgres-url (or PONTE_TEST_POSTGRES_URL)")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", pgURL)
	if err != nil {
		d.remove()
		return nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		d.remove()
		return nil, fmt.Errorf("bench: creating schema: %w", err)
	}
	u, err := url.Parse(pgURL)
	if err != nil {
		d.remove()
		return nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	d.url = u.String()
	rmDir := d.remove
	d.remove = func() {
		rmDir()
		if db, err := sql.Open("pgx", pgURL); err == nil {
			_, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	}
	return d, nil
}

// open opens and migrates a store on the run's database.
func (d *database) open(ctx context.Context) (*store.Store, error) {
	box, err := secret.New(d.key)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, store.Options{URL: d.url, SQLitePath: filepath.Join(d.dir, "ponte.db"), Box: box})
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
