ALTER TABLE rounds DROP COLUMN closed_at;
