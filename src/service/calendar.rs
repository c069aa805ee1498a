//! The working-day calendar: seeded with the shipped years, maintained by admins (a year by CSV
//! import, a day at a time), read by every service that counts working days. Every change is
//! audited.

use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::calendar::{DayKind, ListedDay, WorkCalendar};
use crate::domain::{AuditAction, Subject};
use crate::store::audit::AuditActor;
use crate::store::{self, audit, calendar, DbConnection, DbError};
use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// Years an admin may add: from 2000 to ten years ahead of `today`.
fn plausible_year(year: i32, today: NaiveDate) -> bool {
    (2000..=today.year() + 10).contains(&year)
}

/// Seeds the shipped years (2025, 2026) into an empty calendar; whether it did.
pub fn seed_defaults(c: &mut DbConnection, now: NaiveDateTime) -> Result<bool, DbError> {
    store::write(c, |c| {
        if !calendar::years(c)?.is_empty() {
            return Ok(false);
        }
        let days = crate::calendar::shipped_days();
        store_days(c, &days, now)?;
        audit::record(
            c,
            now,
            AuditActor::SYSTEM,
            AuditAction::CalendarImport,
            &Subject::Calendar,
            &format!("载入默认日历（{}）", years_text(&days)),
        )?;
        Ok(true)
    })
}

fn years_of(days: &[ListedDay]) -> Vec<i32> {
    let mut years: Vec<i32> = days.iter().map(|d| d.date.year()).collect();
    years.sort_unstable();
    years.dedup();
    years
}

fn years_text(days: &[ListedDay]) -> String {
    years_of(days)
        .iter()
        .map(|y| format!("{y} 年"))
        .collect::<Vec<_>>()
        .join("、")
}

/// Replaces the listed days of every year the days fall in.
fn store_days(c: &mut DbConnection, days: &[ListedDay], now: NaiveDateTime) -> Result<(), DbError> {
    for year in years_of(days) {
        calendar::touch_year(c, year, now)?;
        calendar::clear_year(c, year)?;
    }
    for d in days {
        calendar::put_day(c, d.date, d.date.year(), d.kind.code(), &d.name)?;
    }
    Ok(())
}

/// The calendar as stored (a stored day of an unknown kind is an error, never a guess).
pub fn load(c: &mut DbConnection) -> Result<WorkCalendar, DbError> {
    let years = calendar::years(c)?.into_iter().map(|(y, _)| y);
    let mut entries = Vec::new();
    for row in calendar::days(c)? {
        let kind = DayKind::parse(&row.kind).ok_or_else(|| {
            DbError::DeserializationError(
                format!("unknown calendar day kind {:?}", row.kind).into(),
            )
        })?;
        entries.push((row.day, kind));
    }
    Ok(WorkCalendar::of_years(years, entries))
}

/// Imports days from CSV: each year in the file is replaced as a whole. `Err(lines)` when any
/// line is wrong (nothing is stored then). Returns the years imported.
pub fn import(
    c: &mut DbConnection,
    who: &Actor,
    days: &[ListedDay],
    now: NaiveDateTime,
) -> Result<Vec<i32>, ActionError> {
    access::may_manage_calendar(who)?;
    let today = crate::time::local_date(now);
    if let Some(y) = years_of(days)
        .into_iter()
        .find(|y| !plausible_year(*y, today))
    {
        return Err(ActionError::Refused(format!("{y} 年不在可录入的范围内")));
    }
    store::write(c, |c| {
        store_days(c, days, now)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::CalendarImport,
            &Subject::Calendar,
            &format!("导入 {}，共 {} 天", years_text(days), days.len()),
        )?;
        Ok(years_of(days))
    })
}

/// Declares a year with no listed days yet (its days are then entered one by one).
pub fn add_year(
    c: &mut DbConnection,
    who: &Actor,
    year: i32,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_manage_calendar(who)?;
    if !plausible_year(year, crate::time::local_date(now)) {
        return Err(ActionError::Refused(format!("{year} 年不在可录入的范围内")));
    }
    store::write(c, |c| {
        if calendar::years(c)?.iter().any(|(y, _)| *y == year) {
            return Err(ActionError::Refused(format!("{year} 年已在日历中")));
        }
        calendar::touch_year(c, year, now)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::CalendarDay,
            &Subject::Calendar,
            &format!("新增 {year} 年"),
        )?;
        Ok(())
    })
}

/// Lists one day of a year already in the calendar.
pub fn put_day(
    c: &mut DbConnection,
    who: &Actor,
    day: &ListedDay,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_manage_calendar(who)?;
    let year = day.date.year();
    store::write(c, |c| {
        if !calendar::years(c)?.iter().any(|(y, _)| *y == year) {
            return Err(ActionError::Refused(format!(
                "{year} 年尚未加入日历：请先新增该年度或导入该年的 CSV"
            )));
        }
        calendar::put_day(c, day.date, year, day.kind.code(), &day.name)?;
        calendar::touch_year(c, year, now)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::CalendarDay,
            &Subject::Calendar,
            &format!("{} {}（{}）", day.date, day.kind.label(), day.name),
        )?;
        Ok(())
    })
}

/// Removes a listed day: it follows the weekday rule again.
pub fn remove_day(
    c: &mut DbConnection,
    who: &Actor,
    day: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_manage_calendar(who)?;
    store::write(c, |c| {
        if !calendar::remove_day(c, day)? {
            return Err(ActionError::NotFound);
        }
        calendar::touch_year(c, day.year(), now)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::CalendarDay,
            &Subject::Calendar,
            &format!("删除 {day}，恢复按星期计算"),
        )?;
        Ok(())
    })
}
