package auvosandbox

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/sandbox"
)

// ErrUnknownAccount is returned by the Go helpers for an API key no account has.
var ErrUnknownAccount = errors.New("auvosandbox: unknown account")

// ErrNoRecord is returned by the Go helpers for an id no live record has.
var ErrNoRecord = errors.New("auvosandbox: no such record")

func (k *kind[T]) seed(a *account, v T, now timeNow) T {
	k.prepare(a, &v, now())
	k.tab(a).add(v)
	return k.out(a, v)
}

// timeNow is the sandbox clock, passed to helpers that stamp records.
type timeNow = func() time.Time

func (k *kind[T]) edit(a *account, id string, now timeNow, fn func(*T) error) (T, error) {
	var zero T
	rec := k.tab(a).find(func(v *T) bool { return k.matches(v, id) })
	if rec == nil {
		return zero, ErrNoRecord
	}
	next := rec.Value
	if err := fn(&next); err != nil {
		return zero, err
	}
	rec.Value = next
	k.changed(a, &rec.Value, now())
	return k.out(a, rec.Value), nil
}

func (k *kind[T]) remove(a *account, id string, now timeNow) error {
	rec := k.tab(a).find(func(v *T) bool { return k.matches(v, id) })
	if rec == nil {
		return ErrNoRecord
	}
	rec.Deleted, rec.DeletedAt = true, now()
	return nil
}

// adminKind is what the admin API does with any resource.
type adminKind interface {
	seedJSON(a *account, body []byte, now timeNow) (any, error)
	dumpJSON(a *account) any
	editJSON(a *account, id string, body map[string]json.RawMessage, now timeNow) (any, error)
	remove(a *account, id string, now timeNow) error
}

func (k *kind[T]) seedJSON(a *account, body []byte, now timeNow) (any, error) {
	var many []T
	if err := json.Unmarshal(body, &many); err != nil {
		var one T
		if err := json.Unmarshal(body, &one); err != nil {
			return nil, fmt.Errorf("not a %s record or array: %w", k.name, err)
		}
		return k.seed(a, one, now), nil
	}
	out := make([]T, len(many))
	for i, v := range many {
		out[i] = k.seed(a, v, now)
	}
	return out, nil
}

func (k *kind[T]) dumpJSON(a *account) any {
	rows := k.tab(a).snapshot()
	for i := range rows {
		rows[i].Value = k.out(a, rows[i].Value)
	}
	return rows
}

func (k *kind[T]) editJSON(a *account, id string, body map[string]json.RawMessage, now timeNow) (any, error) {
	return k.edit(a, id, now, func(v *T) error {
		_, err := overlay(v, body, k.aliases)
		return err
	})
}

func (s *Server) adminKinds() map[string]adminKind {
	k := s.k
	return map[string]adminKind{"customers": k.customers, "tasks": k.tasks, "products": k.products,
		"services": k.services, "tasktypes": k.taskTypes, "customergroups": k.groups, "quotations": k.quotations}
}

// adminRoutes serves the admin API described in the package doc.
func (s *Server) adminRoutes() http.Handler {
	mux := http.NewServeMux()
	// The clock knob (issue 16): GET shows the offset, POST {"offset":"+2h"} moves it.
	mux.Handle("/clock", s.clock)
	fail := func(w http.ResponseWriter, status int, err error) {
		sandbox.WriteJSON(w, status, map[string]string{"error": err.Error()})
	}
	// withAccount runs fn under the lock with the account of the path's apiKey.
	withAccount := func(fn func(w http.ResponseWriter, r *http.Request, a *account, ak adminKind)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			defer s.mu.Unlock()
			a, ok := s.accounts[r.PathValue("key")]
			if !ok {
				fail(w, http.StatusNotFound, ErrUnknownAccount)
				return
			}
			var ak adminKind
			if res := r.PathValue("res"); res != "" {
				if ak, ok = s.adminKinds()[strings.ToLower(res)]; !ok {
					fail(w, http.StatusNotFound, fmt.Errorf("unknown resource %q", res))
					return
				}
			}
			fn(w, r, a, ak)
		}
	}
	mux.HandleFunc("POST /accounts", func(w http.ResponseWriter, r *http.Request) {
		acc := s.NewAccount()
		if r.URL.Query().Get("demo") != "" {
			s.mu.Lock()
			seedDemo(s.accounts[acc.APIKey], s.now())
			s.mu.Unlock()
		}
		sandbox.WriteJSON(w, http.StatusCreated, acc)
	})
	mux.HandleFunc("GET /accounts", func(w http.ResponseWriter, r *http.Request) {
		sandbox.WriteJSON(w, http.StatusOK, s.Accounts())
	})
	mux.HandleFunc("POST /accounts/{key}/reset", withAccount(func(w http.ResponseWriter, _ *http.Request, a *account, _ adminKind) {
		*a = account{Account: a.Account, nextID: a.nextID}
		w.WriteHeader(http.StatusNoContent)
	}))
	mux.HandleFunc("POST /accounts/{key}/{res}", withAccount(func(w http.ResponseWriter, r *http.Request, a *account, ak adminKind) {
		var body json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			fail(w, http.StatusBadRequest, err)
			return
		}
		out, err := ak.seedJSON(a, body, s.now)
		if err != nil {
			fail(w, http.StatusBadRequest, err)
			return
		}
		sandbox.WriteJSON(w, http.StatusCreated, out)
	}))
	mux.HandleFunc("GET /accounts/{key}/{res}", withAccount(func(w http.ResponseWriter, _ *http.Request, a *account, ak adminKind) {
		sandbox.WriteJSON(w, http.StatusOK, ak.dumpJSON(a))
	}))
	mux.HandleFunc("PATCH /accounts/{key}/{res}/{id}", withAccount(func(w http.ResponseWriter, r *http.Request, a *account, ak adminKind) {
		var body map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			fail(w, http.StatusBadRequest, err)
			return
		}
		out, err := ak.editJSON(a, r.PathValue("id"), body, s.now)
		switch {
		case errors.Is(err, ErrNoRecord):
			fail(w, http.StatusNotFound, err)
		case err != nil:
			fail(w, http.StatusBadRequest, err)
		default:
			sandbox.WriteJSON(w, http.StatusOK, out)
		}
	}))
	mux.HandleFunc("DELETE /accounts/{key}/{res}/{id}", withAccount(func(w http.ResponseWriter, r *http.Request, a *account, ak adminKind) {
		if err := ak.remove(a, r.PathValue("id"), s.now); err != nil {
			fail(w, http.StatusNotFound, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	return mux
}

// Accounts lists every account.
func (s *Server) Accounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Account, 0, len(s.accounts))
	for _, a := range s.accounts {
		out = append(out, a.Account)
	}
	slices.SortFunc(out, func(x, y Account) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

// withAcc runs fn under the lock with the account of apiKey.
func withAcc[R any](s *Server, apiKey string, fn func(a *account) (R, error)) (R, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[apiKey]
	if !ok {
		var zero R
		return zero, ErrUnknownAccount
	}
	return fn(a)
}

func seedOne[T any](s *Server, k *kind[T], apiKey string, v T) (T, error) {
	return withAcc(s, apiKey, func(a *account) (T, error) { return k.seed(a, v, s.now), nil })
}

func records[T any](s *Server, k *kind[T], apiKey string) []Record[T] {
	out, _ := withAcc(s, apiKey, func(a *account) ([]Record[T], error) { return k.dumpJSON(a).([]Record[T]), nil })
	return out
}

func editOne[T any](s *Server, k *kind[T], apiKey, id string, fn func(*T)) (T, error) {
	return withAcc(s, apiKey, func(a *account) (T, error) {
		return k.edit(a, id, s.now, func(v *T) error { fn(v); return nil })
	})
}

func deleteOne[T any](s *Server, k *kind[T], apiKey, id string) error {
	_, err := withAcc(s, apiKey, func(a *account) (struct{}, error) { return struct{}{}, k.remove(a, id, s.now) })
	return err
}

// SeedCustomer stores c as if a user had created it in Auvo: a zero ID and zero dates are
// filled in. It returns the customer as the API shows it.
func (s *Server) SeedCustomer(apiKey string, c auvo.Customer) (auvo.Customer, error) {
	return seedOne(s, s.k.customers, apiKey, c)
}

// SeedTask stores t; a zero TaskID and dates are filled in, names and the summary derived.
func (s *Server) SeedTask(apiKey string, t auvo.Task) (auvo.Task, error) {
	return seedOne(s, s.k.tasks, apiKey, t)
}

// SeedProduct stores p; an empty ProductID (GUID) and Code are filled in.
func (s *Server) SeedProduct(apiKey string, p auvo.Product) (auvo.Product, error) {
	return seedOne(s, s.k.products, apiKey, p)
}

// SeedService stores sv; an empty ID (GUID) is filled in.
func (s *Server) SeedService(apiKey string, sv auvo.Service) (auvo.Service, error) {
	return seedOne(s, s.k.services, apiKey, sv)
}

// SeedTaskType stores tt; a zero ID is filled in.
func (s *Server) SeedTaskType(apiKey string, tt auvo.TaskType) (auvo.TaskType, error) {
	return seedOne(s, s.k.taskTypes, apiKey, tt)
}

// SeedCustomerGroup stores g; a zero ID is filled in.
func (s *Server) SeedCustomerGroup(apiKey string, g auvo.CustomerGroup) (auvo.CustomerGroup, error) {
	return seedOne(s, s.k.groups, apiKey, g)
}

// SeedQuotation stores q; a zero PublicID, dates and stage ("Em aberto") are filled in.
func (s *Server) SeedQuotation(apiKey string, q auvo.Quotation) (auvo.Quotation, error) {
	return seedOne(s, s.k.quotations, apiKey, q)
}

// Customers returns every customer of the account, deleted ones included; nil for an unknown
// account.
func (s *Server) Customers(apiKey string) []Record[auvo.Customer] {
	return records(s, s.k.customers, apiKey)
}

// Tasks returns every task of the account, deleted ones included.
func (s *Server) Tasks(apiKey string) []Record[auvo.Task] { return records(s, s.k.tasks, apiKey) }

// Products returns every product of the account, deleted ones included.
func (s *Server) Products(apiKey string) []Record[auvo.Product] {
	return records(s, s.k.products, apiKey)
}

// Services returns every service of the account, deleted ones included.
func (s *Server) Services(apiKey string) []Record[auvo.Service] {
	return records(s, s.k.services, apiKey)
}

// Quotations returns every quotation of the account.
func (s *Server) Quotations(apiKey string) []Record[auvo.Quotation] {
	return records(s, s.k.quotations, apiKey)
}

// EditCustomer changes a customer as a user would in Auvo's web app: dateLastUpdate moves.
func (s *Server) EditCustomer(apiKey string, id int64, edit func(*auvo.Customer)) (auvo.Customer, error) {
	return editOne(s, s.k.customers, apiKey, strconv.FormatInt(id, 10), edit)
}

// EditTask changes a task as a technician or user would: dateLastUpdate moves.
func (s *Server) EditTask(apiKey string, id int64, edit func(*auvo.Task)) (auvo.Task, error) {
	return editOne(s, s.k.tasks, apiKey, strconv.FormatInt(id, 10), edit)
}

// EditProduct changes a product (by code or GUID) as a user would.
func (s *Server) EditProduct(apiKey, id string, edit func(*auvo.Product)) (auvo.Product, error) {
	return editOne(s, s.k.products, apiKey, id, edit)
}

// EditQuotation changes a quotation as a user would, e.g. moving it to another stage.
func (s *Server) EditQuotation(apiKey string, id int64, edit func(*auvo.Quotation)) (auvo.Quotation, error) {
	return editOne(s, s.k.quotations, apiKey, strconv.FormatInt(id, 10), edit)
}

// DeleteCustomer deletes a customer as a user would: it leaves the API (404, out of lists) and
// stays visible to Customers with Deleted set.
func (s *Server) DeleteCustomer(apiKey string, id int64) error {
	return deleteOne(s, s.k.customers, apiKey, strconv.FormatInt(id, 10))
}

// DeleteTask deletes a task as a user would; it then shows in GET /tasks/getdeletedtasks.
func (s *Server) DeleteTask(apiKey string, id int64) error {
	return deleteOne(s, s.k.tasks, apiKey, strconv.FormatInt(id, 10))
}

// Stages returns the quotation stages the sandbox uses (invented names; the real defaults are
// unknown).
func Stages() []auvo.Stage { return defaultStages() }
