package flow

import (
	"context"

	"github.com/pontehub/ponte/internal/store"
)

// sentBefore notes, just before a create of the Auvo customer auvoID is sent to Bling or Conta
// Azul, that it is sent, and reports whether one was sent before. Those ERPs keep Ponte's
// "auvo-{id}" code without making it unique, so a create that got through before a crash,
// without its link, is found again only by that code; the note says when to look (issue 23:
// idempotent on the Auvo id, even when the document changed since).
type sentBefore func(ctx context.Context, auvoID string) (bool, error)

func (e *Engine) sentBefore(in store.Integration) sentBefore {
	return func(ctx context.Context, auvoID string) (bool, error) {
		return e.st.NoteCreateSent(ctx, in.TenantID, in.ID, store.EntityCustomer, auvoID)
	}
}
