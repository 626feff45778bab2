-- +goose Up
-- Partner rate limits shared by every node (GCRA: one row per limiter key). On SQLite there is
-- one node and the in-process limiter is used; the table exists so both schemas match.
CREATE TABLE rate_limits (
    key           TEXT PRIMARY KEY,
    tat           DATETIME NOT NULL,
    blocked_until DATETIME
);

-- +goose Down
DROP TABLE rate_limits;
