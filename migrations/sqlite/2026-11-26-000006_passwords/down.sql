DROP TABLE session_flash;
DROP TABLE password_resets;
ALTER TABLE accounts DROP COLUMN must_change_password;
