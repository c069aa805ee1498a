//! Demo data for the meeting's material: the 中级 committee's second round, scored and closed,
//! through the same services as the clicks. Eight applications, three experts on each:
//! - one expert scores about ten points above the others on every case (the calibration page
//!   flags them);
//! - an expert with fewer than five cases shows 样本不足;
//! - one case has a failed ethics gate (一票否决), another one expert far below the rest (a spread
//!   over the threshold): both are flagged for discussion, with the review group's opinion;
//! - the office closed scoring with a reason, so every case is with the meeting, and closed the
//!   round to new applications.

use crate::access::Actor;
use crate::domain::{AccountId, ApplicationId, Role};
use crate::service::{assignment as assign, scoring};
use crate::store::{assignments, DbConnection};
use chrono::NaiveDateTime;
use std::collections::BTreeMap;

/// The applicants: login (their mobile), name, ID number without its check digit.
const APPLICANTS: [(&str, &str, &str); 8] = [
    ("13900000031", "许明", "31011519850115113"),
    ("13900000032", "邓丽", "31011519870220224"),
    ("13900000033", "曹阳", "31011519880325115"),
    ("13900000034", "彭静", "31011519890430226"),
    ("13900000035", "韩磊", "31011519900505117"),
    ("13900000036", "蒋红", "31011519860610228"),
    ("13900000037", "沈涛", "31011519840715119"),
    ("13900000038", "袁芳", "31011519830820220"),
];

/// The case (by position) with the failed gate, and the one with the wide spread.
const VETO_CASE: usize = 0;
const SPREAD_CASE: usize = 1;

fn err(e: impl std::fmt::Debug) -> String {
    format!("{e:?}")
}

/// A scoring form around one mark: ability `tilt` above it, performance `tilt` below.
fn form(mark: i64, tilt: i64, veto: bool) -> Vec<(String, String)> {
    let pair = |k: &str, v: String| (k.to_string(), v);
    let m = |v: i64| v.clamp(0, 100).to_string();
    vec![
        pair("m_ethics", if veto { "fail" } else { "pass" }.into()),
        pair(
            "m_ethics_comment",
            if veto {
                "申报人提交的一项获奖证书与发证单位记录不一致，提请评审会议核实"
            } else {
                "遵纪守法，材料真实，未发现失德失信行为"
            }
            .into(),
        ),
        pair("m_ability", m(mark + tilt)),
        pair(
            "m_ability_comment",
            "操作技能扎实，能独立解决本岗位技术难题".into(),
        ),
        pair("m_performance", m(mark - tilt)),
        pair(
            "m_performance_comment",
            "近三年业绩有单位证明和数据佐证".into(),
        ),
        pair("m_achievements", m(mark)),
        pair(
            "m_achievements_comment",
            "代表性成果已在本单位推广应用".into(),
        ),
        pair(
            "opinion",
            "申报人长期在生产一线，技能水平和工作业绩与申报的中级职称相符。".into(),
        ),
    ]
}

/// Loads the round once (nothing when it exists).
pub fn load(conn: &mut DbConnection, now: NaiveDateTime) -> Result<(), String> {
    let Some(round) = super::rounds::meeting_round(conn, now)? else {
        return Ok(());
    };
    let office = super::rounds::office(conn, "demo-office")?;
    let committee = office.committee.ok_or("demo-office's committee")?;
    let mut cases = Vec::new();
    for who in APPLICANTS {
        cases.push(super::employer_stage::accepted_in(conn, who, round, now)?);
    }
    assign::auto_assign(conn, &office, committee, round, now).map_err(err)?;
    let mut on: Vec<(ApplicationId, Vec<i64>)> = Vec::new();
    for app in &cases {
        let experts: Vec<i64> = assignments::of_case(conn, *app)
            .map_err(err)?
            .into_iter()
            .filter(|a| a.active)
            .map(|a| a.account_id)
            .collect();
        on.push((*app, experts));
    }
    // The expert with the most cases scores high: enough shared cases to be flagged.
    let mut load: BTreeMap<i64, usize> = BTreeMap::new();
    for (_, experts) in &on {
        for e in experts {
            *load.entry(*e).or_default() += 1;
        }
    }
    let high = load
        .iter()
        .max_by_key(|(e, n)| (**n, std::cmp::Reverse(**e)))
        .map(|(e, _)| *e)
        .ok_or("no experts assigned")?;
    let rubric = |c: &mut DbConnection, r| scoring::load_rubric(c, r);
    for (i, (app, experts)) in on.iter().enumerate() {
        let base = 62 + 4 * i as i64;
        let low = experts.iter().find(|e| **e != high).copied();
        for (j, e) in experts.iter().enumerate() {
            // Differences of a few points either way, as real experts differ.
            let noise = ((i * 7 + j * 11) % 13) as i64 - 6;
            let mut mark = base + noise;
            if *e == high {
                mark += 10;
            }
            if i == SPREAD_CASE && Some(*e) == low {
                mark -= 20;
            }
            let veto = i == VETO_CASE && Some(*e) == low;
            let tilt = ((i + 2 * j) % 4) as i64 * 3;
            let f = form(mark, tilt, veto);
            let expert = Actor::new(AccountId(*e), Role::Expert);
            scoring::save(conn, &expert, *app, 0, &f, true, &rubric, now).map_err(err)?;
        }
    }
    let opinions = [
        (
            VETO_CASE,
            "评议组多数专家认为申报人业绩达到中级职称要求；一位专家认为获奖证书存疑（一票否决），提请评审会议核实后表决。",
        ),
        (
            SPREAD_CASE,
            "评议组意见分歧较大：多数专家认可其工艺改进成果，一位专家认为成果的推广范围有限，提请评审会议讨论。",
        ),
    ];
    for (i, text) in opinions {
        let app = on[i].0;
        let v = assignments::find_case(conn, app)
            .map_err(err)?
            .ok_or("case")?
            .group_version;
        scoring::record_group_opinion(conn, &office, app, v, text, now).map_err(err)?;
    }
    let reason = "本批次全部申报已完成评分，经办公室研究提前结束评分，提交评审会议";
    scoring::close_by_office(conn, &office, committee, round, reason, now).map_err(err)?;
    // Every application of the round is with the meeting: it takes no more.
    let v = crate::store::rounds::find(conn, round)
        .map_err(err)?
        .ok_or("the round")?
        .version;
    crate::service::rounds::close(conn, &office, committee, round, v, now).map_err(err)?;
    Ok(())
}
