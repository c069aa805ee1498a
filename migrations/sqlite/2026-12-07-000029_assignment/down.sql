DROP TABLE assignments;
DROP TABLE conflicts;
DROP TABLE review_cases;
