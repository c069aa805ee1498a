//! Applications and their sections: rows and queries. Deciding what may change is the
//! service's; every state change goes through `service::transition`, which alone calls
//! [`set_state`].

use super::schema::{application_frozen, application_sections, applications, reference_counters};
use super::{decode, DbConnection};
use crate::application::{Section, SectionRecord};
use crate::domain::{AccountId, ApplicationId, CommitteeId, Pathway, RoundId, State};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = applications)]
struct Row {
    id: i64,
    applicant_id: i64,
    employer_id: Option<i64>,
    round_id: Option<i64>,
    pathway: String,
    state: String,
    version: i32,
    reference: Option<String>,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    updated_at: NaiveDateTime,
    submitted_at: Option<super::stamp::Stamp>,
    employer_code: Option<String>,
    summary: Option<String>,
    committee_id: Option<i64>,
}

/// An application as stored, its codes read strictly.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: ApplicationId,
    pub applicant: AccountId,
    pub employer: Option<AccountId>,
    /// The credit code the application names; `employer` is set once a verified employer holds it.
    pub employer_code: Option<String>,
    pub round: Option<RoundId>,
    pub pathway: Pathway,
    pub state: State,
    pub version: i32,
    pub reference: Option<String>,
    /// The frozen dossier (JSON of `application::Snapshot`), from submission on.
    pub snapshot: Option<String>,
    /// The frozen verdict (JSON of `policy::Verdict`), from submission on.
    pub verdict: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    /// What lists show, frozen at submission (JSON of `application::ListSummary`).
    pub summary: Option<String>,
    /// The committee it was recommended to (its round's, set by the recommendation).
    pub committee: Option<CommitteeId>,
}

impl TryFrom<Row> for Application {
    type Error = diesel::result::Error;
    fn try_from(r: Row) -> QueryResult<Application> {
        Ok(Application {
            id: ApplicationId(r.id),
            applicant: AccountId(r.applicant_id),
            employer: r.employer_id.map(AccountId),
            employer_code: r.employer_code,
            round: r.round_id.map(RoundId),
            pathway: decode(&r.pathway, Pathway::parse, "pathway")?,
            state: decode(&r.state, State::parse, "state")?,
            version: r.version,
            reference: r.reference,
            snapshot: None,
            verdict: None,
            created_at: r.created_at,
            updated_at: r.updated_at,
            submitted_at: r.submitted_at.map(NaiveDateTime::from),
            summary: r.summary,
            committee: r.committee_id.map(CommitteeId),
        })
    }
}

/// A row of the employer's list as the list query reads it: which application, and what moves
/// with each of its transitions. What the row shows besides is read by [`list_details`], only
/// for the rows the page does not already hold rendered (`web::employer::home`).
#[derive(Queryable, Selectable)]
#[diesel(table_name = applications)]
struct KeyRow {
    id: i64,
    state: String,
    version: i32,
}

/// An application on the employer's list: its id, state and version. Every change to what its
/// row shows (the state, or what submission froze: the reference, the summary, the submission
/// time) is made by a transition, which moves the version on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListKey {
    pub id: ApplicationId,
    pub state: State,
    /// The version a list row shows (a batch action checks it).
    pub version: i32,
}

impl TryFrom<KeyRow> for ListKey {
    type Error = diesel::result::Error;
    fn try_from(r: KeyRow) -> QueryResult<ListKey> {
        Ok(ListKey {
            id: ApplicationId(r.id),
            state: decode(&r.state, State::parse, "state")?,
            version: r.version,
        })
    }
}

/// What a row of the employer's list shows besides its key: frozen at submission.
#[derive(Debug, Clone)]
pub struct ListDetail {
    pub id: ApplicationId,
    /// The version these were read at: on PostgreSQL the keys and the details are two
    /// statements, and a transition may come between them.
    pub version: i32,
    pub reference: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    /// JSON of `application::ListSummary`.
    pub summary: Option<String>,
    /// Its employer has recorded a verification.
    pub verified: bool,
    /// Whether that verification's record makes the applicant eligible (`None`: not verified,
    /// or not decided when it was recorded).
    pub eligible: Option<bool>,
    /// Its current publicity's first and last day.
    pub publicity: Option<(NaiveDate, NaiveDate)>,
}

type DetailRow = (
    i64,
    i32,
    Option<String>,
    Option<super::stamp::Stamp>,
    Option<String>,
    bool,
    Option<bool>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

super::json_each_query!(
    /// [`list_details`] on SQLite: one primary-key seek per id.
    DetailsSqlite,
    (
        diesel::sql_types::BigInt,
        diesel::sql_types::Integer,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
        diesel::sql_types::Nullable<diesel::sql_types::Timestamp>,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
        diesel::sql_types::Bool,
        diesel::sql_types::Nullable<diesel::sql_types::Bool>,
        diesel::sql_types::Nullable<diesel::sql_types::Date>,
        diesel::sql_types::Nullable<diesel::sql_types::Date>,
    ),
    "SELECT a.id, a.version, a.reference, a.submitted_at, a.summary, \
     EXISTS (SELECT 1 FROM employer_reviews AS r \
             WHERE r.application_id = a.id AND r.employer_id = a.employer_id), \
     (SELECT r.eligible FROM employer_reviews AS r \
             WHERE r.application_id = a.id AND r.employer_id = a.employer_id), \
     a.publicity_starts_on, a.publicity_ends_on",
    "CROSS JOIN applications AS a ON a.id = j.value"
);

/// [`list_details`] on PostgreSQL: `= ANY($1)` is one bind, and cached.
macro_rules! details_pg {
    ($ids:expr) => {
        applications::table
            .filter(applications::id.eq_any($ids))
            .select((
                applications::id,
                applications::version,
                applications::reference,
                applications::submitted_at,
                applications::summary,
                diesel::dsl::exists(
                    crate::store::schema::employer_reviews::table
                        .filter(
                            crate::store::schema::employer_reviews::application_id
                                .eq(applications::id),
                        )
                        .filter(
                            crate::store::schema::employer_reviews::employer_id
                                .nullable()
                                .eq(applications::employer_id),
                        ),
                ),
                crate::store::schema::employer_reviews::table
                    .filter(
                        crate::store::schema::employer_reviews::application_id.eq(applications::id),
                    )
                    .filter(
                        crate::store::schema::employer_reviews::employer_id
                            .nullable()
                            .eq(applications::employer_id),
                    )
                    .select(crate::store::schema::employer_reviews::eligible)
                    .single_value(),
                applications::publicity_starts_on,
                applications::publicity_ends_on,
            ))
    };
}

/// What the rows of `ids` show besides their keys (one query; in no particular order). The ids
/// come from a list query, which decided whose they may be.
pub fn list_details(
    conn: &mut DbConnection,
    ids: &[ApplicationId],
) -> QueryResult<Vec<ListDetail>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = ids.iter().map(|a| a.0).collect();
    let rows: Vec<DetailRow> = match conn {
        DbConnection::Sqlite(c) => DetailsSqlite::new(&ids).load(c)?,
        DbConnection::Pg(c) => details_pg!(&ids).load(c)?,
    };
    Ok(rows
        .into_iter()
        .map(
            |(id, version, reference, submitted_at, summary, verified, eligible, starts, ends)| {
                ListDetail {
                    id: ApplicationId(id),
                    version,
                    reference,
                    submitted_at: submitted_at.map(NaiveDateTime::from),
                    summary,
                    verified,
                    eligible,
                    publicity: starts.zip(ends),
                }
            },
        )
        .collect())
}

/// An application as its applicant's list shows it: only what the row needs.
#[derive(Queryable, Selectable)]
#[diesel(table_name = applications)]
struct OwnRow {
    id: i64,
    employer_id: Option<i64>,
    employer_code: Option<String>,
    state: String,
    reference: Option<String>,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    updated_at: NaiveDateTime,
}

/// A row of an applicant's own list.
#[derive(Debug, Clone)]
pub struct OwnItem {
    pub id: ApplicationId,
    pub employer: Option<AccountId>,
    pub employer_code: Option<String>,
    pub state: State,
    pub reference: Option<String>,
    pub updated_at: NaiveDateTime,
}

impl TryFrom<OwnRow> for OwnItem {
    type Error = diesel::result::Error;
    fn try_from(r: OwnRow) -> QueryResult<OwnItem> {
        Ok(OwnItem {
            id: ApplicationId(r.id),
            employer: r.employer_id.map(AccountId),
            employer_code: r.employer_code,
            state: decode(&r.state, State::parse, "state")?,
            reference: r.reference,
            updated_at: r.updated_at,
        })
    }
}

/// Inserts a draft with every section empty at version 0; returns its id.
pub fn insert_draft(
    conn: &mut DbConnection,
    applicant: AccountId,
    now: NaiveDateTime,
) -> QueryResult<ApplicationId> {
    diesel::insert_into(applications::table)
        .values((
            applications::applicant_id.eq(applicant.0),
            applications::pathway.eq(Pathway::Title.as_str()),
            applications::state.eq(State::Draft.as_str()),
            applications::version.eq(1),
            applications::created_at.eq(now),
            applications::updated_at.eq(now),
        ))
        .execute(conn)?;
    let id: i64 = applications::table
        .filter(applications::applicant_id.eq(applicant.0))
        .select(applications::id)
        .order(applications::id.desc())
        .first(conn)?;
    for section in Section::ALL {
        diesel::insert_into(application_sections::table)
            .values((
                application_sections::application_id.eq(id),
                application_sections::section.eq(section.slug()),
                application_sections::data.eq(None::<String>),
                application_sections::version.eq(0),
                application_sections::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(ApplicationId(id))
}

/// The application, its row locked until the transaction ends (PostgreSQL: `FOR UPDATE`; SQLite's
/// write transactions are serialised already), so that of two people acting at once the second
/// sees the first one's version and is told it changed.
pub fn find_for_update(
    conn: &mut DbConnection,
    id: ApplicationId,
) -> QueryResult<Option<Application>> {
    if let DbConnection::Pg(c) = conn {
        applications::table
            .find(id.0)
            .select(applications::id)
            .for_update()
            .first::<i64>(c)
            .optional()?;
    }
    find(conn, id)
}

/// An application without its frozen dossier and verdict (`snapshot` and `verdict` are `None`
/// even once submitted): for pages that show neither, as they are the largest values it has.
pub fn find_without_frozen(
    conn: &mut DbConnection,
    id: ApplicationId,
) -> QueryResult<Option<Application>> {
    let row: Option<Row> = super::first_row!(
        conn,
        applications::table.find(id.0).select(Row::as_select())
    )?;
    row.map(Application::try_from).transpose()
}

/// An application, with its frozen dossier and verdict once submitted.
pub fn find(conn: &mut DbConnection, id: ApplicationId) -> QueryResult<Option<Application>> {
    let Some(mut app) = find_without_frozen(conn, id)? else {
        return Ok(None);
    };
    if app.reference.is_some() {
        let frozen: Option<(String, String)> = super::first_row!(
            conn,
            application_frozen::table
                .find(id.0)
                .select((application_frozen::snapshot, application_frozen::verdict))
        )?;
        (app.snapshot, app.verdict) = frozen.unzip();
    }
    Ok(Some(app))
}

/// Where a keyset page starts: the newest rows, those older than an id, or the oldest rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyset {
    Newest,
    Before(i64),
    Oldest,
}

macro_rules! applicant_page {
    ($applicant:expr, $before:expr, $limit:expr) => {
        applications::table
            .filter(applications::applicant_id.eq($applicant))
            .filter(applications::id.lt($before))
            .order(applications::id.desc())
            .limit($limit)
            .select(OwnRow::as_select())
    };
}

/// An applicant's applications, newest first, `limit` at most (a keyset page).
pub fn for_applicant(
    conn: &mut DbConnection,
    applicant: AccountId,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<OwnItem>> {
    let rows: Vec<OwnRow> = super::load_rows!(
        conn,
        applicant_page!(applicant.0, before.unwrap_or(i64::MAX), limit)
    )?;
    rows.into_iter().map(OwnItem::try_from).collect()
}

/// The tabs of an employer's list (筛选): which applications it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmployerTab {
    All,
    /// 待审核
    Review,
    /// 公示中: publicity not yet over.
    Publicity,
    /// 待推荐: publicity over, no decision yet.
    Ready,
    /// 已推荐: with the committee, whatever happened there.
    Recommended,
    /// 已退回: sent back to the applicant to revise.
    Returned,
    /// 未推荐
    NotRecommended,
    /// 已聘任
    Appointed,
}

impl EmployerTab {
    pub const ALL: [EmployerTab; 8] = [
        EmployerTab::All,
        EmployerTab::Review,
        EmployerTab::Publicity,
        EmployerTab::Ready,
        EmployerTab::Recommended,
        EmployerTab::Returned,
        EmployerTab::NotRecommended,
        EmployerTab::Appointed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EmployerTab::All => "",
            EmployerTab::Review => "review",
            EmployerTab::Publicity => "publicity",
            EmployerTab::Ready => "ready",
            EmployerTab::Recommended => "recommended",
            EmployerTab::Returned => "returned",
            EmployerTab::NotRecommended => "not_recommended",
            EmployerTab::Appointed => "appointed",
        }
    }

    pub fn parse(s: &str) -> EmployerTab {
        EmployerTab::ALL
            .into_iter()
            .find(|t| t.code() == s)
            .unwrap_or(EmployerTab::All)
    }

    pub fn label(self) -> &'static str {
        match self {
            EmployerTab::All => "全部",
            EmployerTab::Review => "待审核",
            EmployerTab::Publicity => "公示中",
            EmployerTab::Ready => "待推荐",
            EmployerTab::Recommended => "已推荐",
            EmployerTab::Returned => "已退回",
            EmployerTab::NotRecommended => "未推荐",
            EmployerTab::Appointed => "已聘任",
        }
    }
}

/// An employer's list: a tab, an optional search (a reference number, or the start of a name),
/// and the day publicity is judged over on.
#[derive(Debug, Clone)]
pub struct EmployerFilter {
    pub tab: EmployerTab,
    pub search: Option<String>,
    pub today: NaiveDate,
}

/// The names starting with `prefix`, as a range an index seeks: `[prefix, next)` where `next` is
/// the prefix with its last character moved one up (typed `%` and `_` are plain characters).
fn prefix_range(prefix: &str) -> (String, String) {
    let mut next: Vec<char> = prefix.chars().collect();
    if let Some(last) = next.pop() {
        next.push(char::from_u32(last as u32 + 1).unwrap_or(char::MAX));
    }
    (prefix.to_string(), next.into_iter().collect())
}

/// `… = ?`, the employer: the rows its whole list shows (all but drafts never submitted), written
/// exactly as migration 000017 indexes it (`applications_employer_shown`). An index on an
/// expression serves only that expression, so change both together; the plan test requires
/// the seek.
const SHOWN_TO_EMPLOYER: &str =
    "(CASE WHEN state <> 'draft' OR reference IS NOT NULL THEN employer_id END) = ";

/// `SHOWN_TO_EMPLOYER ?` as a filter. Not `diesel::dsl::sql`: a query holding a literal is
/// never a cached statement, and preparing it again was a fifth of the list page.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
struct ShownTo(i64);

impl diesel::expression::Expression for ShownTo {
    type SqlType = diesel::sql_types::Bool;
}

impl diesel::expression::ValidGrouping<()> for ShownTo {
    type IsAggregate = diesel::expression::is_aggregate::No;
}

impl diesel::expression::AppearsOnTable<applications::table> for ShownTo {}

macro_rules! shown_to_sql {
    ($backend:ty) => {
        impl diesel::query_builder::QueryFragment<$backend> for ShownTo {
            fn walk_ast<'b>(
                &'b self,
                mut out: diesel::query_builder::AstPass<'_, 'b, $backend>,
            ) -> QueryResult<()> {
                out.push_sql(SHOWN_TO_EMPLOYER);
                out.push_bind_param::<diesel::sql_types::BigInt, _>(&self.0)
            }
        }
    };
}
shown_to_sql!(diesel::sqlite::Sqlite);
shown_to_sql!(diesel::pg::Pg);

macro_rules! employer_filtered {
    ($employer:expr, $filter:expr, $before:expr, $ascending:expr, $limit:expr) => {{
        let f: &EmployerFilter = $filter;
        let mut q = applications::table.into_boxed();
        // A search is two index seeks (a reference number, or a name's start) joined by OR, each
        // within the employer; without one, the employer's own range.
        q = match &f.search {
            // The whole list: one range of the rows it shows (migration 000017's index).
            None if f.tab == EmployerTab::All => q.filter(ShownTo($employer)),
            Some(s) => {
                let (from, to) = prefix_range(s);
                q.filter(
                    applications::employer_id
                        .eq($employer)
                        .and(applications::reference.eq(s.to_uppercase()))
                        .or(applications::employer_id
                            .eq($employer)
                            .and(applications::applicant_name.ge(from))
                            .and(applications::applicant_name.lt(to))),
                )
            }
            None => q.filter(applications::employer_id.eq($employer)),
        };
        q = match f.tab {
            EmployerTab::All if f.search.is_none() => q,
            EmployerTab::All => q.filter(
                applications::state
                    .ne(State::Draft.as_str())
                    .or(applications::reference.is_not_null()),
            ),
            EmployerTab::Review => q.filter(applications::state.eq(State::EmployerReview.as_str())),
            EmployerTab::Publicity => q
                .filter(applications::state.eq(State::EmployerPublicity.as_str()))
                .filter(applications::publicity_ends_on.ge(f.today)),
            EmployerTab::Ready => q
                .filter(applications::state.eq(State::EmployerPublicity.as_str()))
                .filter(applications::publicity_ends_on.lt(f.today)),
            EmployerTab::Recommended => {
                // Equalities joined by OR, not `eq_any`: its `IN (?, …)` is never a cached
                // statement, so SQLite would prepare this query again on every request.
                let [a, b, c, d, e, f, g, h] = State::WITH_COMMITTEE.map(State::as_str);
                let s = applications::state;
                q.filter(
                    s.eq(a)
                        .or(s.eq(b))
                        .or(s.eq(c))
                        .or(s.eq(d))
                        .or(s.eq(e))
                        .or(s.eq(f))
                        .or(s.eq(g))
                        .or(s.eq(h)),
                )
            }
            EmployerTab::Returned => q
                .filter(applications::state.eq(State::Draft.as_str()))
                .filter(applications::reference.is_not_null()),
            EmployerTab::NotRecommended => q.filter(applications::state.eq(State::Closed.as_str())),
            EmployerTab::Appointed => q.filter(applications::state.eq(State::Appointed.as_str())),
        };
        if $ascending {
            q.order(applications::id.asc())
        } else {
            q.filter(applications::id.lt($before))
                .order(applications::id.desc())
        }
        .limit($limit)
        .select(KeyRow::as_select())
    }};
}

/// A keyset page of the employer's applications in a tab, matching the search.
pub fn for_employer_filtered(
    conn: &mut DbConnection,
    employer: AccountId,
    filter: &EmployerFilter,
    keyset: Keyset,
    limit: i64,
) -> QueryResult<Vec<ListKey>> {
    let rows: Vec<KeyRow> = match keyset {
        Keyset::Newest => super::load_rows!(
            conn,
            employer_filtered!(employer.0, filter, i64::MAX, false, limit)
        )?,
        Keyset::Before(id) => super::load_rows!(
            conn,
            employer_filtered!(employer.0, filter, id, false, limit)
        )?,
        Keyset::Oldest => {
            let mut rows: Vec<KeyRow> = super::load_rows!(
                conn,
                employer_filtered!(employer.0, filter, i64::MAX, true, limit)
            )?;
            rows.reverse();
            rows
        }
    };
    rows.into_iter().map(ListKey::try_from).collect()
}

/// The employer's per-state counters (migration 000011's triggers keep them) and, in the same
/// statement, its applications whose publicity still runs (公示中) under the state `''`: counted
/// over a range of `applications_employer_publicity` (employer, state, end date), only those
/// publicised in the last few working days, where the ones that are over pile up until the
/// employer decides. One statement, not two: a statement's fixed cost was a third of the counts.
#[derive(Debug, Clone, diesel::query_builder::QueryId)]
struct CountsQuery {
    employer: i64,
    publicity: &'static str,
    today: NaiveDate,
}

impl CountsQuery {
    fn new(employer: i64, today: NaiveDate) -> CountsQuery {
        CountsQuery {
            employer,
            publicity: State::EmployerPublicity.as_str(),
            today,
        }
    }
}

impl diesel::query_builder::Query for CountsQuery {
    type SqlType = (diesel::sql_types::Text, diesel::sql_types::BigInt);
}

/// The same SQL on both backends, each with its own bind markers.
macro_rules! counts_sql {
    ($backend:ty) => {
        impl diesel::query_builder::QueryFragment<$backend> for CountsQuery {
            fn walk_ast<'b>(
                &'b self,
                mut out: diesel::query_builder::AstPass<'_, 'b, $backend>,
            ) -> QueryResult<()> {
                use diesel::sql_types::{BigInt, Date, Text};
                out.push_sql("SELECT state, n FROM employer_state_counts WHERE employer_id = ");
                out.push_bind_param::<BigInt, _>(&self.employer)?;
                out.push_sql(
                    " UNION ALL SELECT '', COUNT(*) FROM applications \
                     WHERE employer_id = ",
                );
                out.push_bind_param::<BigInt, _>(&self.employer)?;
                out.push_sql(" AND state = ");
                out.push_bind_param::<Text, _>(&self.publicity)?;
                out.push_sql(" AND publicity_ends_on >= ");
                out.push_bind_param::<Date, _>(&self.today)?;
                Ok(())
            }
        }
    };
}
counts_sql!(diesel::sqlite::Sqlite);
counts_sql!(diesel::pg::Pg);

impl<C> RunQueryDsl<C> for CountsQuery {}

/// How many of the employer's applications each tab holds: the per-state counters, and the
/// publicities still running (the rest of the state's count is over: publicity sets the end date
/// in the same transaction), in one statement ([`CountsQuery`]).
pub fn employer_counts(
    conn: &mut DbConnection,
    employer: AccountId,
    today: NaiveDate,
) -> QueryResult<Vec<(EmployerTab, i64)>> {
    // Returned drafts are the only drafts counted.
    let mut by_state: Vec<(String, i64)> =
        super::load_rows!(conn, CountsQuery::new(employer.0, today))?;
    let running = match by_state.iter().position(|(s, _)| s.is_empty()) {
        Some(at) => by_state.swap_remove(at).1,
        None => 0,
    };
    let of = |list: &[State]| -> i64 {
        by_state
            .iter()
            .filter(|(s, _)| list.iter().any(|l| l.as_str() == s))
            .map(|(_, n)| n)
            .sum()
    };
    let all: i64 = by_state.iter().map(|(_, n)| n).sum();
    let returned = of(&[State::Draft]);
    let in_publicity = of(&[State::EmployerPublicity]);
    let publicity_over = (in_publicity - running).max(0);
    Ok(vec![
        (EmployerTab::All, all),
        (EmployerTab::Review, of(&[State::EmployerReview])),
        (EmployerTab::Publicity, running),
        (EmployerTab::Ready, publicity_over),
        (EmployerTab::Recommended, of(&State::WITH_COMMITTEE)),
        (EmployerTab::Returned, returned),
        (EmployerTab::NotRecommended, of(&[State::Closed])),
        (EmployerTab::Appointed, of(&[State::Appointed])),
    ])
}

macro_rules! sections_query {
    ($id:expr) => {
        application_sections::table
            .filter(application_sections::application_id.eq($id))
            .select((
                application_sections::section,
                application_sections::data,
                application_sections::version,
            ))
    };
}

super::json_each_query!(
    /// [`references`] on SQLite: one primary-key seek per id.
    ReferencesSqlite,
    (
        diesel::sql_types::BigInt,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
    ),
    "SELECT a.id, a.reference",
    "CROSS JOIN applications AS a ON a.id = j.value"
);

/// [`references`] on PostgreSQL: `= ANY($1)` is one bind, and cached.
macro_rules! references_pg {
    ($ids:expr) => {
        applications::table
            .filter(applications::id.eq_any($ids))
            .select((applications::id, applications::reference))
    };
}

/// The reference numbers of applications (a never-submitted draft has none), in one query for a
/// page that names several (the audit log).
pub fn references(
    conn: &mut DbConnection,
    ids: &[ApplicationId],
) -> QueryResult<Vec<(ApplicationId, Option<String>)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = ids.iter().map(|a| a.0).collect();
    let rows: Vec<(i64, Option<String>)> = match conn {
        DbConnection::Sqlite(c) => ReferencesSqlite::new(&ids).load(c)?,
        DbConnection::Pg(c) => references_pg!(&ids).load(c)?,
    };
    Ok(rows
        .into_iter()
        .map(|(id, r)| (ApplicationId(id), r))
        .collect())
}

/// The list queries above, for the plan test.
pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    let q = |name, s: String, p: String| super::plans::ListQuery::new(name, s, p);
    let today = NaiveDate::from_ymd_opt(2026, 9, 21).expect("a date");
    let all = EmployerFilter {
        tab: EmployerTab::All,
        search: None,
        today,
    };
    let tab = EmployerFilter {
        tab: EmployerTab::Ready,
        search: None,
        today,
    };
    let review = EmployerFilter {
        tab: EmployerTab::Review,
        search: None,
        today,
    };
    let search = EmployerFilter {
        tab: EmployerTab::All,
        search: Some("王".into()),
        today,
    };
    let committee = EmployerFilter {
        tab: EmployerTab::Recommended,
        search: None,
        today,
    };
    let ids = [3i64, 5, 9];
    vec![
        q(
            "applications named on a page (their references)",
            diesel::debug_query::<Sqlite, _>(&ReferencesSqlite::new(&ids)).to_string(),
            diesel::debug_query::<Pg, _>(&references_pg!(&ids)).to_string(),
        ),
        q(
            "applications of an applicant",
            diesel::debug_query::<Sqlite, _>(&applicant_page!(7i64, 1000i64, 51i64)).to_string(),
            diesel::debug_query::<Pg, _>(&applicant_page!(7i64, 1000i64, 51i64)).to_string(),
        ),
        // The rows the list shows and no others: never the employer's drafts skipped one by one.
        q(
            "employer's applications, a page",
            diesel::debug_query::<Sqlite, _>(&employer_filtered!(
                7i64, &all, 1000i64, false, 51i64
            ))
            .to_string(),
            diesel::debug_query::<Pg, _>(&employer_filtered!(7i64, &all, 1000i64, false, 51i64))
                .to_string(),
        )
        .seeking("COVERING INDEX applications_employer_shown (<expr>=? AND id<?)"),
        q(
            "employer's applications, the last page",
            diesel::debug_query::<Sqlite, _>(&employer_filtered!(7i64, &all, 0i64, true, 51i64))
                .to_string(),
            diesel::debug_query::<Pg, _>(&employer_filtered!(7i64, &all, 0i64, true, 51i64))
                .to_string(),
        )
        .seeking("COVERING INDEX applications_employer_shown (<expr>=?)"),
        q(
            "employer's applications in a tab",
            diesel::debug_query::<Sqlite, _>(&employer_filtered!(
                7i64, &tab, 1000i64, false, 51i64
            ))
            .to_string(),
            diesel::debug_query::<Pg, _>(&employer_filtered!(7i64, &tab, 1000i64, false, 51i64))
                .to_string(),
        )
        .seeking("COVERING INDEX applications_employer_state (employer_id=? AND state=? AND id<?)"),
        // Its own rows only, from the index: not the employer's whole range filtered by state.
        q(
            "employer's applications in a one-state tab",
            diesel::debug_query::<Sqlite, _>(&employer_filtered!(
                7i64, &review, 1000i64, false, 51i64
            ))
            .to_string(),
            diesel::debug_query::<Pg, _>(&employer_filtered!(7i64, &review, 1000i64, false, 51i64))
                .to_string(),
        )
        .seeking("COVERING INDEX applications_employer_state (employer_id=? AND state=? AND id<?)"),
        q(
            "employer's applications with the committee (a tab of several states)",
            diesel::debug_query::<Sqlite, _>(&employer_filtered!(
                7i64, &committee, 1000i64, false, 51i64
            ))
            .to_string(),
            diesel::debug_query::<Pg, _>(&employer_filtered!(
                7i64, &committee, 1000i64, false, 51i64
            ))
            .to_string(),
        ),
        q(
            "employer's applications found by name or reference",
            diesel::debug_query::<Sqlite, _>(&employer_filtered!(
                7i64, &search, 1000i64, false, 51i64
            ))
            .to_string(),
            diesel::debug_query::<Pg, _>(&employer_filtered!(7i64, &search, 1000i64, false, 51i64))
                .to_string(),
        ),
        // The rows a page does not hold rendered: one primary-key seek each (the alias hides a
        // scan from the plan test's table names, so the seek is required by name).
        q(
            "employer's list rows shown",
            diesel::debug_query::<Sqlite, _>(&DetailsSqlite::new(&[3, 5, 8])).to_string(),
            diesel::debug_query::<Pg, _>(&details_pg!(&[3i64, 5, 8])).to_string(),
        )
        .seeking("SEARCH a USING INTEGER PRIMARY KEY (rowid=?)"),
        // A short range of its own index, not the state's every row.
        q(
            "employer's tab counts and publicities still running",
            diesel::debug_query::<Sqlite, _>(&CountsQuery::new(7, today)).to_string(),
            diesel::debug_query::<Pg, _>(&CountsQuery::new(7, today)).to_string(),
        )
        .seeking(
            "COVERING INDEX applications_employer_publicity (employer_id=? AND state=? AND publicity_ends_on>?)",
        ),
        // One seek into the clustered table (migration 000016), not an index and then the table.
        q(
            "sections of an application",
            diesel::debug_query::<Sqlite, _>(&sections_query!(7i64)).to_string(),
            diesel::debug_query::<Pg, _>(&sections_query!(7i64)).to_string(),
        )
        .seeking("application_sections USING PRIMARY KEY (application_id=?)"),
    ]
}

/// Every section of an application with its stored JSON and version.
pub fn sections(conn: &mut DbConnection, id: ApplicationId) -> QueryResult<Vec<SectionRecord>> {
    let rows: Vec<(String, Option<String>, i32)> = super::load_rows!(conn, sections_query!(id.0))?;
    rows.into_iter()
        .map(|(s, data, version)| {
            Ok(SectionRecord {
                section: decode(&s, Section::parse, "section")?,
                data,
                version,
            })
        })
        .collect()
}

/// One section's stored JSON and version.
pub fn section(
    conn: &mut DbConnection,
    id: ApplicationId,
    section: Section,
) -> QueryResult<(Option<String>, i32)> {
    let row: Option<(Option<String>, i32)> = super::first_row!(
        conn,
        application_sections::table
            .find((id.0, section.slug()))
            .select((application_sections::data, application_sections::version))
    )?;
    row.ok_or(diesel::result::Error::NotFound)
}

/// `UPDATE … WHERE version = expected`: false when another save came first.
pub fn update_section(
    conn: &mut DbConnection,
    id: ApplicationId,
    section: Section,
    expected_version: i32,
    data: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        application_sections::table
            .filter(application_sections::application_id.eq(id.0))
            .filter(application_sections::section.eq(section.slug()))
            .filter(application_sections::version.eq(expected_version)),
    )
    .set((
        application_sections::data.eq(Some(data)),
        application_sections::version.eq(application_sections::version + 1),
        application_sections::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Names the employer who reviews it (its code, and its account once verified) and the round;
/// marks the application as changed.
pub fn set_links(
    conn: &mut DbConnection,
    id: ApplicationId,
    employer: Option<(Option<String>, Option<AccountId>)>,
    round: Option<Option<RoundId>>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if let Some((code, employer)) = employer {
        diesel::update(applications::table.find(id.0))
            .set((
                applications::employer_id.eq(employer.map(|e| e.0)),
                applications::employer_code.eq(code),
            ))
            .execute(conn)?;
    }
    if let Some(round) = round {
        diesel::update(applications::table.find(id.0))
            .set(applications::round_id.eq(round.map(|r| r.0)))
            .execute(conn)?;
    }
    diesel::update(applications::table.find(id.0))
        .set(applications::updated_at.eq(now))
        .execute(conn)
        .map(drop)
}

/// Whether the applicant has another application in this round that is still alive (not
/// withdrawn, not closed).
pub fn other_in_round(
    conn: &mut DbConnection,
    applicant: AccountId,
    round: RoundId,
    except: ApplicationId,
) -> QueryResult<bool> {
    let found: Option<i64> = super::first_row!(
        conn,
        applications::table
            .filter(applications::applicant_id.eq(applicant.0))
            .filter(applications::round_id.eq(round.0))
            .filter(applications::id.ne(except.0))
            .filter(applications::state.ne(State::Withdrawn.as_str()))
            .filter(applications::state.ne(State::Closed.as_str()))
            .select(applications::id)
    )?;
    Ok(found.is_some())
}

/// Hands the applications naming a code, which waited for a verified employer, to it.
pub fn bind_employer(
    conn: &mut DbConnection,
    code: &str,
    employer: AccountId,
) -> QueryResult<usize> {
    diesel::update(
        applications::table
            .filter(applications::employer_code.eq(code))
            .filter(applications::employer_id.is_null()),
    )
    .set(applications::employer_id.eq(employer.0))
    .execute(conn)
}

/// Moves the application to `to` when its version is still `expected_version`: the one write
/// of an application's state, made only by `service::transition`. False when it moved on.
pub fn set_state(
    conn: &mut DbConnection,
    id: ApplicationId,
    expected_version: i32,
    to: State,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        applications::table
            .filter(applications::id.eq(id.0))
            .filter(applications::version.eq(expected_version)),
    )
    .set((
        applications::state.eq(to.as_str()),
        applications::version.eq(applications::version + 1),
        applications::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// What submission freezes: the reference number, the dossier, the verdict, and what lists show.
#[allow(clippy::too_many_arguments)]
pub fn freeze(
    conn: &mut DbConnection,
    id: ApplicationId,
    reference: &str,
    applicant_name: &str,
    snapshot: &str,
    verdict: &str,
    summary: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    // A resubmission replaces what the first submission froze.
    diesel::delete(application_frozen::table.find(id.0)).execute(conn)?;
    diesel::insert_into(application_frozen::table)
        .values((
            application_frozen::application_id.eq(id.0),
            application_frozen::snapshot.eq(snapshot),
            application_frozen::verdict.eq(verdict),
        ))
        .execute(conn)?;
    diesel::update(applications::table.find(id.0))
        .set((
            applications::reference.eq(Some(reference)),
            applications::applicant_name.eq(Some(applicant_name)),
            applications::summary.eq(Some(summary)),
            applications::submitted_at.eq(Some(now)),
            // A (re)submission starts the employer's stage afresh: no publicity is running.
            applications::publicity_starts_on.eq(None::<chrono::NaiveDate>),
            applications::publicity_ends_on.eq(None::<chrono::NaiveDate>),
        ))
        .execute(conn)
        .map(drop)
}

/// The year's next reference number, counted in the database.
pub fn next_reference_number(conn: &mut DbConnection, year: i32) -> QueryResult<i32> {
    if let DbConnection::Pg(c) = conn {
        // Two submissions at once must not read the same last number (SQLite's write
        // transactions are already serialised).
        diesel::sql_query("SELECT pg_advisory_xact_lock(7302)").execute(c)?;
    }
    let last: Option<i32> = reference_counters::table
        .find(year)
        .select(reference_counters::last)
        .first(conn)
        .optional()?;
    let next = last.unwrap_or(0) + 1;
    if last.is_some() {
        diesel::update(reference_counters::table.find(year))
            .set(reference_counters::last.eq(next))
            .execute(conn)?;
    } else {
        diesel::insert_into(reference_counters::table)
            .values((
                reference_counters::year.eq(year),
                reference_counters::last.eq(next),
            ))
            .execute(conn)?;
    }
    Ok(next)
}

/// Whether any application of the round has been submitted (its verdicts were frozen on the
/// round's reference date).
pub fn any_submitted_in_round(conn: &mut DbConnection, round: RoundId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        applications::table
            .filter(applications::round_id.eq(round.0))
            .filter(applications::reference.is_not_null()),
    ))
    .get_result(conn)
}

/// Whether any application of the round was recommended to its committee.
pub fn any_recommended_in_round(conn: &mut DbConnection, round: RoundId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        applications::table
            .filter(applications::round_id.eq(round.0))
            .filter(applications::committee_id.is_not_null()),
    ))
    .get_result(conn)
}

/// Sets the committee an application is recommended to (its round's), in the recommendation's
/// transaction.
pub fn set_committee(
    conn: &mut DbConnection,
    id: ApplicationId,
    committee: CommitteeId,
) -> QueryResult<()> {
    diesel::update(applications::table.find(id.0))
        .set(applications::committee_id.eq(Some(committee.0)))
        .execute(conn)
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::pg::Pg;
    use diesel::query_builder::QueryFragment;
    use diesel::sqlite::Sqlite;

    /// Whether diesel keeps the query's prepared statement on both backends (a `sql` literal or
    /// an `IN (?, …)` list makes it prepare the query again on every call).
    fn cached<Q: QueryFragment<Sqlite> + QueryFragment<Pg>>(q: &Q) -> bool {
        QueryFragment::<Sqlite>::is_safe_to_cache_prepared(q, &Sqlite).unwrap()
            && QueryFragment::<Pg>::is_safe_to_cache_prepared(q, &Pg).unwrap()
    }

    #[test]
    fn the_employers_list_queries_are_prepared_once() {
        let today = NaiveDate::from_ymd_opt(2026, 9, 21).unwrap();
        for tab in EmployerTab::ALL {
            for search in [None, Some("王".to_string())] {
                let f = EmployerFilter {
                    tab,
                    search: search.clone(),
                    today,
                };
                for ascending in [false, true] {
                    let q = employer_filtered!(7i64, &f, 1000i64, ascending, 21i64);
                    let sqlite = QueryFragment::<Sqlite>::is_safe_to_cache_prepared(&q, &Sqlite);
                    assert!(sqlite.unwrap(), "{tab:?} {search:?} {ascending}");
                    let q = employer_filtered!(7i64, &f, 1000i64, ascending, 21i64);
                    let pg = QueryFragment::<Pg>::is_safe_to_cache_prepared(&q, &Pg);
                    assert!(pg.unwrap(), "{tab:?} {search:?} {ascending}");
                }
            }
        }
        assert!(cached(&CountsQuery::new(7, today)));
        assert!(QueryFragment::<Sqlite>::is_safe_to_cache_prepared(
            &DetailsSqlite::new(&[3, 5]),
            &Sqlite
        )
        .unwrap());
        assert!(
            QueryFragment::<Pg>::is_safe_to_cache_prepared(&details_pg!(&[3i64, 5]), &Pg).unwrap()
        );
        // The expression names the draft state by its stored code (as migration 000017 does).
        assert!(SHOWN_TO_EMPLOYER.contains(&format!("state <> '{}'", State::Draft.as_str())));
        // The literal this replaced is not: the test sees the difference.
        let literal = applications::table
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>(SHOWN_TO_EMPLOYER)
                    .bind::<diesel::sql_types::BigInt, _>(7i64),
            )
            .select(applications::id);
        assert!(!QueryFragment::<Sqlite>::is_safe_to_cache_prepared(&literal, &Sqlite).unwrap());
    }
}
