DROP TABLE kept_forms;
CREATE TABLE kept_forms (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    page TEXT NOT NULL,
    fields TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, page)
);
CREATE INDEX kept_forms_created ON kept_forms(created_at);
