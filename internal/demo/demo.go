// Package demo prepares what `ponte demo` shows: a demo company with fixed logins, an active
// Auvo ⇄ Omie integration and Conta Azul and Bling ones already connected, all pointed at the
// in-process partner sandboxes, which it seeds with the tricky cases of SPEC §5 so the run log
// shows every kind of outcome within the first minute.
//
// The database outlives the process; the sandboxes do not. A second start therefore finds the
// company, its logins and integrations in the database, seeds the sandboxes again with the same
// accounts and keys (their demo data is deterministic), connects the OAuth accounts again and
// starts the sync over: the links of the last run point at records the fresh sandboxes no longer
// hold, so they are released (kept as history) and the flow cursors cleared.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/bling/blingsandbox"
	"github.com/pontehub/ponte/internal/connector"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/web"
)

// The demo's fixed logins, printed at start. They are for a local demo only: anyone who reads
// this file knows them.
const (
	TenantName       = "Refrigeração Demonstração Ltda"
	TenantEmail      = "demo@ponte.local"
	TenantPassword   = "demo-ponte-2026"
	OperatorEmail    = "operador@ponte.local"
	OperatorPassword = "operador-ponte-2026"
)

// actor is how the demo's own changes appear in the audit log (SPEC A4).
const actor = "ponte demo"

// Sandboxes are the in-process partner simulators the demo's integrations talk to.
type Sandboxes struct {
	Auvo      *auvosandbox.Server
	Omie      *omiesandbox.Server
	ContaAzul *contaazulsandbox.Sandbox
	Bling     *blingsandbox.Sandbox
}

// Deps are what Setup needs: the App's store and connector (the same ones the engine and the
// portal use), the sandboxes, and the portal's public URL for the OAuth redirects.
type Deps struct {
	Store     *store.Store
	Connector *connector.Connector
	Sandboxes Sandboxes
	BaseURL   string
	Log       *slog.Logger
}

// Demo is the prepared demo company.
type Demo struct {
	Tenant store.TenantID
	// Omie, ContaAzul and Bling are the company's integrations, one per ERP.
	Omie, ContaAzul, Bling store.IntegrationID
	// Restarted is set when the company was found in the database from an earlier start.
	Restarted bool

	d       Deps
	omieK   string    // the Omie demo account's app key
	started time.Time // when Setup ran: cycles before it are an earlier start's
}

// Setup finds or creates the demo company, seeds the sandboxes and makes the integrations ready
// to run. Call it after the App is built and before it runs, so the first cycle sees the data.
func Setup(ctx context.Context, d Deps) (*Demo, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	sb := d.Sandboxes
	if sb.Auvo == nil || sb.Omie == nil || sb.ContaAzul == nil || sb.Bling == nil {
		return nil, errors.New("demo: every partner sandbox is needed")
	}
	omieAcc := sb.Omie.DemoAccount()
	if omieAcc.AppKey == "" {
		return nil, errors.New("demo: the Omie sandbox has no demo account (Options.Demo)")
	}
	dm := &Demo{d: d, omieK: omieAcc.AppKey, started: time.Now().Truncate(time.Second)}
	if err := dm.accounts(ctx); err != nil {
		return nil, err
	}
	if err := seedSandboxes(sb, omieAcc.AppKey); err != nil {
		return nil, err
	}
	ins, err := d.Store.Integrations(ctx, dm.Tenant)
	if err != nil {
		return nil, err
	}
	plan, err := dm.plans(omieAcc)
	if err != nil {
		return nil, err
	}
	for _, p := range plan {
		id, err := dm.integration(ctx, ins, p)
		if err != nil {
			return nil, fmt.Errorf("demo: Auvo ⇄ %s: %w", p.erp.Label(), err)
		}
		switch p.erp {
		case store.Omie:
			dm.Omie = id
		case store.ContaAzul:
			dm.ContaAzul = id
		case store.Bling:
			dm.Bling = id
		}
	}
	return dm, nil
}

// accounts finds or creates the company and its two fixed logins. Neither must change its
// password: P2 is about e-mailed passwords, and these are printed on purpose.
func (dm *Demo) accounts(ctx context.Context) error {
	st := dm.d.Store
	u, err := st.UserByEmail(ctx, TenantEmail)
	switch {
	case err == nil:
		dm.Tenant, dm.Restarted = u.TenantID, true
	case errors.Is(err, store.ErrNotFound):
		t, err := st.CreateTenant(ctx, TenantName)
		if err != nil {
			return err
		}
		dm.Tenant = t.ID
		if err := fixedLogin(ctx, st, t.ID, TenantEmail, TenantPassword, false); err != nil {
			return err
		}
	default:
		return err
	}
	if _, err := st.UserByEmail(ctx, OperatorEmail); errors.Is(err, store.ErrNotFound) {
		return fixedLogin(ctx, st, 0, OperatorEmail, OperatorPassword, true)
	} else if err != nil {
		return err
	}
	return nil
}

func fixedLogin(ctx context.Context, st *store.Store, tenant store.TenantID, email, password string, operator bool) error {
	hash := web.HashPassword(password)
	u, err := st.CreateUser(ctx, tenant, email, hash, operator)
	if err != nil {
		return fmt.Errorf("demo: login %s: %w", email, err)
	}
	// CreateUser marks the password as one to change at first login (P2); this one is not.
	return st.SetPassword(ctx, u.ID, hash, false)
}

// plan is one integration the demo company has: its keys, choices and state.
type plan struct {
	erp   store.ERP
	cfg   store.Config
	cr    store.Credentials
	state store.State
}

// The Auvo accounts of the Conta Azul and Bling integrations. Each integration needs an Auvo
// account of its own: the external code of an Auvo customer holds one ERP's id.
const (
	contaAzulAuvoKey, contaAzulAuvoToken = "demo-contaazul-api-key", "demo-contaazul-api-token"
	blingAuvoKey, blingAuvoToken         = "demo-bling-api-key", "demo-bling-api-token"
	blingAccount                         = int64(1) // the Bling sandbox's first demo account
)

// plans lists the integrations: Omie active with every flow; Conta Azul active; Bling connected
// and waiting for the internal activation, so the operator login has something to approve.
func (dm *Demo) plans(omieAcc omiesandbox.Account) ([]plan, error) {
	sb := dm.d.Sandboxes
	cfg, err := omieChoices(sb.Omie, omieAcc.AppKey)
	if err != nil {
		return nil, err
	}
	return []plan{
		{erp: store.Omie, cfg: cfg, state: store.StateActive, cr: store.Credentials{
			AuvoAPIKey: auvosandbox.DemoAPIKey, AuvoAPIToken: auvosandbox.DemoAPIToken,
			OmieAppKey: omieAcc.AppKey, OmieAppSecret: omieAcc.AppSecret}},
		{erp: store.ContaAzul, state: store.StateActive,
			cr: store.Credentials{AuvoAPIKey: contaAzulAuvoKey, AuvoAPIToken: contaAzulAuvoToken}},
		{erp: store.Bling, state: store.StatePending,
			cr: store.Credentials{AuvoAPIKey: blingAuvoKey, AuvoAPIToken: blingAuvoToken}},
	}, nil
}

// omieChoices picks the Omie demo account's first open bank account, sales category and stock
// location (S7–S9), and turns tasks and quotations on (S2: finished tasks; S5: the first stage).
func omieChoices(o *omiesandbox.Server, appKey string) (store.Config, error) {
	cfg := store.Config{TaskStatus: "3"}
	if st := auvosandbox.Stages(); len(st) > 0 {
		cfg.QuoteStatus = st[0].Description
	}
	for _, c := range o.ContasCorrentes(appKey) {
		// The setup page offers only open accounts (S7): a closed one would show as a saved
		// choice no longer offered.
		if c.Inativo.Bool() {
			continue
		}
		cfg.BankAccount, cfg.BankAccountName = c.NCodCC, c.Descricao
		break
	}
	for _, c := range o.Categorias(appKey) {
		if strings.Count(c.Codigo, ".") == 2 {
			cfg.Category, cfg.CategoryName = c.Codigo, c.Descricao
			break
		}
	}
	for _, l := range o.Locations(appKey) {
		cfg.StockLocation, cfg.StockLocationName = l.CodigoLocalEstoque, l.Descricao
		break
	}
	if cfg.BankAccount == 0 || cfg.Category == "" || cfg.StockLocation == 0 {
		return cfg, errors.New("demo: the Omie demo account lacks a bank account, category or stock location")
	}
	return cfg, nil
}

// integration makes one planned integration ready: created and configured on the first start;
// on a later one, its stored keys checked against the sandboxes' (and put right), its sync state
// started over. Either way its OAuth account is connected again, since the sandbox forgot the
// tokens.
func (dm *Demo) integration(ctx context.Context, existing []store.Integration, p plan) (store.IntegrationID, error) {
	st := dm.d.Store
	var in *store.Integration
	for i := range existing {
		if existing[i].ERP == p.erp {
			in = &existing[i]
			break
		}
	}
	if in == nil {
		created, err := st.CreateIntegration(ctx, dm.Tenant, p.erp)
		if err != nil {
			return 0, err
		}
		if err := st.SaveIntegrationSetup(ctx, dm.Tenant, created.ID, p.cfg, p.cr); err != nil {
			return 0, err
		}
		if err := st.SetIntegrationState(ctx, dm.Tenant, created.ID, p.state, ""); err != nil {
			return 0, err
		}
		if err := dm.audit(ctx, created.ID, "demo.created", "Integração de demonstração criada e configurada ("+p.state.Label()+")."); err != nil {
			return 0, err
		}
		in = &created
	} else {
		if in.Credentials != p.cr {
			// Someone changed the keys in the portal: the sandboxes only know these.
			if err := st.SaveIntegrationSetup(ctx, dm.Tenant, in.ID, in.Config, p.cr); err != nil {
				return 0, err
			}
			dm.d.Log.Warn("demo: restored the sandbox credentials of an integration", "integration_id", in.ID)
		}
		if err := dm.startOver(ctx, in.ID, p.erp); err != nil {
			return 0, err
		}
	}
	return in.ID, dm.connect(ctx, in.ID, p.erp)
}

// linkedEntities are every kind of link the flows keep.
var linkedEntities = []store.Entity{store.EntityCustomer, store.EntityProduct, store.EntityService, store.EntityTaskOS,
	store.EntityTaskOrder, store.EntityQuote, store.EntityQuoteOrder, store.EntityQuoteOS}

// startOver releases the integration's links and clears its flow cursors: the fresh sandboxes
// hold none of the records they name, and keeping them would lock every customer (C-A7).
// Released links stay as history, like a lock an operator released.
func (dm *Demo) startOver(ctx context.Context, id store.IntegrationID, erp store.ERP) error {
	st := dm.d.Store
	n := 0
	for _, e := range linkedEntities {
		links, err := st.Links(ctx, dm.Tenant, id, e)
		if err != nil {
			return err
		}
		for _, l := range links {
			if err := st.SetLinkState(ctx, dm.Tenant, l.ID, store.LinkReleased, "demo_restart", actor); err != nil {
				return err
			}
			n++
		}
	}
	for _, f := range store.FlowsFor(erp) {
		if err := st.SaveFlowCursor(ctx, dm.Tenant, id, f, "", time.Time{}); err != nil {
			return err
		}
	}
	if n > 0 {
		return dm.audit(ctx, id, "demo.restarted", fmt.Sprintf("Demonstração reiniciada: os simuladores começam do zero; %d vínculo(s) da execução anterior liberados.", n))
	}
	return nil
}

// connect authorises the ERP account in its sandbox, as a person approving Conectar would, and
// stores the tokens the way the portal's callback does (S10).
func (dm *Demo) connect(ctx context.Context, id store.IntegrationID, erp store.ERP) error {
	sb := dm.d.Sandboxes
	redirect := strings.TrimSuffix(dm.d.BaseURL, "/") + connector.OAuthCallbackPath(erp)
	var (
		code string
		err  error
	)
	switch erp {
	case store.ContaAzul:
		if err = sb.ContaAzul.SetRedirectURI(contaazulsandbox.DemoClientID, redirect); err == nil {
			code, err = sb.ContaAzul.IssueCode(contaazulsandbox.DemoClientID, contaazulsandbox.DemoAccountID)
		}
	case store.Bling:
		if err = sb.Bling.SetRedirectURI(blingsandbox.DemoClientID, redirect); err == nil {
			code, err = sb.Bling.IssueCode(blingsandbox.DemoClientID, blingAccount)
		}
	default:
		return nil
	}
	if err != nil {
		return err
	}
	m := dm.d.Connector.OAuth(erp, dm.Tenant)
	if m.Config().ClientID == "" {
		return fmt.Errorf("no OAuth client configured for %s (PONTE_%s_CLIENT_ID)", erp.Label(), strings.ToUpper(string(erp)))
	}
	if _, err := m.Exchange(ctx, store.OAuthConnKey(id), code); err != nil {
		return fmt.Errorf("connecting %s: %w", erp.Label(), err)
	}
	return dm.audit(ctx, id, "oauth.connected", "Conta "+erp.Label()+" de demonstração conectada.")
}

func (dm *Demo) audit(ctx context.Context, id store.IntegrationID, action, detail string) error {
	return dm.d.Store.Audit(ctx, store.AuditEntry{TenantID: dm.Tenant, IntegrationID: id, Actor: actor, Action: action, Detail: detail})
}
