-- +goose Up
-- The sync engine's memory. A link pairs an Auvo record with its ERP record (the external
-- code); its state says whether it still syncs (active), stopped because a side was
-- inactivated (inactive), is locked (SPEC C-A7, C-E8) or was released by an operator
-- (released: kept for history, no longer counted by the uniqueness rules).
CREATE TABLE links (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       BIGINT NOT NULL REFERENCES tenants (id),
    integration_id  BIGINT NOT NULL REFERENCES integrations (id),
    entity          TEXT NOT NULL,
    auvo_id         TEXT NOT NULL,
    erp_id          TEXT NOT NULL,
    document        TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT 'active',
    lock_reason     TEXT NOT NULL DEFAULT '',
    auvo_fp         TEXT NOT NULL DEFAULT '',
    erp_fp          TEXT NOT NULL DEFAULT '',
    synced          TEXT NOT NULL DEFAULT '',
    auvo_changed_at TIMESTAMPTZ,
    erp_changed_at  TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX links_auvo ON links (integration_id, entity, auvo_id) WHERE state <> 'released';
CREATE UNIQUE INDEX links_erp ON links (integration_id, entity, erp_id) WHERE state <> 'released';
CREATE INDEX links_state ON links (state, integration_id);

-- Every state change of a link, with who made it (the engine or an operator).
CREATE TABLE link_events (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id      BIGINT NOT NULL REFERENCES tenants (id),
    integration_id BIGINT NOT NULL REFERENCES integrations (id),
    link_id        BIGINT NOT NULL REFERENCES links (id),
    state          TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    actor          TEXT NOT NULL,
    at             TIMESTAMPTZ NOT NULL
);
CREATE INDEX link_events_link ON link_events (link_id, id);

-- What happened to one record in one run, and why (SPEC V2).
CREATE TABLE outcomes (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id      BIGINT NOT NULL REFERENCES tenants (id),
    integration_id BIGINT NOT NULL REFERENCES integrations (id),
    run_id         BIGINT REFERENCES runs (id),
    flow           TEXT NOT NULL,
    action         TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    message        TEXT NOT NULL DEFAULT '',
    auvo_id        TEXT NOT NULL DEFAULT '',
    erp_id         TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL DEFAULT '',
    document       TEXT NOT NULL DEFAULT '',
    diff           TEXT NOT NULL DEFAULT '',
    at             TIMESTAMPTZ NOT NULL
);
CREATE INDEX outcomes_integration ON outcomes (integration_id, id);
CREATE INDEX outcomes_run ON outcomes (run_id);

-- +goose Down
DROP TABLE outcomes;
DROP TABLE link_events;
DROP TABLE links;
