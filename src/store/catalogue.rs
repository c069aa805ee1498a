//! The catalogue tables as rows: series open to the pathway, occupation ↔ series/specialty rows
//! (`*` for every occupation), honours with their level. The service turns them into the engine's
//! plain `Catalogue`.

use super::schema::{catalogue_honours, catalogue_occupations, catalogue_series};
use super::{decode, DbConnection};
use crate::domain::TitleLevel;
use diesel::prelude::*;

/// Every row of the three catalogue tables, in their stored order.
#[derive(Debug, Clone, Default)]
pub struct CatalogueRows {
    /// (name, open to the pathway)
    pub series: Vec<(String, bool)>,
    /// (occupation or `*`, series, specialty)
    pub occupations: Vec<(String, String, String)>,
    /// (name, level)
    pub honours: Vec<(String, TitleLevel)>,
}

pub fn is_empty(conn: &mut DbConnection) -> QueryResult<bool> {
    let n: i64 = catalogue_series::table.count().get_result(conn)?;
    Ok(n == 0)
}

/// Inserts rows (the first start's defaults).
pub fn insert(conn: &mut DbConnection, rows: &CatalogueRows) -> QueryResult<()> {
    for (i, (name, open)) in rows.series.iter().enumerate() {
        diesel::insert_into(catalogue_series::table)
            .values((
                catalogue_series::name.eq(name),
                catalogue_series::open.eq(open),
                catalogue_series::position.eq(i as i32),
            ))
            .execute(conn)?;
    }
    for (occupation, series, specialty) in &rows.occupations {
        diesel::insert_into(catalogue_occupations::table)
            .values((
                catalogue_occupations::occupation.eq(occupation),
                catalogue_occupations::series.eq(series),
                catalogue_occupations::specialty.eq(specialty),
            ))
            .execute(conn)?;
    }
    for (i, (name, level)) in rows.honours.iter().enumerate() {
        diesel::insert_into(catalogue_honours::table)
            .values((
                catalogue_honours::name.eq(name),
                catalogue_honours::level.eq(level.zh()),
                catalogue_honours::position.eq(i as i32),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn rows(conn: &mut DbConnection) -> QueryResult<CatalogueRows> {
    let series = catalogue_series::table
        .order(catalogue_series::position.asc())
        .select((catalogue_series::name, catalogue_series::open))
        .load(conn)?;
    let occupations = catalogue_occupations::table
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
    Ok(CatalogueRows {
        series,
        occupations,
        honours: honours
            .into_iter()
            .map(|(name, level)| Ok((name, decode(&level, TitleLevel::parse, "title level")?)))
            .collect::<QueryResult<_>>()?,
    })
}

/// Opens or closes a series; false when the series is unknown.
pub fn set_series_open(conn: &mut DbConnection, name: &str, open: bool) -> QueryResult<bool> {
    let n = diesel::update(catalogue_series::table.find(name))
        .set(catalogue_series::open.eq(open))
        .execute(conn)?;
    Ok(n == 1)
}
