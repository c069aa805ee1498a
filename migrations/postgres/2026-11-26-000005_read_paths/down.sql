ALTER TABLE applications ADD COLUMN snapshot TEXT;
ALTER TABLE applications ADD COLUMN verdict TEXT;
UPDATE applications SET snapshot = (SELECT snapshot FROM application_frozen f WHERE f.application_id = applications.id),
    verdict = (SELECT verdict FROM application_frozen f WHERE f.application_id = applications.id);
DROP TABLE application_frozen;
ALTER TABLE applications DROP COLUMN summary;
DROP INDEX audit_log_subject;
DROP INDEX applications_employer;
DROP INDEX applications_applicant;
CREATE INDEX applications_applicant ON applications(applicant_id);
CREATE INDEX applications_employer ON applications(employer_id);
