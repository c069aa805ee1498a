-- One expert's review of one application (评分): a draft the expert saves as often as they
-- like (each save overwrites the last, checked against the version they saw), then submitted.
-- Marks are rubric::Marks as JSON, scored against the rubric version the round pinned; the
-- total and the veto are computed by the rubric module when the review is saved.
CREATE TABLE reviews (
    application_id BIGINT NOT NULL REFERENCES applications(id),
    entry_id BIGINT NOT NULL REFERENCES pool_entries(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    rubric_id BIGINT NOT NULL REFERENCES rubric_versions(id),
    status TEXT NOT NULL,
    marks TEXT NOT NULL,
    opinion TEXT NOT NULL,
    total_milli BIGINT NOT NULL,
    veto BOOLEAN NOT NULL,
    version INTEGER NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    PRIMARY KEY (application_id, entry_id)
);
-- The expert's home reads the status of each case's review from the index alone.
CREATE INDEX reviews_account ON reviews(account_id, application_id, status);

-- What a review was each time it was submitted, and each reopening with its reason: drafts
-- overwrite each other, submitted versions are kept for good.
CREATE TABLE review_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    entry_id BIGINT NOT NULL REFERENCES pool_entries(id),
    event TEXT NOT NULL,
    marks TEXT NOT NULL,
    opinion TEXT NOT NULL,
    total_milli BIGINT NOT NULL,
    veto BOOLEAN NOT NULL,
    by_account BIGINT NOT NULL REFERENCES accounts(id),
    at TIMESTAMP NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX review_history_case ON review_history(application_id, entry_id, id);

-- The panel's reviews of an application together, written when a review is submitted or
-- reopened or a reviewer leaves the case (never per page view); the level it is reviewed at;
-- an extension of the scoring deadline for this case; whether scoring closed for it; and the
-- review group's opinion (评议组意见) with who wrote it.
ALTER TABLE review_cases ADD COLUMN level TEXT NOT NULL DEFAULT '';
ALTER TABLE review_cases ADD COLUMN submitted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN mean_milli BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN median_milli BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN spread_milli BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN stddev_milli BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN vetoes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN widest TEXT NOT NULL DEFAULT '';
ALTER TABLE review_cases ADD COLUMN extended_until DATE;
ALTER TABLE review_cases ADD COLUMN closed BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN group_opinion TEXT NOT NULL DEFAULT '';
ALTER TABLE review_cases ADD COLUMN group_opinion_by BIGINT;
ALTER TABLE review_cases ADD COLUMN group_opinion_at TIMESTAMP;
ALTER TABLE review_cases ADD COLUMN group_version INTEGER NOT NULL DEFAULT 0;
-- Closing a round reads its open cases with enough submitted reviews; its page, those without.
CREATE INDEX review_cases_scoring ON review_cases(round_id, closed, submitted, application_id);

-- Each time scoring of a round was closed: by the system at the deadline (by_account NULL) or
-- by the office with its reason, and how many cases went to the meeting. The round's scoring
-- page shows the latest.
CREATE TABLE scoring_closes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    at TIMESTAMP NOT NULL,
    by_account BIGINT REFERENCES accounts(id),
    reason TEXT NOT NULL,
    moved INTEGER NOT NULL
);
CREATE INDEX scoring_closes_round ON scoring_closes(round_id, id);

-- The expert's home: their active cases by application, with the round and the member's entry
-- read from the index alone.
DROP INDEX assignments_expert;
CREATE INDEX assignments_expert ON assignments(account_id, active, application_id, entry_id, round_id);
-- The few cases with their own scoring deadline, for the expert's home.
CREATE INDEX review_cases_extended ON review_cases(application_id) WHERE extended_until IS NOT NULL;
