package omiesandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
)

// The admin API other tests seed and inspect through: isolated accounts, call counts keyed by
// Omie's call name, user edits that move dAlt, deletion, options and reset.
func TestAdminAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount(t, nil)
	b := e.newAccount(t, nil)
	if a == b {
		t.Fatal("two accounts got the same credentials")
	}
	var seeded []map[string]any
	if st := e.admin(t, http.MethodPost, "/accounts/"+a.AppKey+"/customers",
		[]map[string]any{{"razao_social": "UM", "cnpj_cpf": "39330543000102"}, {"razao_social": "DOIS"}}, &seeded); st != http.StatusCreated {
		t.Fatalf("seed: %d", st)
	}
	if len(seeded) != 2 || seeded[0]["cnpj_cpf"] != "39.330.543/0001-02" || seeded[0]["pessoa_fisica"] != "N" {
		t.Fatalf("seeded = %v", seeded)
	}

	t.Run("accounts are isolated", func(t *testing.T) {
		if got := e.call(t, "geral/clientes", "ListarClientes", b, map[string]any{"pagina": 1}); got.str("faultcode") != "SOAP-ENV:Client-5113" {
			t.Errorf("account b sees records: %s", got.raw)
		}
	})

	t.Run("stats keyed by call name", func(t *testing.T) {
		e.call(t, "geral/clientes", "ListarClientes", a, map[string]any{"pagina": 1, "registros_por_pagina": 1})
		var stats map[string]map[string]int
		if st := adminRoot(t, e, "/_sandbox/stats", &stats); st != 200 || stats["omie"]["ListarClientes"] < 1 {
			t.Errorf("stats = %v", stats)
		}
	})

	t.Run("a user edit moves dAlt and shows in the incremental list", func(t *testing.T) {
		id := fmt.Sprint(seeded[1]["codigo_cliente_omie"])
		e.clock.Advance(time.Hour)
		var edited map[string]any
		if st := e.admin(t, http.MethodPatch, "/accounts/"+a.AppKey+"/customers/"+id, map[string]any{"email": "novo@x.com.br"}, &edited); st != 200 {
			t.Fatalf("edit: %d", st)
		}
		info := edited["info"].(map[string]any)
		now := e.clock.Now()
		if info["dAlt"] != omie.FormatDate(now) || info["hAlt"] != omie.FormatTime(now) || info["uAlt"] == "WEBSERVICE" {
			t.Errorf("info after edit = %v, want dAlt/hAlt at %v by a user", info, now)
		}
		got := e.call(t, "geral/clientes", "ListarClientes", a, map[string]any{"pagina": 1, "filtrar_apenas_alteracao": "S",
			"filtrar_por_data_de": omie.FormatDate(now), "filtrar_por_hora_de": omie.FormatTime(now)})
		rows, _ := got.body["clientes_cadastro"].([]any)
		if len(rows) != 1 || fmt.Sprint(rows[0].(map[string]any)["codigo_cliente_omie"]) != id {
			t.Errorf("changed since the edit: %s", got.raw)
		}
	})

	t.Run("delete", func(t *testing.T) {
		id := fmt.Sprint(seeded[0]["codigo_cliente_omie"])
		if st := e.admin(t, http.MethodDelete, "/accounts/"+a.AppKey+"/customers/"+id, nil, nil); st != http.StatusNoContent {
			t.Fatalf("delete: %d", st)
		}
		var rows []map[string]any
		e.admin(t, http.MethodGet, "/accounts/"+a.AppKey+"/customers", nil, &rows)
		if len(rows) != 1 {
			t.Errorf("%d customers after delete, want 1", len(rows))
		}
		if st := e.admin(t, http.MethodDelete, "/accounts/"+a.AppKey+"/customers/"+id, nil, nil); st != http.StatusNotFound {
			t.Errorf("second delete: %d, want 404", st)
		}
	})

	t.Run("seeding refuses unknown fields", func(t *testing.T) {
		if st := e.admin(t, http.MethodPost, "/accounts/"+a.AppKey+"/products", map[string]any{"descricao": "X", "preco": 1}, nil); st != http.StatusBadRequest {
			t.Errorf("status %d, want 400", st)
		}
	})

	t.Run("options and reset", func(t *testing.T) {
		if st := e.admin(t, http.MethodPut, "/accounts/"+a.AppKey+"/options", map[string]any{"refuse_duplicate_document": true}, nil); st != 200 {
			t.Fatalf("options: %d", st)
		}
		var opts omiesandbox.AccountOptions
		e.admin(t, http.MethodGet, "/accounts/"+a.AppKey, nil, &opts)
		if !opts.RefuseDuplicateDocument {
			t.Errorf("options = %+v", opts)
		}
		if st := e.admin(t, http.MethodPost, "/accounts/"+a.AppKey+"/reset", nil, nil); st != http.StatusNoContent {
			t.Fatalf("reset: %d", st)
		}
		var rows []map[string]any
		e.admin(t, http.MethodGet, "/accounts/"+a.AppKey+"/customers", nil, &rows)
		if len(rows) != 0 {
			t.Errorf("%d customers after reset", len(rows))
		}
	})
}

func adminRoot(t *testing.T, e *env, path string, out any) int {
	t.Helper()
	a := e.do(t, http.MethodGet, path, nil)
	if err := json.Unmarshal(a.raw, out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a.status
}

// The demo account has what the flows need to show every rule (SPEC C-E1, C-E2, C-E5, PR1, PR4,
// S7–S9), with valid documents only.
func TestDemoSeed(t *testing.T) {
	t.Parallel()
	sb := omiesandbox.New(omiesandbox.Options{Demo: true})
	k := sb.DemoAccount().AppKey
	if k == "" || !strings.Contains(sb.Describe("http://127.0.0.1:9090/omie"), k) {
		t.Fatalf("demo account %q not described", k)
	}
	var noDoc, inactive, supplierOnly, noTags, customOnly, cliente int
	for _, c := range sb.Customers(k) {
		switch {
		case c.CnpjCpf == "":
			noDoc++
		case c.PessoaFisica.Bool() && !br.ValidCPF(c.CnpjCpf), !c.PessoaFisica.Bool() && !br.ValidCNPJ(c.CnpjCpf):
			t.Errorf("customer %q has an invalid document %q", c.RazaoSocial, c.CnpjCpf)
		}
		if c.Inativo.Bool() {
			inactive++
		}
		if c.Endereco == "" || c.EnderecoNumero == "" || c.Bairro == "" || c.Cidade == "" || len(c.Estado) != 2 || len(c.Cep) != 8 {
			t.Errorf("customer %q address not split into Omie's fields: %+v", c.RazaoSocial, c)
		}
		var names []string
		for _, tag := range c.Tags {
			names = append(names, br.Fold(tag.Tag))
		}
		standard := slices.ContainsFunc(names, func(n string) bool { return n == "fornecedor" || n == "transportadora" })
		switch {
		case len(names) == 0:
			noTags++
		case slices.Contains(names, "cliente"):
			cliente++
		case standard:
			supplierOnly++
		default:
			customOnly++
		}
	}
	for name, n := range map[string]int{"without document": noDoc, "inactive": inactive, "supplier/carrier only": supplierOnly,
		"without tags": noTags, "custom tags only": customOnly, "tagged Cliente": cliente} {
		if n == 0 {
			t.Errorf("no customer %s", name)
		}
	}
	locs := sb.Locations(k)
	defaults := 0
	for _, l := range locs {
		if l.Padrao.Bool() {
			defaults++
		}
	}
	if len(locs) < 2 || defaults != 1 {
		t.Errorf("%d locations, %d default; want several and one default", len(locs), defaults)
	}
	if len(sb.Stock(k)) == 0 || len(sb.Stock(k)) >= len(locs)*len(sb.Products(k)) {
		t.Errorf("%d stock positions: want some products in some locations only (PR1, PR4)", len(sb.Stock(k)))
	}
	if len(sb.Products(k)) == 0 || len(sb.ContasCorrentes(k)) == 0 || len(sb.Categorias(k)) == 0 || len(sb.Servicos(k)) == 0 {
		t.Error("demo account misses products, bank accounts, categories or services")
	}
	// Reset keeps the demo credentials working.
	sb.Reset()
	if sb.DemoAccount().AppKey != k || len(sb.Customers(k)) == 0 {
		t.Error("after Reset the demo account is gone or empty")
	}
}
