//! Showing stored UTC times to people in Shanghai (UTC+8, no daylight saving).

use chrono::{FixedOffset, NaiveDateTime, TimeZone};

pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// `2026-11-25 18:50` in Shanghai time.
pub fn local_minutes(utc: NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    // Written out by hand: lists call this per row, and strftime parses its pattern every time.
    let t = utc + chrono::Duration::hours(8);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// Today's date in Shanghai.
pub fn local_date(utc: NaiveDateTime) -> chrono::NaiveDate {
    shanghai().from_utc_datetime(&utc).date_naive()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    #[test]
    fn minutes_in_shanghai() {
        let utc = chrono::NaiveDate::from_ymd_opt(2026, 12, 31)
            .unwrap()
            .and_hms_opt(17, 5, 9)
            .unwrap();
        assert_eq!(super::local_minutes(utc), "2027-01-01 01:05");
        assert_eq!(
            super::local_minutes(utc),
            super::shanghai()
                .from_utc_datetime(&utc)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        );
    }
}
