//! Demo data for the committee's formal check: what demo-office did with the applications the
//! demo employer recommended to the 中级 committee, through the same services as its clicks.

use crate::access::Actor;
use crate::application::Edit;
use crate::domain::ApplicationId;
use crate::service::formal_check::{self as check, RefusalReason, ReturnItem};
use crate::store::DbConnection;
use chrono::NaiveDateTime;

/// Where the office leaves an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Not checked yet.
    AtCheck,
    Correction,
    Corrected,
    NotAccepted,
    Accepted,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The office takes `app` (recommended by the demo employer, applied for by `applicant`) to
/// `outcome`.
pub fn take(
    conn: &mut DbConnection,
    applicant: &Actor,
    app: ApplicationId,
    outcome: Outcome,
    now: NaiveDateTime,
) -> Result<(), String> {
    if outcome == Outcome::AtCheck {
        return Ok(());
    }
    let office = super::rounds::office(conn, "demo-office")?;
    let v = super::employer_stage::version(conn, app)?;
    match outcome {
        Outcome::AtCheck => {}
        Outcome::Accepted => {
            check::accept(conn, &office, &[(app, v)], now).map_err(err)?;
        }
        Outcome::NotAccepted => {
            let refusal = check::Refusal {
                reason: RefusalReason::Other,
                clause: "沪人社专〔2021〕312号 §2.2.2".into(),
                note: "所附职业技能等级证书编号在证书查询系统中无记录，单位核实意见未说明原件核验情况，材料不能作为申报依据".into(),
            };
            check::refuse(conn, &office, app, v, &refusal, now).map_err(err)?;
        }
        Outcome::Correction | Outcome::Corrected => {
            let items = [
                ReturnItem {
                    section: "certificates".into(),
                    note: "职业技能等级证书扫描件缺少发证机构印章页，请补充上传完整的证书扫描件。"
                        .into(),
                },
                ReturnItem {
                    section: "achievements".into(),
                    note: "业绩摘要请写明工艺改进的应用范围和取得的经济效益。".into(),
                },
            ];
            let round = crate::store::applications::find(conn, app)
                .map_err(err)?
                .and_then(|a| a.round)
                .ok_or("round")?;
            let round = crate::store::rounds::find(conn, round).map_err(err)?;
            let calendar = crate::service::calendar::load(conn).map_err(err)?;
            let settings = crate::service::settings::load(conn).map_err(err)?;
            let today = crate::time::local_date(now);
            let window = check::correction_window(&calendar, &settings, round.as_ref(), today);
            let deadline = window.default.ok_or("no correction window")?;
            check::request_correction(conn, &office, app, v, &items, deadline, now).map_err(err)?;
            if outcome == Outcome::Corrected {
                correct(conn, applicant, app, now)?;
            }
        }
    }
    Ok(())
}

/// The applicant corrects the summary of achievements and resubmits to the committee.
fn correct(
    conn: &mut DbConnection,
    me: &Actor,
    app: ApplicationId,
    now: NaiveDateTime,
) -> Result<(), String> {
    use crate::service::draft;
    let edit = Edit::Summary(
        "长期从事压力容器焊接，主持薄壁不锈钢管焊接工艺改进，应用于本公司三条生产线，年节约返修费用约40万元。"
            .into(),
    );
    let seen_version = draft::read_draft(conn, app)
        .map_err(err)?
        .version(edit.section());
    let cmd = draft::SaveSection {
        id: app,
        seen_version,
        edit,
        files: vec![],
    };
    draft::save(conn, me, cmd, draft::EvidenceLimits::NONE, now).map_err(err)?;
    let seen_fingerprint = draft::read_draft(conn, app).map_err(err)?.fingerprint();
    let cmd = crate::service::submission::Submit {
        id: app,
        seen_version: super::employer_stage::version(conn, app)?,
        seen_fingerprint,
    };
    crate::service::submission::submit(conn, me, cmd, now).map_err(err)?;
    Ok(())
}
