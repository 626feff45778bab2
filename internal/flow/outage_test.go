package flow_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/store"
)

// TestProxyOutageKeepsIntegrationActive (issue 21): a proxy in front of Auvo answering its own
// 404 page for every call (the same happens with a wrong PONTE_AUVO_URL) fails the cycle as an
// outage, to be retried, but the integration stays active: it is not "com erro", and the tenant
// is not told its credentials were rejected. When the proxy recovers, the next cycle syncs.
func TestProxyOutageKeepsIntegrationActive(t *testing.T) {
	t.Parallel()
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		var down atomic.Bool
		env := flowtest.New(t, d, flowtest.Options{Wrap: func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if down.Load() && strings.HasPrefix(r.URL.Path, "/auvo/") {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusNotFound)
					_, _ = w.Write([]byte("<html><body><h1>404 Not Found</h1><hr>nginx</body></html>"))
					return
				}
				h.ServeHTTP(w, r)
			})
		}})
		ctx := context.Background()
		env.MustCycle()
		down.Store(true)
		for range 3 {
			if err := env.Cycle(); err == nil {
				t.Fatal("a cycle through a broken proxy reported success")
			}
			in, err := env.Store.IntegrationByID(ctx, env.In.TenantID, env.In.ID)
			if err != nil {
				t.Fatal(err)
			}
			if in.State != store.StateActive {
				t.Fatalf("proxy 404: integration is %q (%s), want it still active", in.State, in.StateReason)
			}
		}
		down.Store(false)
		c := seedAuvo(t, env, auvo.Customer{Description: "Depois da queda", CPFCNPJ: cnpj()})
		env.MustCycle()
		if _, ok := env.Link(c.ID); !ok {
			t.Fatal("after the proxy recovered the new customer was not integrated")
		}
	})
}
