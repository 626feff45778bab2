package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/app"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

func operatorEnv(t *testing.T) map[string]string {
	return map[string]string{"PONTE_DATA_DIR": t.TempDir(), "PONTE_SECRET_KEY": storetest.Key(t), "PONTE_LOG_LEVEL": "error"}
}

func runWith(vars map[string]string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Run(args, Env{Stdout: &out, Stderr: &errOut, LookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }})
	return code, out.String(), errOut.String()
}

func openStore(t *testing.T, vars map[string]string) *store.Store {
	t.Helper()
	cfg, err := config.FromEnv(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	st, err := app.OpenStore(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// P6: `ponte operator create` makes an operator with a generated password printed once, to be
// changed at the first login.
func TestOperatorCreate(t *testing.T) {
	t.Parallel()
	vars := operatorEnv(t)
	code, out, errOut := runWith(vars, "operator", "create", "Suporte@Ponte.com.br")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	m := regexp.MustCompile(`password \(shown only now; change it at the first login\): ([A-Za-z0-9]{18})\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no password in %q", out)
	}
	st := openStore(t, vars)
	u, err := st.UserByEmail(context.Background(), "suporte@ponte.com.br")
	if err != nil || !u.Operator || !u.MustChange || u.TenantID != 0 || strings.Contains(u.PasswordHash, m[1]) {
		t.Fatalf("operator %+v, %v", u, err)
	}
	if code, _, errOut := runWith(vars, "operator", "create", "suporte@ponte.com.br"); code != 1 || !strings.Contains(errOut, "Já existe") {
		t.Fatalf("duplicate: %d %s", code, errOut)
	}
	if code, _, errOut := runWith(vars, "operator", "create", "não-é-email"); code != 1 || !strings.Contains(errOut, "e-mail válido") {
		t.Fatalf("bad e-mail: %d %s", code, errOut)
	}
	if code, _, errOut := runWith(vars, "operator"); code != 2 || !strings.Contains(errOut, "usage") {
		t.Fatalf("no arguments: %d %s", code, errOut)
	}
}

// A2 from the shell: `ponte operator approve` activates a pending integration, audited, and
// refuses one in any other state.
func TestOperatorApprove(t *testing.T) {
	t.Parallel()
	vars := operatorEnv(t)
	st := openStore(t, vars)
	ctx := context.Background()
	ten, _ := st.CreateTenant(ctx, "Clima Sul")
	in, err := st.CreateIntegration(ctx, ten.ID, store.Omie)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runWith(vars, "operator", "approve", "1"); code != 1 || !strings.Contains(errOut, "draft, not awaiting") {
		t.Fatalf("draft approved: %d %s", code, errOut)
	}
	if err := st.SetIntegrationState(ctx, ten.ID, in.ID, store.StatePending, ""); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runWith(vars, "operator", "approve", "1")
	if code != 0 || !strings.Contains(out, "is active") {
		t.Fatalf("approve: %d %s %s", code, out, errOut)
	}
	got, _ := st.IntegrationByID(ctx, ten.ID, in.ID)
	if got.State != store.StateActive || got.NextRunAt.IsZero() {
		t.Fatalf("state %s next %v", got.State, got.NextRunAt)
	}
	log, _ := st.AuditLog(ctx, ten.ID, 10)
	if len(log) == 0 || log[0].Action != "activation.approved" || log[0].Actor != "linha de comando" {
		t.Fatalf("A4: %+v", log)
	}
	if code, _, errOut := runWith(vars, "operator", "approve", "99"); code != 1 || !strings.Contains(errOut, "does not exist") {
		t.Fatalf("unknown: %d %s", code, errOut)
	}
	if code, _, _ := runWith(vars, "operator", "approve", "abc"); code != 2 {
		t.Fatalf("bad id: %d", code)
	}
}
