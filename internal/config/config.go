// Package config reads Ponte's configuration from the environment, once, into one typed struct.
// Every problem is reported together, so an operator fixes a deployment in one go.
package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Role is a part of Ponte a node runs.
type Role string

// The roles a node can take; a node with both is the default.
const (
	RoleWeb    Role = "web"    // the portal and health endpoints
	RoleWorker Role = "worker" // the scheduler (leader only) and the sync jobs
)

// Config is everything Ponte reads from its environment.
type Config struct {
	Addr         string        // PONTE_ADDR: where the portal listens
	DataDir      string        // PONTE_DATA_DIR: SQLite file, generated secret key, outbox
	DatabaseURL  string        // PONTE_DATABASE_URL: empty = SQLite in DataDir; postgres://… = PostgreSQL
	Roles        []Role        // PONTE_ROLES
	PollInterval time.Duration // PONTE_POLL_INTERVAL: the sync period of every integration (SPEC F2)
	SecretKey    string        // PONTE_SECRET_KEY: base64 of 32 bytes; empty = generated into DataDir
	LogFormat    string        // PONTE_LOG_FORMAT: text or json
	LogLevel     string        // PONTE_LOG_LEVEL: debug, info, warn, error
	BaseURL      string        // PONTE_BASE_URL: the portal's public URL (links in e-mails, OAuth redirects)
	Workers      int           // PONTE_WORKERS: integration jobs run at the same time on this node
	Retention    time.Duration // PONTE_RETENTION_DAYS: run history older than this is deleted (0 keeps all)
	NodeName     string        // PONTE_NODE_NAME: this node's name; empty = host name and data dir
	// ShutdownGrace is PONTE_SHUTDOWN_GRACE: how long running cycles may go on after SIGTERM.
	ShutdownGrace time.Duration

	SMTPURL  string // PONTE_SMTP_URL: smtp://user:pass@host:port; empty = outbox files in DataDir
	MailFrom string // PONTE_MAIL_FROM

	AuvoURL           string // PONTE_AUVO_URL
	OmieURL           string // PONTE_OMIE_URL
	BlingURL          string // PONTE_BLING_URL
	BlingAuthURL      string // PONTE_BLING_AUTH_URL
	BlingClientID     string // PONTE_BLING_CLIENT_ID
	BlingClientSecret string // PONTE_BLING_CLIENT_SECRET
	ContaAzulURL      string // PONTE_CONTAAZUL_URL
	ContaAzulAuthURL  string // PONTE_CONTAAZUL_AUTH_URL
	ContaAzulClientID string // PONTE_CONTAAZUL_CLIENT_ID
	ContaAzulSecret   string // PONTE_CONTAAZUL_CLIENT_SECRET
}

// Defaults for every variable that has one.
const (
	DefaultAddr          = "127.0.0.1:8080"
	DefaultDataDir       = "./data"
	DefaultPollInterval  = 10 * time.Minute
	DefaultAuvoURL       = "https://api.auvo.com.br/v2"
	DefaultOmieURL       = "https://app.omie.com.br/api/v1"
	DefaultBlingURL      = "https://api.bling.com.br/Api/v3"
	DefaultBlingAuthURL  = "https://www.bling.com.br/Api/v3/oauth"
	DefaultContaAzulURL  = "https://api-v2.contaazul.com"
	DefaultContaAzulAuth = "https://auth.contaazul.com"
)

// HasRole reports whether the node runs r.
func (c Config) HasRole(r Role) bool { return slices.Contains(c.Roles, r) }

// Postgres reports whether the database is PostgreSQL rather than the embedded SQLite.
func (c Config) Postgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath is the embedded database file.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "ponte.db") }

// FromEnv reads the configuration through lookup (os.LookupEnv in production).
func FromEnv(lookup func(string) (string, bool)) (Config, error) {
	var errs []error
	get := func(name, def string) string {
		if v, ok := lookup(name); ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		return def
	}
	bad := func(name, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{name}, a...)...))
	}
	c := Config{
		Addr:              get("PONTE_ADDR", DefaultAddr),
		DataDir:           get("PONTE_DATA_DIR", DefaultDataDir),
		DatabaseURL:       get("PONTE_DATABASE_URL", ""),
		SecretKey:         get("PONTE_SECRET_KEY", ""),
		NodeName:          get("PONTE_NODE_NAME", ""),
		LogFormat:         get("PONTE_LOG_FORMAT", "text"),
		LogLevel:          get("PONTE_LOG_LEVEL", "info"),
		SMTPURL:           get("PONTE_SMTP_URL", ""),
		MailFrom:          get("PONTE_MAIL_FROM", "Ponte <nao-responda@ponte.local>"),
		AuvoURL:           get("PONTE_AUVO_URL", DefaultAuvoURL),
		OmieURL:           get("PONTE_OMIE_URL", DefaultOmieURL),
		BlingURL:          get("PONTE_BLING_URL", DefaultBlingURL),
		BlingAuthURL:      get("PONTE_BLING_AUTH_URL", DefaultBlingAuthURL),
		BlingClientID:     get("PONTE_BLING_CLIENT_ID", ""),
		BlingClientSecret: get("PONTE_BLING_CLIENT_SECRET", ""),
		ContaAzulURL:      get("PONTE_CONTAAZUL_URL", DefaultContaAzulURL),
		ContaAzulAuthURL:  get("PONTE_CONTAAZUL_AUTH_URL", DefaultContaAzulAuth),
		ContaAzulClientID: get("PONTE_CONTAAZUL_CLIENT_ID", ""),
		ContaAzulSecret:   get("PONTE_CONTAAZUL_CLIENT_SECRET", ""),
	}
	c.BaseURL = get("PONTE_BASE_URL", "http://"+c.Addr)

	if c.DatabaseURL != "" && !c.Postgres() {
		bad("PONTE_DATABASE_URL", "must be empty (embedded SQLite) or a postgres:// URL, not %q", redactURL(c.DatabaseURL))
	}
	for _, r := range strings.Split(get("PONTE_ROLES", "web,worker"), ",") {
		switch role := Role(strings.TrimSpace(r)); role {
		case RoleWeb, RoleWorker:
			if !slices.Contains(c.Roles, role) {
				c.Roles = append(c.Roles, role)
			}
		case "":
		default:
			bad("PONTE_ROLES", "unknown role %q (use web, worker or web,worker)", role)
		}
	}
	if len(c.Roles) == 0 {
		bad("PONTE_ROLES", "must name at least one role")
	}
	if d, err := time.ParseDuration(get("PONTE_POLL_INTERVAL", DefaultPollInterval.String())); err != nil {
		bad("PONTE_POLL_INTERVAL", "must be a duration like 10m")
	} else if d < time.Second {
		bad("PONTE_POLL_INTERVAL", "must be at least 1s")
	} else {
		c.PollInterval = d
	}
	if w := get("PONTE_WORKERS", "20"); true {
		n := 0
		if _, err := fmt.Sscan(w, &n); err != nil || n < 1 || n > 10000 {
			bad("PONTE_WORKERS", "must be a whole number from 1 to 10000")
		}
		c.Workers = n
	}
	if days := get("PONTE_RETENTION_DAYS", "90"); true {
		n := 0
		if _, err := fmt.Sscan(days, &n); err != nil || n < 0 || n > 36500 {
			bad("PONTE_RETENTION_DAYS", "must be a whole number of days (0 keeps the whole history)")
		}
		c.Retention = time.Duration(n) * 24 * time.Hour
	}
	if d, err := time.ParseDuration(get("PONTE_SHUTDOWN_GRACE", "60s")); err != nil || d < 0 {
		bad("PONTE_SHUTDOWN_GRACE", "must be a duration like 60s")
	} else {
		c.ShutdownGrace = d
	}
	if strings.ContainsAny(c.NodeName, "/ \t") {
		bad("PONTE_NODE_NAME", "must be one word without spaces or slashes, not %q", c.NodeName)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("PONTE_LOG_FORMAT", "must be text or json")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("PONTE_LOG_LEVEL", "must be debug, info, warn or error")
	}
	for name, v := range map[string]string{
		"PONTE_BASE_URL": c.BaseURL, "PONTE_AUVO_URL": c.AuvoURL, "PONTE_OMIE_URL": c.OmieURL,
		"PONTE_BLING_URL": c.BlingURL, "PONTE_BLING_AUTH_URL": c.BlingAuthURL,
		"PONTE_CONTAAZUL_URL": c.ContaAzulURL, "PONTE_CONTAAZUL_AUTH_URL": c.ContaAzulAuthURL,
	} {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(name, "must be an http(s) URL, not %q", v)
		}
	}
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			bad("PONTE_SMTP_URL", "must look like smtp://user:password@host:587 or smtps://…:465")
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		bad("PONTE_MAIL_FROM", "must be an e-mail address like Ponte <nao-responda@example.com>")
	}
	if len(errs) > 0 {
		// Sorted so the report is stable; each line names its variable.
		slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
		return c, errors.Join(errs...)
	}
	return c, nil
}

// redactURL hides a password in a URL before it is shown.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
