package omiesandbox_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/sandbox"
)

// capturedFaults returns the real fault bodies of api/examples by case name.
func capturedFaults(t *testing.T) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, c := range decode(t, example(t, "omie-error-responses.json")).([]any) {
		m := c.(map[string]any)
		out[m["case"].(string)] = m
	}
	return out
}

// sameFault checks an answer against a captured one: status, faultcode and faultstring.
func sameFault(t *testing.T, got answer, captured map[string]any) {
	t.Helper()
	body := captured["body"].(map[string]any)
	if fmt.Sprint(got.status) != fmt.Sprint(captured["http_status"]) {
		t.Errorf("status %d, want %v (%s)", got.status, captured["http_status"], got.raw)
	}
	for _, k := range []string{"faultcode", "faultstring"} {
		if fmt.Sprint(got.body[k]) != fmt.Sprint(body[k]) {
			t.Errorf("%s = %v, want %v", k, got.body[k], body[k])
		}
	}
}

// Each documented error answer, reproduced with the captured texts (api/omie.md §1.2–1.4).
func TestErrorAnswers(t *testing.T) {
	t.Parallel()
	faults := capturedFaults(t)
	list := map[string]any{"pagina": 1, "registros_por_pagina": 10}

	t.Run("5113 for no records and past the last page", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, nil)
		sameFault(t, e.call(t, "geral/clientes", "ListarClientes", acct, list), faults["list_no_records_end_of_pagination"])
		e.admin(t, http.MethodPost, "/accounts/"+acct.AppKey+"/customers", map[string]any{"razao_social": "A"}, nil)
		if got := e.call(t, "geral/clientes", "ListarClientes", acct, map[string]any{"pagina": 1, "registros_por_pagina": 5}); got.status != 200 {
			t.Fatalf("page 1: %d %s", got.status, got.raw)
		}
		got := e.call(t, "geral/clientes", "ListarClientes", acct, map[string]any{"pagina": 2, "registros_por_pagina": 5})
		if got.status != 500 || got.str("faultcode") != "SOAP-ENV:Client-5113" || got.str("faultstring") != "ERROR: Não existem registros para a página [2]!" {
			t.Errorf("page past the last: %d %s", got.status, got.raw)
		}
	})

	t.Run("REDUNDANT for an identical call within 60 s, counting down", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, nil)
		e.admin(t, http.MethodPost, "/accounts/"+acct.AppKey+"/customers", map[string]any{"razao_social": "A"}, nil)
		if got := e.call(t, "geral/clientes", "ListarClientes", acct, list); got.status != 200 {
			t.Fatalf("first call: %d", got.status)
		}
		e.clock.Advance(44 * time.Second)
		sameFault(t, e.call(t, "geral/clientes", "ListarClientes", acct, list), faults["redundant_consumption_same_call_within_60s"])
		// Other params are another call.
		if got := e.call(t, "geral/clientes", "ListarClientes", acct, map[string]any{"pagina": 1, "registros_por_pagina": 11}); got.status != 200 {
			t.Errorf("different params: %d %s", got.status, got.raw)
		}
		e.clock.Advance(16 * time.Second)
		if got := e.call(t, "geral/clientes", "ListarClientes", acct, list); got.status != 200 {
			t.Errorf("after 60 s: %d %s", got.status, got.raw)
		}
	})

	t.Run("REDUNDANT switched off", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, map[string]any{"disable_redundant": true})
		for range 3 {
			if got := e.call(t, "geral/categorias", "ListarCategorias", acct, list); got.str("faultcode") == "SOAP-ENV:Client-6" {
				t.Fatal("REDUNDANT although disabled")
			}
		}
	})

	t.Run("unknown tag, upper-cased, with the complex type", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, nil)
		sameFault(t, e.call(t, "geral/produtos", "ListarProdutos", acct, map[string]any{"pagina": 1, "filtrar_apenas_ativo": "S"}),
			faults["unknown_field_in_param_faultcode_unknown"])
		got := e.call(t, "geral/clientes", "IncluirCliente", acct, map[string]any{"codigo_cliente_integracao": "x",
			"razao_social": "A", "tags": []any{map[string]any{"tag": "Cliente", "cor": "azul"}}})
		if got.str("faultstring") != "Tag [COR] não faz parte da estrutura do tipo complexo [tags]" {
			t.Errorf("nested unknown tag: %s", got.raw)
		}
	})

	t.Run("invalid key or secret is 403", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, nil)
		sameFault(t, e.call(t, "geral/clientes", "ListarClientes", omiesandbox.Account{AppKey: acct.AppKey, AppSecret: "x"}, list),
			faults["invalid_app_key_faultcode_unknown"])
		sameFault(t, e.call(t, "geral/clientes", "ListarClientes", omiesandbox.Account{AppKey: "1", AppSecret: acct.AppSecret}, list),
			faults["invalid_app_key_faultcode_unknown"])
	})

	t.Run("105 for a missing customer", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, nil)
		sameFault(t, e.call(t, "geral/clientes", "ConsultarCliente", acct, map[string]any{"codigo_cliente_omie": 999999999}),
			faults["consultar_cliente_not_found_by_id"])
	})

	t.Run("101 for no bank accounts", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, nil)
		sameFault(t, e.call(t, "geral/contacorrente", "ListarContasCorrentes", acct, list), faults["listar_contas_correntes_none"])
	})

	t.Run("102 for a repeated integration code", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, nil)
		c := map[string]any{"codigo_cliente_integracao": "7325099098244", "razao_social": "A"}
		first := e.call(t, "geral/clientes", "IncluirCliente", acct, c)
		c["nome_fantasia"] = "B" // not the identical call, which would be REDUNDANT
		got := e.call(t, "geral/clientes", "IncluirCliente", acct, c)
		want := fmt.Sprintf("ERROR: Cliente já cadastrado para o Código de Integração [7325099098244] com o nCod [%v] !", first.body["codigo_cliente_omie"])
		if got.status != 500 || got.str("faultcode") != "SOAP-ENV:Client-102" || got.str("faultstring") != want {
			t.Errorf("got %d %s", got.status, got.raw)
		}
	})

	t.Run("C-A3 duplicate document refused only when the account says so", func(t *testing.T) {
		e := newEnv(t)
		refuse := e.newAccount(t, map[string]any{"refuse_duplicate_document": true})
		allow := e.newAccount(t, nil)
		for _, acct := range []omiesandbox.Account{refuse, allow} {
			first := e.call(t, "geral/clientes", "IncluirCliente", acct, map[string]any{"codigo_cliente_integracao": "65007887191",
				"razao_social": "A", "cnpj_cpf": "39330543000102"})
			if first.status != 200 {
				t.Fatalf("first: %s", first.raw)
			}
			got := e.call(t, "geral/clientes", "IncluirCliente", acct, map[string]any{"codigo_cliente_integracao": "2",
				"razao_social": "B", "cnpj_cpf": "39.330.543/0001-02"})
			if acct == allow {
				if got.status != 200 {
					t.Errorf("account allowing duplicates refused: %s", got.raw)
				}
				continue
			}
			want := fmt.Sprintf("ERROR: Cliente já cadastrado para o CPF/CNPJ [39.330.543/0001-02] com o Id [%v] e código de integração [65007887191] ! (add)",
				first.body["codigo_cliente_omie"])
			if got.status != 500 || got.str("faultstring") != want || got.body["faultcode"] != nil {
				t.Errorf("got %d %s, want %q without faultcode", got.status, got.raw, want)
			}
		}
	})

	t.Run("trailing slash is required: 301", func(t *testing.T) {
		e := newEnv(t)
		got := e.post(t, "/omie/api/v1/geral/clientes", []byte(`{}`))
		if got.status != http.StatusMovedPermanently {
			t.Errorf("status %d, want 301", got.status)
		}
	})

	t.Run("app_key may be a number", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, map[string]any{"app_key": "1234567890123", "app_secret": "s"})
		got := e.post(t, "/omie/api/v1/geral/categorias/", []byte(`{"call":"ListarCategorias","app_key":1234567890123,"app_secret":"s","param":[{"pagina":1}]}`))
		if got.status == http.StatusForbidden {
			t.Errorf("numeric app_key refused: %s (%s)", got.raw, acct.AppKey)
		}
	})
}

// api/omie.md §1.4: the anti-abuse answers, each with its real shape.
func TestLimits(t *testing.T) {
	t.Parallel()
	faults := capturedFaults(t)

	t.Run("1880 above 4 concurrent calls of one method", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, nil)
		e.sb.Faults().Add(sandbox.Fault{Method: "ListarCategorias", Kind: sandbox.FaultLatency, Latency: 200 * time.Millisecond})
		var mu sync.Mutex
		busy := 0
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				got := e.call(t, "geral/categorias", "ListarCategorias", acct, map[string]any{"pagina": i + 1})
				if got.str("faultcode") == "SOAP-ENV:Client-1880" {
					mu.Lock()
					busy++
					mu.Unlock()
					sameFault(t, got, faults["method_already_running_concurrency"])
				}
			})
		}
		wg.Wait()
		if busy != 2 {
			t.Errorf("%d calls refused with 1880, want 2 of 6", busy)
		}
	})

	t.Run("1880 above 1 concurrent write", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, nil)
		e.sb.Faults().Add(sandbox.Fault{Method: "IncluirCliente", Kind: sandbox.FaultLatency, Latency: 200 * time.Millisecond})
		var wg sync.WaitGroup
		codes := make(chan string, 2)
		for i := range 2 {
			wg.Go(func() {
				codes <- e.call(t, "geral/clientes", "IncluirCliente", acct, map[string]any{
					"codigo_cliente_integracao": fmt.Sprint(i), "razao_social": "A"}).str("faultcode")
			})
			time.Sleep(20 * time.Millisecond)
		}
		wg.Wait()
		close(codes)
		var got []string
		for c := range codes {
			got = append(got, c)
		}
		if strings.Join(got, ",") != ",SOAP-ENV:Client-1880" && strings.Join(got, ",") != "SOAP-ENV:Client-1880," {
			t.Errorf("fault codes %q, want one success and one 1880", got)
		}
	})

	t.Run("429 above 240 calls of one method a minute", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, map[string]any{"disable_redundant": true})
		for i := range 240 {
			if got := e.call(t, "geral/categorias", "ListarCategorias", acct, map[string]any{"pagina": 1}); got.status == 429 {
				t.Fatalf("429 at call %d", i+1)
			}
		}
		if got := e.call(t, "geral/categorias", "ListarCategorias", acct, map[string]any{"pagina": 1}); got.status != http.StatusTooManyRequests {
			t.Fatalf("call 241: %d, want 429", got.status)
		}
		if got := e.call(t, "geral/contacorrente", "ListarContasCorrentes", acct, map[string]any{"pagina": 1}); got.status == 429 {
			t.Error("another method was refused")
		}
		e.clock.Advance(time.Minute)
		if got := e.call(t, "geral/categorias", "ListarCategorias", acct, map[string]any{"pagina": 1}); got.status == 429 {
			t.Error("still refused a minute later")
		}
	})

	t.Run("425 MISUSE_API_PROCESS after 10 consecutive faults, for about 30 minutes", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, nil)
		for i := range 10 {
			got := e.call(t, "geral/produtos", "ListarProdutos", acct, map[string]any{"pagina": i, "filtrar_apenas_ativo": "S"})
			if got.status != 500 {
				t.Fatalf("fault %d: %d", i, got.status)
			}
		}
		e.clock.Advance(3 * time.Second)
		got := e.call(t, "geral/categorias", "ListarCategorias", acct, map[string]any{"pagina": 1})
		sameFault(t, got, faults["api_blocked_misuse_about_30_minutes"])
		e.clock.Advance(1797 * time.Second)
		if got := e.call(t, "geral/categorias", "ListarCategorias", acct, map[string]any{"pagina": 2}); got.status == http.StatusTooEarly {
			t.Error("still blocked after the block ran out")
		}
	})

	t.Run("rate limits switched off", func(t *testing.T) {
		e := newEnv(t)
		acct := e.newAccount(t, map[string]any{"disable_rate_limits": true})
		for i := range 12 {
			got := e.call(t, "geral/produtos", "ListarProdutos", acct, map[string]any{"pagina": i, "filtrar_apenas_ativo": "S"})
			if got.status != 500 {
				t.Fatalf("fault %d answered %d, want the plain fault", i, got.status)
			}
		}
	})
}
