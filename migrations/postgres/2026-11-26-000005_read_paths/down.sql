ALTER TABLE applications DROP COLUMN summary;
DROP INDEX audit_log_subject;
DROP INDEX applications_employer;
DROP INDEX applications_applicant;
CREATE INDEX applications_applicant ON applications(applicant_id);
CREATE INDEX applications_employer ON applications(employer_id);
