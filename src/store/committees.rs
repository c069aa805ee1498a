//! Committees (评审委员会), their occupation scope and office accounts: rows and queries.

use super::schema::{accounts, committee_occupations, committee_state_counts, committees};
use super::{decode, DbConnection};
use crate::domain::committee::{parse_levels, Registration, Standing};
use crate::domain::{AccountId, CommitteeId, Role, State, TitleLevel};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = committees)]
struct Row {
    id: i64,
    name: String,
    series: String,
    specialty: String,
    levels: String,
    sponsor: String,
    registration_number: String,
    registered_on: Option<NaiveDate>,
    registered_until: Option<NaiveDate>,
    suspended_on: Option<NaiveDate>,
    suspended_reason: String,
    set_up: bool,
    version: i32,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    updated_at: NaiveDateTime,
}

/// A committee as stored.
#[derive(Debug, Clone)]
pub struct Committee {
    pub id: CommitteeId,
    pub name: String,
    pub series: String,
    /// Empty when organised by whole series.
    pub specialty: String,
    /// Highest first.
    pub levels: Vec<TitleLevel>,
    pub sponsor: String,
    pub registration_number: String,
    pub registered_on: Option<NaiveDate>,
    pub registered_until: Option<NaiveDate>,
    pub suspended_on: Option<NaiveDate>,
    pub suspended_reason: String,
    /// False for a placeholder made from an existing round (未完成设置).
    pub set_up: bool,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

impl From<Row> for Committee {
    fn from(r: Row) -> Committee {
        Committee {
            id: CommitteeId(r.id),
            name: r.name,
            series: r.series,
            specialty: r.specialty,
            levels: parse_levels(&r.levels),
            sponsor: r.sponsor,
            registration_number: r.registration_number,
            registered_on: r.registered_on,
            registered_until: r.registered_until,
            suspended_on: r.suspended_on,
            suspended_reason: r.suspended_reason,
            set_up: r.set_up,
            version: r.version,
            updated_at: r.updated_at,
        }
    }
}

impl Committee {
    pub fn registration(&self) -> Registration {
        Registration {
            set_up: self.set_up,
            registered_on: self.registered_on,
            registered_until: self.registered_until,
            suspended_on: self.suspended_on,
        }
    }

    pub fn standing(&self, today: NaiveDate) -> Standing {
        crate::domain::committee::standing(&self.registration(), today)
    }

    /// What it reviews, in a phrase: "工程系列 机械专业 中级、初级".
    pub fn scope_text(&self) -> String {
        let levels: Vec<&str> = self.levels.iter().map(|l| l.zh()).collect();
        let mut out = String::new();
        if !self.series.is_empty() {
            out.push_str(&self.series);
            out.push_str("系列");
        }
        if !self.specialty.is_empty() {
            out.push(' ');
            out.push_str(&self.specialty);
            out.push_str("专业");
        }
        if !levels.is_empty() {
            out.push(' ');
            out.push_str(&levels.join("、"));
        }
        if out.is_empty() {
            "（未设置）".into()
        } else {
            out
        }
    }
}

/// The columns a committee's description sets.
pub struct Description<'a> {
    pub name: &'a str,
    pub series: &'a str,
    pub specialty: &'a str,
    pub levels: &'a str,
    pub sponsor: &'a str,
}

pub fn name_taken(
    conn: &mut DbConnection,
    name: &str,
    except: Option<CommitteeId>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        committees::table
            .filter(committees::name.eq(name))
            .filter(committees::id.ne(except.map_or(0, |c| c.0))),
    ))
    .get_result(conn)
}

/// Inserts a committee (set up, unregistered) and returns its id.
pub fn insert(
    conn: &mut DbConnection,
    d: &Description,
    now: NaiveDateTime,
) -> QueryResult<CommitteeId> {
    diesel::insert_into(committees::table)
        .values((
            committees::name.eq(d.name),
            committees::series.eq(d.series),
            committees::specialty.eq(d.specialty),
            committees::levels.eq(d.levels),
            committees::sponsor.eq(d.sponsor),
            committees::registration_number.eq(""),
            committees::suspended_reason.eq(""),
            committees::set_up.eq(true),
            committees::version.eq(1),
            committees::created_at.eq(now),
            committees::updated_at.eq(now),
        ))
        .execute(conn)?;
    committees::table
        .filter(committees::name.eq(d.name))
        .select(committees::id)
        .first(conn)
        .map(CommitteeId)
}

/// Changes the description; completes a placeholder. `false` when the version moved on.
pub fn update(
    conn: &mut DbConnection,
    id: CommitteeId,
    seen: i32,
    d: &Description,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        committees::table
            .find(id.0)
            .filter(committees::version.eq(seen)),
    )
    .set((
        committees::name.eq(d.name),
        committees::series.eq(d.series),
        committees::specialty.eq(d.specialty),
        committees::levels.eq(d.levels),
        committees::sponsor.eq(d.sponsor),
        committees::set_up.eq(true),
        committees::version.eq(committees::version + 1),
        committees::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Records a registration (or its renewal). `false` when the version moved on.
pub fn register(
    conn: &mut DbConnection,
    id: CommitteeId,
    seen: i32,
    number: &str,
    from: NaiveDate,
    until: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        committees::table
            .find(id.0)
            .filter(committees::version.eq(seen)),
    )
    .set((
        committees::registration_number.eq(number),
        committees::registered_on.eq(Some(from)),
        committees::registered_until.eq(Some(until)),
        committees::version.eq(committees::version + 1),
        committees::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Suspends (`Some`) or resumes (`None`) a committee. `false` when the version moved on.
pub fn set_suspended(
    conn: &mut DbConnection,
    id: CommitteeId,
    seen: i32,
    suspended: Option<(NaiveDate, &str)>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        committees::table
            .find(id.0)
            .filter(committees::version.eq(seen)),
    )
    .set((
        committees::suspended_on.eq(suspended.map(|s| s.0)),
        committees::suspended_reason.eq(suspended.map_or("", |s| s.1)),
        committees::version.eq(committees::version + 1),
        committees::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Every committee, by name.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Committee>> {
    Ok(super::load_rows!(
        conn,
        committees::table
            .order((committees::name.asc(), committees::id.asc()))
            .select(Row::as_select())
    )?
    .into_iter()
    .map(Committee::from)
    .collect())
}

pub fn find(conn: &mut DbConnection, id: CommitteeId) -> QueryResult<Option<Committee>> {
    let row: Option<Row> =
        super::first_row!(conn, committees::table.find(id.0).select(Row::as_select()))?;
    Ok(row.map(Committee::from))
}

/// Whether another committee holds this registration number.
pub fn registration_taken(
    conn: &mut DbConnection,
    number: &str,
    except: CommitteeId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        committees::table
            .filter(committees::registration_number.eq(number))
            .filter(committees::id.ne(except.0)),
    ))
    .get_result(conn)
}

/// The committee's occupation scope, sorted.
pub fn occupations(conn: &mut DbConnection, id: CommitteeId) -> QueryResult<Vec<String>> {
    committee_occupations::table
        .filter(committee_occupations::committee_id.eq(id.0))
        .order(committee_occupations::occupation.asc())
        .select(committee_occupations::occupation)
        .load(conn)
}

/// Whether the committee's scope lists the occupation (`None`: it declares no scope): two seeks
/// of its primary key, not the whole scope read.
pub fn scope_has(
    conn: &mut DbConnection,
    id: CommitteeId,
    occupation: &str,
) -> QueryResult<Option<bool>> {
    use committee_occupations as o;
    let listed: bool = diesel::select(diesel::dsl::exists(
        o::table
            .filter(o::committee_id.eq(id.0))
            .filter(o::occupation.eq(occupation)),
    ))
    .get_result(conn)?;
    if listed {
        return Ok(Some(true));
    }
    let any: bool = diesel::select(diesel::dsl::exists(
        o::table.filter(o::committee_id.eq(id.0)),
    ))
    .get_result(conn)?;
    Ok(any.then_some(false))
}

/// Replaces the committee's occupation scope.
pub fn set_occupations(
    conn: &mut DbConnection,
    id: CommitteeId,
    occupations: &[String],
) -> QueryResult<()> {
    diesel::delete(
        committee_occupations::table.filter(committee_occupations::committee_id.eq(id.0)),
    )
    .execute(conn)?;
    for o in occupations {
        diesel::insert_into(committee_occupations::table)
            .values((
                committee_occupations::committee_id.eq(id.0),
                committee_occupations::occupation.eq(o),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// An office account as a committee's page lists it.
#[derive(Debug, Clone, Queryable)]
pub struct OfficeAccount {
    pub id: i64,
    pub login_name: String,
    pub display_name: String,
    pub active: bool,
    pub committee_id: Option<i64>,
}

/// Every office account, by login name, with the committee each belongs to.
macro_rules! offices {
    () => {
        accounts::table
            .filter(accounts::role.eq(Role::Office.as_str()))
            .order(accounts::login_name.asc())
            .select((
                accounts::id,
                accounts::login_name,
                accounts::display_name,
                accounts::active,
                accounts::committee_id,
            ))
    };
}

pub fn office_accounts(conn: &mut DbConnection) -> QueryResult<Vec<OfficeAccount>> {
    offices!().load(conn)
}

/// One committee's office accounts (a committee's page), read by the committee's index.
pub fn offices_of(
    conn: &mut DbConnection,
    committee: CommitteeId,
) -> QueryResult<Vec<OfficeAccount>> {
    offices!()
        .filter(accounts::committee_id.eq(Some(committee.0)))
        .load(conn)
}

/// The reads above, for the plan test: the office list seeks its role in the index, never
/// walking every account.
pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    vec![super::plans::ListQuery::new(
        "office accounts",
        diesel::debug_query::<Sqlite, _>(&offices!()).to_string(),
        diesel::debug_query::<Pg, _>(&offices!()).to_string(),
    )]
}

/// Moves an office account to a committee (an office account belongs to exactly one).
pub fn assign_office(
    conn: &mut DbConnection,
    account: AccountId,
    committee: CommitteeId,
) -> QueryResult<bool> {
    diesel::update(
        accounts::table
            .find(account.0)
            .filter(accounts::role.eq(Role::Office.as_str())),
    )
    .set(accounts::committee_id.eq(Some(committee.0)))
    .execute(conn)
    .map(|n| n == 1)
}

/// How many of the committee's applications are in each state (kept by triggers).
pub fn state_counts(conn: &mut DbConnection, id: CommitteeId) -> QueryResult<Vec<(State, i64)>> {
    let rows: Vec<(String, i64)> = super::load_rows!(
        conn,
        committee_state_counts::table
            .filter(committee_state_counts::committee_id.eq(id.0))
            .select((committee_state_counts::state, committee_state_counts::n))
    )?;
    rows.into_iter()
        .map(|(s, n)| Ok((decode(&s, State::parse, "state")?, n)))
        .collect()
}

/// Every committee's count per state (the supervisor's overview): (committee, state, n).
pub fn all_state_counts(conn: &mut DbConnection) -> QueryResult<Vec<(CommitteeId, State, i64)>> {
    let rows: Vec<(i64, String, i64)> = committee_state_counts::table
        .select((
            committee_state_counts::committee_id,
            committee_state_counts::state,
            committee_state_counts::n,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(c, s, n)| Ok((CommitteeId(c), decode(&s, State::parse, "state")?, n)))
        .collect()
}
