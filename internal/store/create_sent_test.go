package store_test

import (
	"context"
	"testing"

	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// Issue 23 (idempotent creates): the first note of a create is new, every later one of the same
// integration, entity and Auvo record says a create was sent before; other records and other
// integrations are apart.
func TestNoteCreateSent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ten, _ := s.CreateTenant(ctx, "Alfa")
		in, _ := s.CreateIntegration(ctx, ten.ID, store.Bling)
		other, _ := s.CreateIntegration(ctx, ten.ID, store.ContaAzul)
		for i, tc := range []struct {
			in     store.IntegrationID
			auvoID string
			before bool
		}{{in.ID, "10", false}, {in.ID, "10", true}, {in.ID, "11", false}, {other.ID, "10", false}, {in.ID, "10", true}} {
			before, err := s.NoteCreateSent(ctx, ten.ID, tc.in, store.EntityCustomer, tc.auvoID)
			if err != nil || before != tc.before {
				t.Fatalf("note %d (%d, %s) = %v, %v; want %v", i, tc.in, tc.auvoID, before, err, tc.before)
			}
		}
	})
}
