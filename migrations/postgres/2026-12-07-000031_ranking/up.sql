-- The ranking of a round's cases, one level at a time, sorted by each stored aggregate: one
-- index per sort, the application last so a page continues exactly where the last one ended.
CREATE INDEX review_cases_rank_mean ON review_cases(round_id, level, mean_milli, application_id);
CREATE INDEX review_cases_rank_median ON review_cases(round_id, level, median_milli, application_id);
CREATE INDEX review_cases_rank_spread ON review_cases(round_id, level, spread_milli, application_id);
CREATE INDEX review_cases_rank_vetoes ON review_cases(round_id, level, vetoes, application_id);
CREATE INDEX review_cases_rank_count ON review_cases(round_id, level, submitted, application_id);

-- The round's cases and reviews in application order, for its exports.
CREATE INDEX review_cases_export ON review_cases(round_id, application_id);
CREATE INDEX reviews_round ON reviews(round_id, application_id, entry_id);

-- Each counted review's pair for calibration: the expert's total and the mean of the other
-- counted reviews of the same application (both NULL while it is not counted, or is alone).
-- Kept on the review so that when the pair changes, its old contribution can be taken back.
ALTER TABLE reviews ADD COLUMN cal_own_milli BIGINT;
ALTER TABLE reviews ADD COLUMN cal_panel_milli BIGINT;

-- Per expert and round, the sums calibration is computed from (x = the expert's total, y = the
-- panel's mean of the same dossier, in thousandths), kept current as reviews are submitted,
-- reopened or leave their case: a page reads one row per expert, never the reviews.
CREATE TABLE calibration (
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    shared BIGINT NOT NULL,
    sum_x BIGINT NOT NULL,
    sum_y BIGINT NOT NULL,
    sum_xx BIGINT NOT NULL,
    sum_yy BIGINT NOT NULL,
    sum_xy BIGINT NOT NULL,
    PRIMARY KEY (round_id, account_id)
);
-- An expert's home links to their calibration in each round they reviewed in.
CREATE INDEX calibration_account ON calibration(account_id, round_id);

-- Reviews submitted before this migration: pair each counted review with the others' mean
-- (rounded half up, as the program rounds), then sum the pairs per expert.
UPDATE reviews SET
    cal_own_milli = total_milli,
    cal_panel_milli = (
        SELECT (2 * SUM(o.total_milli) + COUNT(*)) / (2 * COUNT(*))
        FROM reviews o JOIN assignments oa
          ON oa.application_id = o.application_id AND oa.entry_id = o.entry_id
        WHERE o.application_id = reviews.application_id AND o.entry_id <> reviews.entry_id
          AND o.status = 'submitted' AND oa.active
    )
WHERE status = 'submitted' AND EXISTS (
    SELECT 1 FROM assignments a
    WHERE a.application_id = reviews.application_id AND a.entry_id = reviews.entry_id AND a.active
);
UPDATE reviews SET cal_own_milli = NULL WHERE cal_panel_milli IS NULL;
INSERT INTO calibration (round_id, account_id, shared, sum_x, sum_y, sum_xx, sum_yy, sum_xy)
SELECT round_id, account_id, COUNT(*), SUM(cal_own_milli), SUM(cal_panel_milli),
       SUM(cal_own_milli * cal_own_milli), SUM(cal_panel_milli * cal_panel_milli),
       SUM(cal_own_milli * cal_panel_milli)
FROM reviews WHERE cal_panel_milli IS NOT NULL
GROUP BY round_id, account_id;
