package flow_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/app"
	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/connector"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// F2 V1: a running Ponte (App, job engine, sync engine) runs the enabled customer flows of an
// active integration on its own, records each run, and resumes after a throttle.
func TestAppRunsTheCustomerFlows(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			au, om := auvosandbox.New(auvosandbox.Options{}), omiesandbox.New(omiesandbox.Options{})
			srv := httptest.NewServer(sandbox.NewHub(au, om))
			defer srv.Close()
			env := map[string]string{"PONTE_ADDR": "127.0.0.1:0", "PONTE_DATA_DIR": t.TempDir(), "PONTE_SECRET_KEY": storetest.Key(t),
				"PONTE_POLL_INTERVAL": "2s", "PONTE_ROLES": "worker",
				"PONTE_AUVO_URL": srv.URL + "/auvo/v2", "PONTE_OMIE_URL": srv.URL + "/omie/api/v1"}
			if d == store.Postgres {
				env["PONTE_DATABASE_URL"] = storetest.NewSchema(t)
			}
			cfg, err := config.FromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)),
				app.Options{Connector: connector.Options{Doer: &partner.Doer{HTTP: srv.Client(), Backoff: time.Millisecond}}})
			if err != nil {
				t.Fatal(err)
			}
			st := a.Store()

			acc, oacc := au.NewAccount(), om.NewAccount(omiesandbox.AccountOptions{DisableRedundant: true})
			ten, _ := st.CreateTenant(ctx, "Clima Norte")
			in, err := st.CreateIntegration(ctx, ten.ID, store.Omie)
			if err != nil {
				t.Fatal(err)
			}
			cr := store.Credentials{AuvoAPIKey: acc.APIKey, AuvoAPIToken: acc.APIToken, OmieAppKey: oacc.AppKey, OmieAppSecret: oacc.AppSecret}
			if err := st.SaveIntegrationSetup(ctx, ten.ID, in.ID, store.Config{TaskStatus: "X", QuoteStatus: "X"}, cr); err != nil {
				t.Fatal(err)
			}
			for _, f := range []store.Flow{store.FlowProducts, store.FlowStock, store.FlowTasks, store.FlowQuotes} {
				if err := st.SetFlowEnabled(ctx, ten.ID, in.ID, f, false); err != nil {
					t.Fatal(err)
				}
			}
			docA, docO := cnpj(), cnpj()
			if _, err := au.SeedCustomer(acc.APIKey, auvo.Customer{Description: "Do Auvo", CPFCNPJ: docA, Active: true, Address: goodAddress}); err != nil {
				t.Fatal(err)
			}
			if _, err := om.SeedCustomer(oacc.AppKey, omie.ClienteCadastro{RazaoSocial: "Do Omie", CnpjCpf: docO, Tags: cliente(),
				Endereco: "Av. Brasil", EnderecoNumero: "500", Bairro: "Jardins", Cidade: "SAO PAULO (SP)", Estado: "SP", Cep: "01430001"}); err != nil {
				t.Fatal(err)
			}
			// The first cycle meets a throttled Omie: the job snoozes and the records still arrive.
			om.Faults().Add(sandbox.Fault{Method: "ListarClientes", Kind: sandbox.FaultThrottle, Count: 1})
			if err := st.SetIntegrationState(ctx, ten.ID, in.ID, store.StateActive, ""); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- a.Run(ctx) }()

			// Wait until each flow's runs have recorded its customer, then check both accounts.
			created := func(f store.Flow) int {
				runs, err := st.Runs(ctx, ten.ID, in.ID, f, 100, 0)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, r := range runs {
					n += r.Counts.Created
				}
				return n
			}
			for deadline := time.Now().Add(90 * time.Second); created(store.FlowCustomersToERP) < 1 || created(store.FlowCustomersToAuvo) < 1; {
				if time.Now().After(deadline) {
					t.Fatalf("V1 runs recorded no creation: to ERP %d, to Auvo %d", created(store.FlowCustomersToERP), created(store.FlowCustomersToAuvo))
				}
				time.Sleep(200 * time.Millisecond)
			}
			cancel()
			<-done
			ctx = context.Background()
			if n := len(omieByDocIn(om, oacc.AppKey, docA)); n != 1 {
				t.Errorf("Omie has %d customers with the Auvo customer's document", n)
			}
			if n := len(auvoByDocIn(au, acc.APIKey, docO)); n != 1 {
				t.Errorf("Auvo has %d customers with the Omie customer's document", n)
			}
			cycles, err := st.Cycles(ctx, ten.ID, in.ID, 100)
			if err != nil {
				t.Fatal(err)
			}
			snoozed := false
			for _, c := range cycles {
				snoozed = snoozed || c.Status == "snoozed"
			}
			if !snoozed {
				t.Errorf("the throttled cycle was not snoozed: %+v", cycles)
			}
		})
	}
}
