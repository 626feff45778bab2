package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pontehub/ponte/internal/partner"
)

// RateLimiter is a partner.Limiter whose state lives in PostgreSQL, so that every node of a
// deployment together stays under each credential's partner limit. It uses GCRA: each call
// reserves the next free slot of its key in one statement and then sleeps until that slot.
type RateLimiter struct {
	s *Store
}

// RateLimiter returns the shared limiter. Use it on PostgreSQL; on SQLite (one node) the
// in-process partner.LocalLimiter is cheaper and as correct.
func (s *Store) RateLimiter() *RateLimiter { return &RateLimiter{s: s} }

// gcra turns a limit into GCRA's emission interval and burst tolerance, sized like
// partner.LocalLimiter: a burst b plus N-b spread over Per, so no window of length Per holds
// more than N calls.
func gcra(l partner.Limit) (interval, tolerance time.Duration) {
	b := max(1, l.N/20)
	refill := max(1, l.N-b)
	interval = l.Per / time.Duration(refill)
	return interval, time.Duration(b-1) * interval
}

// Wait implements partner.Limiter.
func (r *RateLimiter) Wait(ctx context.Context, key string, l partner.Limit) error {
	if l.N <= 0 || l.Per <= 0 {
		return nil
	}
	interval, tolerance := gcra(l)
	// One round trip: take the row (created on first use), move tat one interval past
	// max(tat, now) and return when this call may go. The database clock is the one clock all
	// nodes share.
	var (
		startAt, now time.Time
		blockedUntil sql.NullTime
	)
	err := r.s.queryRow(ctx, `
		INSERT INTO rate_limits AS r (key, tat) VALUES (?, clock_timestamp() + make_interval(secs => ?::float8))
		ON CONFLICT (key) DO UPDATE SET tat = CASE
			WHEN r.blocked_until > clock_timestamp() THEN r.tat
			ELSE GREATEST(r.tat, clock_timestamp()) + make_interval(secs => ?::float8) END
		RETURNING GREATEST(r.tat - make_interval(secs => ?::float8), clock_timestamp()), clock_timestamp(), r.blocked_until`,
		key, interval.Seconds(), interval.Seconds(), (interval+tolerance).Seconds()).Scan(&startAt, &now, &blockedUntil)
	if err != nil {
		return fmt.Errorf("store: rate limit %s: %w", key, err)
	}
	if blockedUntil.Valid && blockedUntil.Time.After(now) {
		return &partner.Error{Partner: partnerOfKey(key), Method: "limiter", Kind: partner.KindBlocked,
			RetryAfter: blockedUntil.Time.Sub(now), Message: "credencial bloqueada temporariamente pelo parceiro"}
	}
	if d := startAt.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Block implements partner.Limiter.
func (r *RateLimiter) Block(ctx context.Context, key string, until time.Time) error {
	_, err := r.s.exec(ctx, `INSERT INTO rate_limits AS r (key, tat, blocked_until) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET blocked_until = GREATEST(COALESCE(r.blocked_until, excluded.blocked_until), excluded.blocked_until)`,
		key, now(), until.UTC())
	if err != nil {
		return fmt.Errorf("store: block %s: %w", key, err)
	}
	return nil
}

func partnerOfKey(key string) string {
	for i := range len(key) {
		if key[i] == ':' {
			return key[:i]
		}
	}
	return key
}

var _ partner.Limiter = (*RateLimiter)(nil)
