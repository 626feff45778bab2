// Package oauth keeps the OAuth2 connections to Bling and Conta Azul alive. Both partners
// rotate refresh tokens: a refresh token works once, so two concurrent refreshes for one tenant
// would leave one of them holding a dead token and log the tenant out. The Manager therefore
// refreshes single-flight per connection, saves the new pair before anyone uses it, and marks
// the connection as needing reconnection when the partner rejects the refresh token.
package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/sync/singleflight"
)

// Token is what Ponte keeps of one connection. It is stored encrypted (SPEC S11).
type Token struct {
	AccessToken  string
	RefreshToken string
	Expiry       time.Time
}

// ErrNeedsReconnect means the partner rejected the refresh token (revoked, expired or already
// used): only the user can fix it, by running Conectar again.
var ErrNeedsReconnect = errors.New("oauth: connection needs to be authorised again")

// ErrNoToken is returned by a TokenStore for a connection that was never authorised.
var ErrNoToken = errors.New("oauth: no token stored")

// TokenStore persists tokens per connection key (for example "integration:42"). Implementations
// live in the store package; they must encrypt the tokens.
type TokenStore interface {
	LoadToken(ctx context.Context, key string) (Token, error)
	SaveToken(ctx context.Context, key string, t Token) error
	// MarkNeedsReconnect records that the connection's refresh token was rejected.
	MarkNeedsReconnect(ctx context.Context, key string, reason string) error
}

// Locker is implemented by a TokenStore shared by several processes (PostgreSQL): the Manager
// holds the lock for a connection while it refreshes, so two nodes never spend the same
// rotating refresh token. Single-process stores need not implement it.
type Locker interface {
	LockToken(ctx context.Context, key string) (unlock func(), err error)
}

// Manager hands out valid access tokens for one partner's connections.
type Manager struct {
	cfg   *oauth2.Config
	store TokenStore
	http  *http.Client
	// Skew is how long before expiry a token is refreshed; default 5 minutes.
	Skew time.Duration
	now  func() time.Time
	sf   singleflight.Group
	mu   sync.Mutex // serialises refreshes per key across singleflight generations
	keys map[string]*sync.Mutex
}

// NewManager returns a Manager for the OAuth2 client cfg, storing tokens in store and talking to
// the token endpoint through hc.
func NewManager(cfg *oauth2.Config, store TokenStore, hc *http.Client) *Manager {
	return &Manager{cfg: cfg, store: store, http: hc, Skew: 5 * time.Minute, now: time.Now, keys: map[string]*sync.Mutex{}}
}

// Config returns the OAuth2 client configuration.
func (m *Manager) Config() *oauth2.Config { return m.cfg }

// AuthCodeURL is the page the user is sent to by Conectar. state must be non-empty and bound to
// the user's session (Bling refuses an empty one).
func (m *Manager) AuthCodeURL(state string, opts ...oauth2.AuthCodeOption) string {
	return m.cfg.AuthCodeURL(state, opts...)
}

func (m *Manager) ctx(ctx context.Context) context.Context {
	// golang.org/x/oauth2 takes its HTTP client from the context; this is its documented API.
	return context.WithValue(ctx, oauth2.HTTPClient, m.http)
}

// Exchange trades an authorization code for tokens and stores them under key.
func (m *Manager) Exchange(ctx context.Context, key, code string, opts ...oauth2.AuthCodeOption) (Token, error) {
	t, err := m.cfg.Exchange(m.ctx(ctx), code, opts...)
	if err != nil {
		return Token{}, classify(err)
	}
	tok := Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, Expiry: t.Expiry}
	if err := m.store.SaveToken(ctx, key, tok); err != nil {
		return Token{}, fmt.Errorf("oauth: saving token: %w", err)
	}
	return tok, nil
}

// AccessToken returns a valid access token for key, refreshing it first when it expires within
// Skew.
func (m *Manager) AccessToken(ctx context.Context, key string) (string, error) {
	tok, err := m.store.LoadToken(ctx, key)
	if err != nil {
		return "", err
	}
	if tok.AccessToken != "" && m.now().Add(m.Skew).Before(tok.Expiry) {
		return tok.AccessToken, nil
	}
	return m.refresh(ctx, key, tok.AccessToken)
}

// Refresh forces a refresh after the partner answered 401 to stale, unless another caller has
// already replaced stale. It returns the access token to retry with.
func (m *Manager) Refresh(ctx context.Context, key, stale string) (string, error) {
	return m.refresh(ctx, key, stale)
}

func (m *Manager) keyLock(key string) *sync.Mutex {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.keys[key]
	if !ok {
		l = &sync.Mutex{}
		m.keys[key] = l
	}
	return l
}

func (m *Manager) refresh(ctx context.Context, key, stale string) (string, error) {
	v, err, _ := m.sf.Do(key, func() (any, error) {
		l := m.keyLock(key)
		l.Lock()
		defer l.Unlock()
		if lk, ok := m.store.(Locker); ok {
			unlock, err := lk.LockToken(ctx, key)
			if err != nil {
				return "", fmt.Errorf("oauth: locking %s for refresh: %w", key, err)
			}
			defer unlock()
		}
		// Re-read: a refresh that finished just before this one (here or on another node that
		// shares the store) has already rotated the pair, and its refresh token is the only
		// valid one now.
		cur, err := m.store.LoadToken(ctx, key)
		if err != nil {
			return "", err
		}
		if cur.AccessToken != "" && cur.AccessToken != stale && m.now().Add(m.Skew).Before(cur.Expiry) {
			return cur.AccessToken, nil
		}
		if cur.RefreshToken == "" {
			_ = m.store.MarkNeedsReconnect(ctx, key, "sem refresh token")
			return "", ErrNeedsReconnect
		}
		src := m.cfg.TokenSource(m.ctx(ctx), &oauth2.Token{RefreshToken: cur.RefreshToken, Expiry: time.Unix(1, 0)})
		t, err := src.Token()
		if err != nil {
			err = classify(err)
			if errors.Is(err, ErrNeedsReconnect) {
				if merr := m.store.MarkNeedsReconnect(ctx, key, err.Error()); merr != nil {
					return "", errors.Join(err, merr)
				}
			}
			return "", err
		}
		next := Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, Expiry: t.Expiry}
		if next.RefreshToken == "" {
			next.RefreshToken = cur.RefreshToken // partner kept the old one
		}
		if err := m.store.SaveToken(ctx, key, next); err != nil {
			return "", fmt.Errorf("oauth: saving refreshed token: %w", err)
		}
		return next.AccessToken, nil
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

// classify turns the partner's token-endpoint answer into ErrNeedsReconnect when retrying cannot
// help (invalid_grant and friends), and keeps other failures as they are.
func classify(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		switch re.ErrorCode {
		case "invalid_grant", "unauthorized_client", "invalid_client", "access_denied":
			return fmt.Errorf("%w: %s %s", ErrNeedsReconnect, re.ErrorCode, re.ErrorDescription)
		}
		if re.Response != nil && (re.Response.StatusCode == http.StatusBadRequest || re.Response.StatusCode == http.StatusUnauthorized) {
			return fmt.Errorf("%w: HTTP %d", ErrNeedsReconnect, re.Response.StatusCode)
		}
	}
	return fmt.Errorf("oauth: token endpoint: %w", err)
}
