//! Self-registration of applicants and employers. Office, expert and admin accounts are created
//! by an administrator (`admin.rs`).

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::{
    CreditCode, CreditCodeError, IdNumber, MobileNumber, Password, PersonName, RequiredText,
};
use crate::service::accounts::{self, Duplicate, LoggedIn, NewApplicant, NewEmployer};
use crate::store::StoreError;
use crate::web::session::{self, Page, Session};
use crate::web::{render, render_status, see_other, AppError, CsrfForm, FormErrors};
use crate::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/register", web::get().to(choose))
        .route("/register/applicant", web::get().to(applicant_form))
        .route("/register/applicant", web::post().to(applicant))
        .route("/register/employer", web::get().to(employer_form))
        .route("/register/employer", web::post().to(employer));
}

#[derive(Template)]
#[template(path = "public/register/choose.html")]
struct ChoosePage {
    page: Page,
}

pub async fn choose(session: Session) -> Result<HttpResponse, AppError> {
    render(&ChoosePage {
        page: session.page(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplicantForm {
    pub name: String,
    pub id_number: String,
    pub mobile: String,
    pub password: String,
    pub password_confirm: String,
}

#[derive(Template)]
#[template(path = "public/register/applicant.html")]
struct ApplicantPage {
    page: Page,
    form: ApplicantForm,
    errors: FormErrors,
}

pub async fn applicant_form(session: Session) -> Result<HttpResponse, AppError> {
    render(&ApplicantPage {
        page: session.page(),
        form: ApplicantForm::default(),
        errors: FormErrors::default(),
    })
}

/// Checks the new password and its repetition; both errors go beside their own field.
fn check_password(errors: &mut FormErrors, password: &str, confirm: &str) -> Option<Password> {
    let password = errors.check("password", Password::parse(password));
    if password.is_some() && confirm != password.as_ref().map(Password::expose).unwrap_or_default()
    {
        errors.add("password_confirm", "两次输入的密码不一致");
        return None;
    }
    password
}

/// Runs a registration (which hashes the password first) off the async workers and, when it
/// worked, logs the new account in; a duplicate comes back for its field.
async fn register<F>(
    state: &web::Data<AppState>,
    session: &Session,
    create: F,
) -> Result<Result<HttpResponse, Duplicate>, AppError>
where
    F: FnOnce(
            &crate::store::Pool,
            Option<&str>,
            chrono::NaiveDateTime,
        ) -> Result<Result<LoggedIn, Duplicate>, StoreError>
        + Send
        + 'static,
{
    let (now, pool) = (state.now(), state.pool.clone());
    let old = session.token_hash();
    let created = web::block(move || create(&pool, old.as_deref(), now)).await??;
    let done = match created {
        Ok(done) => done,
        Err(duplicate) => return Ok(Err(duplicate)),
    };
    let mut res = see_other(&format!("{}?welcome=1", done.account.role.home()));
    res.add_cookie(&session::cookie(done.token, state.config.secure_cookies))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Ok(res))
}

pub async fn applicant(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    session: Session,
    CsrfForm(mut form): CsrfForm<ApplicantForm>,
) -> Result<HttpResponse, AppError> {
    let client = crate::web::client_addr(&req, &state.config);
    let mut errors = FormErrors::default();
    let name = errors.check("name", PersonName::parse(&form.name));
    let id_number = errors.check("id_number", IdNumber::parse(&form.id_number));
    let mobile = errors.check("mobile", MobileNumber::parse(&form.mobile));
    let password = check_password(&mut errors, &form.password, &form.password_confirm);
    if let (Some(name), Some(id_number), Some(mobile), Some(password)) =
        (name, id_number, mobile, password)
    {
        let new = NewApplicant {
            name,
            id_number,
            mobile,
        };
        match register(&state, &session, move |pool, old, now| {
            accounts::register_applicant(pool, &new, &password, client, old, now)
        })
        .await?
        {
            Ok(res) => return Ok(res),
            Err(d) => errors.add(d.field, d.message),
        }
    }
    // The ID number is typed again: it never travels back in a page.
    form.id_number.clear();
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ApplicantPage {
            page: session.page(),
            form,
            errors,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EmployerForm {
    pub name: String,
    pub credit_code: String,
    pub credit_code_confirmed: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub password: String,
    pub password_confirm: String,
}

#[derive(Template)]
#[template(path = "public/register/employer.html")]
struct EmployerPage {
    page: Page,
    form: EmployerForm,
    errors: FormErrors,
    /// The code's check character did not match: offer the confirmation box.
    ask_confirm: bool,
}

pub async fn employer_form(session: Session) -> Result<HttpResponse, AppError> {
    render(&EmployerPage {
        page: session.page(),
        form: EmployerForm::default(),
        errors: FormErrors::default(),
        ask_confirm: false,
    })
}

pub async fn employer(
    state: web::Data<AppState>,
    session: Session,
    CsrfForm(form): CsrfForm<EmployerForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    let name = errors.check("name", RequiredText::parse(&form.name, "单位名称", 100));
    let confirmed = !form.credit_code_confirmed.is_empty();
    let mut ask_confirm = false;
    let credit_code = match CreditCode::parse(&form.credit_code, confirmed) {
        Ok(c) => Some(c),
        Err(e) => {
            ask_confirm = e == CreditCodeError::CheckMismatch;
            errors.add("credit_code", e.message());
            None
        }
    };
    let contact_name = errors.check(
        "contact_name",
        RequiredText::parse(&form.contact_name, "联系人姓名", 50),
    );
    let contact_phone = errors.check("contact_phone", MobileNumber::parse(&form.contact_phone));
    let password = check_password(&mut errors, &form.password, &form.password_confirm);
    if let (
        Some(name),
        Some(credit_code),
        Some(contact_name),
        Some(contact_phone),
        Some(password),
    ) = (name, credit_code, contact_name, contact_phone, password)
    {
        ask_confirm = !credit_code.check_ok();
        let new = NewEmployer {
            name,
            credit_code,
            contact_name,
            contact_phone,
        };
        match register(&state, &session, move |pool, old, now| {
            accounts::register_employer(pool, &new, &password, old, now)
        })
        .await?
        {
            Ok(res) => return Ok(res),
            Err(d) => errors.add(d.field, d.message),
        }
    }
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &EmployerPage {
            page: session.page(),
            form,
            errors,
            ask_confirm,
        },
    )
}
