//! PURE date arithmetic: anniversaries, spans in years/months/days, and working days over a table
//! of public holidays and adjusted working weekends (调休). No web or database imports.

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::HashMap;

/// The date `years` years after `date`; 29 February goes to 28 February in a common year.
pub fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    let year = date.year() + years;
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
        .expect("28 exists in every month")
}

/// Whole years, months and days from `from` to `to` (`to` after `from`), as people count them.
pub fn span(from: NaiveDate, to: NaiveDate) -> (i32, u32, u32) {
    if to <= from {
        return (0, 0, 0);
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let add_months = |m: i32| {
        from.checked_add_months(chrono::Months::new(m as u32))
            .unwrap_or(from)
    };
    if add_months(months) > to {
        months -= 1;
    }
    let anchor = add_months(months);
    let days = (to - anchor).num_days() as u32;
    (months / 12, (months % 12) as u32, days)
}

/// "1 年 3 个月 20 天", "8 个月", "12 天": exactly how long until `to`, in zh-CN, never rounded.
pub fn span_zh(from: NaiveDate, to: NaiveDate) -> String {
    let (y, m, d) = span(from, to);
    let mut parts = Vec::new();
    if y > 0 {
        parts.push(format!("{y} 年"));
    }
    if m > 0 {
        parts.push(format!("{m} 个月"));
    }
    if d > 0 || parts.is_empty() {
        parts.push(format!("{d} 天"));
    }
    parts.join(" ")
}

/// How a listed day differs from the weekday rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// 法定节假日 (or a rest day of the holiday period) on a weekday or weekend.
    Holiday,
    /// 调休上班: a weekend day worked.
    Workday,
}

/// The official calendar: Monday to Friday, less holidays, plus adjusted working weekends, for
/// the years it has data for. Outside them it refuses rather than guesses.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    days: HashMap<NaiveDate, DayKind>,
    years: std::collections::BTreeSet<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{year} 年的节假日安排尚未录入，无法计算工作日，请管理员先录入当年的日历")]
pub struct NoCalendarData {
    pub year: i32,
}

impl WorkCalendar {
    pub fn new(entries: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> WorkCalendar {
        let mut cal = WorkCalendar::default();
        for (date, kind) in entries {
            cal.years.insert(date.year());
            cal.days.insert(date, kind);
        }
        cal
    }

    /// The shipped table (State Council notices for 2025 and 2026).
    pub fn shipped() -> WorkCalendar {
        let text = include_str!("policy/defaults/calendar.csv");
        WorkCalendar::new(text.lines().skip(1).filter_map(|line| {
            let mut f = line.split(',');
            let date = NaiveDate::parse_from_str(f.next()?, "%Y-%m-%d").ok()?;
            let kind = match f.next()? {
                "holiday" => DayKind::Holiday,
                "workday" => DayKind::Workday,
                _ => return None,
            };
            Some((date, kind))
        }))
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, NoCalendarData> {
        if !self.years.contains(&date.year()) {
            return Err(NoCalendarData { year: date.year() });
        }
        Ok(match self.days.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        })
    }

    /// The day on which a period of `n` working days that starts on `start` (counted if it is a
    /// working day) ends: a publicity from `start` lasting `n` working days ends on the result.
    pub fn end_of_working_days(
        &self,
        start: NaiveDate,
        n: u32,
    ) -> Result<NaiveDate, NoCalendarData> {
        let mut day = start;
        let mut counted = 0;
        loop {
            if self.is_working_day(day)? {
                counted += 1;
                if counted >= n.max(1) {
                    return Ok(day);
                }
            }
            day = day.succ_opt().ok_or(NoCalendarData { year: day.year() })?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn anniversaries() {
        assert_eq!(add_years(d("2020-02-29"), 1), d("2021-02-28"));
        assert_eq!(add_years(d("2020-02-29"), 4), d("2024-02-29"));
        assert_eq!(add_years(d("2023-03-01"), 3), d("2026-03-01"));
    }

    #[test]
    fn spans() {
        assert_eq!(span(d("2026-07-01"), d("2027-03-01")), (0, 8, 0));
        assert_eq!(span(d("2025-12-01"), d("2027-03-01")), (1, 3, 0));
        assert_eq!(span_zh(d("2026-11-20"), d("2026-12-02")), "12 天");
        assert_eq!(span_zh(d("2026-07-01"), d("2027-03-01")), "8 个月");
        assert_eq!(span_zh(d("2025-12-01"), d("2027-03-01")), "1 年 3 个月");
        // Exact, never rounded: a year and 20 days is not "1 年".
        assert_eq!(span_zh(d("2026-01-01"), d("2027-01-21")), "1 年 20 天");
        assert_eq!(
            span_zh(d("2026-01-31"), d("2027-03-02")),
            "1 年 1 个月 2 天"
        );
    }

    #[test]
    fn working_days_follow_the_notices() {
        let cal = WorkCalendar::shipped();
        assert_eq!(
            cal.is_working_day(d("2026-10-01")),
            Ok(false),
            "National Day"
        );
        assert_eq!(
            cal.is_working_day(d("2026-10-10")),
            Ok(true),
            "adjusted Saturday"
        );
        assert_eq!(
            cal.is_working_day(d("2026-10-11")),
            Ok(false),
            "plain Sunday"
        );
        assert_eq!(cal.is_working_day(d("2026-10-12")), Ok(true));
        // From Monday 28 September 2026: 28, 29, 30 Sep, (1-7 Oct off), 8, 9, then Saturday 10 Oct, worked.
        assert_eq!(
            cal.end_of_working_days(d("2026-09-28"), 5),
            Ok(d("2026-10-09"))
        );
        assert_eq!(
            cal.end_of_working_days(d("2026-09-28"), 6),
            Ok(d("2026-10-10"))
        );
        assert_eq!(
            cal.is_working_day(d("2027-01-04")),
            Err(NoCalendarData { year: 2027 })
        );
        assert!(
            cal.end_of_working_days(d("2026-12-28"), 10).is_err(),
            "runs into a year without data"
        );
    }
}
