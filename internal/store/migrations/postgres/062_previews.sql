-- +goose Up
-- A preview (SPEC OP7): what a cycle would do, computed by a job without writing anything; the
-- page shows the newest one of the integration. result is JSON (flow counts and records).
CREATE TABLE previews (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id      BIGINT NOT NULL REFERENCES tenants (id),
    integration_id BIGINT NOT NULL REFERENCES integrations (id),
    status         TEXT NOT NULL DEFAULT 'queued',
    progress       BIGINT NOT NULL DEFAULT 0,
    result         TEXT NOT NULL DEFAULT '',
    error          TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ
);
CREATE INDEX previews_integration ON previews (integration_id, id);

-- +goose Down
DROP TABLE previews;
