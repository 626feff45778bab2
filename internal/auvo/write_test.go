package auvo_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
)

func sameCustomerData(t *testing.T, what string, got, want auvo.Customer) {
	t.Helper()
	if got.Description != want.Description || got.ExternalID != want.ExternalID || got.CPFCNPJ != want.CPFCNPJ ||
		got.Address != want.Address || got.AdressComplement != want.AdressComplement || got.Note != want.Note ||
		got.Active != want.Active || !slices.Equal(got.PhoneNumber, want.PhoneNumber) ||
		!slices.Equal(got.Email, want.Email) || got.Latitude != want.Latitude || got.Longitude != want.Longitude {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

// Round trip: what CreateCustomer, UpsertCustomer and PatchCustomer write is what a read returns.
func TestCustomerWritesRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	in := auvo.Customer{Description: "Padaria Exemplo Ltda", ExternalID: "omie:1042", CPFCNPJ: "11222333000181",
		PhoneNumber: []string{"11987654321"}, Email: []string{"contato@padariaexemplo.com.br"},
		Address: "Rua das Flores, 100, Centro, Sao Paulo - SP, 01001-000, Brasil", AdressComplement: "Loja 2",
		Latitude: -23.55052, Longitude: -46.63331, Active: true, Note: "cliente desde 2019"}
	created, err := e.c.CreateCustomer(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.c.GetCustomer(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameCustomerData(t, "create then get", got, in)

	// PUT by externalId updates the same customer, merging: the contact seeded by a user survives.
	if _, err := e.sb.EditCustomer(e.acc.APIKey, created.ID, func(c *auvo.Customer) {
		c.Contacts = []auvo.Contact{{ID: 7, Name: "Maria Souza"}}
	}); err != nil {
		t.Fatal(err)
	}
	up := in
	up.Description, up.Address, up.Email = "Padaria Exemplo Ltda ME", "Rua Nova, 5, Centro - Sao Paulo - SP", []string{"novo@exemplo.com.br"}
	saved, isNew, err := e.c.UpsertCustomer(ctx, up)
	if err != nil || isNew || saved.ID != created.ID {
		t.Fatalf("upsert of an existing externalId: id %d new %v, %v", saved.ID, isNew, err)
	}
	got, _ = e.c.GetCustomer(ctx, created.ID)
	sameCustomerData(t, "upsert then get", got, up)
	if len(got.Contacts) != 1 {
		t.Errorf("upsert with replaceData false lost the contacts: %+v", got.Contacts)
	}

	// PUT with an unknown externalId creates.
	other := auvo.Customer{Description: "Outro Cliente", ExternalID: "omie:77", Active: true}
	saved, isNew, err = e.c.UpsertCustomer(ctx, other)
	if err != nil || !isNew || saved.ID == created.ID {
		t.Fatalf("upsert of a new externalId: %+v new %v, %v", saved, isNew, err)
	}
	got, _ = e.c.GetCustomer(ctx, saved.ID)
	sameCustomerData(t, "upsert-create then get", got, other)

	// PATCH, with and without the leading slash (API doc §8.2).
	patched, err := e.c.PatchCustomer(ctx, created.ID, []auvo.PatchOp{
		auvo.Replace("externalId", "omie:2048"), auvo.Replace("/note", "trocou de ERP"), auvo.Replace("active", false)})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = e.c.GetCustomer(ctx, created.ID)
	if got.ExternalID != "omie:2048" || got.Note != "trocou de ERP" || got.Active || patched.ExternalID != got.ExternalID {
		t.Errorf("patch then get: %+v", got)
	}
	if !got.DateLastUpdate.After(created.DateLastUpdate.Time) && got.DateLastUpdate != created.DateLastUpdate {
		t.Errorf("dateLastUpdate went back: %v < %v", got.DateLastUpdate, created.DateLastUpdate)
	}
}

// Writes move dateLastUpdate, which is what Ponte's incremental read depends on.
func TestWritesMoveDateLastUpdate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	c, err := e.c.CreateCustomer(ctx, auvo.Customer{Description: "A", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(10 * time.Minute)
	p, err := e.c.PatchCustomer(ctx, c.ID, []auvo.PatchOp{auvo.Replace("note", "x")})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.DateLastUpdate.Sub(c.DateLastUpdate.Time); got != 10*time.Minute {
		t.Errorf("PATCH moved dateLastUpdate by %v, want 10m", got)
	}
}

// API doc §5: POST /products stores prices ×10, so the client creates without a price and sets
// it by PATCH; the product read back has the price that was meant. Stock and patch round trip.
func TestProductWritesRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	in := auvo.Product{ExternalID: "omie:p1", Code: "456", Name: "Rolamento 6203", Description: "Rolamento 6203",
		UnitaryValue: auvo.DecimalFromCents(1250), UnitaryCost: auvo.DecimalFromCents(610),
		MinimumStock: auvo.DecimalFromCents(3000), Active: true}
	created, err := e.c.CreateProduct(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.c.GetProduct(ctx, "456")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != in.Name || got.ExternalID != in.ExternalID || got.UnitaryValue.Cents() != 1250 ||
		got.UnitaryCost.Cents() != 610 || got.MinimumStock.Cents() != 3000 || got.ProductID != created.ProductID {
		t.Errorf("create then get: %+v", got)
	}
	if _, err := e.c.PatchProduct(ctx, "456", []auvo.PatchOp{auvo.Replace("unitaryValue", 13.9), auvo.Replace("name", "Rolamento 6203 ZZ")}); err != nil {
		t.Fatal(err)
	}
	if err := e.c.SetEmployeeStock(ctx, 166471, created.ProductID, auvo.DecimalFromCents(500)); err != nil {
		t.Fatal(err)
	}
	got, _ = e.c.GetProduct(ctx, created.ProductID) // by GUID too
	if got.Name != "Rolamento 6203 ZZ" || got.UnitaryValue.Cents() != 1390 {
		t.Errorf("patch then get: %+v", got)
	}
	if len(got.EmployeesStock) != 1 || got.EmployeesStock[0].UserID != 166471 || got.EmployeesStock[0].Amount.Cents() != 500 {
		t.Errorf("stock then get: %+v", got.EmployeesStock)
	}
	byExt, ok, err := e.c.ProductByExternalID(ctx, "omie:p1")
	if err != nil || !ok || byExt.Code != "456" {
		t.Errorf("ProductByExternalID: %+v %v %v", byExt, ok, err)
	}
}

func TestServiceWritesRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	in := auvo.Service{Title: "Limpeza de split", Description: "Higienização completa", Price: auvo.DecimalFromCents(18000), Active: true, ExternalCode: "omie:s1"}
	created, err := e.c.CreateService(ctx, in)
	if err != nil || created.ID == "" {
		t.Fatalf("CreateService: %+v, %v", created, err)
	}
	got, err := e.c.GetService(ctx, created.ID)
	if err != nil || got.Title != in.Title || got.Description != in.Description || got.Price.Cents() != 18000 || got.ExternalCode != in.ExternalCode {
		t.Errorf("create then get: %+v, %v", got, err)
	}
	if _, err := e.c.PatchService(ctx, created.ID, []auvo.PatchOp{auvo.Replace("price", 200)}); err != nil {
		t.Fatal(err)
	}
	all, err := e.c.AllServices(ctx, auvo.ServiceFilter{Title: "limpeza"})
	if err != nil || len(all) != 1 || all[0].Price.Cents() != 20000 {
		t.Errorf("patch then list: %+v, %v", all, err)
	}
}

// API doc §3.1: product and service lines written into a task come back in the task, with totals.
func TestTaskWritesRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auvosandbox.Options{})
	ctx := context.Background()
	key := e.acc.APIKey
	p, _ := e.sb.SeedProduct(key, auvo.Product{Name: "Rolamento", Code: "456"})
	sv, _ := e.sb.SeedService(key, auvo.Service{Title: "Visita técnica"})
	task, _ := e.sb.SeedTask(key, auvo.Task{Orientation: "Trocar rolamento"})
	if _, err := e.c.SetTaskProducts(ctx, task.TaskID, []auvo.TaskItem{{ID: p.ProductID, Quantity: auvo.DecimalFromFloat(2), Value: auvo.DecimalFromCents(4400)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.SetTaskServices(ctx, task.TaskID, []auvo.TaskItem{{ID: sv.ID, Quantity: auvo.DecimalFromFloat(1), Value: auvo.DecimalFromCents(12000), Discount: auvo.DecimalFromCents(2000)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.PatchTask(ctx, task.TaskID, []auvo.PatchOp{auvo.Replace("/externalId", "omie:os-9")}); err != nil {
		t.Fatal(err)
	}
	got, err := e.c.GetTask(ctx, task.TaskID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Products) != 1 || got.Products[0].ProductID != p.ProductID || got.Products[0].Code != "456" ||
		got.Products[0].Quantity.Cents() != 200 || got.Products[0].TotalValue.Cents() != 8800 {
		t.Errorf("products: %+v", got.Products)
	}
	if len(got.Services) != 1 || got.Services[0].ID != sv.ID || got.Services[0].TotalValue.Cents() != 10000 {
		t.Errorf("services: %+v", got.Services)
	}
	if got.ExternalID != "omie:os-9" || got.Summary.TotalValue.Cents() != 18800 {
		t.Errorf("task: externalId %q summary %+v", got.ExternalID, got.Summary)
	}
	products, err := e.c.TaskProducts(ctx, task.TaskID)
	if err != nil || len(products) != 1 {
		t.Errorf("TaskProducts: %+v, %v", products, err)
	}
	services, err := e.c.TaskServices(ctx, task.TaskID)
	if err != nil || len(services) != 1 {
		t.Errorf("TaskServices: %+v, %v", services, err)
	}
}

// Creates are never retried blindly: when Auvo stored the customer but the answer was lost
// (a 502 from a proxy), the client finds it by externalId instead of creating a second one.
func TestCreateAfterLostAnswerLooksUpFirst(t *testing.T) {
	t.Parallel()
	clk := sandbox.NewClock(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	sb := auvosandbox.New(auvosandbox.Options{Now: clk.Now})
	hub := sandbox.NewHub(sb)
	var lose atomic.Int32
	lose.Store(1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(strings.TrimRight(r.URL.Path, "/"), "/customers") && lose.Add(-1) >= 0 {
			hub.ServeHTTP(httptest.NewRecorder(), r) // Auvo does the work …
			w.WriteHeader(http.StatusBadGateway)     // … and the answer is lost on the way back
			return
		}
		hub.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	acc := sb.NewAccount()
	c := auvo.New(srv.URL+"/auvo/v2", auvo.Credentials{APIKey: acc.APIKey, APIToken: acc.APIToken},
		&partner.Doer{HTTP: partner.NewHTTPClient(partner.HTTPOptions{}), Backoff: time.Millisecond})
	got, err := c.CreateCustomer(context.Background(), auvo.Customer{Description: "Cliente Novo", ExternalID: "omie:9", Active: true})
	if err != nil || got.ExternalID != "omie:9" || got.ID == 0 {
		t.Fatalf("CreateCustomer: %+v, %v", got, err)
	}
	if n := len(sb.Customers(acc.APIKey)); n != 1 {
		t.Errorf("Auvo holds %d customers, want 1", n)
	}
	if n := sb.Counter().Snapshot()["POST /customers"]; n != 1 {
		t.Errorf("POST /customers sent %d times, want 1", n)
	}

	// When the lost create did not happen, the look-up finds nothing and the create is sent again.
	sb.Faults().Add(sandbox.Fault{Method: "POST /customers", Kind: sandbox.FaultError, Status: http.StatusBadGateway, Count: 1})
	got, err = c.CreateCustomer(context.Background(), auvo.Customer{Description: "Outro", ExternalID: "omie:10", Active: true})
	if err != nil || got.ExternalID != "omie:10" {
		t.Fatalf("CreateCustomer after a failed create: %+v, %v", got, err)
	}
	if n := len(sb.Customers(acc.APIKey)); n != 2 {
		t.Errorf("Auvo holds %d customers, want 2", n)
	}
}
