package flowtest

import (
	"context"

	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// Configure saves cfg as the integration's choices (S2–S9), keeping its credentials. The next
// cycle runs with them.
func (e *Env) Configure(cfg store.Config) {
	e.T.Helper()
	ctx := context.Background()
	if err := e.Store.SaveIntegrationSetup(ctx, e.In.TenantID, e.In.ID, cfg, e.In.Credentials); err != nil {
		e.T.Fatal(err)
	}
	in, err := e.Store.IntegrationByID(ctx, e.In.TenantID, e.In.ID)
	if err != nil {
		e.T.Fatal(err)
	}
	e.In = in
}

// OmieChoices creates in the Omie account a stock location, a bank account and a revenue
// category, and returns the configuration that chooses them (S7–S9), with task and quotation
// integration off (X) until a test sets them.
func (e *Env) OmieChoices() store.Config {
	e.T.Helper()
	loc, err := e.Omie.SeedLocation(e.OmieKey, omie.LocalEstoque{Codigo: "01", Descricao: "Almoxarifado técnico"})
	if err != nil {
		e.T.Fatal(err)
	}
	cc, err := e.Omie.SeedContaCorrente(e.OmieKey, omie.ContaCorrente{Descricao: "Banco da empresa", TipoContaCorrente: "CC"})
	if err != nil {
		e.T.Fatal(err)
	}
	cat, err := e.Omie.SeedCategoria(e.OmieKey, omie.Categoria{Codigo: "1.01.02", Descricao: "Venda de produtos e serviços",
		ContaReceita: omie.Sim})
	if err != nil {
		e.T.Fatal(err)
	}
	return store.Config{TaskStatus: "X", QuoteStatus: "X",
		BankAccount: cc.NCodCC, BankAccountName: cc.Descricao, Category: cat.Codigo, CategoryName: cat.Descricao,
		StockLocation: loc.CodigoLocalEstoque, StockLocationName: loc.Descricao}
}

// CycleWith runs one cycle under ctx, as Cycle does under a background context: a test cancels
// ctx to stop a cycle midway, as a crash would.
func (e *Env) CycleWith(ctx context.Context) error {
	e.T.Helper()
	id, err := e.Store.StartCycle(context.Background(), e.In.TenantID, e.In.ID, e.Clock.Now(), "test")
	if err != nil {
		e.T.Fatal(err)
	}
	err = e.Engine.RunCycle(ctx, store.Cycle{ID: id, TenantID: e.In.TenantID, IntegrationID: e.In.ID, Slot: e.Clock.Now(), Node: "test"})
	e.Clock.Advance(Period)
	return err
}
