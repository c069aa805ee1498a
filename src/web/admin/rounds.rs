//! 评审批次 (rounds), until the committee office takes them over: the list with each round's
//! status, creating one (post/redirect/get), changing one and closing one.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::date::parse_date;
use crate::domain::{RequiredText, RoundId};
use crate::service::rounds::{self, NewRound};
use crate::service::ActionError;
use crate::store::rounds::Round;
use crate::web::extract::{Admin, Me};
use crate::web::{db, render, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoundForm {
    /// The committee's id.
    pub committee: String,
    pub name: String,
    pub submission_deadline: String,
    pub reference_date: String,
}

impl RoundForm {
    /// The round as typed; a new deadline may not be in the past (`today`), a changed one
    /// keeps that rule unless it is the deadline already stored (`kept`).
    fn parse(
        &self,
        today: chrono::NaiveDate,
        kept: Option<chrono::NaiveDate>,
    ) -> Result<NewRound, FormErrors> {
        let mut errors = FormErrors::default();
        let name = errors.check("name", RequiredText::parse(&self.name, "批次名称", 100));
        let deadline = match parse_date(&self.submission_deadline) {
            Some(d) if d < today && Some(d) != kept => {
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
        let committee = self
            .committee
            .trim()
            .parse::<i64>()
            .ok()
            .map(crate::domain::CommitteeId);
        if committee.is_none() {
            errors.add("committee", rounds::NO_COMMITTEE);
        }
        match (name, deadline, reference, committee) {
            (Some(name), Some(submission_deadline), Some(reference_date), Some(committee)) => {
                Ok(NewRound {
                    committee,
                    name: name.into_string(),
                    submission_deadline,
                    reference_date,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A round as the list shows it.
pub struct RoundRow {
    pub round: Round,
    pub status: &'static str,
    pub committee: String,
}

/// The committees a round may belong to, as choices: (id, name).
async fn committee_choices(state: &web::Data<AppState>) -> Result<Vec<(String, String)>, AppError> {
    let list = crate::web::db_read(state, |c| Ok(crate::store::committees::list(c)?)).await?;
    Ok(list
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect())
}

#[derive(Template)]
#[template(path = "admin/rounds.html")]
struct RoundsPage {
    page: Page,
    rounds: Vec<RoundRow>,
    committees: Vec<(String, String)>,
    form: RoundForm,
    errors: FormErrors,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Notice {
    pub done: String,
}

fn notice(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("评审批次已创建。"),
        "updated" => Some("评审批次已修改。"),
        "closed" => Some("评审批次已关闭，不再接受申报。"),
        _ => None,
    }
}

async fn page(
    state: &web::Data<AppState>,
    me: &Me,
    form: RoundForm,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> Result<RoundsPage, AppError> {
    let rounds = crate::web::db_read(state, |c| Ok(crate::store::rounds::list(c)?)).await?;
    let committees = committee_choices(state).await?;
    let today = crate::time::local_date(state.now());
    let name_of = |id: Option<crate::domain::CommitteeId>| {
        committees
            .iter()
            .find(|(c, _)| Some(c.as_str()) == id.map(|i| i.to_string()).as_deref())
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| "（未指定）".into())
    };
    let rounds = rounds
        .into_iter()
        .map(|round| RoundRow {
            status: rounds::info(&round).status(today),
            committee: name_of(round.committee),
            round,
        })
        .collect();
    Ok(RoundsPage {
        page: me.page(),
        rounds,
        committees,
        form,
        errors,
        notice,
    })
}

pub async fn list(
    state: web::Data<AppState>,
    Admin(me): Admin,
    q: web::Query<Notice>,
) -> Result<HttpResponse, AppError> {
    let notice = notice(&q.done);
    render(
        &page(
            &state,
            &me,
            RoundForm::default(),
            FormErrors::default(),
            notice,
        )
        .await?,
    )
}

/// A refusal shown beside the field it is about.
fn refusal(e: ActionError) -> Result<FormErrors, AppError> {
    match e {
        ActionError::Refused(m) => {
            let mut errors = FormErrors::default();
            let field = if m == rounds::REFERENCE_FIXED {
                "reference_date"
            } else if m == rounds::COMMITTEE_FIXED || m == rounds::NO_COMMITTEE {
                "committee"
            } else {
                "name"
            };
            errors.add(field, m);
            Ok(errors)
        }
        e => Err(e.into()),
    }
}

pub async fn create(
    state: web::Data<AppState>,
    Admin(me): Admin,
    CsrfForm(form): CsrfForm<RoundForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let errors = match form.parse(crate::time::local_date(now), None) {
        Ok(new) => {
            let who = me.actor;
            match db(&state, move |c| Ok(rounds::create(c, &who, &new, now))).await? {
                Ok(_) => return Ok(see_other("/admin/rounds?done=created")),
                Err(e) => refusal(e)?,
            }
        }
        Err(errors) => errors,
    };
    let p = page(&state, &me, form, errors, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

#[derive(Template)]
#[template(path = "admin/round.html")]
struct RoundPage {
    page: Page,
    round: Round,
    committees: Vec<(String, String)>,
    status: &'static str,
    form: RoundForm,
    errors: FormErrors,
}

async fn find(state: &web::Data<AppState>, id: RoundId) -> Result<Round, AppError> {
    crate::web::db_read(state, move |c| Ok(crate::store::rounds::find(c, id)?))
        .await?
        .ok_or(AppError::NotFound)
}

fn round_page(
    state: &AppState,
    me: &Me,
    round: Round,
    (form, committees): (RoundForm, Vec<(String, String)>),
    errors: FormErrors,
) -> RoundPage {
    let today = crate::time::local_date(state.now());
    RoundPage {
        page: me.page(),
        committees,
        status: rounds::info(&round).status(today),
        round,
        form,
        errors,
    }
}

pub async fn edit(
    state: web::Data<AppState>,
    Admin(me): Admin,
    id: web::Path<RoundId>,
) -> Result<HttpResponse, AppError> {
    let round = find(&state, *id).await?;
    let form = RoundForm {
        committee: round.committee.map(|c| c.to_string()).unwrap_or_default(),
        name: round.name.clone(),
        submission_deadline: round.submission_deadline.to_string(),
        reference_date: round.reference_date.to_string(),
    };
    let committees = committee_choices(&state).await?;
    render(&round_page(
        &state,
        &me,
        round,
        (form, committees),
        FormErrors::default(),
    ))
}

pub async fn update(
    state: web::Data<AppState>,
    Admin(me): Admin,
    id: web::Path<RoundId>,
    CsrfForm(form): CsrfForm<RoundForm>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let round = find(&state, id).await?;
    let errors = match form.parse(
        crate::time::local_date(now),
        Some(round.submission_deadline),
    ) {
        Ok(new) => match db(&state, move |c| Ok(rounds::update(c, &who, id, &new, now))).await? {
            Ok(()) => {
                state.rounds.forget();
                return Ok(see_other("/admin/rounds?done=updated"));
            }
            Err(e) => refusal(e)?,
        },
        Err(errors) => errors,
    };
    let committees = committee_choices(&state).await?;
    let p = round_page(&state, &me, round, (form, committees), errors);
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

pub async fn close(
    state: web::Data<AppState>,
    Admin(me): Admin,
    id: web::Path<RoundId>,
    _form: CsrfForm<crate::web::public::Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    match db(&state, move |c| Ok(rounds::close(c, &who, id, now))).await? {
        Ok(()) | Err(ActionError::Refused(_)) => {
            state.rounds.forget();
            Ok(see_other("/admin/rounds?done=closed"))
        }
        Err(e) => Err(e.into()),
    }
}
