package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/store"
)

// Issue 18 item 1 (SPEC P4): the page after login is a clean local path; every hostile value
// of next lands on "/" instead of another site.
func TestSafeNextRefusesHostileValues(t *testing.T) {
	t.Parallel()
	for _, next := range []string{
		"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/ /evil.example", "/\x00/evil.example",
		"//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
		"https://evil.example", "http:/evil.example", "javascript:alert(1)", "evil.example", "",
		" /integrations", "/integrations\u00a0", "/\u2028/evil.example", "/../../evil", "/a/../../evil",
		"/./", "/%09/evil.example", "/%2F%2Fevil.example",
	} {
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", next, got)
		}
	}
	for _, next := range []string{"/", "/integrations/3/runs", "/integrations/3/runs?flow=customers&page=2", "/operator/"} {
		if got := safeNext(next); got != next {
			t.Errorf("safeNext(%q) = %q, want it kept", next, got)
		}
	}
}

// Issue 18 item 1, through the real form: the answer to a good login never leaves the site.
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	e.signUp("Empresa", "ana@exemplo.com.br")
	for _, next := range []string{"/\t/evil.example", "//evil.example", "/\\evil.example"} {
		c := e.client()
		c.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/login", strings.NewReader(url.Values{
			"email": {"ana@exemplo.com.br"}, "password": {"senha-nova-123"}, "next": {next}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := c.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("next=%q: %d Location %q, want 303 /", next, res.StatusCode, loc)
		}
	}
}

// Issue 18 item 10 (SPEC P4): a new login from the same browser ends the session it had, so a
// copied cookie does not outlive it.
func TestLoginReplacesBrowserSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	c := e.signUp("Empresa", "ana@exemplo.com.br")
	u, _ := url.Parse(e.srv.URL)
	old := sessionValue(c, u)
	if r := c.post("/login", url.Values{"email": {"ana@exemplo.com.br"}, "password": {"senha-nova-123"}}); r.url != "/" {
		t.Fatalf("second login → %s", r.url)
	}
	if now := sessionValue(c, u); now == "" || now == old {
		t.Fatalf("the cookie was not replaced (%q)", now)
	}
	thief := e.client()
	thief.hc.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: old}})
	if r := thief.get("/integrations/1"); r.url != "/login" {
		t.Fatalf("the old session still opens pages: %s", r.url)
	}
	if r := c.get("/"); r.url != "/" || r.status != 200 {
		t.Fatalf("the new session does not work: %d %s", r.status, r.url)
	}
}

func sessionValue(c *client, u *url.URL) string {
	for _, k := range c.hc.Jar.Cookies(u) {
		if k.Name == sessionCookie {
			return k.Value
		}
	}
	return ""
}
