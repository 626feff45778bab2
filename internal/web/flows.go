package web

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/pontehub/ponte/internal/store"
)

// flowRow is one line of the engrenagem page (F1, V1).
type flowRow struct {
	IntegrationID store.IntegrationID
	State         store.FlowState
	Off           string // why the configuration turns the flow off, e.g. status X
	NextRun       time.Time
	LastRun       *store.Run
}

type flowsView struct {
	In   store.Integration
	Rows []flowRow
	// Pause, when set, is the partner quota that holds every flow until it resets.
	Pause  *store.PartnerPause
	Period string // the sync period in words (F2)
}

// configOff says why a flow does nothing whatever its switch (F1: tasks and quotations only when
// their status is not X).
func configOff(in store.Integration, f store.Flow) string {
	switch {
	case f == store.FlowTasks && in.Config.TaskStatus == "X":
		return "Desligado na configuração: status da tarefa X (não integrar tarefas)."
	case f == store.FlowQuotes && in.Config.QuoteStatus == "X":
		return "Desligado na configuração: status dos orçamentos X (não integrar orçamentos)."
	}
	return ""
}

func (s *server) flowRows(r *http.Request, in store.Integration) ([]flowRow, error) {
	ctx := r.Context()
	states, err := s.Store.Flows(ctx, in.TenantID, in.ID)
	if err != nil {
		return nil, err
	}
	rows := make([]flowRow, 0, len(states))
	for _, st := range states {
		row := flowRow{IntegrationID: in.ID, State: st, Off: configOff(in, st.Flow)}
		if in.State == store.StateActive && st.Enabled && row.Off == "" {
			row.NextRun = in.NextRunAt
		}
		runs, err := s.Store.Runs(ctx, in.TenantID, in.ID, st.Flow, 1, 0)
		if err != nil {
			return nil, err
		}
		if len(runs) > 0 {
			row.LastRun = &runs[0]
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func (s *server) flowsShow(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	rows, err := s.flowRows(r, in)
	if err != nil {
		return err
	}
	v := flowsView{In: in, Rows: rows, Period: period(s.PollInterval)}
	switch p, err := s.Store.PartnerPauseOf(r.Context(), in.TenantID, in.ID, time.Now()); {
	case err == nil:
		v.Pause = &p
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	return s.render(w, r, u, http.StatusOK, "flows.html", "Fluxos", v)
}

// flowToggle turns one flow on or off at any time (F1). With htmx the row is swapped in place;
// without, the page reloads.
func (s *server) flowToggle(w http.ResponseWriter, r *http.Request, u *user) error {
	in, err := s.integration(r, u)
	if err != nil {
		return err
	}
	f := store.Flow(r.PathValue("flow"))
	if !slices.Contains(store.FlowsFor(in.ERP), f) {
		return Errorf(NotFound, "Fluxo não encontrado.", nil)
	}
	on := r.PostFormValue("enabled") == "on"
	ctx := r.Context()
	action, word := "flow.disabled", "desligado"
	if on {
		action, word = "flow.enabled", "ligado"
	}
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetFlowEnabled(ctx, in.TenantID, in.ID, f, on); err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{TenantID: in.TenantID, IntegrationID: in.ID, Actor: u.Email, Action: action,
			Detail: "Fluxo " + f.Label() + " " + word + "."})
	})
	if err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		rows, err := s.flowRows(r, in)
		if err != nil {
			return err
		}
		for _, row := range rows {
			if row.State.Flow == f {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				return s.pages.ExecuteTemplate(w, "flow_row", row)
			}
		}
	}
	return s.redirect(w, r, integrationPath(in.ID)+"/flows", "Fluxo "+f.Label()+" "+word+".")
}
