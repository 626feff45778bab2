package web

import "net/http"

// access says who may use a route.
type access int

const (
	public   access = iota // anyone; the handler gets the user when one is signed in
	anyUser                // any signed-in account, even one that must still change its password
	tenant                 // a tenant's user who has chosen a password; data is scoped to its tenant
	operator               // an operator (SPEC P6)
)

// handler is what every portal handler looks like: u is nil only on public routes.
type handler func(w http.ResponseWriter, r *http.Request, u *user) error

type route struct {
	pattern string
	access  access
	h       handler
}

// routeTable lists every page and form of the portal. The isolation tests walk it.
func (s *server) routeTable() []route {
	return []route{
		{"GET /{$}", public, s.home},
		{"GET /signup", public, s.signupForm},
		{"POST /signup", public, s.signup},
		{"GET /login", public, s.loginForm},
		{"POST /login", public, s.login},
		{"POST /logout", public, s.logout},
		{"GET /password/resend", public, s.resendForm},
		{"POST /password/resend", public, s.resend},
		{"GET /password/forgot", public, s.forgotForm},
		{"POST /password/forgot", public, s.forgot},
		{"GET /password/reset/{token}", public, s.resetForm},
		{"POST /password/reset/{token}", public, s.reset},
		{"GET /password", anyUser, s.passwordForm},
		{"POST /password", anyUser, s.passwordChange},

		{"POST /integrations", tenant, s.integrationCreate},
		{"GET /integrations/{id}", tenant, s.integrationShow},
		{"POST /integrations/{id}", tenant, s.integrationSave},
		{"POST /integrations/{id}/activate", tenant, s.integrationActivate},
		{"POST /integrations/{id}/pause", tenant, s.integrationPause},
		{"POST /integrations/{id}/resume", tenant, s.integrationResume},
		{"POST /integrations/{id}/sync", tenant, s.integrationSync},
		{"GET /integrations/{id}/connect", tenant, s.oauthConnect},
		{"GET /oauth/{erp}/callback", tenant, s.oauthCallback},
		{"GET /integrations/{id}/flows", tenant, s.flowsShow},
		{"POST /integrations/{id}/flows/{flow}", tenant, s.flowToggle},
		{"GET /integrations/{id}/runs", tenant, s.runsShow},
		{"GET /integrations/{id}/records", tenant, s.recordsShow},
		{"GET /integrations/{id}/records.csv", tenant, s.recordsExport},
		{"GET /integrations/{id}/audit", tenant, s.auditShow},

		{"GET /operator", operator, s.opActivations},
		{"POST /operator/integrations/{id}/approve", operator, s.opApprove},
		{"POST /operator/integrations/{id}/return", operator, s.opReturn},
		{"POST /operator/integrations/{id}/sync", operator, s.opSync},
		{"GET /operator/integrations", operator, s.opIntegrations},
		{"GET /operator/integrations/{id}/records", operator, s.opRecords},
		{"GET /operator/integrations/{id}/records.csv", operator, s.opRecordsExport},
		{"GET /operator/locks", operator, s.opLocks},
		{"POST /operator/locks/{id}/release", operator, s.opRelease},
		{"GET /operator/audit", operator, s.opAudit},
		{"POST /operator/users/{id}/resend", operator, s.opResend},
		{"GET /operator/outbox", operator, s.opOutbox},
	}
}

// routes mounts the route table, the static files and the health and metrics endpoints.
func (s *server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metrics())
	mux.Handle("GET /static/", s.assets)
	for _, rt := range s.routeTable() {
		mux.HandleFunc(rt.pattern, s.guard(rt))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// The signed-in keep their own menu on a page that does not exist.
		u, _ := s.currentUser(r)
		s.fail(w, r, u, Errorf(NotFound, "Página não encontrada.", nil))
	})
}
