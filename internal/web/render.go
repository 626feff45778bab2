package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/pontehub/ponte/internal/store"
)

// user is the signed-in account.
type user = store.User

// page is what every template receives: the layout reads User and Flash, the page reads D.
type page struct {
	User  *user
	Flash string
	Title string
	D     any
}

// render executes a page template into a buffer first, so a template error is an error page and
// not half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, u *user, status int, name, title string, d any) error {
	var b bytes.Buffer
	p := page{User: u, Flash: s.takeFlash(w, r), Title: title, D: d}
	if err := s.pages.ExecuteTemplate(&b, name, p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := b.WriteTo(w)
	return err
}

// guard checks who may use rt, then runs its handler through the error adapter.
func (s *server) guard(rt route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := s.currentUser(r)
		if err != nil {
			s.fail(w, r, nil, err)
			return
		}
		if rt.access != public && u == nil {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		switch rt.access {
		case tenant, operator:
			if u.MustChange {
				// P2: nothing but the password page until the e-mailed password is replaced.
				http.Redirect(w, r, "/password", http.StatusSeeOther)
				return
			}
			if rt.access == tenant && (u.Operator || u.TenantID == 0) {
				s.fail(w, r, u, Errorf(Forbidden, "Esta página é das empresas clientes; operadores usam o painel de operação.", nil))
				return
			}
			if rt.access == operator && !u.Operator {
				// 404, not 403: a tenant is not told the operator pages exist.
				s.fail(w, r, u, Errorf(NotFound, "Página não encontrada.", nil))
				return
			}
		}
		if err := rt.h(w, r, u); err != nil {
			s.fail(w, r, u, err)
		}
	}
}

// fail renders an error once, here, and logs internal causes once, here.
func (s *server) fail(w http.ResponseWriter, r *http.Request, u *user, err error) {
	e := asError(err)
	if e.Code == Internal {
		path := r.URL.Path
		if strings.HasPrefix(path, "/password/reset/") {
			path = "/password/reset/…" // the one-time token stays out of the log
		}
		s.Log.Error("request failed", "method", r.Method, "path", path, "err", err)
	}
	if rerr := s.render(w, r, u, e.Code.status(), "error.html", "Erro", e); rerr != nil {
		s.Log.Error("rendering error page", "err", rerr)
		http.Error(w, e.Message, e.Code.status())
	}
}
