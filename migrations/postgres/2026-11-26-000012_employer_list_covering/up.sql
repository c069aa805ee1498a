-- The employer's list (all tabs, newest first) reads 51 rows a page. With the columns its rows
-- show in the index, it reads them from the index alone instead of seeking each row in the
-- table (12 % more pages per second in `bench/run`). The old (employer_id, id) index is its
-- prefix, so it goes.
DROP INDEX applications_employer;
CREATE INDEX applications_employer
    ON applications(employer_id, id, state, reference, version, submitted_at, summary);
