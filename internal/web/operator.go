package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/pontehub/ponte/internal/store"
)

// ErrNotPending is returned when an approval or return finds the integration in another state.
var ErrNotPending = errors.New("web: the integration is not awaiting internal activation")

// ApproveIntegration does the internal activation (SPEC A2): a pending integration becomes
// active and its first cycle is scheduled at once. The operator pages and `ponte operator
// approve` both use it; actor is who approved, for the audit log (A4).
func ApproveIntegration(ctx context.Context, st *store.Store, id store.IntegrationID, actor string) (store.Integration, error) {
	in, err := st.AnyIntegrationByID(ctx, id)
	if err != nil {
		return in, err
	}
	if in.State != store.StatePending {
		return in, ErrNotPending
	}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetIntegrationState(ctx, in.TenantID, in.ID, store.StateActive, ""); err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{TenantID: in.TenantID, IntegrationID: in.ID, Actor: actor,
			Action: "activation.approved", Detail: "Ativação interna feita; os fluxos passam a rodar."})
	})
	return in, err
}

type opRow struct {
	integrationRow
	Users []store.User
	Sync  syncState // "Sincronizar agora" for operators (OP1)
}

type opIntegrationsView struct {
	Pending bool // the activations page, or all integrations
	Rows    []opRow
}

func (s *server) opRows(ctx context.Context, state store.State) ([]opRow, error) {
	ins, err := s.Store.AllIntegrations(ctx, state)
	if err != nil {
		return nil, err
	}
	health, err := s.healthRows(ctx, ins)
	if err != nil {
		return nil, err
	}
	rows := make([]opRow, 0, len(health))
	for _, h := range health {
		t, err := s.Store.TenantByID(ctx, h.In.TenantID)
		if err != nil {
			return nil, err
		}
		h.Tenant = t.Name
		users, err := s.Store.TenantUsers(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		sync, err := s.syncStateOf(ctx, h.In, "/operator/integrations/"+strconv.FormatInt(int64(h.In.ID), 10)+"/sync")
		if err != nil {
			return nil, err
		}
		rows = append(rows, opRow{integrationRow: h, Users: users, Sync: sync})
	}
	return rows, nil
}

// opActivations lists what waits for the internal activation (A2).
func (s *server) opActivations(w http.ResponseWriter, r *http.Request, u *user) error {
	rows, err := s.opRows(r.Context(), store.StatePending)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, "operator.html", "Ativações pendentes", opIntegrationsView{Pending: true, Rows: rows})
}

// opIntegrations lists every tenant's integrations with their health.
func (s *server) opIntegrations(w http.ResponseWriter, r *http.Request, u *user) error {
	rows, err := s.opRows(r.Context(), "")
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, "operator.html", "Todas as integrações", opIntegrationsView{Rows: rows})
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, Errorf(NotFound, "Não encontrado.", nil)
	}
	return id, nil
}

func (s *server) opApprove(w http.ResponseWriter, r *http.Request, u *user) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, err := ApproveIntegration(r.Context(), s.Store, store.IntegrationID(id), u.Email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Errorf(NotFound, "Integração não encontrada.", nil)
	case errors.Is(err, ErrNotPending):
		return s.redirect(w, r, "/operator", "A integração "+strconv.FormatInt(id, 10)+" não está aguardando ativação (está "+in.State.Label()+").")
	case err != nil:
		return err
	}
	return s.redirect(w, r, "/operator", "Integração "+strconv.FormatInt(id, 10)+" ativada.")
}

// opReturn sends a setup back to the tenant with a reason (A2), shown on its integration (A3).
func (s *server) opReturn(w http.ResponseWriter, r *http.Request, u *user) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	reason, msg := cleanText(r.PostFormValue("reason"), 300)
	if msg == "" && reason == "" {
		msg = "Escreva o motivo da devolução: o cliente vai lê-lo."
	}
	if msg != "" {
		return s.redirect(w, r, "/operator", msg)
	}
	ctx := r.Context()
	in, err := s.Store.AnyIntegrationByID(ctx, store.IntegrationID(id))
	if errors.Is(err, store.ErrNotFound) {
		return Errorf(NotFound, "Integração não encontrada.", nil)
	}
	if err != nil {
		return err
	}
	if in.State != store.StatePending {
		return s.redirect(w, r, "/operator", "A integração não está aguardando ativação.")
	}
	if err := s.setState(ctx, u, in, store.StateDraft, "Devolvida pelo suporte: "+reason, "activation.returned", "Devolvida: "+reason); err != nil {
		return err
	}
	return s.redirect(w, r, "/operator", "Integração devolvida ao cliente.")
}

func (s *server) opRecords(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.anyIntegration(r)
	if err != nil {
		return err
	}
	return s.renderRecords(w, r, u, in)
}

// opRecordsExport is the CSV of any tenant's run log (OP3), for operators.
func (s *server) opRecordsExport(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.anyIntegration(r)
	if err != nil {
		return err
	}
	return s.exportRecords(w, r, in)
}

// anyIntegration is the integration named in the path, of any tenant (operators only).
func (s *server) anyIntegration(r *http.Request) (store.Integration, error) {
	id, err := pathID(r)
	if err != nil {
		return store.Integration{}, err
	}
	in, err := s.Store.AnyIntegrationByID(r.Context(), store.IntegrationID(id))
	if errors.Is(err, store.ErrNotFound) {
		return store.Integration{}, Errorf(NotFound, "Integração não encontrada.", nil)
	}
	return in, err
}

// opLocks lists locked records of every tenant (C-A7), each releasable.
func (s *server) opLocks(w http.ResponseWriter, r *http.Request, u *user) error {
	ctx := r.Context()
	locks, err := s.Store.AllLocks(ctx)
	if err != nil {
		return err
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	rows := make([]lockRow, 0, len(locks))
	for _, l := range locks {
		wh := n.of(ctx, l.TenantID, l.IntegrationID)
		row := lockRow{Link: l, Where: wh, Kind: entityLabel(l.Entity), Reason: reasonLabel(n.ins[l.IntegrationID].ERP, l.LockReason)}
		if row.Reason == l.LockReason {
			row.Reason = "Travado pelo motor de sincronização."
		}
		rows = append(rows, row)
	}
	return s.render(w, r, u, http.StatusOK, "locks.html", "Registros travados", rows)
}

// opRelease is "liberar trava": the link is kept as history and both records are matched again.
func (s *server) opRelease(w http.ResponseWriter, r *http.Request, u *user) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	locks, err := s.Store.AllLocks(ctx)
	if err != nil {
		return err
	}
	for _, l := range locks {
		if int64(l.ID) != id {
			continue
		}
		err := s.Store.Tx(ctx, func(tx *store.Tx) error {
			if err := tx.ReleaseLock(ctx, l.TenantID, l.IntegrationID, l.ID, u.Email); err != nil {
				return err
			}
			return tx.Audit(ctx, store.AuditEntry{TenantID: l.TenantID, IntegrationID: l.IntegrationID, Actor: u.Email,
				Action: "lock.released", Detail: "Trava liberada: " + strings.ToLower(entityLabel(l.Entity)) + " " + l.Name + " (Auvo " + l.AuvoID + ", ERP " + l.ERPID + ")."})
		})
		if err != nil {
			return err
		}
		return s.redirect(w, r, "/operator/locks", "Trava liberada.")
	}
	return s.redirect(w, r, "/operator/locks", "Esta trava já foi liberada.")
}

func (s *server) opAudit(w http.ResponseWriter, r *http.Request, u *user) error {
	ctx := r.Context()
	entries, err := s.Store.AllAuditLog(ctx, 500)
	if err != nil {
		return err
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	rows := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, auditRow{AuditEntry: e, Where: n.of(ctx, e.TenantID, e.IntegrationID), What: auditLabel(e.Action)})
	}
	return s.render(w, r, u, http.StatusOK, "audit.html", "Auditoria", auditView{Entries: rows})
}

// opResend is support resending a provisional password (P3).
func (s *server) opResend(w http.ResponseWriter, r *http.Request, u *user) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	acc, err := s.Store.UserByID(ctx, store.UserID(id))
	if errors.Is(err, store.ErrNotFound) {
		return Errorf(NotFound, "Usuário não encontrado.", nil)
	}
	if err != nil {
		return err
	}
	if !acc.MustChange {
		return s.redirect(w, r, "/operator/integrations", acc.Email+" já escolheu a própria senha; peça que use “Esqueci minha senha”.")
	}
	if err := s.newPassword(ctx, acc, u.Email); err != nil {
		return err
	}
	return s.redirect(w, r, "/operator/integrations", "Senha provisória reenviada para "+acc.Email+".")
}

// CreateOperator adds an operator account (SPEC P6) with a generated password, which it returns
// so `ponte operator create` can print it once; it must be changed at the first login.
func CreateOperator(ctx context.Context, st *store.Store, email string) (string, error) {
	email, msg := cleanEmail(email)
	if msg != "" {
		return "", errors.New(msg)
	}
	password := generatePassword()
	u, err := st.CreateUser(ctx, 0, email, hashPassword(password), true)
	if errors.Is(err, store.ErrConflict) {
		return "", errors.New("Já existe uma conta com este e-mail.")
	}
	if err != nil {
		return "", err
	}
	if err := st.Audit(ctx, store.AuditEntry{Actor: "linha de comando", Action: "operator.created", Detail: "Operador " + u.Email + " criado."}); err != nil {
		return "", err
	}
	return password, nil
}
