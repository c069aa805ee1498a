//! Throttle rows: per key (a client address, an account at an address, a hashed ID number) a
//! decaying failure score and, once over the limit, a time until which attempts are refused.

use super::schema::throttles;
use super::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A key's stored state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    pub score: f64,
    pub updated_at: NaiveDateTime,
    pub blocked_until: Option<NaiveDateTime>,
}

pub fn get(conn: &mut DbConnection, key: &str) -> QueryResult<Option<Throttle>> {
    Ok(throttles::table
        .find(key)
        .select((
            throttles::score,
            throttles::updated_at,
            throttles::blocked_until,
        ))
        .first::<(f64, NaiveDateTime, Option<NaiveDateTime>)>(conn)
        .optional()?
        .map(|(score, updated_at, blocked_until)| Throttle {
            score,
            updated_at,
            blocked_until,
        }))
}

/// A key's state read to be changed in this write: on PostgreSQL the row is made if missing and
/// locked until the write ends, so two attempts at once count one after the other (neither
/// loses the other's count, nor fails on the other's insert); SQLite's writes are one at a time
/// already.
pub fn get_for_update(
    conn: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Throttle>> {
    if let DbConnection::Pg(c) = conn {
        diesel::insert_into(throttles::table)
            .values((
                throttles::key.eq(key),
                throttles::score.eq(0.0),
                throttles::updated_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(c)?;
        let row = throttles::table
            .find(key)
            .select((
                throttles::score,
                throttles::updated_at,
                throttles::blocked_until,
            ))
            .for_update()
            .first::<(f64, NaiveDateTime, Option<NaiveDateTime>)>(c)?;
        return Ok(Some(Throttle {
            score: row.0,
            updated_at: row.1,
            blocked_until: row.2,
        }));
    }
    get(conn, key)
}

/// Stores a key's state.
pub fn set(conn: &mut DbConnection, key: &str, t: Throttle) -> QueryResult<()> {
    let n = diesel::update(throttles::table.find(key))
        .set((
            throttles::score.eq(t.score),
            throttles::updated_at.eq(t.updated_at),
            throttles::blocked_until.eq(t.blocked_until),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(throttles::table)
            .values((
                throttles::key.eq(key),
                throttles::score.eq(t.score),
                throttles::updated_at.eq(t.updated_at),
                throttles::blocked_until.eq(t.blocked_until),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Forgets a key (a good login clears its account's score at that address).
pub fn clear(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(throttles::table.find(key))
        .execute(conn)
        .map(drop)
}

/// Forgets every login score of a login name (hashed as its keys hold it), at every address
/// (an admin unlocks an account).
pub fn clear_name(conn: &mut DbConnection, name_hash: &str) -> QueryResult<usize> {
    diesel::delete(
        throttles::table.filter(throttles::key.like(format!("login:name:{name_hash}:%"))),
    )
    .execute(conn)
}

/// Login names (hashed) paused after wrong passwords (at some address) and until when. The
/// table holds only recently touched keys (purged daily), so reading it whole is cheap.
pub fn paused_names(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    let rows: Vec<(String, Option<NaiveDateTime>)> = throttles::table
        .filter(throttles::key.like("login:name:%"))
        .filter(throttles::blocked_until.gt(now))
        .select((throttles::key, throttles::blocked_until))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, until)| {
            let hash = k.strip_prefix("login:name:")?.split(':').next()?;
            Some((hash.to_string(), until?))
        })
        .collect())
}

/// Deletes keys not touched since `cutoff` (their score has decayed to nothing).
pub fn purge(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(throttles::table.filter(throttles::updated_at.lt(cutoff))).execute(conn)
}
