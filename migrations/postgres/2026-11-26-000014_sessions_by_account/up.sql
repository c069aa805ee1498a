-- Changing or resetting a password and "log out everywhere" delete an account's sessions; without
-- this index each of them read every session of every user.
CREATE INDEX sessions_account ON sessions(account_id);
