-- Title series and whether each is open to the pathway (§2.1).
CREATE TABLE catalogue_series (
    name TEXT PRIMARY KEY NOT NULL,
    open BOOLEAN NOT NULL,
    position INTEGER NOT NULL
);

-- Occupation ↔ series/specialty correspondence (§1.2.3); occupation '*' matches every occupation.
CREATE TABLE catalogue_occupations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occupation TEXT NOT NULL,
    series TEXT NOT NULL,
    specialty TEXT NOT NULL,
    UNIQUE (occupation, series, specialty)
);

-- Honours of §2.2.4 and the title level each gives direct access to.
CREATE TABLE catalogue_honours (
    name TEXT PRIMARY KEY NOT NULL,
    level TEXT NOT NULL,
    position INTEGER NOT NULL
);
