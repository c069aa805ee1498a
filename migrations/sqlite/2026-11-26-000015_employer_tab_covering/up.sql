-- A tab of the employer's list (one state) seeks (employer_id, state) and reads 51 rows. While
-- only applications_employer (000012) held the columns a row shows, SQLite preferred it and
-- walked the employer's whole range newest first, skipping the rows of other states (about 225
-- entries for the demo employer's 待审核 tab). Holding the same columns here, this index is chosen
-- and the tab reads exactly its rows; with publicity_ends_on, so do 公示中 and 待推荐.
DROP INDEX applications_employer_state;
CREATE INDEX applications_employer_state
    ON applications(employer_id, state, id, publicity_ends_on, reference, version, submitted_at,
        summary);
