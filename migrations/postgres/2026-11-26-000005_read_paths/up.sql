-- Read paths at 100 000 applications: every list is served by an index in its own order, so a
-- page is a seek on the key bound (keyset pagination), never a scan.
DROP INDEX applications_applicant;
DROP INDEX applications_employer;
CREATE INDEX applications_applicant ON applications(applicant_id, id);
CREATE INDEX applications_employer ON applications(employer_id, id);
-- An application's timeline.
CREATE INDEX audit_log_subject ON audit_log(subject, id);
-- What lists show of a submitted application (name, masked ID number, department, post), frozen
-- with it, so a list never reads whole dossiers.
ALTER TABLE applications ADD COLUMN summary TEXT;
-- The frozen dossier and verdict in a table of their own: in applications rows they came before
-- the columns lists read, and SQLite walked their overflow pages for every listed row.
CREATE TABLE application_frozen (
    application_id BIGINT PRIMARY KEY NOT NULL REFERENCES applications(id),
    snapshot TEXT NOT NULL,
    verdict TEXT NOT NULL
);
INSERT INTO application_frozen (application_id, snapshot, verdict)
    SELECT id, snapshot, verdict FROM applications WHERE snapshot IS NOT NULL AND verdict IS NOT NULL;
ALTER TABLE applications DROP COLUMN snapshot;
ALTER TABLE applications DROP COLUMN verdict;
