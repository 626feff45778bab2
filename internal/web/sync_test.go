package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/store"
)

// OP1: "Sincronizar agora" says clearly why it cannot run on a pending or paused integration,
// starts a cycle on an active one, refuses a second press within a minute with the time it may
// be pressed again, and works for operators on any tenant; another tenant cannot press it.
func TestSyncNowPageOP1(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	a := seedTenantA(t, e)
	c := a.client
	ctx := context.Background()
	page := "/integrations/" + strconv.FormatInt(int64(a.in.ID), 10)
	r := c.post(page+"/sync", nil)
	if !strings.Contains(r.body, "aguarda a ativação interna") || r.url != page {
		t.Errorf("OP1 pending: %s\n%s", r.url, r.body)
	}
	if !strings.Contains(r.body, `disabled aria-describedby="sync-reason-`) {
		t.Errorf("OP1 pending: the button is not disabled")
	}
	for _, st := range []store.State{store.StateActive, store.StatePaused} {
		if err := e.st.SetIntegrationState(ctx, a.user.TenantID, a.in.ID, st, ""); err != nil {
			t.Fatal(err)
		}
	}
	if r := c.post(page+"/sync", nil); !strings.Contains(r.body, "A integração está pausada: retome-a para sincronizar.") {
		t.Errorf("OP1 paused:\n%s", r.body)
	}
	if at, _ := e.st.ManualSyncAt(ctx, a.user.TenantID, a.in.ID); !at.IsZero() {
		t.Fatal("OP1 a refused press was recorded")
	}
	if err := e.st.SetIntegrationState(ctx, a.user.TenantID, a.in.ID, store.StateActive, ""); err != nil {
		t.Fatal(err)
	}
	r = c.get(page)
	if !strings.Contains(r.body, `id="sync-now-`) || strings.Contains(r.body, `disabled aria-describedby="sync-reason-`) {
		t.Errorf("OP1 active: button missing or disabled")
	}
	r = c.post(page+"/sync", nil)
	if !strings.Contains(r.body, "Sincronização pedida") {
		t.Fatalf("OP1 active:\n%s", r.body)
	}
	if at, _ := e.st.ManualSyncAt(ctx, a.user.TenantID, a.in.ID); at.IsZero() {
		t.Fatal("OP1 the accepted press was not recorded")
	}
	r = c.post(page+"/sync", nil)
	if !strings.Contains(r.body, "Uma sincronização foi pedida há menos de um minuto. Você pode pedir outra a partir das ") ||
		!strings.Contains(r.body, `disabled aria-describedby="sync-reason-`) {
		t.Errorf("OP1 second press:\n%s", r.body)
	}

	// P5: another tenant gets 404; operators see the limit too and may press it for any tenant.
	other := e.signUp("Outra", "o@outra.com.br")
	if r := other.post(page+"/sync", nil); r.status != 404 {
		t.Errorf("P5 other tenant: %d", r.status)
	}
	op := e.operator("op@ponte.dev")
	id := strconv.FormatInt(int64(a.in.ID), 10)
	r = op.post("/operator/integrations/"+id+"/sync", nil)
	if !strings.Contains(r.body, "há menos de um minuto") {
		t.Errorf("OP1 operator within the minute:\n%s", r.body)
	}
	if r := op.post("/operator/integrations/999999/sync", nil); r.status != 404 {
		t.Errorf("operator unknown integration: %d", r.status)
	}
}
