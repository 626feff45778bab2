package web

import "net/http"

// routes lists every route of the portal.
func (s *server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metrics())
	mux.HandleFunc("GET /", s.handle(s.home))
}
