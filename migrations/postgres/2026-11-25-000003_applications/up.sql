-- Application rounds (批次): until the committee issue, an admin creates them.
CREATE TABLE rounds (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    submission_deadline DATE NOT NULL,
    reference_date DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Applications; `version` guards every state change, `snapshot` and `verdict` freeze what was submitted.
CREATE TABLE applications (
    id BIGSERIAL PRIMARY KEY,
    applicant_id BIGINT NOT NULL REFERENCES accounts(id),
    employer_id BIGINT REFERENCES accounts(id),
    round_id BIGINT REFERENCES rounds(id),
    pathway TEXT NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    reference TEXT UNIQUE,
    snapshot TEXT,
    verdict TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP
);
CREATE INDEX applications_applicant ON applications(applicant_id);
CREATE INDEX applications_employer ON applications(employer_id);

-- Each section saves on its own, with its own version (two tabs never overwrite each other).
CREATE TABLE application_sections (
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    section TEXT NOT NULL,
    data TEXT,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, section)
);

-- Evidence files: bytes in the database, written in the transaction of the row that refers to them.
CREATE TABLE evidence (
    id TEXT PRIMARY KEY NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    uploaded_by BIGINT NOT NULL REFERENCES accounts(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX evidence_application ON evidence(application_id);

-- The last reference number given out each year (GT-2026-000123).
CREATE TABLE reference_counters (
    year INTEGER PRIMARY KEY NOT NULL,
    last INTEGER NOT NULL
);
