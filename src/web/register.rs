//! Self-registration of applicants and employers. Office, expert and admin accounts are created
//! by an administrator (`admin.rs`).

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::session::{self, Page, Session};
use super::{db, render, render_status, see_other, AppError, CsrfForm, FormErrors};
use crate::domain::{
    CreditCode, CreditCodeError, IdNumber, MobileNumber, Password, PersonName, RequiredText,
};
use crate::store::accounts::{self, Account, CreateError, NewApplicant, NewEmployer};
use crate::store::{self, sessions};
use crate::AppState;

#[derive(Template)]
#[template(path = "register/choose.html")]
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
#[template(path = "register/applicant.html")]
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

/// Stores a new account with a logged-in session, or hands back the duplicate field's error.
async fn create_and_log_in<F>(
    state: &web::Data<AppState>,
    session: &Session,
    create: F,
) -> Result<Result<HttpResponse, (&'static str, &'static str)>, AppError>
where
    F: FnOnce(&mut store::DbConnection, chrono::NaiveDateTime) -> Result<Account, CreateError>
        + Send
        + 'static,
{
    let now = state.now();
    let old = session.0.as_ref().map(|s| s.token_hash.clone());
    let created = db(state, move |conn| {
        let result = store::write(conn, |conn| {
            let account = create(conn, now)?;
            if let Some(old) = old {
                sessions::delete(conn, &old)?;
            }
            let (token, _) = sessions::create(conn, Some(account.clone()), now)?;
            Ok((token, account))
        });
        Ok(accounts::split_duplicate(result)?)
    })
    .await?;
    let (token, account) = match created {
        Ok(created) => created,
        Err(duplicate) => return Ok(Err(duplicate)),
    };
    let mut res = see_other(&format!("{}?welcome=1", account.role().home()));
    res.add_cookie(&session::cookie(token, state.config.secure_cookies))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Ok(res))
}

pub async fn applicant(
    state: web::Data<AppState>,
    session: Session,
    CsrfForm(form): CsrfForm<ApplicantForm>,
) -> Result<HttpResponse, AppError> {
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
            password_hash: hash_off_thread(password).await?,
        };
        match create_and_log_in(&state, &session, move |conn, now| {
            accounts::register_applicant(conn, &new, now)
        })
        .await?
        {
            Ok(res) => return Ok(res),
            Err((field, message)) => errors.add(field, message),
        }
    }
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ApplicantPage {
            page: session.page(),
            form,
            errors,
        },
    )
}

/// argon2 is deliberately slow: keep it off the async workers.
async fn hash_off_thread(password: Password) -> Result<String, AppError> {
    Ok(web::block(move || crate::password::hash(password.expose())).await?)
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
#[template(path = "register/employer.html")]
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
            password_hash: hash_off_thread(password).await?,
        };
        match create_and_log_in(&state, &session, move |conn, now| {
            accounts::register_employer(conn, &new, now)
        })
        .await?
        {
            Ok(res) => return Ok(res),
            Err((field, message)) => errors.add(field, message),
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
