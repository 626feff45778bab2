-- +goose Up
-- An integration's flows paused because a partner's quota ran out (Bling's daily limit) until
-- it resets: cycles skip them without a call, and the flows page says so.
CREATE TABLE partner_pauses (
    integration_id BIGINT PRIMARY KEY REFERENCES integrations (id),
    tenant_id      BIGINT NOT NULL REFERENCES tenants (id),
    partner        TEXT NOT NULL,
    until_at       TIMESTAMPTZ NOT NULL,
    reason         TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE partner_pauses;
