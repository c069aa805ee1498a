//! The review of accepted applications: one review case per application, the panel members
//! assigned to it, and the conflicts of interest found or declared. Rows in, rows out; the
//! rules are the service's and the planner's (`panel::assign`).

use super::schema::{applications, assignments, conflicts, panel_members, review_cases, reviews};
use super::DbConnection;
use crate::domain::{AccountId, ApplicationId, CommitteeId, PoolEntryId, RoundId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Takes the round's assignment lease for the rest of the transaction: two offices (or two
/// instances) planning one round at once queue here instead of both counting the same loads.
/// SQLite's write transactions are already one at a time.
pub fn lease_round(conn: &mut DbConnection, round: RoundId) -> QueryResult<()> {
    if let DbConnection::Pg(c) = conn {
        let key = i32::try_from(round.0).unwrap_or(i32::MAX);
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock(7303, {key})")).execute(c)?;
    }
    Ok(())
}

/// An application under review.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = review_cases)]
pub struct ReviewCase {
    pub application_id: i64,
    pub round_id: i64,
    pub committee_id: i64,
    pub specialty: String,
    pub assigned: i32,
    pub version: i32,
    pub updated_at: NaiveDateTime,
    /// The title level it is reviewed at (a `TitleLevel` code; empty for cases opened before
    /// the level was kept).
    pub level: String,
    /// Submitted reviews by experts still on the case, and their aggregates (see
    /// `rubric::stats::aggregate`), written when a review is submitted or reopened or an
    /// expert leaves the case.
    pub submitted: i32,
    pub mean_milli: i64,
    pub median_milli: i64,
    pub spread_milli: i64,
    pub stddev_milli: i64,
    pub vetoes: i32,
    pub widest: String,
    /// This case takes reviews until this day, past the round's scoring deadline.
    pub extended_until: Option<chrono::NaiveDate>,
    /// Scoring closed: the case went to the committee's meeting.
    pub closed: bool,
    pub group_opinion: String,
    pub group_opinion_by: Option<i64>,
    pub group_opinion_at: Option<NaiveDateTime>,
    pub group_version: i32,
}

/// Opens the review of an accepted application (nothing when it has one).
pub fn open_case(
    conn: &mut DbConnection,
    app: ApplicationId,
    round: RoundId,
    committee: CommitteeId,
    specialty: &str,
    level: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if find_case(conn, app)?.is_some() {
        return Ok(());
    }
    diesel::insert_into(review_cases::table)
        .values((
            review_cases::application_id.eq(app.0),
            review_cases::round_id.eq(round.0),
            review_cases::committee_id.eq(committee.0),
            review_cases::specialty.eq(specialty),
            review_cases::level.eq(level),
            review_cases::assigned.eq(0),
            review_cases::version.eq(1),
            review_cases::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

pub fn find_case(conn: &mut DbConnection, app: ApplicationId) -> QueryResult<Option<ReviewCase>> {
    super::first_row!(
        conn,
        review_cases::table
            .find(app.0)
            .select(ReviewCase::as_select())
    )
}

/// Sets a case's specialty (read again from its dossier).
pub fn set_specialty(
    conn: &mut DbConnection,
    app: ApplicationId,
    specialty: &str,
) -> QueryResult<()> {
    diesel::update(review_cases::table.find(app.0))
        .set(review_cases::specialty.eq(specialty))
        .execute(conn)
        .map(drop)
}

/// Changes a case's count of experts by `delta`, at the version the caller saw (`None`: any);
/// false when the case changed meanwhile.
pub fn count_change(
    conn: &mut DbConnection,
    app: ApplicationId,
    seen: Option<i32>,
    delta: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = review_cases::table.filter(review_cases::application_id.eq(app.0));
    let set = (
        review_cases::assigned.eq(review_cases::assigned + delta),
        review_cases::version.eq(review_cases::version + 1),
        review_cases::updated_at.eq(now),
    );
    let n = match seen {
        Some(v) => diesel::update(target.filter(review_cases::version.eq(v)))
            .set(set)
            .execute(conn)?,
        None => diesel::update(target).set(set).execute(conn)?,
    };
    Ok(n == 1)
}

/// Every case of a round, by application (the planner and the detection read them all).
pub fn cases_of_round(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<ReviewCase>> {
    review_cases::table
        .inner_join(applications::table)
        .filter(review_cases::round_id.eq(round.0))
        // Only those still under review (a range of states, one today).
        .filter(applications::state.eq_any([crate::domain::State::ExpertReview.as_str()]))
        .select(ReviewCase::as_select())
        .load(conn)
}

/// A round's cases below `minimum` experts: fewest first, then by application.
macro_rules! below_from {
    ($round:expr, $from:expr, $minimum:expr, $limit:expr) => {
        review_cases::table
            .filter(review_cases::round_id.eq($round))
            .filter(review_cases::assigned.ge($from))
            .filter(review_cases::assigned.lt($minimum))
            .order((
                review_cases::assigned.asc(),
                review_cases::application_id.asc(),
            ))
            .limit($limit)
            .select((review_cases::application_id, review_cases::assigned))
    };
}

/// The rest of one count after an application.
macro_rules! below_after {
    ($round:expr, $count:expr, $after:expr, $limit:expr) => {
        review_cases::table
            .filter(review_cases::round_id.eq($round))
            .filter(review_cases::assigned.eq($count))
            .filter(review_cases::application_id.gt($after))
            .order(review_cases::application_id.asc())
            .limit($limit)
            .select((review_cases::application_id, review_cases::assigned))
    };
}

/// A page of the round's cases below the minimum, after `(count, application)`: the rest of
/// that count, then the higher counts, each one index range.
pub fn below_minimum(
    conn: &mut DbConnection,
    round: RoundId,
    minimum: i32,
    after: Option<(i32, i64)>,
    limit: i64,
) -> QueryResult<Vec<(i64, i32)>> {
    let mut out: Vec<(i64, i32)> = Vec::new();
    let from = match after {
        Some((count, id)) => {
            out = below_after!(round.0, count, id, limit).load(conn)?;
            // A count past any real one (typed into the page's link) leaves nothing after it.
            count.saturating_add(1)
        }
        None => 0,
    };
    let rest = limit - out.len() as i64;
    if rest > 0 {
        out.extend(below_from!(round.0, from, minimum, rest).load::<(i64, i32)>(conn)?);
    }
    Ok(out)
}

/// How many of the round's cases are below the minimum, up to `bound`.
pub fn count_below(
    conn: &mut DbConnection,
    round: RoundId,
    minimum: i32,
    bound: i64,
) -> QueryResult<i64> {
    let ids: Vec<i64> = review_cases::table
        .filter(review_cases::round_id.eq(round.0))
        .filter(review_cases::assigned.lt(minimum))
        .select(review_cases::application_id)
        .limit(bound)
        .load(conn)?;
    Ok(ids.len() as i64)
}

/// One panel member on one case.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = assignments)]
pub struct Assignment {
    pub application_id: i64,
    pub entry_id: i64,
    pub account_id: i64,
    pub round_id: i64,
    pub active: bool,
    pub assigned_at: NaiveDateTime,
    pub assigned_by: i64,
    pub ended_at: Option<NaiveDateTime>,
    pub ended_by: Option<i64>,
    pub conflict_id: Option<i64>,
}

/// Every assignment of a case, ended ones too, in pool order.
pub fn of_case(conn: &mut DbConnection, app: ApplicationId) -> QueryResult<Vec<Assignment>> {
    // On the backend's own connection: its prepared statement is cached (every scoring page
    // and save reads this).
    super::load_rows!(
        conn,
        assignments::table
            .filter(assignments::application_id.eq(app.0))
            .order(assignments::entry_id.asc())
            .select(Assignment::as_select())
    )
}

/// Where an expert stands on a case: assigned (`Some(true)`), recused or removed
/// (`Some(false)`), never assigned (`None`). Read on every page an expert opens.
pub fn standing(
    conn: &mut DbConnection,
    app: ApplicationId,
    account: AccountId,
) -> QueryResult<Option<bool>> {
    // Two seeks of the expert's index (account, active, application): the case's own key
    // would do too, but the planner may prefer the expert's index and then scan its whole range.
    for active in [true, false] {
        let found: Vec<i64> = super::load_rows!(
            conn,
            assignments::table
                .filter(assignments::account_id.eq(account.0))
                .filter(assignments::active.eq(active))
                .filter(assignments::application_id.eq(app.0))
                .select(assignments::entry_id)
                .limit(1)
        )?;
        if !found.is_empty() {
            return Ok(Some(active));
        }
    }
    Ok(None)
}

/// Every assignment of a round: (application, member, active, ended for a conflict).
pub fn of_round(
    conn: &mut DbConnection,
    round: RoundId,
) -> QueryResult<Vec<(i64, i64, bool, bool)>> {
    let rows: Vec<(i64, i64, bool, Option<i64>)> = assignments::table
        .filter(assignments::round_id.eq(round.0))
        .select((
            assignments::application_id,
            assignments::entry_id,
            assignments::active,
            assignments::conflict_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(a, e, active, c)| (a, e, active, c.is_some()))
        .collect())
}

/// Each panel member's active cases in the round, as kept on the panel.
pub fn loads(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<(i64, i64)>> {
    let rows: Vec<(i64, i32)> = panel_members::table
        .filter(panel_members::round_id.eq(round.0))
        .select((panel_members::entry_id, panel_members::assigned))
        .load(conn)?;
    Ok(rows.into_iter().map(|(e, n)| (e, i64::from(n))).collect())
}

/// Moves a member's load in the round by `delta`.
fn load_change(conn: &mut DbConnection, round: i64, entry: i64, delta: i32) -> QueryResult<()> {
    diesel::update(
        panel_members::table
            .filter(panel_members::round_id.eq(round))
            .filter(panel_members::entry_id.eq(entry)),
    )
    .set(panel_members::assigned.eq(panel_members::assigned + delta))
    .execute(conn)
    .map(drop)
}

/// What an assignment records when made.
pub struct NewAssignment {
    pub app: ApplicationId,
    pub entry: PoolEntryId,
    pub account: AccountId,
    pub round: RoundId,
    pub by: AccountId,
    pub now: NaiveDateTime,
}

/// Assigns the member (again, when an earlier assignment was removed without a conflict).
pub fn assign(conn: &mut DbConnection, a: &NewAssignment) -> QueryResult<()> {
    let existing: Option<Assignment> = super::first_row!(
        conn,
        assignments::table
            .find((a.app.0, a.entry.0))
            .select(Assignment::as_select())
    )?;
    load_change(conn, a.round.0, a.entry.0, 1)?;
    if existing.is_some() {
        return diesel::update(assignments::table.find((a.app.0, a.entry.0)))
            .set((
                assignments::active.eq(true),
                assignments::assigned_at.eq(a.now),
                assignments::assigned_by.eq(a.by.0),
                assignments::ended_at.eq(None::<NaiveDateTime>),
                assignments::ended_by.eq(None::<i64>),
                assignments::conflict_id.eq(None::<i64>),
            ))
            .execute(conn)
            .map(drop);
    }
    diesel::insert_into(assignments::table)
        .values((
            assignments::application_id.eq(a.app.0),
            assignments::entry_id.eq(a.entry.0),
            assignments::account_id.eq(a.account.0),
            assignments::round_id.eq(a.round.0),
            assignments::active.eq(true),
            assignments::assigned_at.eq(a.now),
            assignments::assigned_by.eq(a.by.0),
        ))
        .execute(conn)
        .map(drop)
}

/// Ends an active assignment: a removal (no conflict) or a recusal (the conflict that caused
/// it). False when it was not active.
pub fn end(
    conn: &mut DbConnection,
    app: ApplicationId,
    entry: PoolEntryId,
    by: AccountId,
    conflict: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        assignments::table
            .find((app.0, entry.0))
            .filter(assignments::active.eq(true)),
    )
    .set((
        assignments::active.eq(false),
        assignments::ended_at.eq(Some(now)),
        assignments::ended_by.eq(Some(by.0)),
        assignments::conflict_id.eq(conflict),
    ))
    .execute(conn)?;
    if n == 1 {
        let round: i64 = assignments::table
            .find((app.0, entry.0))
            .select(assignments::round_id)
            .first(conn)?;
        load_change(conn, round, entry.0, -1)?;
    }
    Ok(n == 1)
}

/// Puts back an assignment a conflict ended, once that conflict is dismissed; false when none.
pub fn restore(
    conn: &mut DbConnection,
    app: ApplicationId,
    conflict: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let ended: Option<(i64, i64)> = super::first_row!(
        conn,
        assignments::table
            .filter(assignments::application_id.eq(app.0))
            .filter(assignments::conflict_id.eq(conflict))
            .filter(assignments::active.eq(false))
            .select((assignments::entry_id, assignments::round_id))
    )?;
    let Some((entry, round)) = ended else {
        return Ok(false);
    };
    diesel::update(assignments::table.find((app.0, entry)))
        .set((
            assignments::active.eq(true),
            assignments::assigned_at.eq(now),
            assignments::ended_at.eq(None::<NaiveDateTime>),
            assignments::ended_by.eq(None::<i64>),
            assignments::conflict_id.eq(None::<i64>),
        ))
        .execute(conn)?;
    load_change(conn, round, entry, 1)?;
    Ok(true)
}

/// The cases a member reviews now, in every round (to end them when the member leaves the pool).
pub fn active_of_entry(conn: &mut DbConnection, entry: PoolEntryId) -> QueryResult<Vec<i64>> {
    assignments::table
        .filter(assignments::entry_id.eq(entry.0))
        .filter(assignments::active.eq(true))
        .select(assignments::application_id)
        .load(conn)
}

/// A case on an expert's home.
#[derive(Debug, Clone)]
pub struct ExpertCase {
    pub application_id: i64,
    pub reference: Option<String>,
    pub applicant_name: Option<String>,
    pub state: String,
    pub round: RoundId,
    /// The status of the expert's review of it, if they started one.
    pub review: Option<String>,
    /// The case's own scoring deadline, when extended.
    pub extended_until: Option<chrono::NaiveDate>,
}

/// An expert's active cases after an application, by application.
macro_rules! of_expert {
    ($account:expr, $after:expr, $limit:expr) => {
        assignments::table
            .inner_join(applications::table)
            // Joined on the expert's own index (account, application, status): no table read.
            .left_join(
                reviews::table.on(reviews::account_id
                    .eq(assignments::account_id)
                    .and(reviews::application_id.eq(assignments::application_id))),
            )
            .filter(assignments::account_id.eq($account))
            .filter(assignments::active.eq(true))
            .filter(assignments::application_id.gt($after))
            .order(assignments::application_id.asc())
            .limit($limit)
            .select((
                assignments::application_id,
                applications::reference,
                applications::applicant_name,
                applications::state,
                assignments::round_id,
                reviews::status.nullable(),
            ))
    };
}

pub fn of_expert(
    conn: &mut DbConnection,
    account: AccountId,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<ExpertCase>> {
    type Row = (
        i64,
        Option<String>,
        Option<String>,
        String,
        i64,
        Option<String>,
    );
    let rows: Vec<Row> = super::load_rows!(conn, of_expert!(account.0, after, limit))?;
    // The page's own deadlines: one range of the (small) index of extended cases.
    let extended: Vec<(i64, Option<chrono::NaiveDate>)> = match (rows.first(), rows.last()) {
        (Some(first), Some(last)) => super::load_rows!(
            conn,
            review_cases::table
                .filter(review_cases::extended_until.is_not_null())
                .filter(review_cases::application_id.between(first.0, last.0))
                .select((review_cases::application_id, review_cases::extended_until))
        )?,
        _ => Vec::new(),
    };
    Ok(rows
        .into_iter()
        .map(|(id, reference, name, state, round, review)| ExpertCase {
            application_id: id,
            reference,
            applicant_name: name,
            state,
            round: RoundId(round),
            review,
            extended_until: extended
                .iter()
                .find(|(a, _)| *a == id)
                .and_then(|(_, d)| *d),
        })
        .collect())
}

/// How many cases an expert was recused from, counted up to `bound`.
pub fn recused_count(conn: &mut DbConnection, account: AccountId, bound: i64) -> QueryResult<i64> {
    let recused: Vec<Option<i64>> = assignments::table
        .filter(assignments::account_id.eq(account.0))
        .filter(assignments::active.eq(false))
        .filter(assignments::conflict_id.is_not_null())
        .select(assignments::conflict_id)
        .limit(bound)
        .load(conn)?;
    Ok(recused.len() as i64)
}

/// A conflict of interest as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = conflicts)]
pub struct Conflict {
    pub id: i64,
    pub round_id: i64,
    pub application_id: i64,
    pub entry_id: i64,
    pub kind: String,
    pub basis: String,
    pub match_key: String,
    pub evidence: String,
    pub status: String,
    pub raised_by: Option<i64>,
    pub raised_at: NaiveDateTime,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub reason: String,
    pub version: i32,
}

/// What a new conflict records.
pub struct NewConflict<'a> {
    pub round: RoundId,
    pub app: ApplicationId,
    pub entry: PoolEntryId,
    pub kind: &'a str,
    pub basis: &'a str,
    pub key: &'a str,
    pub evidence: &'a str,
    pub status: &'a str,
    pub raised_by: Option<AccountId>,
    pub now: NaiveDateTime,
}

/// Records a conflict unless the same one (case, member, kind, key) is on record; returns the
/// stored one and whether it is new.
pub fn record(conn: &mut DbConnection, n: &NewConflict) -> QueryResult<(Conflict, bool)> {
    macro_rules! same {
        () => {
            conflicts::table
                .filter(conflicts::application_id.eq(n.app.0))
                .filter(conflicts::entry_id.eq(n.entry.0))
                .filter(conflicts::kind.eq(n.kind))
                .filter(conflicts::match_key.eq(n.key))
                .select(Conflict::as_select())
        };
    }
    if let Some(c) = super::first_row!(conn, same!())? {
        return Ok((c, false));
    }
    diesel::insert_into(conflicts::table)
        .values((
            conflicts::round_id.eq(n.round.0),
            conflicts::application_id.eq(n.app.0),
            conflicts::entry_id.eq(n.entry.0),
            conflicts::kind.eq(n.kind),
            conflicts::basis.eq(n.basis),
            conflicts::match_key.eq(n.key),
            conflicts::evidence.eq(n.evidence),
            conflicts::status.eq(n.status),
            conflicts::raised_by.eq(n.raised_by.map(|a| a.0)),
            conflicts::raised_at.eq(n.now),
            conflicts::reason.eq(""),
            conflicts::version.eq(1),
        ))
        .execute(conn)?;
    let c = super::first_row!(conn, same!())?.ok_or(diesel::result::Error::NotFound)?;
    Ok((c, true))
}

pub fn find_conflict(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Conflict>> {
    super::first_row!(
        conn,
        conflicts::table.find(id).select(Conflict::as_select())
    )
}

/// A case's conflicts, all members.
pub fn conflicts_of_case(
    conn: &mut DbConnection,
    app: ApplicationId,
) -> QueryResult<Vec<Conflict>> {
    conflicts::table
        .filter(conflicts::application_id.eq(app.0))
        .order((conflicts::entry_id.asc(), conflicts::id.asc()))
        .select(Conflict::as_select())
        .load(conn)
}

/// A round's conflicts in one status, after an id.
macro_rules! of_round_status {
    ($round:expr, $status:expr, $after:expr, $limit:expr) => {
        conflicts::table
            .filter(conflicts::round_id.eq($round))
            .filter(conflicts::status.eq($status))
            .filter(conflicts::id.gt($after))
            .order(conflicts::id.asc())
            .limit($limit)
            .select(Conflict::as_select())
    };
}

pub fn conflicts_of_round(
    conn: &mut DbConnection,
    round: RoundId,
    status: &str,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Conflict>> {
    of_round_status!(round.0, status, after, limit).load(conn)
}

/// How many of the round's conflicts are in `status`, counted up to `bound`.
pub fn count_conflicts(
    conn: &mut DbConnection,
    round: RoundId,
    status: &str,
    bound: i64,
) -> QueryResult<i64> {
    let ids: Vec<i64> = conflicts::table
        .filter(conflicts::round_id.eq(round.0))
        .filter(conflicts::status.eq(status))
        .select(conflicts::id)
        .limit(bound)
        .load(conn)?;
    Ok(ids.len() as i64)
}

/// The (case, member) pairs a standing conflict keeps apart in the round.
pub fn barred_pairs(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<(i64, i64)>> {
    conflicts::table
        .filter(conflicts::round_id.eq(round.0))
        .filter(conflicts::status.eq_any(["confirmed", "possible"]))
        .select((conflicts::application_id, conflicts::entry_id))
        .load(conn)
}

/// How many of the round's conflicts are in each status.
pub fn conflict_counts(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<(String, i64)>> {
    conflicts::table
        .filter(conflicts::round_id.eq(round.0))
        .group_by(conflicts::status)
        .select((conflicts::status, diesel::dsl::count_star()))
        .load(conn)
}

/// Decides a conflict (confirmed or dismissed, with the reason) at the version seen; false when
/// it changed meanwhile.
pub fn decide(
    conn: &mut DbConnection,
    id: i64,
    seen: i32,
    status: &str,
    by: AccountId,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        conflicts::table
            .find(id)
            .filter(conflicts::version.eq(seen)),
    )
    .set((
        conflicts::status.eq(status),
        conflicts::decided_by.eq(Some(by.0)),
        conflicts::decided_at.eq(Some(now)),
        conflicts::reason.eq(reason),
        conflicts::version.eq(conflicts::version + 1),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    let q = |name, s: String, p: String| super::plans::ListQuery::new(name, s, p);
    vec![
        q(
            "an expert's cases",
            diesel::debug_query::<Sqlite, _>(&of_expert!(7i64, 0i64, 50i64)).to_string(),
            diesel::debug_query::<Pg, _>(&of_expert!(7i64, 0i64, 50i64)).to_string(),
        )
        .seeking(
            "COVERING INDEX assignments_expert (account_id=? AND active=? AND application_id>?)",
        ),
        q(
            "a round's cases below the minimum",
            diesel::debug_query::<Sqlite, _>(&below_from!(3i64, 0i32, 3i32, 50i64)).to_string(),
            diesel::debug_query::<Pg, _>(&below_from!(3i64, 0i32, 3i32, 50i64)).to_string(),
        )
        .seeking("review_cases_round (round_id=? AND assigned>? AND assigned<?)"),
        q(
            "a round's cases below the minimum, the rest of one count",
            diesel::debug_query::<Sqlite, _>(&below_after!(3i64, 1i32, 9i64, 50i64)).to_string(),
            diesel::debug_query::<Pg, _>(&below_after!(3i64, 1i32, 9i64, 50i64)).to_string(),
        )
        .seeking("review_cases_round (round_id=? AND assigned=? AND application_id>?)"),
        q(
            "a round's conflicts in one status",
            diesel::debug_query::<Sqlite, _>(&of_round_status!(3i64, "possible", 0i64, 50i64))
                .to_string(),
            diesel::debug_query::<Pg, _>(&of_round_status!(3i64, "possible", 0i64, 50i64))
                .to_string(),
        )
        .seeking("conflicts_round (round_id=? AND status=? AND id>?)"),
    ]
}

/// (case, member) pairs kept apart, and (case, member, active, ended for a conflict) rows.
pub type Standing = (Vec<(i64, i64)>, Vec<(i64, i64, bool, bool)>);

/// For a page of cases: the members barred from each (a standing conflict or a recusal) and
/// those assigned, two queries for the page.
pub fn standing_of_cases(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Standing> {
    let barred = conflicts::table
        .filter(conflicts::application_id.eq_any(ids))
        .filter(conflicts::status.eq_any(["confirmed", "possible"]))
        .select((conflicts::application_id, conflicts::entry_id))
        .load(conn)?;
    let rows: Vec<(i64, i64, bool, Option<i64>)> = assignments::table
        .filter(assignments::application_id.eq_any(ids))
        .select((
            assignments::application_id,
            assignments::entry_id,
            assignments::active,
            assignments::conflict_id,
        ))
        .load(conn)?;
    Ok((
        barred,
        rows.into_iter()
            .map(|(a, e, active, c)| (a, e, active, c.is_some()))
            .collect(),
    ))
}
