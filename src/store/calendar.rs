//! The working-day calendar as stored: the years with data, and their listed days.

use super::schema::{calendar_days, calendar_years};
use super::DbConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// A listed day as stored (its kind as a code).
#[derive(Debug, Clone, Queryable)]
pub struct DayRow {
    pub day: NaiveDate,
    pub kind: String,
    pub name: String,
}

/// The years with data, newest first, and when each was last changed.
pub fn years(conn: &mut DbConnection) -> QueryResult<Vec<(i32, NaiveDateTime)>> {
    calendar_years::table
        .order(calendar_years::year.desc())
        .select((calendar_years::year, calendar_years::updated_at))
        .load(conn)
}

/// Every listed day (a few dozen a year).
pub fn days(conn: &mut DbConnection) -> QueryResult<Vec<DayRow>> {
    calendar_days::table
        .order(calendar_days::day.asc())
        .select((calendar_days::day, calendar_days::kind, calendar_days::name))
        .load(conn)
}

/// The listed days of one year.
pub fn days_of(conn: &mut DbConnection, year: i32) -> QueryResult<Vec<DayRow>> {
    calendar_days::table
        .filter(calendar_days::year.eq(year))
        .order(calendar_days::day.asc())
        .select((calendar_days::day, calendar_days::kind, calendar_days::name))
        .load(conn)
}

/// Declares a year as having data (or marks it changed).
pub fn touch_year(conn: &mut DbConnection, year: i32, now: NaiveDateTime) -> QueryResult<()> {
    let n = diesel::update(calendar_years::table.find(year))
        .set(calendar_years::updated_at.eq(now))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(calendar_years::table)
            .values((
                calendar_years::year.eq(year),
                calendar_years::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Forgets the listed days of a year (an import replaces them).
pub fn clear_year(conn: &mut DbConnection, year: i32) -> QueryResult<usize> {
    diesel::delete(calendar_days::table.filter(calendar_days::year.eq(year))).execute(conn)
}

/// Lists a day (replacing what was listed for it).
pub fn put_day(
    conn: &mut DbConnection,
    day: NaiveDate,
    year: i32,
    kind: &str,
    name: &str,
) -> QueryResult<()> {
    remove_day(conn, day)?;
    diesel::insert_into(calendar_days::table)
        .values((
            calendar_days::day.eq(day),
            calendar_days::year.eq(year),
            calendar_days::kind.eq(kind),
            calendar_days::name.eq(name),
        ))
        .execute(conn)
        .map(drop)
}

/// Removes a listed day (it follows the weekday rule again); whether it was listed.
pub fn remove_day(conn: &mut DbConnection, day: NaiveDate) -> QueryResult<bool> {
    Ok(diesel::delete(calendar_days::table.find(day)).execute(conn)? > 0)
}
