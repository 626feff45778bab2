-- +goose Up
-- The engine looks up the last outcome of a record to avoid repeating it.
CREATE INDEX outcomes_auvo ON outcomes (integration_id, flow, auvo_id);
CREATE INDEX outcomes_erp ON outcomes (integration_id, flow, erp_id);

-- +goose Down
DROP INDEX outcomes_erp;
DROP INDEX outcomes_auvo;
