-- Office accounts are read by role, in login-name order (the admin's list of offices to move
-- between committees); without this index that read walked every account, applicants included.
CREATE INDEX accounts_role_login ON accounts(role, login_name);
