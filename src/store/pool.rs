//! Expert pools (专家库): one entry per expert per committee.

use super::schema::{accounts, panel_members, pool_entries};
use super::{decode, DbConnection};
use crate::domain::committee::PoolDraft;
use crate::domain::{AccountId, CommitteeId, PoolEntryId, RoundId, TitleLevel};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = pool_entries)]
struct Row {
    id: i64,
    committee_id: i64,
    account_id: i64,
    title_name: String,
    title_level: String,
    series: String,
    specialty: String,
    employer_name: String,
    employer_code: String,
    term_from: NaiveDate,
    term_until: NaiveDate,
    skilled_worker: bool,
    apprentices: String,
    active: bool,
    removed_reason: String,
    version: i32,
}

/// An entry of a committee's pool, with the expert's account name and login.
#[derive(Debug, Clone)]
pub struct PoolEntry {
    pub id: PoolEntryId,
    pub committee: CommitteeId,
    pub account: AccountId,
    pub name: String,
    pub login_name: String,
    pub title_name: String,
    pub title_level: TitleLevel,
    pub series: String,
    pub specialty: String,
    pub employer_name: String,
    pub employer_code: String,
    pub term_from: NaiveDate,
    pub term_until: NaiveDate,
    pub skilled_worker: bool,
    pub apprentices: Vec<String>,
    pub active: bool,
    pub removed_reason: String,
    pub version: i32,
    /// Whether the expert's account may sign in (a disabled account reviews nothing).
    pub account_active: bool,
}

impl PoolEntry {
    /// Whether the expert may be given a case: in the pool and able to sign in.
    pub fn may_review(&self) -> bool {
        self.active && self.account_active
    }
}

fn entry(r: Row, login_name: String, name: String, account_active: bool) -> QueryResult<PoolEntry> {
    Ok(PoolEntry {
        id: PoolEntryId(r.id),
        committee: CommitteeId(r.committee_id),
        account: AccountId(r.account_id),
        name,
        login_name,
        title_level: decode(&r.title_level, TitleLevel::parse, "title level")?,
        title_name: r.title_name,
        series: r.series,
        specialty: r.specialty,
        employer_name: r.employer_name,
        employer_code: r.employer_code,
        term_from: r.term_from,
        term_until: r.term_until,
        skilled_worker: r.skilled_worker,
        apprentices: serde_json::from_str(&r.apprentices).unwrap_or_default(),
        active: r.active,
        removed_reason: r.removed_reason,
        version: r.version,
        account_active,
    })
}

macro_rules! entries {
    () => {
        pool_entries::table.inner_join(accounts::table).select((
            Row::as_select(),
            accounts::login_name,
            accounts::display_name,
            accounts::active,
        ))
    };
}

/// A committee's pool: active entries first, then by title level (highest first) and name.
pub fn of_committee(
    conn: &mut DbConnection,
    committee: CommitteeId,
) -> QueryResult<Vec<PoolEntry>> {
    let rows: Vec<(Row, String, String, bool)> = super::load_rows!(
        conn,
        entries!()
            .filter(pool_entries::committee_id.eq(committee.0))
            .order((pool_entries::active.desc(), accounts::login_name.asc()))
    )?;
    let mut out: Vec<PoolEntry> = rows
        .into_iter()
        .map(|(r, login, name, on)| entry(r, login, name, on))
        .collect::<QueryResult<_>>()?;
    out.sort_by(|a, b| {
        b.active
            .cmp(&a.active)
            .then(b.title_level.cmp(&a.title_level))
            .then(a.login_name.cmp(&b.login_name))
    });
    Ok(out)
}

/// The pool entries of a round's panel, in the order drawn.
pub fn of_panel(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<PoolEntry>> {
    let rows: Vec<(Row, String, String, bool)> = super::load_rows!(
        conn,
        panel_members::table
            .inner_join(pool_entries::table.inner_join(accounts::table))
            .filter(panel_members::round_id.eq(round.0))
            .order(panel_members::position.asc())
            .select((
                Row::as_select(),
                accounts::login_name,
                accounts::display_name,
                accounts::active,
            ))
    )?;
    rows.into_iter()
        .map(|(r, login, name, on)| entry(r, login, name, on))
        .collect()
}

pub fn find(conn: &mut DbConnection, id: PoolEntryId) -> QueryResult<Option<PoolEntry>> {
    let row: Option<(Row, String, String, bool)> =
        super::first_row!(conn, entries!().filter(pool_entries::id.eq(id.0)))?;
    row.map(|(r, login, name, on)| entry(r, login, name, on))
        .transpose()
}

/// Whether the expert already has an entry in the committee's pool.
pub fn has_entry(
    conn: &mut DbConnection,
    committee: CommitteeId,
    account: AccountId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        pool_entries::table
            .filter(pool_entries::committee_id.eq(committee.0))
            .filter(pool_entries::account_id.eq(account.0)),
    ))
    .get_result(conn)
}

fn apprentices_json(d: &PoolDraft) -> String {
    serde_json::to_string(&d.apprentices).unwrap_or_else(|_| "[]".into())
}

pub fn insert(
    conn: &mut DbConnection,
    committee: CommitteeId,
    account: AccountId,
    d: &PoolDraft,
    now: NaiveDateTime,
) -> QueryResult<PoolEntryId> {
    diesel::insert_into(pool_entries::table)
        .values((
            pool_entries::committee_id.eq(committee.0),
            pool_entries::account_id.eq(account.0),
            pool_entries::title_name.eq(&d.title_name),
            pool_entries::title_level.eq(d.title_level.zh()),
            pool_entries::series.eq(&d.series),
            pool_entries::specialty.eq(&d.specialty),
            pool_entries::employer_name.eq(&d.employer_name),
            pool_entries::employer_code.eq(&d.employer_code),
            pool_entries::term_from.eq(d.term_from),
            pool_entries::term_until.eq(d.term_until),
            pool_entries::skilled_worker.eq(d.skilled_worker),
            pool_entries::apprentices.eq(apprentices_json(d)),
            pool_entries::active.eq(true),
            pool_entries::removed_reason.eq(""),
            pool_entries::version.eq(1),
            pool_entries::updated_at.eq(now),
        ))
        .execute(conn)?;
    pool_entries::table
        .filter(pool_entries::committee_id.eq(committee.0))
        .filter(pool_entries::account_id.eq(account.0))
        .select(pool_entries::id)
        .first(conn)
        .map(PoolEntryId)
}

/// Changes an entry's record. `false` when the version moved on.
pub fn update(
    conn: &mut DbConnection,
    id: PoolEntryId,
    seen: i32,
    d: &PoolDraft,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        pool_entries::table
            .find(id.0)
            .filter(pool_entries::version.eq(seen)),
    )
    .set((
        pool_entries::title_name.eq(&d.title_name),
        pool_entries::title_level.eq(d.title_level.zh()),
        pool_entries::series.eq(&d.series),
        pool_entries::specialty.eq(&d.specialty),
        pool_entries::employer_name.eq(&d.employer_name),
        pool_entries::employer_code.eq(&d.employer_code),
        pool_entries::term_from.eq(d.term_from),
        pool_entries::term_until.eq(d.term_until),
        pool_entries::skilled_worker.eq(d.skilled_worker),
        pool_entries::apprentices.eq(apprentices_json(d)),
        pool_entries::version.eq(pool_entries::version + 1),
        pool_entries::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Removes an entry (with the reason) or puts it back (`None`). `false` when the version
/// moved on.
pub fn set_removed(
    conn: &mut DbConnection,
    id: PoolEntryId,
    seen: i32,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        pool_entries::table
            .find(id.0)
            .filter(pool_entries::version.eq(seen)),
    )
    .set((
        pool_entries::active.eq(reason.is_none()),
        pool_entries::removed_reason.eq(reason.unwrap_or("")),
        pool_entries::version.eq(pool_entries::version + 1),
        pool_entries::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}
