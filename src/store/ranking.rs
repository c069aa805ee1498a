//! What the committee reads before it meets, from what scoring stored: a round's cases ranked
//! by each aggregate (one index per sort, keyset pages), the calibration sums per expert, and
//! the round's cases and reviews in application order for its exports (pages of a bounded size,
//! so an export of any length holds one page at a time).

use super::schema::{applications, calibration, review_cases, reviews};
use super::DbConnection;
use crate::domain::{AccountId, RoundId};
use crate::rubric::Sums;
use diesel::prelude::*;

/// What a ranked case shows.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Ranked {
    pub application_id: i64,
    pub submitted: i32,
    pub mean_milli: i64,
    pub median_milli: i64,
    pub spread_milli: i64,
    pub stddev_milli: i64,
    pub vetoes: i32,
    pub widest: String,
    pub closed: bool,
    pub group_opinion: String,
    pub level: String,
    /// The application's number and who applied (joined: one seek per row of the page).
    pub reference: Option<String>,
    pub applicant_name: Option<String>,
}

#[allow(clippy::type_complexity)]
const RANKED: (
    review_cases::application_id,
    review_cases::submitted,
    review_cases::mean_milli,
    review_cases::median_milli,
    review_cases::spread_milli,
    review_cases::stddev_milli,
    review_cases::vetoes,
    review_cases::widest,
    review_cases::closed,
    review_cases::group_opinion,
    review_cases::level,
    applications::reference,
    applications::applicant_name,
) = (
    review_cases::application_id,
    review_cases::submitted,
    review_cases::mean_milli,
    review_cases::median_milli,
    review_cases::spread_milli,
    review_cases::stddev_milli,
    review_cases::vetoes,
    review_cases::widest,
    review_cases::closed,
    review_cases::group_opinion,
    review_cases::level,
    applications::reference,
    applications::applicant_name,
);

/// What a ranking is sorted by. Scores, spreads and vetoes read highest first (what the meeting
/// looks at first); the number of reviews lowest first (the thinly reviewed first). Ties go by
/// application number in the same direction, so each page is one range of one index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Total,
    Median,
    Spread,
    Vetoes,
    Count,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Sort::Total,
        Sort::Median,
        Sort::Spread,
        Sort::Vetoes,
        Sort::Count,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Total => "total",
            Sort::Median => "median",
            Sort::Spread => "spread",
            Sort::Vetoes => "vetoes",
            Sort::Count => "count",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The sort key of a row.
    pub fn key(self, r: &Ranked) -> i64 {
        match self {
            Sort::Total => r.mean_milli,
            Sort::Median => r.median_milli,
            Sort::Spread => r.spread_milli,
            Sort::Vetoes => i64::from(r.vetoes),
            Sort::Count => i64::from(r.submitted),
        }
    }
}

/// Rows of one level of a round past `key` (strictly), highest first.
macro_rules! ranked_desc {
    ($round:expr, $level:expr, $col:expr, $key:expr, $limit:expr) => {
        review_cases::table
            .inner_join(applications::table)
            .filter(review_cases::round_id.eq($round))
            .filter(review_cases::level.eq($level))
            .filter($col.lt($key))
            .order(($col.desc(), review_cases::application_id.desc()))
            .limit($limit)
            .select(RANKED)
    };
}

/// The rest of a tie at `key`, after application `app`, highest first.
macro_rules! tie_desc {
    ($round:expr, $level:expr, $col:expr, $key:expr, $app:expr, $limit:expr) => {
        review_cases::table
            .inner_join(applications::table)
            .filter(review_cases::round_id.eq($round))
            .filter(review_cases::level.eq($level))
            .filter($col.eq($key))
            .filter(review_cases::application_id.lt($app))
            .order(review_cases::application_id.desc())
            .limit($limit)
            .select(RANKED)
    };
}

/// Rows of one level of a round past `key` (strictly), lowest first.
macro_rules! ranked_asc {
    ($round:expr, $level:expr, $col:expr, $key:expr, $limit:expr) => {
        review_cases::table
            .inner_join(applications::table)
            .filter(review_cases::round_id.eq($round))
            .filter(review_cases::level.eq($level))
            .filter($col.gt($key))
            .order(($col.asc(), review_cases::application_id.asc()))
            .limit($limit)
            .select(RANKED)
    };
}

macro_rules! tie_asc {
    ($round:expr, $level:expr, $col:expr, $key:expr, $app:expr, $limit:expr) => {
        review_cases::table
            .inner_join(applications::table)
            .filter(review_cases::round_id.eq($round))
            .filter(review_cases::level.eq($level))
            .filter($col.eq($key))
            .filter(review_cases::application_id.gt($app))
            .order(review_cases::application_id.asc())
            .limit($limit)
            .select(RANKED)
    };
}

/// One page of the ranking: the rest of the tie the last page ended in, then the rows past it.
macro_rules! ranked_page {
    ($conn:expr, $round:expr, $level:expr, $col:expr, $ty:ty, desc, $after:expr, $limit:expr) => {{
        let (key, app): (Option<$ty>, Option<i64>) = match $after {
            Some((k, a)) => (Some(<$ty>::try_from(k).unwrap_or(<$ty>::MAX)), Some(a)),
            None => (None, None),
        };
        let mut out: Vec<Ranked> = match (key, app) {
            (Some(k), Some(a)) => {
                super::load_rows!($conn, tie_desc!($round, $level, $col, k, a, $limit))?
            }
            _ => Vec::new(),
        };
        let rest = $limit - out.len() as i64;
        if rest > 0 {
            let k = key.unwrap_or(<$ty>::MAX);
            let more: Vec<Ranked> =
                super::load_rows!($conn, ranked_desc!($round, $level, $col, k, rest))?;
            out.extend(more);
        }
        out
    }};
    ($conn:expr, $round:expr, $level:expr, $col:expr, $ty:ty, asc, $after:expr, $limit:expr) => {{
        let (key, app): (Option<$ty>, Option<i64>) = match $after {
            Some((k, a)) => (Some(<$ty>::try_from(k).unwrap_or(<$ty>::MAX)), Some(a)),
            None => (None, None),
        };
        let mut out: Vec<Ranked> = match (key, app) {
            (Some(k), Some(a)) => {
                super::load_rows!($conn, tie_asc!($round, $level, $col, k, a, $limit))?
            }
            _ => Vec::new(),
        };
        let rest = $limit - out.len() as i64;
        if rest > 0 {
            let k = key.unwrap_or(<$ty>::MIN);
            let more: Vec<Ranked> =
                super::load_rows!($conn, ranked_asc!($round, $level, $col, k, rest))?;
            out.extend(more);
        }
        out
    }};
}

/// A page of one level of a round, sorted by `sort`, after `(key, application)` of the last
/// row of the page before.
pub fn page(
    conn: &mut DbConnection,
    round: RoundId,
    level: &str,
    sort: Sort,
    after: Option<(i64, i64)>,
    limit: i64,
) -> QueryResult<Vec<Ranked>> {
    let r = round.0;
    Ok(match sort {
        Sort::Total => {
            ranked_page!(
                conn,
                r,
                level,
                review_cases::mean_milli,
                i64,
                desc,
                after,
                limit
            )
        }
        Sort::Median => {
            ranked_page!(
                conn,
                r,
                level,
                review_cases::median_milli,
                i64,
                desc,
                after,
                limit
            )
        }
        Sort::Spread => {
            ranked_page!(
                conn,
                r,
                level,
                review_cases::spread_milli,
                i64,
                desc,
                after,
                limit
            )
        }
        Sort::Vetoes => {
            ranked_page!(
                conn,
                r,
                level,
                review_cases::vetoes,
                i32,
                desc,
                after,
                limit
            )
        }
        Sort::Count => {
            ranked_page!(
                conn,
                r,
                level,
                review_cases::submitted,
                i32,
                asc,
                after,
                limit
            )
        }
    })
}

/// The last page of one level in `sort`'s order: the same index read from its other end, then
/// put back in the ranking's order.
pub fn last_page(
    conn: &mut DbConnection,
    round: RoundId,
    level: &str,
    sort: Sort,
    limit: i64,
) -> QueryResult<Vec<Ranked>> {
    let r = round.0;
    // The first page of the reverse order is the last page of this one.
    let mut rows: Vec<Ranked> = match sort {
        Sort::Total => ranked_page!(
            conn,
            r,
            level,
            review_cases::mean_milli,
            i64,
            asc,
            None::<(i64, i64)>,
            limit
        ),
        Sort::Median => ranked_page!(
            conn,
            r,
            level,
            review_cases::median_milli,
            i64,
            asc,
            None::<(i64, i64)>,
            limit
        ),
        Sort::Spread => ranked_page!(
            conn,
            r,
            level,
            review_cases::spread_milli,
            i64,
            asc,
            None::<(i64, i64)>,
            limit
        ),
        Sort::Vetoes => ranked_page!(
            conn,
            r,
            level,
            review_cases::vetoes,
            i32,
            asc,
            None::<(i64, i64)>,
            limit
        ),
        Sort::Count => ranked_page!(
            conn,
            r,
            level,
            review_cases::submitted,
            i32,
            desc,
            None::<(i64, i64)>,
            limit
        ),
    };
    rows.reverse();
    Ok(rows)
}

/// The round's cases after application `after`, in application order.
macro_rules! cases_after {
    ($round:expr, $after:expr, $limit:expr) => {
        review_cases::table
            .inner_join(applications::table)
            .filter(review_cases::round_id.eq($round))
            .filter(review_cases::application_id.gt($after))
            .order(review_cases::application_id.asc())
            .limit($limit)
            .select(RANKED)
    };
}

pub fn cases_page(
    conn: &mut DbConnection,
    round: RoundId,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Ranked>> {
    super::load_rows!(conn, cases_after!(round.0, after, limit))
}

/// The round's reviews after application `after`, in application order: whole applications
/// (the page is cut after the last whole one, unless one application alone is longer).
macro_rules! reviews_after {
    ($round:expr, $after:expr, $limit:expr) => {
        reviews::table
            .filter(reviews::round_id.eq($round))
            .filter(reviews::application_id.gt($after))
            .order((reviews::application_id.asc(), reviews::entry_id.asc()))
            .limit($limit)
            .select(super::reviews::Review::as_select())
    };
}

/// A page of the round's reviews after application `after`, holding whole applications: a
/// page that filled up drops its last application, which the next page starts with.
pub fn reviews_page(
    conn: &mut DbConnection,
    round: RoundId,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<super::reviews::Review>> {
    let mut rows: Vec<super::reviews::Review> =
        super::load_rows!(conn, reviews_after!(round.0, after, limit))?;
    if rows.len() as i64 == limit {
        let last = rows.last().map(|r| r.application_id);
        let whole = rows
            .iter()
            .take_while(|r| Some(r.application_id) != last)
            .count();
        // One application with more reviews than a page: keep it whole, read on its own.
        if whole == 0 {
            let app = last.unwrap_or(after);
            return super::load_rows!(
                conn,
                reviews::table
                    .filter(reviews::application_id.eq(app))
                    .order(reviews::entry_id.asc())
                    .select(super::reviews::Review::as_select())
            );
        }
        rows.truncate(whole);
    }
    Ok(rows)
}

/// The rounds an expert has calibration sums in, newest first.
pub fn rounds_of_expert(conn: &mut DbConnection, account: AccountId) -> QueryResult<Vec<i64>> {
    super::load_rows!(
        conn,
        calibration::table
            .filter(calibration::account_id.eq(account.0))
            .filter(calibration::shared.gt(0))
            .order(calibration::round_id.desc())
            .select(calibration::round_id)
    )
}

/// Whether an expert has a case of the round still open whose review is not submitted (not
/// started, a draft, or returned to them).
pub fn has_open_review(
    conn: &mut DbConnection,
    account: AccountId,
    round: RoundId,
) -> QueryResult<bool> {
    use super::schema::assignments;
    let found: Option<i64> = super::first_row!(
        conn,
        assignments::table
            .inner_join(
                review_cases::table
                    .on(review_cases::application_id.eq(assignments::application_id)),
            )
            .left_join(
                reviews::table.on(reviews::application_id
                    .eq(assignments::application_id)
                    .and(reviews::entry_id.eq(assignments::entry_id))),
            )
            .filter(assignments::account_id.eq(account.0))
            .filter(assignments::active.eq(true))
            .filter(assignments::round_id.eq(round.0))
            .filter(review_cases::closed.eq(false))
            .filter(
                reviews::status
                    .is_null()
                    .or(reviews::status.ne(super::reviews::SUBMITTED)),
            )
            .select(assignments::application_id)
    )?;
    Ok(found.is_some())
}

/// The level each of `apps` is reviewed at.
pub fn levels_of(
    conn: &mut DbConnection,
    apps: &[i64],
) -> QueryResult<std::collections::HashMap<i64, String>> {
    let (Some(lo), Some(hi)) = (apps.iter().min(), apps.iter().max()) else {
        return Ok(Default::default());
    };
    // The page's applications are a range of the round's: one range read, not a list.
    let rows: Vec<(i64, String)> = super::load_rows!(
        conn,
        review_cases::table
            .filter(review_cases::application_id.ge(lo))
            .filter(review_cases::application_id.le(hi))
            .select((review_cases::application_id, review_cases::level))
    )?;
    let wanted: std::collections::HashSet<&i64> = apps.iter().collect();
    Ok(rows
        .into_iter()
        .filter(|(a, _)| wanted.contains(a))
        .collect())
}

/// Every expert's calibration sums in a round (one row per expert with a pair now: a row whose
/// pairs were all taken back stays, empty, and is not read).
pub fn sums_of_round(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<(i64, Sums)>> {
    let rows: Vec<(i64, i64, i64, i64, i64, i64, i64)> = super::load_rows!(
        conn,
        calibration::table
            .filter(calibration::round_id.eq(round.0))
            .filter(calibration::shared.gt(0))
            .order(calibration::account_id.asc())
            .select((
                calibration::account_id,
                calibration::shared,
                calibration::sum_x,
                calibration::sum_y,
                calibration::sum_xx,
                calibration::sum_yy,
                calibration::sum_xy,
            ))
    )?;
    Ok(rows
        .into_iter()
        .map(|(a, n, x, y, xx, yy, xy)| {
            (
                a,
                Sums {
                    n,
                    x,
                    y,
                    xx,
                    yy,
                    xy,
                },
            )
        })
        .collect())
}

/// Adds `delta` (which may be negative) to an expert's sums in a round.
///
/// On SQLite an update, then an insert if there was no row: diesel prepares an upsert afresh on
/// every call, which cost a submit more than the rest of its aggregates, and SQLite's one writer
/// leaves no race between the two. On PostgreSQL two transactions could both find no row, so it
/// is one upsert there.
pub fn add_sums(
    conn: &mut DbConnection,
    round: RoundId,
    account: AccountId,
    delta: Sums,
) -> QueryResult<()> {
    use diesel::upsert::excluded;
    let row = (
        calibration::round_id.eq(round.0),
        calibration::account_id.eq(account.0),
        calibration::shared.eq(delta.n),
        calibration::sum_x.eq(delta.x),
        calibration::sum_y.eq(delta.y),
        calibration::sum_xx.eq(delta.xx),
        calibration::sum_yy.eq(delta.yy),
        calibration::sum_xy.eq(delta.xy),
    );
    match conn {
        DbConnection::Sqlite(c) => {
            let changed = diesel::update(
                calibration::table
                    .filter(calibration::round_id.eq(round.0))
                    .filter(calibration::account_id.eq(account.0)),
            )
            .set((
                calibration::shared.eq(calibration::shared + delta.n),
                calibration::sum_x.eq(calibration::sum_x + delta.x),
                calibration::sum_y.eq(calibration::sum_y + delta.y),
                calibration::sum_xx.eq(calibration::sum_xx + delta.xx),
                calibration::sum_yy.eq(calibration::sum_yy + delta.yy),
                calibration::sum_xy.eq(calibration::sum_xy + delta.xy),
            ))
            .execute(c)?;
            if changed == 0 {
                diesel::insert_into(calibration::table)
                    .values(row)
                    .execute(c)?;
            }
            Ok(())
        }
        DbConnection::Pg(c) => diesel::insert_into(calibration::table)
            .values(row)
            .on_conflict((calibration::round_id, calibration::account_id))
            .do_update()
            .set((
                calibration::shared.eq(calibration::shared + excluded(calibration::shared)),
                calibration::sum_x.eq(calibration::sum_x + excluded(calibration::sum_x)),
                calibration::sum_y.eq(calibration::sum_y + excluded(calibration::sum_y)),
                calibration::sum_xx.eq(calibration::sum_xx + excluded(calibration::sum_xx)),
                calibration::sum_yy.eq(calibration::sum_yy + excluded(calibration::sum_yy)),
                calibration::sum_xy.eq(calibration::sum_xy + excluded(calibration::sum_xy)),
            ))
            .execute(c)
            .map(drop),
    }
}

/// Replaces a round's sums with ones computed afresh (a rebuild after a bulk load).
pub fn replace_sums(
    conn: &mut DbConnection,
    round: RoundId,
    sums: &[(i64, Sums)],
) -> QueryResult<()> {
    diesel::delete(calibration::table.filter(calibration::round_id.eq(round.0))).execute(conn)?;
    for (account, s) in sums {
        add_sums(conn, round, AccountId(*account), *s)?;
    }
    Ok(())
}

/// Records the pair a review is counted with now (`None`: not counted).
pub fn set_pair(
    conn: &mut DbConnection,
    app: i64,
    entry: i64,
    pair: Option<(i64, i64)>,
) -> QueryResult<()> {
    // On the backend's own connection: its statement stays prepared (every submit runs this
    // for each expert on the case).
    let q = diesel::update(reviews::table.find((app, entry))).set((
        reviews::cal_own_milli.eq(pair.map(|p| p.0)),
        reviews::cal_panel_milli.eq(pair.map(|p| p.1)),
    ));
    match conn {
        DbConnection::Sqlite(c) => q.execute(c),
        DbConnection::Pg(c) => q.execute(c),
    }
    .map(drop)
}

/// The ranking and export queries, for the plan registry.
pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    macro_rules! plan {
        ($name:literal, $q:expr, $seeks:literal) => {
            super::plans::ListQuery::new(
                $name,
                diesel::debug_query::<Sqlite, _>(&$q).to_string(),
                diesel::debug_query::<Pg, _>(&$q).to_string(),
            )
            .seeking($seeks)
        };
    }
    let level = "中级";
    let mean = review_cases::mean_milli;
    vec![
        plan!(
            "a round's ranking by total, a page",
            ranked_desc!(5i64, level, mean, 80_000i64, 50i64),
            "review_cases_rank_mean (round_id=? AND level=? AND mean_milli<?)"
        ),
        plan!(
            "a round's ranking by total, the rest of a tie",
            tie_desc!(5i64, level, mean, 80_000i64, 9i64, 50i64),
            "review_cases_rank_mean (round_id=? AND level=? AND mean_milli=? AND application_id<?)"
        ),
        plan!(
            "a round's ranking by total, the last page",
            ranked_asc!(5i64, level, mean, -1i64, 50i64),
            "review_cases_rank_mean (round_id=? AND level=? AND mean_milli>?)"
        ),
        plan!(
            "a round's ranking by median, a page",
            ranked_desc!(5i64, level, review_cases::median_milli, 80_000i64, 50i64),
            "review_cases_rank_median (round_id=? AND level=? AND median_milli<?)"
        ),
        plan!(
            "a round's ranking by spread, a page",
            ranked_desc!(5i64, level, review_cases::spread_milli, 9_000i64, 50i64),
            "review_cases_rank_spread (round_id=? AND level=? AND spread_milli<?)"
        ),
        plan!(
            "a round's ranking by vetoes, a page",
            ranked_desc!(5i64, level, review_cases::vetoes, 1i32, 50i64),
            "review_cases_rank_vetoes (round_id=? AND level=? AND vetoes<?)"
        ),
        plan!(
            "a round's ranking by number of reviews, a page",
            ranked_asc!(5i64, level, review_cases::submitted, 1i32, 50i64),
            "review_cases_rank_count (round_id=? AND level=? AND submitted>?)"
        ),
        plan!(
            "a round's cases for its export, a page",
            cases_after!(5i64, 9i64, 500i64),
            "review_cases_export (round_id=? AND application_id>?)"
        ),
        plan!(
            "a round's reviews for its export, a page",
            reviews_after!(5i64, 9i64, 500i64),
            "reviews_round (round_id=? AND application_id>?)"
        ),
    ]
}
