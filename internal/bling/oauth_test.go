package bling_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/bling/blingsandbox"
	"github.com/pontehub/ponte/internal/oauth"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
)

// TestOAuthDance walks SPEC S10 "Conectar" end to end against the sandbox: authorize URL with a
// non-empty state and no redirect_uri (api/bling.md §1), the approval page, the redirect back
// with code and state, the code exchange with Basic auth, and an API call with the stored token.
func TestOAuthDance(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	state := "sessao-42-f3a9"

	authURL, err := url.Parse(e.mgr.AuthCodeURL(state))
	if err != nil {
		t.Fatal(err)
	}
	q := authURL.Query()
	if q.Get("state") != state || q.Get("client_id") != e.app.ClientID || q.Get("response_type") != "code" {
		t.Fatalf("authorize URL %s lacks state, client_id or response_type", authURL)
	}
	if q.Has("redirect_uri") {
		t.Errorf("authorize URL sends redirect_uri; Bling apps have one registered link: %s", authURL)
	}

	hc := noRedirects()
	page, err := hc.Get(authURL.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != http.StatusOK || !strings.Contains(string(body), `value="`+strconv.FormatInt(e.account, 10)+`"`) {
		t.Fatalf("authorize page: HTTP %d, account %d not offered:\n%s", page.StatusCode, e.account, body)
	}

	form := url.Values{"client_id": {e.app.ClientID}, "state": {state},
		"account": {strconv.FormatInt(e.account, 10)}, "decision": {"approve"}}
	res, err := hc.PostForm(e.authURL()+"/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("approval: HTTP %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirectURI {
		t.Errorf("redirected to %s, want the app's registered link %s", got, redirectURI)
	}
	if loc.Query().Get("state") != state {
		t.Errorf("state came back as %q, want %q", loc.Query().Get("state"), state)
	}
	code := loc.Query().Get("code")

	tok, err := e.mgr.Exchange(ctx, e.key, code)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	stored, err := e.tokens.LoadToken(ctx, e.key)
	if err != nil {
		t.Fatal(err)
	}
	if stored.AccessToken != tok.AccessToken || stored.RefreshToken == "" {
		t.Fatalf("store holds %+v after the exchange", stored)
	}
	if left := time.Until(stored.Expiry); left < 5*time.Hour || left > 6*time.Hour+time.Minute {
		t.Errorf("access token expires in %s, want Bling's 6 h", left)
	}

	types, err := e.client.ListContactTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := bling.FindType(types, "cliente"); !ok {
		t.Errorf("contact types %+v have no Cliente", types)
	}

	// The code works once: replaying it is refused and revokes what it granted.
	if _, err := e.mgr.Exchange(ctx, "integration:2", code); !errors.Is(err, oauth.ErrNeedsReconnect) {
		t.Errorf("replayed code: %v, want ErrNeedsReconnect", err)
	}
	_, err = e.client.ListContactTypes(ctx)
	if !errors.Is(err, oauth.ErrNeedsReconnect) || partner.KindOf(err) != partner.KindAuth {
		t.Errorf("after a code replay the connection still works or fails oddly: %v", err)
	}
}

// TestAuthorizeRefusesEmptyState: Bling refuses an empty state (api/bling.md §1, "ele não pode
// ser vazio"), so a connection never starts unbound to the user's session.
func TestAuthorizeRefusesEmptyState(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	u := e.authURL() + "/authorize?response_type=code&client_id=" + e.app.ClientID + "&state="
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("empty state: HTTP %d, want 400", res.StatusCode)
	}
}

// TestRefreshIsSingleFlight proves SPEC S10: Bling rotates refresh tokens, so concurrent calls
// that all find the access token expired must cause exactly one call to the token endpoint,
// counted in the sandbox stats (GET /_sandbox/stats).
func TestRefreshIsSingleFlight(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		expire func(e *env)
	}{
		{"expired in the store: refresh before calling", func(e *env) {
			tok, err := e.tokens.LoadToken(context.Background(), e.key)
			if err != nil {
				e.t.Fatal(err)
			}
			tok.Expiry = time.Now().Add(-time.Minute)
			if err := e.tokens.SaveToken(context.Background(), e.key, tok); err != nil {
				e.t.Fatal(err)
			}
		}},
		{"expired at Bling only: 401, refresh, retry", func(e *env) { e.clock.Advance(7 * time.Hour) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Rate limits off on both sides: the burst is about refreshing, not pacing.
			e := newEnv(t, envOptions{noLimiter: true, sandbox: blingsandbox.Options{RequestsPerSecond: -1}})
			e.connect()
			tc.expire(e)
			// Slow the token endpoint so every goroutine is waiting while the one refresh runs.
			e.sb.Faults().Add(sandbox.Fault{Method: "POST /oauth/token", Kind: sandbox.FaultLatency, Latency: 200 * time.Millisecond})
			before := tokenCalls(t, e)

			ctx := context.Background()
			const n = 10
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() { _, errs[i] = e.client.ListContactTypes(ctx) })
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := tokenCalls(t, e) - before; got != 1 {
				t.Errorf("%d calls to the token endpoint for %d concurrent requests, want 1", got, n)
			}
		})
	}
}

// tokenCalls reads the token endpoint count the way an operator would: GET /_sandbox/stats.
func tokenCalls(t *testing.T, e *env) int64 {
	t.Helper()
	res, err := http.Get(e.srv.URL + "/_sandbox/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var stats map[string]map[string]int64
	if err := json.NewDecoder(res.Body).Decode(&stats); err != nil {
		t.Fatal(err)
	}
	return stats["bling"]["POST /oauth/token"]
}

// TestRevokedRefreshTokenNeedsReconnect proves SPEC S10 "revoked tokens show as reconectar": when
// Bling rejects the refresh token, the call fails as KindAuth matching oauth.ErrNeedsReconnect,
// and the store marks the connection.
func TestRevokedRefreshTokenNeedsReconnect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.connect()
	ctx := context.Background()
	if _, err := e.client.ListContactTypes(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.sb.RevokeRefreshTokens(e.account); n != 1 {
		t.Fatalf("revoked %d refresh tokens, want 1", n)
	}
	e.clock.Advance(7 * time.Hour) // the access token dies at Bling; a refresh is needed

	_, err := e.client.ListContactTypes(ctx)
	if !errors.Is(err, oauth.ErrNeedsReconnect) {
		t.Fatalf("got %v, want ErrNeedsReconnect", err)
	}
	if partner.KindOf(err) != partner.KindAuth || partner.IsRetryable(err) {
		t.Errorf("kind %s, retryable %v; want auth, not retryable", partner.KindOf(err), partner.IsRetryable(err))
	}
	needs, connected, err := e.tokens.NeedsReconnect(ctx, e.key)
	if err != nil || !connected || !needs {
		t.Errorf("store: needs reconnect %v, connected %v, err %v", needs, connected, err)
	}
}
