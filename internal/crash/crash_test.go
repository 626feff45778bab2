package crash_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/bench"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/secret"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// ponteBin is the ponte binary the tests run as a separate process, built once.
var ponteBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ponte-crash-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ponteBin = filepath.Join(dir, "ponte")
	build := exec.Command("go", "build", "-o", ponteBin, "github.com/pontehub/ponte/cmd/ponte")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building ponte: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// The sizes of the sync the worker is killed in the middle of.
const (
	auvoCustomers = 80 // to create in Omie, and link back in Auvo (C-A)
	omieCustomers = 45 // to create in Auvo (C-E)
	tasks         = 25 // finished Auvo tasks, each one OS in Omie (K2)
	kills         = 10
	// A kill comes killAfter plus up to killWithin after the worker starts: it takes about a
	// second to start (migrations, River's election) before it syncs anything.
	killAfter, killWithin = 1500 * time.Millisecond, 3 * time.Second
)

// Operations: a worker killed with SIGKILL at random moments of a sync of a few hundred records,
// restarted each time, loses nothing and duplicates nothing: every customer exists once on the
// other side and is linked, every task is one OS.
func TestKilledWorkerLosesAndDuplicatesNothing(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) { crashRun(t, d, nil) })
}

// The same, with each sandbox answering 20 % of the calls with a 5xx, a dropped connection
// (timeout) or malformed JSON: failed creates are looked up before they are tried again.
func TestKilledWorkerWithPartnerFaults(t *testing.T) {
	t.Parallel()
	// Three independent faults of 7.2 % each: one call in five meets at least one.
	p := 1 - math.Cbrt(0.8)
	faults := []sandbox.Fault{
		{Kind: sandbox.FaultError, Probability: p, Status: 500},
		{Kind: sandbox.FaultTimeout, Probability: p, Latency: 300 * time.Millisecond},
		{Kind: sandbox.FaultMalformed, Probability: p},
	}
	flowtest.Each(t, func(t *testing.T, d store.Dialect) { crashRun(t, d, faults) })
}

// world is one crash run: the sandboxes in this process (their state outlives the worker), the
// database the worker uses, and what was seeded.
type world struct {
	t      *testing.T
	w      *bench.World
	st     *store.Store
	ten    bench.Tenant
	env    []string
	tasks  []auvo.Task
	logBuf bytes.Buffer
}

// newWorld seeds the sandboxes and the store with a sync of a few hundred records, active, and
// prepares the environment of a ponte worker process polling every period.
func newWorld(t *testing.T, d store.Dialect, period string) *world {
	ctx := context.Background()
	w := &world{t: t, w: bench.NewWorld(bench.WorldOptions{Latency: 3 * time.Millisecond, AuvoRateLimit: -1})}
	t.Cleanup(w.w.Close)
	dir := t.TempDir()
	key := storetest.Key(t)
	box, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	o := store.Options{Box: box, SQLitePath: filepath.Join(dir, "ponte.db")}
	if d == store.Postgres {
		o.URL = storetest.NewSchema(t)
	}
	if w.st, err = store.Open(ctx, o); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.st.Close() })
	if err := w.st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// The limits and Omie's no-repeat rule are the bench's subject (internal/bench); here they
	// would only make each restart wait.
	w.ten, err = w.w.Seed(ctx, w.st, 0, bench.SeedOptions{Customers: auvoCustomers, ERPCustomers: omieCustomers,
		Omie: omiesandbox.AccountOptions{DisableRedundant: true, DisableRateLimits: true}})
	if err != nil {
		t.Fatal(err)
	}
	w.seedTasks(ctx)
	if err := bench.Activate(ctx, w.st, []bench.Tenant{w.ten}); err != nil {
		t.Fatal(err)
	}
	w.env = append(os.Environ(), "PONTE_ROLES=worker", "PONTE_DATA_DIR="+dir, "PONTE_SECRET_KEY="+key,
		"PONTE_DATABASE_URL="+o.URL, "PONTE_POLL_INTERVAL="+period, "PONTE_WORKERS=4", "PONTE_LOG_LEVEL=error",
		"PONTE_AUVO_URL="+w.w.AuvoURL(), "PONTE_OMIE_URL="+w.w.OmieURL())
	return w
}

func crashRun(t *testing.T, d store.Dialect, faults []sandbox.Fault) {
	ctx := context.Background()
	w := newWorld(t, d, "1s")
	for _, f := range faults {
		w.w.Auvo.Faults().Add(f)
		w.w.Omie.Faults().Add(f)
	}

	// Kill at random moments, restart, repeat. With faults the killing goes on until the sync is
	// done: a worker that runs on with its in-memory copy of Omie's 60-second no-repeat rule
	// waits a minute behind each failed write, which a 1-second period turns into a stall.
	midway, deadline := 0, time.Now().Add(150*time.Second)
	for i := 0; ; i++ {
		p := w.start()
		began := time.Now()
		time.Sleep(killAfter + rand.N(killWithin))
		if err := p.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = p.Wait()
		w.fastForward(ctx)
		done, want := w.progress()
		t.Logf("kill %d after %v: %d of %d records synced", i+1, time.Since(began).Round(time.Millisecond), done, want)
		if done < want {
			midway++
		}
		if i+1 >= kills && (faults == nil || done == want) {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("after %d kills the sync had not finished: %d of %d records", i+1, done, want)
			break
		}
	}
	// A kill after the sync finished proves nothing: most must have landed in the middle.
	if midway < kills/2 {
		t.Errorf("only %d kills came before the sync finished", midway)
	}
	p := w.start()
	deadline = time.Now().Add(60 * time.Second)
	for {
		done, want := w.progress()
		if done == want {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("after the kills the sync did not finish: %d of %d records", done, want)
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	// One more cycle after the sync finished must change nothing.
	time.Sleep(2 * time.Second)
	_ = p.Process.Signal(syscall.SIGTERM)
	_ = p.Wait()
	w.check()
	if t.Failed() {
		w.explain(ctx)
	}
}

// explain logs what the engine recorded about the records that did not arrive, and the
// worker's log.
func (w *world) explain(ctx context.Context) {
	out, err := w.st.Outcomes(ctx, w.ten.ID, w.ten.Integration, store.OutcomeFilter{Action: store.ActionFailed, Limit: 100000})
	if err != nil {
		w.t.Logf("outcomes: %v", err)
	}
	last := map[string]store.Outcome{}
	for _, o := range out {
		k := string(o.Flow) + " " + o.AuvoID + "/" + o.ERPID + " " + o.Document
		if _, ok := last[k]; !ok {
			last[k] = o // newest first
		}
	}
	for k, o := range last {
		w.t.Logf("failed %s: %s %s", k, o.Reason, o.Message)
	}
	cycles, _ := w.st.Cycles(ctx, w.ten.ID, w.ten.Integration, 20)
	for _, c := range cycles {
		w.t.Logf("cycle %d slot %s %s %s", c.ID, c.Slot.Format(time.TimeOnly), c.Status, c.Error)
	}
	w.t.Logf("worker log:\n%s", w.logBuf.String())
}

// seedTasks creates a service in both systems (matched by code, K2) and one finished task with
// it for some of the Auvo customers, and turns the task flow on for every task status (4).
func (w *world) seedTasks(ctx context.Context) {
	t := w.t
	cfg, err := w.w.OmieChoices(w.ten.OmieKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.w.Omie.SeedServico(w.ten.OmieKey, omie.Servico{Cabecalho: omie.ServicoCabecalho{
		CDescricao: "Manutenção preventiva", CCodigo: "SRV-MP", NPrecoUnit: 180}}); err != nil {
		t.Fatal(err)
	}
	sv, err := w.w.Auvo.SeedService(w.ten.AuvoKey, auvo.Service{Title: "Preventiva", ExternalCode: "SRV-MP",
		Price: auvo.DecimalFromCents(18000), Active: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range tasks {
		tk, err := w.w.Auvo.SeedTask(w.ten.AuvoKey, auvo.Task{CustomerID: w.ten.Customers[i], Orientation: "Revisão do ar-condicionado",
			Finished: true, CheckinType: 1, CheckIn: true, CheckOut: true,
			Services: []auvo.TaskService{{ID: sv.ID, Name: sv.Title, Quantity: auvo.DecimalFromFloat(1),
				UnitaryValue: auvo.DecimalFromCents(18000), TotalValue: auvo.DecimalFromCents(18000)}}})
		if err != nil {
			t.Fatal(err)
		}
		w.tasks = append(w.tasks, tk)
	}
	in, err := w.st.IntegrationByID(ctx, w.ten.ID, w.ten.Integration)
	if err != nil {
		t.Fatal(err)
	}
	cfg.TaskStatus = strconv.Itoa(auvo.StatusAll)
	if err := w.st.SaveIntegrationSetup(ctx, w.ten.ID, w.ten.Integration, cfg, in.Credentials); err != nil {
		t.Fatal(err)
	}
	if err := w.st.SetFlowEnabled(ctx, w.ten.ID, w.ten.Integration, store.FlowTasks, true); err != nil {
		t.Fatal(err)
	}
}

// start runs `ponte serve` as a worker.
func (w *world) start() *exec.Cmd {
	cmd := exec.Command(ponteBin, "serve")
	cmd.Env = w.env
	cmd.Stdout, cmd.Stderr = &w.logBuf, &w.logBuf
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	return cmd
}

// fastForward does what time does for a node that died: River's leadership (15 s) and the
// cycle lease (30 min) it held expire. Waiting them out would take the test half an hour; the
// lease and leadership themselves are tested in internal/jobs and internal/app.
func (w *world) fastForward(ctx context.Context) {
	for _, q := range []string{`UPDATE integrations SET lease_owner = '', lease_until = NULL`, `DELETE FROM river_leader`} {
		if _, err := w.st.DB().ExecContext(ctx, q); err != nil {
			w.t.Fatalf("%s: %v", q, err)
		}
	}
}

// progress counts the records that reached the other side: Auvo customers in Omie and linked
// back, Omie customers in Auvo, tasks as OS.
func (w *world) progress() (done, want int) {
	omieByDoc, auvoByDoc := w.omieDocs(), w.auvoDocs()
	for _, doc := range w.ten.Docs {
		if len(omieByDoc[doc]) > 0 {
			if a := auvoByDoc[doc]; len(a) > 0 && a[0].ExternalID != "" {
				done++
			}
		}
	}
	for _, doc := range w.ten.ERPDocs {
		if len(auvoByDoc[doc]) > 0 {
			done++
		}
	}
	done += len(w.osByCode())
	return done, auvoCustomers + omieCustomers + tasks
}

// check asserts the end state: nothing lost, nothing twice, everything linked.
func (w *world) check() {
	t := w.t
	omieByDoc, auvoByDoc := w.omieDocs(), w.auvoDocs()
	for _, doc := range w.ten.Docs {
		if n := len(omieByDoc[doc]); n != 1 {
			t.Errorf("Auvo customer %s: %d customers in Omie, want 1", doc, n)
			continue
		}
		a := auvoByDoc[doc]
		if len(a) != 1 || a[0].ExternalID != strconv.FormatInt(omieByDoc[doc][0].CodigoClienteOmie, 10) {
			t.Errorf("Auvo customer %s: %d live in Auvo, external code %v, Omie id %d", doc, len(a), externalIDs(a), omieByDoc[doc][0].CodigoClienteOmie)
		}
	}
	for _, doc := range w.ten.ERPDocs {
		a := auvoByDoc[doc]
		if len(a) != 1 || len(omieByDoc[doc]) != 1 || a[0].ExternalID != strconv.FormatInt(omieByDoc[doc][0].CodigoClienteOmie, 10) {
			t.Errorf("Omie customer %s: %d live in Auvo (external codes %v), %d in Omie", doc, len(a), externalIDs(a), len(omieByDoc[doc]))
		}
	}
	if n, want := len(w.w.Omie.Customers(w.ten.OmieKey)), auvoCustomers+omieCustomers; n != want {
		t.Errorf("Omie has %d customers, want %d", n, want)
	}
	live := 0
	for _, r := range w.w.Auvo.Customers(w.ten.AuvoKey) {
		if !r.Deleted {
			live++
		}
	}
	if want := auvoCustomers + omieCustomers; live != want {
		t.Errorf("Auvo has %d live customers, want %d", live, want)
	}
	os := w.osByCode()
	for _, tk := range w.tasks {
		code := "auvo-task-" + strconv.FormatInt(tk.TaskID, 10) + "-os"
		if os[code] != 1 {
			t.Errorf("task %d: %d service orders, want 1", tk.TaskID, os[code])
		}
	}
	if n := len(w.w.Omie.ServiceOrders(w.ten.OmieKey)); n != tasks {
		t.Errorf("Omie has %d service orders, want %d", n, tasks)
	}
	for code, n := range w.salesByCode() {
		if n != 1 {
			t.Errorf("sale %s sent %d times", code, n)
		}
	}
}

func (w *world) omieDocs() map[string][]omie.ClienteCadastro {
	out := map[string][]omie.ClienteCadastro{}
	for _, c := range w.w.Omie.Customers(w.ten.OmieKey) {
		out[digits(c.CnpjCpf)] = append(out[digits(c.CnpjCpf)], c)
	}
	return out
}

func (w *world) auvoDocs() map[string][]auvo.Customer {
	out := map[string][]auvo.Customer{}
	for _, r := range w.w.Auvo.Customers(w.ten.AuvoKey) {
		if !r.Deleted {
			out[digits(r.Value.CPFCNPJ)] = append(out[digits(r.Value.CPFCNPJ)], r.Value)
		}
	}
	return out
}

func (w *world) osByCode() map[string]int {
	out := map[string]int{}
	for _, os := range w.w.Omie.ServiceOrders(w.ten.OmieKey) {
		out[os.Cabecalho.CCodIntOS]++
	}
	return out
}

func (w *world) salesByCode() map[string]int {
	out := map[string]int{}
	for _, p := range w.w.Omie.Orders(w.ten.OmieKey) {
		out[p.Cabecalho.CodigoPedidoIntegracao]++
	}
	return out
}

func externalIDs(cs []auvo.Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ExternalID)
	}
	return out
}

func digits(doc string) string {
	if d, err := br.ParseDocument(doc); err == nil {
		return d.Digits
	}
	return doc
}
