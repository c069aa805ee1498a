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

impl DayKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    /// A stored or imported code: `holiday`/`休`, `workday`/`班`.
    pub fn parse(s: &str) -> Option<DayKind> {
        match s.trim() {
            "holiday" | "休" => Some(DayKind::Holiday),
            "workday" | "班" => Some(DayKind::Workday),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DayKind::Holiday => "放假",
            DayKind::Workday => "调休上班",
        }
    }
}

/// A day the calendar lists: a holiday, or a weekend day worked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// 元旦, 春节, 国庆节…
    pub name: String,
}

impl ListedDay {
    /// A day as an admin enters it: an adjusted working day falls on a weekend, and the name
    /// of its holiday has 1 to 20 characters.
    pub fn new(date: NaiveDate, kind: DayKind, name: &str) -> Result<ListedDay, String> {
        use crate::domain::text::{TextError, TextField};
        // What every other text field refuses, and U+FFFD, the mark of a file that was not
        // UTF-8: a holiday's name is shown on every page that counts working days.
        let name = match TextField::line(20).parse(name) {
            Ok(name) if !name.contains('\u{FFFD}') => name,
            Err(TextError::Missing | TextError::TooLong(..)) => {
                return Err("请填写节日名称（不超过20个字），如 国庆节".into())
            }
            _ => {
                return Err(
                "节日名称不能包含控制字符、零宽字符、文字方向控制符或无法识别的字符（�），请重新输入"
                    .into(),
                );
            }
        };
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        if kind == DayKind::Workday && !weekend {
            return Err(format!("{date} 是工作日，调休上班只能是周六或周日"));
        }
        Ok(ListedDay { date, kind, name })
    }
}

/// Reads the calendar's CSV (`date,kind,name`, a header line first: the format the repository
/// ships), every line checked; the errors name their line.
pub fn parse_csv(text: &str) -> Result<Vec<ListedDay>, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let (mut days, mut errors) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("第 {line} 行无法读取：{e}"));
                continue;
            }
        };
        let field = |n: usize| record.get(n).unwrap_or("");
        let Some(date) = crate::domain::date::parse_date(field(0)) else {
            errors.push(format!(
                "第 {line} 行：日期“{}”无效，应如 2026-10-01",
                field(0)
            ));
            continue;
        };
        let Some(kind) = DayKind::parse(field(1)) else {
            errors.push(format!(
                "第 {line} 行：类型应为 holiday（放假）或 workday（调休上班）"
            ));
            continue;
        };
        match ListedDay::new(date, kind, field(2)) {
            Ok(day) if days.iter().any(|d: &ListedDay| d.date == day.date) => {
                errors.push(format!("第 {line} 行：{} 重复出现", day.date));
            }
            Ok(day) => days.push(day),
            Err(e) => errors.push(format!("第 {line} 行：{e}")),
        }
    }
    if days.is_empty() && errors.is_empty() {
        errors.push("文件中没有日期".into());
    }
    if errors.is_empty() {
        Ok(days)
    } else {
        Err(errors)
    }
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

    /// The calendar of the years an admin declared, with the days listed for them (a declared
    /// year with no listed day is Monday to Friday).
    pub fn of_years(
        years: impl IntoIterator<Item = i32>,
        entries: impl IntoIterator<Item = (NaiveDate, DayKind)>,
    ) -> WorkCalendar {
        let mut cal = WorkCalendar::new(entries);
        cal.years.extend(years);
        cal
    }

    /// The years it has data for.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// Working days from `start` to `end`, both included.
    pub fn working_days_between(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<u32, NoCalendarData> {
        let mut n = 0;
        let mut day = start;
        while day <= end {
            if self.is_working_day(day)? {
                n += 1;
            }
            day = day.succ_opt().ok_or(NoCalendarData { year: day.year() })?;
        }
        Ok(n)
    }

    /// The shipped table (State Council notices for 2025 and 2026).
    pub fn shipped() -> WorkCalendar {
        WorkCalendar::new(shipped_days().into_iter().map(|d| (d.date, d.kind)))
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

/// How long before a year begins the admin is told its calendar is missing: the State Council
/// publishes the next year's holidays in late autumn, and every deadline counted into January
/// needs them.
pub const MISSING_YEAR_WARNING_DAYS: i64 = 60;

/// A year whose holidays are needed soon and not entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingYear {
    pub year: i32,
    /// This year itself is missing (no working day can be counted now), not only the next.
    pub current: bool,
}

impl WorkCalendar {
    /// The year an admin must enter now: this year when it is missing, else next year from
    /// [`MISSING_YEAR_WARNING_DAYS`] before it begins.
    pub fn missing_year(&self, today: NaiveDate) -> Option<MissingYear> {
        if !self.years.contains(&today.year()) {
            return Some(MissingYear {
                year: today.year(),
                current: true,
            });
        }
        let next = today.year() + 1;
        let starts = NaiveDate::from_ymd_opt(next, 1, 1)?;
        ((starts - today).num_days() <= MISSING_YEAR_WARNING_DAYS && !self.years.contains(&next))
            .then_some(MissingYear {
                year: next,
                current: false,
            })
    }
}

/// The days the repository ships (State Council notices for 2025 and 2026): the first
/// database is seeded with them.
pub fn shipped_days() -> Vec<ListedDay> {
    parse_csv(SHIPPED_CSV).expect("the shipped calendar is valid")
}

pub const SHIPPED_CSV: &str = include_str!("policy/defaults/calendar.csv");

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn a_holiday_name_holds_no_invisible_or_unreadable_character() {
        let day = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        for bad in [
            "国庆\u{0007}节",
            "国庆\u{202E}节",
            "国庆\u{200B}节",
            "国庆\u{FFFD}节",
            "\u{2066}国庆节",
        ] {
            let refused = ListedDay::new(day, DayKind::Holiday, bad).unwrap_err();
            assert!(refused.contains("控制字符"), "{bad:?}");
        }
        assert!(ListedDay::new(day, DayKind::Holiday, "国庆节").is_ok());
        let csv = "date,kind,name\n2026-10-01,holiday,国庆\u{202E}节\n";
        let lines = parse_csv(csv).unwrap_err();
        assert!(
            lines[0].contains("第 2 行") || lines[0].contains("2"),
            "{lines:?}"
        );
    }
}

#[cfg(test)]
mod missing_year_tests {
    use super::*;

    #[test]
    fn the_next_year_is_asked_for_weeks_ahead_and_this_year_at_once() {
        let cal = WorkCalendar::of_years([2025, 2026], []);
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(cal.missing_year(d("2026-06-30")), None);
        assert_eq!(cal.missing_year(d("2026-11-01")), None);
        assert_eq!(
            cal.missing_year(d("2026-11-02")),
            Some(MissingYear {
                year: 2027,
                current: false
            })
        );
        assert_eq!(
            cal.missing_year(d("2027-01-04")),
            Some(MissingYear {
                year: 2027,
                current: true
            })
        );
        let more = WorkCalendar::of_years([2025, 2026, 2027], []);
        assert_eq!(more.missing_year(d("2026-12-20")), None);
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

    #[test]
    fn the_calendar_csv_is_read_line_by_line() {
        assert!(shipped_days().len() > 40);
        let days =
            parse_csv("date,kind,name\n2027-10-01,holiday,国庆节\n2027-09-26,班,国庆节\n").unwrap();
        assert_eq!(days[1].kind, DayKind::Workday);
        let errors = parse_csv(
            "date,kind,name\n2027-02-30,holiday,春节\n2027-10-08,workday,国庆节\n2027-10-01,rest,国庆节\n2027-10-02,holiday,\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("第 2 行"));
        assert!(errors[1].contains("只能是周六或周日"), "{errors:?}");
        assert_eq!(
            parse_csv("date,kind,name\n").unwrap_err(),
            ["文件中没有日期"]
        );
        // A declared year without listed days is Monday to Friday, and counted inclusively.
        let cal = WorkCalendar::of_years([2027], []);
        assert_eq!(
            cal.working_days_between(d("2027-01-04"), d("2027-01-10")),
            Ok(5)
        );
        assert!(cal
            .working_days_between(d("2027-12-30"), d("2028-01-03"))
            .is_err());
    }
}
