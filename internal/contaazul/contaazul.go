// Package contaazul is the client of the current Conta Azul API (api-v2.contaazul.com, see
// api/contaazul.md): OAuth2 configuration for auth.contaazul.com, the /v1/pessoas endpoints the
// customer flows need, answers mapped to *partner.Error, and the 10/s and 600/min limits per
// connected company. The legacy api.contaazul.com is shut down and not supported.
package contaazul

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/oauth2"

	"github.com/pontehub/ponte/internal/oauth"
	"github.com/pontehub/ponte/internal/partner"
)

// DefaultBaseURL is the production API.
const DefaultBaseURL = "https://api-v2.contaazul.com"

// DefaultAuthURL is the production authorization server (AWS Cognito); /oauth2/authorize and
// /oauth2/token live below it.
const DefaultAuthURL = "https://auth.contaazul.com"

// Scope is the fixed scope string of the current API; there are no per-resource scopes.
const Scope = "openid profile aws.cognito.signin.user.admin"

// The published limits per connected company ([C] 600/min and 10/s; an older copy of the page
// says 500/min and 20/s).
const (
	RequestsPerSecond = 10
	RequestsPerMinute = 600
)

const partnerName = "contaazul"

// OAuthConfig returns Ponte's OAuth2 client for Conta Azul: client credentials in Basic auth, the
// registered redirect URL (it must match exactly) and the fixed scopes. authBaseURL "" means
// DefaultAuthURL.
func OAuthConfig(clientID, clientSecret, authBaseURL, redirectURL string) *oauth2.Config {
	if authBaseURL == "" {
		authBaseURL = DefaultAuthURL
	}
	authBaseURL = strings.TrimSuffix(authBaseURL, "/")
	return &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		RedirectURL:  redirectURL,
		Scopes:       strings.Fields(Scope),
		Endpoint: oauth2.Endpoint{
			AuthURL:   authBaseURL + "/oauth2/authorize",
			TokenURL:  authBaseURL + "/oauth2/token",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
}

// Client calls Conta Azul for one connection (one tenant's authorised company).
type Client struct {
	base   string
	tokens *oauth.Manager
	conn   string
	doer   *partner.Doer
	limits []partner.KeyedLimit
}

// New returns a client for the connection connKey, whose tokens the Manager keeps. baseURL ""
// means DefaultBaseURL.
func New(baseURL string, tokens *oauth.Manager, connKey string, doer *partner.Doer) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	// The limiter keeps one bucket per key, so the two limits of one connection need two keys.
	key := partnerName + ":" + connKey
	return &Client{base: strings.TrimSuffix(baseURL, "/"), tokens: tokens, conn: connKey, doer: doer,
		limits: []partner.KeyedLimit{
			{Key: key + ":s", Limit: partner.Limit{N: RequestsPerSecond, Per: time.Second}},
			{Key: key + ":min", Limit: partner.Limit{N: RequestsPerMinute, Per: time.Minute}},
		}}
}

// call is one API call.
type call struct {
	method     string // label for errors and metrics, e.g. "GET /v1/pessoas/{id}"
	http       string
	path       string
	query      url.Values
	body       any
	idempotent bool
}

// do sends k and decodes a 2xx body into out (nil to ignore it).
func (c *Client) do(ctx context.Context, k call, out any) error {
	var body []byte
	h := http.Header{"Accept": {"application/json"}}
	if k.body != nil {
		b, err := json.Marshal(k.body)
		if err != nil {
			return &partner.Error{Partner: partnerName, Method: k.method, Kind: partner.KindInvalid,
				Message: "registro não pôde ser convertido para JSON", Err: err}
		}
		body = b
		h.Set("Content-Type", "application/json")
	}
	u := c.base + k.path
	if len(k.query) > 0 {
		u += "?" + k.query.Encode()
	}
	resp, err := c.tokens.Send(ctx, c.doer, c.conn, partner.Request{Partner: partnerName, Method: k.method,
		HTTP: k.http, URL: u, Header: h, Body: body, Idempotent: k.idempotent, Limits: c.limits})
	if err != nil {
		return err
	}
	if resp.Status < 200 || resp.Status > 299 {
		e := answerError(k.method, resp)
		// A write that met a server error may have been applied before it failed.
		e.Ambiguous = e.Kind == partner.KindTransient && !k.idempotent
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		// Conta Azul answered 2xx, so a write probably happened: the caller must look it up.
		return &partner.Error{Partner: partnerName, Method: k.method, Kind: partner.KindTransient, Status: resp.Status,
			Message: "resposta da Conta Azul em formato inesperado", Ambiguous: !k.idempotent, Err: err}
	}
	return nil
}

// answerError maps a non-2xx answer to a *partner.Error. The v2 error body is undocumented
// ([U]): {"message", "code"} JSON is read when present, anything else is kept as text.
func answerError(method string, resp partner.Response) *partner.Error {
	e := &partner.Error{Partner: partnerName, Method: method, Status: resp.Status}
	var body struct {
		Code        string `json:"code"`
		Message     string `json:"message"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(resp.Body, &body) == nil {
		e.Code = body.Code
		e.Message = firstNonEmpty(body.Message, body.Description, body.Error)
	} else if utf8.Valid(resp.Body) && !strings.HasPrefix(strings.TrimSpace(string(resp.Body)), "<") {
		e.Message = truncate(strings.TrimSpace(string(resp.Body)), 500)
	}
	switch {
	case resp.Status == http.StatusTooManyRequests:
		e.Kind = partner.KindThrottled
		// The docs name no header ([U]); without one, a second is enough for the 10/s window
		// and the limiter paces the rest.
		e.RetryAfter = partner.RetryAfter(resp.Header, time.Now(), time.Second)
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
		e.Kind = partner.KindAuth
		if e.Message == "" {
			e.Message = "a Conta Azul recusou o acesso: clique em Reconectar"
		}
	case resp.Status == http.StatusNotFound:
		e.Kind = partner.KindNotFound
	case resp.Status == http.StatusConflict:
		e.Kind = partner.KindConflict
	case resp.Status >= 500:
		e.Kind = partner.KindTransient
		if e.Message == "" {
			e.Message = "erro temporário na Conta Azul"
		}
	default:
		e.Kind = partner.KindInvalid
		if e.Message == "" {
			e.Message = fmt.Sprintf("a Conta Azul recusou a requisição (HTTP %d)", resp.Status)
		}
	}
	return e
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// errorf builds a KindInvalid error for arguments refused before any call.
func errorf(method, format string, args ...any) error {
	return &partner.Error{Partner: partnerName, Method: method, Kind: partner.KindInvalid, Message: fmt.Sprintf(format, args...)}
}
