// Package blingsandbox simulates the Bling API v3 as api/bling.md describes it: the OAuth2
// authorization-code flow with single-use codes and rotating refresh tokens, {"data":…}
// envelopes, Bling's error objects, pagina/limite paging, the contact endpoints with their
// filters, and the 3 requests per second limit per account. State lives in memory.
//
// Where the docs mark a behaviour as unknown [U], the sandbox follows the documented guess and
// says so in a comment.
package blingsandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/sandbox"
)

// Options tune the simulator. Zero values mean Bling's own figures.
type Options struct {
	// Now is the clock for token and code expiry and contact modification times; default
	// time.Now. The per-second rate window always uses the real clock, so a frozen test clock
	// does not throttle every call (shifted by ClockOffset all the same).
	Now func() time.Time
	// ClockOffset runs the sandbox's clock that far ahead of Now (behind when negative), as a
	// real server's clock may be; the admin API's /clock changes it while running (issue 16).
	ClockOffset time.Duration
	AccessTTL   time.Duration // default 6 h (expires_in 21600)
	RefreshTTL  time.Duration // default 30 days [I]
	CodeTTL     time.Duration // default 1 minute [I]
	// RequestsPerSecond is the per-account limit; default 3, negative turns it off.
	RequestsPerSecond int
	// DailyLimit is the per-account daily quota; default 120000, negative turns it off.
	DailyLimit int
	// Demo seeds the demo app (DemoClientID) and accounts with realistic contacts, and Reset
	// seeds them again.
	Demo bool
}

// Sandbox is the Bling simulator. It implements sandbox.Partner.
type Sandbox struct {
	opt     Options
	counter sandbox.Counter
	faults  sandbox.Faults
	api     *http.ServeMux
	admin   *http.ServeMux
	clock   *sandbox.Skew

	mu sync.Mutex
	st *state
}

// state is everything Reset forgets.
type state struct {
	nextID      int64 // contacts and contact types, from one sequence like Bling's big ids
	nextAccount int64
	nextGrant   int64
	accounts    map[int64]*account
	apps        map[string]*App // by client id
	codes       map[string]*ticket
	access      map[string]*accessToken
	refresh     map[string]*ticket
}

type account struct {
	id       int64
	name     string
	contacts map[int64]*storedContact
	types    []bling.ContactType
	recent   []time.Time // accepted calls of the last second (real clock)
	day      string
	dayCalls int
}

// storedContact keeps the times Bling tracks but never returns, so the dataInclusao* and
// dataAlteracao* filters can work.
type storedContact struct {
	c        bling.Contact
	created  time.Time
	modified time.Time
}

// New returns an empty simulator, or the demo one when o.Demo is set.
func New(o Options) *Sandbox {
	clock := sandbox.NewSkew(o.Now, o.ClockOffset)
	o.Now = clock.Now
	if o.AccessTTL == 0 {
		o.AccessTTL = 6 * time.Hour
	}
	if o.RefreshTTL == 0 {
		o.RefreshTTL = 30 * 24 * time.Hour
	}
	if o.CodeTTL == 0 {
		o.CodeTTL = time.Minute
	}
	if o.RequestsPerSecond == 0 {
		o.RequestsPerSecond = 3 // api/bling.md §3 [I]; deliberately not the client's constant
	}
	if o.DailyLimit == 0 {
		o.DailyLimit = 120000
	}
	s := &Sandbox{opt: o, api: http.NewServeMux(), admin: http.NewServeMux(), clock: clock}
	s.Reset()
	s.routes()
	s.adminRoutes()
	return s
}

func newState() *state {
	return &state{nextID: 16_000_000_001, nextAccount: 1, nextGrant: 1,
		accounts: map[int64]*account{}, apps: map[string]*App{}, codes: map[string]*ticket{},
		access: map[string]*accessToken{}, refresh: map[string]*ticket{}}
}

// Name implements sandbox.Partner.
func (s *Sandbox) Name() string { return "bling" }

// ServeHTTP serves the API under /Api/v3/, OAuth included.
// The Date header is the sandbox's own clock, as a real server's is its own: Ponte takes the
// contacts cursor from it.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", s.opt.Now().UTC().Format(http.TimeFormat))
	s.api.ServeHTTP(w, r)
}

// Admin implements sandbox.Partner.
func (s *Sandbox) Admin() http.Handler { return s.admin }

// Clock is the sandbox's own clock: Now plus an offset changeable while it runs (issue 16).
func (s *Sandbox) Clock() *sandbox.Skew { return s.clock }

// Counter implements sandbox.Partner. Methods are counted as "GET /contatos",
// "POST /oauth/token" and so on.
func (s *Sandbox) Counter() *sandbox.Counter { return &s.counter }

// Faults implements sandbox.Partner.
func (s *Sandbox) Faults() *sandbox.Faults { return &s.faults }

// Reset forgets every app, account, token and contact; a demo sandbox is seeded again.
func (s *Sandbox) Reset() {
	s.mu.Lock()
	s.st = newState()
	if s.opt.Demo {
		s.seedDemo()
	}
	s.mu.Unlock()
}

// Describe is what `ponte sandbox` prints about Bling: where things are and the demo app.
func (s *Sandbox) Describe(base string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Bling API v3:   %s/Api/v3   (PONTE_BLING_URL)\n", base)
	fmt.Fprintf(&b, "  OAuth:        %s/Api/v3/oauth   (PONTE_BLING_AUTH_URL; /authorize, /token)\n", base)
	if s.opt.Demo {
		fmt.Fprintf(&b, "  demo app:     PONTE_BLING_CLIENT_ID=%s PONTE_BLING_CLIENT_SECRET=%s\n", DemoClientID, DemoClientSecret)
		fmt.Fprintf(&b, "  redirect:     %s (change: PUT /_sandbox/bling/apps/%s {\"redirect_uri\":…})\n", DemoRedirectURI, DemoClientID)
	}
	fmt.Fprintf(&b, "  admin:        POST /_sandbox/bling/apps, /accounts, /authorize")
	return b.String()
}

// acct returns the account; callers hold s.mu.
func (s *Sandbox) acct(id int64) (*account, error) {
	a, ok := s.st.accounts[id]
	if !ok {
		return nil, fmt.Errorf("blingsandbox: no account %d", id)
	}
	return a, nil
}

// randomToken returns n random bytes in hex, for codes, tokens and secrets.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// writeError answers Bling's error envelope.
func writeError(w http.ResponseWriter, status int, typ, msg, desc string, fields ...bling.ErrorField) {
	sandbox.WriteJSON(w, status, bling.ErrorResponse{Error: bling.ErrorDetail{Type: typ, Message: msg, Description: desc, Fields: fields}})
}

// writeData answers Bling's success envelope.
func writeData(w http.ResponseWriter, status int, v any) {
	sandbox.WriteJSON(w, status, map[string]any{"data": v})
}
