//! Stored configuration rows (`domain::settings` reads them).

use super::schema::settings;
use super::DbConnection;
use crate::domain::settings::Scope;
use crate::domain::AccountId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// One stored value: its scope, key and text.
#[derive(Debug, Clone)]
pub struct SettingRow {
    pub scope: Scope,
    pub key: String,
    pub value: String,
}

/// Every stored value (a few per scope).
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<SettingRow>> {
    let rows: Vec<(String, i64, String, String)> = settings::table
        .select((
            settings::scope,
            settings::scope_id,
            settings::key,
            settings::value,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, id, key, value)| {
            Some(SettingRow {
                scope: Scope::from_parts(&kind, id)?,
                key,
                value,
            })
        })
        .collect())
}

/// Sets (`Some`) or clears (`None`) one value at a scope.
pub fn put(
    conn: &mut DbConnection,
    scope: Scope,
    key: &str,
    value: Option<&str>,
    by: AccountId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (kind, id) = scope.parts();
    let row = settings::table
        .filter(settings::scope.eq(kind))
        .filter(settings::scope_id.eq(id))
        .filter(settings::key.eq(key));
    diesel::delete(row).execute(conn)?;
    if let Some(value) = value {
        diesel::insert_into(settings::table)
            .values((
                settings::scope.eq(kind),
                settings::scope_id.eq(id),
                settings::key.eq(key),
                settings::value.eq(value),
                settings::updated_by.eq(by.0),
                settings::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
