//! 评审批次 (rounds), until the committee office takes them over.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::date::parse_date;
use crate::domain::RequiredText;
use crate::service::rounds::{self, NewRound};
use crate::service::ActionError;
use crate::store::rounds::Round;
use crate::web::extract::{Admin, Me};
use crate::web::{db, render, render_status, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoundForm {
    pub name: String,
    pub submission_deadline: String,
    pub reference_date: String,
}

impl RoundForm {
    fn parse(&self, today: chrono::NaiveDate) -> Result<NewRound, FormErrors> {
        let mut errors = FormErrors::default();
        let name = errors.check("name", RequiredText::parse(&self.name, "批次名称", 100));
        let deadline = match parse_date(&self.submission_deadline) {
            Some(d) if d < today => {
                errors.add("submission_deadline", "截止日期不能早于今天");
                None
            }
            Some(d) => Some(d),
            None => {
                errors.add("submission_deadline", "请填写申报截止日期，如 2026-12-31");
                None
            }
        };
        let reference = match self.reference_date.trim() {
            "" => deadline,
            r => errors.check(
                "reference_date",
                parse_date(r).ok_or("资格计算日期无效，如 2026-12-31；留空则与截止日期相同"),
            ),
        };
        match (name, deadline, reference) {
            (Some(name), Some(submission_deadline), Some(reference_date)) => Ok(NewRound {
                name: name.into_string(),
                submission_deadline,
                reference_date,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/rounds.html")]
struct RoundsPage {
    page: Page,
    rounds: Vec<Round>,
    form: RoundForm,
    errors: FormErrors,
    created: bool,
}

async fn page(
    state: &web::Data<AppState>,
    me: &Me,
    form: RoundForm,
    errors: FormErrors,
    created: bool,
) -> Result<RoundsPage, AppError> {
    let rounds = crate::web::db_read(state, |c| Ok(crate::store::rounds::list(c)?)).await?;
    Ok(RoundsPage {
        page: me.page(),
        rounds,
        form,
        errors,
        created,
    })
}

pub async fn list(state: web::Data<AppState>, Admin(me): Admin) -> Result<HttpResponse, AppError> {
    render(
        &page(
            &state,
            &me,
            RoundForm::default(),
            FormErrors::default(),
            false,
        )
        .await?,
    )
}

pub async fn create(
    state: web::Data<AppState>,
    Admin(me): Admin,
    CsrfForm(form): CsrfForm<RoundForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let errors = match form.parse(crate::time::local_date(now)) {
        Ok(new) => {
            let who = me.actor;
            match db(&state, move |c| Ok(rounds::create(c, &who, &new, now))).await? {
                Ok(_) => {
                    let p = page(
                        &state,
                        &me,
                        RoundForm::default(),
                        FormErrors::default(),
                        true,
                    )
                    .await?;
                    return render(&p);
                }
                Err(ActionError::Refused(m)) => {
                    let mut e = FormErrors::default();
                    e.add("name", m);
                    e
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(errors) => errors,
    };
    let p = page(&state, &me, form, errors, false).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}
