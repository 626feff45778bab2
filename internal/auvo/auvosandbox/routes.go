package auvosandbox

import (
	"net/http"
	"strings"

	"github.com/pontehub/ponte/internal/auvo"
)

// kinds holds the descriptor of every resource.
type kinds struct {
	customers  *kind[auvo.Customer]
	tasks      *kind[auvo.Task]
	products   *kind[auvo.Product]
	services   *kind[auvo.Service]
	taskTypes  *kind[auvo.TaskType]
	groups     *kind[auvo.CustomerGroup]
	quotations *kind[auvo.Quotation]
}

func newKinds() kinds {
	return kinds{customers: customerKind(), tasks: taskKind(), products: productKind(), services: serviceKind(),
		taskTypes: taskTypeKind(), groups: groupKind(), quotations: quotationKind()}
}

// apiRoutes is the route table of the API below /v2. More specific paths come first.
func (s *Server) apiRoutes() []route {
	k := s.k
	r := func(method, path string, serve func(http.ResponseWriter, *http.Request, *account, string) *apiError) route {
		var pattern []string
		label := method + " "
		for p := range strings.SplitSeq(path, "/") {
			label += "/" + p
			if strings.HasPrefix(p, "{") {
				p = "*"
			}
			pattern = append(pattern, p)
		}
		return route{method: method, pattern: pattern, label: label, serve: serve}
	}
	return []route{
		r(http.MethodGet, "login", nil),
		r(http.MethodPost, "login", nil),

		r(http.MethodGet, "customers", listOf(s, k.customers, false)),
		r(http.MethodGet, "customers/{id}", getOf(k.customers)),
		r(http.MethodPost, "customers", s.createCustomer),
		r(http.MethodPut, "customers", s.upsertCustomer),
		r(http.MethodPatch, "customers/{id}", patchOf(s, k.customers)),
		r(http.MethodDelete, "customers/{id}", deleteOf(s, k.customers)),

		r(http.MethodGet, "customerGroups", listOf(s, k.groups, false)),
		r(http.MethodGet, "customerGroups/{id}/clients", s.groupClients),
		r(http.MethodGet, "customerGroups/{id}", getOf(k.groups)),
		r(http.MethodPost, "customerGroups", s.createGroup),
		r(http.MethodDelete, "customerGroups/{id}", deleteOf(s, k.groups)),

		r(http.MethodGet, "tasks", listOf(s, k.tasks, false)),
		r(http.MethodGet, "tasks/getdeletedtasks", listOf(s, k.tasks, true)),
		r(http.MethodGet, "tasks/{id}", getOf(k.tasks)),
		r(http.MethodPatch, "tasks/{id}", patchOf(s, k.tasks)),
		r(http.MethodPut, "tasks/{id}/products", s.putTaskLines(false)),
		r(http.MethodPut, "tasks/{id}/services", s.putTaskLines(true)),
		r(http.MethodDelete, "tasks/{id}", deleteOf(s, k.tasks)),

		r(http.MethodGet, "quotations", listOf(s, k.quotations, false)),
		r(http.MethodGet, "quotations/{id}", getOf(k.quotations)),

		r(http.MethodPut, "products/employee-product-stock", s.employeeStock),
		r(http.MethodGet, "products", listOf(s, k.products, false)),
		r(http.MethodGet, "products/{id}", getOf(k.products)),
		r(http.MethodPost, "products", s.createProduct),
		r(http.MethodPatch, "products/{id}", patchOf(s, k.products)),
		r(http.MethodDelete, "products/{id}", deleteOf(s, k.products)),

		r(http.MethodGet, "services", listOf(s, k.services, false)),
		r(http.MethodGet, "services/{id}", getOf(k.services)),
		r(http.MethodPost, "services", s.createService),
		r(http.MethodPatch, "services/{id}", patchOf(s, k.services)),
		r(http.MethodDelete, "services/{id}", deleteOf(s, k.services)),

		r(http.MethodGet, "taskTypes", listOf(s, k.taskTypes, false)),
		r(http.MethodGet, "taskTypes/{id}", getOf(k.taskTypes)),
		r(http.MethodPatch, "taskTypes/{id}", patchOf(s, k.taskTypes)),
	}
}
