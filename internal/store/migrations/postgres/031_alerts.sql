-- +goose Up
-- E-mails owed to a tenant about one integration: credentials rejected (com erro) or a cycle
-- that failed after its last retry. The unique episode makes each alert happen once, across
-- nodes and restarts; sent_at stays empty until the e-mail went out.
CREATE TABLE alerts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id      BIGINT NOT NULL REFERENCES tenants (id),
    integration_id BIGINT NOT NULL REFERENCES integrations (id),
    kind           TEXT NOT NULL,
    episode        TEXT NOT NULL,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    sent_at        TIMESTAMPTZ,
    UNIQUE (integration_id, kind, episode)
);
CREATE INDEX alerts_unsent ON alerts (created_at) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE alerts;
