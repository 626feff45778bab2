-- +goose Up
-- Portal accounts (SPEC P1-P6). A tenant user belongs to one tenant; an operator has no tenant.
-- E-mails are stored lower-cased. Passwords are argon2id PHC strings; session ids and one-time
-- reset tokens are stored as SHA-256 hashes, so a copy of the database opens no session.
CREATE TABLE users (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id        BIGINT REFERENCES tenants (id),
    email            TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    must_change      BOOLEAN NOT NULL DEFAULT TRUE,
    operator         BOOLEAN NOT NULL DEFAULT FALSE,
    password_sent_at TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    CHECK (operator OR tenant_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_tenant ON users (tenant_id);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Events counted for rate limits: failed logins per e-mail and per IP, password e-mails.
CREATE TABLE throttle_events (
    key TEXT NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX throttle_events_key ON throttle_events (key, at);

-- +goose Down
DROP TABLE throttle_events;
DROP TABLE password_resets;
DROP TABLE sessions;
DROP TABLE users;
