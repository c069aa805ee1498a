//! Dates, one format everywhere: `YYYY-MM-DD`.

use chrono::{Datelike, NaiveDate};

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
    fn plausible_dates_lie_between_the_16th_birthday_and_today() {
        let d = |s| parse_date(s).unwrap();
        let p = Plausible::new(d("2026-11-26"), Some(d("1985-03-12")));
        assert_eq!(p.sixteenth_birthday, Some(d("2001-03-12")));
        assert!(p.check(d("2001-03-12"), "日期").is_ok());
        assert!(p.check(d("2026-11-26"), "日期").is_ok());
        assert!(p
            .check(d("2001-03-11"), "日期")
            .unwrap_err()
            .contains("16周岁"));
        assert!(p
            .check(d("2026-11-27"), "日期")
            .unwrap_err()
            .contains("不能晚于今天"));
        // Born on 29 February: 16 on 1 March of a common year.
        let leap = Plausible::new(d("2026-11-26"), Some(d("2008-02-29")));
        assert_eq!(leap.sixteenth_birthday, Some(d("2024-02-29")));
        let leap = Plausible::new(d("2026-11-26"), Some(d("2004-02-29")));
        assert_eq!(leap.sixteenth_birthday, Some(d("2020-02-29")));
        let leap = Plausible::new(d("2026-11-26"), Some(d("2000-02-29")));
        assert_eq!(leap.sixteenth_birthday, Some(d("2016-02-29")));
        let unknown = Plausible::new(d("2026-11-26"), None);
        assert!(unknown.check(d("1950-01-01"), "日期").is_ok());
    }

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

/// The dates an application may hold for things that already happened: not after `today`, and
/// (when the birth date is known) not before the person's 16th birthday, the minimum working age.
#[derive(Debug, Clone, Copy)]
pub struct Plausible {
    pub today: NaiveDate,
    pub sixteenth_birthday: Option<NaiveDate>,
}

impl Plausible {
    pub fn new(today: NaiveDate, birth: Option<NaiveDate>) -> Plausible {
        Plausible {
            today,
            sixteenth_birthday: birth.and_then(|b| {
                b.with_year(b.year() + 16)
                    // Born on 29 February: the 16th birthday is 1 March in a common year.
                    .or_else(|| NaiveDate::from_ymd_opt(b.year() + 16, 3, 1))
            }),
        }
    }

    /// Why `date` (of `what`) cannot be right, if it cannot.
    pub fn check(&self, date: NaiveDate, what: &str) -> Result<(), String> {
        if date > self.today {
            return Err(format!("{what}不能晚于今天（{}）", self.today));
        }
        match self.sixteenth_birthday {
            Some(s) if date < s => Err(format!("{what}早于您年满16周岁的日期（{s}），请核对")),
            _ => Ok(()),
        }
    }
}
