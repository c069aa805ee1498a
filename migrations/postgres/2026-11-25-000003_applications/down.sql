DROP TABLE reference_counters;
DROP TABLE evidence;
DROP TABLE application_sections;
DROP TABLE applications;
DROP TABLE rounds;
