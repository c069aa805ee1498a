-- Accounts of every role; login names are unique across roles.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login_name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);

-- A person behind an applicant account (ID number stored, only ever shown masked).
CREATE TABLE people (
    account_id BIGINT PRIMARY KEY NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    id_number TEXT NOT NULL UNIQUE,
    mobile TEXT NOT NULL UNIQUE
);

-- An employer (用人单位) behind an employer account, known by its unified social credit code.
CREATE TABLE employers (
    account_id BIGINT PRIMARY KEY NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    credit_code_verified BOOLEAN NOT NULL,
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL
);

-- Server-side sessions: only a hash of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id BIGINT REFERENCES accounts(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);

-- Append-only audit log; each row's hash covers the previous row's hash.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT,
    actor_role TEXT,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
