//! What the committee's office (and the supervisor) reads before the meeting: a round's ranking
//! per level, each expert's calibration, the printable summary, and the round's exports.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::settings::Settings;
use crate::domain::{CommitteeId, RoundId};
use crate::rubric::{points, signed_points};
use crate::service::assignment::RoundLoader;
use crate::service::ranking::{self, CalibrationView, Export, ExportKind, Part, Ranking, Summary};
use crate::service::scoring::RubricLoader;
use crate::service::ActionError;
use crate::store::ranking::Sort;
use crate::store::DbConnection;
use crate::web::chart::{self, Bar};
use crate::web::extract::Me;
use crate::web::{db, db_read, render_status, AppError, Page};
use crate::AppState;

/// Runs a read of the meeting's material with the server's cached settings, rounds and rubrics.
pub(crate) async fn read<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, (&Settings, RoundLoader, RubricLoader)) -> Result<T, ActionError>
        + Send
        + 'static,
{
    let st = state.clone();
    db_read(state, move |c| {
        let settings = st.settings(c)?;
        let round = |c: &mut DbConnection, r| st.round(c, r);
        let rubric = |c: &mut DbConnection, id| st.rubric(c, id);
        Ok(f(c, (&settings, &round, &rubric))?)
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Query {
    pub level: String,
    pub sort: String,
    /// Where the page starts: `key-application` of the last row before it.
    pub after: String,
    /// `1`: the last page.
    pub last: String,
}

impl Query {
    fn part(&self) -> Part {
        if self.last == "1" {
            return Part::Last;
        }
        let parsed = self
            .after
            .split_once('-')
            .and_then(|(k, a)| Some((k.parse::<i64>().ok()?, a.parse::<i64>().ok()?)));
        // A link typed wrong starts at the beginning.
        parsed.map_or(Part::First, |(k, a)| Part::After(k, a))
    }
}

#[derive(Template)]
#[template(path = "shared/ranking.html")]
pub struct RankingPage {
    page: Page,
    committee: CommitteeId,
    v: Ranking,
    part: Part,
    /// The office opens each case's reviews; the supervisor reads the ranking only.
    office: bool,
}

impl RankingPage {
    fn sort_link(&self, sort: &Sort) -> String {
        format!(
            "/committees/{}/rounds/{}/ranking?level={}&sort={}",
            self.committee,
            self.v.round.id,
            self.v.level,
            sort.code()
        )
    }

    fn here(&self) -> String {
        format!(
            "/committees/{}/rounds/{}/ranking?level={}&sort={}",
            self.committee,
            self.v.round.id,
            self.v.level,
            self.v.sort.code()
        )
    }
}

/// What each sort is called on the page.
pub fn sort_label(sort: &Sort) -> &'static str {
    match sort {
        Sort::Total => "平均分（高→低）",
        Sort::Median => "中位数（高→低）",
        Sort::Spread => "极差（大→小）",
        Sort::Vetoes => "一票否决（多→少）",
        Sort::Count => "已提交评分（少→多）",
    }
}

pub async fn ranking(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
    q: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let ((committee, round), who) = (*path, me.actor);
    let sort = Sort::parse(&q.sort).unwrap_or_default();
    let (part, level) = (q.part(), q.level.clone());
    let v = read(&state, move |c, loaders| {
        ranking::ranking(c, &who, committee, round, &level, sort, part, loaders)
    })
    .await?;
    let p = RankingPage {
        page: me.page(),
        committee,
        v,
        part,
        office: me.actor.role == crate::domain::Role::Office,
    };
    render_status(StatusCode::OK, &p)
}

#[derive(Template)]
#[template(path = "shared/calibration.html")]
pub struct CalibrationPage {
    page: Page,
    v: CalibrationView,
    chart: String,
    /// The expert's own page (their home is the way back).
    mine: bool,
}

impl CalibrationPage {
    pub fn new(page: Page, v: CalibrationView, mine: bool) -> CalibrationPage {
        let bars: Vec<Bar> = v
            .rows
            .iter()
            .map(|r| Bar {
                label: r.name.clone(),
                mean_diff_milli: r.c.mean_diff_milli,
                flagged: r.c.flagged,
                thin: !r.enough,
            })
            .collect();
        CalibrationPage {
            page,
            chart: chart::calibration(&bars),
            v,
            mine,
        }
    }
}

/// A correlation or a z-score as the table shows it: two decimals, or a dash when there is
/// none.
pub fn decimal(v: &Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:.2}"))
}

pub async fn calibration(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
) -> Result<HttpResponse, AppError> {
    let ((committee, round), who) = (*path, me.actor);
    let v = read(&state, move |c, (settings, round_of, _)| {
        ranking::calibration(c, &who, committee, round, (settings, round_of))
    })
    .await?;
    render_status(StatusCode::OK, &CalibrationPage::new(me.page(), v, false))
}

#[derive(Template)]
#[template(path = "shared/round_summary.html")]
pub struct SummaryPage {
    page: Page,
    committee: CommitteeId,
    v: Summary,
}

pub async fn summary(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
) -> Result<HttpResponse, AppError> {
    let ((committee, round), who, now) = (*path, me.actor, state.now());
    let v = read(&state, move |c, loaders| {
        ranking::summary(c, &who, committee, round, loaders, now)
    })
    .await?;
    let p = SummaryPage {
        page: me.page(),
        committee,
        v,
    };
    render_status(StatusCode::OK, &p)
}

pub async fn export_applications(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
) -> Result<HttpResponse, AppError> {
    export(state, me, *path, ExportKind::Applications).await
}

pub async fn export_reviews(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
) -> Result<HttpResponse, AppError> {
    export(state, me, *path, ExportKind::Reviews).await
}

/// Exports one server streams at once; more are answered 503 (try again shortly). Two cores
/// write about one export each at full speed, so more at once only share the same CPU.
pub const EXPORTS_AT_ONCE: usize = 4;

/// The export streamed a page of the round at a time: who may have it is checked before the
/// first byte; each page is read on the blocking pool with a connection of its own.
async fn export(
    state: web::Data<AppState>,
    me: Me,
    (committee, round): (CommitteeId, RoundId),
    kind: ExportKind,
) -> Result<HttpResponse, AppError> {
    let mut slot = crate::web::upload::Reservation::new(&state.exports);
    slot.grow(1)?;
    let (who, st) = (me.actor, state.clone());
    let opened = db(&state, move |c| {
        let settings = st.settings(c)?;
        let load = |c: &mut DbConnection, r| st.round(c, r);
        let rubric = |c: &mut DbConnection, id| st.rubric(c, id);
        Ok(Export::open(
            c,
            &who,
            committee,
            round,
            kind,
            (&settings, &load, &rubric),
        )?)
    })
    .await?;
    let name = opened.file_name();
    let chunks = write_on_its_own_thread(opened, state.pool.clone());
    // The slot goes with the stream: given back when the file ends or the download stops.
    let body = futures_util::stream::unfold(Some((chunks, slot)), |state| async move {
        let (chunks, slot) = state?;
        // Only the finished piece crosses threads here; the pages are read and written on the
        // export's own thread.
        let next = web::block(move || {
            let next = chunks.recv();
            (chunks, next)
        })
        .await;
        match next {
            Ok((chunks, Ok(Ok(bytes)))) => Some((Ok(bytes), Some((chunks, slot)))),
            // The writer finished: the file is whole.
            Ok((_, Err(_))) => None,
            // The file is cut short (the download fails) rather than ending as if whole.
            Ok((_, Ok(Err(e)))) => {
                log::error!("export stopped: {e}");
                Some((Err(actix_web::error::ErrorInternalServerError(e)), None))
            }
            Err(e) => Some((Err(actix_web::error::ErrorInternalServerError(e)), None)),
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}

/// Writes the export a page at a time on a thread of its own, two pieces ahead of the
/// download at most: memory stays one page whatever the length, and on one thread (read on
/// whichever blocking thread was free, each page left its freed memory with a different one).
/// The thread ends with the file, or as soon as the download stops (the receiver is dropped).
fn write_on_its_own_thread(
    mut export: Export,
    pool: crate::store::Pool,
) -> std::sync::mpsc::Receiver<Result<web::Bytes, String>> {
    let (tx, rx) = std::sync::mpsc::sync_channel(2);
    std::thread::spawn(move || loop {
        let chunk = match pool.get() {
            Ok(mut c) => export.next_chunk(&mut c).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        let last = !matches!(chunk, Ok(Some(_)));
        let sent = match chunk {
            Ok(Some(bytes)) => tx.send(Ok(web::Bytes::from(bytes))),
            Ok(None) => break,
            Err(e) => tx.send(Err(e)),
        };
        if sent.is_err() || last {
            break;
        }
    });
    rx
}

/// Points as the pages show them.
pub fn pts(milli: &i64) -> String {
    points(*milli)
}

pub fn signed(milli: &i64) -> String {
    signed_points(*milli)
}
