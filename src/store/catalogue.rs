//! The catalogues in the database, loaded with the shipped defaults on first start and read by the
//! policy engine through a plain [`Catalogue`].

use super::audit::{self, Actor};
use super::schema::{catalogue_honours, catalogue_occupations, catalogue_series};
use super::DbConnection;
use crate::policy::catalogue::SeriesDef;
use crate::policy::{Catalogue, Correspondence, HonourDef, TitleLevel};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Loads the shipped catalogue when the tables are empty (first start). Idempotent.
pub fn seed_defaults(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<bool> {
    super::write(conn, |conn| {
        let existing: i64 = catalogue_series::table.count().get_result(conn)?;
        if existing > 0 {
            return Ok(false);
        }
        let shipped = Catalogue::shipped();
        for (i, s) in shipped.series().iter().enumerate() {
            diesel::insert_into(catalogue_series::table)
                .values((
                    catalogue_series::name.eq(&s.name),
                    catalogue_series::open.eq(s.open),
                    catalogue_series::position.eq(i as i32),
                ))
                .execute(conn)?;
        }
        for c in shipped.correspondences() {
            diesel::insert_into(catalogue_occupations::table)
                .values((
                    catalogue_occupations::occupation.eq(c.occupation.as_deref().unwrap_or("*")),
                    catalogue_occupations::series.eq(&c.series),
                    catalogue_occupations::specialty.eq(&c.specialty),
                ))
                .execute(conn)?;
        }
        for (i, h) in shipped.honours().iter().enumerate() {
            diesel::insert_into(catalogue_honours::table)
                .values((
                    catalogue_honours::name.eq(&h.name),
                    catalogue_honours::level.eq(h.level.zh()),
                    catalogue_honours::position.eq(i as i32),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            now,
            Actor::SYSTEM,
            "catalogue.seed",
            "catalogue",
            "载入默认目录（贯通系列、职业对应表、荣誉目录）",
        )?;
        Ok(true)
    })
}

/// The catalogue as the engine reads it.
pub fn load(conn: &mut DbConnection) -> QueryResult<Catalogue> {
    let series: Vec<(String, bool)> = catalogue_series::table
        .order(catalogue_series::position.asc())
        .select((catalogue_series::name, catalogue_series::open))
        .load(conn)?;
    let rows: Vec<(String, String, String)> = catalogue_occupations::table
        .order(catalogue_occupations::id.asc())
        .select((
            catalogue_occupations::occupation,
            catalogue_occupations::series,
            catalogue_occupations::specialty,
        ))
        .load(conn)?;
    let honours: Vec<(String, String)> = catalogue_honours::table
        .order(catalogue_honours::position.asc())
        .select((catalogue_honours::name, catalogue_honours::level))
        .load(conn)?;
    Ok(Catalogue::new(
        series
            .into_iter()
            .map(|(name, open)| SeriesDef { name, open })
            .collect(),
        rows.into_iter()
            .map(|(o, series, specialty)| Correspondence {
                occupation: (o != "*").then_some(o),
                series,
                specialty,
            })
            .collect(),
        honours
            .into_iter()
            .filter_map(|(name, level)| {
                TitleLevel::parse(&level).map(|level| HonourDef { name, level })
            })
            .collect(),
    ))
}

/// Opens or closes a series to the pathway (§2.1). Returns false when the series is unknown.
pub fn set_series_open(
    conn: &mut DbConnection,
    name: &str,
    open: bool,
    by: Actor<'_>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    super::write(conn, |conn| {
        let n = diesel::update(catalogue_series::table.find(name))
            .set(catalogue_series::open.eq(open))
            .execute(conn)?;
        if n == 1 {
            let detail = if open {
                "列入贯通领域"
            } else {
                "移出贯通领域"
            };
            audit::record(
                conn,
                now,
                by,
                "catalogue.series",
                &format!("series:{name}"),
                detail,
            )?;
        }
        Ok(n == 1)
    })
}
