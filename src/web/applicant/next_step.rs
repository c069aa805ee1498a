//! What the applicant must do next (or that there is nothing to do), in one sentence per state:
//! the task list and the home page say it beside the state.

use crate::domain::State;
use crate::service::employer_stage::ForApplicant;

/// The state as the applicant reads it: an application the employer returned is not being
/// filled in for the first time, whatever its stored state.
pub fn state_label(state: State, submitted_before: bool) -> &'static str {
    match state {
        State::Draft if submitted_before => "单位已退回，待修改",
        State::Correction => "评委会要求补正，待修改",
        state => state.label(),
    }
}

/// The next step as the home page's list says it (from the row alone, no query per row).
pub fn short(state: State, submitted_before: bool, awaiting_employer: bool) -> &'static str {
    match state {
        State::Draft if submitted_before => "按单位的要求修改后重新提交",
        State::Draft => "继续填写并提交",
        State::Correction => "按评委会的要求补正后重新提交",
        State::EmployerReview if awaiting_employer => "等待单位在本系统认证",
        State::EmployerReview => "等待单位办理",
        // Without the period's dates the row cannot say whether it still runs.
        State::EmployerPublicity => "单位公示及决定中，无需操作",
        State::OfficeCheck | State::ExpertReview | State::Meeting | State::ResultPublicity => {
            "评审中，无需操作"
        }
        State::Appointed => "已聘任，可打印聘任记录",
        State::Titled => "已取得职称",
        State::NotPassed | State::Closed | State::NotAccepted => "已结束，详见申报页",
        State::Withdrawn => "已撤回或放弃，可复制新建",
    }
}

/// The next step for an application in `state` on `today`; `awaiting_employer` when the
/// employer named is not verified here yet.
pub fn text(
    state: State,
    awaiting_employer: bool,
    stage: &ForApplicant,
    reply_deadline: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> String {
    let decision = stage.decision.as_ref();
    // A 初级 title is appointed (聘任) by the employer; any other is recommended (推荐) to a
    // committee, which reviews it.
    let (decides, refusal) = match stage.by_appointment {
        true => ("是否聘任您为初级职称", "不予聘任"),
        false => ("是否推荐您参加评委会评审", "不予推荐"),
    };
    match state {
        State::Correction => match reply_deadline {
            Some(d) => format!(
                "评委会形式审查要求补正：请按各部分旁的补正要求修改，并于 {d} 前重新提交评委会（不经单位）；逾期未补正的视为放弃。"
            ),
            None => "评委会形式审查要求补正：请按要求修改后重新提交评委会。".into(),
        },
        State::NotAccepted => match &stage.refusal {
            Some(why) => format!("评委会形式审查不予受理。{why}"),
            None => "评委会形式审查不予受理。".into(),
        },
        State::Draft => match reply_deadline {
            Some(d) => format!("按单位的要求修改，并于 {d} 前重新提交。"),
            None => "填写各部分，完成后检查并提交。".into(),
        },
        State::EmployerReview if awaiting_employer => {
            "等待您的单位在本系统完成认证；认证后自动转到单位审核，您无需重新提交。".into()
        }
        State::EmployerReview if stage.ineligible_on_record.is_some() => format!(
            "单位核实后认为您暂不符合申报条件（原因见下），不能进行内部公示：单位将退回您修改，或{refusal}。如对单位的记录有异议，请与单位人事部门联系。"
        ),
        State::EmployerReview if stage.employer_acted => {
            "单位已核实，正在安排内部公示。您无需操作。".into()
        }
        State::EmployerReview => "等待单位核实您的申报。单位开始办理前，您可以撤回。".into(),
        State::EmployerPublicity => match stage.publicity {
            Some((from, to)) if today < from => format!(
                "单位将于 {from} 至 {to} 进行内部公示。公示期满后，单位决定{decides}。您无需操作。"
            ),
            Some((from, to)) if today <= to => format!(
                "单位正在内部公示（{from} 至 {to}）。公示期满后，单位决定{decides}。您无需操作。"
            ),
            Some((from, to)) => format!(
                "单位内部公示（{from} 至 {to}）已结束，等待单位决定{decides}。您无需操作。"
            ),
            None => format!("单位内部公示后，决定{decides}。您无需操作。"),
        },
        State::OfficeCheck => {
            "单位已推荐您参加评委会评审，等待评委会办事机构形式审查。您无需操作。".into()
        }
        State::ExpertReview => "评审专家正在评审。您无需操作。".into(),
        State::Meeting => "等待评审委员会会议评议表决。您无需操作。".into(),
        State::ResultPublicity => "评审通过，结果正在公示。您无需操作。".into(),
        State::Titled => "您已取得职称。".into(),
        State::NotPassed => "本次评审未通过。".into(),
        State::Appointed => match decision {
            Some(d) => format!(
                "单位已聘任您为初级职称（聘任日期 {}，文号 {}）。可打印聘任记录。",
                d.appointed_on.map(|d| d.to_string()).unwrap_or_default(),
                d.document_number.clone().unwrap_or_default()
            ),
            None => "单位已聘任您为初级职称。".into(),
        },
        State::Closed => match decision.filter(|d| d.decision == "not_recommend") {
            Some(d) => format!(
                "单位{refusal}。理由：{}。如有疑问，请与单位人事部门联系。",
                d.opinion.trim_end_matches('。')
            ),
            None => "本申报已结束。".into(),
        },
        State::Withdrawn => "本申报已撤回或视为放弃。您可以在首页复制它的内容新建申报。".into(),
    }
}
