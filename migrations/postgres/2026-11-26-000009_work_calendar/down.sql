DROP TABLE calendar_days;
DROP TABLE calendar_years;
