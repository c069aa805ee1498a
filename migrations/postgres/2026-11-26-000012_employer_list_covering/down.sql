DROP INDEX applications_employer;
CREATE INDEX applications_employer ON applications(employer_id, id);
