DROP TABLE employer_decisions;
DROP TABLE employer_returns;
DROP TABLE objections;
DROP TABLE publicity_items;
DROP TABLE publicities;
DROP TABLE employer_reviews;
ALTER TABLE applications DROP COLUMN publicity_ends_on;
DROP INDEX accounts_employer;
ALTER TABLE accounts DROP COLUMN employer_id;
