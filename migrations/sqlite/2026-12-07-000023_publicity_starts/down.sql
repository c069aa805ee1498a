ALTER TABLE applications DROP COLUMN publicity_starts_on;
