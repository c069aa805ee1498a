DROP INDEX applications_employer_publicity;
CREATE INDEX applications_employer_publicity ON applications(employer_id, publicity_ends_on)
    WHERE state = 'employer_publicity';
CREATE INDEX applications_employer_returned ON applications(employer_id, state)
    WHERE state = 'draft' AND reference IS NOT NULL;
DROP TRIGGER employer_counts_update ON applications;
DROP TRIGGER employer_counts_insert ON applications;
DROP FUNCTION employer_counts_keep();
DROP TABLE employer_state_counts;
