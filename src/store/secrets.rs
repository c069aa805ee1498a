//! Secrets kept in the database so that every instance agrees on them.

use super::schema::server_secrets;
use super::DbConnection;
use diesel::prelude::*;

/// The secret named `name`, created from `fresh` on first use (the first writer wins).
pub fn get_or_create(
    conn: &mut DbConnection,
    name: &str,
    fresh: impl FnOnce() -> String,
) -> QueryResult<String> {
    super::write(conn, |conn| {
        let existing: Option<String> = server_secrets::table
            .find(name)
            .select(server_secrets::value)
            .first(conn)
            .optional()?;
        if let Some(value) = existing {
            return Ok(value);
        }
        let value = fresh();
        diesel::insert_into(server_secrets::table)
            .values((
                server_secrets::name.eq(name),
                server_secrets::value.eq(&value),
            ))
            .execute(conn)?;
        Ok(value)
    })
}
