DROP INDEX accounts_role_login;
