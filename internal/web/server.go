// Package web is Ponte's portal: server-rendered pages in Brazilian Portuguese for tenants and
// operators, plus the health and metrics endpoints. Every route is listed in routes.go.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pontehub/ponte/internal/connector"
	"github.com/pontehub/ponte/internal/mail"
	"github.com/pontehub/ponte/internal/store"
)

//go:embed templates
var templateFS embed.FS

// Deps are what the portal needs from the rest of Ponte.
type Deps struct {
	Store   *store.Store
	Log     *slog.Logger
	Metrics prometheus.Gatherer
	BaseURL string
	// Connector builds partner clients, to verify credentials and load Omie's lists (S1, S6–S9)
	// and to run the OAuth consent of Bling and Conta Azul (S10).
	Connector *connector.Connector
	// Mailer sends generated passwords and reset links (P1, P3, P4).
	Mailer mail.Mailer
	// PollInterval is the sync period, to show when flows run next (F2).
	PollInterval time.Duration
	// Sync starts a manual cycle (OP1); nil turns the button off.
	Sync Syncer
}

// Syncer starts a cycle now; *jobs.Enqueuer is the one production uses.
type Syncer interface {
	SyncNow(ctx context.Context, tenant store.TenantID, id store.IntegrationID) error
}

// server holds the handlers' dependencies; handlers are its methods.
type server struct {
	Deps
	pages  *template.Template
	assets *assets
	sealer *sealer
	secure bool // cookies only over HTTPS (PONTE_BASE_URL is https)
	hashes *hashGate
}

// New returns the portal's handler.
func New(d Deps) (http.Handler, error) {
	s, err := newServer(d)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	s.routes(mux)
	return s.secureHeaders(mux), nil
}

func newServer(d Deps) (*server, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	seal, err := newSealer()
	if err != nil {
		return nil, err
	}
	s := &server{Deps: d, assets: a, sealer: seal, secure: strings.HasPrefix(d.BaseURL, "https://"), hashes: newHashGate()}
	s.pages, err = template.New("").Funcs(s.funcs()).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *server) funcs() template.FuncMap {
	return template.FuncMap{
		"datetime":     datetime,
		"asset":        s.assets.url,
		"dict":         dict,
		"list3":        func(a, b, c string) []string { return []string{a, b, c} },
		"status":       statusLabel,
		"reason":       reasonLabel,
		"fix":          reasonFix,
		"when":         when,
		"duration":     duration,
		"entity":       entityLabel,
		"auditName":    auditLabel,
		"document":     document,
		"period":       period,
		"counts":       countsText,
		"offered":      offered,
		"taskStatuses": func() []option { return taskStatuses },
		"statusBadge":  statusBadge,
	}
}

// statusLabel is a cycle's or run's status in Portuguese (V1, V3).
func statusLabel(s string) string {
	switch s {
	case "running":
		return "em andamento"
	case "done":
		return "concluída"
	case "failed":
		return "com erro"
	case "interrupted":
		return "interrompida"
	case "throttled":
		return "aguardando o limite de chamadas do parceiro"
	}
	return s
}

// dict builds the argument of a partial: {{template "field" dict "Name" "email" …}}.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func datetime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(brasilia).Format("02/01/2006 15:04")
}

// brasilia is the portal's display time zone (UTC-3, no daylight saving since 2019).
var brasilia = time.FixedZone("BRT", -3*60*60)

// secureHeaders adds the security headers every answer carries and refuses cross-origin writes
// (CSRF: together with SameSite=Lax cookies, a form posted from another site is refused).
func (s *server) secureHeaders(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		if s.secure {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	}))
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz answers 200 only when the database answers and its schema is current.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.Store.Ping(ctx); err != nil {
		s.Log.Warn("readyz: database unreachable", "err", err)
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	if pending, err := s.Store.MigrationsPending(ctx); err != nil || pending {
		http.Error(w, "migrations pending", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

func (s *server) metrics() http.Handler {
	if s.Metrics == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{})
}
