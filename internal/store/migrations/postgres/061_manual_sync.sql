-- +goose Up
-- When the integration's last "Sincronizar agora" was accepted (SPEC OP1: at most one a minute).
ALTER TABLE integrations ADD COLUMN manual_sync_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE integrations DROP COLUMN manual_sync_at;
