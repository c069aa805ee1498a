-- Title review committees (评审委员会): the standing bodies the review half belongs to. A committee
-- reviews one series (or one specialty of it) at the levels it lists, accepts holders of the
-- occupations in its scope, and may act only while registered (核准备案, at most 3 years) and not
-- suspended. `set_up` is false for the placeholders made below from existing rounds (未完成设置).
CREATE TABLE committees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    series TEXT NOT NULL,
    specialty TEXT NOT NULL,
    levels TEXT NOT NULL,
    sponsor TEXT NOT NULL,
    registration_number TEXT NOT NULL,
    registered_on DATE,
    registered_until DATE,
    suspended_on DATE,
    suspended_reason TEXT NOT NULL,
    set_up BOOLEAN NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The occupations whose holders a committee accepts (its scope, §3.2).
CREATE TABLE committee_occupations (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    occupation TEXT NOT NULL,
    PRIMARY KEY (committee_id, occupation)
) WITHOUT ROWID;

-- The expert pool (专家库): one entry per expert per committee (an expert may sit in several
-- pools). `apprentices` is a JSON array of names, kept for conflict checks.
CREATE TABLE pool_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    title_name TEXT NOT NULL,
    title_level TEXT NOT NULL,
    series TEXT NOT NULL,
    specialty TEXT NOT NULL,
    employer_name TEXT NOT NULL,
    employer_code TEXT NOT NULL,
    term_from DATE NOT NULL,
    term_until DATE NOT NULL,
    skilled_worker BOOLEAN NOT NULL,
    apprentices TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    removed_reason TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (committee_id, account_id)
);
CREATE INDEX pool_entries_account ON pool_entries(account_id);

-- Stored configuration: a value per key at a scope ('global' with scope_id 0, 'committee',
-- 'round'); the narrowest scope holding a key wins, the code's default when none does.
CREATE TABLE settings (
    scope TEXT NOT NULL,
    scope_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES accounts(id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, scope_id, key)
) WITHOUT ROWID;

ALTER TABLE accounts ADD COLUMN committee_id BIGINT REFERENCES committees(id);
ALTER TABLE rounds ADD COLUMN committee_id BIGINT REFERENCES committees(id);
-- Set when the employer recommends (the round's committee): an office's list is a range of
-- (committee, state, id).
ALTER TABLE applications ADD COLUMN committee_id BIGINT REFERENCES committees(id);
ALTER TABLE audit_log ADD COLUMN from_state TEXT;

-- Every existing round gets a placeholder committee of its own, same id, unregistered: it takes
-- no action until an administrator completes it.
INSERT INTO committees (id, name, series, specialty, levels, sponsor, registration_number,
    registered_on, registered_until, suspended_on, suspended_reason, set_up, version, created_at, updated_at)
SELECT id, '未完成设置的评委会（' || name || '）', '', '', '', '', '', NULL, NULL, NULL, '', 0, 1,
    created_at, created_at
FROM rounds;
UPDATE rounds SET committee_id = id;
-- Today's office accounts belong to the first placeholder (an office account has one committee).
UPDATE accounts SET committee_id = (SELECT MIN(id) FROM committees) WHERE role = 'office';
-- Applications the committee holds, or held before a withdrawal, carry their round's committee.
UPDATE applications SET committee_id = round_id
WHERE round_id IS NOT NULL AND (
    state IN ('office_check', 'expert_review', 'meeting', 'result_publicity', 'titled', 'not_passed')
    OR EXISTS (SELECT 1 FROM audit_log a WHERE a.subject = 'application:' || applications.id
               AND a.action = 'application.recommend')
);

CREATE INDEX applications_committee ON applications(committee_id, state, id);
CREATE INDEX applications_committee_all ON applications(committee_id, id);
CREATE INDEX applications_committee_name ON applications(committee_id, applicant_name);
CREATE INDEX rounds_committee ON rounds(committee_id);
CREATE INDEX accounts_committee ON accounts(committee_id);

-- How many of each committee's applications are in each state, kept by triggers as the
-- employer's counts are (an office's list shows a count per tab on every page).
CREATE TABLE committee_state_counts (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    state TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (committee_id, state)
) WITHOUT ROWID;
INSERT INTO committee_state_counts (committee_id, state, n)
SELECT committee_id, state, COUNT(*) FROM applications WHERE committee_id IS NOT NULL
GROUP BY committee_id, state;

CREATE TRIGGER committee_counts_insert AFTER INSERT ON applications
WHEN NEW.committee_id IS NOT NULL
BEGIN
    INSERT INTO committee_state_counts (committee_id, state, n) VALUES (NEW.committee_id, NEW.state, 1)
    ON CONFLICT (committee_id, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER committee_counts_delete AFTER DELETE ON applications
WHEN OLD.committee_id IS NOT NULL
BEGIN
    UPDATE committee_state_counts SET n = n - 1
    WHERE committee_id = OLD.committee_id AND state = OLD.state;
END;

CREATE TRIGGER committee_counts_leave AFTER UPDATE OF committee_id, state ON applications
WHEN OLD.committee_id IS NOT NULL
BEGIN
    UPDATE committee_state_counts SET n = n - 1
    WHERE committee_id = OLD.committee_id AND state = OLD.state;
END;

CREATE TRIGGER committee_counts_enter AFTER UPDATE OF committee_id, state ON applications
WHEN NEW.committee_id IS NOT NULL
BEGIN
    INSERT INTO committee_state_counts (committee_id, state, n) VALUES (NEW.committee_id, NEW.state, 1)
    ON CONFLICT (committee_id, state) DO UPDATE SET n = n + 1;
END;
