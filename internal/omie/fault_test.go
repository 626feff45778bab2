package omie_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
)

// SPEC S6: the portal verifies keys with a real call; wrong keys are KindAuth with Omie's message.
func TestVerify(t *testing.T) {
	t.Parallel()
	e := newEnv(t, omiesandbox.AccountOptions{})
	ctx := context.Background()
	if err := e.client.Verify(ctx); err != nil {
		t.Fatalf("valid credentials: %v", err)
	}
	for _, creds := range [][2]string{{e.acct.AppKey, "wrong-secret"}, {"0000000000000", e.acct.AppSecret}} {
		err := e.newClient(creds[0], creds[1]).Verify(ctx)
		if k := kindOf(t, err); k != partner.KindAuth {
			t.Fatalf("kind = %v, want auth (%v)", k, err)
		}
		var pe *partner.Error
		if !errorAs(err, &pe) || pe.Status != 403 || !containsAll(pe.Message, "chave de acesso") {
			t.Errorf("error = %+v, want HTTP 403 with Omie's message", pe)
		}
	}
}

// Injected failures come back as the Kind the job layer acts on.
func TestInjectedFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		kind       sandbox.FaultKind
		want       partner.Kind
		retryAfter time.Duration
	}{
		{sandbox.FaultThrottle, partner.KindThrottled, time.Minute}, // 429 without a hint
		{sandbox.FaultError, partner.KindTransient, 0},              // HTML 500
		{sandbox.FaultMalformed, partner.KindTransient, 0},          // truncated JSON in a 200
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, omiesandbox.AccountOptions{})
			e.sb.Faults().Add(sandboxFault("ListarCategorias", tt.kind, 0))
			_, err := e.client.ListarCategorias(ctx, omie.ListarCategoriasRequest{Pagina: 1, RegistrosPorPagina: 10})
			if k := kindOf(t, err); k != tt.want || partner.RetryAfterOf(err) != tt.retryAfter {
				t.Fatalf("kind %v retry %v, want %v %v (%v)", k, partner.RetryAfterOf(err), tt.want, tt.retryAfter, err)
			}
			// The failure was not cached: the same call goes out again and succeeds.
			if _, err := e.client.ListarCategorias(ctx, omie.ListarCategoriasRequest{Pagina: 1, RegistrosPorPagina: 10}); err != nil {
				t.Errorf("second call: %v", err)
			}
		})
	}
}

// api/omie.md §1.4: MISUSE_API_PROCESS (425) blocks the key; the client blocks it in the limiter
// so no further call with that key leaves the process until the block lifts.
func TestMisuseBlocksKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t, omiesandbox.AccountOptions{})
	ctx := context.Background()
	if err := e.sb.Block(e.acct.AppKey, 1797*time.Second); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.ListarCategorias(ctx, omie.ListarCategoriasRequest{Pagina: 1})
	if k := kindOf(t, err); k != partner.KindBlocked || partner.RetryAfterOf(err) != 1797*time.Second {
		t.Fatalf("kind %v retry %v, want blocked 1797s (%v)", k, partner.RetryAfterOf(err), err)
	}
	before := e.calls("ListarContasCorrentes")
	_, err = e.client.ListarContasCorrentes(ctx, omie.ListarContasCorrentesRequest{Pagina: 1})
	if k := kindOf(t, err); k != partner.KindBlocked {
		t.Fatalf("next call: kind %v, want blocked by the limiter (%v)", k, err)
	}
	if e.calls("ListarContasCorrentes") != before {
		t.Error("a call left the process while the key was blocked")
	}
}

// api/omie.md §1.4: at most 4 concurrent calls per key and method. Two clients sharing one Gate
// stay under it together; the sandbox answers Client-1880 above it.
func TestConcurrencyGateShared(t *testing.T) {
	t.Parallel()
	e := newEnv(t, omiesandbox.AccountOptions{})
	e.sb.Faults().Add(sandbox.Fault{Method: "ConsultarCliente", Kind: sandbox.FaultLatency, Latency: 50 * time.Millisecond})
	gate := partner.NewGate()
	clients := []*omie.Client{
		e.newClient(e.acct.AppKey, e.acct.AppSecret, omie.WithGate(gate)),
		e.newClient(e.acct.AppKey, e.acct.AppSecret, omie.WithGate(gate)),
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			// Distinct ids: identical reads would be joined by the cache and prove nothing.
			_, err := clients[i%2].ConsultarCliente(context.Background(), omie.ClienteChave{CodigoClienteOmie: int64(1000 + i)})
			if partner.KindOf(err) != partner.KindNotFound {
				errs <- fmt.Errorf("call %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err) // a Client-1880 here means the gate let more than 4 through
	}
	if n := e.calls("ConsultarCliente"); n != 16 {
		t.Errorf("%d calls reached the sandbox, want 16", n)
	}
}
