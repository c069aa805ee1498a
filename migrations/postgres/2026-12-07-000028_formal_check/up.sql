-- The committee's formal check asks for corrections (一次性告知补正) with the same machinery
-- as the employer's return: items per section, a deadline, what the sections held, answered
-- on resubmission, swept when overdue. One table for both; `committee_id` names the committee
-- that asked (NULL: the employer did).
ALTER TABLE employer_returns RENAME TO returns;
ALTER TABLE returns ADD COLUMN committee_id BIGINT REFERENCES committees(id);
DROP INDEX employer_returns_application;
DROP INDEX employer_returns_open;
CREATE INDEX returns_application ON returns(application_id, employer_id, id);
CREATE INDEX returns_open ON returns(answered_at, deadline);
-- The office's home lists the corrections of its committee falling due, soonest first.
CREATE INDEX returns_committee_open ON returns(committee_id, answered_at, deadline);

-- Not accepted at the formal check (不予受理): the kind of reason, the clause it rests on and
-- the office's words, shown to the applicant and the employer.
CREATE TABLE refusals (
    application_id BIGINT PRIMARY KEY NOT NULL REFERENCES applications(id),
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    reason TEXT NOT NULL,
    clause TEXT NOT NULL,
    note TEXT NOT NULL,
    refused_by BIGINT NOT NULL REFERENCES accounts(id),
    refused_at TIMESTAMP NOT NULL
);

-- A committee's list reads the keys of a page (id, state, version; its rows are kept rendered
-- by them) from one index range that holds them, all states or one.
DROP INDEX applications_committee;
DROP INDEX applications_committee_all;
CREATE INDEX applications_committee_state_keys ON applications(committee_id, state, id, version);
CREATE INDEX applications_committee_keys ON applications(committee_id, id, state, version);
