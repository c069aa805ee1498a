DROP TABLE refusals;
DROP INDEX returns_committee_open;
DROP INDEX returns_open;
DROP INDEX returns_application;
ALTER TABLE returns DROP COLUMN committee_id;
ALTER TABLE returns RENAME TO employer_returns;
CREATE INDEX employer_returns_application ON employer_returns(application_id, employer_id, id);
CREATE INDEX employer_returns_open ON employer_returns(answered_at, deadline);
