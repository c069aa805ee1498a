DROP INDEX evidence_uploaded_by;
DROP INDEX applications_employer_code;
ALTER TABLE applications DROP COLUMN employer_code;
DROP TABLE employer_claims;
DROP TABLE throttles;
DROP TABLE server_secrets;
