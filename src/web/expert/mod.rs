//! The expert's pages (conflict declarations, scoring and voting come with later issues).

use actix_web::HttpResponse;

use crate::web::extract::Expert;
use crate::web::shared::staff_home;
use crate::web::AppError;

pub async fn home(Expert(me): Expert) -> Result<HttpResponse, AppError> {
    staff_home(
        &me,
        "评审专家工作台",
        &["申报回避声明", "按评审标准评分", "参加评审会议并投票"],
    )
}
