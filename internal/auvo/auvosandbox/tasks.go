package auvosandbox

import (
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
)

func taskKind() *kind[auvo.Task] {
	return &kind[auvo.Task]{
		name:      "tasks",
		tab:       func(a *account) *table[auvo.Task] { return &a.tasks },
		id:        func(t *auvo.Task) string { return idString(t.TaskID) },
		numericID: true,
		filter:    taskFilter,
		required:  true,
		prepare: func(a *account, t *auvo.Task, now time.Time) {
			if t.TaskID == 0 {
				t.TaskID = a.newID()
			}
			if t.CreationDate.IsZero() {
				t.CreationDate = auvo.NewTime(now)
			}
			if t.TaskDate.IsZero() {
				t.TaskDate = t.CreationDate
			}
			if t.DateLastUpdate.IsZero() {
				t.DateLastUpdate = t.CreationDate
			}
			if t.TaskStatus == 0 {
				t.TaskStatus = auvo.TaskOpened
			}
			if t.Priority == 0 {
				t.Priority = 2
			}
			if t.TaskURL == "" {
				t.TaskURL = "https://app.auvo.com.br/informacoes/tarefa/" + newGUID() + "?chave=" + randomHex(11)
			}
			deriveTask(a, t)
		},
		touch:     func(t *auvo.Task, now time.Time) { t.DateLastUpdate = auvo.NewTime(now) },
		afterEdit: deriveTask,
		present:   func(_ *account, t auvo.Task) auvo.Task { return presentTask(t) },
	}
}

// deriveTask keeps the denormalised names and the summary in step with what they come from.
func deriveTask(a *account, t *auvo.Task) {
	if c := a.customers.find(func(c *auvo.Customer) bool { return c.ID == t.CustomerID }); c != nil {
		t.CustomerDescription, t.CustomerExternalID = c.Value.Description, c.Value.ExternalID
		if t.Address == "" {
			t.Address, t.Latitude, t.Longitude = c.Value.Address, c.Value.Latitude, c.Value.Longitude
		}
	}
	if tt := a.taskTypes.find(func(tt *auvo.TaskType) bool { return tt.ID == t.TaskType }); tt != nil {
		t.TaskTypeDescription = tt.Value.Description
	}
	var products, services, costs int64
	for _, p := range t.Products {
		products += p.TotalValue.Cents()
	}
	for _, sv := range t.Services {
		services += sv.TotalValue.Cents()
	}
	for _, c := range t.AdditionalCosts {
		costs += c.UnitaryValue.Cents()
	}
	// The summary's discount is the task's own (set on Auvo's screen): it is kept and taken off
	// the total. [I] It applies to items and costs together, as the quotation example's does; a
	// percentage is of that sum.
	d := t.Summary.Discount
	if d.Type == "" {
		d.Type = "Valor"
	}
	gross := products + services + costs
	off := d.Value.Cents()
	if t := strings.ToLower(d.Type); t != "valor" && t != "0" {
		off = (gross*d.Value.Micro()/1_000_000 + 50) / 100 // half up, to the centavo
	}
	t.Summary = auvo.TaskSummary{
		TotalProducts: auvo.DecimalFromCents(products), TotalServices: auvo.DecimalFromCents(services),
		TotalAdditionalCosts: auvo.DecimalFromCents(costs), TotalValue: auvo.DecimalFromCents(gross - off), Discount: d,
	}
}

// money rounds to cents.
func money(f float64) auvo.Decimal { return auvo.DecimalFromCents(int64(math.Round(f * 100))) }

func presentTask(t auvo.Task) auvo.Task {
	nonNil(&t.KeyWords)
	nonNil(&t.Attachments)
	nonNil(&t.Questionnaires)
	nonNil(&t.Products)
	nonNil(&t.Services)
	nonNil(&t.AdditionalCosts)
	nonNil(&t.KeyWordsDescriptions)
	nonNil(&t.EquipmentsID)
	nonNil(&t.TimeControl)
	t.Expense.Style = auvo.StylePtBR // "0,00" (API doc §3.3)
	return t
}

// taskFilter implements the task filters (API doc §3.2). The window applies to taskDate and is
// required unless customerId is given (400, errorCode 168, C-live S3).
func taskFilter(a *account, fr *filterReader) func(*auvo.Task) bool {
	f := fr.f
	customer := fr.int("customerId")
	if (!f.has("startDate") || !f.has("endDate")) && customer == 0 {
		fr.keep(appError(http.StatusBadRequest, 168, "Start date and end date are required when customerId is not provided"))
	}
	start, end, updated := fr.time("startDate"), fr.time("endDate"), fr.time("dateLastUpdate")
	id, userTo, typ, group, priority := fr.int("taskID"), fr.int("idUserTo"), fr.int("type"), fr.int("customerGroupId"), fr.int("priority")
	status := int64(auvo.StatusAll)
	if f.has("status") {
		status = fr.int("status")
		if status < 0 || status > 6 {
			fr.keep(modelError("status", f.str("status")))
		}
	}
	ext, orientation := f.strs("externalId"), f.str("orientation")
	var tags []string
	if f.has("tags") {
		tags = f.strs("tags")
	}
	inGroup := func(customerID int64) bool {
		c := a.customers.find(func(c *auvo.Customer) bool { return c.ID == customerID })
		return c != nil && slices.Contains(c.Value.GroupsID, group)
	}
	return func(t *auvo.Task) bool {
		return (start.IsZero() || !t.TaskDate.Before(start)) && (end.IsZero() || !t.TaskDate.After(end)) &&
			since(t.DateLastUpdate, updated) &&
			(customer == 0 || t.CustomerID == customer) && (id == 0 || t.TaskID == id) &&
			(userTo == 0 || t.IDUserTo == userTo) && (typ == 0 || t.TaskType == typ) &&
			(priority == 0 || int64(t.Priority) == priority) &&
			(group == 0 || inGroup(t.CustomerID)) &&
			(len(ext) == 0 || slices.Contains(ext, t.ExternalID)) &&
			(orientation == "" || contains(t.Orientation, orientation)) &&
			hasTags(t, tags) && statusMatches(t, status)
	}
}

func hasTags(t *auvo.Task, tags []string) bool {
	for _, tag := range tags {
		if !slices.Contains(t.KeyWords, auvo.Ref(tag)) {
			return false
		}
	}
	return true
}

// statusMatches implements the status filter codes (API doc §3.2). No task field says whether it
// was finished automatically [U]; the sandbox takes an automatic check-in (checkinType 2) as the
// sign of an automatic finish.
func statusMatches(t *auvo.Task, code int64) bool {
	switch code {
	case auvo.StatusUnfinished:
		return !t.Finished
	case auvo.StatusFinishedAuto:
		return t.Finished && t.CheckinType == 2
	case auvo.StatusFinishedManual:
		return t.Finished && t.CheckinType != 2
	case auvo.StatusFinished:
		return t.Finished
	case auvo.StatusWithPendency:
		return strings.TrimSpace(t.Pendency) != ""
	case auvo.StatusStartedOrFinished:
		return t.CheckIn || t.CheckOut
	}
	return true
}

// taskLine is one line of PUT /tasks/{id}/products or /services; the doc sends the numbers as
// strings, and encoding/json matches the capitalised keys.
type taskLine struct {
	ProductID     string       `json:"productId"`
	ServiceID     string       `json:"serviceId"`
	Quantity      auvo.Decimal `json:"quantity"`
	Value         auvo.Decimal `json:"value"`
	DiscountType  auvo.Int     `json:"discountType"` // 0 money, 1 percent
	DiscountValue auvo.Decimal `json:"discountValue"`
}

func (l taskLine) amounts() (total auvo.Decimal, discount auvo.Discount) {
	gross := l.Quantity.Float64() * l.Value.Float64()
	d := l.DiscountValue.Float64()
	discount = auvo.Discount{Value: l.DiscountValue, Type: "Valor"}
	if l.DiscountType == 1 {
		d = gross * d / 100
		discount.Type = "Percentual" // the read name of a percent discount is unknown [U]
	}
	return money(gross - d), discount
}

// putTaskLines serves PUT /tasks/{id}/products and /services: lines are upserted by item id and
// the task is answered (API doc §3.1).
func (s *Server) putTaskLines(services bool) func(http.ResponseWriter, *http.Request, *account, string) *apiError {
	return func(w http.ResponseWriter, r *http.Request, a *account, id string) *apiError {
		rec, err := s.k.tasks.lookup(a, id)
		if err != nil {
			return err
		}
		var in map[string][]taskLine
		if err := readJSON(r, &in); err != nil {
			return err
		}
		now := auvo.NewTime(s.now())
		t := &rec.Value
		for key, lines := range in {
			if !strings.EqualFold(key, "taskProducts") && !strings.EqualFold(key, "taskServices") {
				continue
			}
			for _, l := range lines {
				var aerr *apiError
				if services {
					aerr = s.putServiceLine(a, t, l, now)
				} else {
					aerr = s.putProductLine(a, t, l, now)
				}
				if aerr != nil {
					return aerr
				}
			}
		}
		s.k.tasks.changed(a, t, s.now())
		writeResult(w, http.StatusOK, presentTask(*t))
		return nil
	}
}

func (s *Server) putProductLine(a *account, t *auvo.Task, l taskLine, now auvo.Time) *apiError {
	p := a.products.find(func(p *auvo.Product) bool { return strings.EqualFold(p.ProductID, l.ProductID) })
	if p == nil {
		return appError(http.StatusBadRequest, 0, "Product not found: "+l.ProductID) // wording [U]
	}
	total, discount := l.amounts()
	line := auvo.TaskProduct{ProductID: p.Value.ProductID, Code: p.Value.Code, Name: p.Value.Name,
		Description: p.Value.Description, Quantity: l.Quantity, UnitaryValue: l.Value, TotalValue: total,
		UserResponsibleCode: t.IDUserFrom, DateRegister: now, DateEdit: now, Discount: discount}
	line.Quantity.Style, line.UnitaryValue.Style, line.Discount.Value.Style = auvo.StyleNumber, auvo.StyleNumber, auvo.StyleNumber
	i := slices.IndexFunc(t.Products, func(x auvo.TaskProduct) bool { return x.ProductID == line.ProductID })
	if i < 0 {
		t.Products = append(t.Products, line)
		return nil
	}
	line.DateRegister, line.UserResponsible = t.Products[i].DateRegister, t.Products[i].UserResponsible
	t.Products[i] = line
	return nil
}

func (s *Server) putServiceLine(a *account, t *auvo.Task, l taskLine, now auvo.Time) *apiError {
	sv := a.services.find(func(sv *auvo.Service) bool { return strings.EqualFold(sv.ID, l.ServiceID) })
	if sv == nil {
		return appError(http.StatusBadRequest, 0, "Service not found: "+l.ServiceID) // wording [U]
	}
	total, discount := l.amounts()
	line := auvo.TaskService{ID: sv.Value.ID, Name: sv.Value.Title, Quantity: l.Quantity, UnitaryValue: l.Value,
		TotalValue: total, UserResponsibleCode: t.IDUserFrom, DateRegister: now, DateEdit: now, Discount: discount}
	line.Quantity.Style, line.UnitaryValue.Style, line.Discount.Value.Style = auvo.StyleNumber, auvo.StyleNumber, auvo.StyleNumber
	i := slices.IndexFunc(t.Services, func(x auvo.TaskService) bool { return x.ID == line.ID })
	if i < 0 {
		t.Services = append(t.Services, line)
		return nil
	}
	line.DateRegister, line.UserResponsible = t.Services[i].DateRegister, t.Services[i].UserResponsible
	t.Services[i] = line
	return nil
}
