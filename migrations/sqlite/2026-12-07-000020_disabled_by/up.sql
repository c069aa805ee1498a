-- Who switched an account off: 'admin' or 'employer' (an employer's own account for its
-- clerks). An employer may switch its clerks back on, never one an admin switched off.
ALTER TABLE accounts ADD COLUMN disabled_by TEXT;
