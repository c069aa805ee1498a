//! Showing stored UTC times to people in Shanghai (UTC+8, no daylight saving).

use chrono::{FixedOffset, NaiveDateTime, TimeZone};

pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// `2026-11-25 18:50` in Shanghai time.
pub fn local_minutes(utc: NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    // Written digit by digit: lists call this per row, and `format!` with padding cost a list
    // page a tenth of its time.
    let t = utc + chrono::Duration::hours(8);
    let mut out = String::with_capacity(16);
    let year = t.year();
    if (0..=9999).contains(&year) {
        push_digits(&mut out, year as u32, 4);
    } else {
        out.push_str(&year.to_string());
    }
    for (sep, n) in [
        ('-', t.month()),
        ('-', t.day()),
        (' ', t.hour()),
        (':', t.minute()),
    ] {
        out.push(sep);
        push_digits(&mut out, n, 2);
    }
    out
}

/// The last `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
    }
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
        let early = chrono::NaiveDate::from_ymd_opt(987, 3, 4)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert_eq!(super::local_minutes(early), "0987-03-04 08:00");
        assert_eq!(
            super::local_minutes(utc),
            super::shanghai()
                .from_utc_datetime(&utc)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        );
    }
}
