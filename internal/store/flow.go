package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Flow names one entity and direction of an integration (SPEC F1).
type Flow string

// The flows, in the order a cycle runs them: Auvo → ERP customers first, so that a customer
// created in the ERP is linked before the ERP → Auvo pass reads it back.
const (
	FlowCustomersToERP  Flow = "clientes_auvo_erp"
	FlowCustomersToAuvo Flow = "clientes_erp_auvo"
	FlowProducts        Flow = "produtos_erp_auvo"
	FlowStock           Flow = "estoque_erp_auvo"
	FlowTasks           Flow = "tarefas_auvo_erp"
	FlowQuotes          Flow = "orcamentos_auvo_erp"
)

// Label is the flow's name in the portal.
func (f Flow) Label() string {
	switch f {
	case FlowCustomersToERP:
		return "Clientes Auvo → ERP"
	case FlowCustomersToAuvo:
		return "Clientes ERP → Auvo"
	case FlowProducts:
		return "Produtos ERP → Auvo"
	case FlowStock:
		return "Estoque ERP → Auvo"
	case FlowTasks:
		return "Tarefas Auvo → ERP"
	case FlowQuotes:
		return "Orçamentos Auvo → ERP"
	}
	return string(f)
}

// FlowsFor lists the flows an ERP supports (SPEC F1), in run order.
func FlowsFor(erp ERP) []Flow {
	if erp == Omie {
		return []Flow{FlowCustomersToERP, FlowCustomersToAuvo, FlowProducts, FlowStock, FlowTasks, FlowQuotes}
	}
	return []Flow{FlowCustomersToERP, FlowCustomersToAuvo}
}

// FlowState is one flow of one integration.
type FlowState struct {
	Flow      Flow
	Enabled   bool
	Cursor    string    // the flow's own resume point, opaque to the store
	LastRunAt time.Time // zero before the first run
}

// Flows returns the flows of the tenant's integration in run order.
func (c *conn) Flows(ctx context.Context, tenant TenantID, id IntegrationID) ([]FlowState, error) {
	rows, err := c.query(ctx, `SELECT f.flow, f.enabled, f.cursor, f.last_run_at FROM flows f
		JOIN integrations i ON i.id = f.integration_id WHERE i.tenant_id = ? AND i.id = ?`, tenant, id)
	if err != nil {
		return nil, fmt.Errorf("store: flows of %d: %w", id, err)
	}
	defer rows.Close()
	byName := map[Flow]FlowState{}
	for rows.Next() {
		var (
			f    FlowState
			name string
			last sql.NullTime
		)
		if err := rows.Scan(&name, &f.Enabled, &f.Cursor, &last); err != nil {
			return nil, fmt.Errorf("store: flows of %d: %w", id, err)
		}
		f.Flow, f.LastRunAt = Flow(name), last.Time
		byName[f.Flow] = f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: flows of %d: %w", id, err)
	}
	var out []FlowState
	for _, f := range []Flow{FlowCustomersToERP, FlowCustomersToAuvo, FlowProducts, FlowStock, FlowTasks, FlowQuotes} {
		if st, ok := byName[f]; ok {
			out = append(out, st)
		}
	}
	return out, nil
}

// SetFlowEnabled turns one flow of the tenant's integration on or off (SPEC F1).
func (c *conn) SetFlowEnabled(ctx context.Context, tenant TenantID, id IntegrationID, f Flow, on bool) error {
	return c.updateOne(ctx, `UPDATE flows SET enabled = ? WHERE flow = ? AND integration_id =
		(SELECT id FROM integrations WHERE tenant_id = ? AND id = ?)`, on, f, tenant, id)
}

// SaveFlowCursor records how far a flow has safely read, and when it last ran.
func (c *conn) SaveFlowCursor(ctx context.Context, tenant TenantID, id IntegrationID, f Flow, cursor string, ranAt time.Time) error {
	return c.updateOne(ctx, `UPDATE flows SET cursor = ?, last_run_at = ? WHERE flow = ? AND integration_id =
		(SELECT id FROM integrations WHERE tenant_id = ? AND id = ?)`, cursor, ranAt.UTC(), f, tenant, id)
}
