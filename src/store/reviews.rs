//! Experts' reviews (评分) of the applications assigned to them, the kept history of submitted
//! versions and reopenings, and each review case's aggregates and scoring state. Rows in, rows
//! out: the marks are checked and totalled by `rubric`, the rules are the service's.

use super::schema::{review_cases, review_history, reviews, scoring_closes};
use super::DbConnection;
use crate::domain::{AccountId, ApplicationId, PoolEntryId, RoundId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// A draft (the expert may still change it), submitted (only the office reopens it), or
/// returned: a draft again because the office reopened it, until the expert submits again.
pub const DRAFT: &str = "draft";
pub const SUBMITTED: &str = "submitted";
pub const RETURNED: &str = "returned";

/// A review as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = reviews)]
pub struct Review {
    pub application_id: i64,
    pub entry_id: i64,
    pub account_id: i64,
    pub round_id: i64,
    pub rubric_id: i64,
    pub status: String,
    pub marks: String,
    pub opinion: String,
    pub total_milli: i64,
    pub veto: bool,
    pub version: i32,
    pub saved_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    /// The pair calibration counts for this review now: (own total, the others' mean).
    pub cal_own_milli: Option<i64>,
    pub cal_panel_milli: Option<i64>,
}

impl Review {
    pub fn submitted(&self) -> bool {
        self.status == SUBMITTED
    }

    /// Reopened by the office and not yet submitted again.
    pub fn returned(&self) -> bool {
        self.status == RETURNED
    }
}

/// What a save writes.
pub struct Write<'a> {
    pub app: ApplicationId,
    pub entry: PoolEntryId,
    pub account: AccountId,
    pub round: RoundId,
    pub rubric: i64,
    pub marks: &'a str,
    pub opinion: &'a str,
    pub total_milli: i64,
    pub veto: bool,
    pub submit: bool,
    pub now: NaiveDateTime,
}

pub fn find(
    conn: &mut DbConnection,
    app: ApplicationId,
    entry: PoolEntryId,
) -> QueryResult<Option<Review>> {
    super::first_row!(
        conn,
        reviews::table
            .find((app.0, entry.0))
            .select(Review::as_select())
    )
}

/// Every review of a case, in the order the experts were assigned (by pool entry).
pub fn of_case(conn: &mut DbConnection, app: ApplicationId) -> QueryResult<Vec<Review>> {
    super::load_rows!(
        conn,
        reviews::table
            .filter(reviews::application_id.eq(app.0))
            .order(reviews::entry_id.asc())
            .select(Review::as_select())
    )
}

/// Writes a draft or a submission over the version the expert saw (0: no review yet). `false`
/// when someone saved in between, or the review was submitted meanwhile.
pub fn write(conn: &mut DbConnection, w: &Write, seen: i32) -> QueryResult<bool> {
    let status = match (w.submit, seen) {
        (true, _) => SUBMITTED,
        (false, 0) => DRAFT,
        // A returned review stays marked returned through its drafts, so the expert's home
        // keeps saying the office sent it back.
        (false, _) => match find(conn, w.app, w.entry)? {
            Some(r) if r.returned() => RETURNED,
            _ => DRAFT,
        },
    };
    let submitted_at = w.submit.then_some(w.now);
    if seen == 0 {
        if find(conn, w.app, w.entry)?.is_some() {
            return Ok(false);
        }
        diesel::insert_into(reviews::table)
            .values((
                reviews::application_id.eq(w.app.0),
                reviews::entry_id.eq(w.entry.0),
                reviews::account_id.eq(w.account.0),
                reviews::round_id.eq(w.round.0),
                reviews::rubric_id.eq(w.rubric),
                reviews::status.eq(status),
                reviews::marks.eq(w.marks),
                reviews::opinion.eq(w.opinion),
                reviews::total_milli.eq(w.total_milli),
                reviews::veto.eq(w.veto),
                reviews::version.eq(1),
                reviews::saved_at.eq(w.now),
                reviews::submitted_at.eq(submitted_at),
            ))
            .execute(conn)?;
        return Ok(true);
    }
    let n = diesel::update(
        reviews::table
            .find((w.app.0, w.entry.0))
            .filter(reviews::version.eq(seen))
            .filter(reviews::status.ne(SUBMITTED)),
    )
    .set((
        reviews::status.eq(status),
        reviews::rubric_id.eq(w.rubric),
        reviews::marks.eq(w.marks),
        reviews::opinion.eq(w.opinion),
        reviews::total_milli.eq(w.total_milli),
        reviews::veto.eq(w.veto),
        reviews::version.eq(seen + 1),
        reviews::saved_at.eq(w.now),
        reviews::submitted_at.eq(submitted_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Back to a draft (marks kept) over the version the office saw; `false` when it changed.
pub fn reopen(
    conn: &mut DbConnection,
    app: ApplicationId,
    entry: PoolEntryId,
    seen: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        reviews::table
            .find((app.0, entry.0))
            .filter(reviews::version.eq(seen))
            .filter(reviews::status.eq(SUBMITTED)),
    )
    .set((
        reviews::status.eq(RETURNED),
        reviews::version.eq(seen + 1),
        reviews::saved_at.eq(now),
        reviews::submitted_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A submitted version or a reopening, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = review_history)]
pub struct History {
    pub id: i64,
    pub application_id: i64,
    pub entry_id: i64,
    pub event: String,
    pub marks: String,
    pub opinion: String,
    pub total_milli: i64,
    pub veto: bool,
    pub by_account: i64,
    pub at: NaiveDateTime,
    pub reason: String,
}

pub const EVENT_SUBMITTED: &str = "submitted";
pub const EVENT_REOPENED: &str = "reopened";

/// Keeps a submitted version (`reason` empty) or a reopening (the marks as they were).
pub fn keep(
    conn: &mut DbConnection,
    r: &Review,
    event: &str,
    by: AccountId,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(review_history::table)
        .values((
            review_history::application_id.eq(r.application_id),
            review_history::entry_id.eq(r.entry_id),
            review_history::event.eq(event),
            review_history::marks.eq(&r.marks),
            review_history::opinion.eq(&r.opinion),
            review_history::total_milli.eq(r.total_milli),
            review_history::veto.eq(r.veto),
            review_history::by_account.eq(by.0),
            review_history::at.eq(now),
            review_history::reason.eq(reason),
        ))
        .execute(conn)
        .map(drop)
}

/// The history of every review of a case, oldest first.
pub fn history_of_case(conn: &mut DbConnection, app: ApplicationId) -> QueryResult<Vec<History>> {
    super::load_rows!(
        conn,
        review_history::table
            .filter(review_history::application_id.eq(app.0))
            .order((review_history::entry_id.asc(), review_history::id.asc()))
            .select(History::as_select())
    )
}

/// The history of one review, oldest first.
pub fn history_of(
    conn: &mut DbConnection,
    app: ApplicationId,
    entry: PoolEntryId,
) -> QueryResult<Vec<History>> {
    super::load_rows!(
        conn,
        review_history::table
            .filter(review_history::application_id.eq(app.0))
            .filter(review_history::entry_id.eq(entry.0))
            .order(review_history::id.asc())
            .select(History::as_select())
    )
}

/// A case's aggregates as written.
pub struct Aggregates<'a> {
    pub submitted: i32,
    pub mean_milli: i64,
    pub median_milli: i64,
    pub spread_milli: i64,
    pub stddev_milli: i64,
    pub vetoes: i32,
    pub widest: &'a str,
}

pub fn set_aggregates(
    conn: &mut DbConnection,
    app: ApplicationId,
    a: &Aggregates,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let q = diesel::update(review_cases::table.find(app.0)).set((
        review_cases::submitted.eq(a.submitted),
        review_cases::mean_milli.eq(a.mean_milli),
        review_cases::median_milli.eq(a.median_milli),
        review_cases::spread_milli.eq(a.spread_milli),
        review_cases::stddev_milli.eq(a.stddev_milli),
        review_cases::vetoes.eq(a.vetoes),
        review_cases::widest.eq(a.widest),
        review_cases::updated_at.eq(now),
    ));
    // On the backend's own connection, so the statement stays prepared (every submit).
    match conn {
        DbConnection::Sqlite(c) => q.execute(c),
        DbConnection::Pg(c) => q.execute(c),
    }
    .map(drop)
}

/// Open cases of a round with `from..minimum` submitted reviews: fewest first.
macro_rules! missing_from {
    ($round:expr, $from:expr, $minimum:expr, $limit:expr) => {
        review_cases::table
            .filter(review_cases::round_id.eq($round))
            .filter(review_cases::closed.eq(false))
            .filter(review_cases::submitted.ge($from))
            .filter(review_cases::submitted.lt($minimum))
            .order((
                review_cases::submitted.asc(),
                review_cases::application_id.asc(),
            ))
            .limit($limit)
            .select(MISSING_COLUMNS)
    };
}

/// The rest of one count after an application.
macro_rules! missing_after {
    ($round:expr, $count:expr, $after:expr, $limit:expr) => {
        review_cases::table
            .filter(review_cases::round_id.eq($round))
            .filter(review_cases::closed.eq(false))
            .filter(review_cases::submitted.eq($count))
            .filter(review_cases::application_id.gt($after))
            .order(review_cases::application_id.asc())
            .limit($limit)
            .select(MISSING_COLUMNS)
    };
}

/// What the list of cases missing reviews shows of each.
const MISSING_COLUMNS: (
    review_cases::application_id,
    review_cases::submitted,
    review_cases::assigned,
    review_cases::extended_until,
) = (
    review_cases::application_id,
    review_cases::submitted,
    review_cases::assigned,
    review_cases::extended_until,
);

/// A case missing reviews: (application, submitted, assigned, extended until).
pub type MissingRow = (i64, i32, i32, Option<NaiveDate>);

/// A page of the round's open cases with `lo..hi` submitted reviews, after `(submitted,
/// application)`: the rest of that count, then the higher counts, each one index range.
pub fn open_cases(
    conn: &mut DbConnection,
    round: RoundId,
    (lo, hi): (i32, i32),
    after: Option<(i32, i64)>,
    limit: i64,
) -> QueryResult<Vec<MissingRow>> {
    let mut out: Vec<MissingRow> = Vec::new();
    let from = match after {
        Some((count, id)) if count >= lo && count < hi => {
            out = super::load_rows!(conn, missing_after!(round.0, count, id, limit))?;
            // A count past any real one (typed into the page's link) leaves nothing after it.
            count.saturating_add(1)
        }
        Some((count, _)) => count.saturating_add(1).max(lo),
        None => lo,
    };
    let rest = limit - out.len() as i64;
    if rest > 0 && from < hi {
        let more: Vec<MissingRow> =
            super::load_rows!(conn, missing_from!(round.0, from, hi, rest))?;
        out.extend(more);
    }
    Ok(out)
}

/// A page of the round's open cases below `minimum` submitted reviews (see [`open_cases`]).
pub fn incomplete_open(
    conn: &mut DbConnection,
    round: RoundId,
    minimum: i32,
    after: Option<(i32, i64)>,
    limit: i64,
) -> QueryResult<Vec<MissingRow>> {
    open_cases(conn, round, (0, minimum), after, limit)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How many open cases of a round have at least (or fewer than) `minimum` submitted reviews,
/// each counted up to `bound`: a count over an index range cut at the bound, so a page shows
/// "more than 1 000" without reading them.
pub fn count_open(
    conn: &mut DbConnection,
    round: RoundId,
    minimum: i32,
    bound: i64,
) -> QueryResult<(i64, i64)> {
    use diesel::sql_types::{BigInt, Integer};
    let mut count = |op: &str| -> QueryResult<i64> {
        let (p1, p2, p3) = match conn {
            DbConnection::Sqlite(_) => ("?", "?", "?"),
            DbConnection::Pg(_) => ("$1", "$2", "$3"),
        };
        let sql = format!(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM review_cases WHERE round_id = {p1} \
             AND closed = FALSE AND submitted {op} {p2} LIMIT {p3}) AS t"
        );
        let q = diesel::sql_query(sql)
            .bind::<BigInt, _>(round.0)
            .bind::<Integer, _>(minimum)
            .bind::<BigInt, _>(bound);
        let rows: Vec<Count> = match conn {
            DbConnection::Sqlite(c) => q.load(c)?,
            DbConnection::Pg(c) => q.load(c)?,
        };
        Ok(rows.first().map_or(0, |r| r.n))
    };
    Ok((count(">=")?, count("<")?))
}

/// Marks a case's scoring closed (it went to the meeting).
pub fn close(conn: &mut DbConnection, app: ApplicationId, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        review_cases::table
            .find(app.0)
            .filter(review_cases::closed.eq(false)),
    )
    .set((
        review_cases::closed.eq(true),
        review_cases::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Extends the scoring deadline of the round's open cases named.
pub fn extend(
    conn: &mut DbConnection,
    round: RoundId,
    apps: &[i64],
    until: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        review_cases::table
            .filter(review_cases::round_id.eq(round.0))
            .filter(review_cases::closed.eq(false))
            .filter(review_cases::application_id.eq_any(apps)),
    )
    .set((
        review_cases::extended_until.eq(Some(until)),
        review_cases::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Writes the review group's opinion over the version the writer saw.
pub fn set_group_opinion(
    conn: &mut DbConnection,
    app: ApplicationId,
    text: &str,
    by: AccountId,
    seen: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        review_cases::table
            .find(app.0)
            .filter(review_cases::group_version.eq(seen)),
    )
    .set((
        review_cases::group_opinion.eq(text),
        review_cases::group_opinion_by.eq(Some(by.0)),
        review_cases::group_opinion_at.eq(Some(now)),
        review_cases::group_version.eq(seen + 1),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The list queries above, for the plan registry.
pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    let q = |name, s: String, p: String| super::plans::ListQuery::new(name, s, p);
    vec![
        q(
            "a round's cases still missing reviews",
            diesel::debug_query::<Sqlite, _>(&missing_from!(3i64, 0i32, 3i32, 50i64)).to_string(),
            diesel::debug_query::<Pg, _>(&missing_from!(3i64, 0i32, 3i32, 50i64)).to_string(),
        )
        .seeking("review_cases_scoring (round_id=? AND closed=? AND submitted>? AND submitted<?)"),
        q(
            "a round's cases still missing reviews, the rest of one count",
            diesel::debug_query::<Sqlite, _>(&missing_after!(3i64, 1i32, 9i64, 50i64)).to_string(),
            diesel::debug_query::<Pg, _>(&missing_after!(3i64, 1i32, 9i64, 50i64)).to_string(),
        )
        .seeking(
            "review_cases_scoring (round_id=? AND closed=? AND submitted=? AND application_id>?)",
        ),
    ]
}

/// A case's row locked for the rest of the transaction (PostgreSQL): saves, reopenings and
/// closing of one case queue here, so its aggregates always count every submitted review.
pub fn find_case_for_update(
    conn: &mut DbConnection,
    app: ApplicationId,
) -> QueryResult<Option<super::assignments::ReviewCase>> {
    if let DbConnection::Pg(c) = conn {
        review_cases::table
            .find(app.0)
            .select(review_cases::application_id)
            .for_update()
            .first::<i64>(c)
            .optional()?;
    }
    super::assignments::find_case(conn, app)
}

/// The experts on a page of cases now, and whether each has submitted: (application, account,
/// submitted). One query for the page.
pub fn on_cases(conn: &mut DbConnection, apps: &[i64]) -> QueryResult<Vec<(i64, i64, bool)>> {
    use super::schema::assignments;
    if apps.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64, Option<String>)> = super::load_rows!(
        conn,
        assignments::table
            .left_join(
                reviews::table.on(reviews::application_id
                    .eq(assignments::application_id)
                    .and(reviews::entry_id.eq(assignments::entry_id))),
            )
            .filter(assignments::application_id.eq_any(apps))
            .filter(assignments::active.eq(true))
            .select((
                assignments::application_id,
                assignments::account_id,
                reviews::status.nullable(),
            ))
    )?;
    Ok(rows
        .into_iter()
        .map(|(a, acc, st)| (a, acc, st.as_deref() == Some(SUBMITTED)))
        .collect())
}

/// A close of a round's scoring as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = scoring_closes)]
pub struct Close {
    pub id: i64,
    pub round_id: i64,
    pub at: NaiveDateTime,
    pub by_account: Option<i64>,
    pub reason: String,
    pub moved: i32,
}

pub fn record_close(
    conn: &mut DbConnection,
    round: RoundId,
    by: Option<AccountId>,
    reason: &str,
    moved: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(scoring_closes::table)
        .values((
            scoring_closes::round_id.eq(round.0),
            scoring_closes::at.eq(now),
            scoring_closes::by_account.eq(by.map(|a| a.0)),
            scoring_closes::reason.eq(reason),
            scoring_closes::moved.eq(moved),
        ))
        .execute(conn)
        .map(drop)
}

/// The round's latest close.
pub fn last_close(conn: &mut DbConnection, round: RoundId) -> QueryResult<Option<Close>> {
    super::first_row!(
        conn,
        scoring_closes::table
            .filter(scoring_closes::round_id.eq(round.0))
            .order(scoring_closes::id.desc())
            .select(Close::as_select())
    )
}
