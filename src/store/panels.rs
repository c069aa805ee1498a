//! A round's panel draws, kept whole for replay, and its current members.

use super::schema::{panel_draws, panel_members};
use super::DbConnection;
use crate::domain::round::PanelRole;
use crate::domain::{AccountId, DrawId, PoolEntryId, RoundId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = panel_draws)]
struct Row {
    id: i64,
    round_id: i64,
    filters: String,
    candidates: String,
    seed: String,
    size: i32,
    drawn: String,
    drawn_at: NaiveDateTime,
    drawn_by: i64,
    discarded_at: Option<NaiveDateTime>,
    discarded_by: Option<i64>,
    discard_reason: String,
}

/// One draw as recorded: enough to replay it.
#[derive(Debug, Clone)]
pub struct Draw {
    pub id: DrawId,
    pub round: RoundId,
    /// The filters in words.
    pub filters: String,
    /// The candidates' pool entry ids in their recorded order (`3,5,8`).
    pub candidates: String,
    /// 64 hex digits.
    pub seed: String,
    pub size: usize,
    /// The panel drawn, in the order drawn.
    pub drawn: String,
    pub drawn_at: NaiveDateTime,
    pub drawn_by: AccountId,
    pub discarded_at: Option<NaiveDateTime>,
    pub discarded_by: Option<AccountId>,
    pub discard_reason: String,
}

impl From<Row> for Draw {
    fn from(r: Row) -> Draw {
        Draw {
            id: DrawId(r.id),
            round: RoundId(r.round_id),
            filters: r.filters,
            candidates: r.candidates,
            seed: r.seed,
            size: usize::try_from(r.size).unwrap_or(0),
            drawn: r.drawn,
            drawn_at: r.drawn_at,
            drawn_by: AccountId(r.drawn_by),
            discarded_at: r.discarded_at,
            discarded_by: r.discarded_by.map(AccountId),
            discard_reason: r.discard_reason,
        }
    }
}

/// What a new draw records.
pub struct NewDraw<'a> {
    pub round: RoundId,
    pub filters: &'a str,
    pub candidates: &'a str,
    pub seed: &'a str,
    pub size: usize,
    pub drawn: &'a [i64],
    pub by: AccountId,
    pub now: NaiveDateTime,
}

/// Records a draw and makes its panel the round's (replacing any members before).
pub fn insert(conn: &mut DbConnection, d: &NewDraw) -> QueryResult<DrawId> {
    let drawn = crate::panel::ids_text(d.drawn);
    diesel::insert_into(panel_draws::table)
        .values((
            panel_draws::round_id.eq(d.round.0),
            panel_draws::filters.eq(d.filters),
            panel_draws::candidates.eq(d.candidates),
            panel_draws::seed.eq(d.seed),
            panel_draws::size.eq(i32::try_from(d.size).unwrap_or(i32::MAX)),
            panel_draws::drawn.eq(&drawn),
            panel_draws::drawn_at.eq(d.now),
            panel_draws::drawn_by.eq(d.by.0),
            panel_draws::discard_reason.eq(""),
        ))
        .execute(conn)?;
    let id: i64 = panel_draws::table
        .filter(panel_draws::round_id.eq(d.round.0))
        .order(panel_draws::id.desc())
        .select(panel_draws::id)
        .first(conn)?;
    diesel::delete(panel_members::table.filter(panel_members::round_id.eq(d.round.0)))
        .execute(conn)?;
    // One row at a time: the panel is a few dozen rows, and a batch insert is not one query
    // for both backends.
    for (i, e) in d.drawn.iter().enumerate() {
        diesel::insert_into(panel_members::table)
            .values((
                panel_members::round_id.eq(d.round.0),
                panel_members::entry_id.eq(*e),
                panel_members::draw_id.eq(id),
                panel_members::position.eq(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                panel_members::role.eq(PanelRole::Member.code()),
            ))
            .execute(conn)?;
    }
    Ok(DrawId(id))
}

/// Marks the round's current draw discarded with its reason; its panel is no longer the
/// round's.
pub fn discard(
    conn: &mut DbConnection,
    draw: DrawId,
    by: AccountId,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        panel_draws::table
            .filter(panel_draws::id.eq(draw.0))
            .filter(panel_draws::discarded_at.is_null()),
    )
    .set((
        panel_draws::discarded_at.eq(Some(now)),
        panel_draws::discarded_by.eq(Some(by.0)),
        panel_draws::discard_reason.eq(reason),
    ))
    .execute(conn)?;
    diesel::delete(panel_members::table.filter(panel_members::draw_id.eq(draw.0))).execute(conn)?;
    Ok(n == 1)
}

/// A round's draws, newest first.
pub fn draws(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<Draw>> {
    Ok(panel_draws::table
        .filter(panel_draws::round_id.eq(round.0))
        .order(panel_draws::id.desc())
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Draw::from)
        .collect())
}

/// One draw of the round (`None` when the id is another round's).
pub fn find(conn: &mut DbConnection, round: RoundId, id: DrawId) -> QueryResult<Option<Draw>> {
    let row: Option<Row> = super::first_row!(
        conn,
        panel_draws::table
            .filter(panel_draws::id.eq(id.0))
            .filter(panel_draws::round_id.eq(round.0))
            .select(Row::as_select())
    )?;
    Ok(row.map(Draw::from))
}

/// A member of a round's panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub entry: PoolEntryId,
    pub draw: DrawId,
    /// 1-based, the order drawn.
    pub position: i32,
    pub role: PanelRole,
}

/// The round's panel, in the order drawn.
pub fn members(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<Member>> {
    let rows: Vec<(i64, i64, i32, String)> = panel_members::table
        .filter(panel_members::round_id.eq(round.0))
        .order(panel_members::position.asc())
        .select((
            panel_members::entry_id,
            panel_members::draw_id,
            panel_members::position,
            panel_members::role,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(e, d, p, r)| Member {
            entry: PoolEntryId(e),
            draw: DrawId(d),
            position: p,
            role: PanelRole::parse(&r).unwrap_or(PanelRole::Member),
        })
        .collect())
}

/// Designates the chair and vice-chairs; everyone else on the panel is a member.
pub fn designate(
    conn: &mut DbConnection,
    round: RoundId,
    chair: PoolEntryId,
    vices: &[PoolEntryId],
) -> QueryResult<()> {
    diesel::update(panel_members::table.filter(panel_members::round_id.eq(round.0)))
        .set(panel_members::role.eq(PanelRole::Member.code()))
        .execute(conn)?;
    diesel::update(
        panel_members::table
            .filter(panel_members::round_id.eq(round.0))
            .filter(panel_members::entry_id.eq(chair.0)),
    )
    .set(panel_members::role.eq(PanelRole::Chair.code()))
    .execute(conn)?;
    let vices: Vec<i64> = vices.iter().map(|v| v.0).collect();
    diesel::update(
        panel_members::table
            .filter(panel_members::round_id.eq(round.0))
            .filter(panel_members::entry_id.eq_any(&vices)),
    )
    .set(panel_members::role.eq(PanelRole::ViceChair.code()))
    .execute(conn)
    .map(drop)
}
