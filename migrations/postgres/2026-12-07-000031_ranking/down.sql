DROP TABLE calibration;
ALTER TABLE reviews DROP COLUMN cal_panel_milli;
ALTER TABLE reviews DROP COLUMN cal_own_milli;
DROP INDEX reviews_round;
DROP INDEX review_cases_rank_count;
DROP INDEX review_cases_rank_vetoes;
DROP INDEX review_cases_rank_spread;
DROP INDEX review_cases_rank_median;
DROP INDEX review_cases_rank_mean;
