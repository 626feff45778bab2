package web

import (
	"context"
	"strconv"

	"github.com/pontehub/ponte/internal/store"
)

// names resolves tenant and integration ids to what operators read: the company's name and
// "Auvo ⇄ Omie", each linked to its line on the integrations page (issue 17: no bare ids).
type names struct {
	s       *server
	tenants map[store.TenantID]string
	ins     map[store.IntegrationID]store.Integration
}

func (s *server) names(ctx context.Context) (*names, error) {
	n := &names{s: s, tenants: map[store.TenantID]string{}, ins: map[store.IntegrationID]store.Integration{}}
	all, err := s.Store.AllIntegrations(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, in := range all {
		n.ins[in.ID] = in
		if _, ok := n.tenants[in.TenantID]; !ok {
			t, err := s.Store.TenantByID(ctx, in.TenantID)
			if err != nil {
				return nil, err
			}
			n.tenants[in.TenantID] = t.Name
		}
	}
	return n, nil
}

// where is who a log line or a lock is about.
type where struct {
	Tenant      string
	Integration string // "Auvo ⇄ Omie"
	ERP         string // "Omie"
	Link        string // the integration's line on the operator's integrations page
}

func (n *names) of(ctx context.Context, t store.TenantID, id store.IntegrationID) where {
	var w where
	if t != 0 {
		name, ok := n.tenants[t]
		if !ok {
			if tt, err := n.s.Store.TenantByID(ctx, t); err == nil {
				name = tt.Name
			}
			n.tenants[t] = name
		}
		w.Tenant = name
	}
	if in, ok := n.ins[id]; ok && id != 0 {
		w.Integration, w.ERP = "Auvo ⇄ "+in.ERP.Label(), in.ERP.Label()
		w.Link = "/operator/integrations#op-integration-" + strconv.FormatInt(int64(id), 10)
	}
	return w
}

// lockRow is one trava as the operator reads it.
type lockRow struct {
	store.Link
	Where  where
	Kind   string // "Cliente"
	Reason string // the engine's words for the lock
}

// auditRow is one line of the audit log with names instead of ids.
type auditRow struct {
	store.AuditEntry
	Where where
	What  string // the action's name, "" when unknown
}
