package auvo

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Task status codes of the taskStatus field (API doc §3.3).
const (
	TaskOpened         = 1
	TaskInDisplacement = 2
	TaskCheckedIn      = 3
	TaskCheckedOut     = 4
	TaskFinished       = 5
	TaskPaused         = 6
)

// Task status filter codes of the list's "status" parameter (API doc §3.2), which are also the
// codes of Ponte's setting S2.
const (
	StatusUnfinished        = 0
	StatusFinishedAuto      = 1
	StatusFinishedManual    = 2
	StatusFinished          = 3
	StatusAll               = 4
	StatusWithPendency      = 5
	StatusStartedOrFinished = 6
)

// Task is an Auvo task as GET returns it (API doc §3.3, real 2025-11 shape). The id is "taskID"
// with a capital ID, and "deliveredOnSmarthPhone" is misspelled by Auvo.
type Task struct {
	TaskID                 int64               `json:"taskID"`
	ExternalID             string              `json:"externalId"`
	IDUserFrom             int64               `json:"idUserFrom"`
	UserFromName           string              `json:"userFromName"`
	IDUserTo               int64               `json:"idUserTo"`
	UserToName             string              `json:"userToName"`
	CustomerID             int64               `json:"customerId"`
	CustomerExternalID     string              `json:"customerExternalId"`
	CustomerDescription    string              `json:"customerDescription"`
	TaskType               int64               `json:"taskType"`
	TaskTypeDescription    string              `json:"taskTypeDescription"`
	CreationDate           Time                `json:"creationDate"`
	TaskDate               Time                `json:"taskDate"`
	Latitude               Float               `json:"latitude"`
	Longitude              Float               `json:"longitude"`
	Address                string              `json:"address"`
	Orientation            string              `json:"orientation"`
	Priority               Int                 `json:"priority"`
	DeliveredOnSmarthPhone bool                `json:"deliveredOnSmarthPhone"`
	DeliveredDate          Time                `json:"deliveredDate"`
	Finished               bool                `json:"finished"`
	Report                 string              `json:"report"`
	Visualized             bool                `json:"visualized"`
	VisualizedDate         Time                `json:"visualizedDate"`
	CheckIn                bool                `json:"checkIn"`
	CheckInDate            Time                `json:"checkInDate"`
	CheckOut               bool                `json:"checkOut"`
	CheckOutDate           Time                `json:"checkOutDate"`
	CheckinType            Int                 `json:"checkinType"`
	KeyWords               []Ref               `json:"keyWords"`
	KeyWordsDescriptions   []string            `json:"keyWordsDescriptions"`
	InputedKm              Decimal             `json:"inputedKm"`
	AdoptedKm              Decimal             `json:"adoptedKm"`
	Attachments            []Attachment        `json:"attachments"`
	Questionnaires         []TaskQuestionnaire `json:"questionnaires"`
	SignatureURL           string              `json:"signatureUrl"`
	CheckInDistance        Decimal             `json:"checkInDistance"`
	CheckOutDistance       Decimal             `json:"checkOutDistance"`
	SendSatisfactionSurvey bool                `json:"sendSatisfactionSurvey"`
	SendDigitalOs          bool                `json:"sendDigitalOs"`
	Survey                 string              `json:"survey"`
	TaskURL                string              `json:"taskUrl"`
	Pendency               string              `json:"pendency"`
	EquipmentsID           []int64             `json:"equipmentsId"`
	DateLastUpdate         Time                `json:"dateLastUpdate"`
	TicketID               int64               `json:"ticketId"`
	TicketTitle            string              `json:"ticketTitle"`
	SignatureName          string              `json:"signatureName"`
	SignatureDocument      string              `json:"signatureDocument"`
	Expense                Decimal             `json:"expense"` // a pt-BR string: "2.500.000,00"
	Duration               string              `json:"duration"`
	DurationDecimal        string              `json:"durationDecimal"`
	DisplacementStart      Time                `json:"displacementStart"`
	Products               []TaskProduct       `json:"products"`
	Services               []TaskService       `json:"services"`
	AdditionalCosts        []AdditionalCost    `json:"additionalCosts"`
	Summary                TaskSummary         `json:"summary"`
	EstimatedDuration      string              `json:"estimatedDuration"`
	FinancialCategory      string              `json:"financialCategory"`
	OpenedOnLocation       bool                `json:"openedOnLocation"`
	TimeControl            []json.RawMessage   `json:"timeControl"`
	TaskStatus             Int                 `json:"taskStatus"` // number, "5" or {"id": 5}
	ReasonForPause         string              `json:"reasonForPause"`
}

// Attachment is a file attached to a task.
type Attachment struct {
	ID             int64  `json:"id"`
	URL            string `json:"url"`
	AttachmentType int    `json:"attachmentType"`
	Subtitle       string `json:"subtitle"`
	Description    string `json:"description"`
	Extension      string `json:"extension"`
}

// TaskQuestionnaire is a questionnaire answered in a task.
type TaskQuestionnaire struct {
	ItemID                   string   `json:"itemId"`
	QuestionnaireID          int64    `json:"questionnaireId"`
	QuestionnaireDescription string   `json:"questionnaireDescription"`
	Answers                  []Answer `json:"answers"`
}

// Answer is one reply; Reply is text or a photo URL.
type Answer struct {
	QuestionID          int64  `json:"questionId"`
	QuestionDescription string `json:"questionDescription"`
	ReplyID             int64  `json:"replyId"`
	Reply               string `json:"reply"`
	ReplyDate           Time   `json:"replyDate"`
	FromGallery         bool   `json:"fromGallery,omitempty"`
}

// Discount is a discount on a line or a total. Type is "Valor" or "0" on task reads,
// "Monetario" on quotations.
type Discount struct {
	Value Decimal `json:"value"`
	Type  string  `json:"type"`
}

// TaskProduct is a product used in a task; ProductID is the product's GUID.
type TaskProduct struct {
	ProductID           string   `json:"productId"`
	Code                string   `json:"code"`
	Name                string   `json:"name"`
	Description         string   `json:"description"`
	Quantity            Decimal  `json:"quantity"`
	UnitaryValue        Decimal  `json:"unitaryValue"`
	TotalValue          Decimal  `json:"totalValue"`
	UserResponsible     string   `json:"userResponsible"`
	UserResponsibleCode int64    `json:"userResponsibleCode"`
	DateRegister        Time     `json:"dateRegister"`
	DateEdit            Time     `json:"dateEdit"`
	Discount            Discount `json:"discount"`
}

// TaskService is a service done in a task; ID is the service's GUID.
type TaskService struct {
	ID                  string   `json:"id"`
	Name                string   `json:"name"`
	Quantity            Decimal  `json:"quantity"`
	UnitaryValue        Decimal  `json:"unitaryValue"`
	TotalValue          Decimal  `json:"totalValue"`
	UserResponsible     string   `json:"userResponsible"`
	UserResponsibleCode int64    `json:"userResponsibleCode"`
	DateRegister        Time     `json:"dateRegister"`
	DateEdit            Time     `json:"dateEdit"`
	Discount            Discount `json:"discount"`
}

// AdditionalCost is an extra cost charged in a task.
type AdditionalCost struct {
	AdditionalCostID    Ref     `json:"additionalCostId"`
	Code                string  `json:"code"`
	Name                string  `json:"name"`
	UnitaryValue        Decimal `json:"unitaryValue"`
	UserResponsible     string  `json:"userResponsible"`
	UserResponsibleCode int64   `json:"userResponsibleCode"`
	DateRegister        Time    `json:"dateRegister"`
	DateEdit            Time    `json:"dateEdit"`
}

// TaskSummary totals a task's items.
type TaskSummary struct {
	TotalProducts        Decimal  `json:"totalProducts"`
	TotalServices        Decimal  `json:"totalServices"`
	TotalAdditionalCosts Decimal  `json:"totalAdditionalCosts"`
	TotalValue           Decimal  `json:"totalValue"`
	Discount             Discount `json:"discount"`
}

// TaskFilter selects tasks (API doc §3.2). The StartDate..EndDate window applies to the
// scheduled taskDate; DateLastUpdate is a "changed since" (>=) filter. Status is one of the
// Status* filter codes; nil sends none.
type TaskFilter struct {
	StartDate, EndDate time.Time
	DateLastUpdate     time.Time
	Status             *int
	Type               int64
	CustomerGroupID    int64
	CustomerID         int64
	TaskID             int64
	IDUserTo           int64
	ExternalIDs        []string
}

// Auvo refuses a task list without a date window or customer (errorCode 168). Without either,
// the client sends the very wide window S2 uses for "changed since" reads (API doc §3.2).
const (
	wideStart = "2020-01-01T00:00:00"
	wideEnd   = "2099-12-31T23:59:59"
)

func (f TaskFilter) params() params {
	p := params{}
	if f.StartDate.IsZero() && f.EndDate.IsZero() && f.CustomerID == 0 {
		p["startDate"] = wideStart
		p["endDate"] = wideEnd
	}
	p.time("startDate", f.StartDate)
	p.time("endDate", f.EndDate)
	p.time("dateLastUpdate", f.DateLastUpdate)
	if f.Status != nil {
		p["status"] = *f.Status
	}
	p.id("type", f.Type)
	p.id("customerGroupId", f.CustomerGroupID)
	p.id("customerId", f.CustomerID)
	p.id("taskID", f.TaskID)
	p.id("idUserTo", f.IDUserTo)
	p.list("externalId", f.ExternalIDs)
	return p
}

// TaskPage is one page of tasks; More says whether another page follows.
type TaskPage struct {
	Tasks []Task
	More  bool
}

// ListTasks returns one page (from 1) of the tasks f selects; an empty page is not an error.
func (c *Client) ListTasks(ctx context.Context, f TaskFilter, page int) (TaskPage, error) {
	items, more, err := listPage[Task](ctx, c, "/tasks", f.params(), page)
	return TaskPage{Tasks: items, More: more}, err
}

// AllTasks pages through every task f selects. Auvo takes about 11 s per page of 100 tasks
// (API doc §3.2): keep windows small.
func (c *Client) AllTasks(ctx context.Context, f TaskFilter) ([]Task, error) {
	return all[Task](ctx, c, "/tasks", f.params())
}

// ListDeletedTasks returns one page (from 1) of the tasks deleted in Auvo that f selects
// (GET /tasks/getdeletedtasks, same filters); an empty page is not an error.
func (c *Client) ListDeletedTasks(ctx context.Context, f TaskFilter, page int) (TaskPage, error) {
	items, more, err := listPage[Task](ctx, c, "/tasks/getdeletedtasks", f.params(), page)
	return TaskPage{Tasks: items, More: more}, err
}

// GetTask returns one task, or a KindNotFound error.
func (c *Client) GetTask(ctx context.Context, id int64) (Task, error) {
	return getOne[Task](ctx, c, "/tasks", strconv.FormatInt(id, 10))
}

// TaskProducts returns the products used in a task.
func (c *Client) TaskProducts(ctx context.Context, taskID int64) ([]TaskProduct, error) {
	t, err := c.GetTask(ctx, taskID)
	return t.Products, err
}

// TaskServices returns the services done in a task.
func (c *Client) TaskServices(ctx context.Context, taskID int64) ([]TaskService, error) {
	t, err := c.GetTask(ctx, taskID)
	return t.Services, err
}

// TaskItem is one product or service line to write into a task. Auvo takes the numbers as
// strings here (API doc §3.1).
type TaskItem struct {
	ID       string  // the product's or service's GUID
	Quantity Decimal // e.g. DecimalFromFloat(1)
	Value    Decimal // unit price
	// Discount is a money amount, or a percentage when DiscountPercent is set.
	Discount        Decimal
	DiscountPercent bool
}

// taskLine is one line of PUT /tasks/{id}/products or /services, as the doc spells it.
type taskLine struct {
	ProductID     string `json:"ProductId,omitempty"`
	ServiceID     string `json:"ServiceId,omitempty"`
	Quantity      string `json:"Quantity"`
	Value         string `json:"Value"`
	DiscountType  string `json:"DiscountType"`
	DiscountValue string `json:"DiscountValue"`
}

func (c *Client) putTaskLines(ctx context.Context, taskID int64, what, key string, items []TaskItem, setID func(*taskLine, string)) (Task, error) {
	lines := make([]taskLine, len(items))
	for i, it := range items {
		dt := "0"
		if it.DiscountPercent {
			dt = "1"
		}
		lines[i] = taskLine{Quantity: it.Quantity.String(), Value: it.Value.String(), DiscountType: dt,
			DiscountValue: it.Discount.String()}
		setID(&lines[i], it.ID)
	}
	var t Task
	_, err := c.do(ctx, call{method: "PUT /tasks/{id}/" + what, http: http.MethodPut,
		path: "/tasks/" + strconv.FormatInt(taskID, 10) + "/" + what,
		body: map[string]any{key: lines}, idempotent: true}, &t)
	return t, err
}

// SetTaskProducts writes product lines into a task (PUT /tasks/{id}/products), replacing the
// lines with the same product, and returns the task as saved.
func (c *Client) SetTaskProducts(ctx context.Context, taskID int64, items []TaskItem) (Task, error) {
	return c.putTaskLines(ctx, taskID, "products", "taskProducts", items, func(l *taskLine, id string) { l.ProductID = id })
}

// SetTaskServices writes service lines into a task (PUT /tasks/{id}/services), replacing the
// lines with the same service, and returns the task as saved.
func (c *Client) SetTaskServices(ctx context.Context, taskID int64, items []TaskItem) (Task, error) {
	return c.putTaskLines(ctx, taskID, "services", "taskServices", items, func(l *taskLine, id string) { l.ServiceID = id })
}

// PatchTask applies JSON Patch operations to a task (editable fields in API doc §3.1) and
// returns it as saved.
func (c *Client) PatchTask(ctx context.Context, id int64, ops []PatchOp) (Task, error) {
	return patch[Task](ctx, c, "/tasks", strconv.FormatInt(id, 10), ops)
}
