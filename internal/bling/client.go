// Package bling is the client of the Bling API v3 (api/bling.md): OAuth2 configuration,
// {"data":…} envelopes, Bling's error objects mapped to *partner.Error, the 3 calls per second
// limit, and the contact endpoints the customer flows need.
package bling

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/pontehub/ponte/internal/oauth"
	"github.com/pontehub/ponte/internal/partner"
)

// DefaultBaseURL is the production API. The older www.bling.com.br/Api/v3 is being retired.
const DefaultBaseURL = "https://api.bling.com.br/Api/v3"

// DefaultAuthURL is the production OAuth base; /authorize and /token live below it.
const DefaultAuthURL = "https://www.bling.com.br/Api/v3/oauth"

// RequestsPerSecond is Bling's published limit, counted per Bling account [I]. The account is
// shared with every other app the customer installed, so Ponte may still meet 429s.
const RequestsPerSecond = 3

// OAuthConfig returns Ponte's OAuth2 client for Bling. The client secret travels in Basic auth;
// no redirect_uri and no scopes are sent: a Bling app has exactly one registered redirect link
// and its scopes are chosen on the app itself. authBaseURL "" means DefaultAuthURL.
func OAuthConfig(clientID, clientSecret, authBaseURL string) *oauth2.Config {
	if authBaseURL == "" {
		authBaseURL = DefaultAuthURL
	}
	authBaseURL = strings.TrimSuffix(authBaseURL, "/")
	return &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   authBaseURL + "/authorize",
			TokenURL:  authBaseURL + "/token",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
}

// Client calls Bling for one connection (one tenant's authorised Bling account).
type Client struct {
	base    string
	tokens  *oauth.Manager
	conn    string
	doer    *partner.Doer
	limitBy string
}

// New returns a client for the connection connKey, whose tokens the Manager keeps. baseURL ""
// means DefaultBaseURL.
func New(baseURL string, tokens *oauth.Manager, connKey string, doer *partner.Doer) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	return &Client{base: strings.TrimSuffix(baseURL, "/"), tokens: tokens, conn: connKey, doer: doer,
		limitBy: "bling:" + connKey}
}

// call is one API call. do sends it through oauth.Manager.Send (bearer token, one forced refresh
// and one retry after a 401), maps Bling's error object to *partner.Error, and decodes the data
// envelope into out (nil for answers without a body).
type call struct {
	method     string // label for errors and metrics, e.g. "GET /contatos/{id}"
	http       string
	path       string
	query      url.Values
	body       any
	idempotent bool
	// served, when set, receives the time on Bling's clock the answer was sent (its Date
	// header), zero when the header is missing or unreadable.
	served *time.Time
}

func (c *Client) do(ctx context.Context, k call, out any) error {
	var body []byte
	if k.body != nil {
		b, err := json.Marshal(k.body)
		if err != nil {
			return &partner.Error{Partner: "bling", Method: k.method, Kind: partner.KindInvalid,
				Message: "registro não pôde ser convertido para JSON", Err: err}
		}
		body = b
	}
	u := c.base + k.path
	if len(k.query) > 0 {
		u += "?" + k.query.Encode()
	}
	h := http.Header{}
	h.Set("Accept", "application/json")
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	resp, err := c.tokens.Send(ctx, c.doer, c.conn, partner.Request{
		Partner: "bling", Method: k.method, HTTP: k.http, URL: u, Header: h, Body: body,
		Idempotent: k.idempotent,
		Limits:     []partner.KeyedLimit{{Key: c.limitBy, Limit: partner.Limit{N: RequestsPerSecond, Per: time.Second}}},
	})
	if err != nil {
		return err
	}
	if k.served != nil {
		*k.served, _ = http.ParseTime(resp.Header.Get("Date"))
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
	return decodeData(k, resp, out)
}

// decodeData reads {"data": …} into out. A body that is not that shape is a Transient failure,
// and for a write an ambiguous one: Bling answered 2xx, so the write probably happened.
func decodeData(k call, resp partner.Response, out any) error {
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	err := json.Unmarshal(resp.Body, &env)
	if err == nil && (len(env.Data) == 0 || bytes.Equal(env.Data, []byte("null"))) {
		err = errors.New(`answer has no "data"`)
	}
	if err == nil {
		err = json.Unmarshal(env.Data, out)
	}
	if err != nil {
		return &partner.Error{Partner: "bling", Method: k.method, Kind: partner.KindTransient, Status: resp.Status,
			Message: "resposta do Bling em formato inesperado", Ambiguous: !k.idempotent, Err: err}
	}
	return nil
}

// formatTime writes t as Bling's filters expect it.
func formatTime(t time.Time) string { return t.In(Brasilia()).Format(TimeLayout) }

// errorf builds a KindInvalid error for arguments refused before any call.
func errorf(method, format string, args ...any) error {
	return &partner.Error{Partner: "bling", Method: method, Kind: partner.KindInvalid, Message: fmt.Sprintf(format, args...)}
}
