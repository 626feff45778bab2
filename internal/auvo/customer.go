package auvo

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Customer is an Auvo customer as GET returns it (API doc §2.2, real 2025-11 shape). The name is
// in Description; "adressComplement" is misspelled by Auvo.
type Customer struct {
	ID                 int64     `json:"id"`
	ExternalID         string    `json:"externalId"`
	Description        string    `json:"description"`
	CPFCNPJ            string    `json:"cpfCnpj"`
	PhoneNumber        []string  `json:"phoneNumber"`
	Email              []string  `json:"email"`
	Manager            string    `json:"manager"`
	ManagerJobPosition string    `json:"managerJobPosition"`
	Note               string    `json:"note"`
	Address            string    `json:"address"`
	Latitude           Float     `json:"latitude"`
	Longitude          Float     `json:"longitude"`
	MaximumVisitTime   int       `json:"maximumVisitTime"`
	UnitMaximumTime    int       `json:"unitMaximumTime"`
	GroupsID           []int64   `json:"groupsId"`
	ManagerTeamsID     []int64   `json:"managerTeamsId"`
	ManagersID         []int64   `json:"managersId"`
	URIAttachments     []string  `json:"uriAttachments"`
	SegmentID          int64     `json:"segmentId"`
	Active             bool      `json:"active"`
	AdressComplement   string    `json:"adressComplement"`
	DateLastUpdate     Time      `json:"dateLastUpdate"`
	CreationDate       Time      `json:"creationDate"`
	Contacts           []Contact `json:"contacts"`
	// LegalName is accepted on write; whether reads return it is unknown (API doc §2.2 [U]).
	LegalName string `json:"legalName,omitempty"`
}

// Contact is a person at a customer.
type Contact struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	JobPosition string `json:"jobPosition"`
	Email       string `json:"email"`
	Phone       string `json:"phone"`
}

// customerWrite is the body of POST and PUT /customers. It carries the name both as "name"
// (documented for POST and sent by live writers) and "description" (documented for PUT);
// Auvo ignores fields it does not know (API doc §2.2, §8.2).
type customerWrite struct {
	ID                 int64     `json:"id,omitempty"`
	ExternalID         string    `json:"externalId"`
	Name               string    `json:"name"`
	Description        string    `json:"description"`
	LegalName          string    `json:"legalName,omitempty"`
	CPFCNPJ            string    `json:"cpfCnpj"`
	PhoneNumber        []string  `json:"phoneNumber"`
	Email              []string  `json:"email"`
	Manager            string    `json:"manager"`
	ManagerJobPosition string    `json:"managerJobPosition"`
	Note               string    `json:"note"`
	Address            string    `json:"address"`
	AdressComplement   string    `json:"adressComplement"`
	Latitude           string    `json:"latitude,omitempty"` // documented as string on input
	Longitude          string    `json:"longitude,omitempty"`
	MaximumVisitTime   int       `json:"maximumVisitTime,omitempty"`
	UnitMaximumTime    int       `json:"unitMaximumTime,omitempty"`
	GroupsID           []int64   `json:"groupsId,omitempty"`
	SegmentID          int64     `json:"segmentId,omitempty"`
	Active             bool      `json:"active"`
	Contacts           []Contact `json:"contacts,omitempty"`
	// ReplaceData false asks PUT to merge the fields sent; the default with the flag absent is
	// unknown (API doc §2.1 [U]), so the client always says what it means.
	ReplaceData *bool `json:"replaceData,omitempty"`
}

func newCustomerWrite(c Customer) customerWrite {
	w := customerWrite{
		ID: c.ID, ExternalID: c.ExternalID, Name: c.Description, Description: c.Description,
		LegalName: c.LegalName, CPFCNPJ: c.CPFCNPJ, PhoneNumber: orEmpty(c.PhoneNumber), Email: orEmpty(c.Email),
		Manager: c.Manager, ManagerJobPosition: c.ManagerJobPosition, Note: c.Note, Address: c.Address,
		AdressComplement: c.AdressComplement, MaximumVisitTime: c.MaximumVisitTime,
		UnitMaximumTime: c.UnitMaximumTime, GroupsID: c.GroupsID, SegmentID: c.SegmentID,
		Active: c.Active, Contacts: c.Contacts,
	}
	if c.Latitude != 0 || c.Longitude != 0 {
		w.Latitude = strconv.FormatFloat(float64(c.Latitude), 'f', -1, 64)
		w.Longitude = strconv.FormatFloat(float64(c.Longitude), 'f', -1, 64)
	}
	return w
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// CustomerFilter selects customers (API doc §2.3). DateLastUpdate is a "changed since" (>=)
// filter, the cursor of the incremental sync. Zero fields are not sent.
type CustomerFilter struct {
	ID             int64
	Description    string
	SegmentID      int64
	GroupID        int64
	Active         *bool
	ExternalIDs    []string // any of these
	CreationDate   time.Time
	DateLastUpdate time.Time
}

func (f CustomerFilter) params() params {
	p := params{}
	p.id("id", f.ID)
	p.str("description", f.Description)
	p.id("segmentId", f.SegmentID)
	p.id("groupId", f.GroupID)
	p.boolPtr("active", f.Active)
	p.list("externalId", f.ExternalIDs)
	p.time("creationDate", f.CreationDate)
	p.time("dateLastUpdate", f.DateLastUpdate)
	return p
}

// CustomerPage is one page of customers; More says whether another page follows.
type CustomerPage struct {
	Customers []Customer
	More      bool
}

// ListCustomers returns one page (from 1) of the customers f selects. An empty page, which Auvo
// answers with 404, is not an error.
func (c *Client) ListCustomers(ctx context.Context, f CustomerFilter, page int) (CustomerPage, error) {
	items, more, err := listPage[Customer](ctx, c, "/customers", f.params(), page)
	return CustomerPage{Customers: items, More: more}, err
}

// AllCustomers pages through every customer f selects.
func (c *Client) AllCustomers(ctx context.Context, f CustomerFilter) ([]Customer, error) {
	return all[Customer](ctx, c, "/customers", f.params())
}

// GetCustomer returns one customer, or a KindNotFound error.
func (c *Client) GetCustomer(ctx context.Context, id int64) (Customer, error) {
	return getOne[Customer](ctx, c, "/customers", strconv.FormatInt(id, 10))
}

// CustomerByExternalID finds the customer whose externalId is externalID; ok is false when
// there is none.
func (c *Client) CustomerByExternalID(ctx context.Context, externalID string) (Customer, bool, error) {
	page, err := c.ListCustomers(ctx, CustomerFilter{ExternalIDs: []string{externalID}}, 1)
	if err != nil {
		return Customer{}, false, err
	}
	for _, cu := range page.Customers {
		if cu.ExternalID == externalID {
			return cu, true, nil
		}
	}
	return Customer{}, false, nil
}

// CreateCustomer creates a customer (POST /customers) and returns it as saved. When the answer
// is lost, it looks the customer up by ExternalID before trying again, so a retry never makes a
// duplicate; set ExternalID whenever there is one.
func (c *Client) CreateCustomer(ctx context.Context, cu Customer) (Customer, error) {
	cu.ID = 0
	var find func() (Customer, bool, error)
	if cu.ExternalID != "" {
		find = func() (Customer, bool, error) { return c.CustomerByExternalID(ctx, cu.ExternalID) }
	}
	return create(ctx, c, "/customers", newCustomerWrite(cu), find)
}

// UpsertCustomer writes cu with PUT /customers, which updates the customer with cu's ID or
// ExternalID, or creates one (created is then true). It sends replaceData false and leaves out
// nil lists (contacts, groups), so what Ponte does not sync survives in Auvo.
func (c *Client) UpsertCustomer(ctx context.Context, cu Customer) (saved Customer, created bool, err error) {
	w := newCustomerWrite(cu)
	merge := false
	w.ReplaceData = &merge
	keyed := cu.ID != 0 || cu.ExternalID != ""
	status, err := c.do(ctx, call{method: "PUT /customers", http: http.MethodPut, path: "/customers/",
		body: w, idempotent: keyed}, &saved)
	return saved, status == http.StatusCreated, err
}

// PatchCustomer applies JSON Patch operations to a customer and returns it as saved, e.g.
// PatchCustomer(ctx, id, []PatchOp{Replace("externalId", "omie:123")}).
func (c *Client) PatchCustomer(ctx context.Context, id int64, ops []PatchOp) (Customer, error) {
	return patch[Customer](ctx, c, "/customers", strconv.FormatInt(id, 10), ops)
}
