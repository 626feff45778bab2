package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// PreviewID identifies one preview (SPEC OP7).
type PreviewID int64

// The states of a preview.
const (
	PreviewQueued  = "queued"
	PreviewRunning = "running"
	PreviewDone    = "done"
	PreviewFailed  = "failed"
)

// Preview is one "what would a cycle do now" of an integration, computed by a job: nothing was
// written to a partner, no cursor or link moved.
type Preview struct {
	ID            PreviewID
	TenantID      TenantID
	IntegrationID IntegrationID
	Status        string // queued, running, done, failed
	Progress      int    // records decided so far, while running
	Result        PreviewResult
	Error         string // why it failed, in Portuguese
	CreatedAt     time.Time
	FinishedAt    time.Time
}

// PreviewResult is what a preview found: per flow what a cycle would do, and the records with
// their reasons (at most MaxPreviewRecords; the counts are always whole).
type PreviewResult struct {
	Flows   []PreviewFlow `json:"flows"`
	Records []Outcome     `json:"records"`
	// Omitted is how many records were decided beyond MaxPreviewRecords and are only counted.
	Omitted int `json:"omitted,omitempty"`
}

// PreviewFlow is one flow of a preview.
type PreviewFlow struct {
	Flow   Flow   `json:"flow"`
	Counts Counts `json:"counts"`
	Locked int    `json:"locked"` // of Counts.Skipped, the records that are or would be locked
	Error  string `json:"error,omitempty"`
}

// MaxPreviewRecords bounds the records a preview keeps, so a large tenant's preview stays a
// page, not a copy of its data.
const MaxPreviewRecords = 5000

// keptPreviews is how many previews of one integration are kept; older ones are deleted when a
// new one is asked for.
const keptPreviews = 5

// CreatePreview records that a preview of the tenant's integration was asked for, and deletes
// the integration's oldest previews beyond the few kept.
func (c *conn) CreatePreview(ctx context.Context, tenant TenantID, id IntegrationID) (PreviewID, error) {
	pid, err := c.insert(ctx, `INSERT INTO previews (tenant_id, integration_id, created_at) VALUES (?, ?, ?)`, tenant, id, now())
	if err != nil {
		return 0, fmt.Errorf("store: create preview: %w", err)
	}
	_, err = c.exec(ctx, `DELETE FROM previews WHERE tenant_id = ? AND integration_id = ? AND id NOT IN
		(SELECT id FROM previews WHERE tenant_id = ? AND integration_id = ? ORDER BY id DESC LIMIT ?)`,
		tenant, id, tenant, id, keptPreviews)
	if err != nil {
		return 0, fmt.Errorf("store: create preview: %w", err)
	}
	return PreviewID(pid), nil
}

// SetPreviewProgress marks the preview running with n records decided.
func (c *conn) SetPreviewProgress(ctx context.Context, tenant TenantID, id PreviewID, n int) error {
	return c.updateOne(ctx, `UPDATE previews SET status = ?, progress = ? WHERE tenant_id = ? AND id = ?`,
		PreviewRunning, n, tenant, id)
}

// FinishPreview records a preview's result, or (errText not empty) why it failed.
func (c *conn) FinishPreview(ctx context.Context, tenant TenantID, id PreviewID, res PreviewResult, errText string) error {
	b, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("store: finish preview: %w", err)
	}
	status := PreviewDone
	if errText != "" {
		status = PreviewFailed
	}
	return c.updateOne(ctx, `UPDATE previews SET status = ?, result = ?, error = ?, finished_at = ? WHERE tenant_id = ? AND id = ?`,
		status, string(b), errText, now(), tenant, id)
}

const previewCols = `id, tenant_id, integration_id, status, progress, result, error, created_at, finished_at`

// PreviewByID returns one preview of the tenant, or ErrNotFound.
func (c *conn) PreviewByID(ctx context.Context, tenant TenantID, id PreviewID) (Preview, error) {
	p, err := scanPreview(c.queryRow(ctx, `SELECT `+previewCols+` FROM previews WHERE tenant_id = ? AND id = ?`, tenant, id))
	if err != nil {
		return Preview{}, notFound(err, "preview %d", id)
	}
	return p, nil
}

// LatestPreview returns the newest preview of the tenant's integration, or ErrNotFound.
func (c *conn) LatestPreview(ctx context.Context, tenant TenantID, id IntegrationID) (Preview, error) {
	p, err := scanPreview(c.queryRow(ctx, `SELECT `+previewCols+` FROM previews
		WHERE tenant_id = ? AND integration_id = ? ORDER BY id DESC LIMIT 1`, tenant, id))
	if err != nil {
		return Preview{}, notFound(err, "latest preview of %d", id)
	}
	return p, nil
}

func scanPreview(row interface{ Scan(...any) error }) (Preview, error) {
	var (
		p      Preview
		result string
		fin    sql.NullTime
	)
	if err := row.Scan(&p.ID, &p.TenantID, &p.IntegrationID, &p.Status, &p.Progress, &result, &p.Error, &p.CreatedAt, &fin); err != nil {
		return Preview{}, err
	}
	p.FinishedAt = fin.Time
	if result != "" {
		if err := json.Unmarshal([]byte(result), &p.Result); err != nil {
			return Preview{}, fmt.Errorf("preview %d result: %w", p.ID, err)
		}
	}
	return p, nil
}
