// Package connector builds the partner clients of an integration. Every client of a node shares
// one partner.Doer (so the per-credential limiters see all calls), one Omie concurrency gate and
// read cache (so two clients for one app key never break Omie's rules together), and one OAuth
// manager per partner and tenant (so refreshes are single-flight).
package connector

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/contaazul"
	"github.com/pontehub/ponte/internal/oauth"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// Connector makes partner clients for integrations.
type Connector struct {
	st        *store.Store
	doer      *partner.Doer
	http      *http.Client
	omieGate  *partner.Gate
	omieCache *omie.ReadCache
	now       func() time.Time
	urls      URLs
	bling     *oauth2.Config
	contaAzul *oauth2.Config

	mu       sync.Mutex
	managers map[managerKey]*oauth.Manager
	auvo     map[auvo.Credentials]*auvo.Client
}

// URLs are the partners' base URLs (the real services, or the sandboxes).
type URLs struct {
	Auvo, Omie, Bling, BlingAuth, ContaAzul, ContaAzulAuth string
}

type managerKey struct {
	erp    store.ERP
	tenant store.TenantID
}

// Options are the parts of a Connector tests may replace.
type Options struct {
	// Doer sends every partner call; nil builds the production one (hardened client, local
	// limiter, default retries).
	Doer *partner.Doer
	// Now is the clock of Omie's 60-second read memory; nil is time.Now. Tests move it forward
	// to stand for the minutes or days between two visits of the same user.
	Now func() time.Time
}

// OAuthCallbackPath is the portal path an ERP's OAuth consent returns to.
func OAuthCallbackPath(erp store.ERP) string { return "/oauth/" + string(erp) + "/callback" }

// New builds the node's Connector from the configuration.
func New(cfg config.Config, st *store.Store, o Options) *Connector {
	hc := partner.NewHTTPClient(partner.HTTPOptions{UserAgent: "Ponte (+" + cfg.BaseURL + ")"})
	doer := o.Doer
	if doer == nil {
		// On PostgreSQL several nodes call the same partners: the limits must hold for all of
		// them together, so the limiter's state lives in the database.
		var lim partner.Limiter = partner.NewLocalLimiter()
		if st.Dialect() == store.Postgres {
			lim = st.RateLimiter()
		}
		doer = &partner.Doer{HTTP: hc, Limiter: lim}
	}
	if doer.HTTP != nil {
		hc = doer.HTTP
	}
	base := strings.TrimSuffix(cfg.BaseURL, "/")
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Connector{
		now: now,
		st:  st, doer: doer, http: hc,
		omieGate: partner.NewGate(), omieCache: omie.NewReadCache(),
		urls: URLs{Auvo: cfg.AuvoURL, Omie: cfg.OmieURL, Bling: cfg.BlingURL, BlingAuth: cfg.BlingAuthURL,
			ContaAzul: cfg.ContaAzulURL, ContaAzulAuth: cfg.ContaAzulAuthURL},
		bling:     bling.OAuthConfig(cfg.BlingClientID, cfg.BlingClientSecret, cfg.BlingAuthURL),
		contaAzul: contaazul.OAuthConfig(cfg.ContaAzulClientID, cfg.ContaAzulSecret, cfg.ContaAzulAuthURL, base+OAuthCallbackPath(store.ContaAzul)),
		managers:  map[managerKey]*oauth.Manager{},
		auvo:      map[auvo.Credentials]*auvo.Client{},
	}
}

// Doer is the node's shared request sender.
func (c *Connector) Doer() *partner.Doer { return c.doer }

// Auvo returns the client for the integration's Auvo account. Clients are kept per credential:
// each holds its login token for its 30 minutes, so a cycle does not log in again.
func (c *Connector) Auvo(cr store.Credentials) *auvo.Client {
	k := auvo.Credentials{APIKey: cr.AuvoAPIKey, APIToken: cr.AuvoAPIToken}
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, ok := c.auvo[k]
	if !ok {
		cl = auvo.New(c.urls.Auvo, k, c.doer)
		c.auvo[k] = cl
	}
	return cl
}

// Omie returns a client for the integration's Omie account.
func (c *Connector) Omie(cr store.Credentials) *omie.Client {
	return omie.New(c.urls.Omie, omie.Credentials{AppKey: cr.OmieAppKey, AppSecret: cr.OmieAppSecret}, c.doer,
		omie.WithGate(c.omieGate), omie.WithCache(c.omieCache), omie.WithClock(c.now))
}

// Bling returns a client for the integration's connected Bling account.
func (c *Connector) Bling(tenant store.TenantID, id store.IntegrationID) *bling.Client {
	return bling.New(c.urls.Bling, c.OAuth(store.Bling, tenant), store.OAuthConnKey(id), c.doer)
}

// ContaAzul returns a client for the integration's connected Conta Azul company.
func (c *Connector) ContaAzul(tenant store.TenantID, id store.IntegrationID) *contaazul.Client {
	return contaazul.New(c.urls.ContaAzul, c.OAuth(store.ContaAzul, tenant), store.OAuthConnKey(id), c.doer)
}

// OAuth returns the token manager of erp (Bling or Conta Azul) for tenant: the portal uses it
// for Conectar (AuthCodeURL, Exchange), the clients for tokens. It is nil for Omie.
func (c *Connector) OAuth(erp store.ERP, tenant store.TenantID) *oauth.Manager {
	var cfg *oauth2.Config
	switch erp {
	case store.Bling:
		cfg = c.bling
	case store.ContaAzul:
		cfg = c.contaAzul
	default:
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := managerKey{erp, tenant}
	m, ok := c.managers[k]
	if !ok {
		m = oauth.NewManager(cfg, c.st.OAuthTokens(tenant), c.http)
		c.managers[k] = m
	}
	return m
}
