-- +goose Up
-- SPEC WH1/WH2: the integration's receiver token (the path of its webhook URL), when the last
-- early cycle was started by a delivery (the debounce across nodes) and when the last delivery
-- arrived (to notice a partner that stopped delivering).
ALTER TABLE integrations ADD COLUMN webhook_token TEXT;
ALTER TABLE integrations ADD COLUMN webhook_hint_at TIMESTAMPTZ;
ALTER TABLE integrations ADD COLUMN webhook_last_at TIMESTAMPTZ;
CREATE UNIQUE INDEX integrations_webhook_token ON integrations (webhook_token);

-- +goose Down
DROP INDEX integrations_webhook_token;
ALTER TABLE integrations DROP COLUMN webhook_last_at;
ALTER TABLE integrations DROP COLUMN webhook_hint_at;
ALTER TABLE integrations DROP COLUMN webhook_token;
