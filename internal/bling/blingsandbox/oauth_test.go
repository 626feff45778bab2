package blingsandbox_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/bling/blingsandbox"
	"github.com/pontehub/ponte/internal/sandbox"
)

// fixture is a sandbox behind the hub, with one app and one account.
type fixture struct {
	t       *testing.T
	clock   *sandbox.Clock
	sb      *blingsandbox.Sandbox
	srv     *httptest.Server
	app     blingsandbox.App
	account int64
}

func newFixture(t *testing.T, o blingsandbox.Options) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: sandbox.NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))}
	if o.Now == nil {
		o.Now = f.clock.Now
	}
	f.sb = blingsandbox.New(o)
	f.srv = httptest.NewServer(sandbox.NewHub(f.sb))
	t.Cleanup(f.srv.Close)
	f.app = f.sb.NewApp("https://ponte.example/cb?x=1")
	f.account = f.sb.NewAccount("Conta")
	return f
}

type tokenAnswer struct {
	Status       int
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	Error        string `json:"error"`
}

// token calls the token endpoint as Bling documents it: Basic auth and a form body.
func (f *fixture) token(form url.Values) tokenAnswer {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/bling/Api/v3/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(f.app.ClientID, f.app.ClientSecret)
	return f.tokenDo(req)
}

func (f *fixture) tokenDo(req *http.Request) tokenAnswer {
	f.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	var a tokenAnswer
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		f.t.Fatal(err)
	}
	a.Status = res.StatusCode
	return a
}

func (f *fixture) code() string {
	f.t.Helper()
	c, err := f.sb.IssueCode(f.app.ClientID, f.account)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) exchange(code string) tokenAnswer {
	return f.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}})
}

func (f *fixture) refresh(rt string) tokenAnswer {
	return f.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
}

// api calls the API with an access token and returns the status.
func (f *fixture) api(path, token string) int {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/bling/Api/v3"+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestTokenEndpoint covers the token rules of api/bling.md §1: Basic auth, 6 h access tokens,
// single-use codes valid about a minute, rotating refresh tokens, and replay revoking the grant.
func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	t.Run("code exchange answers the documented token shape", func(t *testing.T) {
		f := newFixture(t, blingsandbox.Options{})
		a := f.exchange(f.code())
		if a.Status != 200 || a.AccessToken == "" || a.RefreshToken == "" || a.ExpiresIn != 21600 || a.TokenType != "Bearer" || a.Scope == "" {
			t.Errorf("token answer %+v", a)
		}
		if f.api("/contatos/tipos", a.AccessToken) != 200 {
			t.Error("fresh access token refused")
		}
		f.clock.Advance(6*time.Hour + time.Second)
		if f.api("/contatos/tipos", a.AccessToken) != 401 {
			t.Error("access token still accepted after 6 h")
		}
	})
	t.Run("expired code", func(t *testing.T) {
		f := newFixture(t, blingsandbox.Options{})
		code := f.code()
		f.clock.Advance(61 * time.Second)
		if a := f.exchange(code); a.Status != 400 || a.Error != "invalid_grant" {
			t.Errorf("code used after 61 s: %+v", a)
		}
	})
	t.Run("replayed code revokes what it granted", func(t *testing.T) {
		f := newFixture(t, blingsandbox.Options{})
		code := f.code()
		first := f.exchange(code)
		if a := f.exchange(code); a.Status != 400 || a.Error != "invalid_grant" {
			t.Errorf("second use of a code: %+v", a)
		}
		if f.api("/contatos/tipos", first.AccessToken) != 401 {
			t.Error("access token of a replayed code still works")
		}
		if a := f.refresh(first.RefreshToken); a.Status != 400 {
			t.Errorf("refresh token of a replayed code still works: %+v", a)
		}
	})
	t.Run("refresh rotates, and replaying the old refresh token revokes", func(t *testing.T) {
		f := newFixture(t, blingsandbox.Options{})
		first := f.exchange(f.code())
		second := f.refresh(first.RefreshToken)
		if second.Status != 200 || second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
			t.Fatalf("refresh answer %+v", second)
		}
		if a := f.refresh(first.RefreshToken); a.Status != 400 || a.Error != "invalid_grant" {
			t.Errorf("old refresh token reused: %+v", a)
		}
		if f.api("/contatos/tipos", second.AccessToken) != 401 {
			t.Error("after a replay the newest access token still works")
		}
		if a := f.refresh(second.RefreshToken); a.Status != 400 {
			t.Errorf("after a replay the newest refresh token still works: %+v", a)
		}
	})
	t.Run("revoked refresh tokens", func(t *testing.T) {
		f := newFixture(t, blingsandbox.Options{})
		a := f.exchange(f.code())
		if n := f.sb.RevokeRefreshTokens(f.account); n != 1 {
			t.Errorf("revoked %d", n)
		}
		if r := f.refresh(a.RefreshToken); r.Status != 400 || r.Error != "invalid_grant" {
			t.Errorf("revoked refresh token: %+v", r)
		}
		if f.api("/contatos/tipos", a.AccessToken) != 200 {
			t.Error("revoking refresh tokens killed the access token too")
		}
	})
	t.Run("client secret only in Basic auth", func(t *testing.T) {
		f := newFixture(t, blingsandbox.Options{})
		form := url.Values{"grant_type": {"authorization_code"}, "code": {f.code()},
			"client_id": {f.app.ClientID}, "client_secret": {f.app.ClientSecret}}
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/bling/Api/v3/oauth/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if a := f.tokenDo(req); a.Status != 401 || a.Error != "invalid_client" {
			t.Errorf("credentials in the body: %+v", a)
		}
	})
	t.Run("unknown grant type", func(t *testing.T) {
		f := newFixture(t, blingsandbox.Options{})
		if a := f.token(url.Values{"grant_type": {"password"}}); a.Status != 400 || a.Error != "unsupported_grant_type" {
			t.Errorf("password grant: %+v", a)
		}
	})
}

// TestAuthorizePage: approving sends code and state to the app's one redirect link (keeping
// its own query); refusing sends error=access_denied; an unknown app gets no page.
func TestAuthorizePage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, blingsandbox.Options{})
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(decision string) *url.URL {
		res, err := hc.PostForm(f.srv.URL+"/bling/Api/v3/oauth/authorize", url.Values{"client_id": {f.app.ClientID},
			"state": {"s1"}, "account": {"1"}, "decision": {decision}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		u, _ := url.Parse(res.Header.Get("Location"))
		if res.StatusCode != http.StatusFound || u == nil {
			t.Fatalf("decision %s: HTTP %d", decision, res.StatusCode)
		}
		return u
	}
	ok := post("approve")
	if q := ok.Query(); q.Get("x") != "1" || q.Get("state") != "s1" || q.Get("code") == "" || ok.Host != "ponte.example" {
		t.Errorf("approve redirected to %s", ok)
	}
	if a := f.exchange(ok.Query().Get("code")); a.Status != 200 {
		t.Errorf("code from the page refused: %+v", a)
	}
	no := post("deny")
	if q := no.Query(); q.Get("error") != "access_denied" || q.Get("state") != "s1" || q.Has("code") {
		t.Errorf("deny redirected to %s", no)
	}
	res, err := http.Get(f.srv.URL + "/bling/Api/v3/oauth/authorize?response_type=code&state=s&client_id=nope")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown client: HTTP %d", res.StatusCode)
	}
}
