package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// TenantID identifies a company account.
type TenantID int64

// IntegrationID identifies one Auvo ⇄ ERP integration of a tenant.
type IntegrationID int64

// ERP names the partner on the other side of Auvo.
type ERP string

// The ERPs Ponte integrates with Auvo.
const (
	Omie      ERP = "omie"
	ContaAzul ERP = "contaazul"
	Bling     ERP = "bling"
)

// Label is the ERP's name as users write it.
func (e ERP) Label() string {
	switch e {
	case Omie:
		return "Omie"
	case ContaAzul:
		return "Conta Azul"
	case Bling:
		return "Bling"
	}
	return string(e)
}

// State is where an integration is in its life (SPEC A3).
type State string

// The integration states.
const (
	StateDraft   State = "draft"   // rascunho: being configured
	StatePending State = "pending" // aguardando ativação interna (A1)
	StateActive  State = "active"  // ativa: flows run (A2)
	StatePaused  State = "paused"  // pausada by the user or an operator
	StateError   State = "error"   // com erro: e.g. credentials rejected
)

// Label is the state as the portal shows it.
func (s State) Label() string {
	switch s {
	case StateDraft:
		return "rascunho"
	case StatePending:
		return "aguardando ativação interna"
	case StateActive:
		return "ativa"
	case StatePaused:
		return "pausada"
	case StateError:
		return "com erro"
	}
	return string(s)
}

// Config holds an integration's non-secret choices (SPEC S2–S9).
type Config struct {
	TaskStatus    string `json:"task_status,omitempty"`    // S2: "0"–"6" or "X"
	TaskType      string `json:"task_type,omitempty"`      // S3: optional Auvo task type code
	CustomerGroup string `json:"customer_group,omitempty"` // S4: optional Auvo customer group code
	QuoteStatus   string `json:"quote_status,omitempty"`   // S5: Auvo quotation stage name or "X"

	BankAccount       int64  `json:"bank_account,omitempty"` // S7: Omie nCodCC
	BankAccountName   string `json:"bank_account_name,omitempty"`
	Category          string `json:"category,omitempty"` // S8: Omie category code
	CategoryName      string `json:"category_name,omitempty"`
	StockLocation     int64  `json:"stock_location,omitempty"` // S9: Omie codigo_local_estoque
	StockLocationName string `json:"stock_location_name,omitempty"`
}

// Credentials are an integration's API keys. They are sealed in the database and must never
// reach a log or a browser. OAuth tokens (Bling, Conta Azul) live in oauth_tokens instead.
type Credentials struct {
	AuvoAPIKey    string `json:"auvo_api_key,omitempty"`
	AuvoAPIToken  string `json:"auvo_api_token,omitempty"`
	OmieAppKey    string `json:"omie_app_key,omitempty"`
	OmieAppSecret string `json:"omie_app_secret,omitempty"`
}

// Integration is one tenant's Auvo ⇄ ERP connection.
type Integration struct {
	ID          IntegrationID
	TenantID    TenantID
	ERP         ERP
	State       State
	StateReason string
	Config      Config
	Credentials Credentials
	NextRunAt   time.Time // zero when not scheduled
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

const integrationCols = `id, tenant_id, erp, state, state_reason, config, secrets, next_run_at, created_at, updated_at`

func (c *conn) scanIntegration(row interface{ Scan(...any) error }) (Integration, error) {
	var (
		in          Integration
		cfg, sealed string
		next        sql.NullTime
		erp, state  string
	)
	if err := row.Scan(&in.ID, &in.TenantID, &erp, &state, &in.StateReason, &cfg, &sealed, &next, &in.CreatedAt, &in.UpdatedAt); err != nil {
		return Integration{}, err
	}
	in.ERP, in.State, in.NextRunAt = ERP(erp), State(state), next.Time
	if err := json.Unmarshal([]byte(cfg), &in.Config); err != nil {
		return Integration{}, fmt.Errorf("integration %d config: %w", in.ID, err)
	}
	if sealed != "" {
		plain, err := c.box.Open(sealed)
		if err != nil {
			return Integration{}, fmt.Errorf("integration %d credentials: %w", in.ID, err)
		}
		if err := json.Unmarshal([]byte(plain), &in.Credentials); err != nil {
			return Integration{}, fmt.Errorf("integration %d credentials: %w", in.ID, err)
		}
	}
	return in, nil
}

func (c *conn) sealCredentials(cr Credentials) (string, error) {
	if cr == (Credentials{}) {
		return "", nil
	}
	b, err := json.Marshal(cr)
	if err != nil {
		return "", err
	}
	return c.box.Seal(string(b))
}

// CreateIntegration adds a draft integration for the tenant, with every flow of its ERP
// (SPEC F1) enabled.
func (c *conn) CreateIntegration(ctx context.Context, tenant TenantID, erp ERP) (Integration, error) {
	t := now()
	id, err := c.insert(ctx, `INSERT INTO integrations (tenant_id, erp, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
		tenant, erp, StateDraft, t, t)
	if err != nil {
		return Integration{}, fmt.Errorf("store: create integration: %w", err)
	}
	for _, f := range FlowsFor(erp) {
		if _, err := c.exec(ctx, `INSERT INTO flows (integration_id, flow, enabled) VALUES (?, ?, ?)`, id, f, true); err != nil {
			return Integration{}, fmt.Errorf("store: create flow %s: %w", f, err)
		}
	}
	return c.IntegrationByID(ctx, tenant, IntegrationID(id))
}

// IntegrationByID returns the tenant's integration, or ErrNotFound.
func (c *conn) IntegrationByID(ctx context.Context, tenant TenantID, id IntegrationID) (Integration, error) {
	in, err := c.scanIntegration(c.queryRow(ctx, `SELECT `+integrationCols+` FROM integrations WHERE tenant_id = ? AND id = ?`, tenant, id))
	if err != nil {
		return Integration{}, notFound(err, "integration %d", id)
	}
	return in, nil
}

// AnyIntegrationByID returns an integration of any tenant: for operators and the job engine,
// which learn the tenant from it.
func (c *conn) AnyIntegrationByID(ctx context.Context, id IntegrationID) (Integration, error) {
	in, err := c.scanIntegration(c.queryRow(ctx, `SELECT `+integrationCols+` FROM integrations WHERE id = ?`, id))
	if err != nil {
		return Integration{}, notFound(err, "integration %d", id)
	}
	return in, nil
}

// Integrations lists the tenant's integrations, oldest first.
func (c *conn) Integrations(ctx context.Context, tenant TenantID) ([]Integration, error) {
	return c.listIntegrations(ctx, `SELECT `+integrationCols+` FROM integrations WHERE tenant_id = ? ORDER BY id`, tenant)
}

// AllIntegrations lists the integrations of every tenant, optionally only those in state
// (empty = all): for the operator pages.
func (c *conn) AllIntegrations(ctx context.Context, state State) ([]Integration, error) {
	if state == "" {
		return c.listIntegrations(ctx, `SELECT `+integrationCols+` FROM integrations ORDER BY id`)
	}
	return c.listIntegrations(ctx, `SELECT `+integrationCols+` FROM integrations WHERE state = ? ORDER BY id`, state)
}

func (c *conn) listIntegrations(ctx context.Context, query string, args ...any) ([]Integration, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: integrations: %w", err)
	}
	defer rows.Close()
	var out []Integration
	for rows.Next() {
		in, err := c.scanIntegration(rows)
		if err != nil {
			return nil, fmt.Errorf("store: integrations: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// SaveIntegrationSetup stores the tenant's configuration and credentials.
func (c *conn) SaveIntegrationSetup(ctx context.Context, tenant TenantID, id IntegrationID, cfg Config, cr Credentials) error {
	b, err := json.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("store: integration config: %w", err)
	}
	sealed, err := c.sealCredentials(cr)
	if err != nil {
		return fmt.Errorf("store: sealing credentials: %w", err)
	}
	return c.updateOne(ctx, `UPDATE integrations SET config = ?, secrets = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		string(b), sealed, now(), tenant, id)
}

// SetIntegrationState moves the tenant's integration to state with a reason shown to the user.
// Becoming active schedules the first cycle at once; leaving active unschedules it.
func (c *conn) SetIntegrationState(ctx context.Context, tenant TenantID, id IntegrationID, state State, reason string) error {
	var next sql.NullTime
	if state == StateActive {
		next = nullTime(now())
	}
	return c.updateOne(ctx, `UPDATE integrations SET state = ?, state_reason = ?, next_run_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		state, reason, next, now(), tenant, id)
}

func (c *conn) updateOne(ctx context.Context, query string, args ...any) error {
	res, err := c.exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: update: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: update: %w", err)
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Due is an integration whose cycle should start.
type Due struct {
	ID        IntegrationID
	TenantID  TenantID
	NextRunAt time.Time
}

// AllDueIntegrations lists active integrations of every tenant whose next run is at or before
// t, most overdue first.
func (c *conn) AllDueIntegrations(ctx context.Context, t time.Time, limit int) ([]Due, error) {
	rows, err := c.query(ctx, `SELECT id, tenant_id, next_run_at FROM integrations
		WHERE state = ? AND next_run_at IS NOT NULL AND next_run_at <= ? ORDER BY next_run_at LIMIT ?`,
		StateActive, t.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due integrations: %w", err)
	}
	defer rows.Close()
	var out []Due
	for rows.Next() {
		var d Due
		if err := rows.Scan(&d.ID, &d.TenantID, &d.NextRunAt); err != nil {
			return nil, fmt.Errorf("store: due integrations: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Execer is the part of a transaction AdvanceNextRun needs. *sql.Tx has it; the job engine adapts
// its PostgreSQL transaction to it, so the schedule moves in the transaction that enqueues.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// AdvanceNextRun moves an integration's next run from `from` to `to` within ex, and reports false
// when next_run_at was no longer `from` (someone else advanced or changed it).
func (s *Store) AdvanceNextRun(ctx context.Context, ex Execer, id IntegrationID, from, to time.Time) (bool, error) {
	res, err := ex.ExecContext(ctx, s.q(`UPDATE integrations SET next_run_at = ? WHERE id = ? AND state = ? AND next_run_at = ?`),
		to.UTC(), int64(id), string(StateActive), from.UTC())
	if err != nil {
		return false, fmt.Errorf("store: advance next run of %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: advance next run of %d: %w", id, err)
	}
	return n == 1, nil
}
