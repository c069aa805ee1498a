//! The catalogues: seeded with the shipped defaults on first start, read by the engine as a
//! plain `Catalogue`, changed by the admin.

use super::{audit_actor, ActionError, Actor};
use crate::domain::{AuditAction, Subject};
use crate::policy::catalogue::SeriesDef;
use crate::policy::{Catalogue, Correspondence, HonourDef};
use crate::store::audit::AuditActor;
use crate::store::catalogue::{self, CatalogueRows};
use crate::store::{self, audit, DbConnection, DbError};
use chrono::NaiveDateTime;

/// Loads the shipped catalogue when the tables are empty (first start). Idempotent.
pub fn seed_defaults(c: &mut DbConnection, now: NaiveDateTime) -> Result<bool, DbError> {
    store::write(c, |c| {
        if !catalogue::is_empty(c)? {
            return Ok(false);
        }
        let shipped = Catalogue::shipped();
        let rows = CatalogueRows {
            series: shipped
                .series()
                .iter()
                .map(|s| (s.name.clone(), s.open))
                .collect(),
            occupations: shipped
                .correspondences()
                .iter()
                .map(|c| {
                    let o = c.occupation.clone().unwrap_or_else(|| "*".into());
                    (o, c.series.clone(), c.specialty.clone())
                })
                .collect(),
            honours: shipped
                .honours()
                .iter()
                .map(|h| (h.name.clone(), h.level))
                .collect(),
        };
        catalogue::insert(c, &rows)?;
        audit::record(
            c,
            now,
            AuditActor::SYSTEM,
            AuditAction::CatalogueSeed,
            &Subject::Catalogue,
            "载入默认目录（贯通系列、职业对应表、荣誉目录）",
        )?;
        Ok(true)
    })
}

/// The catalogue as the engine reads it.
pub fn load(c: &mut DbConnection) -> Result<Catalogue, DbError> {
    let rows = catalogue::rows(c)?;
    Ok(Catalogue::new(
        rows.series
            .into_iter()
            .map(|(name, open)| SeriesDef { name, open })
            .collect(),
        rows.occupations
            .into_iter()
            .map(|(o, series, specialty)| Correspondence {
                occupation: (o != "*").then_some(o),
                series,
                specialty,
            })
            .collect(),
        rows.honours
            .into_iter()
            .map(|(name, level)| HonourDef { name, level })
            .collect(),
    ))
}

/// Opens or closes a series to the pathway (§2.1); `who` is `None` for the system itself.
/// Returns false when the series is unknown.
pub fn set_series_open(
    c: &mut DbConnection,
    who: Option<&Actor>,
    name: &str,
    open: bool,
    now: NaiveDateTime,
) -> Result<bool, ActionError> {
    if let Some(who) = who {
        crate::access::may_use_area(who.role, crate::domain::Role::Admin)?;
    }
    store::write(c, |c| {
        let changed = catalogue::set_series_open(c, name, open)?;
        if changed {
            audit::record(
                c,
                now,
                who.map_or(AuditActor::SYSTEM, audit_actor),
                AuditAction::CatalogueSeries,
                &Subject::Series(name.to_string()),
                if open {
                    "列入贯通领域"
                } else {
                    "移出贯通领域"
                },
            )?;
        }
        Ok(changed)
    })
}
