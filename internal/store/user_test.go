package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// P1/P6: one account per e-mail whatever its case; operators have no tenant.
func TestUsers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ten, err := s.CreateTenant(ctx, "Clima Sul")
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.CreateUser(ctx, ten.ID, " Ana@Exemplo.com.br ", "hash1", false)
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "ana@exemplo.com.br" || u.TenantID != ten.ID || !u.MustChange || u.Operator || u.PasswordSentAt.IsZero() {
			t.Fatalf("user = %+v", u)
		}
		if _, err := s.CreateUser(ctx, ten.ID, "ANA@exemplo.com.br", "hash2", false); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate e-mail: %v, want ErrConflict", err)
		}
		op, err := s.CreateUser(ctx, 0, "suporte@ponte.local", "hash3", true)
		if err != nil || !op.Operator || op.TenantID != 0 {
			t.Fatalf("operator = %+v, %v", op, err)
		}
		got, err := s.UserByEmail(ctx, "ANA@EXEMPLO.COM.BR")
		if err != nil || got.ID != u.ID {
			t.Fatalf("by e-mail = %+v, %v", got, err)
		}
		if _, err := s.UserByEmail(ctx, "ninguem@exemplo.com"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown e-mail: %v", err)
		}
		// P2: a chosen password clears "must change" and ends every session.
		if err := s.CreateSession(ctx, "tok-1", u.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, u.ID, "hash-new", false); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserByID(ctx, u.ID); got.MustChange || got.PasswordHash != "hash-new" {
			t.Fatalf("after change = %+v", got)
		}
		if _, err := s.SessionUser(ctx, "tok-1", time.Hour, time.Hour); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("session survived a password change: %v", err)
		}
		users, err := s.TenantUsers(ctx, ten.ID)
		if err != nil || len(users) != 1 || users[0].ID != u.ID {
			t.Fatalf("tenant users = %+v, %v", users, err)
		}
	})
}

// P4: sessions are found by their token only, expire when idle, and end at logout; reset links
// work once.
func TestSessionsAndResets(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ten, _ := s.CreateTenant(ctx, "Clima Sul")
		u, err := s.CreateUser(ctx, ten.ID, "ana@exemplo.com.br", "h", false)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, "secret-token", u.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SessionUser(ctx, "secret-token", time.Hour, time.Hour); err != nil || got.ID != u.ID {
			t.Fatalf("session user = %+v, %v", got, err)
		}
		if _, err := s.SessionUser(ctx, "other-token", time.Hour, time.Hour); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown token: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
		if _, err := s.SessionUser(ctx, "secret-token", 10*time.Millisecond, time.Hour); !errors.Is(err, store.ErrExpired) {
			t.Fatalf("idle session: %v, want ErrExpired", err)
		}
		if _, err := s.SessionUser(ctx, "secret-token", time.Hour, time.Hour); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("expired session was kept: %v", err)
		}
		if err := s.CreateSession(ctx, "t2", u.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSession(ctx, "t2"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, "t2", time.Hour, time.Hour); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("logged-out session: %v", err)
		}

		if err := s.CreatePasswordReset(ctx, "reset-1", u.ID, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, err := s.PasswordResetUser(ctx, "reset-1"); err != nil || got.ID != u.ID {
			t.Fatalf("reset user = %+v, %v", got, err)
		}
		if id, err := s.UsePasswordReset(ctx, "reset-1"); err != nil || id != u.ID {
			t.Fatalf("use reset = %d, %v", id, err)
		}
		if _, err := s.UsePasswordReset(ctx, "reset-1"); !errors.Is(err, store.ErrExpired) {
			t.Fatalf("second use: %v, want ErrExpired", err)
		}
		if _, err := s.PasswordResetUser(ctx, "reset-1"); !errors.Is(err, store.ErrExpired) {
			t.Fatalf("used token look-up: %v, want ErrExpired", err)
		}
		if err := s.CreatePasswordReset(ctx, "reset-2", u.ID, time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UsePasswordReset(ctx, "reset-2"); !errors.Is(err, store.ErrExpired) {
			t.Fatalf("expired token: %v, want ErrExpired", err)
		}
	})
}

// Login throttling and the P3 resend limit count events per key within a window.
func TestThrottle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		since := time.Now().Add(-time.Minute)
		for range 3 {
			if err := s.AddThrottle(ctx, "login:ana"); err != nil {
				t.Fatal(err)
			}
		}
		_ = s.AddThrottle(ctx, "login:bia")
		if n, err := s.Throttled(ctx, "login:ana", since); err != nil || n != 3 {
			t.Fatalf("count = %d, %v", n, err)
		}
		if n, _ := s.Throttled(ctx, "login:ana", time.Now().Add(time.Minute)); n != 0 {
			t.Fatalf("events in the future window = %d", n)
		}
		if err := s.ClearThrottle(ctx, "login:ana"); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Throttled(ctx, "login:ana", since); n != 0 {
			t.Fatalf("after clear = %d", n)
		}
		if n, _ := s.Throttled(ctx, "login:bia", since); n != 1 {
			t.Fatalf("other key = %d", n)
		}
	})
}
