// Package omiesandbox is an in-memory simulator of the Omie API v1, faithful to api/omie.md:
// the same service paths (/api/v1/geral/clientes/ …), the call/app_key/app_secret/param envelope,
// field names, pagination (pagina/registros_por_pagina and nPagina/nRegPorPagina), incremental
// filters, error bodies and HTTP statuses, rate limits and quirks:
//
//   - a list with no records, or a page past the last, is HTTP 500 SOAP-ENV:Client-5113;
//   - an identical call (same app key, call and param) within 60 s of the sandbox clock is
//     SOAP-ENV:Client-6 "Consumo redundante detectado. Aguarde N segundos … (REDUNDANT)". A write
//     resets the account's memory of recent calls, since reads may then answer differently [U];
//   - an unknown param key is "Tag [KEY] não faz parte da estrutura do tipo complexo [type]";
//   - more than 4 concurrent calls (1 for writes) of one method is SOAP-ENV:Client-1880;
//   - more than 240 calls of one method, or 960 in all, within a minute is HTTP 429;
//   - 10 consecutive faults of one method (not counting "no records"/"not found") block the key
//     for 1800 s: HTTP 425 MISUSE_API_PROCESS;
//   - a wrong app key or secret is HTTP 403 "A chave de acesso não está preenchida ou não é válida.";
//   - accounts may refuse a second customer with the same CPF/CNPJ (SPEC C-A3).
//
// Where the docs say unknown ([U]) the code says which guess it made.
//
// # Admin API
//
// Mounted by sandbox.NewHub under /_sandbox/omie/. JSON in and out; records use Omie's own
// field names (the shape ListarClientes answers).
//
//	POST   /accounts                          create: {"refuse_duplicate_document", "disable_redundant",
//	                                          "disable_rate_limits", "seed", "app_key", "app_secret"} (all
//	                                          optional) → {"app_key": "…", "app_secret": "…"}
//	GET    /accounts/{key}                    the account's options
//	PUT    /accounts/{key}/options            replace the options
//	POST   /accounts/{key}/reset              forget the account's records and call history
//	POST   /accounts/{key}/block              {"seconds": 1800}: misuse-block the key
//	GET    /accounts/{key}/{kind}             dump records of a kind
//	POST   /accounts/{key}/{kind}             seed one record or an array; answers them with ids
//	PATCH  /accounts/{key}/customers/{id}     edit a customer as a user would (merge, bumps dAlt)
//	DELETE /accounts/{key}/customers/{id}     delete a customer
//
// Kinds: customers (clientes_cadastro), products (produto_servico_cadastro), locations
// (locaisEncontrados items), stock ({"codigo_local_estoque", "nCodProd", "nSaldo", "reservado", …}),
// bank-accounts (ListarContasCorrentes items), categories (categoria_cadastro), services
// (ListarCadastroServico cadastros), tags ({"tag", "nCodTag"}), and, dump only, service-orders
// and orders. Calls per method are at GET /_sandbox/stats, keyed by the Omie call name.
//
// In-process tests use the same operations as Go methods: NewAccount, SeedCustomer, Customers,
// EditCustomer, ServiceOrders, Orders and the like.
package omiesandbox

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/pontehub/ponte/internal/sandbox"
)

// Options configures a Server.
type Options struct {
	// Now is the sandbox clock (records' dInc/dAlt, the REDUNDANT window, rate limits, blocks).
	Now func() time.Time
	// ClockOffset runs the sandbox's clock that far ahead of Now (behind when negative), as a
	// real server's clock may be; the admin API's /clock changes it while running (issue 16).
	ClockOffset time.Duration
	// Seed makes generated ids, credentials and demo data reproducible; 0 picks 1.
	Seed uint64
	// Demo creates a seeded demo account at start (and again after Reset), for `ponte sandbox`.
	Demo bool
}

// AccountOptions are the switches of one simulated Omie account. The zero value behaves like the
// real API: every protection on, duplicate documents allowed.
type AccountOptions struct {
	// RefuseDuplicateDocument refuses a second customer with the same CPF/CNPJ (SPEC C-A3).
	RefuseDuplicateDocument bool `json:"refuse_duplicate_document"`
	// DisableRedundant turns off the REDUNDANT refusal of identical calls within 60 s.
	DisableRedundant bool `json:"disable_redundant"`
	// DisableRateLimits turns off the 429 per-minute limits, the 1880 concurrency refusal and the
	// misuse block.
	DisableRateLimits bool `json:"disable_rate_limits"`
	// Seed fills the account with realistic demo data.
	Seed bool `json:"seed"`
	// AppKey and AppSecret choose the credentials; empty ones are generated.
	AppKey    string `json:"app_key,omitempty"`
	AppSecret string `json:"app_secret,omitempty"`
}

// Account is the credentials of a simulated account.
type Account struct {
	AppKey    string `json:"app_key"`
	AppSecret string `json:"app_secret"`
}

// Server simulates Omie for any number of isolated accounts. It implements sandbox.Partner.
type Server struct {
	opts    Options
	now     func() time.Time
	clock   *sandbox.Skew
	schemas *schemas
	methods map[string]method
	counter sandbox.Counter
	faults  sandbox.Faults

	mu       sync.Mutex
	rng      *rand.Rand
	accounts map[string]*account
	demo     Account
}

// account is one Omie company: its records and its anti-abuse state.
type account struct {
	Account
	opts AccountOptions

	clientes, produtos, locais, contas, servicos, os, pedidos *table
	categorias                                                []record
	estoque                                                   map[[2]int64]record // (local, product) → position
	tags                                                      map[string]record   // folded name → {tag, nCodTag}
	seq                                                       int                 // OS and order numbers

	recent       map[string]time.Time   // REDUNDANT: call+param → when
	calls        map[string][]time.Time // per-minute rate: call → times ("" = all calls)
	inflight     map[string]int
	faultRun     map[string]int // consecutive faults per call
	blockedUntil time.Time
}

// New returns an empty sandbox (with a demo account when opts.Demo is set).
func New(opts Options) *Server {
	clock := sandbox.NewSkew(opts.Now, opts.ClockOffset)
	opts.Now = clock.Now
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	s := &Server{opts: opts, now: opts.Now, clock: clock, schemas: newSchemas()}
	s.methods = s.methodTable()
	s.Reset()
	return s
}

// Name implements sandbox.Partner.
func (s *Server) Name() string { return "omie" }

// Counter implements sandbox.Partner; methods are Omie call names ("ListarClientes").
func (s *Server) Counter() *sandbox.Counter { return &s.counter }

// Faults implements sandbox.Partner.
func (s *Server) Faults() *sandbox.Faults { return &s.faults }

// Reset implements sandbox.Partner: every account is forgotten; the demo account, if any, is
// created again with the same credentials and fresh data.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rng = rand.New(rand.NewPCG(s.opts.Seed, s.opts.Seed^0x9e3779b97f4a7c15))
	s.accounts = map[string]*account{}
	if s.opts.Demo {
		a := s.newAccountLocked(AccountOptions{Seed: true})
		s.demo = a.Account
	}
}

// DemoAccount returns the demo account's credentials (zero without Options.Demo).
func (s *Server) DemoAccount() Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.demo
}

// Describe implements the `ponte sandbox` banner: base URL and demo credentials.
func (s *Server) Describe(base string) string {
	d := s.DemoAccount()
	out := fmt.Sprintf("Omie:       %s/api/v1  (admin: POST %s/_sandbox/omie/accounts)", base, hubRoot(base))
	if d.AppKey != "" {
		out += fmt.Sprintf("\n  demo app_key=%s app_secret=%s\n  curl -s %s/api/v1/geral/clientes/ -H 'Content-Type: application/json' -d '{\"call\":\"ListarClientes\",\"app_key\":\"%s\",\"app_secret\":\"%s\",\"param\":[{\"pagina\":1,\"registros_por_pagina\":5}]}'",
			d.AppKey, d.AppSecret, base, d.AppKey, d.AppSecret)
	}
	return out
}

// hubRoot strips the "/omie" the hub mounts this sandbox under.
func hubRoot(base string) string {
	const suffix = "/omie"
	if len(base) >= len(suffix) && base[len(base)-len(suffix):] == suffix {
		return base[:len(base)-len(suffix)]
	}
	return base
}

// NewAccount creates an isolated account and returns its credentials.
func (s *Server) NewAccount(opts AccountOptions) Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newAccountLocked(opts).Account
}

func (s *Server) newAccountLocked(opts AccountOptions) *account {
	a := &account{opts: opts}
	a.AppKey, a.AppSecret = opts.AppKey, opts.AppSecret
	if a.AppKey == "" {
		// Real app keys are 13-digit numbers and secrets 32 hex characters.
		a.AppKey = fmt.Sprintf("%013d", 1_000_000_000_000+s.rng.Int64N(8_999_999_999_999))
	}
	if a.AppSecret == "" {
		a.AppSecret = fmt.Sprintf("%016x%016x", s.rng.Uint64(), s.rng.Uint64())
	}
	a.opts.AppKey, a.opts.AppSecret = "", ""
	a.clear()
	s.accounts[a.AppKey] = a
	if opts.Seed {
		s.seedDemo(a)
	}
	return a
}

// clear forgets the account's records and call history, keeping credentials and options.
func (a *account) clear() {
	a.clientes = newTable("codigo_cliente_omie")
	a.produtos = newTable("codigo_produto")
	a.locais = newTable("codigo_local_estoque")
	a.contas = newTable("nCodCC")
	a.servicos = newTable("intListar", "nCodServ")
	a.os = newTable("Cabecalho", "nCodOS")
	a.pedidos = newTable("cabecalho", "codigo_pedido")
	a.categorias = nil
	a.estoque = map[[2]int64]record{}
	a.tags = map[string]record{}
	a.seq = 0
	a.recent = map[string]time.Time{}
	a.calls = map[string][]time.Time{}
	a.inflight = map[string]int{}
	a.faultRun = map[string]int{}
	a.blockedUntil = time.Time{}
}

// newID returns a fresh id in the range of real Omie ids (10^9 to 10^10), unused in t.
func (s *Server) newID(t *table) int64 {
	for {
		id := 1_000_000_000 + s.rng.Int64N(9_000_000_000)
		if _, used := t.rows[id]; !used {
			return id
		}
	}
}

var _ http.Handler = (*Server)(nil)
