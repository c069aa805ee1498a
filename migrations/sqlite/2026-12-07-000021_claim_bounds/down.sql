DROP TABLE employer_claim_sources;
