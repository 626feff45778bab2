package contaazul_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/contaazul"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
	"github.com/pontehub/ponte/internal/oauth"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
)

// noRedirect is a browser that stops at the redirect back to Ponte, to read code and state.
func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// TestOAuthDance proves S10 end to end: authorize URL with the fixed scopes and a state, the
// sandbox page where a person picks the company and approves, the redirect back with code and
// the same state, the code exchange with Basic auth, tokens stored, and an API call that works.
func TestOAuthDance(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	ctx := context.Background()
	const state = "sessao-123:nonce-abc"
	authURL := e.mgr.AuthCodeURL(state)
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/contaazul/oauth2/authorize" || u.Query().Get("scope") != "openid profile aws.cognito.signin.user.admin" ||
		u.Query().Get("response_type") != "code" || u.Query().Get("redirect_uri") != e.app.RedirectURI {
		t.Fatalf("authorize URL = %s", authURL)
	}

	res, err := http.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), `value="`+e.acc.ID+`"`) {
		t.Fatalf("authorize page: %d, account %s not offered:\n%s", res.StatusCode, e.acc.ID, page)
	}

	form := u.Query()
	form.Set("account", e.acc.ID)
	form.Set("decision", "approve")
	res, err = noRedirect().PostForm(e.base+"/oauth2/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(back.String(), e.app.RedirectURI+"?") {
		t.Fatalf("approve: %d Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := back.Query().Get("state"); got != state {
		t.Fatalf("state = %q, want %q", got, state)
	}
	code := back.Query().Get("code")
	if code == "" {
		t.Fatal("no code in redirect")
	}

	if _, err := e.mgr.Exchange(ctx, e.key, code); err != nil {
		t.Fatal(err)
	}
	stored, err := e.tokens.LoadToken(ctx, e.key)
	if err != nil || stored.AccessToken == "" || stored.RefreshToken == "" || stored.Expiry.IsZero() {
		t.Fatalf("stored token %+v, %v", stored != (oauth.Token{}), err)
	}
	got, err := e.client.ConnectedAccount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.IDEmpresa != e.acc.ID || got.RazaoSocial != e.acc.RazaoSocial {
		t.Fatalf("connected account = %+v, want %s", got, e.acc.ID)
	}
	if n := e.calls("POST /oauth2/token authorization_code"); n != 1 {
		t.Fatalf("code exchanges = %d, want 1", n)
	}
}

// TestAuthorizeRefusals: the person can deny (access_denied goes back with the state), and a
// redirect_uri that is not exactly the registered one is never redirected to.
func TestAuthorizeRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	u, _ := url.Parse(e.mgr.AuthCodeURL("st"))
	form := u.Query()
	form.Set("account", e.acc.ID)
	form.Set("decision", "deny")
	res, err := noRedirect().PostForm(e.base+"/oauth2/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, _ := url.Parse(res.Header.Get("Location"))
	if back.Query().Get("error") != "access_denied" || back.Query().Get("state") != "st" {
		t.Fatalf("deny redirected to %q", res.Header.Get("Location"))
	}

	q := u.Query()
	q.Set("redirect_uri", e.app.RedirectURI+"/")
	res, err = noRedirect().Get(e.base + "/oauth2/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
		t.Fatalf("mismatched redirect_uri: %d Location %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestRefreshSingleFlight proves S10's single-flight refresh: when the access token has expired
// at Conta Azul, concurrent calls for one tenant all get 401, and exactly one refresh reaches
// the token endpoint. Two would fail: the sandbox treats a rotated refresh token presented
// again as theft and revokes the connection.
func TestRefreshSingleFlight(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	e.connect(t)
	e.clk.Advance(2 * time.Hour) // past the 1-hour access token, at the partner only

	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.client.ListPessoas(context.Background(), contaazul.PessoaFilter{}, 1)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := e.calls("POST /oauth2/token refresh_token"); got != 1 {
		t.Fatalf("refresh calls = %d, want 1", got)
	}
	if got := e.calls("GET /v1/pessoas"); got <= n {
		t.Fatalf("list calls = %d: the 401s were not retried", got)
	}
}

// TestRevokedRefreshNeedsReconnect: when the user removes the app in Conta Azul, the refresh
// answers invalid_grant, the client error is KindAuth and matches oauth.ErrNeedsReconnect, and
// the connection is marked "reconectar" (S10).
func TestRevokedRefreshNeedsReconnect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	e.connect(t)
	e.sb.RevokeRefreshTokens(e.acc.ID)
	_, err := e.client.GetPessoa(context.Background(), "4bbdae00-2242-4703-9310-9946d6c2d0a3")
	if !errors.Is(err, oauth.ErrNeedsReconnect) || partner.KindOf(err) != partner.KindAuth {
		t.Fatalf("err = %v, want KindAuth wrapping oauth.ErrNeedsReconnect", err)
	}
	needs, connected, err := e.tokens.NeedsReconnect(context.Background(), e.key)
	if err != nil || !needs || !connected {
		t.Fatalf("NeedsReconnect = %v, %v, %v", needs, connected, err)
	}
}

// TestUnauthorizedAfterRefresh: a 401 that survives a fresh token is KindAuth, after exactly one
// refresh and one retry.
func TestUnauthorizedAfterRefresh(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	e.connect(t)
	e.sb.Faults().Add(sandbox.Fault{Method: "GET /v1/pessoas/conta-conectada", Kind: sandbox.FaultError, Status: http.StatusUnauthorized})
	_, err := e.client.ConnectedAccount(context.Background())
	if partner.KindOf(err) != partner.KindAuth || errors.Is(err, oauth.ErrNeedsReconnect) {
		t.Fatalf("err = %v, want KindAuth from the API", err)
	}
	if r, c := e.calls("POST /oauth2/token refresh_token"), e.calls("GET /v1/pessoas/conta-conectada"); r != 1 || c != 2 {
		t.Fatalf("refreshes %d, calls %d; want 1 and 2", r, c)
	}
}

// TestNeverConnected: a tenant that never ran Conectar gets KindAuth matching oauth.ErrNoToken,
// and no call reaches Conta Azul.
func TestNeverConnected(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	_, err := e.client.ListPessoas(context.Background(), contaazul.PessoaFilter{}, 1)
	if !errors.Is(err, oauth.ErrNoToken) || partner.KindOf(err) != partner.KindAuth {
		t.Fatalf("err = %v", err)
	}
	if n := e.calls("GET /v1/pessoas"); n != 0 {
		t.Fatalf("%d calls reached the API", n)
	}
}
