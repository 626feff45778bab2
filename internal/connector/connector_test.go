package connector_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/contaazul"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
	"github.com/pontehub/ponte/internal/oauth"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// S10: Conta Azul and Bling rotate refresh tokens, so a refresh must be single-flight across
// every node sharing the database, not only within one process: eight managers (eight nodes)
// finding the same expired token make exactly one refresh call, and the tenant stays connected.
func TestRefreshSingleFlightAcrossNodes(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		if d != store.Postgres {
			continue // SQLite is one process: the in-process single-flight covers it
		}
		t.Run(string(d), func(t *testing.T) {
			clk := sandbox.NewClock(time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC))
			sb := contaazulsandbox.New(contaazulsandbox.Options{Now: clk.Now})
			srv := httptest.NewServer(sandbox.NewHub(sb))
			defer srv.Close()
			base := srv.URL + "/contaazul"
			app, acc := sb.NewApp("https://ponte.example/oauth/contaazul/callback"), sb.NewAccount()
			cfg := contaazul.OAuthConfig(app.ClientID, app.ClientSecret, base, app.RedirectURI)

			url := storetest.NewSchema(t)
			ctx := context.Background()
			box := storetest.Box(t) // every node has the same secret key
			var nodes []*store.Store
			for range 8 {
				st, err := store.Open(ctx, store.Options{URL: url, Box: box})
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				nodes = append(nodes, st)
			}
			if err := nodes[0].Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			ten, err := nodes[0].CreateTenant(ctx, "Clima Sul")
			if err != nil {
				t.Fatal(err)
			}
			key := store.OAuthConnKey(1)
			first := oauth.NewManager(cfg, nodes[0].OAuthTokens(ten.ID), srv.Client())
			code, err := sb.IssueCode(app.ClientID, acc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := first.Exchange(ctx, key, code); err != nil {
				t.Fatal(err)
			}
			clk.Advance(2 * time.Hour) // the access token expired at the partner

			var wg sync.WaitGroup
			errs := make(chan error, len(nodes))
			for _, st := range nodes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					m := oauth.NewManager(cfg, st.OAuthTokens(ten.ID), srv.Client())
					c := contaazul.New(base, m, key, &partner.Doer{HTTP: srv.Client(), Backoff: time.Millisecond})
					_, err := c.ListPessoas(ctx, contaazul.PessoaFilter{}, 1)
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("a node failed: %v", err)
				}
			}
			if got := sb.Counter().Snapshot()["POST /oauth2/token refresh_token"]; got != 1 {
				t.Fatalf("refresh calls = %d, want 1", got)
			}
			if needs, _, _ := nodes[0].OAuthTokens(ten.ID).NeedsReconnect(ctx, key); needs {
				t.Fatal("the tenant was logged out")
			}
		})
	}
}
