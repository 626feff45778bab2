package partner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"syscall"
	"time"
)

// HTTPOptions configures NewHTTPClient.
type HTTPOptions struct {
	Timeout   time.Duration // whole-request timeout; default 30 s
	UserAgent string        // default "Ponte"
	// BlockPrivate refuses connections to loopback, private and link-local addresses. Set it when
	// a URL may come from a tenant, so nobody can point Ponte at our own network.
	BlockPrivate bool
}

// NewHTTPClient returns the hardened client every partner package uses: bounded timeouts at each
// stage, a user agent, no redirects (a partner API that redirects is misconfigured, and a
// redirected POST silently becomes a GET), and optionally no private destinations.
func NewHTTPClient(o HTTPOptions) *http.Client {
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	if o.UserAgent == "" {
		o.UserAgent = "Ponte"
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if o.BlockPrivate {
		dialer.Control = refusePrivate
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: o.Timeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{
		Timeout:   o.Timeout,
		Transport: userAgent{ua: o.UserAgent, next: tr},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

type userAgent struct {
	ua   string
	next http.RoundTripper
}

func (u userAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("User-Agent") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("User-Agent", u.ua)
	}
	return u.next.RoundTrip(r)
}

func refusePrivate(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() {
		return fmt.Errorf("partner: refusing connection to non-public address %s", host)
	}
	return nil
}

// maxBody bounds what Ponte reads from a partner answer; no legitimate page is near it.
const maxBody = 32 << 20

// Request is one call to a partner.
type Request struct {
	Partner string // for errors and metrics
	Method  string // the operation label, e.g. "GET /customers" or "ListarClientes"
	HTTP    string // HTTP method
	URL     string
	Header  http.Header
	Body    []byte
	// Idempotent marks a call that may be sent again after a transport failure or a gateway
	// error: reads, and writes keyed by an integration code. Creates without such a key are
	// never resent: their failure is reported as Ambiguous instead.
	Idempotent bool
	// Limits are the rate limits this call counts against, waited for before every attempt.
	Limits []KeyedLimit
}

// KeyedLimit is one limit under one limiter key.
type KeyedLimit struct {
	Key   string
	Limit Limit
}

// Response is a partner's answer, fully read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Doer sends requests with the shared retry policy.
type Doer struct {
	HTTP    *http.Client
	Limiter Limiter // nil means no pacing
	// Retries is how many times an idempotent call is resent after a transport failure or a
	// 502/503/504; 0 means the default of 3, a negative value means none.
	Retries int
	// Backoff is the first pause between attempts, doubled each time with jitter; default 500 ms.
	Backoff time.Duration
}

// Do sends req. Non-2xx answers are returned as a Response, not an error: each partner package
// decodes its own error bodies. Errors are *Error values of KindTransient (no usable answer).
func (d *Doer) Do(ctx context.Context, req Request) (Response, error) {
	retries := d.Retries
	if retries == 0 {
		retries = 3
	}
	if retries < 0 {
		retries = 0
	}
	backoff := d.Backoff
	if backoff == 0 {
		backoff = 500 * time.Millisecond
	}
	for attempt := 0; ; attempt++ {
		resp, err := d.once(ctx, req)
		retryable := false
		switch {
		case err != nil:
			// Only a transport failure may pass by itself; a blocked key or a malformed URL will
			// not. A request that may have reached the partner is resent only when idempotent.
			pe := err.(*Error)
			retryable = pe.Kind == KindTransient && (req.Idempotent || !pe.Ambiguous)
		case resp.Status == http.StatusBadGateway || resp.Status == http.StatusServiceUnavailable || resp.Status == http.StatusGatewayTimeout:
			retryable = req.Idempotent
		}
		if !retryable || attempt >= retries || ctx.Err() != nil {
			return resp, err
		}
		pause := backoff << attempt
		pause = pause/2 + rand.N(pause/2+1)
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			if err == nil {
				return resp, nil
			}
			return resp, err
		}
	}
}

func (d *Doer) once(ctx context.Context, req Request) (Response, error) {
	fail := func(err error, ambiguous bool) (Response, error) {
		return Response{}, &Error{Partner: req.Partner, Method: req.Method, Kind: KindTransient,
			Message: "falha de comunicação com o parceiro", Ambiguous: ambiguous, Err: err}
	}
	if d.Limiter != nil {
		for _, kl := range req.Limits {
			if err := d.Limiter.Wait(ctx, kl.Key, kl.Limit); err != nil {
				var pe *Error
				if errors.As(err, &pe) {
					pe.Method = req.Method
					return Response{}, pe
				}
				return fail(err, false)
			}
		}
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.HTTP, req.URL, body)
	if err != nil {
		return Response{}, &Error{Partner: req.Partner, Method: req.Method, Kind: KindInvalid,
			Message: "URL do parceiro inválida", Err: err}
	}
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	res, err := d.HTTP.Do(hr)
	if err != nil {
		return fail(err, !isDialError(err))
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, maxBody+1))
	if err != nil {
		return fail(fmt.Errorf("reading answer: %w", err), true)
	}
	if len(b) > maxBody {
		return fail(fmt.Errorf("answer larger than %d bytes", maxBody), true)
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: b}, nil
}

// isDialError reports a failure before anything was sent, which makes any request safe to resend.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
