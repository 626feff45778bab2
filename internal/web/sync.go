package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/pontehub/ponte/internal/jobs"
	"github.com/pontehub/ponte/internal/store"
)

// syncState is what the "Sincronizar agora" button shows (SPEC OP1): whether it may be pressed,
// and if not why, or from when.
type syncState struct {
	IntegrationID store.IntegrationID
	Action        string // where the form posts
	Allowed       bool
	Reason        string    // why it may not, in Portuguese
	NextAt        time.Time // when it may be pressed again, after a recent one
}

// syncStateOf reads the integration's state and its last manual cycle.
func (s *server) syncStateOf(ctx context.Context, in store.Integration, action string) (syncState, error) {
	st := syncState{IntegrationID: in.ID, Action: action}
	switch in.State {
	case store.StateActive:
	case store.StatePaused:
		st.Reason = "A integração está pausada: retome-a para sincronizar."
		return st, nil
	case store.StatePending:
		st.Reason = "A integração aguarda a ativação interna pelo suporte; a sincronização começa depois dela."
		return st, nil
	case store.StateError:
		st.Reason = "A integração está com erro: corrija a configuração e ative-a de novo para sincronizar."
		return st, nil
	default:
		st.Reason = "Conclua a configuração e ative a integração para sincronizar."
		return st, nil
	}
	if s.Sync == nil {
		st.Reason = "Este servidor não inicia sincronizações."
		return st, nil
	}
	last, err := s.Store.ManualSyncAt(ctx, in.TenantID, in.ID)
	if err != nil {
		return st, err
	}
	if next := last.Add(jobs.ManualSyncEvery); !last.IsZero() && time.Now().Before(next) {
		st.NextAt = next
		st.Reason = "Uma sincronização foi pedida há menos de um minuto. Você pode pedir outra a partir das " +
			next.In(brasilia).Format("15:04:05") + "."
		return st, nil
	}
	st.Allowed = true
	return st, nil
}

// syncNow starts a cycle of the integration now (OP1), through the same job as the schedule.
func (s *server) syncNow(w http.ResponseWriter, r *http.Request, in store.Integration, back string) error {
	ctx := r.Context()
	st, err := s.syncStateOf(ctx, in, "")
	if err != nil {
		return err
	}
	if !st.Allowed {
		return s.redirect(w, r, back, st.Reason)
	}
	err = s.Sync.SyncNow(ctx, in.TenantID, in.ID)
	if errors.Is(err, jobs.ErrSyncRefused) {
		// Another tab or node got there first, or the state changed: say what holds now.
		if in, err = s.Store.AnyIntegrationByID(ctx, in.ID); err != nil {
			return err
		}
		if st, err = s.syncStateOf(ctx, in, ""); err != nil {
			return err
		}
		return s.redirect(w, r, back, st.Reason)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, back, "Sincronização pedida: ela começa em instantes, ou assim que a execução em andamento terminar. "+
		"Veja o resultado em Execuções e Registros.")
}

func (s *server) integrationSync(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	return s.syncNow(w, r, in, "/integrations/"+strconv.FormatInt(int64(in.ID), 10))
}

// opSync is "Sincronizar agora" for any tenant's integration, by an operator.
func (s *server) opSync(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.anyIntegration(r)
	if err != nil {
		return err
	}
	return s.syncNow(w, r, in, "/operator/integrations#op-integration-"+strconv.FormatInt(int64(in.ID), 10))
}
