package auvo

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"
)

// Quotation is an Auvo quotation ("orçamento") as GET returns it (API doc §4). Only the doc
// describes it, typos included: "descount", "aditionalCosts", "amout", and "CurrentStage" with
// a capital C.
type Quotation struct {
	PublicID        int64                 `json:"publicId"`
	CustomerID      int64                 `json:"customerId"`
	CustomerName    string                `json:"customerName"`
	TaskID          int64                 `json:"taskID"`
	Descount        Decimal               `json:"descount"`
	RequesterUserID int64                 `json:"requesterUserId"`
	Observations    string                `json:"observations"`
	RegisterDate    Time                  `json:"registerDate"`
	RequestDate     Time                  `json:"requestDate"`
	AditionalCosts  []QuotationCost       `json:"aditionalCosts"`
	Alterations     []QuotationAlteration `json:"alterations"`
	Products        []QuotationProduct    `json:"products"`
	Contacts        []QuotationContact    `json:"contacts"`
	Summary         QuotationSummary      `json:"summary"`
	CurrentStage    Stage                 `json:"CurrentStage"`
}

// QuotationCost is an additional cost on a quotation.
type QuotationCost struct {
	ID          int64   `json:"id"`
	CostID      int64   `json:"costId"`
	Description string  `json:"description"`
	Value       Decimal `json:"value"`
}

// QuotationAlteration is one entry of a quotation's audit trail.
type QuotationAlteration struct {
	ID           int64   `json:"id"`
	Key          int64   `json:"key"`
	Column       string  `json:"column"`
	Type         string  `json:"type"`
	UserID       int64   `json:"userId"`
	Date         Time    `json:"date"`
	Observations string  `json:"observations"`
	Value        Decimal `json:"value"`
}

// QuotationProduct is a product line of a quotation.
type QuotationProduct struct {
	ProductID    Ref     `json:"productId"`
	Amout        Decimal `json:"amout"`
	UnitaryValue Decimal `json:"UnitaryValue"`
}

// QuotationContact is a contact named on a quotation.
type QuotationContact struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Job         string `json:"job"`
	Email       string `json:"email"`
	PhoneNumber Ref    `json:"phoneNumber"` // a JSON number in the doc
}

// QuotationSummary totals a quotation.
type QuotationSummary struct {
	TotalProducts        Decimal  `json:"totalProducts"`
	TotalServices        Decimal  `json:"totalServices"`
	TotalAdditionalCosts Decimal  `json:"totalAdditionalCosts"`
	NetTotalValue        Decimal  `json:"netTotalValue"`
	GrossTotalValue      Decimal  `json:"grossTotalValue"`
	Discount             Discount `json:"discount"`
}

// Stage is a quotation's pipeline stage, the quotations' status. Stages are configured per
// account and have no fixed names (API doc §4); Ponte's setting S5 names one by Description.
type Stage struct {
	ID          int64  `json:"id"`
	Description string `json:"description"`
	Position    int    `json:"position"`
	ChangeStock bool   `json:"changeStock"`
	IsCancelled bool   `json:"isCancelled"`
	EditAllowed bool   `json:"editAllowed"`
}

// QuotationFilter selects quotations (API doc §4). CurrentStage is a stage name.
type QuotationFilter struct {
	PublicID                         int64
	RequestStartDate                 time.Time
	RequestEndDate                   time.Time
	CustomersID, UsersID, ProductsID []int64
	CurrentStage                     string
}

func (f QuotationFilter) params() params {
	p := params{}
	p.id("publicId", f.PublicID)
	p.time("requestStartDate", f.RequestStartDate)
	p.time("requestEndDate", f.RequestEndDate)
	if len(f.CustomersID) > 0 {
		p["customersId"] = f.CustomersID
	}
	if len(f.UsersID) > 0 {
		p["usersId"] = f.UsersID
	}
	if len(f.ProductsID) > 0 {
		p["productsId"] = f.ProductsID
	}
	p.str("CurrentStage", f.CurrentStage)
	return p
}

// QuotationPage is one page of quotations; More says whether another page follows.
type QuotationPage struct {
	Quotations []Quotation
	More       bool
}

// ListQuotations returns one page (from 1) of the quotations f selects; an empty page is not an
// error.
func (c *Client) ListQuotations(ctx context.Context, f QuotationFilter, page int) (QuotationPage, error) {
	items, more, err := listPage[Quotation](ctx, c, "/quotations", f.params(), page)
	return QuotationPage{Quotations: items, More: more}, err
}

// AllQuotations pages through every quotation f selects.
func (c *Client) AllQuotations(ctx context.Context, f QuotationFilter) ([]Quotation, error) {
	return all[Quotation](ctx, c, "/quotations", f.params())
}

// GetQuotation returns one quotation by its publicId (the path id is presumably the publicId,
// API doc §4 [I]), or a KindNotFound error.
func (c *Client) GetQuotation(ctx context.Context, publicID int64) (Quotation, error) {
	return getOne[Quotation](ctx, c, "/quotations", strconv.FormatInt(publicID, 10))
}

// QuotationStages returns the distinct stages of the account's quotations, ordered by
// position. The API documents no endpoint for the stage catalogue, so stages no quotation is in
// are not seen; Ponte uses this to check setting S5 "when it can".
func (c *Client) QuotationStages(ctx context.Context) ([]Stage, error) {
	qs, err := c.AllQuotations(ctx, QuotationFilter{})
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []Stage
	for _, q := range qs {
		if s := q.CurrentStage; !seen[s.ID] {
			seen[s.ID] = true
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Stage) int { return cmp.Compare(a.Position, b.Position) })
	return out, nil
}
