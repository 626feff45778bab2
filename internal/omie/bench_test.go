package omie_test

import (
	"context"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/partner"
)

// BenchmarkListarClientes measures one 50-record page through the client and the sandbox over
// HTTP. The limiter and the REDUNDANT cache are off, so it measures the call itself, not Omie's
// published pace (240 calls a minute per method, which the limiter enforces).
func BenchmarkListarClientes(b *testing.B) {
	e := newEnv(b, omiesandbox.AccountOptions{Seed: true, DisableRedundant: true, DisableRateLimits: true})
	doer := &partner.Doer{HTTP: partner.NewHTTPClient(partner.HTTPOptions{Timeout: 5 * time.Second})}
	c := omie.New(e.srv.URL+"/api/v1", omie.Credentials{AppKey: e.acct.AppKey, AppSecret: e.acct.AppSecret}, doer,
		omie.WithCache(nil))
	ctx := context.Background()
	for b.Loop() {
		res, err := c.ListarClientes(ctx, omie.ListarClientesRequest{Pagina: 1, RegistrosPorPagina: 50})
		if err != nil || len(res.ClientesCadastro) == 0 {
			b.Fatal(len(res.ClientesCadastro), err)
		}
	}
}
