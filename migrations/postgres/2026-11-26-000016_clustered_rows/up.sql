-- SQLite only: tables read by primary key become clustered on it (see the SQLite
-- migration). PostgreSQL's heap and primary-key index need no change; this keeps the two
-- backends' migrations in step.
SELECT 1;
