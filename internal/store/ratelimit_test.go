package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// Issue 8: the partner limits hold for all nodes together. Three nodes sharing one Omie key of
// 10 calls per second make 40 calls: a limiter per node would let them through in about a
// second; the shared one cannot take less than (40-10)/9 s ≈ 3.3 s.
func TestRateLimiterSharedAcrossNodes(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		if d != store.Postgres {
			continue // SQLite is a single node and uses the in-process limiter
		}
		url := storetest.NewSchema(t)
		box := storetest.Box(t)
		ctx := context.Background()
		var nodes []*store.RateLimiter
		for i := range 3 {
			s, err := store.Open(ctx, store.Options{URL: url, Box: box})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if i == 0 {
				if err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
			}
			nodes = append(nodes, s.RateLimiter())
		}
		limit := partner.Limit{N: 10, Per: time.Second}
		start := time.Now()
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := nodes[i%3].Wait(ctx, "omie:123:ListarClientes", limit); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if took, least := time.Since(start), 3200*time.Millisecond; took < least {
			t.Fatalf("40 calls at 10/s across 3 nodes took %v, less than %v: the limit was not shared", took, least)
		}

		// Omie's misuse block on one node stops every node at once, for its duration.
		if err := nodes[0].Block(ctx, "omie:123", time.Now().Add(30*time.Minute)); err != nil {
			t.Fatal(err)
		}
		err := nodes[2].Wait(ctx, "omie:123", partner.Limit{N: 960, Per: time.Minute})
		if partner.KindOf(err) != partner.KindBlocked || partner.RetryAfterOf(err) < 29*time.Minute {
			t.Fatalf("blocked key: err = %v (retry after %v)", err, partner.RetryAfterOf(err))
		}
		if err := nodes[2].Wait(ctx, "omie:456", partner.Limit{N: 960, Per: time.Minute}); err != nil {
			t.Fatalf("another key was blocked too: %v", err)
		}
	}
}
