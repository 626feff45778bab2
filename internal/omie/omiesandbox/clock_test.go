package omiesandbox_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/omie"
)

// The clock knob (issue 16): an offset set through the admin API moves the sandbox's own clock,
// so records get their dAlt/hAlt from it and the "changed since" filter compares against it, as
// a real Omie running ahead of the host would. An offset that is not a duration is refused.
func TestClockKnobMovesModificationTimesAndFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount(t, nil)
	var shown map[string]string
	if st := e.admin(t, http.MethodPost, "/clock", map[string]string{"offset": "+2h"}, &shown); st != http.StatusOK || shown["offset"] != "2h0m0s" {
		t.Fatalf("POST /clock: %d %v", st, shown)
	}
	if st := e.admin(t, http.MethodPost, "/clock", map[string]string{"offset": "amanhã"}, nil); st != http.StatusBadRequest {
		t.Errorf("a bad offset answered %d, want 400", st)
	}
	if st := e.admin(t, http.MethodGet, "/clock", nil, &shown); st != http.StatusOK || shown["offset"] != "2h0m0s" {
		t.Errorf("the refused offset changed the clock: %v", shown)
	}
	var seeded []map[string]any
	if st := e.admin(t, http.MethodPost, "/accounts/"+a.AppKey+"/customers", []map[string]any{{"razao_social": "ADIANTADO"}}, &seeded); st != http.StatusCreated {
		t.Fatalf("seed: %d", st)
	}
	ahead := e.clock.Now().Add(2 * time.Hour)
	info := seeded[0]["info"].(map[string]any)
	if info["dAlt"] != omie.FormatDate(ahead) || info["hAlt"] != omie.FormatTime(ahead) {
		t.Errorf("info = %v, want dAlt/hAlt at the sandbox's clock %s %s", info, omie.FormatDate(ahead), omie.FormatTime(ahead))
	}
	// Changed since an hour after the host's clock: the record, stamped two hours ahead, is in.
	since := e.clock.Now().Add(time.Hour)
	got := e.call(t, "geral/clientes", "ListarClientes", a, map[string]any{"pagina": 1, "filtrar_apenas_alteracao": "S",
		"filtrar_por_data_de": omie.FormatDate(since), "filtrar_por_hora_de": omie.FormatTime(since)})
	if rows, _ := got.body["clientes_cadastro"].([]any); len(rows) != 1 {
		t.Errorf("changed since host+1h: %s", got.raw)
	}
}
