-- Not reversible without losing whose record each row is.
SELECT 1;
