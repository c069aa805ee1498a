-- A kept form is keyed by the form it came from (its action), not the page it was on, so the
-- several forms of one page each come back; it names the page to return to and the files it
-- carried (named as not kept). Kept forms live hours at most: the old rows are dropped.
DROP TABLE kept_forms;
CREATE TABLE kept_forms (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    action TEXT NOT NULL,
    page TEXT NOT NULL,
    fields TEXT NOT NULL,
    files TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, action)
);
CREATE INDEX kept_forms_page ON kept_forms(account_id, page);
CREATE INDEX kept_forms_created ON kept_forms(created_at);
