//! Dates, one format everywhere: `YYYY-MM-DD`.

use chrono::NaiveDate;

/// A date written exactly as four ASCII digits, `-`, two digits, `-`, two digits: a real day of a
/// year from 1900 to 2200. Nothing else is a date: not `2026-1-01`, `+2026-01-01`,
/// ` 2026-01-01`, `2026/01/01` nor `0000-01-01` (chrono's own parsing accepts some of these).
/// Years outside 1900–2200 are nobody's career, and date arithmetic near chrono's limits would
/// overflow.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return None;
    }
    let number =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let year = number(0..4) as i32;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, number(5..7), number(8..10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_form_of_a_real_day_is_a_date() {
        assert_eq!(
            parse_date("2026-02-28"),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        assert_eq!(
            parse_date("1900-01-01"),
            NaiveDate::from_ymd_opt(1900, 1, 1)
        );
        assert_eq!(
            parse_date("2200-12-31"),
            NaiveDate::from_ymd_opt(2200, 12, 31)
        );
        for bad in [
            "+2026-1-01",
            " 2022-6-30",
            "2022-06-30 ",
            "2020- 1-01",
            "-001-01-01",
            "0000-01-01",
            "1899-12-31",
            "2201-01-01",
            "2026-1-01",
            "2026/01/01",
            "2026.01.01",
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "２０２６-01-01",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }
}
