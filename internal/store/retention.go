package store

import (
	"context"
	"fmt"
	"time"
)

// Purged counts what PurgeAllHistory deleted.
type Purged struct {
	Outcomes, Runs, Cycles, LinkEvents int
}

// PurgeAllHistory deletes, for every tenant, the run history older than before (issue 23's
// retention): outcomes, except the last one of each record (by its Auvo id and by its ERP id,
// so the engine's "same as last time" check and the record's current reason survive); runs
// and cycles that no kept row refers to; and link events, except the last one of each link.
// It deletes at most batch rows per statement, so SQLite's single writer is never held long.
func (s *Store) PurgeAllHistory(ctx context.Context, before time.Time, batch int) (Purged, error) {
	var p Purged
	before = before.UTC()
	rows, err := s.query(ctx, `SELECT id FROM integrations ORDER BY id`)
	if err != nil {
		return p, fmt.Errorf("store: purge: %w", err)
	}
	var ids []IntegrationID
	for rows.Next() {
		var id IntegrationID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return p, fmt.Errorf("store: purge: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("store: purge: %w", err)
	}
	for _, id := range ids {
		n, err := s.purgeLoop(ctx, `DELETE FROM outcomes WHERE id IN (SELECT o.id FROM outcomes o
			WHERE o.integration_id = ? AND o.at < ?
			AND (o.auvo_id = '' OR o.id < (SELECT MAX(a.id) FROM outcomes a WHERE a.integration_id = o.integration_id AND a.flow = o.flow AND a.auvo_id = o.auvo_id))
			AND (o.erp_id = '' OR o.id < (SELECT MAX(e.id) FROM outcomes e WHERE e.integration_id = o.integration_id AND e.flow = o.flow AND e.erp_id = o.erp_id))
			LIMIT ?)`, id, before, batch)
		p.Outcomes += n
		if err != nil {
			return p, fmt.Errorf("store: purge outcomes of integration %d: %w", id, err)
		}
	}
	if _, err := s.exec(ctx, `DELETE FROM outcome_counts WHERE n <= 0`); err != nil {
		return p, fmt.Errorf("store: purge counts: %w", err)
	}
	var n int
	n, err = s.purgeLoop(ctx, `DELETE FROM runs WHERE id IN (SELECT r.id FROM runs r WHERE r.started_at < ? AND r.status <> 'running'
		AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.run_id = r.id) LIMIT ?)`, before, batch)
	if p.Runs = n; err != nil {
		return p, fmt.Errorf("store: purge runs: %w", err)
	}
	n, err = s.purgeLoop(ctx, `DELETE FROM cycles WHERE id IN (SELECT c.id FROM cycles c WHERE c.started_at < ? AND c.status <> 'running'
		AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.cycle_id = c.id) LIMIT ?)`, before, batch)
	if p.Cycles = n; err != nil {
		return p, fmt.Errorf("store: purge cycles: %w", err)
	}
	n, err = s.purgeLoop(ctx, `DELETE FROM link_events WHERE id IN (SELECT e.id FROM link_events e WHERE e.at < ?
		AND e.id < (SELECT MAX(l.id) FROM link_events l WHERE l.link_id = e.link_id) LIMIT ?)`, before, batch)
	if p.LinkEvents = n; err != nil {
		return p, fmt.Errorf("store: purge link events: %w", err)
	}
	return p, nil
}

// purgeLoop runs a batched DELETE (its last argument is the batch size) until it deletes less
// than a batch, and returns how many rows went.
func (s *Store) purgeLoop(ctx context.Context, query string, args ...any) (int, error) {
	batch := args[len(args)-1].(int)
	total := 0
	for {
		res, err := s.exec(ctx, query, args...)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += int(n)
		if n < int64(batch) {
			return total, ctx.Err()
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}
