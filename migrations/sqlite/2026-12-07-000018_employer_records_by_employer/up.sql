-- What one employer records about an application belongs to that employer: a person who
-- changes employer starts the employer stage afresh with the new one, which must never read or
-- inherit the first one's verification, return notes, objections or decision. Each record now
-- names its employer; reads ask for the application's current employer. Existing rows name the
-- employer of the staff member who made them (an employer's own account is its employer).

CREATE TABLE employer_reviews_by_employer (
    application_id BIGINT NOT NULL REFERENCES applications(id),
    employer_id BIGINT NOT NULL REFERENCES accounts(id),
    data TEXT NOT NULL,
    verified_by BIGINT NOT NULL REFERENCES accounts(id),
    verified_at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, employer_id)
) WITHOUT ROWID;
INSERT INTO employer_reviews_by_employer (application_id, employer_id, data, verified_by, verified_at)
    SELECT r.application_id, COALESCE(a.employer_id, a.id), r.data, r.verified_by, r.verified_at
    FROM employer_reviews r JOIN accounts a ON a.id = r.verified_by;
DROP TABLE employer_reviews;
ALTER TABLE employer_reviews_by_employer RENAME TO employer_reviews;

CREATE TABLE employer_decisions_by_employer (
    application_id BIGINT NOT NULL REFERENCES applications(id),
    employer_id BIGINT NOT NULL REFERENCES accounts(id),
    decision TEXT NOT NULL,
    opinion TEXT NOT NULL,
    appointed_on DATE,
    document_number TEXT,
    decided_by BIGINT NOT NULL REFERENCES accounts(id),
    decided_at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, employer_id)
) WITHOUT ROWID;
INSERT INTO employer_decisions_by_employer (application_id, employer_id, decision, opinion, appointed_on, document_number, decided_by, decided_at)
    SELECT d.application_id, COALESCE(a.employer_id, a.id), d.decision, d.opinion, d.appointed_on, d.document_number, d.decided_by, d.decided_at
    FROM employer_decisions d JOIN accounts a ON a.id = d.decided_by;
DROP TABLE employer_decisions;
ALTER TABLE employer_decisions_by_employer RENAME TO employer_decisions;

CREATE TABLE objections_by_employer (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    employer_id BIGINT NOT NULL REFERENCES accounts(id),
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
INSERT INTO objections_by_employer (id, application_id, employer_id, received_on, source, content, recorded_by, recorded_at, resolution, reason, resolved_by, resolved_at)
    SELECT o.id, o.application_id, COALESCE(a.employer_id, a.id), o.received_on, o.source, o.content, o.recorded_by, o.recorded_at, o.resolution, o.reason, o.resolved_by, o.resolved_at
    FROM objections o JOIN accounts a ON a.id = o.recorded_by;
DROP TABLE objections;
ALTER TABLE objections_by_employer RENAME TO objections;
CREATE INDEX objections_application ON objections(application_id, employer_id, id);

CREATE TABLE employer_returns_by_employer (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    employer_id BIGINT NOT NULL REFERENCES accounts(id),
    items TEXT NOT NULL,
    deadline DATE NOT NULL,
    returned_by BIGINT NOT NULL REFERENCES accounts(id),
    returned_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP,
    sections_before TEXT NOT NULL
);
INSERT INTO employer_returns_by_employer (id, application_id, employer_id, items, deadline, returned_by, returned_at, answered_at, sections_before)
    SELECT r.id, r.application_id, COALESCE(a.employer_id, a.id), r.items, r.deadline, r.returned_by, r.returned_at, r.answered_at, r.sections_before
    FROM employer_returns r JOIN accounts a ON a.id = r.returned_by;
DROP TABLE employer_returns;
ALTER TABLE employer_returns_by_employer RENAME TO employer_returns;
CREATE INDEX employer_returns_application ON employer_returns(application_id, employer_id, id);
CREATE INDEX employer_returns_open ON employer_returns(answered_at, deadline);

-- A notice lists each application as it was when the notice started: a printed notice never
-- changes, and never shows what the applicant later told another employer.
ALTER TABLE publicity_items ADD COLUMN entry TEXT;
