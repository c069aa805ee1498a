//! A round's panel (本次评审委员会): drawn by its committee's office from the committee's pool,
//! reproducibly (the pure [`crate::panel`] draw over a recorded candidate list and a seed from
//! the operating system), every draw recorded, a discarded one with its reason; then the chair
//! and vice-chairs designated among the members.

use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::domain::round::{check_designation, PanelRole};
use crate::domain::settings::Setting;
use crate::domain::{AuditAction, CommitteeId, DrawId, FieldErrors, PoolEntryId, RoundId, Subject};
use crate::panel::{self, Candidate, Filter};
use crate::store::committees::Committee;
use crate::store::panels::{self as draws, Draw, Member, NewDraw};
use crate::store::pool::{self, PoolEntry};
use crate::store::rounds::Round;
use crate::store::{self, audit, committees, rounds, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};

/// The smallest panel the committee's rules allow for the round: the largest minimum among its
/// levels (a committee organised by specialty has its own minimum for senior levels).
pub fn minimum(c: &mut DbConnection, com: &Committee, round: &Round) -> Result<usize, ActionError> {
    let settings = super::settings::load(c)?;
    let by_specialty = !com.specialty.is_empty();
    Ok(round
        .effective_levels()
        .iter()
        .map(|l| {
            settings.count(
                Setting::min_panel(*l, by_specialty),
                Some(com.id),
                Some(round.id),
            ) as usize
        })
        .max()
        .unwrap_or(0))
}

/// The filters of a draw for the round on `today`: the committee's series, its specialty when
/// it is organised by one (else the specialty asked for), the round's highest level, a term
/// covering the draw to the scoring deadline.
fn filter<'a>(
    com: &'a Committee,
    round: &Round,
    specialty: &'a str,
    today: NaiveDate,
) -> Filter<'a> {
    Filter {
        series: &com.series,
        specialty: if com.specialty.is_empty() {
            specialty
        } else {
            &com.specialty
        },
        highest_level: round
            .effective_levels()
            .first()
            .copied()
            .unwrap_or(crate::domain::TitleLevel::Junior),
        from: today,
        until: round
            .scoring_deadline
            .unwrap_or(round.submission_deadline)
            .max(today),
    }
}

fn candidates(entries: &[PoolEntry]) -> Vec<Candidate<'_>> {
    entries
        .iter()
        .map(|e| Candidate {
            entry: e.id.0,
            active: e.active,
            level: e.title_level,
            series: &e.series,
            specialty: &e.specialty,
            term_from: e.term_from,
            term_until: e.term_until,
        })
        .collect()
}

/// The panel members the round's filters would no longer draw today — removed from the pool,
/// or the round changed since the draw (a higher level, a later scoring deadline) — each with
/// what they no longer meet. A round does not open on such a panel.
pub fn unfit_members(
    c: &mut DbConnection,
    com: &Committee,
    round: &Round,
    today: NaiveDate,
) -> Result<Vec<String>, ActionError> {
    let members = draws::members(c, round.id)?;
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let entries = pool::of_committee(c, com.id)?;
    let f = filter(com, round, "", today);
    let fit = panel::eligible(&candidates(&entries), &f);
    Ok(members
        .iter()
        .filter(|m| !fit.contains(&m.entry.0))
        .map(|m| match entries.iter().find(|e| e.id == m.entry) {
            Some(e) if !e.active => format!("{}已移出专家库", e.name),
            Some(e) if e.title_level < f.highest_level => {
                format!("{}的职称低于本批次评审的{}", e.name, f.highest_level.zh())
            }
            Some(e) if e.term_from > f.from || e.term_until < f.until => format!(
                "{}的任期（{} 至 {}）不能覆盖至评分截止日期 {}",
                e.name, e.term_from, e.term_until, f.until
            ),
            Some(e) => format!("{}不再符合抽取条件（{}）", e.name, f.describe()),
            None => "有成员已不在本评委会专家库".to_string(),
        })
        .collect())
}

/// A round's panel page: the members with their pool records, every draw, and what a new draw
/// would take.
pub struct PanelView {
    pub members: Vec<(Member, PoolEntry)>,
    pub draws: Vec<Draw>,
    pub minimum: usize,
    /// How many pool entries the filters keep today (no specialty filter).
    pub eligible: usize,
    pub filters: String,
    /// The specialties of the committee's active pool, for the draw's filter.
    pub specialties: Vec<String>,
}

pub fn view(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    round: &Round,
    today: NaiveDate,
) -> Result<PanelView, ActionError> {
    access::may_view_committee(who, committee)?;
    let com = committees::find(c, committee)?.ok_or(ActionError::NotFound)?;
    let entries = pool::of_committee(c, committee)?;
    let f = filter(&com, round, "", today);
    let eligible = panel::eligible(&candidates(&entries), &f).len();
    let mut specialties: Vec<String> = entries
        .iter()
        .filter(|e| e.active && !e.specialty.is_empty())
        .map(|e| e.specialty.clone())
        .collect();
    specialties.sort();
    specialties.dedup();
    let members = draws::members(c, round.id)?
        .into_iter()
        .filter_map(|m| {
            let e = entries.iter().find(|e| e.id == m.entry)?.clone();
            Some((m, e))
        })
        .collect();
    Ok(PanelView {
        members,
        draws: draws::draws(c, round.id)?,
        minimum: minimum(c, &com, round)?,
        eligible,
        filters: f.describe(),
        specialties,
    })
}

/// Reads the round for a panel change: its committee's, at the version the page showed, not
/// yet open (the panel of an open round stays as it was drawn), its committee able to act.
fn for_change(
    c: &mut DbConnection,
    committee: CommitteeId,
    id: RoundId,
    seen: i64,
    now: NaiveDateTime,
) -> Result<(Round, Committee), ActionError> {
    let round = rounds::find(c, id)?
        .filter(|r| r.committee == Some(committee))
        .ok_or(ActionError::NotFound)?;
    if round.version != seen {
        return Err(ActionError::Stale);
    }
    if round.closed_at.is_some() {
        return Err(ActionError::Refused("本批次已关闭".into()));
    }
    if round.opened_at.is_some() {
        return Err(ActionError::Refused(
            "本批次已开始受理，本次评审委员会按已抽取的结果组成，不能再抽取或更改".into(),
        ));
    }
    let com = committees::find(c, committee)?.ok_or(ActionError::NotFound)?;
    com.standing(crate::time::local_date(now))
        .may_act()
        .map_err(|m| ActionError::Refused(m.into()))?;
    // The round's row is taken first, at the version seen: a second office acting at once
    // waits here and is then told the round changed, before it writes anything.
    if !rounds::bump(c, id, seen)? {
        return Err(ActionError::Stale);
    }
    Ok((round, com))
}

/// Draws the round's panel: `count` members among the pool entries the filters keep, in their
/// recorded order, with a fresh seed from the operating system. Refused while a draw stands
/// (discard it first, with a reason), or when the count breaks the committee's rules.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    seen: i64,
    count: &str,
    specialty: &str,
    now: NaiveDateTime,
) -> Result<DrawId, ActionError> {
    access::may_run_rounds(who, committee)?;
    let mut seed = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
    draw_with_seed(c, who, committee, (id, seen), count, specialty, seed, now)
}

/// [`draw`] with the seed given: the demo's draws are the same on every start.
#[allow(clippy::too_many_arguments)]
pub fn draw_with_seed(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    (id, seen): (RoundId, i64),
    count: &str,
    specialty: &str,
    seed: [u8; 32],
    now: NaiveDateTime,
) -> Result<DrawId, ActionError> {
    access::may_run_rounds(who, committee)?;
    store::write(c, |c| {
        let (round, com) = for_change(c, committee, id, seen, now)?;
        if !draws::members(c, id)?.is_empty() {
            return Err(ActionError::Refused(
                "本批次已有抽取结果；如需重新抽取，请先作废当前结果并说明理由".into(),
            ));
        }
        let mut e = FieldErrors::default();
        let specialty = specialty.trim();
        let entries = pool::of_committee(c, committee)?;
        if com.specialty.is_empty()
            && !specialty.is_empty()
            && !entries.iter().any(|x| x.specialty == specialty)
        {
            e.add("specialty", "请从列出的专业中选择，或选择不限专业");
        }
        let f = filter(&com, &round, specialty, crate::time::local_date(now));
        let list = panel::eligible(&candidates(&entries), &f);
        let minimum = minimum(c, &com, &round)?;
        let count = match count.trim().parse::<usize>() {
            Ok(n) if (1..=999).contains(&n) => Some(n),
            _ => {
                e.add(
                    "count",
                    format!("请填写抽取人数（单数，不少于 {minimum} 人）"),
                );
                None
            }
        };
        if let Some(n) = count {
            if let Err(why) = panel::check_size(n, minimum, list.len()) {
                e.add("count", why);
            }
        }
        if !e.is_empty() {
            return Err(ActionError::Invalid(e));
        }
        let n = count.unwrap_or(0);
        let drawn = panel::draw(&list, seed, n).map_err(|d| ActionError::Refused(d.to_string()))?;
        let seed_hex = panel::seed_hex(&seed);
        let filters = f.describe();
        let draw = draws::insert(
            c,
            &NewDraw {
                round: id,
                filters: &filters,
                candidates: &panel::ids_text(&list),
                seed: &seed_hex,
                size: n,
                drawn: &drawn,
                by: who.id,
                now,
            },
        )?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::PanelDraw,
            &Subject::Round(id),
            &format!(
                "抽取 {n} 人（候选 {} 人；{filters}），种子 {seed_hex}",
                list.len()
            ),
        )?;
        Ok(draw)
    })
}

/// Discards the round's standing draw, with the reason recorded; the round then has no panel
/// until drawn again.
pub fn discard(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    seen: i64,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_run_rounds(who, committee)?;
    let reason = crate::domain::RequiredText::parse(reason, "作废理由", 500).map_err(|m| {
        let mut e = FieldErrors::default();
        e.add("reason", m);
        ActionError::Invalid(e)
    })?;
    store::write(c, |c| {
        for_change(c, committee, id, seen, now)?;
        let members = draws::members(c, id)?;
        let Some(current) = members.first().map(|m| m.draw) else {
            return Err(ActionError::Refused("本批次没有可作废的抽取结果".into()));
        };
        if !draws::discard(c, current, who.id, reason.as_str(), now)? {
            return Err(ActionError::Stale);
        }
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::PanelDiscard,
            &Subject::Round(id),
            &format!("作废第 {} 次抽取：{}", current.0, reason.as_str()),
        )?;
        Ok(())
    })
}

/// Designates the chair and vice-chairs among the round's panel.
#[allow(clippy::too_many_arguments)]
pub fn designate(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    seen: i64,
    chair: Option<PoolEntryId>,
    vices: &[PoolEntryId],
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_run_rounds(who, committee)?;
    store::write(c, |c| {
        for_change(c, committee, id, seen, now)?;
        let members = draws::members(c, id)?;
        if members.is_empty() {
            return Err(ActionError::Refused("请先抽取本次评审委员会".into()));
        }
        let ids: Vec<i64> = members.iter().map(|m| m.entry.0).collect();
        let vice_ids: Vec<i64> = vices.iter().map(|v| v.0).collect();
        check_designation(&ids, chair.map(|c| c.0), &vice_ids).map_err(ActionError::Invalid)?;
        let chair = chair.ok_or(ActionError::Stale)?;
        draws::designate(c, id, chair, vices)?;
        let mut names = |ids: &[PoolEntryId]| -> Result<String, ActionError> {
            let mut out = Vec::new();
            for e in ids {
                if let Some(x) = pool::find(c, *e)? {
                    out.push(x.name);
                }
            }
            Ok(out.join("、"))
        };
        let detail = format!(
            "{}：{}；{}：{}",
            PanelRole::Chair.zh(),
            names(&[chair])?,
            PanelRole::ViceChair.zh(),
            if vices.is_empty() {
                "无".to_string()
            } else {
                names(vices)?
            }
        );
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::PanelDesignate,
            &Subject::Round(id),
            &detail,
        )?;
        Ok(())
    })
}

/// A draw replayed from its record: the panel the record's candidates, seed and size give,
/// and whether it is the panel recorded.
pub struct Replay {
    pub candidates: Vec<i64>,
    pub recorded: Vec<i64>,
    pub replayed: Result<Vec<i64>, String>,
}

impl Replay {
    pub fn matches(&self) -> bool {
        self.replayed.as_ref().is_ok_and(|r| *r == self.recorded)
    }
}

pub fn replay(d: &Draw) -> Replay {
    let candidates = panel::parse_ids(&d.candidates).unwrap_or_default();
    let recorded = panel::parse_ids(&d.drawn).unwrap_or_default();
    let replayed = match panel::parse_seed(&d.seed) {
        Some(seed) => panel::replay(&candidates, seed, d.size).map_err(|e| e.to_string()),
        None => Err("记录中的种子不是64位十六进制数".into()),
    };
    Replay {
        candidates,
        recorded,
        replayed,
    }
}
