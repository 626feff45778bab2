-- +goose Up
-- A preview (SPEC OP7): what a cycle would do, computed by a job without writing anything; the
-- page shows the newest one of the integration. result is JSON (flow counts and records).
CREATE TABLE previews (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES tenants (id),
    integration_id INTEGER NOT NULL REFERENCES integrations (id),
    status         TEXT NOT NULL DEFAULT 'queued',
    progress       INTEGER NOT NULL DEFAULT 0,
    result         TEXT NOT NULL DEFAULT '',
    error          TEXT NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL,
    finished_at    DATETIME
);
CREATE INDEX previews_integration ON previews (integration_id, id);

-- +goose Down
DROP TABLE previews;
