package bench

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/store"
)

// World is what Ponte talks to in a benchmark: the Auvo and Omie sandboxes behind one real HTTP
// listener, with the partners' published rate limits on, a latency on every call, and every
// throttle answer counted on the way out.
type World struct {
	Auvo *auvosandbox.Server
	Omie *omiesandbox.Server
	srv  *httptest.Server
	thr  *throttleMeter

	mu  sync.Mutex
	rng *rand.Rand
}

// WorldOptions shape a World.
type WorldOptions struct {
	// Now is the sandboxes' clock; nil is the real one.
	Now func() time.Time
	// Latency is added to every partner call, as a network and a busy partner would.
	Latency time.Duration
	// AuvoRateLimit is Auvo's calls per minute per account; 0 is the published 400, negative
	// turns it off.
	AuvoRateLimit int
	// TokenTTL is the Auvo token lifetime; 0 is the real 30 minutes.
	TokenTTL time.Duration
}

// NewWorld starts the sandboxes on a loopback listener. Close it when done.
func NewWorld(o WorldOptions) *World {
	limit := o.AuvoRateLimit
	switch {
	case limit == 0:
		limit = auvo.RateLimitPerMinute
	case limit < 0:
		limit = 0
	}
	w := &World{
		Auvo: auvosandbox.New(auvosandbox.Options{Now: o.Now, RateLimit: limit, TokenTTL: o.TokenTTL}),
		Omie: omiesandbox.New(omiesandbox.Options{Now: o.Now}),
		thr:  &throttleMeter{n: map[string]int64{}},
		rng:  rand.New(rand.NewPCG(2026, 11)),
	}
	if o.Latency > 0 {
		for _, p := range []sandbox.Partner{w.Auvo, w.Omie} {
			p.Faults().Add(sandbox.Fault{Kind: sandbox.FaultLatency, Latency: o.Latency})
		}
	}
	w.srv = httptest.NewServer(w.thr.wrap(sandbox.NewHub(w.Auvo, w.Omie)))
	return w
}

// Close stops the listener.
func (w *World) Close() { w.srv.Close() }

// URL is the sandboxes' base URL.
func (w *World) URL() string { return w.srv.URL }

// AuvoURL is the Auvo API's base URL (PONTE_AUVO_URL).
func (w *World) AuvoURL() string { return w.srv.URL + "/auvo/v2" }

// OmieURL is the Omie API's base URL (PONTE_OMIE_URL).
func (w *World) OmieURL() string { return w.srv.URL + "/omie/api/v1" }

// Calls returns the calls each partner received, by method, since the last ResetCalls.
func (w *World) Calls() map[string]map[string]int64 {
	return map[string]map[string]int64{"auvo": w.Auvo.Counter().Snapshot(), "omie": w.Omie.Counter().Snapshot()}
}

// Throttles returns the throttle answers each partner gave since the last ResetCalls.
func (w *World) Throttles() map[string]int64 { return w.thr.snapshot() }

// ResetCalls zeroes the call and throttle counts.
func (w *World) ResetCalls() {
	w.Auvo.Counter().Reset()
	w.Omie.Counter().Reset()
	w.thr.reset()
}

// throttleMeter counts the answers by which a partner says "too many" or "not now": Auvo's 403
// "Rate limit", Omie's 429, its 425 misuse block, REDUNDANT and the 1880 "method busy" refusal.
// Each one is a call Ponte's limiter, gate or read cache should have kept from being made.
type throttleMeter struct {
	mu sync.Mutex
	n  map[string]int64
}

func (t *throttleMeter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status < 400 {
			return
		}
		partner, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if isThrottle(partner, rec.status, rec.head.Bytes()) {
			t.mu.Lock()
			t.n[partner]++
			t.mu.Unlock()
		}
	})
}

func (t *throttleMeter) snapshot() map[string]int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]int64{"auvo": 0, "omie": 0}
	for k, v := range t.n {
		out[k] = v
	}
	return out
}

func (t *throttleMeter) reset() {
	t.mu.Lock()
	clear(t.n)
	t.mu.Unlock()
}

// isThrottle classifies an error answer by the partners' documented throttle shapes.
func isThrottle(partner string, status int, body []byte) bool {
	switch {
	case status == http.StatusTooManyRequests || status == http.StatusTooEarly:
		return true
	case partner == "auvo":
		return status == http.StatusForbidden && bytes.Contains(body, []byte("Rate limit"))
	case partner == "omie":
		return bytes.Contains(body, []byte("REDUNDANT")) || bytes.Contains(body, []byte(omie.CodeMethodBusy)) ||
			bytes.Contains(body, []byte(omie.CodeMisuse))
	}
	return false
}

// recorder keeps an error answer's status and the start of its body.
type recorder struct {
	http.ResponseWriter
	status int
	head   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.status >= 400 && r.head.Len() < 1024 {
		r.head.Write(b[:min(len(b), 1024-r.head.Len())])
	}
	return r.ResponseWriter.Write(b)
}

// Tenant is one benchmark tenant: its partner accounts and its active integration.
type Tenant struct {
	ID          store.TenantID
	Integration store.IntegrationID
	AuvoKey     string
	OmieKey     string
	// Customers are the Auvo ids of the seeded customers, and Docs their documents.
	Customers []int64
	Docs      []string
	// ERPDocs are the documents of the seeded Omie customers.
	ERPDocs []string

	auvoAccount auvosandbox.Account
}

// SeedOptions say what one tenant has.
type SeedOptions struct {
	Customers    int // Auvo customers to seed
	ERPCustomers int // Omie customers (tag Cliente) to seed
	Products     int // Omie products to seed; the product flow is on only when there are some
	// Auvo reuses an Auvo account (one company with several integrations) instead of a new one.
	Auvo *auvosandbox.Account
	// Omie are the switches of the tenant's Omie account.
	Omie omiesandbox.AccountOptions
}

// Seed creates a tenant with fresh partner accounts, its records and an integration with the
// customer flows on (and the product flow when it has products), not yet active.
func (w *World) Seed(ctx context.Context, st *store.Store, i int, o SeedOptions) (Tenant, error) {
	acc := o.Auvo
	if acc == nil {
		a := w.Auvo.NewAccount()
		acc = &a
	}
	om := w.Omie.NewAccount(o.Omie)
	t := Tenant{AuvoKey: acc.APIKey, OmieKey: om.AppKey, auvoAccount: *acc}
	for j := range o.Customers {
		doc := w.cnpj()
		c, err := w.Auvo.SeedCustomer(acc.APIKey, auvo.Customer{Description: customerName(i, j, 0), CPFCNPJ: doc,
			Address: "Rua das Flores, 100, Centro, São Paulo, SP, 01001-000", Active: true,
			PhoneNumber: []string{fmt.Sprintf("(11) 9%04d-%04d", i%10000, j%10000)}})
		if err != nil {
			return Tenant{}, fmt.Errorf("bench: seed customer: %w", err)
		}
		t.Customers, t.Docs = append(t.Customers, c.ID), append(t.Docs, doc)
	}
	for j := range o.ERPCustomers {
		doc := w.cnpj()
		c := omie.ClienteCadastro{RazaoSocial: fmt.Sprintf("Empresa Omie %d-%d", i, j), CnpjCpf: doc, Tags: []omie.Tag{{Tag: "Cliente"}},
			Endereco: "Av. Brasil", EnderecoNumero: "500", Bairro: "Jardins", Cidade: "SAO PAULO (SP)", Estado: "SP", Cep: "01430001"}
		if _, err := w.Omie.SeedCustomer(om.AppKey, c); err != nil {
			return Tenant{}, fmt.Errorf("bench: seed Omie customer: %w", err)
		}
		t.ERPDocs = append(t.ERPDocs, doc)
	}
	cfg := store.Config{TaskStatus: "X", QuoteStatus: "X"}
	if o.Products > 0 {
		var err error
		if cfg, err = w.OmieChoices(om.AppKey); err != nil {
			return Tenant{}, err
		}
	}
	for j := range o.Products {
		p := omie.Produto{CodigoProdutoIntegracao: fmt.Sprintf("P%d-%d", i, j), Codigo: fmt.Sprintf("PRD%05d", j),
			Descricao: fmt.Sprintf("Produto %d", j), Unidade: "UN", ValorUnitario: 10 + float64(j)}
		if _, err := w.Omie.SeedProduct(om.AppKey, p); err != nil {
			return Tenant{}, fmt.Errorf("bench: seed product: %w", err)
		}
	}
	ten, err := st.CreateTenant(ctx, fmt.Sprintf("Empresa de Teste %05d", i))
	if err != nil {
		return Tenant{}, err
	}
	in, err := st.CreateIntegration(ctx, ten.ID, store.Omie)
	if err != nil {
		return Tenant{}, err
	}
	cr := store.Credentials{AuvoAPIKey: acc.APIKey, AuvoAPIToken: acc.APIToken, OmieAppKey: om.AppKey, OmieAppSecret: om.AppSecret}
	if err := st.SaveIntegrationSetup(ctx, ten.ID, in.ID, cfg, cr); err != nil {
		return Tenant{}, err
	}
	for _, f := range []store.Flow{store.FlowProducts, store.FlowStock, store.FlowTasks, store.FlowQuotes} {
		on := f == store.FlowProducts && o.Products > 0
		if err := st.SetFlowEnabled(ctx, ten.ID, in.ID, f, on); err != nil {
			return Tenant{}, err
		}
	}
	t.ID, t.Integration = ten.ID, in.ID
	return t, nil
}

// OmieChoices creates a stock location, a bank account and a revenue category in the Omie
// account and returns the configuration that chooses them (S7–S9), tasks and quotations off.
func (w *World) OmieChoices(appKey string) (store.Config, error) {
	loc, err := w.Omie.SeedLocation(appKey, omie.LocalEstoque{Codigo: "01", Descricao: "Almoxarifado técnico"})
	if err != nil {
		return store.Config{}, err
	}
	cc, err := w.Omie.SeedContaCorrente(appKey, omie.ContaCorrente{Descricao: "Banco da empresa", TipoContaCorrente: "CC"})
	if err != nil {
		return store.Config{}, err
	}
	cat, err := w.Omie.SeedCategoria(appKey, omie.Categoria{Codigo: "1.01.02", Descricao: "Venda de produtos e serviços", ContaReceita: omie.Sim})
	if err != nil {
		return store.Config{}, err
	}
	return store.Config{TaskStatus: "X", QuoteStatus: "X", BankAccount: cc.NCodCC, BankAccountName: cc.Descricao,
		Category: cat.Codigo, CategoryName: cat.Descricao, StockLocation: loc.CodigoLocalEstoque, StockLocationName: loc.Descricao}, nil
}

// Activate makes every tenant's integration active, due at once.
func Activate(ctx context.Context, st *store.Store, tenants []Tenant) error {
	for _, t := range tenants {
		if err := st.SetIntegrationState(ctx, t.ID, t.Integration, store.StateActive, ""); err != nil {
			return err
		}
	}
	return nil
}

// customerName is the name of a tenant's customer after its v-th change.
func customerName(tenant, j, v int) string {
	if v == 0 {
		return fmt.Sprintf("Cliente %d-%d", tenant, j)
	}
	return fmt.Sprintf("Cliente %d-%d alterado %d", tenant, j, v)
}

func (w *World) cnpj() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return br.GenerateCNPJ(w.rng)
}

// pick returns n distinct indexes below m.
func (w *World) pick(n, m int) []int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.rng.Perm(m)[:min(n, m)]
}

// ChangeAuvo renames an Auvo customer as a user would, to the name of its v-th change.
func (w *World) ChangeAuvo(t Tenant, i, j, v int) error {
	_, err := w.Auvo.EditCustomer(t.AuvoKey, t.Customers[j], func(c *auvo.Customer) { c.Description = customerName(i, j, v) })
	return err
}

// omieNames returns the tenant's Omie customers' names by document digits.
func (w *World) omieNames(t Tenant) map[string]string {
	out := map[string]string{}
	for _, c := range w.Omie.Customers(t.OmieKey) {
		if d, err := br.ParseDocument(c.CnpjCpf); err == nil {
			out[d.Digits] = c.RazaoSocial
		}
	}
	return out
}

// omieCustomerIDs counts the tenant's Omie customers by document digits.
func (w *World) omieCustomerIDs(t Tenant) map[string][]string {
	out := map[string][]string{}
	for _, c := range w.Omie.Customers(t.OmieKey) {
		if d, err := br.ParseDocument(c.CnpjCpf); err == nil {
			out[d.Digits] = append(out[d.Digits], strconv.FormatInt(c.CodigoClienteOmie, 10))
		}
	}
	return out
}
