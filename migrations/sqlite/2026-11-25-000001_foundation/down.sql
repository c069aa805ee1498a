DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE employers;
DROP TABLE people;
DROP TABLE accounts;
