package cli

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func runHealth(t *testing.T, addrEnv string, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(append([]string{"healthcheck"}, args...), Env{Stdout: &out, Stderr: &errOut,
		LookupEnv: func(k string) (string, bool) { return addrEnv, k == "PONTE_ADDR" && addrEnv != "" }})
	return code, out.String() + errOut.String()
}

// TestHealthcheck: the container health check passes only when /healthz answers 200, and reads a
// wildcard PONTE_ADDR (what a container listens on) as this machine's loopback.
func TestHealthcheck(t *testing.T) {
	t.Parallel()
	var status atomic.Int32
	status.Store(http.StatusOK)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(int(status.Load())) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))

	if code, out := runHealth(t, "0.0.0.0:"+port); code != 0 || !strings.Contains(out, "127.0.0.1:"+port+"/healthz") {
		t.Errorf("healthy portal via PONTE_ADDR=0.0.0.0: code %d, %q", code, out)
	}
	if code, out := runHealth(t, "", "[::]:"+port); code != 0 {
		t.Errorf("healthy portal via [::]: code %d, %q", code, out)
	}
	status.Store(http.StatusServiceUnavailable)
	if code, out := runHealth(t, "127.0.0.1:"+port); code != 1 || !strings.Contains(out, "503") {
		t.Errorf("unhealthy portal: code %d, %q", code, out)
	}
	srv.Close()
	if code, _ := runHealth(t, "127.0.0.1:"+port); code != 1 {
		t.Errorf("nothing listening: code %d, want 1", code)
	}
	if code, _ := runHealth(t, "no-port"); code != 2 {
		t.Errorf("bad address: code %d, want 2", code)
	}
}
