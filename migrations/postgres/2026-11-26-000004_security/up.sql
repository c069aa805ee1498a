-- Secrets the server keeps in the database so that every instance agrees (the CSRF key).
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Decaying failure scores for throttling logins and registrations, per key (a client address,
-- an account at a client address, a hashed ID number). Never holds an ID number in clear.
CREATE TABLE throttles (
    key TEXT PRIMARY KEY NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    blocked_until TIMESTAMP
);
CREATE INDEX throttles_updated ON throttles(updated_at);

-- Employer registrations waiting for an admin: several may claim one code; only a verified
-- employer (the employers table) holds it.
CREATE TABLE employer_claims (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    licence_file_name TEXT NOT NULL,
    licence_content_type TEXT NOT NULL,
    licence_sha256 TEXT NOT NULL,
    licence_bytes BYTEA NOT NULL,
    status TEXT NOT NULL,
    review_note TEXT NOT NULL,
    reviewed_by BIGINT REFERENCES accounts(id),
    reviewed_at TIMESTAMP,
    account_id BIGINT REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX employer_claims_code ON employer_claims(credit_code);
CREATE INDEX employer_claims_status ON employer_claims(status, id);

-- The employer an application names, by credit code: it reaches that employer once verified.
ALTER TABLE applications ADD COLUMN employer_code TEXT;
CREATE INDEX applications_employer_code ON applications(employer_code);

-- Evidence counted per applicant across drafts.
CREATE INDEX evidence_uploaded_by ON evidence(uploaded_by);
