DROP INDEX panel_members_entry;
DROP TABLE panel_members;
DROP INDEX panel_draws_round;
DROP TABLE panel_draws;
PRAGMA defer_foreign_keys = ON;
CREATE TABLE rounds_copy AS SELECT id, name, submission_deadline, reference_date, created_at,
    closed_at, committee_id FROM rounds;
DROP INDEX rounds_committee_name;
DROP TABLE rounds;
CREATE TABLE rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    submission_deadline DATE NOT NULL,
    reference_date DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    committee_id BIGINT REFERENCES committees(id)
);
INSERT INTO rounds SELECT * FROM rounds_copy;
DROP TABLE rounds_copy;
CREATE INDEX rounds_committee ON rounds(committee_id);
ALTER TABLE committees DROP COLUMN rubric_id;
DROP TABLE rubric_versions;
