package demo_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/cli"
	"github.com/pontehub/ponte/internal/demo"
)

// syncBuffer is an io.Writer the command writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// demoRun is one `ponte demo` running in this process.
type demoRun struct {
	t      *testing.T
	out    *syncBuffer
	errs   *syncBuffer
	done   chan int
	portal string
	banner string
}

var portalRE = regexp.MustCompile(`portal:\s+(http://\S+)`)

// startDemo runs `ponte demo` in-process on dataDir, with free ports and nothing from the
// outside environment, and waits for the banner that names the portal.
func startDemo(t *testing.T, dataDir string) *demoRun {
	t.Helper()
	vars := map[string]string{
		"PONTE_DATA_DIR":     dataDir,
		"PONTE_ADDR":         "127.0.0.1:0",
		"PONTE_SANDBOX_ADDR": "127.0.0.1:0",
		"PONTE_LOG_LEVEL":    "warn",
	}
	r := &demoRun{t: t, out: &syncBuffer{}, errs: &syncBuffer{}, done: make(chan int, 1)}
	go func() {
		r.done <- cli.Run([]string{"demo"}, cli.Env{Stdout: r.out, Stderr: r.errs, LookupEnv: func(k string) (string, bool) {
			v, ok := vars[k]
			return v, ok
		}})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case code := <-r.done:
			t.Fatalf("ponte demo exited with %d before serving\nstdout:\n%s\nstderr:\n%s", code, r.out, r.errs)
		case <-time.After(50 * time.Millisecond):
		}
		if m := portalRE.FindStringSubmatch(r.out.String()); m != nil {
			r.portal, r.banner = m[1], r.out.String()
			return r
		}
	}
	t.Fatalf("no portal URL printed within 30 s\nstdout:\n%s\nstderr:\n%s", r.out, r.errs)
	return nil
}

// interrupt sends the process SIGINT, as Ctrl-C does, and checks the command exits cleanly. The
// command's signal.NotifyContext catches it, so the test binary itself is not stopped.
func (r *demoRun) interrupt() {
	r.t.Helper()
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		r.t.Fatal(err)
	}
	select {
	case code := <-r.done:
		if code != 0 {
			r.t.Fatalf("ponte demo exited with %d after Ctrl-C\nstderr:\n%s", code, r.errs)
		}
	case <-time.After(45 * time.Second):
		r.t.Fatalf("ponte demo did not stop within 45 s of Ctrl-C\nstderr:\n%s", r.errs)
	}
}

// browser is one signed-in visitor of the portal.
type browser struct {
	t    *testing.T
	base string
	hc   *http.Client
}

// login signs in through the login form (a same-origin POST, as the portal's cross-origin
// protection requires) and returns where the portal sent the user.
func login(t *testing.T, base, email, password string) (*browser, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	if _, status := b.get("/login"); status != http.StatusOK {
		t.Fatalf("GET /login: %d", status)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(url.Values{
		"email": {email}, "password": {password}, "next": {""}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err := b.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login as %s: %d\n%s", email, res.StatusCode, body)
	}
	return b, res.Request.URL.Path
}

func (b *browser) get(path string) (string, int) {
	b.t.Helper()
	res, err := b.hc.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return string(body), res.StatusCode
}

var (
	omieRowRE      = regexp.MustCompile(`<article id="integration-(\d+)">\s*<header><strong>Auvo ⇄ Omie</strong>`)
	contaAzulRowRE = regexp.MustCompile(`<article id="integration-(\d+)">\s*<header><strong>Auvo ⇄ Conta Azul</strong>`)
	totalRE        = regexp.MustCompile(`<p id="total">(\d+) registro`)
)

// created counts the records the run log shows as created for the integration id.
func (b *browser) created(id string) int {
	b.t.Helper()
	body, status := b.get("/integrations/" + id + "/records?action=created")
	m := totalRE.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		b.t.Fatalf("run log of integration %s: %d\n%s", id, status, body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestDemo is the newcomer's two minutes (issue 9): `ponte demo` on an empty data directory
// serves the portal, the printed demo login signs in without a forced password change, and the
// run log of Auvo ⇄ Omie shows, within the first minute, records created, linked (C-A3, C-E3),
// updated (C-A8, C-E9), skipped for each reason of SPEC §5 (no document, invalid document,
// address out of pattern, inactive, supplier) and locked (C-A7, C-E8). Ctrl-C exits cleanly; a
// second start on the same data reuses it: the same company, no second copy of anything.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	started := time.Now()
	r := startDemo(t, dir)
	for _, want := range []string{demo.TenantEmail, demo.TenantPassword, demo.OperatorEmail, demo.OperatorPassword} {
		if !strings.Contains(r.banner, want) {
			t.Errorf("the banner does not print %q:\n%s", want, r.banner)
		}
	}
	b, landed := login(t, r.portal, demo.TenantEmail, demo.TenantPassword)
	if landed != "/" {
		t.Fatalf("the demo login landed on %s, want the home page (no forced password change)", landed)
	}
	home, _ := b.get("/")
	m := omieRowRE.FindStringSubmatch(home)
	if m == nil {
		t.Fatalf("no Auvo ⇄ Omie integration on the home page:\n%s", home)
	}
	// Issue 17: the demo chose an open bank account, so its setup page shows it selected, not
	// "Selecione…" nor a saved choice flagged as no longer offered.
	setup, _ := b.get("/integrations/" + m[1])
	if sel, _, _ := strings.Cut(setup[max(strings.Index(setup, `<select id="bank_account"`), 0):], "</select>"); !strings.Contains(sel, `" selected>`) ||
		strings.Contains(sel, "não está mais na lista") {
		t.Errorf("the demo's Omie setup page does not show its bank account as chosen:\n%s", sel)
	}
	records := "/integrations/" + m[1] + "/records"
	ca := contaAzulRowRE.FindStringSubmatch(home)
	if ca == nil {
		t.Fatalf("no Auvo ⇄ Conta Azul integration on the home page:\n%s", home)
	}

	// Each outcome kind, and each skip reason the issue names, must show in the run log.
	want := map[string]string{
		"action=created": "outcome-created", "action=linked": "outcome-linked", "action=updated": "outcome-updated",
		"action=locked": "outcome-locked", "action=skipped": "outcome-skipped",
		"reason=no_document": "outcome-skipped", "reason=invalid_document": "outcome-skipped",
		"reason=address_pattern": "outcome-skipped", "reason=inactive": "outcome-skipped",
		"reason=not_client_tag": "outcome-skipped",
	}
	for len(want) > 0 && time.Since(started) < time.Minute {
		for q, class := range want {
			if body, status := b.get(records + "?" + q); status == http.StatusOK && strings.Contains(body, `class="outcome `+class+`"`) {
				delete(want, q)
			}
		}
		time.Sleep(time.Second)
	}
	for q := range want {
		t.Errorf("the run log shows no record for %s within the first minute", q)
	}
	if t.Failed() {
		t.Logf("stderr:\n%s", r.errs)
	}
	// The operator login works too and reads the demo's e-mails.
	op, landed := login(t, r.portal, demo.OperatorEmail, demo.OperatorPassword)
	if landed != "/operator" {
		t.Errorf("the operator login landed on %s", landed)
	}
	if _, status := op.get("/operator/outbox"); status != http.StatusOK {
		t.Errorf("operator outbox: %d", status)
	}
	omieBefore, caBefore := b.created(m[1]), b.created(ca[1])
	r.interrupt()

	// Second start on the same data directory.
	r = startDemo(t, dir)
	if !strings.Contains(r.banner, "earlier start") {
		t.Errorf("the second start does not say it reuses the data:\n%s", r.banner)
	}
	b, landed = login(t, r.portal, demo.TenantEmail, demo.TenantPassword)
	if landed != "/" {
		t.Fatalf("after a restart the demo login landed on %s", landed)
	}
	home, _ = b.get("/")
	if n := strings.Count(home, `<article id="integration-`); n != 3 {
		t.Errorf("after a restart the company has %d integrations, want the same 3", n)
	}
	if m2 := omieRowRE.FindStringSubmatch(home); m2 == nil || m2[1] != m[1] {
		t.Errorf("after a restart Auvo ⇄ Omie is not the same integration (%v, was %s)", m2, m[1])
	}
	// The stored keys and the reconnected OAuth account work against the fresh sandboxes: the
	// first cycle after the restart creates the records again, on Omie and on Conta Azul.
	deadline := time.Now().Add(45 * time.Second)
	for time.Now().Before(deadline) && (b.created(m[1]) <= omieBefore || b.created(ca[1]) <= caBefore) {
		time.Sleep(time.Second)
	}
	if n := b.created(m[1]); n <= omieBefore {
		t.Errorf("after a restart Auvo ⇄ Omie created nothing (%d created records, %d before)", n, omieBefore)
	}
	if n := b.created(ca[1]); n <= caBefore {
		t.Errorf("after a restart Auvo ⇄ Conta Azul created nothing (%d created records, %d before)", n, caBefore)
	}
	if home, _ = b.get("/"); strings.Contains(home, "state-error") {
		t.Errorf("after a restart an integration shows an error:\n%s", home)
	}
	op, _ = login(t, r.portal, demo.OperatorEmail, demo.OperatorPassword)
	all, _ := op.get("/operator/integrations")
	if n := strings.Count(all, `<tr id="op-integration-`); n != 3 {
		t.Errorf("after a restart the operator sees %d integrations in all, want 3 (no second demo company)", n)
	}
	r.interrupt()
}
