-- Rounds belong to a committee's office, draw their panel from its pool and score on a pinned
-- rubric version.
--
-- A committee's rubric is kept as versions, each addressed by the hash of its content. There is
-- no update path: editing a rubric inserts a new version, so a round that pinned one keeps it.
CREATE TABLE rubric_versions (
    id BIGSERIAL PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    hash TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by BIGINT REFERENCES accounts(id),
    UNIQUE (committee_id, hash)
);
-- The version the committee's office edits and the next round pins (none yet: the default).
ALTER TABLE committees ADD COLUMN rubric_id BIGINT REFERENCES rubric_versions(id);

-- A round's name is unique within its committee, not across committees.
ALTER TABLE rounds DROP CONSTRAINT rounds_name_key;
DROP INDEX rounds_committee;
CREATE UNIQUE INDEX rounds_committee_name ON rounds(committee_id, name);
-- The levels the round takes, comma-separated codes; empty: every level of its committee.
ALTER TABLE rounds ADD COLUMN levels TEXT NOT NULL DEFAULT '';
ALTER TABLE rounds ADD COLUMN scoring_deadline DATE;
ALTER TABLE rounds ADD COLUMN rubric_id BIGINT REFERENCES rubric_versions(id);
ALTER TABLE rounds ADD COLUMN opened_at TIMESTAMP;
ALTER TABLE rounds ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
-- Rounds made before this took submissions at once: they count as opened when made.
UPDATE rounds SET opened_at = created_at;

-- Every draw of a round's panel, kept whole so anyone can replay it: the candidates in their
-- recorded order, the seed, the size, and the panel drawn. A discarded draw keeps its reason.
CREATE TABLE panel_draws (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    filters TEXT NOT NULL,
    candidates TEXT NOT NULL,
    seed TEXT NOT NULL,
    size INTEGER NOT NULL,
    drawn TEXT NOT NULL,
    drawn_at TIMESTAMP NOT NULL,
    drawn_by BIGINT NOT NULL REFERENCES accounts(id),
    discarded_at TIMESTAMP,
    discarded_by BIGINT REFERENCES accounts(id),
    discard_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX panel_draws_round ON panel_draws(round_id, id);

-- The round's panel (本次评审委员会): the members of its current draw, the chair and vice-chairs
-- designated among them. Experts are pool entries (an expert may sit in several pools).
CREATE TABLE panel_members (
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    entry_id BIGINT NOT NULL REFERENCES pool_entries(id),
    draw_id BIGINT NOT NULL REFERENCES panel_draws(id),
    position INTEGER NOT NULL,
    role TEXT NOT NULL DEFAULT 'member',
    PRIMARY KEY (round_id, entry_id)
);
CREATE INDEX panel_members_entry ON panel_members(entry_id);
