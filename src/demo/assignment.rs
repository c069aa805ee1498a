//! Demo data for assigning experts: what demo-office did with the applications it accepted on
//! the 中级 committee's round, through the same services as its clicks. 严伟 once worked at a
//! panel member's employer (found by its credit code: confirmed); 姚丹 names as a witness someone
//! sharing a panel member's name (found by name: dismissed with a reason); the round was then
//! assigned at once, one expert declared a tie on 钱坤's case and was replaced; demo-expert1 has
//! cases to read. 罗静 names a witness sharing another member's name: left for the office to
//! decide, so its overview says a tie is waiting.

use crate::access::Actor;
use crate::application::{Edit, Period};
use crate::domain::{Role, RoundId};
use crate::panel::conflicts::Status;
use crate::service::assignment as assign;
use crate::store::{accounts, assignments, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub const SAME_EMPLOYER: &str = "13900000024";
pub const WITNESS: &str = "13900000025";
pub const RECUSAL: &str = "13900000026";
/// 罗静: a witness sharing a panel member's name, not yet decided by the office.
pub const UNDECIDED: &str = "13900000023";

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, String> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| "a date".to_string())
}

fn display_name(conn: &mut DbConnection, login: &str) -> Result<String, String> {
    Ok(accounts::find_by_login(conn, login)
        .map_err(err)?
        .map(|a| a.display_name)
        .unwrap_or_default())
}

/// The periods an applicant of the demo adds before their current job, with what ties them to
/// the panel: none for most.
pub fn earlier_periods(conn: &mut DbConnection, login: &str) -> Result<Vec<Edit>, String> {
    let period = |employer: &str, code: &str, witness: (String, &str)| -> Result<Edit, String> {
        Ok(Edit::AddPeriod(Period {
            id: String::new(),
            from: date(2004, 7, 1)?,
            to: Some(date(2008, 6, 30)?),
            employer: employer.into(),
            occupation: "焊工".into(),
            post: "焊工".into(),
            employer_code: code.into(),
            witness_name: witness.0,
            witness_phone: witness.1.into(),
        }))
    };
    Ok(match login {
        SAME_EMPLOYER => vec![period(
            "上海汽车集团股份有限公司",
            "91310000132260250X",
            ("张建国".into(), "13812345678"),
        )?],
        // A witness with the name of demo-pool-05, who is not that expert.
        WITNESS => vec![period(
            "上海浦江机械厂",
            "",
            (display_name(conn, "demo-pool-05")?, "021-58001234"),
        )?],
        // And one with demo-pool-20's, left for the office to decide.
        UNDECIDED => vec![period(
            "上海闵行电机厂",
            "",
            (display_name(conn, "demo-pool-20")?, "021-64001234"),
        )?],
        _ => Vec::new(),
    })
}

/// The one application of the demo applicant with `login`.
fn application_of(
    conn: &mut DbConnection,
    login: &str,
) -> Result<crate::domain::ApplicationId, String> {
    let who = accounts::find_by_login(conn, login)
        .map_err(err)?
        .ok_or_else(|| login.to_string())?;
    crate::store::applications::for_applicant(conn, who.id, None, 1)
        .map_err(err)?
        .into_iter()
        .next()
        .map(|a| a.id)
        .ok_or_else(|| format!("{login}'s application"))
}

/// Decides the ties found by name, assigns the round, has an expert declare a tie on 钱坤's
/// case and assigns again. Once: nothing when the round has assignments.
pub fn load(conn: &mut DbConnection, round: RoundId, now: NaiveDateTime) -> Result<(), String> {
    if !assignments::of_round(conn, round).map_err(err)?.is_empty() {
        return Ok(());
    }
    let office = super::rounds::office(conn, "demo-office")?;
    let committee = office.committee.ok_or("demo-office's committee")?;
    let witness_case = application_of(conn, WITNESS)?;
    for k in assignments::conflicts_of_round(conn, round, Status::Possible.code(), 0, 100)
        .map_err(err)?
        .into_iter()
        .filter(|k| k.application_id == witness_case.0)
    {
        let app = crate::domain::ApplicationId(k.application_id);
        let reason = "经电话核实，证明人是申报人原车间主任，与该专家同名，不是同一人";
        assign::decide(
            conn,
            &office,
            app,
            &k.id.to_string(),
            &k.version.to_string(),
            false,
            reason,
            now,
        )
        .map_err(err)?;
    }
    assign::auto_assign(conn, &office, committee, round, now).map_err(err)?;
    let case = application_of(conn, RECUSAL)?;
    let expert1 = accounts::find_by_login(conn, "demo-expert1")
        .map_err(err)?
        .ok_or("demo-expert1")?;
    let declarer = assignments::of_case(conn, case)
        .map_err(err)?
        .into_iter()
        .find(|a| a.active && a.account_id != expert1.id.0)
        .ok_or("an expert on 钱坤's case")?;
    let expert = Actor::new(crate::domain::AccountId(declarer.account_id), Role::Expert);
    let tie = assign::declaration("teacher", "申报人是本人二十年前在技校带过的学生")
        .map_err(|e| format!("{e:?}"))?;
    assign::recuse_self(conn, &expert, case, &tie, now).map_err(err)?;
    assign::auto_assign(conn, &office, committee, round, now).map_err(err)?;
    // A tie the office learned of on 严伟's case, for a member not reviewing it: it stands, and
    // the office's page offers to withdraw it.
    let yan = application_of(conn, SAME_EMPLOYER)?;
    let reviewing = assignments::of_case(conn, yan).map_err(err)?;
    let tied: Vec<i64> = assignments::conflicts_of_case(conn, yan)
        .map_err(err)?
        .iter()
        .map(|k| k.entry_id)
        .collect();
    let round_row = crate::store::rounds::find(conn, round)
        .map_err(err)?
        .ok_or("round")?;
    let other = assign::panel_of(conn, &round_row)
        .map_err(err)?
        .into_iter()
        .find(|m| !tied.contains(&m.id.0) && !reviewing.iter().any(|a| a.entry_id == m.id.0))
        .ok_or("a member free of 严伟's case")?;
    let version = assignments::find_case(conn, yan)
        .map_err(err)?
        .ok_or("严伟's review")?
        .version;
    let known = assign::declaration(
        "other",
        "该委员曾担任申报人所在班组的技术顾问，本人来电说明",
    )
    .map_err(|e| format!("{e:?}"))?;
    assign::declare_by_office(
        conn,
        &office,
        yan,
        version,
        &other.id.0.to_string(),
        &known,
        now,
    )
    .map_err(err)?;
    Ok(())
}
