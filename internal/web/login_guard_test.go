package web

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/pontehub/ponte/internal/store"
)

// Issue 18 item 2 (SPEC P4): 40 parallel wrong logins for one e-mail make at most the limit of
// real password checks; the old check-then-insert made 37.
func TestParallelLoginsCheckAtMostTheLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	e.signUp("Empresa", "ana@exemplo.com.br")
	before := e.s.hashes.checks.Load()
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.client().post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {"errada"}})
		}()
	}
	wg.Wait()
	if got := e.s.hashes.checks.Load() - before; got > loginFailsPerEmail {
		t.Fatalf("%d password checks for 40 parallel attempts, limit %d", got, loginFailsPerEmail)
	}
}

// Issue 18 item 2: when every hashing slot is taken, a login is told to come back (503) instead
// of piling up 19 MiB checks.
func TestLoginBeyondHashSlotsIs503(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	e.signUp("Empresa", "ana@exemplo.com.br")
	e.s.hashes = &hashGate{slots: make(chan struct{}, 1)}
	e.s.hashes.slots <- struct{}{}
	r := e.client().post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {"senha-nova-123"}})
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "ocupado") {
		t.Fatalf("login with no free slot: %d", r.status)
	}
}

// Issue 18 item 3 (SPEC P4): a stranger guessing from one address blocks only that address;
// the owner, from another, still signs in, and is told once by e-mail.
func TestGuesserDoesNotLockOutOwner(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	e.signUp("Empresa", "ana@exemplo.com.br")
	stranger := e.clientFrom("127.0.0.2")
	for range loginFailsPerEmail + 3 {
		stranger.post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {"errada"}})
	}
	if r := stranger.post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {"senha-nova-123"}}); r.status != 429 {
		t.Fatalf("the guessing address got %d with the right password, want 429", r.status)
	}
	if r := e.clientFrom("127.0.0.3").post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {"senha-nova-123"}}); r.status != 200 || r.url != "/" {
		t.Fatalf("the owner from another address: %d %s", r.status, r.url)
	}
	warned := 0
	for _, m := range e.mails() {
		if strings.Contains(m.to, "ana@exemplo.com.br") && strings.Contains(m.body, "127.0.0.2") {
			warned++
		}
	}
	if warned != 1 {
		t.Fatalf("%d guessing warnings sent, want 1", warned)
	}
}

// clientFrom is a browser whose connections come from ip (any 127.0.0.0/8 address is local).
func (e *env) clientFrom(ip string) *client {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}}
	e.t.Cleanup(tr.CloseIdleConnections)
	return &client{e: e, hc: &http.Client{Jar: jar, Transport: tr}}
}
