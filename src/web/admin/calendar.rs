//! 工作日历: the working-day calendar every working-day count uses. Admins see the years with
//! data, a year's holidays and adjusted working days, and add a year by CSV import or a day at a
//! time. A date in a year without data is refused elsewhere, never guessed.

use actix_multipart::Multipart;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use chrono::Datelike;
use serde::Deserialize;

use crate::calendar::{DayKind, ListedDay};
use crate::service::calendar as service;
use crate::service::ActionError;
use crate::web::extract::{Admin, Me};
use crate::web::{db, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

/// A year with data, as listed.
pub struct YearRow {
    pub year: i32,
    pub holidays: usize,
    pub workdays: usize,
    pub updated: String,
}

/// A listed day, as shown.
pub struct DayView {
    pub date: chrono::NaiveDate,
    pub weekday: &'static str,
    pub kind: &'static str,
    pub name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DayForm {
    pub date: String,
    pub kind: String,
    pub name: String,
    pub year: String,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    page: Page,
    years: Vec<YearRow>,
    year: Option<i32>,
    days: Vec<DayView>,
    form: DayForm,
    errors: FormErrors,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct YearQuery {
    pub year: Option<i32>,
    pub done: String,
}

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

async fn page(
    state: &web::Data<AppState>,
    me: &Me,
    year: Option<i32>,
    form: DayForm,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<CalendarPage, AppError> {
    let (years, rows) = crate::web::db_read(state, |c| {
        Ok((
            crate::store::calendar::years(c)?,
            crate::store::calendar::days(c)?,
        ))
    })
    .await?;
    let this_year = crate::time::local_date(state.now()).year();
    let shown = year
        .or_else(|| years.iter().map(|(y, _)| *y).find(|y| *y == this_year))
        .or_else(|| years.first().map(|(y, _)| *y));
    let count = |y: i32, kind: &str| {
        rows.iter()
            .filter(|r| r.day.year() == y && r.kind == kind)
            .count()
    };
    let list = years
        .iter()
        .map(|(y, at)| YearRow {
            year: *y,
            holidays: count(*y, "holiday"),
            workdays: count(*y, "workday"),
            updated: crate::time::local_minutes(*at),
        })
        .collect();
    let days = rows
        .into_iter()
        .filter(|r| Some(r.day.year()) == shown)
        .map(|r| DayView {
            date: r.day,
            weekday: WEEKDAYS[r.day.weekday().num_days_from_monday() as usize],
            kind: DayKind::parse(&r.kind).map(DayKind::label).unwrap_or("？"),
            name: r.name,
        })
        .collect();
    Ok(CalendarPage {
        page: me.page(),
        years: list,
        year: shown,
        days,
        form,
        errors,
        notice,
    })
}

pub async fn show(
    state: web::Data<AppState>,
    Admin(me): Admin,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, AppError> {
    let notice = match q.done.as_str() {
        "imported" => Some("已导入。".to_string()),
        "year" => Some("已新增年度，请逐日录入该年的放假和调休上班日。".to_string()),
        "day" => Some("已保存。".to_string()),
        "removed" => Some("已删除，该日恢复按星期计算。".to_string()),
        _ => None,
    };
    let p = page(
        &state,
        &me,
        q.year,
        DayForm::default(),
        FormErrors::default(),
        notice,
    )
    .await?;
    render_status(StatusCode::OK, &p)
}

/// The page again with errors (422), keeping what was typed.
async fn again(
    state: &web::Data<AppState>,
    me: &Me,
    year: Option<i32>,
    form: DayForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let p = page(state, me, year, form, errors, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

/// A refusal (or another error) from the service, beside `field`.
fn refused(e: ActionError, field: &str) -> Result<FormErrors, AppError> {
    match e {
        ActionError::Refused(m) => {
            let mut errors = FormErrors::default();
            errors.add(field, m);
            Ok(errors)
        }
        e => Err(e.into()),
    }
}

pub async fn import(
    state: web::Data<AppState>,
    Admin(me): Admin,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let data = crate::web::upload::read(&state, payload, &me.session, 1024 * 1024).await?;
    let file = data.files("file").into_iter().next();
    let parsed = match file {
        None => Err(vec!["请选择要导入的 CSV 文件".to_string()]),
        Some(f) if f.too_big => Err(vec!["文件超过 1 MB".to_string()]),
        Some(f) => match std::str::from_utf8(&f.bytes) {
            Ok(text) => crate::calendar::parse_csv(text),
            Err(_) => Err(vec![
                "文件不是 UTF-8 编码：请在表格软件中另存为“CSV UTF-8”后再导入".to_string(),
            ]),
        },
    };
    let errors = match parsed {
        Ok(days) => {
            let (who, now) = (me.actor, state.now());
            match db(&state, move |c| Ok(service::import(c, &who, &days, now))).await? {
                Ok(years) => {
                    let year = years.first().copied().unwrap_or_default();
                    return Ok(see_other(&format!(
                        "/admin/calendar?year={year}&done=imported"
                    )));
                }
                Err(e) => refused(e, "file")?,
            }
        }
        Err(lines) => {
            let mut errors = FormErrors::default();
            errors.add("file", lines.join("；"));
            errors
        }
    };
    again(&state, &me, None, DayForm::default(), errors).await
}

pub async fn add_year(
    state: web::Data<AppState>,
    Admin(me): Admin,
    CsrfForm(form): CsrfForm<DayForm>,
) -> Result<HttpResponse, AppError> {
    let Ok(year) = form.year.trim().parse::<i32>() else {
        let mut errors = FormErrors::default();
        errors.add("year", "请填写年份，如 2027");
        return again(&state, &me, None, form, errors).await;
    };
    let (who, now) = (me.actor, state.now());
    match db(&state, move |c| Ok(service::add_year(c, &who, year, now))).await? {
        Ok(()) => Ok(see_other(&format!("/admin/calendar?year={year}&done=year"))),
        Err(e) => {
            let errors = refused(e, "year")?;
            again(&state, &me, None, form, errors).await
        }
    }
}

impl DayForm {
    fn parse(&self) -> Result<ListedDay, FormErrors> {
        let mut errors = FormErrors::default();
        let date = crate::domain::date::parse_date(&self.date);
        if date.is_none() {
            errors.add("date", "请填写日期，如 2027-10-01");
        }
        let kind = DayKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "请选择放假或调休上班");
        }
        if let (Some(date), Some(kind)) = (date, kind) {
            match ListedDay::new(date, kind, &self.name) {
                Ok(day) => return Ok(day),
                Err(m) if m.contains("名称") => errors.add("name", m),
                Err(m) => errors.add("date", m),
            }
        }
        Err(errors)
    }
}

pub async fn put_day(
    state: web::Data<AppState>,
    Admin(me): Admin,
    CsrfForm(form): CsrfForm<DayForm>,
) -> Result<HttpResponse, AppError> {
    let errors = match form.parse() {
        Ok(day) => {
            let (who, now, year) = (me.actor, state.now(), day.date.year());
            match db(&state, move |c| Ok(service::put_day(c, &who, &day, now))).await? {
                Ok(()) => return Ok(see_other(&format!("/admin/calendar?year={year}&done=day"))),
                Err(e) => refused(e, "date")?,
            }
        }
        Err(errors) => errors,
    };
    let year = crate::domain::date::parse_date(&form.date).map(|d| d.year());
    again(&state, &me, year, form, errors).await
}

pub async fn remove_day(
    state: web::Data<AppState>,
    Admin(me): Admin,
    CsrfForm(form): CsrfForm<DayForm>,
) -> Result<HttpResponse, AppError> {
    let date = crate::domain::date::parse_date(&form.date).ok_or(AppError::NotFound)?;
    let (who, now) = (me.actor, state.now());
    db(&state, move |c| {
        Ok(service::remove_day(c, &who, date, now)?)
    })
    .await?;
    Ok(see_other(&format!(
        "/admin/calendar?year={}&done=removed",
        date.year()
    )))
}
