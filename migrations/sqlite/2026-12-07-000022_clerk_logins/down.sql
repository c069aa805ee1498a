ALTER TABLE accounts DROP COLUMN mobile;
