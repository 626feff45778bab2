// Package auvosandbox simulates the Auvo public REST API ("API v2") in memory, as documented in
// api/auvo.md: login with APP key and token for an expiring bearer token, the {"result": …}
// envelopes, paged lists that answer 404 when empty, the incremental dateLastUpdate filters,
// the three error shapes, the 400-per-minute limit with its 403 answer, and the field names
// with Auvo's typos ("adressComplement", "deliveredOnSmarthPhone", "descount", "amout").
//
// The API is served at /v2/… (the hub mounts it at /auvo/v2). Every account is isolated; New
// creates a seeded demo account (DemoAPIKey, DemoAPIToken).
//
// Admin API, mounted by the hub at /_sandbox/auvo (JSON in and out):
//
//	POST   /accounts                          new empty account → {"id", "apiKey", "apiToken"}
//	                                          (?demo=1 seeds it with the demo data)
//	GET    /accounts                          every account
//	POST   /accounts/{apiKey}/reset           forget the account's records
//	POST   /accounts/{apiKey}/{resource}      seed one record (object) or many (array), given as
//	                                          the API returns them; ids and dates are filled in
//	GET    /accounts/{apiKey}/{resource}      every record, with "deleted" and "deletedAt"
//	PATCH  /accounts/{apiKey}/{resource}/{id} edit fields as a user would in Auvo's web app
//	                                          (dateLastUpdate moves)
//	DELETE /accounts/{apiKey}/{resource}/{id} delete as a user would (the record leaves the API)
//
// Resources: customers, tasks, products, services, taskTypes, customerGroups, quotations. The
// hub adds GET /_sandbox/stats (calls per method), POST /_sandbox/reset and
// /_sandbox/auvo/faults. Go tests in the same process use the Server methods (NewAccount,
// SeedCustomer, Customers, EditCustomer, DeleteCustomer, …) instead.
//
// Calls are counted per method under labels like "POST /login", "GET /customers",
// "GET /customers/{id}", "PUT /customers", "PATCH /customers/{id}", "PUT /tasks/{id}/products";
// faults match the same labels.
//
// Where the doc says unknown, the sandbox takes the documented guess and says so in a comment.
package auvosandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/sandbox"
)

// Demo account credentials, for `ponte sandbox` and manual tests.
const (
	DemoAPIKey   = "demo-api-key"
	DemoAPIToken = "demo-api-token"
)

// Options configures a Server. Zero values take the documented defaults.
type Options struct {
	// Now is the sandbox clock: token expiry, record dates and the rate-limit window.
	Now func() time.Time
	// ClockOffset runs the sandbox's clock that far ahead of Now (behind when negative), as a
	// real server's clock may be; the admin API's /clock changes it while running (issue 16).
	ClockOffset time.Duration
	// RateLimit is the number of calls per minute an account may make before the 403 answer
	// (docs: 400); 0 turns the limit off, which in-process tests usually want.
	RateLimit int
	// TokenTTL is the access-token lifetime (docs: 30 minutes).
	TokenTTL time.Duration
	// MaxPageSize caps pageSize (the real cap is unknown; default 100 as S8 claims).
	MaxPageSize int
	// EmptyListOK answers an empty list page with 200 and an empty entityList instead of Auvo's
	// 404, the switch the doc asks for.
	EmptyListOK bool
}

// Account is a simulated Auvo account's identity and API credentials.
type Account struct {
	ID       int64  `json:"id"`
	APIKey   string `json:"apiKey"`
	APIToken string `json:"apiToken"`
}

type account struct {
	Account
	nextID     int64
	customers  table[auvo.Customer]
	tasks      table[auvo.Task]
	products   table[auvo.Product]
	services   table[auvo.Service]
	taskTypes  table[auvo.TaskType]
	groups     table[auvo.CustomerGroup]
	quotations table[auvo.Quotation]
	calls      []time.Time // accepted calls in the last minute, for the rate limit
}

func (a *account) newID() int64 {
	a.nextID++
	return a.nextID
}

type token struct {
	apiKey  string
	expires time.Time
}

// Server is the simulated Auvo. It implements sandbox.Partner.
type Server struct {
	opts    Options
	counter sandbox.Counter
	faults  sandbox.Faults
	k       kinds
	routes  []route
	admin   http.Handler
	clock   *sandbox.Skew

	mu          sync.Mutex
	accounts    map[string]*account // by API key
	tokens      map[string]token
	lastAccount int64
}

// New returns a Server holding the seeded demo account.
func New(o Options) *Server {
	clock := sandbox.NewSkew(o.Now, o.ClockOffset)
	o.Now = clock.Now
	if o.TokenTTL <= 0 {
		o.TokenTTL = 30 * time.Minute
	}
	if o.MaxPageSize <= 0 {
		o.MaxPageSize = 100
	}
	s := &Server{opts: o, k: newKinds(), clock: clock}
	s.routes = s.apiRoutes()
	s.admin = s.adminRoutes()
	s.Reset()
	return s
}

// Name implements sandbox.Partner.
func (s *Server) Name() string { return "auvo" }

// Counter implements sandbox.Partner.
func (s *Server) Counter() *sandbox.Counter { return &s.counter }

// Faults implements sandbox.Partner.
func (s *Server) Faults() *sandbox.Faults { return &s.faults }

// Admin implements sandbox.Partner.
func (s *Server) Admin() http.Handler { return s.admin }

// Clock is the sandbox's own clock: Now plus an offset changeable while it runs (issue 16).
func (s *Server) Clock() *sandbox.Skew { return s.clock }

// Reset forgets every account and token, then recreates the demo account.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts = map[string]*account{}
	s.tokens = map[string]token{}
	a := s.addAccountLocked(DemoAPIKey, DemoAPIToken)
	seedDemo(a, s.now())
}

// Describe tells a person how to reach the API and the demo account.
func (s *Server) Describe(base string) string {
	return fmt.Sprintf(`Auvo API v2:   %[1]s/v2   (apiKey %[2]s, apiToken %[3]s)
  curl -s -X POST %[1]s/v2/login/ -H 'Content-Type: application/json' -d '{"apiKey":"%[2]s","apiToken":"%[3]s"}'
  curl -s '%[1]s/v2/customers/?paramFilter=%%7B%%7D&page=1&pageSize=10' -H "Authorization: Bearer $TOKEN"`,
		base, DemoAPIKey, DemoAPIToken)
}

func (s *Server) now() time.Time { return s.opts.Now() }

// NewAccount creates an empty account with fresh credentials.
func (s *Server) NewAccount() Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addAccountLocked(randomHex(16), randomHex(16)).Account
}

func (s *Server) addAccountLocked(key, tok string) *account {
	s.lastAccount++
	a := &account{Account: Account{ID: s.lastAccount, APIKey: key, APIToken: tok}, nextID: 1000 * s.lastAccount}
	s.accounts[key] = a
	return a
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newGUID returns a random GUID, the id form of products and services.
func newGUID() string {
	h := randomHex(16)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// route is one API operation. pattern is lower-case path segments below /v2, "*" for an id.
type route struct {
	method  string
	pattern []string
	label   string
	serve   func(w http.ResponseWriter, r *http.Request, a *account, id string) *apiError
}

func (rt route) match(method string, segs []string) (string, bool) {
	if method != rt.method || len(segs) != len(rt.pattern) {
		return "", false
	}
	id := ""
	for i, p := range rt.pattern {
		switch {
		case p == "*":
			id = segs[i]
		case !strings.EqualFold(p, segs[i]):
			return "", false
		}
	}
	return id, true
}

// ServeHTTP serves the API below /v2. Paths are matched case-insensitively, with or without a
// trailing slash, as production accepts both (API doc §1, §3.1).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var segs []string
	for p := range strings.SplitSeq(r.URL.Path, "/") {
		if p != "" {
			segs = append(segs, p)
		}
	}
	if len(segs) < 2 || !strings.EqualFold(segs[0], "v2") {
		notFound().write(w)
		return
	}
	segs = segs[1:]
	for _, rt := range s.routes {
		id, ok := rt.match(r.Method, segs)
		if !ok {
			continue
		}
		s.counter.Inc(rt.label)
		if s.faults.Apply(w, r, rt.label, writeThrottle) {
			return
		}
		if rt.label == "GET /login" || rt.label == "POST /login" {
			s.login(w, r)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		a, err := s.authorizeLocked(r)
		if err == nil {
			err = s.rateLocked(a)
		}
		if err == nil {
			err = rt.serve(w, r, a, id)
		}
		if err != nil {
			err.write(w)
		}
		return
	}
	s.counter.Inc(r.Method + " (unknown path)")
	notFound().write(w)
}

// authorizeLocked finds the account of the bearer token. The 401 and its body for a missing,
// unknown or expired token are a guess (API doc §1 [I]/[U]).
func (s *Server) authorizeLocked(r *http.Request) (*account, *apiError) {
	unauthorized := &apiError{status: http.StatusUnauthorized, body: map[string]string{"message": "Unauthorized"}}
	h := r.Header.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return nil, unauthorized
	}
	t, ok := s.tokens[strings.TrimSpace(h[7:])]
	if !ok || !s.now().Before(t.expires) {
		return nil, unauthorized
	}
	a, ok := s.accounts[t.apiKey]
	if !ok {
		return nil, unauthorized
	}
	return a, nil
}

// rateLocked applies the limit per account over a sliding minute. The doc says the limit is per
// IP; per account is the other documented possibility [U] and keeps parallel tests, which share
// 127.0.0.1, apart. Refused calls do not count.
func (s *Server) rateLocked(a *account) *apiError {
	if s.opts.RateLimit <= 0 {
		return nil
	}
	now := s.now()
	kept := a.calls[:0]
	for _, t := range a.calls {
		if now.Sub(t) < time.Minute {
			kept = append(kept, t)
		}
	}
	a.calls = kept
	if len(a.calls) >= s.opts.RateLimit {
		return &apiError{status: http.StatusForbidden, body: map[string]string{"error": "Rate limit temporarily exceeded"}}
	}
	a.calls = append(a.calls, now)
	return nil
}

// login serves GET /login/?apiKey=&apiToken= and POST /login/ {"apiKey","apiToken"}.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		APIKey   string `json:"apiKey"`
		APIToken string `json:"apiToken"`
	}
	if r.Method == http.MethodPost {
		if err := readJSON(r, &in); err != nil {
			err.write(w)
			return
		}
	} else {
		in.APIKey, _ = query(r, "apiKey")
		in.APIToken, _ = query(r, "apiToken")
	}
	if in.APIKey == "" {
		modelError("apiKey", `""`).write(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[in.APIKey]
	if !ok {
		notFound().write(w) // no account with that key (API doc §1)
		return
	}
	if err := s.rateLocked(a); err != nil {
		err.write(w)
		return
	}
	now := s.now()
	created := auvo.NewTime(now).In(auvo.Brasilia)
	expires := created.Add(s.opts.TokenTTL)
	const layout = "2006-01-02 15:04:05" // the login answer uses a space (API doc §1)
	if in.APIToken != a.APIToken {
		// A wrong token for a known key is undocumented [U]; the answer's own flag is the guess.
		writeResult(w, http.StatusOK, map[string]any{"authenticated": false, "created": created.Format(layout),
			"expiration": "", "accessToken": "", "message": "Invalid apiToken"})
		return
	}
	tok := randomHex(24) // opaque; the real one is an RS256 JWT the client must not read
	s.tokens[tok] = token{apiKey: a.APIKey, expires: now.Add(s.opts.TokenTTL)}
	writeResult(w, http.StatusOK, map[string]any{"authenticated": true, "created": created.Format(layout),
		"expiration": expires.Format(layout), "accessToken": tok, "message": "OK"})
}
