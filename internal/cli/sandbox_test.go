package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/sandbox"
)

// --clock-offset (issue 16) reaches every partner's clock, by partner or for all, and each
// partner's admin API moves its clock while it runs; mistakes are refused all at once.
func TestSandboxClockOffset(t *testing.T) {
	t.Parallel()
	clocks, err := parseClockOffsets("+1h, omie=-15m")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sandbox.NewHub(sandboxPartners(clocks)...))
	t.Cleanup(srv.Close)
	clock := func(method, name, body string) map[string]string {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+"/_sandbox/"+name+"/clock", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]string
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s clock: %d %v", method, name, resp.StatusCode, err)
		}
		return out
	}
	for _, name := range []string{"auvo", "bling", "contaazul", "omie"} {
		want := time.Hour
		if name == "omie" {
			want = -15 * time.Minute
		}
		got := clock(http.MethodGet, name, "")
		if got["offset"] != want.String() {
			t.Errorf("%s: offset %q, want %v", name, got["offset"], want)
		}
		now, err := time.Parse(time.RFC3339, got["now"])
		if err != nil || now.Sub(time.Now().Add(want)).Abs() > 5*time.Second {
			t.Errorf("%s: now %q, want the host's clock %v off", name, got["now"], want)
		}
		if got := clock(http.MethodPost, name, `{"offset":"+2h"}`); got["offset"] != "2h0m0s" {
			t.Errorf("%s: after POST offset %q, want 2h", name, got["offset"])
		}
	}
	if _, err := parseClockOffsets("omie=+2h,erp=1h,auvo=amanhã,99h"); err == nil ||
		!strings.Contains(err.Error(), `"erp"`) || !strings.Contains(err.Error(), "amanhã") || !strings.Contains(err.Error(), "99h") {
		t.Errorf("bad offsets: %v, want every mistake named", err)
	}
}
