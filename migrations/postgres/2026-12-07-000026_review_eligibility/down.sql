ALTER TABLE employer_reviews DROP COLUMN eligible;
