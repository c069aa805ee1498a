-- An admin-issued password must be changed at first login.
ALTER TABLE accounts ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- One-time password reset links an admin issues: only the SHA-256 of the link's token is kept.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    issued_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX password_resets_account ON password_resets(account_id);

-- A one-time secret to show once after a redirect (post/redirect/get), for the session that
-- made it; read once and deleted, or purged after minutes.
CREATE TABLE session_flash (
    token_hash TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
