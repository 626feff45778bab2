package auvosandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
)

func customerKind() *kind[auvo.Customer] {
	return &kind[auvo.Customer]{
		name:      "customers",
		tab:       func(a *account) *table[auvo.Customer] { return &a.customers },
		id:        func(c *auvo.Customer) string { return idString(c.ID) },
		numericID: true,
		filter:    customerFilter,
		prepare: func(a *account, c *auvo.Customer, now time.Time) {
			if c.ID == 0 {
				c.ID = a.newID()
			}
			if c.CreationDate.IsZero() {
				c.CreationDate = auvo.NewTime(now)
			}
			if c.DateLastUpdate.IsZero() {
				c.DateLastUpdate = c.CreationDate
			}
		},
		touch:   func(c *auvo.Customer, now time.Time) { c.DateLastUpdate = auvo.NewTime(now) },
		present: func(_ *account, c auvo.Customer) auvo.Customer { return presentCustomer(c) },
		// POST and PATCH document "name" and live writers send it; reads say "description"
		// (API doc §2.2).
		aliases: map[string]string{"name": "description"},
	}
}

// presentCustomer writes empty lists as [] like the real payload, never null.
func presentCustomer(c auvo.Customer) auvo.Customer {
	nonNil(&c.PhoneNumber, &c.Email, &c.URIAttachments)
	nonNil(&c.GroupsID, &c.ManagerTeamsID, &c.ManagersID)
	nonNil(&c.Contacts)
	return c
}

// customerFilter implements the documented customer filters (API doc §2.3): dates are ">=",
// description is a partial match [I], externalId takes several comma-separated values.
func customerFilter(_ *account, fr *filterReader) func(*auvo.Customer) bool {
	id, segment, group := fr.int("id"), fr.int("segmentId"), fr.int("groupId")
	active := fr.boolean("active")
	created, updated := fr.time("creationDate"), fr.time("dateLastUpdate")
	desc, ext := fr.f.str("description"), fr.f.strs("externalId")
	return func(c *auvo.Customer) bool {
		return (id == 0 || c.ID == id) &&
			(segment == 0 || c.SegmentID == segment) &&
			(group == 0 || slices.Contains(c.GroupsID, group)) &&
			(active == nil || c.Active == *active) &&
			since(c.CreationDate, created) && since(c.DateLastUpdate, updated) &&
			(desc == "" || contains(c.Description, desc)) &&
			(len(ext) == 0 || slices.Contains(ext, c.ExternalID))
	}
}

// serverOwned drops the fields a client cannot set on a write (ids and dates).
func serverOwned(body map[string]json.RawMessage, names ...string) {
	for k := range body {
		for _, n := range names {
			if strings.EqualFold(k, n) {
				delete(body, k)
			}
		}
	}
}

// bodyValue reads one field of a JSON object body by case-insensitive name.
func bodyValue(body map[string]json.RawMessage, name string, v any) bool {
	for k, raw := range body {
		if strings.EqualFold(k, name) {
			return json.Unmarshal(raw, v) == nil
		}
	}
	return false
}

// newCustomer builds a customer from a POST or PUT body. "active" defaults to true when absent,
// as the web app creates customers active [I].
func (s *Server) newCustomer(a *account, body map[string]json.RawMessage) (auvo.Customer, *apiError) {
	c := auvo.Customer{Active: true}
	if _, err := overlay(&c, body, s.k.customers.aliases); err != nil {
		return c, bindError(err)
	}
	if strings.TrimSpace(c.Description) == "" {
		// The exact message is not documented [U].
		return c, appError(http.StatusBadRequest, 0, "The name is required.")
	}
	s.k.customers.prepare(a, &c, s.now())
	return c, nil
}

// createCustomer serves POST /customers: 201 with the created customer.
func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request, a *account, _ string) *apiError {
	var body map[string]json.RawMessage
	if err := readJSON(r, &body); err != nil {
		return err
	}
	serverOwned(body, "id", "creationDate", "dateLastUpdate")
	c, err := s.newCustomer(a, body)
	if err != nil {
		return err
	}
	a.customers.add(c)
	writeResult(w, http.StatusCreated, presentCustomer(c))
	return nil
}

// upsertCustomer serves PUT /customers: it updates the customer matched by id, else by
// externalId, else (identifierBycpfCnpj) by cpfCnpj, answering 200; otherwise it creates one,
// answering 201 (API doc §2.1). replaceData false merges the fields sent; true replaces every
// field, and so does an absent flag, S8's claim for an unknown default [U].
func (s *Server) upsertCustomer(w http.ResponseWriter, r *http.Request, a *account, _ string) *apiError {
	var body map[string]json.RawMessage
	if err := readJSON(r, &body); err != nil {
		return err
	}
	var id auvo.Int
	var ext, doc string
	replace, byDoc := true, false
	bodyValue(body, "id", &id)
	bodyValue(body, "externalId", &ext)
	bodyValue(body, "cpfCnpj", &doc)
	bodyValue(body, "replaceData", &replace)
	bodyValue(body, "identifierBycpfCnpj", &byDoc)
	serverOwned(body, "id", "creationDate", "dateLastUpdate", "replaceData", "identifierBycpfCnpj")
	var rec *Record[auvo.Customer]
	switch {
	case id != 0:
		rec = a.customers.find(func(c *auvo.Customer) bool { return c.ID == int64(id) })
	case ext != "":
		rec = a.customers.find(func(c *auvo.Customer) bool { return c.ExternalID == ext })
	case byDoc && doc != "":
		rec = a.customers.find(func(c *auvo.Customer) bool { return c.CPFCNPJ == doc })
	}
	if rec == nil {
		c, err := s.newCustomer(a, body)
		if err != nil {
			return err
		}
		a.customers.add(c)
		writeResult(w, http.StatusCreated, presentCustomer(c))
		return nil
	}
	next := rec.Value
	if replace {
		next = auvo.Customer{ID: next.ID, CreationDate: next.CreationDate, Active: true}
	}
	if _, err := overlay(&next, body, s.k.customers.aliases); err != nil {
		return bindError(err)
	}
	rec.Value = next
	s.k.customers.changed(a, &rec.Value, s.now())
	writeResult(w, http.StatusOK, presentCustomer(rec.Value))
	return nil
}

func groupKind() *kind[auvo.CustomerGroup] {
	return &kind[auvo.CustomerGroup]{
		name:      "customerGroups",
		tab:       func(a *account) *table[auvo.CustomerGroup] { return &a.groups },
		id:        func(g *auvo.CustomerGroup) string { return idString(g.ID) },
		numericID: true,
		filter: func(_ *account, fr *filterReader) func(*auvo.CustomerGroup) bool {
			id, desc := fr.int("id"), fr.f.str("description")
			return func(g *auvo.CustomerGroup) bool {
				return (id == 0 || g.ID == id) && (desc == "" || contains(g.Description, desc))
			}
		},
		prepare: func(a *account, g *auvo.CustomerGroup, _ time.Time) {
			if g.ID == 0 {
				g.ID = a.newID()
			}
		},
	}
}

// createGroup serves POST /customerGroups {"description", "clientsId"}: 201, with the new id
// nested at result.clientGroupSearchReturn.id as live (API doc §5, C-live S3).
func (s *Server) createGroup(w http.ResponseWriter, r *http.Request, a *account, _ string) *apiError {
	var in struct {
		Description string  `json:"description"`
		ClientsID   []int64 `json:"clientsId"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Description) == "" {
		return appError(http.StatusBadRequest, 0, "The description is required.") // wording [U]
	}
	g := auvo.CustomerGroup{Description: in.Description}
	s.k.groups.prepare(a, &g, s.now())
	a.groups.add(g)
	for _, rec := range a.customers.live() {
		if slices.Contains(in.ClientsID, rec.Value.ID) {
			rec.Value.GroupsID = append(rec.Value.GroupsID, g.ID)
			s.k.customers.changed(a, &rec.Value, s.now())
		}
	}
	writeResult(w, http.StatusCreated, map[string]any{"clientGroupSearchReturn": g})
	return nil
}

// groupClients serves GET /customerGroups/{id}/clients/: the group's customers, paged.
func (s *Server) groupClients(w http.ResponseWriter, r *http.Request, a *account, id string) *apiError {
	rec, err := s.k.groups.lookup(a, id)
	if err != nil {
		return err
	}
	p, err := parsePaging(r, s.opts.MaxPageSize)
	if err != nil {
		return err
	}
	var items []auvo.Customer
	for _, c := range a.customers.live() {
		if slices.Contains(c.Value.GroupsID, rec.Value.ID) {
			items = append(items, presentCustomer(c.Value))
		}
	}
	writeList(w, r, items, p, s.opts.EmptyListOK)
	return nil
}
