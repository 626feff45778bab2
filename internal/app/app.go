// Package app wires every long-lived part of a running Ponte: configuration, database, job
// engine and portal. `ponte serve`, `ponte demo` and the tests all build the same App.
package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/pontehub/ponte/internal/alert"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/connector"
	"github.com/pontehub/ponte/internal/flow"
	"github.com/pontehub/ponte/internal/jobs"
	"github.com/pontehub/ponte/internal/mail"
	"github.com/pontehub/ponte/internal/secret"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/web"
)

// App is one running Ponte node.
type App struct {
	cfg  config.Config
	log  *slog.Logger
	node string
	db   *store.Store
	conn *connector.Connector // builds partner clients; shared by the engine and the portal
	jobs *jobs.Runner         // nil unless the node has the worker role
	web  *http.Server         // nil unless the node has the web role
	ln   net.Listener
}

// Options are the parts of an App that are not configuration: what tests and the demo swap in.
type Options struct {
	// Cycler runs one integration's cycle; nil means the sync engine (internal/flow).
	Cycler jobs.Cycler
	// Connector replaces parts of the partner plumbing (tests: the sandboxes' HTTP client).
	Connector connector.Options
}

// New opens the database, migrates it, and prepares the roles the configuration asks for. The
// web listener is bound here, so Addr is known before Run.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, o Options) (*App, error) {
	a := &App{cfg: cfg, log: log, node: nodeName(cfg)}
	var err error
	if a.db, err = OpenStore(ctx, cfg, log); err != nil {
		return nil, err
	}
	fail := func(err error) (*App, error) {
		a.db.Close()
		return nil, err
	}
	a.conn = connector.New(cfg, a.db, o.Connector)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// The portal e-mails passwords; the workers e-mail alerts.
	mailer, err := mail.New(cfg.SMTPURL, cfg.MailFrom, filepath.Join(cfg.DataDir, "outbox"), log)
	if err != nil {
		return fail(fmt.Errorf("app: mail: %w", err))
	}
	if cfg.HasRole(config.RoleWorker) {
		alerts := alert.New(a.db, mailer, cfg.BaseURL, log)
		cycler := o.Cycler
		if cycler == nil {
			cycler = flow.New(flow.Options{Store: a.db, Partners: a.conn, Log: log, Alert: alerts})
		}
		a.jobs, err = jobs.New(a.db, jobs.Options{Node: a.node, PollInterval: cfg.PollInterval, Workers: cfg.Workers,
			Cycler: cycler, Log: log, Metrics: reg, Alert: alerts, Retention: cfg.Retention})
		if err != nil {
			return fail(err)
		}
	}
	if cfg.HasRole(config.RoleWeb) {
		var enq *jobs.Enqueuer
		if a.jobs != nil {
			enq = a.jobs.Enqueuer()
		} else if enq, err = jobs.NewEnqueuer(a.db); err != nil {
			return fail(err)
		}
		h, err := web.New(web.Deps{Store: a.db, Log: log, Metrics: reg, BaseURL: cfg.BaseURL, Connector: a.conn,
			Mailer: mailer, PollInterval: cfg.PollInterval, Sync: enq})
		if err != nil {
			return fail(fmt.Errorf("app: portal: %w", err))
		}
		a.ln, err = net.Listen("tcp", cfg.Addr)
		if err != nil {
			return fail(fmt.Errorf("app: listen on %s: %w", cfg.Addr, err))
		}
		a.web = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
			WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 1 << 16,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	}
	return a, nil
}

// Migrate brings Ponte's schema and River's up to date.
func Migrate(ctx context.Context, db *store.Store) error {
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	return jobs.Migrate(ctx, db)
}

// OpenStore opens and migrates the database with the node's secret key, for commands that work
// on the data without serving (ponte operator).
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.Store, error) {
	box, err := secretBox(cfg, log)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, store.Options{URL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath(), Box: box})
	if err != nil {
		return nil, err
	}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func secretBox(cfg config.Config, log *slog.Logger) (*secret.Box, error) {
	keys := cfg.SecretKey
	if keys == "" {
		k, created, err := secret.LoadOrCreateKeyFile(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		if created {
			log.Warn("generated a new secret key; back it up: without it stored credentials cannot be read",
				"path", cfg.DataDir+"/secret.key")
		}
		keys = k
	}
	return secret.New(strings.Split(keys, ",")...)
}

// nodeName is this node's name: PONTE_NODE_NAME, or the host name with a short digest of the
// data directory. It is the same across restarts of one installation, so a node that comes back
// after a crash knows the cycles and leases it left behind and takes them back at once instead
// of waiting for them to expire (issue 21); two installations on one host differ by data dir.
func nodeName(cfg config.Config) string {
	if cfg.NodeName != "" {
		return cfg.NodeName
	}
	host, _ := os.Hostname()
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		dir = cfg.DataDir
	}
	sum := sha256.Sum256([]byte(dir))
	return strings.ReplaceAll(host, "/", "-") + "-" + hex.EncodeToString(sum[:4])
}

// Addr is the portal's listening address, or "" without the web role.
func (a *App) Addr() string {
	if a.ln == nil {
		return ""
	}
	return a.ln.Addr().String()
}

// Store is the App's database.
func (a *App) Store() *store.Store { return a.db }

// Connector builds the node's partner clients.
func (a *App) Connector() *connector.Connector { return a.conn }

// Node is this node's name, as recorded on the cycles it runs.
func (a *App) Node() string { return a.node }

// Run serves until ctx ends, then stops the portal and lets running cycles finish.
func (a *App) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	if a.jobs != nil {
		if err := a.jobs.Start(ctx); err != nil {
			return fmt.Errorf("app: jobs: %w", err)
		}
	}
	if a.web != nil {
		go func() {
			if err := a.web.Serve(a.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
		a.log.Info("portal listening", "addr", "http://"+a.Addr(), "node", a.node)
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if a.web != nil {
		if serr := a.web.Shutdown(stop); serr != nil {
			err = errors.Join(err, serr)
		}
	}
	if a.jobs != nil {
		// Running cycles may finish within the grace; then they are cancelled and closed as
		// interrupted, to be taken up by the next cycle.
		grace, cancelGrace := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownGrace)
		defer cancelGrace()
		if jerr := a.jobs.Stop(grace); jerr != nil && !errors.Is(jerr, context.DeadlineExceeded) {
			err = errors.Join(err, fmt.Errorf("app: stopping jobs: %w", jerr))
		}
	}
	return err
}

// Close releases the database. Call it after Run returns.
func (a *App) Close() error { return a.db.Close() }
