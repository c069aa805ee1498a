-- Anonymous employer claims are bounded: by the address they came from (kept only as a hash)
-- and, over all pending claims, by the bytes of their licence scans. Kept beside each claim.
CREATE TABLE employer_claim_sources (
    claim_id BIGINT PRIMARY KEY NOT NULL REFERENCES employer_claims(id),
    client TEXT NOT NULL,
    licence_size BIGINT NOT NULL
);
INSERT INTO employer_claim_sources (claim_id, client, licence_size)
    SELECT id, '', length(licence_bytes) FROM employer_claims;
CREATE INDEX employer_claim_sources_client ON employer_claim_sources(client);
