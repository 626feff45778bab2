package bling

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/pontehub/ponte/internal/partner"
)

// ListContacts returns page (1-based) of the contacts matching f, with the base fields only
// (no types, no address: GetContact has those). more is true when the page was full: Bling
// sends no totals, so the list ends on a short or empty page.
func (c *Client) ListContacts(ctx context.Context, f ContactFilter, page int) (contacts []Contact, more bool, err error) {
	return c.listContacts(ctx, f, page, nil)
}

func (c *Client) listContacts(ctx context.Context, f ContactFilter, page int, served *time.Time) (contacts []Contact, more bool, err error) {
	const method = "GET /contatos"
	if page < 1 {
		return nil, false, errorf(method, "página %d inválida: a primeira é 1", page)
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxPageSize {
		limit = MaxPageSize
	}
	q := url.Values{}
	q.Set("pagina", strconv.Itoa(page))
	q.Set("limite", strconv.Itoa(limit))
	if !f.ChangedSince.IsZero() {
		q.Set("dataAlteracaoInicial", formatTime(f.ChangedSince))
	}
	if !f.ChangedUntil.IsZero() {
		q.Set("dataAlteracaoFinal", formatTime(f.ChangedUntil))
	}
	if f.Document != "" {
		q.Set("numeroDocumento", DocumentKey(f.Document))
	}
	if f.TypeID != 0 {
		q.Set("idTipoContato", strconv.FormatInt(f.TypeID, 10))
	}
	if f.Search != "" {
		q.Set("pesquisa", f.Search)
	}
	if f.Deleted {
		q.Set("criterio", "2")
	}
	err = c.do(ctx, call{method: method, http: http.MethodGet, path: "/contatos", query: q, idempotent: true, served: served}, &contacts)
	if err != nil {
		return nil, false, err
	}
	return contacts, len(contacts) >= limit, nil
}

// ContactPager walks the pages of a contact listing. The engine may stop after any page and
// resume later from Page.
type ContactPager struct {
	c      *Client
	f      ContactFilter
	page   int
	done   bool
	listed time.Time
}

// ContactPages returns a pager over the contacts matching f, starting at page 1.
func (c *Client) ContactPages(f ContactFilter) *ContactPager {
	return &ContactPager{c: c, f: f, page: 1}
}

// More reports whether Next may return more contacts.
func (p *ContactPager) More() bool { return !p.done }

// Page is the page the next call to Next fetches.
func (p *ContactPager) Page() int { return p.page }

// Next fetches the next page. After a failure the same page is fetched again on the next call.
func (p *ContactPager) Next(ctx context.Context) ([]Contact, error) {
	if p.done {
		return nil, nil
	}
	var served time.Time
	cs, more, err := p.c.listContacts(ctx, p.f, p.page, &served)
	if err != nil {
		return nil, err
	}
	if p.listed.IsZero() {
		p.listed = served
	}
	p.page++
	p.done = !more
	return cs, nil
}

// Listed is when, on Bling's own clock (the Date header of the first page's answer), the
// listing started; zero before the first page or when Bling sent no Date. Bling returns no
// modification time on contacts, so this is the only partner time a contacts cursor can take:
// every change the listing missed happened after it, on the clock that filters them.
func (p *ContactPager) Listed() time.Time { return p.listed }

// FindContactsByDocument returns every contact (deleted ones excluded) whose CPF/CNPJ is doc,
// with or without punctuation on either side.
func (c *Client) FindContactsByDocument(ctx context.Context, doc string) ([]Contact, error) {
	key := DocumentKey(doc)
	if key == "" {
		return nil, errorf("GET /contatos", "documento vazio: informe o CPF ou CNPJ")
	}
	return c.findContacts(ctx, ContactFilter{Document: key}, func(ct Contact) bool {
		return DocumentKey(ct.Document) == key
	})
}

// FindContactsByCode returns every contact whose code is exactly code: the look-up by the
// "auvo-{id}" code Ponte gives the contacts it creates. Bling's search matches the code among
// other fields and list items carry it (api/bling.md §2), so no contact is read twice.
func (c *Client) FindContactsByCode(ctx context.Context, code string) ([]Contact, error) {
	if code == "" {
		return nil, errorf("GET /contatos", "código vazio")
	}
	return c.findContacts(ctx, ContactFilter{Search: code}, func(ct Contact) bool { return ct.Code == code })
}

// findContacts lists every page of f and keeps what match accepts: Bling's filters are
// searches, and callers need exact matches.
func (c *Client) findContacts(ctx context.Context, f ContactFilter, match func(Contact) bool) ([]Contact, error) {
	var out []Contact
	p := c.ContactPages(f)
	for p.More() {
		cs, err := p.Next(ctx)
		if err != nil {
			return nil, err
		}
		for _, ct := range cs {
			if match(ct) {
				out = append(out, ct)
			}
		}
	}
	return out, nil
}

// GetContact returns the full contact, or a KindNotFound error.
func (c *Client) GetContact(ctx context.Context, id int64) (Contact, error) {
	var ct Contact
	err := c.do(ctx, call{method: "GET /contatos/{id}", http: http.MethodGet,
		path: "/contatos/" + strconv.FormatInt(id, 10), idempotent: true}, &ct)
	return ct, err
}

// CreateContact creates ct and returns its id. A create is never resent blindly: when the
// outcome is ambiguous (no answer, a server error, an unreadable answer) and ct.Code is set, the
// contact is looked up by that code. Found once: its id is returned. Not found: the error is
// returned as no longer ambiguous, so the caller may create again later. So set Code to a key
// unique to the source record (for example the Auvo customer id); without it an ambiguous error
// is returned for the caller to resolve.
func (c *Client) CreateContact(ctx context.Context, ct Contact) (int64, error) {
	ct.ID = 0
	var created struct {
		ID int64 `json:"id"`
	}
	err := c.do(ctx, call{method: "POST /contatos", http: http.MethodPost, path: "/contatos", body: ct}, &created)
	if err == nil {
		return created.ID, nil
	}
	if !partner.IsAmbiguous(err) || ct.Code == "" {
		return 0, err
	}
	found, lerr := c.findContacts(ctx, ContactFilter{Search: ct.Code}, func(x Contact) bool {
		return x.Code == ct.Code && (ct.Document == "" || DocumentKey(x.Document) == DocumentKey(ct.Document))
	})
	switch {
	case lerr != nil:
		return 0, errors.Join(err, lerr)
	case len(found) == 1:
		return found[0].ID, nil
	case len(found) == 0:
		var pe *partner.Error
		if errors.As(err, &pe) {
			settled := *pe
			settled.Ambiguous = false
			return 0, &settled
		}
	}
	return 0, err
}

// UpdateContact replaces contact id with ct. Bling's PUT is a full replace: a field left empty
// in ct is erased in Bling. Callers send the whole record, as read by GetContact; ModifyContact
// does that for them.
func (c *Client) UpdateContact(ctx context.Context, id int64, ct Contact) error {
	const method = "PUT /contatos/{id}"
	if ct.Name == "" || ct.PersonType == "" {
		return errorf(method, "atualização do contato %d sem nome ou tipo de pessoa: envie o cadastro completo", id)
	}
	ct.ID = id
	return c.do(ctx, call{method: method, http: http.MethodPut,
		path: "/contatos/" + strconv.FormatInt(id, 10), body: ct, idempotent: true}, nil)
}

// ModifyContact reads contact id, lets edit change it, and writes the whole record back
// (GET-merge-PUT), returning what was written. A change made in Bling between the read and the
// write is lost; Bling offers no version to guard against it [U].
func (c *Client) ModifyContact(ctx context.Context, id int64, edit func(*Contact)) (Contact, error) {
	ct, err := c.GetContact(ctx, id)
	if err != nil {
		return Contact{}, err
	}
	edit(&ct)
	if err := c.UpdateContact(ctx, id, ct); err != nil {
		return Contact{}, err
	}
	return ct, nil
}

// ListContactTypes returns the account's contact types. Their ids differ between accounts.
func (c *Client) ListContactTypes(ctx context.Context) ([]ContactType, error) {
	var ts []ContactType
	err := c.do(ctx, call{method: "GET /contatos/tipos", http: http.MethodGet, path: "/contatos/tipos", idempotent: true}, &ts)
	return ts, err
}

// FindType returns the type whose description is desc, ignoring case and accents ("cliente"
// finds "Cliente", "transportador" finds "Transportador").
func FindType(types []ContactType, desc string) (ContactType, bool) {
	want := fold(desc)
	for _, t := range types {
		if fold(t.Description) == want {
			return t, true
		}
	}
	return ContactType{}, false
}

func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(strings.TrimSpace(out))
}
