ALTER TABLE panel_members DROP COLUMN assigned;
DROP TABLE assignments;
DROP TABLE conflicts;
DROP TABLE review_cases;
