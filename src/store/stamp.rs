//! Reading timestamps fast. Diesel reads a SQLite timestamp by trying up to 18 strftime patterns
//! in turn; a list page parses several per row, and this was a seventh of its cost. The text we
//! write is always `YYYY-MM-DD HH:MM:SS[.fraction]`, read here by hand, with diesel's patterns as
//! the fallback for anything else (rows written by SQL's `CURRENT_TIMESTAMP`, say).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::sql_types::Timestamp;
use diesel::sqlite::Sqlite;

/// A timestamp column read through [`parse`]; `#[diesel(deserialize_as = Stamp)]` on a
/// `NaiveDateTime` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::deserialize::FromSqlRow)]
pub struct Stamp(pub NaiveDateTime);

impl From<Stamp> for NaiveDateTime {
    fn from(s: Stamp) -> NaiveDateTime {
        s.0
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// `YYYY-MM-DD HH:MM:SS` with an optional `.` and 1–9 digits of fraction; `None` for anything
/// else (including an impossible date or time).
pub fn parse(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', frac @ ..] if (1..=9).contains(&frac.len()) => {
            digits(frac)? * 10u32.pow(9 - frac.len() as u32)
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(
        digits(&b[0..4])? as i32,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )?;
    let time = NaiveTime::from_hms_nano_opt(
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
        nanos,
    )?;
    Some(date.and_time(time))
}

/// Diesel's own reading, for text [`parse`] does not take.
fn slow(text: &str) -> deserialize::Result<NaiveDateTime> {
    const PATTERNS: [&str; 8] = [
        "%F %T%.f",
        "%F %T%.f%:z",
        "%F %T%:z",
        "%F %R",
        "%FT%T%.f",
        "%FT%T%.fZ",
        "%FT%T%.f%:z",
        "%FT%R",
    ];
    PATTERNS
        .iter()
        .find_map(|p| NaiveDateTime::parse_from_str(text, p).ok())
        .ok_or_else(|| format!("Invalid datetime {text}").into())
}

impl FromSql<Timestamp, Sqlite> for Stamp {
    fn from_sql(value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        // Borrowed from SQLite, not copied into a String (one allocation per timestamp).
        let mut value = value;
        let text = value.read_text();
        parse(text).map_or_else(|| slow(text), Ok).map(Stamp)
    }
}

impl FromSql<Timestamp, Pg> for Stamp {
    fn from_sql(value: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(Stamp)
    }
}

impl FromSql<Timestamp, super::MultiBackend> for Stamp {
    fn from_sql(
        bytes: <super::MultiBackend as Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        bytes.from_sql::<Self, Timestamp>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_diesel_writes_and_refuses_the_rest() {
        let t = |s| parse(s).map(|d| d.format("%F %T%.f").to_string());
        assert_eq!(
            t("2026-11-26 09:35:12").as_deref(),
            Some("2026-11-26 09:35:12")
        );
        assert_eq!(
            t("2026-11-26 09:35:12.5").as_deref(),
            Some("2026-11-26 09:35:12.500")
        );
        assert_eq!(
            t("2026-11-26 09:35:12.123456789").as_deref(),
            Some("2026-11-26 09:35:12.123456789")
        );
        for bad in [
            "2026-02-30 00:00:00",
            "2026-11-26 24:00:00",
            "2026-11-26T09:35:12",
            "2026-11-26 09:35:12.",
            "2026-11-26 09:35:12.1234567890",
            "2026-11-26 09:35",
            "2026-1x-26 09:35:12",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert!(slow("2026-11-26T09:35:12").is_ok());
        assert!(slow("nonsense").is_err());
        let now = chrono::Utc::now().naive_utc();
        assert_eq!(parse(&now.format("%F %T%.f").to_string()), Some(now));
    }
}
