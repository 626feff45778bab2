package omie

import (
	"context"
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

// call sends param to o and decodes the answer as T.
func call[T any](ctx context.Context, c *Client, o op, param any) (T, error) {
	var out T
	err := c.do(ctx, o, param, &out)
	return out, err
}

// list is call for the Listar* methods: Omie's "no records" fault is the empty page.
func list[T any](ctx context.Context, c *Client, o op, param any, empty T) (T, error) {
	out, err := call[T](ctx, c, o, param)
	if isNoRecords(err) {
		return empty, nil
	}
	return out, err
}
