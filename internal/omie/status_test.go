package omie_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/partner"
)

// statusServer answers every call with HTTP 200 and body: the shape of a write Omie took in but
// refused in its status object (issue 22 item 2).
func statusServer(t *testing.T, body string) *omie.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	doer := &partner.Doer{HTTP: partner.NewHTTPClient(partner.HTTPOptions{Timeout: 2 * time.Second}),
		Limiter: partner.NewLocalLimiter(), Retries: -1}
	return omie.New(srv.URL+"/api/v1", omie.Credentials{AppKey: "k", AppSecret: "s"}, doer)
}

// SPEC V3 K4: a create answered 200 with a non-zero codigo_status/cCodStatus and no id is a
// refusal carrying Omie's message, never a document 0 taken as sent.
func TestWriteStatusNotZeroIsRefusal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const text = "Cliente bloqueado para faturamento"
	pv := statusServer(t, `{"codigo_pedido":0,"codigo_pedido_integracao":"auvo-task-1-pv","codigo_status":"3","descricao_status":"`+text+`"}`)
	_, err := pv.IncluirPedido(ctx, omie.Pedido{Cabecalho: omie.PedidoCabecalho{CodigoPedidoIntegracao: "auvo-task-1-pv"}})
	var pe *partner.Error
	if !errorAs(err, &pe) || pe.Kind != partner.KindInvalid || !strings.Contains(pe.Message, text) {
		t.Fatalf("IncluirPedido with codigo_status 3: %v, want a refusal with Omie's text", err)
	}
	os := statusServer(t, `{"cCodIntOS":"auvo-task-1-os","nCodOS":0,"cNumOS":"","cCodStatus":"101","cDescStatus":"`+text+`"}`)
	_, err = os.IncluirOS(ctx, omie.OS{Cabecalho: omie.OSCabecalho{CCodIntOS: "auvo-task-1-os"}})
	if !errorAs(err, &pe) || pe.Kind != partner.KindInvalid || !strings.Contains(pe.Message, text) {
		t.Fatalf("IncluirOS with cCodStatus 101: %v, want a refusal with Omie's text", err)
	}
	cli := statusServer(t, `{"codigo_cliente_omie":0,"codigo_status":"4","descricao_status":"`+text+`"}`)
	_, err = cli.IncluirCliente(ctx, omie.ClienteCadastro{CodigoClienteIntegracao: "auvo-1"})
	if !errorAs(err, &pe) || pe.Kind != partner.KindInvalid || !strings.Contains(pe.Message, text) {
		t.Fatalf("IncluirCliente with codigo_status 4: %v, want a refusal with Omie's text", err)
	}
	// Status "0" without an id cannot be linked: it is ambiguous, looked up by code, and the
	// look-up's own failure is what the caller sees (not a success with id 0).
	noID := statusServer(t, `{"codigo_pedido":0,"codigo_status":"0","descricao_status":"ok"}`)
	st, err := noID.IncluirPedido(ctx, omie.Pedido{Cabecalho: omie.PedidoCabecalho{CodigoPedidoIntegracao: "auvo-task-2-pv"}})
	if err == nil {
		t.Fatalf("IncluirPedido answered without an id: %+v, %v; want an error", st, err)
	}
}
