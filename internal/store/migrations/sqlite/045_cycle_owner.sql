-- +goose Up
-- The lease a cycle ran under (node/incarnation/job): a cycle still marked running whose
-- integration no longer holds that lease belongs to a process that is gone (issue 21).
ALTER TABLE cycles ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
CREATE INDEX cycles_unfinished ON cycles (started_at) WHERE finished_at IS NULL;

-- +goose Down
DROP INDEX cycles_unfinished;
ALTER TABLE cycles DROP COLUMN lease_owner;
