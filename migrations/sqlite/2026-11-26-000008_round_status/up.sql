-- A round an admin closed before its deadline takes no more submissions.
ALTER TABLE rounds ADD COLUMN closed_at TIMESTAMP;
