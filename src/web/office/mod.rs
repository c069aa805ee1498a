//! The committee office's pages (形式审查, assignment, meetings, results come with later issues).

use actix_web::{web, HttpResponse};

use crate::web::extract::Office;
use crate::web::shared::staff_home;
use crate::web::AppError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/office", web::get().to(home));
}

pub async fn home(Office(me): Office) -> Result<HttpResponse, AppError> {
    staff_home(
        &me,
        "评委会办事机构工作台",
        &[
            "评审批次与截止日期",
            "形式审查与一次性告知补正",
            "分配评审专家",
            "评审会议与投票记录",
            "结果公示与证书",
        ],
    )
}
