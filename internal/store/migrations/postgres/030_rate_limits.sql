-- +goose Up
-- Partner rate limits shared by every node (GCRA: one row per limiter key). tat is the
-- "theoretical arrival time" of the next call; blocked_until refuses calls (Omie misuse block).
CREATE TABLE rate_limits (
    key           TEXT PRIMARY KEY,
    tat           TIMESTAMPTZ NOT NULL,
    blocked_until TIMESTAMPTZ
);

-- +goose Down
DROP TABLE rate_limits;
