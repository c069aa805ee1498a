//! Demo data for scoring: the 中级 round mid-scoring, through the same services as the experts'
//! and the office's clicks. One case fully scored with a veto (一票否决) and the review group's
//! opinion; one of demo-expert1's, scored by all, where the office reopened another expert's
//! review with a reason and that expert submitted again; demo-expert1's other case, where theirs
//! is a draft to finish; one case with a single review in, its deadline extended past the
//! round's.

use crate::access::Actor;
use crate::domain::{AccountId, ApplicationId, Role, RoundId};
use crate::service::scoring;
use crate::store::{accounts, assignments, reviews, DbConnection};
use chrono::NaiveDateTime;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A scoring form as an expert fills it: marks that differ by case and expert, every comment
/// the rubric asks for, and the opinion.
pub fn form(case: usize, expert: usize, veto: bool) -> Vec<(String, String)> {
    let (i, j) = (case as u32, expert as u32);
    let pair = |k: &str, v: String| (k.to_string(), v);
    vec![
        pair("m_ethics", if veto { "fail" } else { "pass" }.into()),
        pair(
            "m_ethics_comment",
            if veto {
                "申报材料中一项业绩证明的日期与单位记录不符，疑似不实，提请评审会议核实"
            } else {
                "遵纪守法，材料真实，未发现失德失信行为"
            }
            .into(),
        ),
        pair("m_ability", (70 + (i * 7 + j * 5) % 25).to_string()),
        pair("m_ability_comment", String::new()),
        pair("m_performance", (65 + (i * 11 + j * 3) % 30).to_string()),
        pair("m_performance_comment", String::new()),
        pair("m_achievements", (60 + (i * 5 + j * 13) % 35).to_string()),
        pair("m_achievements_comment", String::new()),
        pair(
            "opinion",
            "申报人长期在生产一线，操作技能扎实，能解决本岗位的技术难题，代表性成果有一定推广价值。"
                .into(),
        ),
    ]
}

fn expert(id: i64) -> Actor {
    Actor::new(AccountId(id), Role::Expert)
}

/// Scores the round's cases as described above. Once: nothing when any review exists.
pub fn load(conn: &mut DbConnection, round: RoundId, now: NaiveDateTime) -> Result<(), String> {
    let cases = assignments::cases_of_round(conn, round).map_err(err)?;
    let mut ids: Vec<i64> = cases.iter().map(|k| k.application_id).collect();
    ids.sort_unstable();
    for id in &ids {
        if !reviews::of_case(conn, ApplicationId(*id))
            .map_err(err)?
            .is_empty()
        {
            return Ok(());
        }
    }
    let office = super::rounds::office(conn, "demo-office")?;
    let committee = office.committee.ok_or("demo-office's committee")?;
    let expert1 = accounts::find_by_login(conn, "demo-expert1")
        .map_err(err)?
        .ok_or("demo-expert1")?
        .id
        .0;
    let rubric = |c: &mut DbConnection, r| scoring::load_rubric(c, r);
    let mut on: Vec<(ApplicationId, Vec<i64>)> = Vec::new();
    for id in ids {
        let id = ApplicationId(id);
        let experts: Vec<i64> = assignments::of_case(conn, id)
            .map_err(err)?
            .into_iter()
            .filter(|a| a.active)
            .map(|a| a.account_id)
            .collect();
        on.push((id, experts));
    }
    let (mine, others): (Vec<_>, Vec<_>) = on.into_iter().partition(|(_, e)| e.contains(&expert1));
    let ([reopened, draft_mine, ..], [veto, extended, ..]) = (mine.as_slice(), others.as_slice())
    else {
        return Err(format!(
            "the demo round needs two cases of demo-expert1's and two others to score; it has {} and {}",
            mine.len(),
            others.len()
        ));
    };
    let submit = |conn: &mut DbConnection,
                  n: usize,
                  case: ApplicationId,
                  who: i64,
                  veto: bool,
                  draft: bool| {
        let f = form(n, who as usize, veto);
        scoring::save(conn, &expert(who), case, 0, &f, !draft, &rubric, now)
            .map(drop)
            .map_err(|e| format!("scoring {case}: {e:?}"))
    };
    // Fully scored, one expert failing the ethics gate; the office sums up.
    for (j, who) in veto.1.iter().enumerate() {
        submit(conn, 1, veto.0, *who, j == 0, false)?;
    }
    let v = assignments::find_case(conn, veto.0)
        .map_err(err)?
        .ok_or("case")?
        .group_version;
    scoring::record_group_opinion(
        conn,
        &office,
        veto.0,
        v,
        "评议组认为申报人职业能力和工作业绩达到中级职称要求；一位专家对业绩证明的真实性提出疑问（一票否决），提请评审会议核实后表决。",
        now,
    )
    .map_err(err)?;
    // Scored by all, demo-expert1 too; the office reopens another expert's review with a
    // reason and that expert submits again.
    for who in &reopened.1 {
        submit(conn, 2, reopened.0, *who, false, false)?;
    }
    let first = *reopened
        .1
        .iter()
        .find(|e| **e != expert1)
        .ok_or("an expert")?;
    let r = reviews::of_case(conn, reopened.0)
        .map_err(err)?
        .into_iter()
        .find(|r| r.account_id == first)
        .ok_or("the review")?;
    scoring::reopen(
        conn,
        &office,
        reopened.0,
        crate::domain::PoolEntryId(r.entry_id),
        r.version,
        "“代表性成果”一项的评分与意见不一致，请核对后重新提交",
        now,
    )
    .map_err(err)?;
    let mut again = form(3, first as usize, false);
    again.push(("version".into(), (r.version + 1).to_string()));
    scoring::save(
        conn,
        &expert(first),
        reopened.0,
        r.version + 1,
        &again,
        true,
        &rubric,
        now,
    )
    .map_err(err)?;
    // demo-expert1's other case: the others submitted, theirs a draft to finish.
    for who in &draft_mine.1 {
        submit(conn, 5, draft_mine.0, *who, false, *who == expert1)?;
    }
    // One review in; the office extends this case past the round's scoring deadline.
    let who = *extended.1.first().ok_or("an expert")?;
    submit(conn, 6, extended.0, who, false, false)?;
    let round_row = crate::store::rounds::find(conn, round)
        .map_err(err)?
        .ok_or("round")?;
    if let Some(d) = round_row.scoring_deadline {
        let until = d + chrono::Duration::days(15);
        scoring::extend(
            conn,
            &office,
            committee,
            round,
            &[extended.0 .0],
            &until.to_string(),
            now,
        )
        .map_err(err)?;
    }
    Ok(())
}
