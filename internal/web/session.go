package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/pontehub/ponte/internal/store"
)

// Session lifetimes (SPEC P4): a session ends after 12 idle hours, and after 7 days at most.
const (
	sessionIdle     = 12 * time.Hour
	sessionAbsolute = 7 * 24 * time.Hour
	sessionCookie   = "ponte_session"
	flashCookie     = "ponte_flash"
)

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *server) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteLaxMode}
}

// startSession signs user in: a new random token in the cookie, its hash in the database. The
// session this browser had before ends, so a token someone copied from it dies with the new
// login instead of staying valid for days.
func (s *server) startSession(w http.ResponseWriter, r *http.Request, u store.User) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Store.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	tok := randomToken()
	if err := s.Store.CreateSession(r.Context(), tok, u.ID); err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(sessionCookie, tok, int(sessionAbsolute/time.Second)))
	return nil
}

// endSession signs out.
func (s *server) endSession(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Store.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, s.cookie(sessionCookie, "", -1))
	return nil
}

// currentUser returns the signed-in account, or nil.
func (s *server) currentUser(r *http.Request) (*store.User, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	u, err := s.Store.SessionUser(r.Context(), c.Value, sessionIdle, sessionAbsolute)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrExpired) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// flash leaves a one-line message for the next page.
func (s *server) flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, s.cookie(flashCookie, url.QueryEscape(msg), 60))
}

// takeFlash reads and clears the message.
func (s *server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, s.cookie(flashCookie, "", -1))
	msg, err := url.QueryUnescape(c.Value)
	if err != nil {
		return ""
	}
	return msg
}

// redirect ends a successful form post: flash, then 303 to the page to show (PRG).
func (s *server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		s.flash(w, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
