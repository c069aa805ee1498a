-- What one employer records about an application belongs to that employer: a person who
-- changes employer starts the employer stage afresh with the new one, which must never read or
-- inherit the first one's verification, return notes, objections or decision. Each record now
-- names its employer; reads ask for the application's current employer. Existing rows name the
-- employer of the staff member who made them (an employer's own account is its employer).

ALTER TABLE employer_reviews ADD COLUMN employer_id BIGINT REFERENCES accounts(id);
UPDATE employer_reviews r SET employer_id = COALESCE(a.employer_id, a.id)
    FROM accounts a WHERE a.id = r.verified_by;
ALTER TABLE employer_reviews ALTER COLUMN employer_id SET NOT NULL;
ALTER TABLE employer_reviews DROP CONSTRAINT employer_reviews_pkey;
ALTER TABLE employer_reviews ADD PRIMARY KEY (application_id, employer_id);

ALTER TABLE employer_decisions ADD COLUMN employer_id BIGINT REFERENCES accounts(id);
UPDATE employer_decisions d SET employer_id = COALESCE(a.employer_id, a.id)
    FROM accounts a WHERE a.id = d.decided_by;
ALTER TABLE employer_decisions ALTER COLUMN employer_id SET NOT NULL;
ALTER TABLE employer_decisions DROP CONSTRAINT employer_decisions_pkey;
ALTER TABLE employer_decisions ADD PRIMARY KEY (application_id, employer_id);

ALTER TABLE objections ADD COLUMN employer_id BIGINT REFERENCES accounts(id);
UPDATE objections o SET employer_id = COALESCE(a.employer_id, a.id)
    FROM accounts a WHERE a.id = o.recorded_by;
ALTER TABLE objections ALTER COLUMN employer_id SET NOT NULL;
DROP INDEX objections_application;
CREATE INDEX objections_application ON objections(application_id, employer_id, id);

ALTER TABLE employer_returns ADD COLUMN employer_id BIGINT REFERENCES accounts(id);
UPDATE employer_returns r SET employer_id = COALESCE(a.employer_id, a.id)
    FROM accounts a WHERE a.id = r.returned_by;
ALTER TABLE employer_returns ALTER COLUMN employer_id SET NOT NULL;
DROP INDEX employer_returns_application;
CREATE INDEX employer_returns_application ON employer_returns(application_id, employer_id, id);

-- A notice lists each application as it was when the notice started: a printed notice never
-- changes, and never shows what the applicant later told another employer.
ALTER TABLE publicity_items ADD COLUMN entry TEXT;
