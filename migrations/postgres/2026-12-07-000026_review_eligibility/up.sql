-- Whether the employer's record, when it was verified, makes the applicant eligible (NULL: it
-- could not be decided, or it was verified before this was kept). The employer's list offers a
-- row for a batch publicity only when it is eligible, without deciding a verdict per row.
ALTER TABLE employer_reviews ADD COLUMN eligible BOOLEAN;
