DROP TABLE catalogue_honours;
DROP TABLE catalogue_occupations;
DROP TABLE catalogue_series;
