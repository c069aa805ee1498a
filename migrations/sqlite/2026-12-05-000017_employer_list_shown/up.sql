-- The employer's list (all tabs together) shows every application naming the employer except
-- drafts never submitted, which it skipped one by one in applications_employer: about a quarter
-- of the demo employer's rows, and 67 of the first 88 on its last page. This index is keyed by
-- the employer for exactly the rows the list shows (NULL for the others), so the list is one
-- range of it; and it holds only what the list query reads (id, state, version: a row's own
-- cells are kept rendered, see fragments.rs). The query writes the same expression, letter for
-- letter (store::applications::SHOWN_TO_EMPLOYER): an index on an expression is used only for
-- that expression, with its literal ('draft', not a bound value).
CREATE INDEX applications_employer_shown
    ON applications((CASE WHEN state <> 'draft' OR reference IS NOT NULL THEN employer_id END),
        id, state, version);
