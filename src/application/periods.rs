//! PURE rules about the periods and dates of a stage: a publicity of at least N working days
//! that starts no earlier than today, a reply (or correction) deadline after today within a
//! window, an objection received during its publicity and not in the future, an appointment
//! after the publicity and not in the future. Each returns every problem at once as (field,
//! message) pairs, so a form shows them all beside their fields; the day counts are parameters
//! (stored configuration, read by the caller). The page that previews a period and the service
//! that commits it ask the same functions.

use crate::calendar::WorkCalendar;
use crate::domain::FieldErrors;
use chrono::NaiveDate;

/// The earliest end of a period of `working_days` that starts on `starts_on`, or why it cannot
/// be known (the calendar lacks the year).
pub fn earliest_end(
    calendar: &WorkCalendar,
    starts_on: NaiveDate,
    working_days: u32,
) -> Result<NaiveDate, String> {
    calendar
        .end_of_working_days(starts_on, working_days)
        .map_err(|e| e.to_string())
}

/// What is wrong with a publicity from `starts_on` to `ends_on` (both included), under the fields
/// `starts_on` and `ends_on`: it may not start before today, end before it starts, or hold fewer
/// than `min_working_days` working days of the stored calendar.
pub fn publicity_problems(
    calendar: &WorkCalendar,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    today: NaiveDate,
    min_working_days: u32,
) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if starts_on < today {
        errors.add(
            "starts_on",
            format!("公示开始日期不能早于今天（{today}），请改为今天或以后的日期"),
        );
    }
    if ends_on < starts_on {
        errors.add(
            "ends_on",
            format!("公示结束日期不能早于开始日期（{starts_on}）"),
        );
        return errors;
    }
    match calendar.working_days_between(starts_on, ends_on) {
        Err(e) => errors.add("ends_on", e.to_string()),
        Ok(days) if days < min_working_days => {
            // Advice from a start that is allowed: a start in the past is refused beside its
            // own field, and an end counted from it would be refused too.
            let from = starts_on.max(today);
            let earliest = earliest_end(calendar, from, min_working_days)
                .map(|d| match from == starts_on {
                    true => format!("，最早可于 {d} 结束"),
                    false => format!("；公示最早可从今天（{from}）开始，最早可于 {d} 结束"),
                })
                .unwrap_or_default();
            errors.add(
                "ends_on",
                format!(
                    "公示期 {starts_on} 至 {ends_on} 只有 {days} 个工作日，至少应有 {min_working_days} 个工作日{earliest}"
                ),
            );
        }
        Ok(_) => {}
    }
    errors
}

/// The default deadline of a reply or correction asked for `today`: `working_days` working days
/// after it.
pub fn default_deadline(
    calendar: &WorkCalendar,
    today: NaiveDate,
    working_days: u32,
) -> Result<NaiveDate, String> {
    let tomorrow = today.succ_opt().unwrap_or(today);
    earliest_end(calendar, tomorrow, working_days)
}

/// What is wrong with a reply deadline (field `deadline`): it must be after today and no later
/// than `latest` (a window in days, or the end of a round's correction window).
pub fn deadline_problems(deadline: NaiveDate, today: NaiveDate, latest: NaiveDate) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if deadline <= today {
        errors.add(
            "deadline",
            format!("答复期限应在今天（{today}）之后，请改为以后的日期"),
        );
    } else if deadline > latest {
        errors.add(
            "deadline",
            format!("答复期限不能晚于 {latest}，请改为此前的日期"),
        );
    }
    errors
}

/// What is wrong with an objection received on `received_on` (field `received_on`): not in the
/// future, not before its publicity started.
pub fn objection_problems(
    received_on: NaiveDate,
    today: NaiveDate,
    publicity_starts: Option<NaiveDate>,
) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if received_on > today {
        errors.add("received_on", format!("收到日期不能晚于今天（{today}）"));
    } else if let Some(start) = publicity_starts.filter(|s| received_on < *s) {
        errors.add(
            "received_on",
            format!("收到日期不能早于公示开始日期（{start}）：公示开始前收到的意见不是公示异议"),
        );
    }
    errors
}

/// Whether an objection may be recorded today: only once its publicity has started.
pub fn objection_may_be_recorded(today: NaiveDate, publicity_starts: Option<NaiveDate>) -> bool {
    publicity_starts.is_some_and(|s| today >= s)
}

/// What is wrong with an appointment on `appointed_on` (field `appointed_on`): after the
/// publicity ended, not in the future.
pub fn appointment_problems(
    appointed_on: NaiveDate,
    publicity_ends: Option<NaiveDate>,
    today: NaiveDate,
) -> FieldErrors {
    let mut errors = FieldErrors::default();
    // The earliest allowed day is named, so one answer is enough to correct it.
    let earliest = publicity_ends.and_then(|e| e.succ_opt());
    let window = match earliest {
        Some(first) if first <= today => format!("，可填 {first} 至 {today} 之间的日期"),
        _ => String::new(),
    };
    if let Some(end) = publicity_ends.filter(|e| appointed_on <= *e) {
        let first = earliest.unwrap_or(end);
        errors.add(
            "appointed_on",
            format!("聘任日期应在公示期结束（{end}）之后，最早为 {first}{window}"),
        );
    } else if appointed_on > today {
        errors.add(
            "appointed_on",
            format!("聘任日期不能晚于今天（{today}）{window}"),
        );
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn fields(e: &FieldErrors) -> Vec<&str> {
        e.items().iter().map(|(f, _)| f.as_str()).collect()
    }

    #[test]
    fn a_publicity_reports_every_problem_with_its_field() {
        let cal = WorkCalendar::shipped();
        // Starts in the past and holds only 3 working days: both fields, and the earliest end
        // counted from today, the first allowed start (not from the refused one).
        let e = publicity_problems(&cal, d("2026-09-14"), d("2026-09-16"), d("2026-09-15"), 5);
        assert_eq!(fields(&e), ["starts_on", "ends_on"]);
        assert!(e.get("ends_on").unwrap().contains("只有 3 个工作日"));
        assert!(
            e.get("ends_on")
                .unwrap()
                .contains("最早可从今天（2026-09-15）开始，最早可于 2026-09-20 结束"),
            "{e:?}"
        );
        let e = publicity_problems(&cal, d("2026-09-15"), d("2026-09-16"), d("2026-09-15"), 5);
        assert!(e
            .get("ends_on")
            .unwrap()
            .contains("，最早可于 2026-09-20 结束"));
        // Across the National Day holidays 5 working days take longer.
        let e = publicity_problems(&cal, d("2026-09-28"), d("2026-10-05"), d("2026-09-28"), 5);
        assert!(e.get("ends_on").is_some(), "{e:?}");
        assert!(
            publicity_problems(&cal, d("2026-09-14"), d("2026-09-18"), d("2026-09-14"), 5)
                .is_empty()
        );
        // The count is a parameter.
        assert!(
            publicity_problems(&cal, d("2026-09-14"), d("2026-09-16"), d("2026-09-14"), 3)
                .is_empty()
        );
        // Outside the calendar's data: refused with its message, never guessed.
        let e = publicity_problems(&cal, d("2027-01-04"), d("2027-01-08"), d("2027-01-04"), 5);
        assert!(e.get("ends_on").unwrap().contains("2027"));
    }

    #[test]
    fn deadlines_objections_and_appointments() {
        let today = d("2026-09-15");
        assert_eq!(
            fields(&deadline_problems(today, today, d("2026-12-14"))),
            ["deadline"]
        );
        assert!(deadline_problems(d("2027-01-01"), today, d("2026-12-14"))
            .get("deadline")
            .unwrap()
            .contains("不能晚于 2026-12-14"));
        assert!(deadline_problems(d("2026-09-29"), today, d("2026-12-14")).is_empty());
        assert!(
            objection_problems(d("2026-09-16"), today, Some(d("2026-09-14")))
                .get("received_on")
                .unwrap()
                .contains("晚于今天")
        );
        assert!(
            objection_problems(d("2026-09-10"), today, Some(d("2026-09-14")))
                .get("received_on")
                .unwrap()
                .contains("早于公示开始")
        );
        assert!(!objection_may_be_recorded(today, Some(d("2026-09-16"))));
        assert!(objection_may_be_recorded(today, Some(d("2026-09-15"))));
        assert!(
            appointment_problems(d("2026-09-18"), Some(d("2026-09-18")), today)
                .get("appointed_on")
                .is_some()
        );
        assert!(
            appointment_problems(d("2026-09-21"), Some(d("2026-09-18")), today)
                .get("appointed_on")
                .unwrap()
                .contains("晚于今天")
        );
        assert!(appointment_problems(d("2026-09-15"), Some(d("2026-09-11")), today).is_empty());
        // The earliest allowed day is named.
        assert!(
            appointment_problems(d("2026-09-10"), Some(d("2026-09-11")), today)
                .get("appointed_on")
                .unwrap()
                .contains("最早为 2026-09-12，可填 2026-09-12 至 2026-09-15")
        );
        let cal = WorkCalendar::shipped();
        assert_eq!(
            default_deadline(&cal, d("2026-09-18"), 10),
            Ok(d("2026-10-09"))
        );
    }
}
