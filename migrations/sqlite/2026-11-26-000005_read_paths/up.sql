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
