DROP INDEX applications_employer_state;
CREATE INDEX applications_employer_state ON applications(employer_id, state, id);
