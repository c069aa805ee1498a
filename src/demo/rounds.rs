//! The demo's rounds, set up by the committees' offices through the same services as their
//! clicks: the 中级 committee's round open on its drawn panel (a first draw discarded with its
//! reason, then a chair and a vice-chair) and the default rubric pinned, with a second rubric
//! version edited after pinning; a round closed early; and the expired committee's rounds — one
//! opened while it was registered, one prepared since that cannot open.

use super::committees::ids;
use crate::access::Actor;
use crate::domain::round::RoundTyped;
use crate::domain::{RoundId, TitleLevel};
use crate::rubric::{Kind, Rubric};
use crate::store::{self, accounts, DbConnection};
use chrono::{Datelike, NaiveDate, NaiveDateTime};

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub(super) fn office(conn: &mut DbConnection, login: &str) -> Result<Actor, String> {
    let a = accounts::find_by_login(conn, login)
        .map_err(err)?
        .ok_or_else(|| format!("{login} is missing"))?;
    Ok(Actor {
        committee: a.committee,
        ..Actor::new(a.id, a.role)
    })
}

/// The demo's seeds: fixed, so that the demo's panels are the same on every start (a real draw
/// takes its seed from the operating system).
fn seed(byte: u8) -> [u8; 32] {
    let mut s = [byte; 32];
    s[0] = 0x9e;
    s
}

fn find(conn: &mut DbConnection, name: &str) -> Result<Option<RoundId>, String> {
    Ok(store::rounds::list(conn)
        .map_err(err)?
        .into_iter()
        .find(|r| r.name == name)
        .map(|r| r.id))
}

fn version(conn: &mut DbConnection, id: RoundId) -> Result<i64, String> {
    Ok(store::rounds::find(conn, id)
        .map_err(err)?
        .ok_or("the round")?
        .version)
}

/// The 中级 committee's open round (the demo applicants apply to it).
pub fn main_round(conn: &mut DbConnection, now: NaiveDateTime) -> Result<RoundId, String> {
    let today = crate::time::local_date(now);
    let year = today.year();
    let name = format!("{year}年度工程系列中级职称评审（演示）");
    if let Some(id) = find(conn, &name)? {
        return Ok(id);
    }
    let committee = ids(conn)?.intermediate;
    let who = office(conn, "demo-office")?;
    let deadline = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let scoring = NaiveDate::from_ymd_opt(year + 1, 3, 31).unwrap_or(today);
    let (d, s) = (deadline.to_string(), scoring.to_string());
    let typed = RoundTyped {
        name: &name,
        levels: vec![TitleLevel::Intermediate.zh(), TitleLevel::Junior.zh()],
        submission_deadline: &d,
        reference_date: "",
        scoring_deadline: &s,
    };
    let id = crate::service::rounds::create(conn, &who, committee, &typed, now).map_err(err)?;
    use crate::service::panels;
    let v = version(conn, id)?;
    panels::draw_with_seed(conn, &who, committee, (id, v), "9", "", seed(1), now).map_err(err)?;
    let v = version(conn, id)?;
    panels::discard(
        conn,
        &who,
        committee,
        id,
        v,
        "抽中的一位委员评审期间出国进修，无法参加本次评审，经办公室研究重新抽取",
        now,
    )
    .map_err(err)?;
    draw_and_open(conn, &who, (committee, id), 2, now)?;
    edit_rubric_after_pinning(conn, &who, now)?;
    Ok(id)
}

/// Draws a round's panel of nine with the demo's seed `n`, makes its first member the chair and
/// its second a vice-chair, and opens the round.
fn draw_and_open(
    conn: &mut DbConnection,
    who: &Actor,
    (committee, id): (crate::domain::CommitteeId, RoundId),
    n: u8,
    now: NaiveDateTime,
) -> Result<(), String> {
    use crate::service::panels;
    let v = version(conn, id)?;
    panels::draw_with_seed(conn, who, committee, (id, v), "9", "", seed(n), now).map_err(err)?;
    let members = store::panels::members(conn, id).map_err(err)?;
    let v = version(conn, id)?;
    panels::designate(
        conn,
        who,
        committee,
        id,
        v,
        members.first().map(|m| m.entry),
        &members.get(1).map(|m| vec![m.entry]).unwrap_or_default(),
        now,
    )
    .map_err(err)?;
    let v = version(conn, id)?;
    crate::service::rounds::open(conn, who, committee, id, v, now).map_err(err)
}

/// The 中级 committee's second round of the year, for the meeting's material: 中级 only, on a
/// panel of nine drawn with its own seed, then assigned, scored and closed (see `demo::meeting`). `None` when it exists already.
pub fn meeting_round(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<Option<RoundId>, String> {
    let today = crate::time::local_date(now);
    let year = today.year();
    let name = format!("{year}年度工程系列中级职称评审（演示，第二批，评分已结束）");
    if find(conn, &name)?.is_some() {
        return Ok(None);
    }
    let committee = ids(conn)?.intermediate;
    let who = office(conn, "demo-office")?;
    let deadline = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let scoring = NaiveDate::from_ymd_opt(year + 1, 3, 31).unwrap_or(today);
    let (d, s) = (deadline.to_string(), scoring.to_string());
    let typed = RoundTyped {
        name: &name,
        levels: vec![TitleLevel::Intermediate.zh()],
        submission_deadline: &d,
        reference_date: "",
        scoring_deadline: &s,
    };
    let id = crate::service::rounds::create(conn, &who, committee, &typed, now).map_err(err)?;
    draw_and_open(conn, &who, (committee, id), 3, now)?;
    Ok(Some(id))
}

/// The 高级 committee's open round for 副高级 (a round taking 正高级 too would need a panel of
/// 正高级 experts, who alone may review it): a panel of 11, its minimum, being organised by
/// specialty, with a chair and two vice-chairs.
pub fn senior_round(conn: &mut DbConnection, now: NaiveDateTime) -> Result<RoundId, String> {
    let today = crate::time::local_date(now);
    let year = today.year();
    let name = format!("{year}年度工程系列机械专业高级职称评审（演示）");
    if let Some(id) = find(conn, &name)? {
        return Ok(id);
    }
    let committee = ids(conn)?.senior;
    let who = office(conn, "demo-office-senior")?;
    let d = format!("{year}-12-31");
    let s = format!("{}-04-30", year + 1);
    let typed = RoundTyped {
        name: &name,
        levels: vec![TitleLevel::AssociateSenior.zh()],
        submission_deadline: &d,
        reference_date: "",
        scoring_deadline: &s,
    };
    let id = crate::service::rounds::create(conn, &who, committee, &typed, now).map_err(err)?;
    use crate::service::panels;
    let v = version(conn, id)?;
    panels::draw_with_seed(conn, &who, committee, (id, v), "11", "", seed(3), now).map_err(err)?;
    let members = store::panels::members(conn, id).map_err(err)?;
    let v = version(conn, id)?;
    let vices: Vec<_> = members.iter().skip(1).take(2).map(|m| m.entry).collect();
    panels::designate(
        conn,
        &who,
        committee,
        id,
        v,
        members.first().map(|m| m.entry),
        &vices,
        now,
    )
    .map_err(err)?;
    let v = version(conn, id)?;
    crate::service::rounds::open(conn, &who, committee, id, v, now).map_err(err)?;
    Ok(id)
}

/// The office edits its rubric after the round pinned the default: a new version that the next
/// round will use, while the open round keeps its own.
fn edit_rubric_after_pinning(
    conn: &mut DbConnection,
    who: &Actor,
    now: NaiveDateTime,
) -> Result<(), String> {
    let committee = ids(conn)?.intermediate;
    let based_on = crate::service::rubrics::current_hash(conn, committee).map_err(err)?;
    let mut r = Rubric::default_rubric();
    for c in &mut r.criteria {
        c.kind = match (c.key.as_str(), c.kind) {
            ("ability", Kind::Score { max, .. }) => Kind::Score { max, weight: 30 },
            ("performance", Kind::Score { max, .. }) => Kind::Score { max, weight: 45 },
            (_, k) => k,
        };
        if c.key == "performance" {
            c.guidance.push_str("近三年业绩须有单位出具的证明材料。");
        }
    }
    crate::service::rubrics::save(conn, who, committee, &r, &based_on, now).map_err(err)?;
    Ok(())
}

/// A round its office closed early, so that the rounds page shows every status.
pub fn closed_round(conn: &mut DbConnection, now: NaiveDateTime) -> Result<(), String> {
    let year = crate::time::local_date(now).year();
    let name = format!("{year}年度工程系列电气专业中级职称评审（演示，已关闭）");
    if find(conn, &name)?.is_some() {
        return Ok(());
    }
    let committee = ids(conn)?.intermediate;
    let who = office(conn, "demo-office")?;
    let d = format!("{year}-12-31");
    let s = format!("{}-03-31", year + 1);
    let typed = RoundTyped {
        name: &name,
        levels: vec![TitleLevel::Intermediate.zh()],
        submission_deadline: &d,
        reference_date: "",
        scoring_deadline: &s,
    };
    let id = crate::service::rounds::create(conn, &who, committee, &typed, now).map_err(err)?;
    let v = version(conn, id)?;
    crate::service::rounds::close(conn, &who, committee, id, v, now).map_err(err)
}

/// The expired committee's round that opened while it was registered (an application was
/// recommended to it), and its round prepared since, which cannot open until the committee is
/// registered again.
pub fn expired_rounds(conn: &mut DbConnection, now: NaiveDateTime) -> Result<RoundId, String> {
    let year = crate::time::local_date(now).year();
    let committee = ids(conn)?.expired;
    let name = format!("{year}年度工程系列电气专业高级职称评审（演示，评委会备案已过期）");
    let opened = match find(conn, &name)? {
        Some(id) => id,
        None => {
            let deadline = NaiveDate::from_ymd_opt(year, 12, 31).ok_or("a date")?;
            let setup = crate::domain::round::RoundSetup {
                name: name.clone(),
                levels: vec![TitleLevel::FullSenior, TitleLevel::AssociateSenior],
                submission_deadline: deadline,
                reference_date: deadline,
                scoring_deadline: NaiveDate::from_ymd_opt(year + 1, 3, 31).ok_or("a date")?,
            };
            // Opened a month ago, before the registration lapsed.
            opened_in_the_past(conn, committee, &setup, now - chrono::Duration::days(30))?
        }
    };
    let next = format!(
        "{}年度工程系列电气专业高级职称评审（演示，待开始受理）",
        year + 1
    );
    if find(conn, &next)?.is_none() {
        let who = office(conn, "demo-office-expired")?;
        let d = format!("{}-06-30", year + 1);
        let s = format!("{}-10-31", year + 1);
        let typed = RoundTyped {
            name: &next,
            levels: vec![TitleLevel::AssociateSenior.zh()],
            submission_deadline: &d,
            reference_date: "",
            scoring_deadline: &s,
        };
        crate::service::rounds::create(conn, &who, committee, &typed, now).map_err(err)?;
    }
    Ok(opened)
}

/// A round stored as opened on the committee's default rubric without a panel draw: what a
/// round opened before offices drew panels here looks like (the migration gives existing rounds
/// the same), used for the expired committee's past round and the scale generator's rounds.
pub fn opened_in_the_past(
    conn: &mut DbConnection,
    committee: crate::domain::CommitteeId,
    setup: &crate::domain::round::RoundSetup,
    now: NaiveDateTime,
) -> Result<RoundId, String> {
    store::write(conn, |c| -> Result<RoundId, store::StoreError> {
        let id = store::rounds::insert(c, committee, setup, now)?;
        let r = Rubric::default_rubric();
        let body = serde_json::to_string(&r).expect("a rubric serialises");
        let (rubric, _) =
            store::rubrics::find_or_insert(c, committee, &r.version_hash(), &body, None, now)?;
        if store::rubrics::current(c, committee)?.is_none() {
            store::rubrics::set_current(c, committee, rubric)?;
        }
        store::rounds::open(c, id, rubric, now)?;
        Ok(id)
    })
    .map_err(err)
}
