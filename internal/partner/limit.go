package partner

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limit is a partner's published rate: at most N calls in any window of length Per.
type Limit struct {
	N   int
	Per time.Duration
}

// Limiter paces calls per key (a credential, or a credential and method) so Ponte stays under
// the partners' limits instead of discovering them through throttle answers. The interface lets
// a node-local limiter be replaced by one shared across nodes.
type Limiter interface {
	// Wait blocks until one more call under key fits in l. It returns a KindBlocked *Error
	// without waiting when the key is blocked, and ctx's error when ctx ends first.
	Wait(ctx context.Context, key string, l Limit) error
	// Block refuses every call under key until the given time (Omie's misuse block).
	Block(ctx context.Context, key string, until time.Time) error
}

// LocalLimiter is a Limiter for one process: a token bucket per key.
type LocalLimiter struct {
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	blocked map[string]time.Time
	now     func() time.Time
}

// NewLocalLimiter returns an empty LocalLimiter.
func NewLocalLimiter() *LocalLimiter {
	return &LocalLimiter{buckets: map[string]*rate.Limiter{}, blocked: map[string]time.Time{}, now: time.Now}
}

// bucketFor sizes a bucket so that no window of length Per can hold more than N calls: a burst b
// plus (N-b) refilled over Per. A plain burst of N would allow almost 2N in a sliding window.
func bucketFor(l Limit) *rate.Limiter {
	if l.N <= 0 || l.Per <= 0 {
		return rate.NewLimiter(rate.Inf, 1)
	}
	b := max(1, l.N/20)
	refill := l.N - b
	if refill <= 0 {
		refill = 1
	}
	return rate.NewLimiter(rate.Limit(float64(refill)/l.Per.Seconds()), b)
}

// Wait implements Limiter.
func (ll *LocalLimiter) Wait(ctx context.Context, key string, l Limit) error {
	ll.mu.Lock()
	if until, ok := ll.blocked[key]; ok {
		if d := until.Sub(ll.now()); d > 0 {
			ll.mu.Unlock()
			return &Error{Partner: partnerOfKey(key), Method: "limiter", Kind: KindBlocked, RetryAfter: d,
				Message: "credencial bloqueada temporariamente pelo parceiro"}
		}
		delete(ll.blocked, key)
	}
	b, ok := ll.buckets[key]
	if !ok {
		b = bucketFor(l)
		ll.buckets[key] = b
	}
	ll.mu.Unlock()
	return b.Wait(ctx)
}

// Block implements Limiter.
func (ll *LocalLimiter) Block(_ context.Context, key string, until time.Time) error {
	ll.mu.Lock()
	defer ll.mu.Unlock()
	if cur, ok := ll.blocked[key]; !ok || until.After(cur) {
		ll.blocked[key] = until
	}
	return nil
}

// partnerOfKey returns the part of a key before the first colon; keys are "partner:credential…".
func partnerOfKey(key string) string {
	for i := 0; i < len(key); i++ {
		if key[i] == ':' {
			return key[:i]
		}
	}
	return key
}

// Gate limits how many calls under one key run at the same time (Omie allows 4 concurrent
// reads per method and 1 write). It is node-local.
type Gate struct {
	mu   sync.Mutex
	sems map[string]chan struct{}
}

// NewGate returns an empty Gate.
func NewGate() *Gate { return &Gate{sems: map[string]chan struct{}{}} }

// Acquire waits for one of n slots under key and returns the function that frees it.
func (g *Gate) Acquire(ctx context.Context, key string, n int) (release func(), err error) {
	g.mu.Lock()
	sem, ok := g.sems[key]
	if !ok {
		sem = make(chan struct{}, max(1, n))
		g.sems[key] = sem
	}
	g.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
