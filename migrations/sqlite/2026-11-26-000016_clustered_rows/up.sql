-- Tables read by their primary key on almost every page keep their rows in its order (WITHOUT
-- ROWID). A rowid table with any other primary key is two B-trees: every read sought the key's
-- index, then the table, once per row. An application's six sections were twelve seeks (11 % of
-- the task list); now they are one seek and five steps. A session, an employer's tab counters, a
-- verification, a decision and a notice's items are read the same way. Columns, constraints and
-- the other indexes stay as they were. (PostgreSQL's tables need no change.)
--
-- The counters' triggers name their table, and SQLite checks every trigger when a table is
-- renamed: they are dropped first and created again as 000011 wrote them.
DROP TRIGGER employer_counts_insert;
DROP TRIGGER employer_counts_delete;
DROP TRIGGER employer_counts_leave;
DROP TRIGGER employer_counts_enter;

CREATE TABLE application_sections_clustered (
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    section TEXT NOT NULL,
    data TEXT,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, section)
) WITHOUT ROWID;
INSERT INTO application_sections_clustered (application_id, section, data, version, updated_at)
    SELECT application_id, section, data, version, updated_at FROM application_sections;
DROP TABLE application_sections;
ALTER TABLE application_sections_clustered RENAME TO application_sections;

CREATE TABLE sessions_clustered (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id BIGINT REFERENCES accounts(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
) WITHOUT ROWID;
INSERT INTO sessions_clustered (token_hash, account_id, csrf_token, created_at, last_seen_at)
    SELECT token_hash, account_id, csrf_token, created_at, last_seen_at FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_clustered RENAME TO sessions;
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE employer_state_counts_clustered (
    employer_id BIGINT NOT NULL REFERENCES accounts(id),
    state TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (employer_id, state)
) WITHOUT ROWID;
INSERT INTO employer_state_counts_clustered (employer_id, state, n)
    SELECT employer_id, state, n FROM employer_state_counts;
DROP TABLE employer_state_counts;
ALTER TABLE employer_state_counts_clustered RENAME TO employer_state_counts;

CREATE TABLE employer_reviews_clustered (
    application_id BIGINT PRIMARY KEY NOT NULL REFERENCES applications(id),
    data TEXT NOT NULL,
    verified_by BIGINT NOT NULL REFERENCES accounts(id),
    verified_at TIMESTAMP NOT NULL
) WITHOUT ROWID;
INSERT INTO employer_reviews_clustered (application_id, data, verified_by, verified_at)
    SELECT application_id, data, verified_by, verified_at FROM employer_reviews;
DROP TABLE employer_reviews;
ALTER TABLE employer_reviews_clustered RENAME TO employer_reviews;

CREATE TABLE employer_decisions_clustered (
    application_id BIGINT PRIMARY KEY NOT NULL REFERENCES applications(id),
    decision TEXT NOT NULL,
    opinion TEXT NOT NULL,
    appointed_on DATE,
    document_number TEXT,
    decided_by BIGINT NOT NULL REFERENCES accounts(id),
    decided_at TIMESTAMP NOT NULL
) WITHOUT ROWID;
INSERT INTO employer_decisions_clustered (application_id, decision, opinion, appointed_on, document_number, decided_by, decided_at)
    SELECT application_id, decision, opinion, appointed_on, document_number, decided_by, decided_at FROM employer_decisions;
DROP TABLE employer_decisions;
ALTER TABLE employer_decisions_clustered RENAME TO employer_decisions;

CREATE TABLE publicity_items_clustered (
    publicity_id BIGINT NOT NULL REFERENCES publicities(id),
    application_id BIGINT NOT NULL REFERENCES applications(id),
    PRIMARY KEY (publicity_id, application_id)
) WITHOUT ROWID;
INSERT INTO publicity_items_clustered (publicity_id, application_id)
    SELECT publicity_id, application_id FROM publicity_items;
DROP TABLE publicity_items;
ALTER TABLE publicity_items_clustered RENAME TO publicity_items;
CREATE INDEX publicity_items_application ON publicity_items(application_id);
CREATE TRIGGER employer_counts_insert AFTER INSERT ON applications
WHEN NEW.employer_id IS NOT NULL AND (NEW.state <> 'draft' OR NEW.reference IS NOT NULL)
BEGIN
    INSERT INTO employer_state_counts (employer_id, state, n) VALUES (NEW.employer_id, NEW.state, 1)
    ON CONFLICT (employer_id, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER employer_counts_delete AFTER DELETE ON applications
WHEN OLD.employer_id IS NOT NULL AND (OLD.state <> 'draft' OR OLD.reference IS NOT NULL)
BEGIN
    UPDATE employer_state_counts SET n = n - 1
    WHERE employer_id = OLD.employer_id AND state = OLD.state;
END;

CREATE TRIGGER employer_counts_leave AFTER UPDATE OF employer_id, state, reference ON applications
WHEN OLD.employer_id IS NOT NULL AND (OLD.state <> 'draft' OR OLD.reference IS NOT NULL)
BEGIN
    UPDATE employer_state_counts SET n = n - 1
    WHERE employer_id = OLD.employer_id AND state = OLD.state;
END;

CREATE TRIGGER employer_counts_enter AFTER UPDATE OF employer_id, state, reference ON applications
WHEN NEW.employer_id IS NOT NULL AND (NEW.state <> 'draft' OR NEW.reference IS NOT NULL)
BEGIN
    INSERT INTO employer_state_counts (employer_id, state, n) VALUES (NEW.employer_id, NEW.state, 1)
    ON CONFLICT (employer_id, state) DO UPDATE SET n = n + 1;
END;
