// Package auvo is a typed client for the Auvo public REST API ("API v2"), written to the facts in
// api/auvo.md, quirks included: login with an APP key and token for a 30-minute bearer token
// (cached, renewed two minutes early, one re-login on 401), `paramFilter` always sent, a 404
// meaning an empty list page, numbers that arrive as strings or pt-BR money, and naive Brasília
// timestamps.
//
// Every failure is a *partner.Error whose Kind tells the sync engine what to do; the Auvo
// errorCode is in Code and the message Auvo wrote is in Message.
package auvo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pontehub/ponte/internal/partner"
)

// Name is the partner name in errors, metrics and limiter keys.
const Name = "auvo"

// RateLimitPerMinute is Auvo's published limit (API doc §6); the client's limiter, keyed by the
// APP key, keeps each credential under it.
const RateLimitPerMinute = 400

// PageSize is what the client asks for: the most common live value, and S8's claimed cap.
const PageSize = 100

// tokenMargin renews the token this long before it expires, as S3 does (API doc §1).
const tokenMargin = 2 * time.Minute

// throttleWait is the RetryAfter given for Auvo's 403 rate-limit answer, which carries no
// Retry-After header (API doc §6 [U]): one full window of the 400-per-minute limit.
const throttleWait = time.Minute

// Credentials are the APP key and APP token from Auvo's Menu > Integração.
type Credentials struct {
	APIKey   string
	APIToken string
}

// Client calls the Auvo API for one account. It is safe for concurrent use.
type Client struct {
	base  string
	creds Credentials
	doer  *partner.Doer
	now   func() time.Time

	mu      sync.Mutex // serialises logins, so concurrent calls share one
	token   string
	renewAt time.Time
}

// New returns a client for the API at baseURL (for production "https://api.auvo.com.br/v2").
func New(baseURL string, creds Credentials, doer *partner.Doer) *Client {
	return &Client{base: strings.TrimRight(baseURL, "/"), creds: creds, doer: doer, now: time.Now}
}

func (c *Client) limits() []partner.KeyedLimit {
	return []partner.KeyedLimit{{Key: Name + ":" + c.creds.APIKey, Limit: partner.Limit{N: RateLimitPerMinute, Per: time.Minute}}}
}

type loginResult struct {
	Authenticated *bool  `json:"authenticated"`
	Created       string `json:"created"`
	Expiration    string `json:"expiration"`
	AccessToken   string `json:"accessToken"`
	Message       string `json:"message"`
}

// Login gets a fresh access token. The portal calls it to check a user's keys: keys Auvo does
// not accept give a KindAuth error with a message saying so.
func (c *Client) Login(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loginLocked(ctx)
}

func (c *Client) loginLocked(ctx context.Context) error {
	const method = "POST /login"
	if c.creds.APIKey == "" || c.creds.APIToken == "" {
		return &partner.Error{Partner: Name, Method: method, Kind: partner.KindAuth,
			Message: "Informe a chave (APP Key) e o token (APP Token) da API do Auvo."}
	}
	body, _ := json.Marshal(map[string]string{"apiKey": c.creds.APIKey, "apiToken": c.creds.APIToken})
	started := c.now()
	resp, err := c.doer.Do(ctx, partner.Request{
		Partner: Name, Method: method, HTTP: http.MethodPost, URL: c.base + "/login/",
		Header: jsonHeader(), Body: body, Idempotent: true, Limits: c.limits(),
	})
	if err != nil {
		return err
	}
	switch {
	case resp.Status == http.StatusOK:
	case isThrottle(resp) || resp.Status >= 500 || notAuvo(resp):
		return decodeError(method, resp, false)
	case resp.Status != http.StatusBadRequest && resp.Status != http.StatusUnauthorized &&
		resp.Status != http.StatusForbidden && resp.Status != http.StatusNotFound:
		// Not one of the answers Auvo documents for a login with wrong keys: whatever it is,
		// it says nothing about the keys.
		return outage(method, resp)
	default:
		// 400 (missing key), 404 (unknown key, API doc §1), 401/403: the keys are wrong.
		e := decodeError(method, resp, false)
		e.Kind = partner.KindAuth
		e.Message = authMessage(e.Message)
		return e
	}
	var env struct {
		Result loginResult `json:"result"`
	}
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return malformed(method, resp, err)
	}
	r := env.Result
	// S8 says "authenticated" left the newer spec, so only a false value counts against us.
	if r.AccessToken == "" || (r.Authenticated != nil && !*r.Authenticated) {
		return &partner.Error{Partner: Name, Method: method, Kind: partner.KindAuth, Status: resp.Status,
			Message: authMessage(r.Message)}
	}
	// The lifetime comes from the server's own two timestamps, so clock skew between Ponte and
	// Auvo does not matter; 30 minutes when they are missing (API doc §1).
	life := 30 * time.Minute
	created, err1 := ParseTime(r.Created)
	expires, err2 := ParseTime(r.Expiration)
	if err1 == nil && err2 == nil && !created.IsZero() && expires.After(created.Time) {
		life = expires.Sub(created.Time)
	}
	c.token = r.AccessToken
	c.renewAt = started.Add(life - min(tokenMargin, life/2))
	return nil
}

func authMessage(auvo string) string {
	m := "O Auvo recusou a chave (APP Key) ou o token (APP Token) da API. Confira os dois em Menu > Integração no Auvo."
	if auvo != "" && !strings.EqualFold(auvo, "OK") {
		m += " Resposta do Auvo: " + auvo
	}
	return m
}

// bearer returns a valid token, logging in when there is none or it is about to expire.
func (c *Client) bearer(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == "" || !c.now().Before(c.renewAt) {
		if err := c.loginLocked(ctx); err != nil {
			return "", err
		}
	}
	return c.token, nil
}

// relogin replaces a token the server refused, unless another call already did.
func (c *Client) relogin(ctx context.Context, refused string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != refused && c.token != "" {
		return c.token, nil
	}
	c.token = ""
	if err := c.loginLocked(ctx); err != nil {
		return "", err
	}
	return c.token, nil
}

// call is one API request.
type call struct {
	method     string // label for errors: "GET /customers"
	http       string
	path       string // below the base, e.g. "/customers/12"
	query      url.Values
	body       any // JSON-encoded when not nil
	idempotent bool
}

// send performs cl with a bearer token, logging in again once if Auvo answers 401. It returns
// the response whatever its status; callers map statuses with decodeError.
func (c *Client) send(ctx context.Context, cl call) (partner.Response, error) {
	u := c.base + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	var body []byte
	if cl.body != nil {
		var err error
		if body, err = json.Marshal(cl.body); err != nil {
			return partner.Response{}, &partner.Error{Partner: Name, Method: cl.method, Kind: partner.KindInvalid,
				Message: "dados impossíveis de enviar ao Auvo", Err: err}
		}
	}
	token, err := c.bearer(ctx)
	if err != nil {
		return partner.Response{}, err
	}
	for attempt := 0; ; attempt++ {
		h := jsonHeader()
		h.Set("Authorization", "Bearer "+token)
		resp, err := c.doer.Do(ctx, partner.Request{
			Partner: Name, Method: cl.method, HTTP: cl.http, URL: u, Header: h, Body: body,
			Idempotent: cl.idempotent, Limits: c.limits(),
		})
		if err != nil || resp.Status != http.StatusUnauthorized || attempt > 0 {
			return resp, err
		}
		if token, err = c.relogin(ctx, token); err != nil {
			return partner.Response{}, err
		}
	}
}

// do sends cl and decodes a 2xx answer's "result" into out (when out is not nil). Non-2xx
// answers become *partner.Error values.
func (c *Client) do(ctx context.Context, cl call, out any) (int, error) {
	resp, err := c.send(ctx, cl)
	if err != nil {
		return 0, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return resp.Status, decodeError(cl.method, resp, cl.http != http.MethodGet && !cl.idempotent)
	}
	if out == nil || resp.Status == http.StatusNoContent {
		return resp.Status, nil
	}
	env := struct {
		Result any `json:"result"`
	}{Result: out}
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return resp.Status, malformed(cl.method, resp, err)
	}
	return resp.Status, nil
}

func jsonHeader() http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json")
	return h
}

// notAuvo reports an error answer that did not come from Auvo's API: an HTML page or plain text
// where Auvo always answers JSON (or nothing). A proxy, CDN, WAF or a wrong PONTE_AUVO_URL
// answers like that, and its 401, 403 or 404 must never be read as "credentials rejected": that
// would stop every tenant's integration at once (issue 21).
func notAuvo(resp partner.Response) bool {
	if resp.Status < 400 {
		return false
	}
	if ct := strings.ToLower(resp.Header.Get("Content-Type")); strings.Contains(ct, "html") {
		return true
	}
	b := bytes.TrimSpace(resp.Body)
	return len(b) > 0 && b[0] != '{' && b[0] != '['
}

// outage is an answer that says the way to Auvo is broken, not the request: retried with
// backoff like a 5xx, and shown with the status it had.
func outage(method string, resp partner.Response) *partner.Error {
	return &partner.Error{Partner: Name, Method: method, Kind: partner.KindTransient, Status: resp.Status,
		Message: fmt.Sprintf("o endereço do Auvo respondeu HTTP %d com uma página que não é da API do Auvo "+
			"(falha de rede, proxy ou URL do Auvo configurada errada); nova tentativa em seguida", resp.Status)}
}

func malformed(method string, resp partner.Response, err error) *partner.Error {
	return &partner.Error{Partner: Name, Method: method, Kind: partner.KindTransient, Status: resp.Status,
		Message: "resposta ilegível do Auvo", Err: err}
}

// errorBody holds every field of Auvo's three error shapes (API doc §6) plus S2's "Message".
type errorBody struct {
	Message   string          `json:"message"`
	ErrorCode json.RawMessage `json:"errorCode"`
	Error     string          `json:"error"`
}

func isThrottle(resp partner.Response) bool {
	if resp.Status == http.StatusTooManyRequests {
		return true
	}
	if resp.Status != http.StatusForbidden {
		return false
	}
	var b errorBody
	_ = json.Unmarshal(resp.Body, &b)
	return strings.Contains(strings.ToLower(b.Error), "rate limit")
}

// decodeError maps a non-2xx answer to a *partner.Error. write marks a non-idempotent write,
// whose gateway errors leave it unknown whether Auvo applied it.
func decodeError(method string, resp partner.Response, write bool) *partner.Error {
	if notAuvo(resp) && !isThrottle(resp) {
		o := outage(method, resp)
		o.Ambiguous = write && resp.Status >= 500
		return o
	}
	e := &partner.Error{Partner: Name, Method: method, Status: resp.Status}
	e.Message, e.Code = errorMessage(resp.Body)
	switch {
	case isThrottle(resp):
		e.Kind = partner.KindThrottled
		e.RetryAfter = partner.RetryAfter(resp.Header, time.Now(), throttleWait)
	case resp.Status == http.StatusUnauthorized:
		e.Kind = partner.KindAuth
		if e.Message == "" {
			e.Message = "o Auvo recusou o token de acesso"
		}
	case resp.Status == http.StatusForbidden:
		e.Kind = partner.KindAuth // a permission 403, never to be confused with the rate limit
	case resp.Status == http.StatusNotFound:
		e.Kind = partner.KindNotFound
	case resp.Status == http.StatusConflict:
		e.Kind = partner.KindConflict
	case resp.Status >= 500:
		e.Kind = partner.KindTransient
		e.Ambiguous = write
	case resp.Status >= 400:
		e.Kind = partner.KindInvalid
	default:
		e.Kind = partner.KindTransient
	}
	return e
}

// errorMessage extracts the message and errorCode from any of Auvo's error shapes: application
// errors {"message", "errorCode"}, the rate limit {"error"}, and ASP.NET model state
// {"field": ["The value 'x' is not valid."]}.
func errorMessage(body []byte) (msg, code string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return "", ""
	}
	var b errorBody
	_ = json.Unmarshal(body, &b) // matches "Message" too: encoding/json ignores key case
	if len(b.ErrorCode) > 0 && string(b.ErrorCode) != "null" {
		code = strings.Trim(string(b.ErrorCode), `"`)
	}
	switch {
	case b.Message != "":
		return b.Message, code
	case b.Error != "":
		return b.Error, code
	}
	var state map[string]json.RawMessage
	if json.Unmarshal(body, &state) != nil {
		return "", code
	}
	var parts []string
	for field, raw := range state {
		var msgs []string
		if json.Unmarshal(raw, &msgs) == nil && len(msgs) > 0 {
			parts = append(parts, field+": "+strings.Join(msgs, " "))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, "; "), code
}
