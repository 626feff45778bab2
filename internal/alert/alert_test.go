package alert_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/pontehub/ponte/internal/alert"
	"github.com/pontehub/ponte/internal/app"
	"github.com/pontehub/ponte/internal/bench"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/jobs"
	"github.com/pontehub/ponte/internal/mail"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// node starts a Ponte worker node with the sandboxes of w and a one-second period; its e-mails
// go to the outbox it returns.
func node(t *testing.T, d store.Dialect, w *bench.World, o app.Options) (*app.App, string) {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{"PONTE_ROLES": "worker", "PONTE_DATA_DIR": dir, "PONTE_SECRET_KEY": storetest.Key(t),
		"PONTE_POLL_INTERVAL": "1s", "PONTE_BASE_URL": "https://ponte.example.com.br",
		"PONTE_AUVO_URL": w.AuvoURL(), "PONTE_OMIE_URL": w.OmieURL()}
	if d == store.Postgres {
		env["PONTE_DATABASE_URL"] = storetest.NewSchema(t)
	}
	cfg, err := config.FromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := a.Run(ctx); err != nil {
			t.Errorf("run: %v", err)
		}
	})
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		a.Close()
	})
	return a, filepath.Join(dir, "outbox")
}

// tenant seeds a tenant with one user and an integration whose Auvo token Auvo refuses.
func tenant(t *testing.T, st *store.Store, w *bench.World) (bench.Tenant, store.Integration) {
	t.Helper()
	ctx := context.Background()
	ten, err := w.Seed(ctx, st, 1, bench.SeedOptions{Customers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, ten.ID, "dono@refrigeracao.com.br", "x", false); err != nil {
		t.Fatal(err)
	}
	in, err := st.IntegrationByID(ctx, ten.ID, ten.Integration)
	if err != nil {
		t.Fatal(err)
	}
	cr := in.Credentials
	cr.AuvoAPIToken = "token-revogado"
	if err := st.SaveIntegrationSetup(ctx, ten.ID, in.ID, in.Config, cr); err != nil {
		t.Fatal(err)
	}
	return ten, in
}

// outbox returns the e-mails written so far.
func outbox(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.ReplaceAll(string(b), "=\r\n", "")) // undo quoted-printable line folding
	}
	return out
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// SPEC A3 and the auto-pause: credentials the partner rejects put the integration in
// state com erro and the tenant gets one e-mail, not one per period; after the user reactivates
// it and it fails again, one more.
func TestRejectedCredentialsEmailOncePerError(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		w := bench.NewWorld(bench.WorldOptions{})
		t.Cleanup(w.Close)
		a, box := node(t, d, w, app.Options{})
		st := a.Store()
		ten, in := tenant(t, st, w)
		ctx := context.Background()
		if err := bench.Activate(ctx, st, []bench.Tenant{ten}); err != nil {
			t.Fatal(err)
		}
		state := func() store.State {
			in, err := st.IntegrationByID(ctx, ten.ID, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			return in.State
		}
		waitFor(t, "state com erro", func() bool { return state() == store.StateError })
		waitFor(t, "the e-mail", func() bool { return len(outbox(t, box)) > 0 })
		time.Sleep(3500 * time.Millisecond) // three more periods
		mails := outbox(t, box)
		if len(mails) != 1 {
			t.Fatalf("%d e-mails after the credentials were rejected, want 1", len(mails))
		}
		m := mails[0]
		for _, want := range []string{"To: <dono@refrigeracao.com.br>", "recusou as credenciais", "Empresa de Teste 00001",
			"https://ponte.example.com.br/integrations/"} {
			if !strings.Contains(m, want) {
				t.Errorf("e-mail lacks %q:\n%s", want, m)
			}
		}

		// The user reactivates without fixing the key: a new error, a new e-mail.
		if err := st.SetIntegrationState(ctx, ten.ID, in.ID, store.StateActive, ""); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the second e-mail", func() bool { return len(outbox(t, box)) == 2 })
		time.Sleep(2500 * time.Millisecond)
		if n := len(outbox(t, box)); n != 2 || state() != store.StateError {
			t.Fatalf("%d e-mails, state %s after the second failure; want 2 and error", n, state())
		}
	})
}

// The dedupe is in the database: the same error reported again (another cycle, another node, a
// restarted node with a new Alerter) sends nothing more.
func TestCredentialsRejectedClaimedOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := bench.NewWorld(bench.WorldOptions{})
		t.Cleanup(w.Close)
		_, in := tenant(t, st, w)
		box := mail.NewOutbox(t.TempDir(), "Ponte <nao-responda@ponte.local>", nil)
		for range 3 {
			if err := alert.New(st, box, "https://ponte.example.com.br", nil).CredentialsRejected(ctx, in, "auvo: Invalid apiToken"); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(outbox(t, box.Dir())); n != 1 {
			t.Fatalf("%d e-mails for one error, want 1", n)
		}
		als, err := st.Alerts(ctx, in.TenantID, in.ID)
		if err != nil || len(als) != 1 || als[0].SentAt.IsZero() || als[0].Kind != alert.KindCredentials {
			t.Fatalf("alerts %+v, %v", als, err)
		}
	})
}

// An e-mail that cannot go out is kept and sent by the next delivery.
func TestUnsentAlertIsRetried(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := bench.NewWorld(bench.WorldOptions{})
		t.Cleanup(w.Close)
		_, in := tenant(t, st, w)
		down := &flaky{fail: true}
		a := alert.New(st, down, "https://ponte.example.com.br", nil)
		if err := a.CredentialsRejected(ctx, in, "auvo: Invalid apiToken"); err == nil {
			t.Fatal("no error with the mail server down")
		}
		down.fail = false
		if err := a.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		if err := a.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		if len(down.sent) != 1 {
			t.Fatalf("%d e-mails sent, want 1", len(down.sent))
		}
	})
}

type flaky struct {
	fail bool
	sent []mail.Message
}

func (f *flaky) Send(_ context.Context, m mail.Message) error {
	if f.fail {
		return &partner.Error{Partner: "smtp", Kind: partner.KindTransient, Message: "conexão recusada"}
	}
	f.sent = append(f.sent, m)
	return nil
}

// Transient failures are retried with River's backoff and alert only when the last attempt
// fails: a cycle job allowed two attempts that fails both times sends one e-mail, after the
// second.
func TestRetriesExhaustedEmailOnce(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		w := bench.NewWorld(bench.WorldOptions{})
		t.Cleanup(w.Close)
		var (
			mu       sync.Mutex
			attempts int
			mailsAt  []int // e-mails seen at the start of each attempt
			box      string
		)
		failing := jobs.CyclerFunc(func(ctx context.Context, c store.Cycle) error {
			mu.Lock()
			defer mu.Unlock()
			attempts++
			mailsAt = append(mailsAt, len(outbox(t, box)))
			return &partner.Error{Partner: "omie", Method: "ListarClientes", Kind: partner.KindTransient, Message: "erro no servidor do Omie"}
		})
		a, dir := node(t, d, w, app.Options{Cycler: failing})
		mu.Lock()
		box = dir
		mu.Unlock()
		st := a.Store()
		ten, in := tenant(t, st, w) // not active: the scheduler leaves it alone
		insert(t, st, jobs.CycleArgs{IntegrationID: int64(in.ID), TenantID: int64(ten.ID), Slot: time.Now().UTC().Truncate(time.Second)})
		waitFor(t, "the alert", func() bool { return len(outbox(t, dir)) > 0 })
		time.Sleep(time.Second)
		mu.Lock()
		defer mu.Unlock()
		if attempts != 2 || len(mailsAt) != 2 || mailsAt[1] != 0 {
			t.Fatalf("%d attempts, e-mails seen before each %v: want 2 attempts and no e-mail before the last", attempts, mailsAt)
		}
		mails := outbox(t, dir)
		if len(mails) != 1 || !strings.Contains(mails[0], "falhou 2 vezes") || !strings.Contains(mails[0], "erro no servidor do Omie") {
			t.Fatalf("e-mails: %q", mails)
		}
	})
}

// insert enqueues a cycle job allowed two attempts, as a tick would with a smaller budget.
func insert(t *testing.T, st *store.Store, args jobs.CycleArgs) {
	t.Helper()
	ctx := context.Background()
	opts := &river.InsertOpts{MaxAttempts: 2}
	if st.Dialect() == store.Postgres {
		c, err := river.NewClient(riverpgxv5.New(st.Pool()), &river.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Insert(ctx, args, opts); err != nil {
			t.Fatal(err)
		}
		return
	}
	c, err := river.NewClient(riversqlite.New(st.DB()), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Insert(ctx, args, opts); err != nil {
		t.Fatal(err)
	}
}

// Issue 22 item 5: a partner's daily quota pausing the integration is told once per pause,
// however many cycles meet it, to the tenant and to the operators.
func TestPartnerQuotaToldOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := bench.NewWorld(bench.WorldOptions{})
		t.Cleanup(w.Close)
		_, in := tenant(t, st, w)
		if _, err := st.CreateUser(ctx, 0, "suporte@ponte.local", "x", true); err != nil {
			t.Fatal(err)
		}
		box := mail.NewOutbox(t.TempDir(), "Ponte <nao-responda@ponte.local>", nil)
		until := time.Date(2026, 12, 8, 3, 1, 0, 0, time.UTC)
		for range 3 {
			if err := alert.New(st, box, "https://ponte.example.com.br", nil).PartnerQuota(ctx, in, until, "bling: Limite diário"); err != nil {
				t.Fatal(err)
			}
		}
		// One e-mail to the tenant's user and one to the operator, for the one pause.
		mails := outbox(t, box.Dir())
		if len(mails) != 2 || !strings.Contains(mails[0], "08/12/2026 00:01") {
			t.Fatalf("%d e-mails for one pause, want 2 (tenant and operator) naming the end of the pause", len(mails))
		}
		toOperator := 0
		for _, m := range mails {
			if strings.Contains(m, "To: suporte@ponte.local") || strings.Contains(m, "To: <suporte@ponte.local>") {
				toOperator++
			}
		}
		if toOperator != 1 {
			t.Errorf("the operator got %d e-mails about the pause, want 1", toOperator)
		}
		als, err := st.Alerts(ctx, in.TenantID, in.ID)
		if err != nil || len(als) != 1 || als[0].Kind != alert.KindQuota {
			t.Fatalf("alerts %+v, %v", als, err)
		}
	})
}
