package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime/quotedprintable"
	"net"
	"net/http/httptest"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pontehub/ponte/internal/app"
	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
	"github.com/pontehub/ponte/internal/web"
)

// chromium finds the browser, or skips: CI always installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("PONTE_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("Chromium not found (install the chromium package, or set PONTE_CHROMIUM): browser tests skipped")
	return ""
}

// startBrowser starts a headless Chromium at exe with the flags every browser test needs plus
// extra, and returns its context; the first run happens on a context without a timeout (a
// timeout there would stop the browser), so each later step takes its own bounded context.
func startBrowser(t *testing.T, exe string, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() { bcancel(); acancel() })
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return bctx
}

// walk is one real Ponte (app.App, as `ponte serve` builds it) with the partner sandboxes and a
// headless Chromium driving the portal.
type walk struct {
	t       *testing.T
	base    string
	dataDir string
	app     *app.App
	auvo    *auvosandbox.Server
	omie    *omiesandbox.Server
	ctx     context.Context
	shots   string
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func newWalk(t *testing.T) *walk {
	t.Helper()
	exe := chromium(t)
	w := &walk{t: t, dataDir: t.TempDir(), auvo: auvosandbox.New(auvosandbox.Options{}), omie: omiesandbox.New(omiesandbox.Options{}),
		shots: filepath.Join("testdata", "screenshots")}
	hub := httptest.NewServer(sandbox.NewHub(w.auvo, w.omie))
	t.Cleanup(hub.Close)
	addr := freeAddr(t)
	w.base = "http://" + addr
	env := map[string]string{
		"PONTE_ADDR": addr, "PONTE_BASE_URL": w.base, "PONTE_DATA_DIR": w.dataDir, "PONTE_SECRET_KEY": storetest.Key(t),
		"PONTE_POLL_INTERVAL": "3s", "PONTE_LOG_LEVEL": "error",
		"PONTE_AUVO_URL": hub.URL + "/auvo/v2", "PONTE_OMIE_URL": hub.URL + "/omie/api/v1",
	}
	cfg, err := config.FromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.app, err = app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := w.app.Run(ctx); err != nil {
			t.Errorf("app: %v", err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		w.app.Close()
	})

	w.ctx = startBrowser(t, exe, chromedp.WindowSize(1280, 1000))
	if err := os.MkdirAll(w.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	return w
}

// stepTimeout bounds every browser step: generous for a loaded CI machine, but a stuck page
// fails the test in seconds, not at the test binary's deadline.
const stepTimeout = 30 * time.Second

func (w *walk) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(w.ctx, stepTimeout)
}

func (w *walk) fail(what string, err error) {
	w.t.Helper()
	ctx, cancel := w.step()
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	w.t.Fatalf("%s: %v (page %s)\n%s", what, err, loc, body)
}

// do runs browser steps, failing the test with the page it was on.
func (w *walk) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	ctx, cancel := w.step()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		w.fail(what, err)
	}
}

func (w *walk) open(path string, waitFor string) {
	w.t.Helper()
	w.do("open "+path, chromedp.Navigate(w.base+path), chromedp.WaitVisible(chromedp.CSS(waitFor)))
}

func (w *walk) text(sel string) string {
	w.t.Helper()
	ctx, cancel := w.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		w.fail("read "+sel, err)
	}
	return strings.TrimSpace(s)
}

func (w *walk) eval(expr string) {
	w.t.Helper()
	ctx, cancel := w.step()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr)); err != nil {
		w.fail("evaluate "+expr, err)
	}
}

// submit fills fields (by id) and clicks a button, then waits for sel on the next page.
func (w *walk) submit(fields map[string]string, button, waitFor string) {
	w.t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for id, v := range fields {
		steps = append(steps, chromedp.SetValue(chromedp.CSS("#"+id), v))
	}
	w.do("fill", steps...)
	// Mark the page so the wait below cannot be satisfied by the page we are leaving.
	w.eval(`document.body.dataset.left = "1"`)
	w.do("submit "+button, chromedp.Click(chromedp.CSS(button)), chromedp.WaitVisible(chromedp.CSS(`body:not([data-left]) `+waitFor)))
}

func (w *walk) shot(name string) {
	w.t.Helper()
	ctx, cancel := w.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		w.fail("screenshot "+name, err)
	}
	if err := os.WriteFile(filepath.Join(w.shots, name+".png"), png, 0o644); err != nil {
		w.t.Fatal(err)
	}
}

var passwordRE = regexp.MustCompile(`é:\s+([A-Za-z0-9]{18})\s`)

// password reads the newest generated password e-mailed to addr from the outbox.
func (w *walk) password(addr string) string {
	w.t.Helper()
	files, _ := filepath.Glob(filepath.Join(w.dataDir, "outbox", "*.eml"))
	slices.Sort(files)
	for i := len(files) - 1; i >= 0; i-- {
		raw, _ := os.ReadFile(files[i])
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil || !strings.Contains(m.Header.Get("To"), addr) {
			continue
		}
		body, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
		if p := passwordRE.FindStringSubmatch(string(body)); p != nil {
			return p[1]
		}
	}
	w.t.Fatalf("no password for %s in the outbox (%d files)", addr, len(files))
	return ""
}

func (w *walk) waitFor(what string, limit time.Duration, ok func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			w.t.Fatalf("waited %v for %s", limit, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestBrowserWalk walks the whole path as a new user would (P1, P2, S1–S9, S12, A1–A3, F1,
// V1, V2): sign up, read the password from the outbox, change it, configure Auvo ⇄ Omie against
// the sandboxes (a wrong key and a "1,2" status are refused with the right messages, the three
// selects are filled from Omie), activate, an operator approves, a cycle runs and the run log
// shows integrated and skipped customers with their reasons, a flow is turned off and stops.
func TestBrowserWalk(t *testing.T) {
	w := newWalk(t)
	ctx := context.Background()
	st := w.app.Store()
	auvoAcc := w.auvo.NewAccount()
	doc := br.GenerateCNPJ(rand.New(rand.NewPCG(10, 20)))
	for _, c := range []auvo.Customer{
		{Description: "Padaria Pão Quente Ltda", CPFCNPJ: doc, Address: "Rua das Flores, 100, Centro, São Paulo, SP, 01001-000", Active: true},
		{Description: "Cliente Sem Documento", Address: "Rua das Flores, 200, Centro, São Paulo, SP, 01001-000", Active: true},
		// SPEC AD-R3: refused, the run log shows the line to paste into Auvo.
		{Description: "Cliente Endereço Colado", CPFCNPJ: br.GenerateCNPJ(rand.New(rand.NewPCG(11, 21))), Address: "Rua das Flores 300, Centro, São Paulo - SP", Active: true},
	} {
		if _, err := w.auvo.SeedCustomer(auvoAcc.APIKey, c); err != nil {
			t.Fatal(err)
		}
	}
	omieAcc := w.omie.NewAccount(omiesandbox.AccountOptions{Seed: true})

	// P1: sign up; the password arrives by e-mail only.
	w.open("/", "h2")
	w.shot("01-catalogo")
	w.open("/signup", "#name")
	w.submit(map[string]string{"name": "Clima Sul Refrigeração", "email": "ana@climasul.com.br"}, `main button[type=submit]`, "#flash")
	if got := w.text("#flash"); !strings.Contains(got, "Enviamos a senha de acesso para ana@climasul.com.br") {
		t.Fatalf("sign-up flash %q", got)
	}
	pw := w.password("ana@climasul.com.br")
	// P2: the first login must choose a new password.
	w.submit(map[string]string{"email": "ana@climasul.com.br", "password": pw}, `main button[type=submit]`, "#confirm")
	if h := w.text("h1"); h != "Escolha sua senha" {
		t.Fatalf("first login page %q", h)
	}
	w.submit(map[string]string{"password": "minha-senha-forte", "confirm": "minha-senha-forte"}, `main button[type=submit]`, "#configure-omie")
	w.shot("02-inicio")

	// S1–S9: configure Auvo ⇄ Omie with a wrong key, no task status chosen (the select offers
	// only single codes; "1,2" posted by hand is TestSetupOmie's) and "Todos".
	w.submit(nil, "#configure-omie", "#setup")
	w.submit(map[string]string{"auvo_api_key": "chave-errada", "auvo_api_token": auvoAcc.APIToken,
		"quote_status": "Todos", "omie_app_key": omieAcc.AppKey, "omie_app_secret": omieAcc.AppSecret}, "#save", "#setup")
	if got := w.text("#auvo_api_key-error"); !strings.Contains(got, "O Auvo recusou a chave (APP Key) ou o token (APP Token)") {
		t.Fatalf("S1 wrong key message %q", got)
	}
	if got := w.text("#task_status-error"); got != "Informe apenas um código de status (0 a 6) ou X para não integrar tarefas." {
		t.Fatalf("S2 message %q", got)
	}
	if got := w.text("#quote_status-error"); !strings.Contains(got, "“Todos” não é um status de orçamento") {
		t.Fatalf("S5 message %q", got)
	}
	kept, err := chromedp.Run(w.ctx, chromedp.Value(chromedp.CSS("#quote_status")))
	if err != nil || kept != "Todos" {
		t.Fatalf("S12: quotation status field holds %q", kept)
	}
	w.shot("03-configuracao-erros")
	html, err := chromedp.Run(w.ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{auvoAcc.APIToken, omieAcc.AppSecret, omieAcc.AppKey} {
		if strings.Contains(html, secret) {
			t.Fatal("S11: a secret is in the page")
		}
	}
	// The Omie keys were right: the three selects are filled from Omie. Fix the rest and save;
	// the token and Omie keys are not typed again.
	counts, err := chromedp.Run(w.ctx, chromedp.Evaluate[[]int](`["bank_account","category","stock_location"].map(id => document.getElementById(id).options.length)`))
	if err != nil || len(counts) != 3 || counts[0] < 2 || counts[1] < 2 || counts[2] < 2 {
		t.Fatalf("selects have %v options", counts)
	}
	w.eval(`for (const id of ["bank_account","category","stock_location"]) document.getElementById(id).selectedIndex = 1`)
	w.submit(map[string]string{"auvo_api_key": auvoAcc.APIKey, "task_status": "X", "quote_status": "X"}, "#save", "#flash")
	if got := w.text("#flash"); got != "Configuração salva." {
		t.Fatalf("save: %q (%s)", got, w.text("main"))
	}
	w.shot("04-configuracao-salva")

	// A1: activate; A2: an operator approves.
	w.submit(nil, "#activate", "#flash")
	if got := w.text("#flash"); !strings.Contains(got, "ativação interna") {
		t.Fatalf("activate: %q", got)
	}
	ten, _ := st.UserByEmail(ctx, "ana@climasul.com.br")
	ins, _ := st.Integrations(ctx, ten.TenantID)
	if len(ins) != 1 || ins[0].State != store.StatePending {
		t.Fatalf("A1: %+v", ins)
	}
	in := ins[0]
	opPass, err := web.CreateOperator(ctx, st, "suporte@ponte.local")
	if err != nil {
		t.Fatal(err)
	}
	w.submit(nil, `nav form button`, "#email")
	w.submit(map[string]string{"email": "suporte@ponte.local", "password": opPass}, `main button[type=submit]`, "#confirm")
	w.submit(map[string]string{"password": "senha-do-suporte", "confirm": "senha-do-suporte"}, `main button[type=submit]`, "h1")
	w.open("/operator", "#approve-"+strconv.FormatInt(int64(in.ID), 10))
	w.shot("05-operador-ativacoes")
	// P7 on the operator's pages.
	w.checkPortuguese(map[string]string{"/operator": "main", "/operator/integrations": "main", "/operator/locks": "main",
		"/operator/audit": "main", "/operator/outbox": "main", "/operator/integrations/" + strconv.FormatInt(int64(in.ID), 10) + "/records": "main"})
	w.open("/operator", "#approve-"+strconv.FormatInt(int64(in.ID), 10))
	w.submit(nil, "#approve-"+strconv.FormatInt(int64(in.ID), 10), "#flash")

	// A cycle runs; the run log shows integrated and skipped customers with the reason.
	w.waitFor("the first cycle's outcomes", 90*time.Second, func() bool {
		os, _ := st.Outcomes(ctx, ten.TenantID, in.ID, store.OutcomeFilter{Flow: store.FlowCustomersToERP})
		return len(os) >= 3
	})
	w.submit(nil, `nav form button`, "#email")
	w.submit(map[string]string{"email": "ana@climasul.com.br", "password": "minha-senha-forte"}, `main button[type=submit]`, "#integration-"+strconv.FormatInt(int64(in.ID), 10))
	w.open(fmt.Sprintf("/integrations/%d/records?flow=%s", in.ID, store.FlowCustomersToERP), "#total")
	rows := w.text("table")
	if !strings.Contains(rows, "Padaria Pão Quente Ltda") || !strings.Contains(rows, "Cliente Sem Documento") {
		t.Fatalf("V2 run log:\n%s", rows)
	}
	if !strings.Contains(rows, "criado") && !strings.Contains(rows, "vinculado") {
		t.Fatalf("V2: no integrated customer:\n%s", rows)
	}
	if !strings.Contains(rows, "não integrado") || !strings.Contains(strings.ToLower(rows), "cpf/cnpj") {
		t.Fatalf("V2: no skipped customer with its reason:\n%s", rows)
	}
	if !strings.Contains(rows, "Escreva assim: `Rua das Flores, 300, Centro, São Paulo - SP`") {
		t.Fatalf("AD-R3: the run log does not show the address to paste:\n%s", rows)
	}
	w.shot("06-registros")
	w.open(fmt.Sprintf("/integrations/%d/runs", in.ID), ".run")
	w.shot("07-execucoes")

	// F1: turn "Clientes Auvo → ERP" off (htmx swaps the row) and see it stop running.
	w.open(fmt.Sprintf("/integrations/%d/flows", in.ID), "#toggle-clientes_auvo_erp")
	w.do("toggle off", chromedp.Click(chromedp.CSS("#toggle-clientes_auvo_erp")),
		chromedp.WaitVisible(chromedp.CSS(`#toggle-clientes_auvo_erp[data-enabled="false"]`)))
	off := time.Now()
	w.shot("08-fluxos")
	var after store.Cycle
	w.waitFor("a whole cycle after the toggle", 60*time.Second, func() bool {
		cs, _ := st.Cycles(ctx, ten.TenantID, in.ID, 10)
		for _, c := range cs {
			if c.StartedAt.After(off) && !c.FinishedAt.IsZero() {
				after = c
				return true
			}
		}
		return false
	})
	runs, _ := st.Runs(ctx, ten.TenantID, in.ID, "", 100, 0)
	ranOther := false
	for _, r := range runs {
		if r.CycleID != after.ID {
			continue
		}
		if r.Flow == store.FlowCustomersToERP {
			t.Fatalf("F1: the flow turned off still ran in cycle %d", after.ID)
		}
		ranOther = true
	}
	if !ranOther {
		t.Fatalf("cycle %d ran no flow at all: the check above proves nothing", after.ID)
	}

	// P7: every page the tenant has, and every e-mail sent so far, in Portuguese.
	id := strconv.FormatInt(int64(in.ID), 10)
	w.checkPortuguese(map[string]string{"/": "main", "/password": "main", "/integrations/" + id: "main",
		"/integrations/" + id + "/flows": "main", "/integrations/" + id + "/runs": "main",
		"/integrations/" + id + "/records": "main", "/integrations/" + id + "/audit": "main"})
	// … and every page a visitor has.
	w.submit(nil, `nav form button`, "#email")
	w.checkPortuguese(map[string]string{"/": "main", "/login": "#email", "/signup": "#name",
		"/password/forgot": "main", "/password/resend": "main", "/nao-existe": "main"})
}
