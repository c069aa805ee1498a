-- When the application's current publicity starts, beside when it ends: the employer's list
-- shows the period ("单位公示 9月14日至9月18日"), not "in publicity" for one that starts later.
ALTER TABLE applications ADD COLUMN publicity_starts_on DATE;
UPDATE applications SET publicity_starts_on = (
    SELECT p.starts_on FROM publicity_items i JOIN publicities p ON p.id = i.publicity_id
    WHERE i.application_id = applications.id ORDER BY p.id DESC LIMIT 1
) WHERE publicity_ends_on IS NOT NULL;
