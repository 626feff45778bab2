-- +goose Up
-- The lease that keeps two cycles of one integration from overlapping (SPEC F3).
ALTER TABLE integrations ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE integrations ADD COLUMN lease_until DATETIME;

-- +goose Down
ALTER TABLE integrations DROP COLUMN lease_until;
ALTER TABLE integrations DROP COLUMN lease_owner;
