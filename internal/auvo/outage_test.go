package auvo_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/partner"
)

// TestForeignAnswersAreOutages (issue 21): only an answer in Auvo's own form says the keys are
// wrong. A proxy, CDN or WAF page, or a wrong PONTE_AUVO_URL, answering 401/403/404 or any other
// status is an outage (KindTransient, retried), on the login and on every other call, so it can
// never move every tenant's integration to "com erro". The answers Auvo documents for wrong keys
// are still rejected credentials.
func TestForeignAnswersAreOutages(t *testing.T) {
	t.Parallel()
	html := "text/html; charset=utf-8"
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        partner.Kind
	}{
		{"proxy 404 page", 404, html, "<html><body><h1>404 Not Found</h1></body></html>", partner.KindTransient},
		{"Go's plain 404", 404, "text/plain; charset=utf-8", "404 page not found\n", partner.KindTransient},
		{"WAF 403 page", 403, html, "<!DOCTYPE html><title>Access denied</title>", partner.KindTransient},
		{"CDN 401 page", 401, html, "<html>Unauthorized</html>", partner.KindTransient},
		{"proxy 407", 407, html, "<html>Proxy Authentication Required</html>", partner.KindTransient},
		{"JSON 405 of some other server", 405, "application/json", `{"error":"method not allowed"}`, partner.KindTransient},
		{"Auvo: unknown key, no body (API doc §1)", 404, "", "", partner.KindAuth},
		{"Auvo: missing key, model state", 400, "application/json", `{"apiKey":["The apiKey field is required."]}`, partner.KindAuth},
		{"Auvo: JSON 401", 401, "application/json", `{"message":"Unauthorized","errorCode":0}`, partner.KindAuth},
		{"Auvo: rate limit 403", 403, "application/json", `{"error":"Rate limit temporarily exceeded"}`, partner.KindThrottled},
	}
	for _, c := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if c.contentType != "" {
				w.Header().Set("Content-Type", c.contentType)
			}
			w.WriteHeader(c.status)
			_, _ = w.Write([]byte(c.body))
		}))
		doer := &partner.Doer{HTTP: partner.NewHTTPClient(partner.HTTPOptions{}), Backoff: time.Millisecond, Retries: -1}
		err := auvo.New(srv.URL, auvo.Credentials{APIKey: "k", APIToken: "t"}, doer).Login(context.Background())
		srv.Close()
		if got := partner.KindOf(err); got != c.want {
			t.Errorf("login, %s: kind %v (%v), want %v", c.name, got, err, c.want)
		}
	}

	// After a good login, a data call answered by a foreign 403 page is an outage too, and a
	// listing answered by a proxy's 404 page is not Auvo's "nothing matches".
	mux := http.NewServeMux()
	mux.HandleFunc("/login/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"result":{"authenticated":true,"accessToken":"tok"}}`))
	})
	mux.HandleFunc("/customers/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", html)
		if r.URL.Query().Has("paramFilter") {
			w.WriteHeader(http.StatusNotFound) // a listing: must not read as "nothing matches"
			_, _ = w.Write([]byte("<html>Not Found</html>"))
			return
		}
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("<html>Blocked by the firewall</html>"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := auvo.New(srv.URL, auvo.Credentials{APIKey: "k", APIToken: "t"},
		&partner.Doer{HTTP: partner.NewHTTPClient(partner.HTTPOptions{}), Backoff: time.Millisecond, Retries: -1})
	if _, err := c.GetCustomer(context.Background(), 1); partner.KindOf(err) != partner.KindTransient {
		t.Errorf("GET /customers/1 behind a WAF page: kind %v (%v), want transient", partner.KindOf(err), err)
	}
	if _, err := c.ListCustomers(context.Background(), auvo.CustomerFilter{}, 1); partner.KindOf(err) != partner.KindTransient {
		t.Errorf("a listing answered by a proxy's 404 page: kind %v (%v), want transient, not an empty list", partner.KindOf(err), err)
	}
}
