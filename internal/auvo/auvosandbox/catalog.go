package auvosandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
)

func productKind() *kind[auvo.Product] {
	return &kind[auvo.Product]{
		name: "products",
		tab:  func(a *account) *table[auvo.Product] { return &a.products },
		id:   func(p *auvo.Product) string { return p.Code },
		// GET /products/{id} documents the code; task lines and stock use the GUID. Both work.
		match: func(p *auvo.Product, id string) bool {
			return p.Code == id || strings.EqualFold(p.ProductID, id)
		},
		filter:   productFilter,
		required: true,
		prepare: func(a *account, p *auvo.Product, _ time.Time) {
			if p.ProductID == "" {
				p.ProductID = newGUID()
			}
			if p.Code == "" {
				p.Code = strconv.FormatInt(a.newID(), 10)
			}
		},
		present: func(_ *account, p auvo.Product) auvo.Product { return presentProduct(p) },
	}
}

// presentProduct writes prices as formatted strings, in the live "$0.00" form (C-live S3, which
// outranks the doc's "12,00"), and stock as numbers.
func presentProduct(p auvo.Product) auvo.Product {
	p.UnitaryValue.Style, p.UnitaryCost.Style = auvo.StyleDollar, auvo.StyleDollar
	p.TotalStock.Style, p.MinimumStock.Style = auvo.StyleNumber, auvo.StyleNumber
	nonNil(&p.URIAttachments)
	nonNil(&p.ProductSpecifications)
	nonNil(&p.EmployeesStock)
	return p
}

func productFilter(_ *account, fr *filterReader) func(*auvo.Product) bool {
	f := fr.f
	name, ext, code := f.str("name"), f.str("externalId"), f.str("id")
	category, equipment := fr.int("categoryId"), fr.int("associatedEquipmentId")
	active, low := fr.boolean("active"), fr.boolean("lowerThanMinimumStock")
	return func(p *auvo.Product) bool {
		return (name == "" || contains(p.Name, name)) && (ext == "" || p.ExternalID == ext) &&
			(code == "" || p.Code == code) && (category == 0 || p.CategoryID == category) &&
			(equipment == 0 || p.AssociatedEquipmentID == equipment) &&
			(active == nil || p.Active == *active) &&
			(low == nil || !*low || p.TotalStock.Float64() < p.MinimumStock.Float64())
	}
}

// createProduct serves POST /products: 201 with the product. It reproduces the live quirk that
// POST stores prices ×10 (API doc §5, C-live S3): the price is read as pt-BR, so its dot is
// taken for a thousands separator.
func (s *Server) createProduct(w http.ResponseWriter, r *http.Request, a *account, _ string) *apiError {
	var body map[string]json.RawMessage
	if err := readJSON(r, &body); err != nil {
		return err
	}
	serverOwned(body, "productId")
	for k, raw := range body {
		if strings.EqualFold(k, "unitaryValue") || strings.EqualFold(k, "unitaryCost") {
			text := strings.Trim(string(raw), `" `)
			if !strings.Contains(text, ",") {
				text = strings.ReplaceAll(text, ".", "")
			}
			body[k], _ = json.Marshal(text)
		}
	}
	p := auvo.Product{Active: true}
	if _, err := overlay(&p, body, nil); err != nil {
		return bindError(err)
	}
	if strings.TrimSpace(p.Name) == "" {
		return appError(http.StatusBadRequest, 0, "The name is required.") // wording [U]
	}
	if p.Code != "" && a.products.find(func(x *auvo.Product) bool { return x.Code == p.Code }) != nil {
		return appError(http.StatusBadRequest, 0, "There is already a product with this code.") // [U]
	}
	s.k.products.prepare(a, &p, s.now())
	a.products.add(p)
	writeResult(w, http.StatusCreated, presentProduct(p))
	return nil
}

// employeeStock serves PUT /products/employee-product-stock {"userId","productId","amount"}:
// 204 (API doc §5). The amount is taken as the employee's new level [I].
func (s *Server) employeeStock(w http.ResponseWriter, r *http.Request, a *account, _ string) *apiError {
	var in struct {
		UserID    auvo.Int     `json:"userId"`
		ProductID auvo.Ref     `json:"productId"`
		Amount    auvo.Decimal `json:"amount"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	rec := a.products.find(func(p *auvo.Product) bool { return s.k.products.matches(p, string(in.ProductID)) })
	if rec == nil || in.UserID == 0 {
		return appError(http.StatusBadRequest, 0, "Product or user not found.") // wording [U]
	}
	p := &rec.Value
	in.Amount.Style = auvo.StyleNumber
	i := slices.IndexFunc(p.EmployeesStock, func(e auvo.EmployeeStock) bool { return e.UserID == int64(in.UserID) })
	if i < 0 {
		p.EmployeesStock = append(p.EmployeesStock, auvo.EmployeeStock{ID: a.newID(), UserID: int64(in.UserID)})
		i = len(p.EmployeesStock) - 1
	}
	e := &p.EmployeesStock[i]
	e.LastStockMovement = &auvo.StockMovement{ID: a.newID(), StockUserID: e.UserID, ProductID: auvo.Ref(p.Code),
		Amount: in.Amount, Unitaryvalue: p.UnitaryValue, UnitaryCost: p.UnitaryCost,
		Entry: in.Amount.Float64() >= e.Amount.Float64(), Date: auvo.NewTime(s.now())}
	e.Amount = in.Amount
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func serviceKind() *kind[auvo.Service] {
	return &kind[auvo.Service]{
		name:  "services",
		tab:   func(a *account) *table[auvo.Service] { return &a.services },
		id:    func(sv *auvo.Service) string { return sv.ID },
		match: func(sv *auvo.Service, id string) bool { return strings.EqualFold(sv.ID, id) },
		filter: func(_ *account, fr *filterReader) func(*auvo.Service) bool {
			title, desc, fiscal := fr.f.str("title"), fr.f.str("description"), fr.f.str("fiscalServiceId")
			active := fr.boolean("active")
			return func(sv *auvo.Service) bool {
				return (title == "" || contains(sv.Title, title)) && (desc == "" || contains(sv.Description, desc)) &&
					(fiscal == "" || strings.EqualFold(sv.FiscalServiceID, fiscal)) &&
					(active == nil || sv.Active == *active)
			}
		},
		// Live, the list without paramFilter answered 404 (API doc §5, S3): the doc marks the
		// filter required, and the sandbox gives the answer that was seen.
		noFilter: http.StatusNotFound,
		prepare: func(_ *account, sv *auvo.Service, _ time.Time) {
			if sv.ID == "" {
				sv.ID = newGUID()
			}
		},
		present: func(_ *account, sv auvo.Service) auvo.Service {
			sv.Price.Style = auvo.StyleNumber
			return sv
		},
	}
}

// createService serves POST /services: 201 with the service (its id a GUID).
func (s *Server) createService(w http.ResponseWriter, r *http.Request, a *account, _ string) *apiError {
	var body map[string]json.RawMessage
	if err := readJSON(r, &body); err != nil {
		return err
	}
	serverOwned(body, "id")
	sv := auvo.Service{Active: true}
	if _, err := overlay(&sv, body, nil); err != nil {
		return bindError(err)
	}
	if strings.TrimSpace(sv.Title) == "" {
		return appError(http.StatusBadRequest, 0, "The title is required.") // wording [U]
	}
	s.k.services.prepare(a, &sv, s.now())
	a.services.add(sv)
	writeResult(w, http.StatusCreated, s.k.services.out(a, sv))
	return nil
}

func taskTypeKind() *kind[auvo.TaskType] {
	return &kind[auvo.TaskType]{
		name:      "taskTypes",
		tab:       func(a *account) *table[auvo.TaskType] { return &a.taskTypes },
		id:        func(tt *auvo.TaskType) string { return idString(tt.ID) },
		numericID: true,
		filter: func(_ *account, fr *filterReader) func(*auvo.TaskType) bool {
			id, desc := fr.int("id"), fr.f.str("description")
			return func(tt *auvo.TaskType) bool {
				return (id == 0 || tt.ID == id) && (desc == "" || contains(tt.Description, desc))
			}
		},
		prepare: func(a *account, tt *auvo.TaskType, now time.Time) {
			if tt.ID == 0 {
				tt.ID = a.newID()
			}
			if tt.CreationDate.IsZero() {
				tt.CreationDate = auvo.NewTime(now)
			}
		},
		present: func(_ *account, tt auvo.TaskType) auvo.TaskType {
			nonNil(&tt.Requirements.RequiredQuestionnaires)
			return tt
		},
		// Live, PATCH answers 200 but does not keep a new description (API doc §5, C-live S3).
		patched: func(tt *auvo.TaskType, fields []string, before auvo.TaskType) {
			if slices.Contains(fields, "description") {
				tt.Description = before.Description
			}
		},
	}
}

// Quotation stages of a new sandbox account. The real default names are unknown (API doc §4
// [U]); these are invented, as the doc suggests.
func defaultStages() []auvo.Stage {
	return []auvo.Stage{
		{ID: 1, Description: "Em aberto", Position: 1, EditAllowed: true},
		{ID: 2, Description: "Aguardando aprovação", Position: 2, EditAllowed: true},
		{ID: 3, Description: "Aprovado", Position: 3, ChangeStock: true},
		{ID: 4, Description: "Cancelado", Position: 4, IsCancelled: true},
	}
}

func quotationKind() *kind[auvo.Quotation] {
	return &kind[auvo.Quotation]{
		name:      "quotations",
		tab:       func(a *account) *table[auvo.Quotation] { return &a.quotations },
		id:        func(q *auvo.Quotation) string { return idString(q.PublicID) },
		numericID: true,
		filter:    quotationFilter,
		prepare: func(a *account, q *auvo.Quotation, now time.Time) {
			if q.PublicID == 0 {
				q.PublicID = a.newID()
			}
			if q.RegisterDate.IsZero() {
				q.RegisterDate = auvo.NewTime(now)
			}
			if q.RequestDate.IsZero() {
				q.RequestDate = q.RegisterDate
			}
			if q.CurrentStage.ID == 0 {
				q.CurrentStage = defaultStages()[0]
			}
			if c := a.customers.find(func(c *auvo.Customer) bool { return c.ID == q.CustomerID }); c != nil && q.CustomerName == "" {
				q.CustomerName = c.Value.Description
			}
		},
	}
}

// quotationFilter implements the quotation filters (API doc §4); CurrentStage is a stage name.
func quotationFilter(_ *account, fr *filterReader) func(*auvo.Quotation) bool {
	id := fr.int("publicId")
	from, to := fr.time("requestStartDate"), fr.time("requestEndDate")
	customers, users, products := fr.ints("customersId"), fr.ints("usersId"), fr.ints("productsId")
	stage := fr.f.str("CurrentStage")
	return func(q *auvo.Quotation) bool {
		hasProduct := len(products) == 0 || slices.ContainsFunc(q.Products, func(p auvo.QuotationProduct) bool {
			return slices.Contains(products, atoi(string(p.ProductID)))
		})
		return (id == 0 || q.PublicID == id) &&
			(from.IsZero() || !q.RequestDate.Before(from)) && (to.IsZero() || !q.RequestDate.After(to)) &&
			(len(customers) == 0 || slices.Contains(customers, q.CustomerID)) &&
			(len(users) == 0 || slices.Contains(users, q.RequesterUserID)) && hasProduct &&
			(stage == "" || strings.EqualFold(q.CurrentStage.Description, stage))
	}
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
