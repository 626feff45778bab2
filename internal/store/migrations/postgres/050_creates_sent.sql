-- +goose Up
-- Creates sent to an ERP for an Auvo record (Bling and Conta Azul, whose records carry only a
-- code "auvo-{id}" that the partner does not keep unique): a row is written before the create is
-- sent, so a retry after a crash between the create and its link looks the record up by that
-- code instead of creating a second one, even when the document changed meanwhile.
CREATE TABLE creates_sent (
    tenant_id      BIGINT NOT NULL REFERENCES tenants (id),
    integration_id BIGINT NOT NULL REFERENCES integrations (id),
    entity         TEXT NOT NULL,
    auvo_id        TEXT NOT NULL,
    sent_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (integration_id, entity, auvo_id)
);

-- +goose Down
DROP TABLE creates_sent;
