package jobs_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pontehub/ponte/internal/jobs"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

// WH2: a flood of deliveries for one integration costs one early cycle inside the debounce
// window, and a paused integration starts none.
func TestHintDebounceWH2(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	if err := jobs.Migrate(ctx, st); err != nil {
		t.Fatal(err)
	}
	enq, err := jobs.NewEnqueuer(st)
	if err != nil {
		t.Fatal(err)
	}
	ten, _ := st.CreateTenant(ctx, "Empresa")
	in, _ := st.CreateIntegration(ctx, ten.ID, store.Omie)
	if err := st.SetIntegrationState(ctx, ten.ID, in.ID, store.StatePaused, ""); err != nil {
		t.Fatal(err)
	}
	if err := enq.Hint(ctx, ten.ID, in.ID); !errors.Is(err, jobs.ErrHintDebounced) {
		t.Fatalf("WH2 paused: %v", err)
	}
	if err := st.SetIntegrationState(ctx, ten.ID, in.ID, store.StateActive, ""); err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for range 50 {
		switch err := enq.Hint(ctx, ten.ID, in.ID); {
		case err == nil:
			accepted++
		case !errors.Is(err, jobs.ErrHintDebounced):
			t.Fatal(err)
		}
	}
	if accepted != 1 {
		t.Errorf("WH2: %d early cycles for 50 deliveries, want 1", accepted)
	}
}
