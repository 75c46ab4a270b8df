-- One-time login links (`bitten user login-link`) and the web sessions they open: the same tables and columns as
-- Migrations/Sqlite/0010_web_logins.sql. Only the SHA-256 of a link or a session token is kept, as for API tokens.

CREATE TABLE login_links (
    token_hash    TEXT   PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(user_id),
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms    BIGINT NULL
);

CREATE TABLE web_sessions (
    session_hash  TEXT   PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(user_id),
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    ended_at_ms   BIGINT NULL
);

-- Pruning deletes by expiry.
CREATE INDEX login_links_expires ON login_links(expires_at_ms);
CREATE INDEX web_sessions_expires ON web_sessions(expires_at_ms);
