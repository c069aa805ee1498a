//! What the committee reads before it meets, from the aggregates scoring stored: the ranking of
//! a round's cases at each level, flagged for discussion where a review failed the gate or the
//! totals are far apart; each expert's calibration against the panel; the round's exports; the
//! printable summary. Everything here reads; nothing here changes a score or decides a case.

use super::assignment::{account_names, RoundLoader, COUNT_BOUND, PAGE};
use super::scoring::RubricLoader;
use super::ActionError;
use crate::access::{self, Actor};
use crate::csv_out::{CsvOut, Reader};
use crate::domain::settings::{Setting, Settings};
use crate::domain::{AccountId, ApplicationId, CommitteeId, Role, RoundId};
use crate::rubric::{self, Calibration, Kind, MarkValue, Marks, Rubric};
use crate::store::ranking::{self as store_k, Ranked, Sort};
use crate::store::reviews::Review;
use crate::store::rounds::Round;
use crate::store::{self, DbConnection};
use std::collections::HashMap;
use std::sync::Arc;

/// The printable summary lists at most this many cases per level; a round beyond it is read
/// in the ranking pages or the export.
pub const SUMMARY_MAX: usize = 1000;

/// The numbers the ranking and calibration use, as the round's settings give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub spread_points: u32,
    pub min_shared: u32,
    pub z_flag: u32,
}

impl Thresholds {
    pub fn of(s: &Settings, round: &Round) -> Thresholds {
        let get = |k| s.count(k, round.committee, Some(round.id));
        Thresholds {
            spread_points: get(Setting::DiscussionSpread),
            min_shared: get(Setting::CalibrationMinShared),
            z_flag: get(Setting::CalibrationZFlag),
        }
    }
}

/// A ranked case as the pages show it.
#[derive(Debug, Clone)]
pub struct RankRow {
    pub id: ApplicationId,
    pub reference: String,
    pub name: String,
    pub r: Ranked,
    /// The criterion the experts disagree on most, by its name in the round's rubric.
    pub widest: Option<String>,
    pub discuss: bool,
    /// Why it is for discussion, in words: the vetoes, the spread.
    pub reasons: Vec<String>,
}

/// One level of a round, ranked.
pub struct Ranking {
    pub round: Round,
    /// Each level the round takes.
    pub levels: Vec<String>,
    pub level: String,
    pub sort: Sort,
    pub rows: Vec<RankRow>,
    /// Where the next page starts: `(key, application)` of the last row.
    pub next: Option<(i64, i64)>,
    pub thresholds: Thresholds,
}

/// Who reads the committee's material before it meets: its own office and the supervisor.
/// The round must be the committee's.
fn round_of(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    round: RoundLoader,
) -> Result<Round, ActionError> {
    access::may_list_committee_cases(who, committee)?;
    round(c, id)?
        .filter(|r| r.committee == Some(committee))
        .ok_or(ActionError::NotFound)
}

fn rubric_of(
    c: &mut DbConnection,
    round: &Round,
    rubric: RubricLoader,
) -> Result<Arc<Rubric>, ActionError> {
    match round.rubric {
        Some(id) => rubric(c, id),
        None => Ok(Arc::new(Rubric::default_rubric())),
    }
}

/// Which page of a ranking is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    First,
    After(i64, i64),
    Last,
}

/// One page of one level of a round's ranking.
#[allow(clippy::too_many_arguments)]
pub fn ranking(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    level: &str,
    sort: Sort,
    part: Part,
    (settings, round, rubric): (&Settings, RoundLoader, RubricLoader),
) -> Result<Ranking, ActionError> {
    let round = round_of(c, who, committee, id, round)?;
    let levels: Vec<String> = round
        .effective_levels()
        .iter()
        .map(|l| l.zh().to_string())
        .collect();
    // A level the round does not take has no cases: its first level is shown instead.
    let level = levels
        .iter()
        .find(|l| l.as_str() == level)
        .or(levels.first())
        .cloned()
        .unwrap_or_default();
    let mut rows = match part {
        Part::First => store_k::page(c, id, &level, sort, None, PAGE + 1)?,
        Part::After(k, a) => store_k::page(c, id, &level, sort, Some((k, a)), PAGE + 1)?,
        Part::Last => store_k::last_page(c, id, &level, sort, PAGE)?,
    };
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| (sort.key(r), r.application_id))
    });
    let rubric = rubric_of(c, &round, rubric)?;
    let thresholds = Thresholds::of(settings, &round);
    let rows = shown(rows, &rubric, thresholds);
    Ok(Ranking {
        round,
        levels,
        level,
        sort,
        rows,
        next: next.flatten(),
        thresholds,
    })
}

/// Ranked rows with what to discuss and why.
fn shown(rows: Vec<Ranked>, rubric: &Rubric, t: Thresholds) -> Vec<RankRow> {
    rows.into_iter()
        .map(|r| {
            let mut reasons = Vec::new();
            if r.vetoes > 0 {
                reasons.push(format!("一票否决 {} 份", r.vetoes));
            }
            if r.spread_milli > i64::from(t.spread_points) * 1000 {
                reasons.push(format!("极差 {} 分", rubric::points(r.spread_milli)));
            }
            RankRow {
                reasons,
                id: ApplicationId(r.application_id),
                reference: r.reference.clone().unwrap_or_default(),
                name: r.applicant_name.clone().unwrap_or_default(),
                widest: criterion_name(rubric, &r.widest),
                discuss: rubric::for_discussion(r.vetoes, r.spread_milli, t.spread_points),
                r,
            }
        })
        .collect()
}

fn criterion_name(rubric: &Rubric, key: &str) -> Option<String> {
    if key.is_empty() {
        return None;
    }
    Some(
        rubric
            .criteria
            .iter()
            .find(|c| c.key == key)
            .map_or_else(|| key.to_string(), |c| c.name.clone()),
    )
}

/// One expert's calibration in a round.
#[derive(Debug, Clone)]
pub struct ExpertCalibration {
    pub account: AccountId,
    pub name: String,
    pub c: Calibration,
    /// Enough shared dossiers for a z-score (otherwise 样本不足).
    pub enough: bool,
}

/// A round's calibration: every expert's for the office, the expert's own for them.
pub struct CalibrationView {
    pub round: Round,
    pub committee: CommitteeId,
    pub rows: Vec<ExpertCalibration>,
    pub thresholds: Thresholds,
    /// Why the expert's own calibration is not shown yet.
    pub withheld: Option<&'static str>,
}

/// Why an expert may not see their calibration while they still score in the round: it would
/// tell them how their scores compare before they give the rest.
pub const WITHHELD_WHILE_SCORING: &str =
    "您在本批次还有尚未提交的评分。为免影响评分，全部提交（或评分结束）后才显示您的评分校准。";

/// Why an expert may not see it at all in a round that keeps peers' scores from experts:
/// a mean difference over few cases would tell them the others' scores.
pub const WITHHELD_BY_ROUND: &str =
    "本批次设定专家只能看到本人的评分，评分校准会透露其他专家的评分，因此不向专家显示。";

/// Experts as the supervisor sees them: numbered by account within the round (the same
/// numbers on every page and in the export), never named.
fn anonymous(accounts: impl IntoIterator<Item = i64>) -> HashMap<i64, String> {
    let mut ids: Vec<i64> = accounts.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .enumerate()
        .map(|(i, a)| (a, format!("专家{}", i + 1)))
        .collect()
}

fn calibrated(s: &rubric::Sums, t: Thresholds) -> (Calibration, bool) {
    let c = rubric::calibrate_sums(s, t.min_shared as usize, f64::from(t.z_flag));
    let enough = c.shared >= t.min_shared as usize;
    (c, enough)
}

/// Every expert's calibration in a round (the office's and the supervisor's page), most
/// shared dossiers first.
pub fn calibration(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    (settings, round): (&Settings, RoundLoader),
) -> Result<CalibrationView, ActionError> {
    let round = round_of(c, who, committee, id, round)?;
    let thresholds = Thresholds::of(settings, &round);
    let sums = store_k::sums_of_round(c, id)?;
    let names = if who.role == Role::Office {
        account_names(c, sums.iter().map(|(a, _)| *a))?
    } else {
        anonymous(sums.iter().map(|(a, _)| *a))
    };
    let mut rows: Vec<ExpertCalibration> = sums
        .iter()
        .map(|(a, s)| {
            let (cal, enough) = calibrated(s, thresholds);
            ExpertCalibration {
                account: AccountId(*a),
                name: names.get(a).cloned().unwrap_or_default(),
                c: cal,
                enough,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.c.shared
            .cmp(&a.c.shared)
            .then(a.account.0.cmp(&b.account.0))
    });
    Ok(CalibrationView {
        round,
        committee,
        rows,
        thresholds,
        withheld: None,
    })
}

/// The expert's own calibration in a round they reviewed in; any other round, and any other
/// expert's, does not exist for them.
pub fn my_calibration(
    c: &mut DbConnection,
    who: &Actor,
    id: RoundId,
    (settings, round): (&Settings, RoundLoader),
) -> Result<CalibrationView, ActionError> {
    if who.role != Role::Expert {
        return Err(ActionError::NotFound);
    }
    let round = round(c, id)?.ok_or(ActionError::NotFound)?;
    let committee = round.committee.ok_or(ActionError::NotFound)?;
    let thresholds = Thresholds::of(settings, &round);
    let mine = store_k::sums_of_round(c, id)?
        .into_iter()
        .find(|(a, _)| *a == who.id.0)
        .ok_or(ActionError::NotFound)?;
    let withheld = if !settings.flag(Setting::PeerReviewsAfterSubmit, Some(committee), Some(id)) {
        Some(WITHHELD_BY_ROUND)
    } else if store_k::has_open_review(c, who.id, id)? {
        Some(WITHHELD_WHILE_SCORING)
    } else {
        None
    };
    let name = account_names(c, [who.id.0])?
        .remove(&who.id.0)
        .unwrap_or_default();
    let (cal, enough) = calibrated(&mine.1, thresholds);
    let rows = match withheld {
        Some(_) => Vec::new(),
        None => vec![ExpertCalibration {
            account: who.id,
            name,
            c: cal,
            enough,
        }],
    };
    Ok(CalibrationView {
        round,
        committee,
        rows,
        thresholds,
        withheld,
    })
}

/// The rounds an expert has a calibration in (their home links to each).
pub fn my_rounds(c: &mut DbConnection, who: &Actor) -> Result<Vec<RoundId>, ActionError> {
    Ok(store_k::rounds_of_expert(c, who.id)?
        .into_iter()
        .map(RoundId)
        .collect())
}

/// One level of the printable summary: every case ranked by total (up to [`SUMMARY_MAX`]),
/// with its place (equal totals share one).
pub struct SummaryLevel {
    pub level: String,
    pub rows: Vec<(usize, RankRow)>,
    /// More cases than the summary lists.
    pub cut: bool,
}

pub struct Summary {
    pub round: Round,
    pub levels: Vec<SummaryLevel>,
    pub thresholds: Thresholds,
    /// Cases whose scoring is still open (up to [`COUNT_BOUND`]): their numbers may change.
    pub open: i64,
    /// When it was read: a printed copy says how current it is.
    pub at: chrono::NaiveDateTime,
}

/// The round's summary for the meeting: each level ranked by total, the cases to discuss and
/// why, and the review groups' opinions. No ID numbers, and no expert: calibration is for the
/// office to raise, not for a document handed round the meeting.
pub fn summary(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    (settings, round, rubric): (&Settings, RoundLoader, RubricLoader),
    now: chrono::NaiveDateTime,
) -> Result<Summary, ActionError> {
    let round = round_of(c, who, committee, id, round)?;
    let rubric = rubric_of(c, &round, rubric)?;
    let thresholds = Thresholds::of(settings, &round);
    let mut levels = Vec::new();
    for level in round.effective_levels() {
        let level = level.zh().to_string();
        let mut ranked: Vec<Ranked> = Vec::new();
        let mut after = None;
        while ranked.len() <= SUMMARY_MAX {
            let page = store_k::page(c, id, &level, Sort::Total, after, 500)?;
            let Some(last) = page.last() else { break };
            after = Some((last.mean_milli, last.application_id));
            let full = page.len() == 500;
            ranked.extend(page);
            if !full {
                break;
            }
        }
        let cut = ranked.len() > SUMMARY_MAX;
        ranked.truncate(SUMMARY_MAX);
        let rows = shown(ranked, &rubric, thresholds);
        let mut placed = Vec::with_capacity(rows.len());
        let mut place = 0;
        for (i, row) in rows.into_iter().enumerate() {
            let tied = placed
                .last()
                .is_some_and(|(_, p): &(usize, RankRow)| p.r.mean_milli == row.r.mean_milli);
            if !tied {
                place = i + 1;
            }
            placed.push((place, row));
        }
        levels.push(SummaryLevel {
            level,
            rows: placed,
            cut,
        });
    }
    let (open, _) = store::reviews::count_open(c, id, 0, COUNT_BOUND)?;
    Ok(Summary {
        round,
        levels,
        thresholds,
        open,
        at: now,
    })
}

/// Which of a round's exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// One row per application with its aggregates and the review group's opinion.
    Applications,
    /// One row per review and criterion, and one per review with its total and opinion.
    Reviews,
}

/// A round's export being written, one page of the round at a time: [`Export::next_chunk`]
/// returns the next piece of the file until it returns `None`. Only one page is ever held, so
/// an export of any size takes the same memory.
pub struct Export {
    kind: ExportKind,
    round: RoundId,
    committee: CommitteeId,
    rubric: Arc<Rubric>,
    thresholds: Thresholds,
    /// Experts by account: names for the office (read a page at a time, as they appear);
    /// 专家1, 专家2… for the supervisor, numbered in the order they first appear.
    names: Option<HashMap<i64, String>>,
    anonymous: HashMap<i64, String>,
    after: i64,
    started: bool,
    done: bool,
}

/// Reviews (or cases) read per piece of an export.
const EXPORT_PAGE: i64 = 500;

impl Export {
    /// Checks who may have it, before a byte of it is sent.
    pub fn open(
        c: &mut DbConnection,
        who: &Actor,
        committee: CommitteeId,
        id: RoundId,
        kind: ExportKind,
        (settings, round, rubric): (&Settings, RoundLoader, RubricLoader),
    ) -> Result<Export, ActionError> {
        let round = round_of(c, who, committee, id, round)?;
        let rubric = rubric_of(c, &round, rubric)?;
        // Expert names are the office's: the supervisor's copy numbers them as its calibration
        // page does.
        let names = (who.role == Role::Office).then(HashMap::new);
        let anonymous = match names {
            Some(_) => HashMap::new(),
            None => anonymous(store_k::sums_of_round(c, id)?.into_iter().map(|(a, _)| a)),
        };
        Ok(Export {
            kind,
            round: id,
            committee,
            rubric,
            thresholds: Thresholds::of(settings, &round),
            names,
            anonymous,
            after: 0,
            started: false,
            done: false,
        })
    }

    pub fn file_name(&self) -> String {
        match self.kind {
            ExportKind::Applications => format!("round-{}-applications.csv", self.round),
            ExportKind::Reviews => format!("round-{}-reviews.csv", self.round),
        }
    }

    /// The next piece of the file (the byte order mark and the header first), or `None` at
    /// its end.
    pub fn next_chunk(&mut self, c: &mut DbConnection) -> Result<Option<Vec<u8>>, ActionError> {
        if self.done {
            return Ok(None);
        }
        let mut out = if self.started {
            CsvOut::continued(Vec::new())
        } else {
            CsvOut::new(Vec::new(), Reader::Spreadsheet).map_err(io)?
        };
        if !self.started {
            self.started = true;
            let header: &[&str] = match self.kind {
                ExportKind::Applications => &APPLICATION_HEADER,
                ExportKind::Reviews => &REVIEW_HEADER,
            };
            out.row(header).map_err(io)?;
        }
        let more = match self.kind {
            ExportKind::Applications => self.applications(c, &mut out)?,
            ExportKind::Reviews => self.reviews(c, &mut out)?,
        };
        self.done = !more;
        Ok(Some(out.into_inner().map_err(io)?))
    }

    /// Writes a page of cases; false when there were none left.
    fn applications(
        &mut self,
        c: &mut DbConnection,
        out: &mut CsvOut<Vec<u8>>,
    ) -> Result<bool, ActionError> {
        let page = store_k::cases_page(c, self.round, self.after, EXPORT_PAGE)?;
        let Some(last) = page.last().map(|r| r.application_id) else {
            return Ok(false);
        };
        self.after = last;
        let who = Identities::of(c, self.committee, page.iter().map(|r| r.application_id))?;
        for r in page {
            let (reference, name, id) = who.get(r.application_id);
            let widest = criterion_name(&self.rubric, &r.widest).unwrap_or_default();
            let discuss =
                rubric::for_discussion(r.vetoes, r.spread_milli, self.thresholds.spread_points);
            out.row([
                reference,
                name,
                id,
                r.level.as_str(),
                &r.submitted.to_string(),
                &rubric::points(r.mean_milli),
                &rubric::points(r.median_milli),
                &rubric::points(r.spread_milli),
                &rubric::points(r.stddev_milli),
                &r.vetoes.to_string(),
                &widest,
                if discuss { "是" } else { "否" },
                if r.closed { "已结束" } else { "评分中" },
                &r.group_opinion,
            ])
            .map_err(io)?;
        }
        Ok(true)
    }

    /// Writes a page of reviews; false when there were none left.
    fn reviews(
        &mut self,
        c: &mut DbConnection,
        out: &mut CsvOut<Vec<u8>>,
    ) -> Result<bool, ActionError> {
        let page = store_k::reviews_page(c, self.round, self.after, EXPORT_PAGE)?;
        let Some(last) = page.last().map(|r| r.application_id) else {
            return Ok(false);
        };
        self.after = last;
        let mut apps: Vec<i64> = page.iter().map(|r| r.application_id).collect();
        apps.dedup();
        // Only what the committee counts: submitted, by experts still on the case.
        let on: std::collections::HashSet<(i64, i64)> = store::reviews::on_cases(c, &apps)?
            .into_iter()
            .map(|(a, acc, _)| (a, acc))
            .collect();
        let levels = store_k::levels_of(c, &apps)?;
        if let Some(names) = self.names.as_mut() {
            let missing: Vec<i64> = page
                .iter()
                .map(|r| r.account_id)
                .filter(|a| !names.contains_key(a))
                .collect();
            if !missing.is_empty() {
                names.extend(account_names(c, missing)?);
            }
        }
        let who = Identities::of(c, self.committee, apps.iter().copied())?;
        for r in page
            .iter()
            .filter(|r| r.submitted() && on.contains(&(r.application_id, r.account_id)))
        {
            self.review(out, r, &who, levels.get(&r.application_id))?;
        }
        Ok(true)
    }

    fn expert(&mut self, account: i64) -> String {
        if let Some(name) = self.names.as_ref().and_then(|n| n.get(&account)) {
            return name.clone();
        }
        let next = self.anonymous.len() + 1;
        self.anonymous
            .entry(account)
            .or_insert_with(|| format!("专家{next}"))
            .clone()
    }

    fn review(
        &mut self,
        out: &mut CsvOut<Vec<u8>>,
        r: &Review,
        who: &Identities,
        level: Option<&String>,
    ) -> Result<(), ActionError> {
        let (reference, name, id) = who.get(r.application_id);
        let expert = self.expert(r.account_id);
        let marks: Marks = serde_json::from_str(&r.marks).unwrap_or_default();
        let level = level.map_or("", |l| l.as_str());
        let submitted = r
            .submitted_at
            .map(crate::time::local_minutes)
            .unwrap_or_default();
        let total = rubric::points(r.total_milli);
        let veto = if r.veto { "是" } else { "否" };
        let rubric = self.rubric.clone();
        for criterion in &rubric.criteria {
            let (kind, max, weight) = match criterion.kind {
                Kind::Gate => ("资格项", String::new(), String::new()),
                Kind::Score { max, weight } => ("评分项", max.to_string(), weight.to_string()),
            };
            let value = match marks.value(&criterion.key) {
                MarkValue::Pass => "通过".to_string(),
                MarkValue::Fail => "不通过".to_string(),
                MarkValue::Score(v) => v.to_string(),
                MarkValue::Missing => String::new(),
            };
            let comment = marks
                .scores
                .iter()
                .find(|m| m.key == criterion.key)
                .map_or("", |m| m.comment.as_str());
            out.row([
                reference,
                name,
                id,
                level,
                &expert,
                &criterion.name,
                kind,
                &value,
                &max,
                &weight,
                comment,
                &total,
                veto,
                &submitted,
            ])
            .map_err(io)?;
        }
        out.row([
            reference,
            name,
            id,
            level,
            &expert,
            "总体意见",
            "",
            "",
            "",
            "",
            &r.opinion,
            &total,
            veto,
            &submitted,
        ])
        .map_err(io)
    }
}

const APPLICATION_HEADER: [&str; 14] = [
    "申报编号",
    "申报人",
    "身份证号（脱敏）",
    "评审级别",
    "已提交评分",
    "平均分",
    "中位数",
    "极差",
    "标准差",
    "一票否决",
    "分歧最大的评审项",
    "提请讨论",
    "评分状态",
    "评议组意见",
];

const REVIEW_HEADER: [&str; 14] = [
    "申报编号",
    "申报人",
    "身份证号（脱敏）",
    "评审级别",
    "评审专家",
    "评审项",
    "类型",
    "评分或结论",
    "满分",
    "权重（%）",
    "意见",
    "总分",
    "一票否决",
    "提交时间",
];

/// Who applied, for a page of an export: the reference, the name and the masked ID number
/// frozen at submission (the full number is never exported).
struct Identities(HashMap<i64, (String, String, String)>);

impl Identities {
    fn of(
        c: &mut DbConnection,
        committee: CommitteeId,
        apps: impl IntoIterator<Item = i64>,
    ) -> Result<Identities, ActionError> {
        let ids: Vec<ApplicationId> = apps.into_iter().map(ApplicationId).collect();
        let rows = store::committee_list::details(c, committee, &ids)?;
        Ok(Identities(
            rows.into_iter()
                .map(|d| {
                    let masked = d
                        .summary
                        .as_deref()
                        .and_then(|s| {
                            serde_json::from_str::<crate::application::ListSummary>(s).ok()
                        })
                        .map(|s| s.id_masked)
                        .unwrap_or_default();
                    (
                        d.id.0,
                        (
                            d.reference.unwrap_or_default(),
                            d.applicant_name.unwrap_or_default(),
                            masked,
                        ),
                    )
                })
                .collect(),
        ))
    }

    fn get(&self, app: i64) -> (&str, &str, &str) {
        self.0.get(&app).map_or(("", "", ""), |(r, n, m)| {
            (r.as_str(), n.as_str(), m.as_str())
        })
    }
}

/// Writing to memory fails only if memory does.
fn io(e: std::io::Error) -> ActionError {
    ActionError::Store(store::StoreError::Query(
        diesel::result::Error::SerializationError(Box::new(e)),
    ))
}
