package omiesandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"
)

// The real ListarClientes and ListarProdutos answers (api/examples) come back unchanged once their
// records are seeded: same keys, same values, same paging block.
func TestReplayListExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, service, call, listKey, kind string
	}{
		{"omie-listarclientes-response.json", "geral/clientes", "ListarClientes", "clientes_cadastro", "customers"},
		{"omie-listarprodutos-response.json", "geral/produtos", "ListarProdutos", "produto_servico_cadastro", "products"},
	}
	for _, tt := range tests {
		t.Run(tt.call, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			acct := e.newAccount(t, nil)
			want := decode(t, example(t, tt.file)).(map[string]any)
			if st := e.admin(t, http.MethodPost, "/accounts/"+acct.AppKey+"/"+tt.kind, want[tt.listKey], nil); st != http.StatusCreated {
				t.Fatalf("seed: %d", st)
			}
			got := e.call(t, tt.service, tt.call, acct, map[string]any{"pagina": 1, "registros_por_pagina": 50,
				"exibir_obs": "S"})
			if got.status != http.StatusOK {
				t.Fatalf("%d %s", got.status, got.raw)
			}
			if !reflect.DeepEqual(got.body, want) {
				t.Errorf("answer differs from the real one:\n got  %s\n want %s", got.raw, example(t, tt.file))
			}
		})
	}
}

// The real IncluirOS and IncluirPedido requests are accepted as they are (credentials included)
// once the records they point at exist, and read back with every field sent.
func TestReplayIncluirExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, service, consult, idKey, statusKey string
		block                                    string // where the id sits in the consulted record
		unwrap                                   string // the consult answer's wrapper, if any
	}{
		{"omie-incluiros-request.json", "servicos/os", "ConsultarOS", "nCodOS", "cCodStatus", "Cabecalho", ""},
		{"omie-incluirpedido-request.json", "produtos/pedido", "ConsultarPedido", "codigo_pedido", "codigo_status", "cabecalho", "pedido_venda_produto"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			raw := example(t, tt.file)
			var env struct {
				AppKey    string            `json:"app_key"`
				AppSecret string            `json:"app_secret"`
				Param     []json.RawMessage `json:"param"`
			}
			if err := json.Unmarshal(raw, &env); err != nil {
				t.Fatal(err)
			}
			acct := e.newAccount(t, map[string]any{"app_key": env.AppKey, "app_secret": env.AppSecret})
			seedExampleRefs(t, e, acct.AppKey)
			res := e.post(t, "/omie/api/v1/"+tt.service+"/", raw)
			if res.status != http.StatusOK || res.str(tt.statusKey) != "0" {
				t.Fatalf("include: %d %s", res.status, res.raw)
			}
			id := res.body[tt.idKey]
			got := e.call(t, tt.service, tt.consult, acct, map[string]any{tt.idKey: id})
			if got.status != http.StatusOK {
				t.Fatalf("consult: %d %s", got.status, got.raw)
			}
			rec := got.body
			if tt.unwrap != "" {
				rec, _ = rec[tt.unwrap].(map[string]any)
			}
			if block, _ := rec[tt.block].(map[string]any); fmt.Sprint(block[tt.idKey]) != fmt.Sprint(id) {
				t.Errorf("consulted record has id %v, want %v", block[tt.idKey], id)
			}
			sent := decode(t, env.Param[0])
			for _, miss := range missing("", sent, rec) {
				t.Error(miss)
			}
		})
	}
}

// seedExampleRefs creates the customers, products, services, location, bank accounts and
// categories the example requests name, with their ids.
func seedExampleRefs(t *testing.T, e *env, key string) {
	t.Helper()
	seeds := map[string]any{
		"customers": []map[string]any{
			{"codigo_cliente_omie": 6289226831, "razao_social": "CLIENTE OS"},
			{"codigo_cliente_omie": 2370765, "razao_social": "CLIENTE PEDIDO"},
		},
		"services":      map[string]any{"intListar": map[string]any{"nCodServ": 6247915300}, "cabecalho": map[string]any{"cDescricao": "Serviço"}},
		"products":      map[string]any{"codigo_produto": 3033097815, "codigo": "PP-016", "descricao": "PP NATURAL Q33"},
		"locations":     map[string]any{"codigo_local_estoque": 2994810198, "descricao": "Depósito", "padrao": "S"},
		"bank-accounts": []map[string]any{{"nCodCC": 6247915297, "descricao": "Banco"}, {"nCodCC": 4243124, "descricao": "Caixa"}},
		"categories":    []map[string]any{{"codigo": "1.01.01", "descricao": "Venda"}, {"codigo": "1.01.02", "descricao": "Serviços"}},
	}
	for _, kind := range []string{"customers", "services", "products", "locations", "bank-accounts", "categories"} {
		if st := e.admin(t, http.MethodPost, "/accounts/"+key+"/"+kind, seeds[kind], nil); st != http.StatusCreated {
			t.Fatalf("seed %s: %d", kind, st)
		}
	}
}

// missing lists the values of sent that are not in got with the same value.
func missing(path string, sent, got any) []string {
	switch s := sent.(type) {
	case map[string]any:
		g, _ := got.(map[string]any)
		var out []string
		for k, v := range s {
			out = append(out, missing(path+"."+k, v, g[k])...)
		}
		return out
	case []any:
		g, _ := got.([]any)
		if len(g) != len(s) {
			return []string{fmt.Sprintf("%s: %d items sent, %d read", path, len(s), len(g))}
		}
		var out []string
		for i := range s {
			out = append(out, missing(fmt.Sprintf("%s[%d]", path, i), s[i], g[i])...)
		}
		return out
	}
	if !reflect.DeepEqual(sent, got) {
		return []string{fmt.Sprintf("%s: sent %v, read %v", path, sent, got)}
	}
	return nil
}
