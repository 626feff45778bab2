package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"

	"github.com/pontehub/ponte/internal/connector"
	"github.com/pontehub/ponte/internal/store"
)

// integrationActivate asks for the internal activation (SPEC A1): a complete setup moves to
// "aguardando ativação interna", where an operator reviews it (A2).
func (s *server) integrationActivate(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	ctx := r.Context()
	connected := false
	if in.ERP != store.Omie {
		needs, ok, err := s.Store.OAuthTokens(u.TenantID).NeedsReconnect(ctx, store.OAuthConnKey(in.ID))
		if err != nil {
			return err
		}
		connected = ok && !needs
	}
	if in.State != store.StateDraft && in.State != store.StateError {
		return s.redirect(w, r, integrationPath(in.ID), "A integração já está "+in.State.Label()+".")
	}
	if m := missing(in, connected); m != "" {
		return s.redirect(w, r, integrationPath(in.ID), "Ainda não é possível ativar: "+m)
	}
	if m := s.staleChoices(ctx, in); m != "" {
		return s.redirect(w, r, integrationPath(in.ID), "Ainda não é possível ativar: "+m)
	}
	if err := s.setState(ctx, u, in, store.StatePending, "", "activation.requested", "Ativação solicitada; aguardando ativação interna."); err != nil {
		return err
	}
	return s.redirect(w, r, integrationPath(in.ID), "Integração enviada para a ativação interna. Avisaremos quando estiver ativa.")
}

// setState changes the state and writes the audit entry in one transaction.
func (s *server) setState(ctx context.Context, u *user, in store.Integration, st store.State, reason, action, detail string) error {
	return s.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetIntegrationState(ctx, in.TenantID, in.ID, st, reason); err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{TenantID: in.TenantID, IntegrationID: in.ID, Actor: u.Email, Action: action, Detail: detail})
	})
}

// integrationPause stops every flow of an active integration until resumed (A3 "pausada").
func (s *server) integrationPause(w http.ResponseWriter, r *http.Request, u *user) error {
	return s.transition(w, r, u, store.StateActive, store.StatePaused, "Pausada por "+u.Email+".", "integration.paused",
		"Integração pausada: nenhum fluxo roda até você retomar.", "Só uma integração ativa pode ser pausada.")
}

// integrationResume restarts a paused integration; it was approved before, so it goes straight
// back to active.
func (s *server) integrationResume(w http.ResponseWriter, r *http.Request, u *user) error {
	return s.transition(w, r, u, store.StatePaused, store.StateActive, "", "integration.resumed",
		"Integração retomada.", "A integração não está pausada.")
}

// transition moves the integration from one state to another on the user's request, audited.
func (s *server) transition(w http.ResponseWriter, r *http.Request, u *user, from, to store.State, reason, action, done, refused string) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	if in.State != from {
		return s.redirect(w, r, integrationPath(in.ID), refused)
	}
	if err := s.setState(r.Context(), u, in, to, reason, action, done); err != nil {
		return err
	}
	return s.redirect(w, r, integrationPath(in.ID), done)
}

const oauthCookie = "ponte_oauth"

// oauthConnect starts Conectar (S10): the browser goes to the ERP's consent page with a state
// that names the integration and carries a random value also kept in a cookie, so the answer is
// accepted only in the browser that asked.
func (s *server) oauthConnect(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	m := s.Connector.OAuth(in.ERP, u.TenantID)
	if m == nil {
		return Errorf(NotFound, "Esta integração não usa Conectar.", nil)
	}
	nonce := randomToken()
	http.SetCookie(w, s.cookie(oauthCookie, nonce, 15*60))
	http.Redirect(w, r, m.AuthCodeURL(strconv.FormatInt(int64(in.ID), 10)+"."+nonce), http.StatusSeeOther)
	return nil
}

// oauthCallback receives the consent's code and stores the tokens (sealed) for the integration.
func (s *server) oauthCallback(w http.ResponseWriter, r *http.Request, u *user) error {
	q := r.URL.Query()
	idPart, nonce, _ := strings.Cut(q.Get("state"), ".")
	c, cerr := r.Cookie(oauthCookie)
	http.SetCookie(w, s.cookie(oauthCookie, "", -1))
	if cerr != nil || nonce == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(nonce)) != 1 {
		return Errorf(Invalid, "A resposta da autorização não corresponde a um pedido deste navegador. Clique em Conectar de novo.", nil)
	}
	r.SetPathValue("id", idPart)
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	if connector.OAuthCallbackPath(in.ERP) != r.URL.Path {
		return Errorf(Invalid, "A resposta da autorização veio para a integração errada. Clique em Conectar de novo.", nil)
	}
	if e := q.Get("error"); e != "" {
		return s.redirect(w, r, integrationPath(in.ID), "A conexão com o "+in.ERP.Label()+" não foi autorizada ("+e+").")
	}
	ctx := r.Context()
	if _, err := s.Connector.OAuth(in.ERP, u.TenantID).Exchange(ctx, store.OAuthConnKey(in.ID), q.Get("code")); err != nil {
		s.Log.Warn("oauth exchange failed", "tenant_id", in.TenantID, "integration_id", in.ID, "partner", in.ERP, "err", err)
		return s.redirect(w, r, integrationPath(in.ID), "O "+in.ERP.Label()+" não aceitou a autorização. Clique em Conectar de novo.")
	}
	if err := s.audit(ctx, u, in, "oauth.connected", "Conta "+in.ERP.Label()+" conectada."); err != nil {
		return err
	}
	return s.redirect(w, r, integrationPath(in.ID), "Conta "+in.ERP.Label()+" conectada.")
}

// staleChoices checks S7–S9 again at activation: the bank account, category and stock location
// were among the company's when saved, but may have been closed or removed in Omie since, and
// every sale and service order would then be refused (or worse, booked where the company no
// longer wants it). It returns what to fix, or "" when the choices still stand.
func (s *server) staleChoices(ctx context.Context, in store.Integration) string {
	if in.ERP != store.Omie {
		return ""
	}
	l, err := loadOmieLists(ctx, s.Connector.Omie(in.Credentials))
	if err != nil {
		return "não foi possível conferir a conta corrente, a categoria e o local de estoque no Omie (" +
			partnerMessage("Omie", err) + "). Tente de novo em instantes."
	}
	c := in.Config
	var gone []string
	for _, ch := range []struct {
		what, value, name string
		list              []option
	}{
		{"a conta corrente", strconv.FormatInt(c.BankAccount, 10), c.BankAccountName, l.Accounts},
		{"a categoria", c.Category, c.CategoryName, l.Categories},
		{"o local de estoque", strconv.FormatInt(c.StockLocation, 10), c.StockLocationName, l.Locations},
	} {
		if !l.has(ch.list, ch.value) {
			name := ch.name
			if name == "" {
				name = ch.value
			}
			gone = append(gone, ch.what+" “"+name+"”")
		}
	}
	if len(gone) == 0 {
		return ""
	}
	if len(gone) == 1 {
		return gone[0] + " não existe mais ou foi inativada no Omie. Escolha outra opção e salve."
	}
	return strings.Join(gone, ", ") + " não existem mais ou foram inativadas no Omie. Escolha outras opções e salve."
}
