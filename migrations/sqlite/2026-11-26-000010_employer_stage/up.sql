-- The employer's stage (§2.2.2–§2.2.4 with the national rules): named staff, verification,
-- internal publicity with objections, returns for revision, and the employer's decision.

-- Staff (经办人) act for their employer; the employer's own account is its administrator.
ALTER TABLE accounts ADD COLUMN employer_id BIGINT REFERENCES accounts(id);
CREATE INDEX accounts_employer ON accounts(employer_id);

-- The end of the application's current internal publicity, and the applicant's name as
-- submitted: the employer's list filters and searches on them.
ALTER TABLE applications ADD COLUMN publicity_ends_on DATE;
ALTER TABLE applications ADD COLUMN applicant_name TEXT;
CREATE INDEX applications_employer_state ON applications(employer_id, state, id);
CREATE INDEX applications_employer_name ON applications(employer_id, applicant_name);
-- The list's counts of returned applications and of publicities over: small partial indexes,
-- so a count reads only the rows it counts.
CREATE INDEX applications_employer_returned ON applications(employer_id, state)
    WHERE state = 'draft' AND reference IS NOT NULL;
CREATE INDEX applications_employer_publicity ON applications(employer_id, publicity_ends_on)
    WHERE state = 'employer_publicity';
CREATE INDEX applications_reference ON applications(reference);

-- The employer's verification (单位核实) of an application, as last saved.
CREATE TABLE employer_reviews (
    application_id BIGINT PRIMARY KEY NOT NULL REFERENCES applications(id),
    data TEXT NOT NULL,
    verified_by BIGINT NOT NULL REFERENCES accounts(id),
    verified_at TIMESTAMP NOT NULL
);

-- Internal publicity notices (单位内部公示): one notice lists one or more applications.
CREATE TABLE publicities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    employer_id BIGINT NOT NULL REFERENCES accounts(id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    contact TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX publicities_employer ON publicities(employer_id, id);
CREATE TABLE publicity_items (
    publicity_id BIGINT NOT NULL REFERENCES publicities(id),
    application_id BIGINT NOT NULL REFERENCES applications(id),
    PRIMARY KEY (publicity_id, application_id)
);
CREATE INDEX publicity_items_application ON publicity_items(application_id);

-- Objections received during publicity, each resolved as upheld or dismissed with a reason.
CREATE TABLE objections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    received_on DATE NOT NULL,
    source TEXT NOT NULL,
    content TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES accounts(id),
    recorded_at TIMESTAMP NOT NULL,
    resolution TEXT,
    reason TEXT,
    resolved_by BIGINT REFERENCES accounts(id),
    resolved_at TIMESTAMP
);
CREATE INDEX objections_application ON objections(application_id);

-- Returns for revision (一次性告知): every item at once, with a reply deadline.
CREATE TABLE employer_returns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    items TEXT NOT NULL,
    deadline DATE NOT NULL,
    returned_by BIGINT NOT NULL REFERENCES accounts(id),
    returned_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP,
    sections_before TEXT NOT NULL
);
CREATE INDEX employer_returns_application ON employer_returns(application_id);
CREATE INDEX employer_returns_open ON employer_returns(answered_at, deadline);

-- The employer's decision: recommended, not recommended (with the reason) or appointed.
CREATE TABLE employer_decisions (
    application_id BIGINT PRIMARY KEY NOT NULL REFERENCES applications(id),
    decision TEXT NOT NULL,
    opinion TEXT NOT NULL,
    appointed_on DATE,
    document_number TEXT,
    decided_by BIGINT NOT NULL REFERENCES accounts(id),
    decided_at TIMESTAMP NOT NULL
);
