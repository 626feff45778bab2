package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// Issue 18 item 2 (SPEC P4): of 40 attempts racing on one key, no more than the limit see a
// count within it, on both dialects; a count-then-insert let 37 of 40 through.
func TestHitThrottleIsAtomic(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n, limit = 40, 5
		since := time.Now().Add(-time.Minute)
		var (
			wg     sync.WaitGroup
			mu     sync.Mutex
			within int
		)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := s.HitThrottle(ctx, "login:ana|10.0.0.1", since)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if got <= limit {
					within++
				}
			}()
		}
		wg.Wait()
		if within > limit {
			t.Fatalf("%d of %d attempts saw a count within the limit of %d", within, n, limit)
		}
		if c, err := s.Throttled(ctx, "login:ana|10.0.0.1", since); err != nil || c != n {
			t.Fatalf("recorded %d, %v; want %d", c, err, n)
		}
	})
}
