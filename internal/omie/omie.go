// Package omie is a typed client for the Omie API v1 (https://app.omie.com.br/api/v1).
//
// Omie is an RPC API: every call is a POST to a service URL ("geral/clientes/") with the envelope
// {"call": "ListarClientes", "app_key": …, "app_secret": …, "param": [{…}]}. Its quirks are
// handled here so the sync engine never sees them:
//
//   - "No records" is a fault (SOAP-ENV:Client-5113, HTTP 500); list methods return an empty page.
//   - Every fault, whatever the HTTP status (even 200), becomes a *partner.Error with a Kind.
//   - Omie refuses the same call with the same params twice within 60 s (REDUNDANT). The client
//     never sends one: identical reads inside the window are answered from a short-lived cache
//     (every write drops the key's cached reads), an identical write inside the window is refused
//     locally as partner.KindThrottled, and no call is ever resent automatically after its
//     request may have reached Omie.
//   - Calls are paced by the published limits (960/min per key, 240/min per key and method) and
//     gated (4 concurrent reads, 1 write per key and method); a MISUSE_API_PROCESS answer blocks
//     the key in the limiter for as long as Omie says.
//   - Creates are never retried blindly: after an ambiguous failure the record is looked up by its
//     integration code, and found records are reported as created.
package omie

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/partner"
)

// PartnerName is the partner label in errors, metrics and limiter keys.
const PartnerName = "omie"

// Published limits (ajuda.omie.com.br 8112984 and 8001888).
const (
	limitPerKey      = 960 // calls per minute per key (Omie counts per IP; per key is stricter for us)
	limitPerMethod   = 240 // calls per minute per key and method
	readConcurrency  = 4   // simultaneous calls per key and method
	writeConcurrency = 1   // Omie allows no concurrent inclusions/alterations
	// RedundantWindow is how long Omie refuses an identical call (REDUNDANT).
	RedundantWindow = 60 * time.Second
)

// Credentials are an Omie application's key and secret.
type Credentials struct {
	AppKey    string
	AppSecret string
}

// Client calls the Omie API for one set of credentials. It is safe for concurrent use.
type Client struct {
	base  string
	creds Credentials
	doer  *partner.Doer
	gate  *partner.Gate
	cache *ReadCache
	now   func() time.Time
}

// Option configures a Client.
type Option func(*Client)

// WithGate shares the concurrency gate between every Client of the process, so two clients for the
// same app key never exceed Omie's concurrent-call limits together.
func WithGate(g *partner.Gate) Option { return func(c *Client) { c.gate = g } }

// WithCache shares the REDUNDANT read cache between every Client of the process, so two clients
// for the same app key never repeat each other's call inside Omie's window. A nil cache turns
// caching off, which only tests that count calls against a sandbox without REDUNDANT should do.
func WithCache(rc *ReadCache) Option { return func(c *Client) { c.cache = rc } }

// WithClock sets the clock used for the read cache and for "try again at HH:MM:SS" answers.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New returns a client for baseURL (like "https://app.omie.com.br/api/v1") and creds. Without
// WithGate and WithCache the client gets its own; share them when several clients may use the
// same app key.
func New(baseURL string, creds Credentials, doer *partner.Doer, opts ...Option) *Client {
	c := &Client{
		base:  strings.TrimRight(baseURL, "/"),
		creds: creds,
		doer:  doer,
		gate:  partner.NewGate(),
		cache: NewReadCache(),
		now:   time.Now,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// envelope is the body of every Omie call.
type envelope struct {
	Call      string `json:"call"`
	AppKey    string `json:"app_key"`
	AppSecret string `json:"app_secret"`
	Param     []any  `json:"param"`
}

// fault is Omie's error body.
type fault struct {
	FaultString string `json:"faultstring"`
	FaultCode   string `json:"faultcode"`
}

// op names one Omie call.
type op struct {
	service string // path below the base URL, with the trailing slash Omie needs
	call    string
	write   bool
}

// limiterKey is the key of the per-credential limit; Block uses it to stop every call.
func (c *Client) limiterKey() string { return PartnerName + ":" + c.creds.AppKey }

// do sends param to o and decodes the answer into out. Faults come back as *partner.Error.
func (c *Client) do(ctx context.Context, o op, param, out any) error {
	paramJSON, err := json.Marshal(param)
	if err != nil {
		return &partner.Error{Partner: PartnerName, Method: o.call, Kind: partner.KindInvalid,
			Message: "parâmetros inválidos", Err: err}
	}
	key := c.cacheKey(o, paramJSON)
	if o.write {
		if wait := c.cache.claimWrite(key, c.now()); wait > 0 {
			return &partner.Error{Partner: PartnerName, Method: o.call, Kind: partner.KindThrottled, RetryAfter: wait,
				Code: CodeRedundant, Message: "a mesma gravação foi enviada ao Omie há menos de 60 segundos"}
		}
		// A write changes what reads of its service answer, and after a failed write the caller
		// looks the record up again: that look-up must reach Omie, not this cache.
		c.cache.invalidate(c.creds.AppKey)
		resp, err := c.send(ctx, o, paramJSON)
		if err != nil {
			if !partner.IsAmbiguous(err) {
				c.cache.releaseWrite(key)
			}
			return err
		}
		return c.decode(o, resp, out)
	}
	if resp, ok := c.cache.get(key, c.now()); ok {
		return c.decode(o, resp, out)
	}
	resp, err := c.cache.share(key, func() (partner.Response, error) {
		resp, err := c.send(ctx, o, paramJSON)
		if err == nil && cacheable(classify(o, resp, c.now())) {
			c.cache.put(c.creds.AppKey, key, resp, c.now().Add(RedundantWindow))
		}
		return resp, err
	})
	if err != nil {
		return err
	}
	return c.decode(o, resp, out)
}

func (c *Client) cacheKey(o op, paramJSON []byte) string {
	// The secret is part of the key so that a wrong secret is never answered from the cache of
	// the right one (the portal verifies keys with a real call).
	sum := sha256.Sum256([]byte(c.creds.AppSecret))
	return c.creds.AppKey + "\x00" + hex.EncodeToString(sum[:8]) + "\x00" + o.service + o.call + "\x00" + string(paramJSON)
}

// cacheable reports whether an answer is what Omie would repeat (or refuse as REDUNDANT) inside
// the window: data and business faults, not throttling, blocks, auth or transport failures.
func cacheable(pe *partner.Error) bool {
	if pe == nil {
		return true
	}
	switch pe.Kind {
	case partner.KindNotFound, partner.KindInvalid, partner.KindConflict:
		return true
	}
	return false
}

func (c *Client) send(ctx context.Context, o op, paramJSON []byte) (partner.Response, error) {
	body, err := json.Marshal(envelope{Call: o.call, AppKey: c.creds.AppKey, AppSecret: c.creds.AppSecret,
		Param: []any{json.RawMessage(paramJSON)}})
	if err != nil {
		return partner.Response{}, &partner.Error{Partner: PartnerName, Method: o.call, Kind: partner.KindInvalid,
			Message: "parâmetros inválidos", Err: err}
	}
	n := readConcurrency
	if o.write {
		n = writeConcurrency
	}
	release, err := c.gate.Acquire(ctx, c.limiterKey()+":"+o.call, n)
	if err != nil {
		return partner.Response{}, &partner.Error{Partner: PartnerName, Method: o.call, Kind: partner.KindTransient,
			Message: "chamada cancelada", Err: err}
	}
	defer release()
	resp, err := c.doer.Do(ctx, partner.Request{
		Partner: PartnerName,
		Method:  o.call,
		HTTP:    http.MethodPost,
		URL:     c.base + "/" + o.service,
		Header:  http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}},
		Body:    body,
		// Never idempotent for the Doer: a resend of a call that may have reached Omie is the
		// same call with the same params inside 60 s, which Omie refuses as REDUNDANT (and a
		// resent create could duplicate). Dial failures are still retried by the Doer.
		Idempotent: false,
		Limits: []partner.KeyedLimit{
			{Key: c.limiterKey(), Limit: partner.Limit{N: limitPerKey, Per: time.Minute}},
			{Key: c.limiterKey() + ":" + o.call, Limit: partner.Limit{N: limitPerMethod, Per: time.Minute}},
		},
	})
	if err != nil {
		var pe *partner.Error
		if errors.As(err, &pe) && !o.write {
			pe.Ambiguous = false // a read that may have happened changes nothing
		}
		return resp, err
	}
	return resp, nil
}

// decode turns an answer into out or a *partner.Error.
func (c *Client) decode(o op, resp partner.Response, out any) error {
	if pe := classify(o, resp, c.now()); pe != nil {
		if pe.Kind == partner.KindBlocked && c.doer.Limiter != nil {
			// Omie blocks the whole key: stop every call with it until the block lifts.
			_ = c.doer.Limiter.Block(context.Background(), c.limiterKey(), c.now().Add(pe.RetryAfter))
		}
		return pe
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return &partner.Error{Partner: PartnerName, Method: o.call, Kind: partner.KindTransient, Status: resp.Status,
			Message: "resposta do Omie ilegível", Ambiguous: o.write, Err: err}
	}
	return nil
}
