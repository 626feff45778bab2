package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/store"
)

// TestSavingWorkingKeysResumes (issue 21): an integration stopped with "credenciais recusadas"
// runs again as soon as the tenant saves keys the partners accept, with no new internal
// approval; saving the keys of another Omie company sends it back to the operator (A2).
func TestSavingWorkingKeysResumes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	c := e.signUp("Gelo Sul", "rui@gelosul.com.br")
	acc := e.omie.NewAccount(omiesandbox.AccountOptions{Seed: true})
	other := e.omie.NewAccount(omiesandbox.AccountOptions{Seed: true})
	ctx := context.Background()
	path := c.post("/integrations", url.Values{"erp": {"omie"}}).url
	form := omieSetupForm(t, e, c, path, acc)
	var r resp
	if r = c.post(path, form); !strings.Contains(r.body, "Configuração salva.") {
		t.Fatalf("save: %d", r.status)
	}
	u := mustUser(e, "rui@gelosul.com.br")
	ins, _ := e.st.Integrations(ctx, u.TenantID)
	in := ins[0]
	// Approved and running, then the engine found the keys rejected.
	for _, st := range []store.State{store.StateActive, store.StateError} {
		if err := e.st.SetIntegrationState(ctx, u.TenantID, in.ID, st, "Credenciais recusadas pelo parceiro"); err != nil {
			t.Fatal(err)
		}
	}
	if r = c.post(path, form); !strings.Contains(r.body, "voltou a rodar") {
		t.Errorf("saving working keys: no word that it runs again:\n%s", r.body)
	}
	if got, _ := e.st.IntegrationByID(ctx, u.TenantID, in.ID); got.State != store.StateActive {
		t.Fatalf("after saving working keys the integration is %q, want ativa without a new approval", got.State)
	}

	// Stopped again, and this time the keys of another Omie company are saved.
	if err := e.st.SetIntegrationState(ctx, u.TenantID, in.ID, store.StateError, "Credenciais recusadas pelo parceiro"); err != nil {
		t.Fatal(err)
	}
	form = omieSetupForm(t, e, c, path, other)
	e.pass(2 * time.Minute)
	if r = c.post(path, form); !strings.Contains(r.body, "aguarda a ativação interna") {
		t.Errorf("another Omie company: no word of the internal activation:\n%s", r.body)
	}
	if got, _ := e.st.IntegrationByID(ctx, u.TenantID, in.ID); got.State != store.StatePending {
		t.Fatalf("with another Omie company the integration is %q, want aguardando ativação interna", got.State)
	}
}
