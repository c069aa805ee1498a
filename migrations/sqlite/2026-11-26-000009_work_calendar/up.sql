-- The official working-day calendar, maintained by admins: the years it has data for, and each
-- year's public holidays and adjusted working weekend days (调休). A date in a year not listed is
-- refused, never guessed.
CREATE TABLE calendar_years (
    year INTEGER PRIMARY KEY NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE calendar_days (
    day DATE PRIMARY KEY NOT NULL,
    year INTEGER NOT NULL REFERENCES calendar_years(year),
    kind TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE INDEX calendar_days_year ON calendar_days(year);
