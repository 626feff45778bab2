package auvo

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/partner"
)

// Link is a HATEOAS link of a list answer; rel "nextPage" means more pages exist.
type Link struct {
	Href   string `json:"href"`
	Rel    string `json:"rel"`
	Method string `json:"method"`
}

// PagedSearchReturnData is the paging block of a list answer (API doc §6, C-live).
type PagedSearchReturnData struct {
	Order      int `json:"order"`
	PageSize   int `json:"pageSize"`
	Page       int `json:"page"`
	TotalItems int `json:"totalItems"`
}

// PageInformation is the paging block S8 claims the newer API sends instead [U]; decoded too.
type PageInformation struct {
	Page       int `json:"page"`
	PageSize   int `json:"pageSize"`
	TotalPages int `json:"totalPages"`
	TotalItems int `json:"totalItems"`
}

// ListResult is the "result" of a list answer.
type ListResult[T any] struct {
	EntityList            []T                    `json:"entityList"`
	PagedSearchReturnData *PagedSearchReturnData `json:"pagedSearchReturnData,omitempty"`
	PageInformation       *PageInformation       `json:"pageInformation,omitempty"`
	Links                 []Link                 `json:"links,omitempty"`
}

// more decides whether pages follow this one: by totalItems, then totalPages, then a nextPage
// link, and else by a full page (API doc §6: "a short page means the end").
func (r ListResult[T]) more(page, asked int) bool {
	if p := r.PagedSearchReturnData; p != nil && p.TotalItems > 0 {
		size := p.PageSize
		if size <= 0 {
			size = asked
		}
		return page*size < p.TotalItems
	}
	if p := r.PageInformation; p != nil && p.TotalPages > 0 {
		return page < p.TotalPages
	}
	for _, l := range r.Links {
		if strings.EqualFold(l.Rel, "nextPage") {
			return true
		}
	}
	return len(r.EntityList) >= asked
}

// params is a paramFilter under construction; unset values are left out.
type params map[string]any

func (p params) str(k, v string) {
	if v != "" {
		p[k] = v
	}
}

func (p params) id(k string, v int64) {
	if v != 0 {
		p[k] = v
	}
}

func (p params) time(k string, t time.Time) {
	if !t.IsZero() {
		p[k] = NewTime(t).String()
	}
}

func (p params) boolPtr(k string, b *bool) {
	if b != nil {
		p[k] = *b
	}
}

func (p params) list(k string, v []string) {
	if len(v) > 0 {
		p[k] = strings.Join(v, ",")
	}
}

// listPage fetches one page of a list. paramFilter is always sent, {} at least: the doc marks it
// required on several lists and S5 saw 404s without it (API doc §8.5). A 404 is Auvo's empty
// list (API doc §6), returned as an empty last page.
func listPage[T any](ctx context.Context, c *Client, path string, f params, page int) ([]T, bool, error) {
	if page < 1 {
		page = 1
	}
	if f == nil {
		f = params{}
	}
	pf, _ := json.Marshal(f)
	q := url.Values{}
	q.Set("paramFilter", string(pf))
	q.Set("page", strconv.Itoa(page))
	q.Set("pageSize", strconv.Itoa(PageSize))
	q.Set("order", "asc")
	method := "GET " + path
	resp, err := c.send(ctx, call{method: method, http: http.MethodGet, path: path + "/", query: q, idempotent: true})
	if err != nil {
		return nil, false, err
	}
	if resp.Status == http.StatusNotFound && !notAuvo(resp) {
		// Auvo's "nothing matches". A 404 page of a proxy in the way is not an empty list: read
		// as one, a full listing would make every customer look deleted.
		return nil, false, nil
	}
	if resp.Status != http.StatusOK {
		return nil, false, decodeError(method, resp, false)
	}
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return nil, false, malformed(method, resp, err)
	}
	var r ListResult[T]
	raw := bytes.TrimSpace(env.Result)
	if len(raw) > 0 && raw[0] == '[' { // some lists answer a bare array (API doc §6 [I])
		err = json.Unmarshal(raw, &r.EntityList)
	} else if len(raw) > 0 && string(raw) != "null" {
		err = json.Unmarshal(raw, &r)
	}
	if err != nil {
		return nil, false, malformed(method, resp, err)
	}
	return r.EntityList, len(r.EntityList) > 0 && r.more(page, PageSize), nil
}

// all pages through a list to its end.
func all[T any](ctx context.Context, c *Client, path string, f params) ([]T, error) {
	var out []T
	for page := 1; ; page++ {
		items, more, err := listPage[T](ctx, c, path, f, page)
		if err != nil {
			return out, err
		}
		out = append(out, items...)
		if !more {
			return out, nil
		}
	}
}

// getOne fetches GET path/{id} into a T; a 404 is a KindNotFound error.
func getOne[T any](ctx context.Context, c *Client, path, id string) (T, error) {
	var v T
	_, err := c.do(ctx, call{method: "GET " + path + "/{id}", http: http.MethodGet,
		path: path + "/" + url.PathEscape(id), idempotent: true}, &v)
	return v, err
}

// PatchOp is one JSON Patch operation, the body shape of every Auvo PATCH (API doc §8.2).
type PatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value,omitempty"`
}

// Replace returns the operation that sets field to value.
func Replace(field string, value any) PatchOp {
	return PatchOp{Op: "replace", Path: field, Value: value}
}

// patch sends PATCH path/{id} with ops and decodes the saved entity. Replace operations are
// idempotent, so the call may be resent after a transport failure.
func patch[T any](ctx context.Context, c *Client, path, id string, ops []PatchOp) (T, error) {
	var v T
	_, err := c.do(ctx, call{method: "PATCH " + path + "/{id}", http: http.MethodPatch,
		path: path + "/" + url.PathEscape(id), body: ops, idempotent: true}, &v)
	return v, err
}

// create sends POST path with body, never resending it blindly: after a failure that leaves it
// unknown whether Auvo stored the record, it looks the record up with find (by externalId) and
// returns it if it is there, and only then creates it again.
func create[T any](ctx context.Context, c *Client, path string, body any, find func() (T, bool, error)) (T, error) {
	var v T
	_, err := c.do(ctx, call{method: "POST " + path, http: http.MethodPost, path: path + "/", body: body}, &v)
	if err == nil || find == nil || !partner.IsAmbiguous(err) {
		return v, err
	}
	found, ok, ferr := find()
	if ferr != nil {
		return v, err
	}
	if ok {
		return found, nil
	}
	_, err = c.do(ctx, call{method: "POST " + path, http: http.MethodPost, path: path + "/", body: body}, &v)
	return v, err
}
