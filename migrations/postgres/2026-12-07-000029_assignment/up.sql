-- The review of an accepted application (评审): one row per application from its acceptance,
-- with the specialty it is reviewed in and how many experts it has now. Below the round's
-- minimum is an index range of (round, assigned).
CREATE TABLE review_cases (
    application_id BIGINT PRIMARY KEY NOT NULL REFERENCES applications(id),
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    specialty TEXT NOT NULL,
    assigned INTEGER NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX review_cases_round ON review_cases(round_id, assigned, application_id);

-- Conflicts of interest (回避) between a round's panel members and its applications: found
-- from the applicant's data (by credit code: confirmed; by name alone: possible until the
-- office confirms or dismisses it with a reason), or declared by the member or the office.
-- `raised_by` is NULL when the system found it. Never shown to applicants or employers.
CREATE TABLE conflicts (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    application_id BIGINT NOT NULL REFERENCES applications(id),
    entry_id BIGINT NOT NULL REFERENCES pool_entries(id),
    kind TEXT NOT NULL,
    basis TEXT NOT NULL,
    match_key TEXT NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL,
    raised_by BIGINT REFERENCES accounts(id),
    raised_at TIMESTAMP NOT NULL,
    decided_by BIGINT REFERENCES accounts(id),
    decided_at TIMESTAMP,
    reason TEXT NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (application_id, entry_id, kind, match_key)
);
CREATE INDEX conflicts_round ON conflicts(round_id, status, id);

-- Which panel member reviews which application. A recusal or a removal ends a row (it stays,
-- with who ended it and why); only active rows give access.
CREATE TABLE assignments (
    application_id BIGINT NOT NULL REFERENCES applications(id),
    entry_id BIGINT NOT NULL REFERENCES pool_entries(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    active BOOLEAN NOT NULL,
    assigned_at TIMESTAMP NOT NULL,
    assigned_by BIGINT NOT NULL REFERENCES accounts(id),
    ended_at TIMESTAMP,
    ended_by BIGINT REFERENCES accounts(id),
    conflict_id BIGINT REFERENCES conflicts(id),
    PRIMARY KEY (application_id, entry_id)
);
-- The expert's home: their active cases by application.
CREATE INDEX assignments_expert ON assignments(account_id, active, application_id);
-- Each member's load in a round.
CREATE INDEX assignments_round ON assignments(round_id, entry_id, active);
-- A member's cases in every round (ended when they leave the pool).
CREATE INDEX assignments_entry ON assignments(entry_id, active);

-- How many cases each panel member reviews now in the round, kept with every assignment
-- change: the office's pages show every member's load on each view.
ALTER TABLE panel_members ADD COLUMN assigned INTEGER NOT NULL DEFAULT 0;

-- Applications accepted before this have their review row, unassigned; their specialty is
-- read from the dossier when the office next checks the round's conflicts.
INSERT INTO review_cases (application_id, round_id, committee_id, specialty, assigned, version, updated_at)
SELECT id, round_id, committee_id, '', 0, 1, updated_at FROM applications
WHERE state = 'expert_review' AND round_id IS NOT NULL AND committee_id IS NOT NULL;
