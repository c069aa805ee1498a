DROP INDEX applications_employer_publicity;
CREATE INDEX applications_employer_publicity ON applications(employer_id, publicity_ends_on)
    WHERE state = 'employer_publicity';
CREATE INDEX applications_employer_returned ON applications(employer_id, state)
    WHERE state = 'draft' AND reference IS NOT NULL;
DROP TRIGGER employer_counts_enter;
DROP TRIGGER employer_counts_leave;
DROP TRIGGER employer_counts_delete;
DROP TRIGGER employer_counts_insert;
DROP TABLE employer_state_counts;
