// Package contaazulsandbox simulates the current Conta Azul API (api-v2.contaazul.com) and its
// Cognito-style authorization server (auth.contaazul.com) in memory, as documented in
// api/contaazul.md: the OAuth2 authorization-code flow with 3-minute codes and rotating refresh
// tokens, /v1/pessoas with its {totalItems, items} envelope, and the 10/s and 600/min limits per
// connected company.
//
// Both hosts are served by one handler: the API at /v1/… and the authorization server at
// /oauth2/authorize (alias /login) and /oauth2/token, so PONTE_CONTAAZUL_URL and
// PONTE_CONTAAZUL_AUTH_URL can both point at the sandbox's base URL.
//
// Calls are counted per method under these names: "GET /oauth2/authorize", "POST
// /oauth2/authorize", "POST /oauth2/token authorization_code", "POST /oauth2/token
// refresh_token", "GET /v1/pessoas", "GET /v1/pessoas/{id}", "GET /v1/pessoas/conta-conectada",
// "POST /v1/pessoas", "PATCH /v1/pessoas/{id}", "PUT /v1/pessoas/{id}". Faults match the same
// names ("POST /oauth2/token" for the token endpoint whatever the grant).
package contaazulsandbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pontehub/ponte/internal/sandbox"
)

// saoPaulo is Conta Azul's clock: dates come without an offset in São Paulo time. Brazil has had
// no daylight saving time since 2019, so a fixed zone is exact for current dates and needs no
// tzdata.
var saoPaulo = time.FixedZone("BRT", -3*60*60)

// Options configures a Sandbox. Zero values take the documented defaults.
type Options struct {
	// Now is the sandbox clock for token and code expiry, modification times and rate limits.
	Now func() time.Time
	// ClockOffset runs the sandbox's clock that far ahead of Now (behind when negative), as a
	// real server's clock may be; the admin API's /clock changes it while running (issue 16).
	ClockOffset time.Duration
	// CodeTTL is how long an authorization code can be exchanged (docs: 3 minutes).
	CodeTTL time.Duration
	// AccessTTL is the access token lifetime (docs: 1 hour, expires_in 3600).
	AccessTTL time.Duration
	// RefreshTTL is the refresh token lifetime. The docs conflict (2 weeks vs 5 years, [U]); the
	// shorter is the safer guess.
	RefreshTTL time.Duration
	// PerSecond and PerMinute are the limits per connected company (docs: 10/s, 600/min).
	PerSecond int
	PerMinute int
	// DemoRedirectURI is the redirect URI registered for the demo app that New creates, which
	// must match Ponte's callback exactly.
	DemoRedirectURI string
}

// Demo credentials of the app and account every new or reset Sandbox holds.
const (
	DemoClientID     = "ponte-demo"
	DemoClientSecret = "ponte-demo-secret"
	DemoAccountID    = "conta-demo"
	// DefaultDemoRedirectURI is the demo app's redirect URI unless Options says otherwise: a guess
	// at the portal's callback, in the same shape as the Bling sandbox's. Change it with
	// PUT /_sandbox/contaazul/apps/{client_id}.
	DefaultDemoRedirectURI = "http://localhost:8080/oauth/contaazul/callback"
)

// Sandbox is the simulated Conta Azul. It implements sandbox.Partner.
type Sandbox struct {
	opts    Options
	counter sandbox.Counter
	faults  sandbox.Faults
	api     http.Handler
	admin   http.Handler
	clock   *sandbox.Skew

	mu       sync.Mutex
	apps     map[string]App      // by client id
	accounts map[string]*account // by account id
	codes    map[string]*authCode
	grants   map[string]*grant
	access   map[string]*accessToken
	refresh  map[string]*refreshToken
}

// account is one Conta Azul company with its people and its rate-limit log.
type account struct {
	info    Account
	pessoas map[string]*record
	calls   []time.Time // admitted API calls of the last minute, oldest first
}

// New returns a Sandbox holding the demo app and the seeded demo account.
func New(opts Options) *Sandbox {
	clock := sandbox.NewSkew(opts.Now, opts.ClockOffset)
	opts.Now = clock.Now
	if opts.CodeTTL == 0 {
		opts.CodeTTL = 3 * time.Minute
	}
	if opts.AccessTTL == 0 {
		opts.AccessTTL = time.Hour
	}
	if opts.RefreshTTL == 0 {
		opts.RefreshTTL = 14 * 24 * time.Hour
	}
	if opts.PerSecond == 0 {
		opts.PerSecond = 10
	}
	if opts.PerMinute == 0 {
		opts.PerMinute = 600
	}
	if opts.DemoRedirectURI == "" {
		opts.DemoRedirectURI = DefaultDemoRedirectURI
	}
	s := &Sandbox{opts: opts, clock: clock}
	s.api = s.apiRoutes()
	s.admin = s.adminRoutes()
	s.Reset()
	return s
}

// Name implements sandbox.Partner.
func (s *Sandbox) Name() string { return "contaazul" }

// ServeHTTP implements sandbox.Partner.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.api.ServeHTTP(w, r) }

// Admin implements sandbox.Partner.
func (s *Sandbox) Admin() http.Handler { return s.admin }

// Clock is the sandbox's own clock: Now plus an offset changeable while it runs (issue 16).
func (s *Sandbox) Clock() *sandbox.Skew { return s.clock }

// Counter implements sandbox.Partner.
func (s *Sandbox) Counter() *sandbox.Counter { return &s.counter }

// Faults implements sandbox.Partner.
func (s *Sandbox) Faults() *sandbox.Faults { return &s.faults }

// Reset forgets every app, account, token and record, then restores the demo app and the seeded
// demo account, so the credentials printed at start keep working after a reset.
func (s *Sandbox) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apps = map[string]App{}
	s.accounts = map[string]*account{}
	s.codes = map[string]*authCode{}
	s.grants = map[string]*grant{}
	s.access = map[string]*accessToken{}
	s.refresh = map[string]*refreshToken{}
	s.apps[DemoClientID] = App{ClientID: DemoClientID, ClientSecret: DemoClientSecret, RedirectURI: s.opts.DemoRedirectURI}
	s.seedDemo()
}

// Describe is printed by `ponte sandbox` at start.
func (s *Sandbox) Describe(base string) string {
	return fmt.Sprintf(`Conta Azul v2:  %[1]s   (PONTE_CONTAAZUL_URL; /v1/pessoas)
  OAuth:        %[1]s   (PONTE_CONTAAZUL_AUTH_URL; /oauth2/authorize, /oauth2/token)
  demo app:     PONTE_CONTAAZUL_CLIENT_ID=%[2]s PONTE_CONTAAZUL_CLIENT_SECRET=%[3]s
  redirect:     %[4]s (change: PUT /_sandbox/contaazul/apps/%[2]s {"redirect_uri":…})
  demo company: %[5]s (pick it on the authorize page)
  admin:        POST /_sandbox/contaazul/apps, /accounts, /authorize`,
		base, DemoClientID, DemoClientSecret, s.opts.DemoRedirectURI, DemoAccountID)
}

func (s *Sandbox) now() time.Time { return s.opts.Now() }

func (s *Sandbox) apiRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth2/authorize", s.counted("GET /oauth2/authorize", s.authorizePage))
	mux.HandleFunc("GET /login", s.counted("GET /oauth2/authorize", s.authorizePage))
	mux.HandleFunc("POST /oauth2/authorize", s.counted("POST /oauth2/authorize", s.authorizeDecision))
	mux.HandleFunc("POST /oauth2/token", s.tokenEndpoint)
	mux.HandleFunc("GET /v1/pessoas", s.api1("GET /v1/pessoas", s.listPessoas))
	mux.HandleFunc("POST /v1/pessoas", s.api1("POST /v1/pessoas", s.createPessoa))
	mux.HandleFunc("GET /v1/pessoas/conta-conectada", s.api1("GET /v1/pessoas/conta-conectada", s.connectedAccount))
	mux.HandleFunc("GET /v1/pessoas/{id}", s.api1("GET /v1/pessoas/{id}", s.getPessoa))
	mux.HandleFunc("PATCH /v1/pessoas/{id}", s.api1("PATCH /v1/pessoas/{id}", s.patchPessoa))
	mux.HandleFunc("PUT /v1/pessoas/{id}", s.api1("PUT /v1/pessoas/{id}", s.putPessoa))
	// Other methods, DELETE among them, answer 405 (EMP); deleting is POST /v1/pessoas/excluir.
	notAllowed := func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Método não suportado")
	}
	mux.HandleFunc("/v1/pessoas", notAllowed)
	mux.HandleFunc("/v1/pessoas/{id}", notAllowed)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, "NOT_FOUND", "Recurso não encontrado")
	})
	return mux
}

// counted counts and applies faults to an authorization-server call.
func (s *Sandbox) counted(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.counter.Inc(method)
		if s.faults.Apply(w, r, method, throttled(time.Second)) {
			return
		}
		h(w, r)
	}
}

// apiHandler serves one API call for the company the bearer token belongs to.
type apiHandler func(w http.ResponseWriter, r *http.Request, acc *account)

// api1 wraps an API call: count, faults, bearer token, rate limit, then the handler under the
// sandbox lock.
func (s *Sandbox) api1(method string, h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.counter.Inc(method)
		if s.faults.Apply(w, r, method, throttled(time.Second)) {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		acc := s.bearerAccount(r)
		if acc == nil {
			apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Token de acesso inválido ou expirado")
			return
		}
		if wait, ok := acc.admit(s.now(), s.opts.PerSecond, s.opts.PerMinute); !ok {
			throttled(wait)(w)
			return
		}
		h(w, r, acc)
	}
}

// bearerAccount returns the company of the request's valid access token, or nil. The caller
// holds s.mu.
func (s *Sandbox) bearerAccount(r *http.Request) *account {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return nil
	}
	at, ok := s.access[strings.TrimSpace(tok)]
	if !ok || !s.now().Before(at.expiry) {
		return nil
	}
	g := s.grants[at.grant]
	if g == nil || g.revoked {
		return nil
	}
	return s.accounts[g.account]
}

// admit records one call at now unless it would exceed perSec in the last second or perMin in
// the last minute; then it returns how long until the call would fit.
func (a *account) admit(now time.Time, perSec, perMin int) (time.Duration, bool) {
	cut := now.Add(-time.Minute)
	i := 0
	for i < len(a.calls) && !a.calls[i].After(cut) {
		i++
	}
	a.calls = a.calls[i:]
	secCut := now.Add(-time.Second)
	n := 0
	for j := len(a.calls) - 1; j >= 0 && a.calls[j].After(secCut); j-- {
		n++
	}
	if n >= perSec {
		return a.calls[len(a.calls)-n].Add(time.Second).Sub(now), false
	}
	if len(a.calls) >= perMin {
		return a.calls[len(a.calls)-perMin].Add(time.Minute).Sub(now), false
	}
	a.calls = append(a.calls, now)
	return 0, true
}

// throttled writes the 429 answer. The docs say the limit details are in response headers
// without naming them ([U]); Retry-After in whole seconds is the guess.
func throttled(wait time.Duration) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		apiError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "Limite de requisições excedido; tente novamente em instantes")
	}
}

// apiError writes a resource-API error. The v2 error body shape is unknown ([U] in
// api/contaazul.md); this follows the suggested guess {"code": …, "message": …}.
func apiError(w http.ResponseWriter, status int, code, msg string) {
	sandbox.WriteJSON(w, status, map[string]string{"code": code, "message": msg})
}

// decodeStrict reads a resource body into the sandbox's wire type and refuses a field the type
// does not have: a misspelt name in the client fails with 400 instead of being dropped. [U]
// Whether the real API refuses or ignores unknown fields is not documented; it validates field
// by field (EMP), and refusing is what lets a test catch a wrong name.
func decodeStrict(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func decodeJSON(r *http.Request, v any) error {
	return json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(v)
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newUUID returns a random version-4 UUID, the id format of v2 records.
func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

func formatUUID(b []byte) string {
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
