//! Showing stored UTC times to people in Shanghai (UTC+8, no daylight saving).

use chrono::{FixedOffset, NaiveDateTime, TimeZone};

pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// `2026-11-25 18:50` in Shanghai time.
pub fn local_minutes(utc: NaiveDateTime) -> String {
    shanghai()
        .from_utc_datetime(&utc)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Today's date in Shanghai.
pub fn local_date(utc: NaiveDateTime) -> chrono::NaiveDate {
    shanghai().from_utc_datetime(&utc).date_naive()
}
