package omie

import (
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/pontehub/ponte/internal/partner"
)

// ReadCache remembers Omie's answers to reads for RedundantWindow, because Omie answers an
// identical call inside that window with a REDUNDANT fault instead of the data (and recommends
// caching on the client side). Share one ReadCache per process; it is safe for concurrent use.
type ReadCache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
	writes  map[string]time.Time // identical writes are refused until this time
	// flight joins identical reads made at the same time into one call: the second would be
	// REDUNDANT for Omie.
	flight singleflight.Group
}

type cacheEntry struct {
	appKey  string
	resp    partner.Response
	expires time.Time
}

// NewReadCache returns an empty cache.
func NewReadCache() *ReadCache {
	return &ReadCache{entries: map[string]cacheEntry{}, writes: map[string]time.Time{}}
}

// claimWrite records a write about to be sent and reports how long to wait instead when the same
// write was sent less than RedundantWindow ago (Omie would answer REDUNDANT, and count a fault).
func (rc *ReadCache) claimWrite(key string, now time.Time) (wait time.Duration) {
	if rc == nil {
		return 0
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if until, ok := rc.writes[key]; ok && now.Before(until) {
		return until.Sub(now)
	}
	for k, until := range rc.writes {
		if !now.Before(until) {
			delete(rc.writes, k)
		}
	}
	rc.writes[key] = now.Add(RedundantWindow)
	return 0
}

func (rc *ReadCache) get(key string, now time.Time) (partner.Response, bool) {
	if rc == nil {
		return partner.Response{}, false
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.entries[key]
	if !ok {
		return partner.Response{}, false
	}
	if !now.Before(e.expires) {
		delete(rc.entries, key)
		return partner.Response{}, false
	}
	return e.resp, true
}

func (rc *ReadCache) put(appKey, key string, resp partner.Response, expires time.Time) {
	if rc == nil {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	// Drop expired entries now and then so the map stays as small as the live window.
	if len(rc.entries) > 256 {
		for k, e := range rc.entries {
			if !expires.Add(-RedundantWindow).Before(e.expires) {
				delete(rc.entries, k)
			}
		}
	}
	rc.entries[key] = cacheEntry{appKey: appKey, resp: resp, expires: expires}
}

// invalidate forgets the cached reads of one key: after a write they may be stale (a tag write
// changes what ConsultarCliente answers, so every service of the key goes).
func (rc *ReadCache) invalidate(appKey string) {
	if rc == nil {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for k, e := range rc.entries {
		if e.appKey == appKey {
			delete(rc.entries, k)
		}
	}
}

// share runs fetch once for concurrent callers with the same key; with no cache, every caller runs it.
func (rc *ReadCache) share(key string, fetch func() (partner.Response, error)) (partner.Response, error) {
	if rc == nil {
		return fetch()
	}
	v, err, _ := rc.flight.Do(key, func() (any, error) { return fetch() })
	resp, _ := v.(partner.Response)
	return resp, err
}

// releaseWrite forgets a claimed write that never left the process (refused by the limiter, the
// gate or a failed dial), so it may be sent at once.
func (rc *ReadCache) releaseWrite(key string) {
	if rc == nil {
		return
	}
	rc.mu.Lock()
	delete(rc.writes, key)
	rc.mu.Unlock()
}
