-- A clerk's login is no longer their mobile (adding a clerk must not tell an employer whether a
-- mobile is someone's login): new clerks get "<credit code>-<nn>", and their mobile is kept as
-- a contact. Existing clerks keep their mobile login until an admin releases it.
ALTER TABLE accounts ADD COLUMN mobile TEXT;
UPDATE accounts SET mobile = login_name
    WHERE employer_id IS NOT NULL AND length(login_name) = 11;
