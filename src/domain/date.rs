//! Dates as people type them.

use chrono::{Datelike, NaiveDate};

/// YYYY-MM-DD (also with / or . between the parts).
/// Years outside 1900–2200 are refused: no one's career lies there, and date arithmetic near
/// chrono's limits would overflow.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().replace(['/', '.'], "-");
    NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=2200).contains(&d.year()))
}
