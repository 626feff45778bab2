package flow

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/pontehub/ponte/internal/auvo"
)

// runQuotes sends to Omie, once each, the quotations whose current stage has exactly the
// configured name (S5, Q1): their products as a sale in the proposal stage, under integration
// codes derived from the quotation id (K4). Auvo's quotation list has no "changed since" filter,
// so every quotation in the stage is listed each cycle; the ones already sent cost a look at
// their links and nothing else, and the waiting ones are simply tried again.
//
// The documented quotation has no services ([U], api/auvo.md §4): only products are sent.
func runQuotes(ctx context.Context, c *cycle, r *run) error {
	o, ok, err := newOrderRun(ctx, c, r)
	if !ok || err != nil {
		return err
	}
	stage := strings.TrimSpace(o.cfg.QuoteStatus)
	qs, err := o.api.AllQuotations(ctx, auvo.QuotationFilter{CurrentStage: stage})
	if err != nil {
		return err
	}
	slices.SortFunc(qs, func(a, b auvo.Quotation) int { return cmp.Compare(a.PublicID, b.PublicID) })
	for _, q := range qs {
		if strings.TrimSpace(q.CurrentStage.Description) != stage {
			continue // Auvo may match the name loosely; Q1 wants exactly the configured name
		}
		r.counts.Read++
		res, err := o.send(ctx, quoteSource(q))
		if _, err = o.finish(res, err); err != nil {
			return err
		}
	}
	return nil
}
