package auvo

import (
	"context"
	"fmt"
	"net/http"
)

// Product is an Auvo product as GET returns it (API doc §5). ProductID is a GUID (task lines
// refer to it); Code is what the doc says GET /products/{id} takes. Prices come back as
// formatted strings ("12,00" in the doc, "$0.00" live), which Decimal reads.
type Product struct {
	ProductID             string                 `json:"productId"`
	ID                    Ref                    `json:"id,omitempty"` // live GETs carry it too (S3)
	ExternalID            string                 `json:"externalId"`
	Code                  string                 `json:"code"`
	Name                  string                 `json:"name"`
	Description           string                 `json:"description"`
	AssociatedEquipmentID int64                  `json:"associatedEquipmentId"`
	CategoryID            int64                  `json:"categoryId"`
	UnitaryValue          Decimal                `json:"unitaryValue"`
	UnitaryCost           Decimal                `json:"unitaryCost"`
	TotalStock            Decimal                `json:"totalStock"`
	Active                bool                   `json:"active"`
	MinimumStock          Decimal                `json:"minimumStock"` // a number, or a string "30"
	ImageURL              string                 `json:"imageUrl"`
	URIAttachments        []string               `json:"uriAttachments"`
	URIAnexos             []string               `json:"uriAnexos,omitempty"` // the doc's older name
	ProductSpecifications []ProductSpecification `json:"productSpecifications"`
	EmployeesStock        []EmployeeStock        `json:"employeesStock"`
}

// ProductSpecification is a name/value attribute; "Specification" is capitalised by Auvo.
type ProductSpecification struct {
	Name          string `json:"name"`
	Specification string `json:"Specification"`
}

// EmployeeStock is how much of a product one user (technician) carries.
type EmployeeStock struct {
	ID                int64          `json:"id"`
	UserID            int64          `json:"userId"`
	Amount            Decimal        `json:"amount"`
	LastStockMovement *StockMovement `json:"lastStockMovement"`
}

// StockMovement is the last change of an employee's stock; "Unitaryvalue" is Auvo's casing.
type StockMovement struct {
	ID              int64   `json:"id"`
	OperationUserID int64   `json:"operationUserId"`
	StockUserID     int64   `json:"stockUserId"`
	ProductID       Ref     `json:"productId"`
	Amount          Decimal `json:"amount"`
	Unitaryvalue    Decimal `json:"Unitaryvalue"`
	UnitaryCost     Decimal `json:"unitaryCost"`
	Entry           bool    `json:"entry"`
	Date            Time    `json:"date"`
}

// productWrite is the body of POST /products. It never carries prices: Auvo's POST stores them
// ×10 (decimal-separator parsing, API doc §5 C-live S3), so CreateProduct sets them by PATCH.
type productWrite struct {
	ExternalID            string                 `json:"externalId"`
	Code                  string                 `json:"code,omitempty"`
	Name                  string                 `json:"name"`
	Description           string                 `json:"description"`
	AssociatedEquipmentID int64                  `json:"associatedEquipmentId,omitempty"`
	CategoryID            int64                  `json:"categoryId,omitempty"`
	MinimumStock          Decimal                `json:"minimumStock"`
	TotalStock            Decimal                `json:"totalStock"`
	Active                bool                   `json:"active"`
	ProductSpecifications []ProductSpecification `json:"productSpecifications,omitempty"`
}

// ProductFilter selects products (API doc §5). Code is the doc's "id" filter.
type ProductFilter struct {
	Name                  string
	ExternalID            string
	Code                  string
	CategoryID            int64
	AssociatedEquipmentID int64
	Active                *bool
	LowerThanMinimumStock bool
}

func (f ProductFilter) params() params {
	p := params{}
	p.str("name", f.Name)
	p.str("externalId", f.ExternalID)
	p.str("id", f.Code)
	p.id("categoryId", f.CategoryID)
	p.id("associatedEquipmentId", f.AssociatedEquipmentID)
	p.boolPtr("active", f.Active)
	if f.LowerThanMinimumStock {
		p["lowerThanMinimumStock"] = true
	}
	return p
}

// ProductPage is one page of products; More says whether another page follows.
type ProductPage struct {
	Products []Product
	More     bool
}

// ListProducts returns one page (from 1) of the products f selects; an empty page is not an
// error.
func (c *Client) ListProducts(ctx context.Context, f ProductFilter, page int) (ProductPage, error) {
	items, more, err := listPage[Product](ctx, c, "/products", f.params(), page)
	return ProductPage{Products: items, More: more}, err
}

// AllProducts pages through every product f selects.
func (c *Client) AllProducts(ctx context.Context, f ProductFilter) ([]Product, error) {
	return all[Product](ctx, c, "/products", f.params())
}

// GetProduct returns one product by its code, or a KindNotFound error.
func (c *Client) GetProduct(ctx context.Context, code string) (Product, error) {
	return getOne[Product](ctx, c, "/products", code)
}

// ProductByExternalID finds the product whose externalId is externalID; ok is false when there
// is none.
func (c *Client) ProductByExternalID(ctx context.Context, externalID string) (Product, bool, error) {
	page, err := c.ListProducts(ctx, ProductFilter{ExternalID: externalID}, 1)
	if err != nil {
		return Product{}, false, err
	}
	for _, p := range page.Products {
		if p.ExternalID == externalID {
			return p, true, nil
		}
	}
	return Product{}, false, nil
}

// CreateProduct creates a product and returns it as saved. It creates it without prices and
// then sets UnitaryValue and UnitaryCost by PATCH, which Auvo stores correctly. When that second
// step fails, the product exists: the error comes with the product as created. A lost answer to
// the create is resolved by looking the product up by ExternalID, never by creating it twice.
func (c *Client) CreateProduct(ctx context.Context, p Product) (Product, error) {
	w := productWrite{ExternalID: p.ExternalID, Code: p.Code, Name: p.Name, Description: p.Description,
		AssociatedEquipmentID: p.AssociatedEquipmentID, CategoryID: p.CategoryID, MinimumStock: p.MinimumStock,
		TotalStock: p.TotalStock, Active: p.Active, ProductSpecifications: p.ProductSpecifications}
	w.MinimumStock.Style, w.TotalStock.Style = StyleNumber, StyleNumber
	var find func() (Product, bool, error)
	if p.ExternalID != "" {
		find = func() (Product, bool, error) { return c.ProductByExternalID(ctx, p.ExternalID) }
	}
	saved, err := create(ctx, c, "/products", w, find)
	if err != nil {
		return saved, err
	}
	var ops []PatchOp
	if !p.UnitaryValue.IsZero() {
		ops = append(ops, Replace("unitaryValue", numeric(p.UnitaryValue)))
	}
	if !p.UnitaryCost.IsZero() {
		ops = append(ops, Replace("unitaryCost", numeric(p.UnitaryCost)))
	}
	if len(ops) == 0 {
		return saved, nil
	}
	priced, err := c.PatchProduct(ctx, saved.Code, ops)
	if err != nil {
		return saved, fmt.Errorf("auvo: product %s created without its prices: %w", saved.Code, err)
	}
	return priced, nil
}

func numeric(d Decimal) Decimal {
	d.Style = StyleNumber
	return d
}

// PatchProduct applies JSON Patch operations to the product with code and returns it as saved.
func (c *Client) PatchProduct(ctx context.Context, code string, ops []PatchOp) (Product, error) {
	return patch[Product](ctx, c, "/products", code, ops)
}

// SetEmployeeStock sets how much of a product (by GUID) a user carries (PUT
// /products/employee-product-stock, 204). Whether amount is a level or a movement is not
// documented, so the call is never resent after an ambiguous failure.
func (c *Client) SetEmployeeStock(ctx context.Context, userID int64, productID string, amount Decimal) error {
	_, err := c.do(ctx, call{method: "PUT /products/employee-product-stock", http: http.MethodPut,
		path: "/products/employee-product-stock",
		body: map[string]any{"userId": userID, "productId": productID, "amount": numeric(amount)}}, nil)
	return err
}
