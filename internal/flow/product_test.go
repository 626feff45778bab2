package flow_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// opsEnv returns an Env where only the flows on run, configured with an Omie stock location,
// bank account and category (S7–S9).
func opsEnv(t *testing.T, d store.Dialect, on ...store.Flow) (*flowtest.Env, store.Config) {
	t.Helper()
	var off []store.Flow
	for _, f := range store.FlowsFor(store.Omie) {
		if !slices.Contains(on, f) {
			off = append(off, f)
		}
	}
	env := flowtest.New(t, d, flowtest.Options{Off: off})
	cfg := env.OmieChoices()
	env.Configure(cfg)
	return env, cfg
}

// seedProduct stores an Omie product with a balance in location loc (none when loc is zero).
func seedProduct(t *testing.T, env *flowtest.Env, loc int64, p omie.Produto, balance float64) omie.Produto {
	t.Helper()
	if p.Unidade == "" {
		p.Unidade, p.NCM = "UN", "8482.10.10"
	}
	saved, err := env.Omie.SeedProduct(env.OmieKey, p)
	if err != nil {
		t.Fatal(err)
	}
	if loc != 0 {
		setBalance(t, env, loc, saved, balance)
	}
	return saved
}

func setBalance(t *testing.T, env *flowtest.Env, loc int64, p omie.Produto, balance float64) {
	t.Helper()
	if err := env.Omie.SetStock(env.OmieKey, omie.PosEstoque{CodigoLocalEstoque: loc, NCodProd: p.CodigoProduto, NSaldo: balance}); err != nil {
		t.Fatal(err)
	}
}

// editProduct changes an Omie product as a person would: stored again, with a new change time.
func editProduct(t *testing.T, env *flowtest.Env, p omie.Produto, edit func(*omie.Produto)) omie.Produto {
	t.Helper()
	edit(&p)
	p.Info = nil
	saved, err := env.Omie.SeedProduct(env.OmieKey, p)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

func produtoID(p omie.Produto) string { return strconv.FormatInt(p.CodigoProduto, 10) }

// auvoProducts returns the live Auvo products whose externalId is the Omie product's id.
func auvoProducts(env *flowtest.Env, p omie.Produto) []auvo.Product {
	var out []auvo.Product
	for _, r := range env.Auvo.Products(env.AuvoKey) {
		if !r.Deleted && r.Value.ExternalID == produtoID(p) {
			out = append(out, r.Value)
		}
	}
	return out
}

func oneAuvoProduct(t *testing.T, env *flowtest.Env, p omie.Produto) auvo.Product {
	t.Helper()
	list := auvoProducts(env, p)
	if len(list) != 1 {
		t.Fatalf("Auvo has %d products for Omie product %d, want 1", len(list), p.CodigoProduto)
	}
	return list[0]
}

func TestProductsOmieToAuvo(t *testing.T) {
	t.Parallel()
	const flowPR = store.FlowProducts

	t.Run("PR1 product with a position in the chosen location is created in Auvo, linked, price set by PATCH", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env, cfg := opsEnv(t, d, flowPR)
			p := seedProduct(t, env, cfg.StockLocation, omie.Produto{Codigo: "ROL-6203", Descricao: "Rolamento 6203",
				ValorUnitario: 12.5}, 7)
			env.MustCycle()
			a := oneAuvoProduct(t, env, p)
			if a.Name != "Rolamento 6203" || a.Code != "ROL-6203" || a.UnitaryValue.Cents() != 1250 ||
				a.TotalStock.Float64() != 7 || !a.Active {
				t.Fatalf("Auvo product = %+v", a)
			}
			// api/auvo.md §5: POST stores prices ×10, so the price goes by PATCH after the create.
			if n := calls(env, "auvo", "POST /products"); n != 1 {
				t.Errorf("POST /products = %d, want 1", n)
			}
			l, err := env.Store.LinkByERPID(t.Context(), env.In.TenantID, env.In.ID, store.EntityProduct, produtoID(p))
			if err != nil || l.AuvoID != a.ProductID {
				t.Fatalf("link = %+v, %v; want Auvo %s", l, err, a.ProductID)
			}
			wantOutcome(t, outcomeOf(t, env, flowPR, "", produtoID(p)), store.ActionCreated, "product_created")
		})
	})

	t.Run("PR4 product only in another location is never created, even when it changes", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env, _ := opsEnv(t, d, flowPR, store.FlowStock)
			other, err := env.Omie.SeedLocation(env.OmieKey, omie.LocalEstoque{Codigo: "02", Descricao: "Loja"})
			if err != nil {
				t.Fatal(err)
			}
			p := seedProduct(t, env, other.CodigoLocalEstoque, omie.Produto{Codigo: "FIL-01", Descricao: "Filtro", ValorUnitario: 30}, 50)
			env.MustCycle()
			editProduct(t, env, p, func(p *omie.Produto) { p.Descricao = "Filtro novo"; p.ValorUnitario = 31 })
			setBalance(t, env, other.CodigoLocalEstoque, p, 49)
			env.MustCycle()
			if list := auvoProducts(env, p); len(list) != 0 {
				t.Fatalf("product of another location reached Auvo: %+v", list)
			}
			if w := flowtest.Writes(env.Stats()); hasCallPrefix(w, "auvo") {
				t.Fatalf("Auvo writes: %v", w)
			}
			wantOutcome(t, outcomeOf(t, env, flowPR, "", produtoID(p)), store.ActionSkipped, "product_other_location")
		})
	})

	t.Run("PR1 a product that gets a position in the location later is created, though the product did not change", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env, cfg := opsEnv(t, d, flowPR)
			p := seedProduct(t, env, 0, omie.Produto{Codigo: "CAP-35", Descricao: "Capacitor 35uF", ValorUnitario: 18}, 0)
			env.MustCycle()
			env.MustCycle()
			if list := auvoProducts(env, p); len(list) != 0 {
				t.Fatalf("product without a position reached Auvo: %+v", list)
			}
			setBalance(t, env, cfg.StockLocation, p, 6)
			env.MustCycle()
			if a := oneAuvoProduct(t, env, p); a.TotalStock.Float64() != 6 || a.UnitaryValue.Cents() != 1800 {
				t.Fatalf("Auvo product = %+v", a)
			}
		})
	})

	t.Run("PR2 name, price and active changed in Omie update Auvo in one PATCH", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env, cfg := opsEnv(t, d, flowPR)
			p := seedProduct(t, env, cfg.StockLocation, omie.Produto{Codigo: "COR-A", Descricao: "Correia A", ValorUnitario: 20}, 3)
			env.MustCycle()
			editProduct(t, env, p, func(p *omie.Produto) { p.Descricao = "Correia A-42"; p.ValorUnitario = 22.9; p.Inativo = omie.Sim })
			env.ResetStats()
			env.MustCycle()
			a := oneAuvoProduct(t, env, p)
			if a.Name != "Correia A-42" || a.UnitaryValue.Cents() != 2290 || a.Active {
				t.Fatalf("Auvo product = %+v", a)
			}
			if w := flowtest.Writes(env.Stats()); w["auvo PATCH /products/{id}"] != 1 || len(w) != 1 {
				t.Fatalf("writes = %v, want one PATCH", w)
			}
			wantOutcome(t, outcomeOf(t, env, flowPR, "", produtoID(p)), store.ActionUpdated, "product_updated")
			// Nothing changed since: no write at all.
			env.ResetStats()
			env.MustCycle()
			if w := flowtest.Writes(env.Stats()); len(w) != 0 {
				t.Fatalf("writes without a change = %v", w)
			}
		})
	})

	t.Run("PR1 product already in Auvo under its externalId (a run stopped before its link) is linked, not created twice", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env, cfg := opsEnv(t, d, flowPR)
			p := seedProduct(t, env, cfg.StockLocation, omie.Produto{Codigo: "VAL-9", Descricao: "Válvula 9", ValorUnitario: 9.9}, 1)
			if _, err := env.Auvo.SeedProduct(env.AuvoKey, auvo.Product{ExternalID: produtoID(p), Code: "VAL-9",
				Name: "Valvula 9", Active: true}); err != nil {
				t.Fatal(err)
			}
			env.MustCycle()
			a := oneAuvoProduct(t, env, p)
			if n := calls(env, "auvo", "POST /products"); n != 0 {
				t.Fatalf("POST /products = %d, want 0", n)
			}
			if a.Name != "Válvula 9" || a.UnitaryValue.Cents() != 990 {
				t.Fatalf("Auvo product not brought in line: %+v", a)
			}
			wantOutcome(t, outcomeOf(t, env, flowPR, "", produtoID(p)), store.ActionLinked, "product_linked")
		})
	})
}

func TestStockOmieToAuvo(t *testing.T) {
	t.Parallel()

	t.Run("PR3 a stock change of one product costs one Auvo write", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env, cfg := opsEnv(t, d, store.FlowProducts, store.FlowStock)
			var ps []omie.Produto
			for i, name := range []string{"Parafuso", "Porca", "Arruela"} {
				ps = append(ps, seedProduct(t, env, cfg.StockLocation, omie.Produto{Codigo: "P" + strconv.Itoa(i), Descricao: name,
					ValorUnitario: 1}, float64(10*(i+1))))
			}
			env.MustCycle()
			env.ResetStats()
			env.MustCycle()
			if w := flowtest.Writes(env.Stats()); len(w) != 0 {
				t.Fatalf("writes without a change = %v", w)
			}
			setBalance(t, env, cfg.StockLocation, ps[1], 17.5)
			env.ResetStats()
			env.MustCycle()
			if w := flowtest.Writes(env.Stats()); w["auvo PATCH /products/{id}"] != 1 || len(w) != 1 {
				t.Fatalf("writes = %v, want one Auvo PATCH", w)
			}
			for i, want := range []float64{10, 17.5, 30} {
				if got := oneAuvoProduct(t, env, ps[i]).TotalStock.Float64(); got != want {
					t.Errorf("%s stock = %v, want %v", ps[i].Descricao, got, want)
				}
			}
			o := outcomeOf(t, env, store.FlowStock, "", produtoID(ps[1]))
			wantOutcome(t, o, store.ActionUpdated, "stock_updated")
		})
	})

	t.Run("PR3 PR4 the balance of another location never reaches Auvo", func(t *testing.T) {
		t.Parallel()
		flowtest.Each(t, func(t *testing.T, d store.Dialect) {
			env, cfg := opsEnv(t, d, store.FlowProducts, store.FlowStock)
			other, err := env.Omie.SeedLocation(env.OmieKey, omie.LocalEstoque{Codigo: "02", Descricao: "Loja"})
			if err != nil {
				t.Fatal(err)
			}
			p := seedProduct(t, env, cfg.StockLocation, omie.Produto{Codigo: "LUB", Descricao: "Lubrificante", ValorUnitario: 5}, 4)
			setBalance(t, env, other.CodigoLocalEstoque, p, 900)
			env.MustCycle()
			setBalance(t, env, other.CodigoLocalEstoque, p, 800)
			env.MustCycle()
			if got := oneAuvoProduct(t, env, p).TotalStock.Float64(); got != 4 {
				t.Fatalf("Auvo stock = %v, want the chosen location's 4", got)
			}
		})
	})
}
