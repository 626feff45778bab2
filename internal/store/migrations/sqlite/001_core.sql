-- +goose Up
-- Core tables. Times are stored in UTC. Migration numbers are reserved by area:
-- 001-009 core, 010-019 portal (users, sessions), 020-029 sync engine (links, outcomes),
-- 030-039 operations.
CREATE TABLE tenants (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at DATETIME NOT NULL
);

CREATE TABLE integrations (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id),
    erp          TEXT NOT NULL CHECK (erp IN ('omie', 'contaazul', 'bling')),
    state        TEXT NOT NULL DEFAULT 'draft',
    state_reason TEXT NOT NULL DEFAULT '',
    config       TEXT NOT NULL DEFAULT '{}',
    secrets      TEXT NOT NULL DEFAULT '',
    next_run_at  DATETIME,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);
CREATE INDEX integrations_tenant ON integrations (tenant_id);
CREATE INDEX integrations_due ON integrations (next_run_at) WHERE state = 'active';

CREATE TABLE flows (
    integration_id INTEGER NOT NULL REFERENCES integrations (id),
    flow           TEXT NOT NULL,
    enabled        BOOLEAN NOT NULL DEFAULT TRUE,
    cursor         TEXT NOT NULL DEFAULT '',
    last_run_at    DATETIME,
    PRIMARY KEY (integration_id, flow)
);

-- A cycle is one execution of an integration's job: all its enabled flows, for one period.
CREATE TABLE cycles (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES tenants (id),
    integration_id INTEGER NOT NULL REFERENCES integrations (id),
    slot           DATETIME NOT NULL,
    node           TEXT NOT NULL,
    started_at     DATETIME NOT NULL,
    finished_at    DATETIME,
    status         TEXT NOT NULL DEFAULT 'running',
    error          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cycles_integration ON cycles (integration_id, slot);

-- A run is one flow within one cycle.
CREATE TABLE runs (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES tenants (id),
    integration_id INTEGER NOT NULL REFERENCES integrations (id),
    cycle_id       INTEGER REFERENCES cycles (id),
    flow           TEXT NOT NULL,
    started_at     DATETIME NOT NULL,
    finished_at    DATETIME,
    status         TEXT NOT NULL DEFAULT 'running',
    n_read         INTEGER NOT NULL DEFAULT 0,
    n_created      INTEGER NOT NULL DEFAULT 0,
    n_linked       INTEGER NOT NULL DEFAULT 0,
    n_updated      INTEGER NOT NULL DEFAULT 0,
    n_skipped      INTEGER NOT NULL DEFAULT 0,
    n_failed       INTEGER NOT NULL DEFAULT 0,
    error          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_integration_flow ON runs (integration_id, flow, started_at);

CREATE TABLE audit (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER REFERENCES tenants (id),
    integration_id INTEGER REFERENCES integrations (id),
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT '',
    at             DATETIME NOT NULL
);
CREATE INDEX audit_tenant ON audit (tenant_id, at);

CREATE TABLE oauth_tokens (
    conn_key        TEXT PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id),
    access_token    TEXT NOT NULL DEFAULT '',
    refresh_token   TEXT NOT NULL DEFAULT '',
    expiry          DATETIME,
    needs_reconnect BOOLEAN NOT NULL DEFAULT FALSE,
    reason          TEXT NOT NULL DEFAULT '',
    updated_at      DATETIME NOT NULL
);

-- +goose Down
DROP TABLE oauth_tokens;
DROP TABLE audit;
DROP TABLE runs;
DROP TABLE cycles;
DROP TABLE flows;
DROP TABLE integrations;
DROP TABLE tenants;
