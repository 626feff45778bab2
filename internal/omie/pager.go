package omie

import (
	"context"
	"iter"
	"strings"

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

// writeStatus checks the status object of a write answered without a fault (api/omie.md §1.2:
// "0" is success). A non-zero status is Omie refusing the write, with its own text; a success
// without an id cannot be linked, so it is ambiguous and the caller looks the record up by its
// integration code.
func writeStatus(o op, status, text string, id int64) error {
	status = strings.TrimSpace(status)
	switch {
	case status != "0" && status != "":
		msg := strings.TrimSpace(text)
		if msg == "" {
			msg = "o Omie recusou a gravação (status " + status + ")"
		}
		return &partner.Error{Partner: PartnerName, Method: o.call, Kind: partner.KindInvalid, Status: 200,
			Code: status, Message: msg}
	case id == 0:
		return &partner.Error{Partner: PartnerName, Method: o.call, Kind: partner.KindTransient, Status: 200,
			Ambiguous: true, Message: "o Omie respondeu sem o id do registro gravado"}
	}
	return nil
}

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
