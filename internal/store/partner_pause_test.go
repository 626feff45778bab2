package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// Issue 22 item 5: a partner pause runs until its time, is the tenant's only, and a new one
// replaces the old.
func TestPartnerPause(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ten, _ := s.CreateTenant(ctx, "Alfa")
		other, _ := s.CreateTenant(ctx, "Beta")
		in, _ := s.CreateIntegration(ctx, ten.ID, store.Bling)
		at := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
		if _, err := s.PartnerPauseOf(ctx, ten.ID, in.ID, at); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("no pause yet: %v", err)
		}
		until := at.Add(6 * time.Hour)
		if err := s.PausePartner(ctx, ten.ID, in.ID, "bling", until, "limite diário"); err != nil {
			t.Fatal(err)
		}
		p, err := s.PartnerPauseOf(ctx, ten.ID, in.ID, at)
		if err != nil || p.Partner != "bling" || !p.Until.Equal(until) || p.Reason != "limite diário" {
			t.Fatalf("pause = %+v, %v", p, err)
		}
		if _, err := s.PartnerPauseOf(ctx, other.ID, in.ID, at); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another tenant sees the pause: %v", err)
		}
		if _, err := s.PartnerPauseOf(ctx, ten.ID, in.ID, until); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("pause still running at its end: %v", err)
		}
		later := until.Add(24 * time.Hour)
		if err := s.PausePartner(ctx, ten.ID, in.ID, "bling", later, "de novo"); err != nil {
			t.Fatal(err)
		}
		if p, err := s.PartnerPauseOf(ctx, ten.ID, in.ID, until); err != nil || !p.Until.Equal(later) {
			t.Fatalf("replaced pause = %+v, %v", p, err)
		}
	})
}
