//! Decaying scores per key (a client address, an account at an address, a hashed ID number).

use super::schema::throttles;
use super::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The stored score of a key and when it was last updated.
pub fn get(conn: &mut DbConnection, key: &str) -> QueryResult<Option<(f64, NaiveDateTime)>> {
    throttles::table
        .find(key)
        .select((throttles::score, throttles::updated_at))
        .first(conn)
        .optional()
}

/// Stores a key's score as of `now`.
pub fn set(conn: &mut DbConnection, key: &str, score: f64, now: NaiveDateTime) -> QueryResult<()> {
    let n = diesel::update(throttles::table.find(key))
        .set((throttles::score.eq(score), throttles::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(throttles::table)
            .values((
                throttles::key.eq(key),
                throttles::score.eq(score),
                throttles::updated_at.eq(now),
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

/// Deletes keys not touched since `cutoff` (their score has decayed to nothing).
pub fn purge(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(throttles::table.filter(throttles::updated_at.lt(cutoff))).execute(conn)
}
