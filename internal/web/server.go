// Package web is Ponte's portal: server-rendered pages in Brazilian Portuguese for tenants and
// operators, plus the health and metrics endpoints. Every route is listed in routes.go.
package web

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pontehub/ponte/internal/connector"
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
}

// server holds the handlers' dependencies; handlers are its methods.
type server struct {
	Deps
	pages *template.Template
}

// New returns the portal's handler.
func New(d Deps) (http.Handler, error) {
	pages, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	s := &server{Deps: d, pages: pages}
	mux := http.NewServeMux()
	s.routes(mux)
	return s.secure(mux), nil
}

var funcs = template.FuncMap{
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(brasilia).Format("02/01/2006 15:04")
	},
}

// brasilia is the portal's display time zone (UTC-3, no daylight saving since 2019).
var brasilia = time.FixedZone("BRT", -3*60*60)

// handle adapts a handler that returns an error: errors are rendered once, here, and internal
// causes are logged once, here.
func (s *server) handle(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		e := asError(err)
		if e.Code == Internal {
			s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		w.WriteHeader(e.Code.status())
		if rerr := s.pages.ExecuteTemplate(w, "error.html", map[string]any{"Message": e.Message, "Status": e.Code.status()}); rerr != nil {
			s.Log.Error("rendering error page", "err", rerr)
		}
	}
}

func (s *server) render(w http.ResponseWriter, name string, data any) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return s.pages.ExecuteTemplate(w, name, data)
}

// secure adds the security headers every answer carries and refuses cross-origin writes.
func (s *server) secure(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
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
	return promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{})
}

func (s *server) home(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Path != "/" {
		return Errorf(NotFound, "Página não encontrada.", nil)
	}
	return s.render(w, "home.html", map[string]any{
		"Catalogue": []store.ERP{store.Omie, store.ContaAzul, store.Bling},
	})
}
