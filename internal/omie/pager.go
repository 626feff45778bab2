package omie

import (
	"iter"

	"github.com/pontehub/ponte/internal/partner"
)

// pages yields every item of a paged list, fetching page after page from first (default 1) until
// the last one. It stops at the first error, which it yields with a zero item.
func pages[T any](first int, fetch func(page int) (items []T, totalPages int, err error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if first < 1 {
			first = 1
		}
		for p := first; ; p++ {
			items, total, err := fetch(p)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) == 0 || p >= total {
				return
			}
		}
	}
}

// ambiguous reports a write failure after which the record may exist: the create must be looked
// up before it is tried again.
func ambiguous(err error) bool { return partner.IsAmbiguous(err) }
