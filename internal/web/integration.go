package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/store"
)

// catalogue is "Escolha sua integração" (SPEC §2).
func catalogue() []store.ERP { return []store.ERP{store.Omie, store.ContaAzul, store.Bling} }

type homeView struct {
	Catalogue    []store.ERP // on a tenant's home, only the ERPs it does not integrate yet
	Integrations []integrationRow
	Period       string // the sync period in words
}

// integrationRow is one integration with what the user must know about its health (A3, V3).
type integrationRow struct {
	In             store.Integration
	LastCycle      *store.Cycle
	NeedsReconnect bool
	Health         health
	Tenant         string // operator pages only
}

func (s *server) tenantHome(w http.ResponseWriter, r *http.Request, u *user) error {
	ins, err := s.Store.Integrations(r.Context(), u.TenantID)
	if err != nil {
		return err
	}
	rows, err := s.healthRows(r.Context(), ins)
	if err != nil {
		return err
	}
	// One integration per ERP (integrationCreate): the catalogue offers only the others.
	var rest []store.ERP
	for _, e := range catalogue() {
		if !slices.ContainsFunc(ins, func(in store.Integration) bool { return in.ERP == e }) {
			rest = append(rest, e)
		}
	}
	return s.render(w, r, u, http.StatusOK, "home.html", "Início", homeView{Catalogue: rest, Integrations: rows, Period: period(s.PollInterval)})
}

// healthRows adds the last cycle and the OAuth state to each integration.
func (s *server) healthRows(ctx context.Context, ins []store.Integration) ([]integrationRow, error) {
	rows := make([]integrationRow, 0, len(ins))
	for _, in := range ins {
		row := integrationRow{In: in}
		cs, err := s.Store.Cycles(ctx, in.TenantID, in.ID, 1)
		if err != nil {
			return nil, err
		}
		var runs []store.Run
		if len(cs) > 0 {
			row.LastCycle = &cs[0]
			if runs, err = s.Store.Runs(ctx, in.TenantID, in.ID, "", len(store.FlowsFor(in.ERP)), 0); err != nil {
				return nil, err
			}
		}
		if in.ERP != store.Omie {
			needs, _, err := s.Store.OAuthTokens(in.TenantID).NeedsReconnect(ctx, store.OAuthConnKey(in.ID))
			if err != nil {
				return nil, err
			}
			row.NeedsReconnect = needs
		}
		row.Health = healthOf(in, row.LastCycle, runs, row.NeedsReconnect, time.Now(), s.PollInterval)
		rows = append(rows, row)
	}
	return rows, nil
}

// integration loads the integration named in the path, only among the user's tenant's (P5).
func (s *server) integration(r *http.Request, u *user) (store.Integration, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return store.Integration{}, Errorf(NotFound, "Integração não encontrada.", nil)
	}
	in, err := s.Store.IntegrationByID(r.Context(), u.TenantID, store.IntegrationID(id))
	if errors.Is(err, store.ErrNotFound) {
		return in, Errorf(NotFound, "Integração não encontrada.", nil)
	}
	return in, err
}

func integrationPath(id store.IntegrationID) string { return fmt.Sprintf("/integrations/%d", id) }

// integrationCreate opens setup for an ERP of the catalogue: a company has one integration per
// ERP, so choosing it again opens the existing one.
func (s *server) integrationCreate(w http.ResponseWriter, r *http.Request, u *user) error {
	erp := store.ERP(r.PostFormValue("erp"))
	valid := false
	for _, e := range catalogue() {
		valid = valid || e == erp
	}
	if !valid {
		return Errorf(Invalid, "Escolha uma integração do catálogo.", nil)
	}
	ctx := r.Context()
	ins, err := s.Store.Integrations(ctx, u.TenantID)
	if err != nil {
		return err
	}
	for _, in := range ins {
		if in.ERP == erp {
			return s.redirect(w, r, integrationPath(in.ID), "Você já tem a integração Auvo ⇄ "+erp.Label()+
				": abrimos a que existe. Uma empresa tem uma integração por ERP, para não duplicar clientes e pedidos.")
		}
	}
	in, err := s.Store.CreateIntegration(ctx, u.TenantID, erp)
	if err != nil {
		return err
	}
	if err := s.audit(ctx, u, in, "integration.created", "Integração Auvo ⇄ "+erp.Label()+" criada."); err != nil {
		return err
	}
	return s.redirect(w, r, integrationPath(in.ID), "")
}

func (s *server) audit(ctx context.Context, u *user, in store.Integration, action, detail string) error {
	return s.Store.Audit(ctx, store.AuditEntry{TenantID: in.TenantID, IntegrationID: in.ID, Actor: u.Email, Action: action, Detail: detail})
}

// setupView is the setup page.
type setupView struct {
	In             store.Integration
	Form           setupForm
	Errors         fieldErrors
	Saved          map[string]bool   // a secret is stored: the field shows a mask
	Sealed         map[string]string // a secret typed in this attempt, encrypted for the next one
	Lists          *omieLists
	AuvoLists      *auvoLists        // task types, customer groups, stages; nil: typed fields
	SavedNames     map[string]string // the stored names of the Omie choices, for one no longer offered
	OK             []string          // what the connection test confirmed
	Connected      bool              // OAuth (S10)
	NeedsReconnect bool
	ReconnectWhy   string
	Missing        string // why the integration cannot be activated yet ("" = it can)
	LastCycle      *store.Cycle
	Health         health
	Period         string    // the sync period in words
	Sync           syncState // "Sincronizar agora" (OP1)
}

func savedSecrets(cr store.Credentials) map[string]bool {
	return map[string]bool{"auvo_api_key": cr.AuvoAPIKey != "", "auvo_api_token": cr.AuvoAPIToken != "",
		"omie_app_key": cr.OmieAppKey != "", "omie_app_secret": cr.OmieAppSecret != ""}
}

func (s *server) integrationShow(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	v := setupView{In: in, Form: formFromIntegration(in), Errors: fieldErrors{}, Saved: savedSecrets(in.Credentials)}
	if in.ERP == store.Omie && in.Credentials.OmieAppKey != "" {
		// The selects need the company's lists; a failure is shown, the page still opens.
		c := s.Connector.Omie(in.Credentials)
		if lists, err := loadOmieLists(r.Context(), c); err != nil {
			v.Errors.add("omie_lists", "Não foi possível carregar as listas do Omie: "+partnerMessage("Omie", err))
		} else {
			v.Lists = lists
		}
	}
	if in.ERP == store.Omie && in.Credentials.AuvoAPIKey != "" && in.Credentials.AuvoAPIToken != "" {
		// Without the lists the fields stay typed: the page opens all the same.
		v.AuvoLists, _ = loadAuvoLists(r.Context(), s.Connector.Auvo(in.Credentials))
	}
	return s.renderSetup(w, r, u, http.StatusOK, v)
}

func (s *server) renderSetup(w http.ResponseWriter, r *http.Request, u *user, status int, v setupView) error {
	ctx := r.Context()
	if v.In.ERP != store.Omie {
		needs, connected, err := s.Store.OAuthTokens(u.TenantID).NeedsReconnect(ctx, store.OAuthConnKey(v.In.ID))
		if err != nil {
			return err
		}
		v.Connected, v.NeedsReconnect = connected && !needs, needs
	}
	v.Missing = missing(v.In, v.Connected)
	v.SavedNames = savedNames(v.In.Config, v.Form)
	cs, err := s.Store.Cycles(ctx, u.TenantID, v.In.ID, 1)
	if err != nil {
		return err
	}
	var runs []store.Run
	if len(cs) > 0 {
		v.LastCycle = &cs[0]
		if runs, err = s.Store.Runs(ctx, u.TenantID, v.In.ID, "", len(store.FlowsFor(v.In.ERP)), 0); err != nil {
			return err
		}
	}
	v.Health, v.Period = healthOf(v.In, v.LastCycle, runs, v.NeedsReconnect, time.Now(), s.PollInterval), period(s.PollInterval)
	if v.Sync, err = s.syncStateOf(ctx, v.In, "/integrations/"+strconv.FormatInt(int64(v.In.ID), 10)+"/sync"); err != nil {
		return err
	}
	return s.render(w, r, u, status, "integration.html", "Auvo ⇄ "+v.In.ERP.Label(), v)
}

// missing says what keeps a saved setup from activation (A1 needs a complete configuration).
func missing(in store.Integration, connected bool) string {
	cr, c := in.Credentials, in.Config
	switch {
	case cr.AuvoAPIKey == "" || cr.AuvoAPIToken == "":
		return "Salve as chaves do Auvo."
	case in.ERP == store.Omie && (cr.OmieAppKey == "" || cr.OmieAppSecret == "" || c.TaskStatus == "" || c.QuoteStatus == "" ||
		c.BankAccount == 0 || c.Category == "" || c.StockLocation == 0):
		return "Preencha e salve todos os campos obrigatórios."
	case in.ERP != store.Omie && !connected:
		return "Conecte a sua conta " + in.ERP.Label() + "."
	}
	return ""
}

// liveFields are the fields the connection test speaks about; the others wait for "Salvar".
var liveFields = map[string]bool{"auvo": true, "auvo_api_key": true, "auvo_api_token": true, "omie_app_key": true,
	"omie_app_secret": true, "omie_lists": true}

// integrationSave tests the connection (action=test) or saves the setup (S1–S9, S11, S12):
// parse → resolve secrets → check → verify with the partners → re-render or save → flash → 303.
func (s *server) integrationSave(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	ctx := r.Context()
	testOnly := r.PostFormValue("action") == "test"
	f, errs := parseSetup(r)
	v := setupView{In: in, Errors: errs, Saved: savedSecrets(in.Credentials), Sealed: map[string]string{}}
	stored := formSecrets(in.Credentials)
	for _, name := range secretFields {
		p := f.secret(name)
		if *p == "" {
			if kept, err := s.sealer.open(name, r.PostFormValue("sealed_"+name)); err == nil && kept != "" {
				*p = kept
			} else {
				*p = stored[name]
			}
		}
		if *p != "" && *p != stored[name] {
			v.Sealed[name] = s.sealer.seal(name, *p)
		}
	}
	f.check(in.ERP, errs)
	res := s.verify(ctx, in.ERP, f, errs)
	v.Lists = res.Lists
	if in.ERP == store.Omie && res.AuvoOK {
		v.AuvoLists, _ = loadAuvoLists(ctx, s.Connector.Auvo(store.Credentials{AuvoAPIKey: f.AuvoAPIKey, AuvoAPIToken: f.AuvoAPIToken}))
	}
	if in.ERP == store.Omie && !testOnly {
		checkSelects(f, res.Lists, errs)
	}
	if testOnly {
		for k := range errs {
			if !liveFields[k] {
				delete(errs, k)
			}
		}
		if res.AuvoOK {
			v.OK = append(v.OK, "Conexão com o Auvo confirmada.")
		}
		if res.OmieOK {
			v.OK = append(v.OK, "Conexão com o Omie confirmada; listas carregadas.")
		}
	}
	v.Form = f
	if testOnly || len(errs) > 0 {
		status := http.StatusOK
		if len(errs) > 0 {
			status = http.StatusUnprocessableEntity
		}
		return s.renderSetup(w, r, u, status, v)
	}
	cfg := configOf(in.ERP, f, res.Lists)
	cr := store.Credentials{AuvoAPIKey: f.AuvoAPIKey, AuvoAPIToken: f.AuvoAPIToken}
	if in.ERP == store.Omie {
		cr.OmieAppKey, cr.OmieAppSecret = f.OmieAppKey, f.OmieAppSecret
	}
	if err := s.Store.SaveIntegrationSetup(ctx, u.TenantID, in.ID, cfg, cr); err != nil {
		return err
	}
	if err := s.audit(ctx, u, in, "config.saved", describeConfig(in.ERP, cfg, cr != in.Credentials)); err != nil {
		return err
	}
	if in.State == store.StateError {
		// The keys were just verified with the partners (above): an integration stopped for
		// rejected credentials runs again by itself. Only a different Omie company needs the
		// operator's internal activation again (A2), since it was never reviewed.
		st, action, msg := store.StateActive, "integration.resumed", "Configuração salva. As chaves foram aceitas e a integração voltou a rodar."
		if in.ERP == store.Omie && in.Credentials.OmieAppKey != "" && cr.OmieAppKey != in.Credentials.OmieAppKey {
			st, action, msg = store.StatePending, "activation.requested",
				"Configuração salva. Como a conta do Omie mudou, a integração aguarda a ativação interna pelo suporte."
		}
		if err := s.setState(ctx, u, in, st, "", action, msg); err != nil {
			return err
		}
		return s.redirect(w, r, integrationPath(in.ID), msg)
	}
	return s.redirect(w, r, integrationPath(in.ID), "Configuração salva.")
}

func formSecrets(cr store.Credentials) map[string]string {
	return map[string]string{"auvo_api_key": cr.AuvoAPIKey, "auvo_api_token": cr.AuvoAPIToken,
		"omie_app_key": cr.OmieAppKey, "omie_app_secret": cr.OmieAppSecret}
}

// checkSelects applies S7–S9: one bank account, category and stock location of the company.
func checkSelects(f setupForm, l *omieLists, errs fieldErrors) {
	for _, sel := range []struct {
		field, value, missing string
		list                  func(*omieLists) []option
	}{
		{"bank_account", f.BankAccount, "Selecione uma conta corrente.", func(l *omieLists) []option { return l.Accounts }},
		{"category", f.Category, "Selecione uma categoria.", func(l *omieLists) []option { return l.Categories }},
		{"stock_location", f.StockLocation, "Selecione um local de estoque.", func(l *omieLists) []option { return l.Locations }},
	} {
		switch {
		case sel.value == "":
			errs.add(sel.field, sel.missing)
		case l != nil && !l.has(sel.list(l), sel.value):
			errs.add(sel.field, "Esta opção não existe mais no Omie. "+sel.missing)
		}
	}
}

func configOf(erp store.ERP, f setupForm, l *omieLists) store.Config {
	if erp != store.Omie {
		return store.Config{}
	}
	c := store.Config{TaskStatus: f.TaskStatus, TaskType: f.TaskType, CustomerGroup: f.CustomerGroup, QuoteStatus: f.QuoteStatus,
		Category: f.Category}
	c.BankAccount, _ = strconv.ParseInt(f.BankAccount, 10, 64)
	c.StockLocation, _ = strconv.ParseInt(f.StockLocation, 10, 64)
	if l != nil {
		c.BankAccountName, c.CategoryName, c.StockLocationName = label(l.Accounts, f.BankAccount), label(l.Categories, f.Category), label(l.Locations, f.StockLocation)
	}
	return c
}

// describeConfig is the audit text of a save: the choices, and whether keys changed, never the
// keys themselves.
func describeConfig(erp store.ERP, c store.Config, keysChanged bool) string {
	var b strings.Builder
	b.WriteString("Configuração salva")
	if erp == store.Omie {
		fmt.Fprintf(&b, ": status da tarefa %s, tipo %q, grupo %q, status dos orçamentos %q, conta corrente %d, categoria %s, local de estoque %d",
			c.TaskStatus, c.TaskType, c.CustomerGroup, c.QuoteStatus, c.BankAccount, c.Category, c.StockLocation)
	}
	if keysChanged {
		b.WriteString("; chaves de API alteradas")
	}
	b.WriteString(".")
	return b.String()
}
