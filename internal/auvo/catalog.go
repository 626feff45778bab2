package auvo

import (
	"context"
	"strconv"
)

// Service is an Auvo service (API doc §5); ID is a GUID string.
type Service struct {
	ID              string  `json:"id"`
	Title           string  `json:"title"`
	Description     string  `json:"description"`
	Price           Decimal `json:"price"`
	Active          bool    `json:"active"`
	FiscalServiceID string  `json:"fiscalServiceId,omitempty"`
	ExternalCode    string  `json:"externalCode,omitempty"` // S3 and S8 mention it
}

// ServiceFilter selects services (API doc §5).
type ServiceFilter struct {
	Title       string
	Description string
	Active      *bool
}

func (f ServiceFilter) params() params {
	p := params{}
	p.str("title", f.Title)
	p.str("description", f.Description)
	p.boolPtr("active", f.Active)
	return p
}

// ServicePage is one page of services; More says whether another page follows.
type ServicePage struct {
	Services []Service
	More     bool
}

// ListServices returns one page (from 1) of the services f selects; an empty page is not an
// error.
func (c *Client) ListServices(ctx context.Context, f ServiceFilter, page int) (ServicePage, error) {
	items, more, err := listPage[Service](ctx, c, "/services", f.params(), page)
	return ServicePage{Services: items, More: more}, err
}

// AllServices pages through every service f selects.
func (c *Client) AllServices(ctx context.Context, f ServiceFilter) ([]Service, error) {
	return all[Service](ctx, c, "/services", f.params())
}

// GetService returns one service by its GUID, or a KindNotFound error.
func (c *Client) GetService(ctx context.Context, id string) (Service, error) {
	return getOne[Service](ctx, c, "/services", id)
}

// CreateService creates a service and returns it as saved. Services have no externalId filter,
// so after a lost answer the service is looked up by Title and matched on ExternalCode; without
// an ExternalCode the ambiguous error is returned as is.
func (c *Client) CreateService(ctx context.Context, s Service) (Service, error) {
	s.ID = ""
	var find func() (Service, bool, error)
	if s.ExternalCode != "" {
		find = func() (Service, bool, error) {
			found, err := c.AllServices(ctx, ServiceFilter{Title: s.Title})
			for _, f := range found {
				if f.ExternalCode == s.ExternalCode {
					return f, true, nil
				}
			}
			return Service{}, false, err
		}
	}
	s.Price.Style = StyleNumber
	saved, err := create(ctx, c, "/services", s, find)
	if err == nil && saved.Title == "" && saved.ID != "" {
		// Live, POST answers with little more than result.id (API doc §5, S3).
		return c.GetService(ctx, saved.ID)
	}
	return saved, err
}

// PatchService applies JSON Patch operations to a service and returns it as saved.
func (c *Client) PatchService(ctx context.Context, id string, ops []PatchOp) (Service, error) {
	return patch[Service](ctx, c, "/services", id, ops)
}

// TaskType is an Auvo task type (API doc §5). The doc spells two fields both ways; the
// misspelt forms are kept in their own fields so nothing is lost.
type TaskType struct {
	ID                      int64            `json:"id"`
	Description             string           `json:"description"`
	CreatorID               int64            `json:"creatorId"`
	CreationDate            Time             `json:"creationDate"`
	StandardTime            string           `json:"standardTime,omitempty"`
	StandartTime            string           `json:"standartTime,omitempty"`
	ToleranceTime           string           `json:"toleranceTime"`
	StandardQuestionnaireID int64            `json:"standardQuestionnaireId,omitempty"`
	StandartQuestionnaireID int64            `json:"standartQuestionnaireId,omitempty"`
	Active                  bool             `json:"active"`
	SendSatisfactionSurvey  bool             `json:"sendSatisfactionSurvey"`
	Requirements            TaskRequirements `json:"requirements"`
}

// TaskRequirements is what a task of a type demands of the technician.
type TaskRequirements struct {
	FillReport             bool  `json:"fillReport"`
	GetSignature           bool  `json:"getSignature"`
	FillRolledKilometer    bool  `json:"fillRolledKilometer"`
	EmailTheTask           bool  `json:"emailTheTask"`
	MinimumNumberOfPhotos  int   `json:"minimumNumberOfPhotos"`
	RequiredQuestionnaires []Ref `json:"requiredQuestionnaires"`
}

// TaskTypePage is one page of task types; More says whether another page follows.
type TaskTypePage struct {
	TaskTypes []TaskType
	More      bool
}

// ListTaskTypes returns one page (from 1) of the account's task types.
func (c *Client) ListTaskTypes(ctx context.Context, page int) (TaskTypePage, error) {
	items, more, err := listPage[TaskType](ctx, c, "/taskTypes", nil, page)
	return TaskTypePage{TaskTypes: items, More: more}, err
}

// AllTaskTypes returns every task type of the account.
func (c *Client) AllTaskTypes(ctx context.Context) ([]TaskType, error) {
	return all[TaskType](ctx, c, "/taskTypes", nil)
}

// GetTaskType returns one task type, or a KindNotFound error.
func (c *Client) GetTaskType(ctx context.Context, id int64) (TaskType, error) {
	return getOne[TaskType](ctx, c, "/taskTypes", strconv.FormatInt(id, 10))
}

// CustomerGroup is an Auvo customer group; customers list theirs in groupsId.
type CustomerGroup struct {
	ID          int64  `json:"id"`
	Description string `json:"description"`
}

// CustomerGroupPage is one page of customer groups; More says whether another page follows.
type CustomerGroupPage struct {
	Groups []CustomerGroup
	More   bool
}

// ListCustomerGroups returns one page (from 1) of the account's customer groups.
func (c *Client) ListCustomerGroups(ctx context.Context, page int) (CustomerGroupPage, error) {
	items, more, err := listPage[CustomerGroup](ctx, c, "/customerGroups", nil, page)
	return CustomerGroupPage{Groups: items, More: more}, err
}

// AllCustomerGroups returns every customer group of the account.
func (c *Client) AllCustomerGroups(ctx context.Context) ([]CustomerGroup, error) {
	return all[CustomerGroup](ctx, c, "/customerGroups", nil)
}
