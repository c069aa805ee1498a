//! Self-registration of applicants and employers. Office, expert and admin accounts are created
//! by an administrator (`admin.rs`).

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::{
    CreditCode, CreditCodeError, IdNumber, MobileNumber, Password, PersonName, RequiredText,
};
use crate::service::accounts::{self, NewApplicant, NewEmployer};
use crate::store::evidence::NewEvidence;
use crate::web::session::{Page, Session};
use crate::web::upload::{self, MultipartData};
use crate::web::{render, render_status, see_other, AppError, CsrfForm, FormErrors};
use crate::AppState;

/// 注册申请进度: a claimant asks with the claim's number and the password they chose.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    pub number: String,
    pub password: String,
}

#[derive(Template)]
#[template(path = "public/register/status.html")]
struct StatusPage {
    page: Page,
    number: String,
    errors: FormErrors,
    claim: Option<crate::service::employers::ClaimView>,
}

pub async fn status_form(session: Session) -> Result<HttpResponse, AppError> {
    render(&StatusPage {
        page: session.page(),
        number: String::new(),
        errors: FormErrors::default(),
        claim: None,
    })
}

pub async fn status(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    session: Session,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> Result<HttpResponse, AppError> {
    use crate::service::employers::{claim_status, StatusRefused};
    let mut errors = FormErrors::default();
    let typed = form.number.trim();
    let number = typed.parse::<i64>().ok().filter(|n| *n > 0);
    match (typed, number) {
        ("", _) => errors.add("number", "请输入申请编号（提交注册申请后页面上显示的数字）"),
        (_, None) => errors.add(
            "number",
            format!("申请编号“{typed}”不是数字：请输入提交注册申请后页面上显示的编号"),
        ),
        _ => {}
    }
    if form.password.is_empty() {
        errors.add("password", "请输入提交注册申请时设置的密码");
    }
    let mut claim = None;
    if let (Some(number), true) = (number, errors.is_empty()) {
        let (pool, now) = (state.pool.clone(), state.now());
        let client = crate::web::client_addr(&req, &state.config);
        let password = form.password.clone();
        match web::block(move || claim_status(&pool, number, &password, client, now)).await?? {
            Ok(view) => claim = Some(view),
            Err(StatusRefused::NoMatch) => errors.add("password", "申请编号或密码不正确"),
            Err(StatusRefused::TooMany(until)) => errors.add(
                "password",
                format!(
                    "从您所在网络查询的次数过多，查询已暂停至 {}，请到时再试",
                    crate::time::local_minutes(until)
                ),
            ),
        }
    }
    let status = match claim {
        Some(_) => StatusCode::OK,
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    render_status(
        status,
        &StatusPage {
            page: session.page(),
            number: form.number,
            errors,
            claim,
        },
    )
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

/// Where every registration that was not refused for its input goes: the login page, saying
/// [`accounts::REGISTERED_OR_NOT`], then the applicant's home with its welcome.
pub const AFTER_REGISTERING: &str = "/login?registered=1&next=%2Fapplicant%3Fwelcome%3D1";

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
        let (pool, now) = (state.pool.clone(), state.now());
        let done =
            web::block(move || accounts::register_applicant(&pool, &new, &password, client, now))
                .await??;
        match done {
            Ok(()) => return Ok(see_other(AFTER_REGISTERING)),
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

/// What the employer registration form carried (a multipart form: it has the licence scan).
#[derive(Debug, Default)]
pub struct EmployerForm {
    pub name: String,
    pub credit_code: String,
    pub credit_code_confirmed: String,
    pub contact_name: String,
    pub contact_phone: String,
}

impl EmployerForm {
    fn read(data: &MultipartData) -> EmployerForm {
        EmployerForm {
            name: data.get("name").to_string(),
            credit_code: data.get("credit_code").to_string(),
            credit_code_confirmed: data.get("credit_code_confirmed").to_string(),
            contact_name: data.get("contact_name").to_string(),
            contact_phone: data.get("contact_phone").to_string(),
        }
    }

    /// The claim, its password and licence, or every problem beside its field. The second value
    /// says whether to offer "确认代码无误".
    #[allow(clippy::type_complexity)]
    fn parse(
        &self,
        data: &MultipartData,
        max_mb: u32,
    ) -> (
        Result<(NewEmployer, Password, NewEvidence), FormErrors>,
        bool,
    ) {
        let mut errors = FormErrors::default();
        let name = errors.check("name", RequiredText::parse(&self.name, "单位名称", 100));
        let confirmed = !self.credit_code_confirmed.is_empty();
        let (credit_code, ask_confirm) = match CreditCode::parse(&self.credit_code, confirmed) {
            Ok(c) => {
                let unverified = !c.check_ok();
                (Some(c), unverified)
            }
            Err(e) => {
                errors.add("credit_code", e.message());
                (None, e == CreditCodeError::CheckMismatch)
            }
        };
        let contact_name = errors.check(
            "contact_name",
            RequiredText::parse(&self.contact_name, "联系人姓名", 50),
        );
        let contact_phone = errors.check("contact_phone", MobileNumber::parse(&self.contact_phone));
        let password = check_password(
            &mut errors,
            data.get("password"),
            data.get("password_confirm"),
        );
        let licence = match upload::evidence_list(data, "licence", max_mb, true) {
            Ok(mut files) if files.len() == 1 => files.pop(),
            Ok(_) => {
                errors.add("licence", "请上传一个营业执照（或登记证书）扫描件");
                None
            }
            Err(e) => {
                errors.add("licence", e);
                None
            }
        };
        let parsed = match (
            name,
            credit_code,
            contact_name,
            contact_phone,
            password,
            licence,
        ) {
            (
                Some(name),
                Some(credit_code),
                Some(contact_name),
                Some(contact_phone),
                Some(p),
                Some(l),
            ) => Ok((
                NewEmployer {
                    name,
                    credit_code,
                    contact_name,
                    contact_phone,
                },
                p,
                l,
            )),
            _ => Err(errors),
        };
        (parsed, ask_confirm)
    }
}

#[derive(Template)]
#[template(path = "public/register/employer.html")]
struct EmployerPage {
    page: Page,
    form: EmployerForm,
    errors: FormErrors,
    /// The code's check character did not match: offer the confirmation box.
    ask_confirm: bool,
    max_mb: u32,
}

pub async fn employer_form(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, AppError> {
    render(&EmployerPage {
        page: session.page(),
        form: EmployerForm::default(),
        errors: FormErrors::default(),
        ask_confirm: false,
        max_mb: state.config.max_upload_mb,
    })
}

/// Files the claim; the employer can log in once an admin has checked the licence.
pub async fn employer(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    session: Session,
    payload: actix_multipart::Multipart,
) -> Result<HttpResponse, AppError> {
    let max_mb = state.config.max_upload_mb;
    let data = upload::read(&state, payload, &session, state.config.max_upload_bytes()).await?;
    let form = EmployerForm::read(&data);
    let (parsed, ask_confirm) = form.parse(&data, max_mb);
    let errors = match parsed {
        Ok((new, password, licence)) => {
            let (pool, now, client, limits) = (
                state.pool.clone(),
                state.now(),
                crate::web::client_addr(&req, &state.config),
                state.config.claim_limits(),
            );
            let filed = web::block(move || {
                crate::service::employers::register_claim(
                    &pool, &new, &password, &licence, client, limits, now,
                )
            })
            .await??;
            match filed {
                Ok(claim) => {
                    return Ok(see_other(&format!(
                        "/register/employer/submitted?claim={claim}"
                    )))
                }
                Err(message) => {
                    let mut e = FormErrors::default();
                    let field = match message {
                        crate::service::employers::CODE_HELD => "credit_code",
                        _ => "form",
                    };
                    e.add(field, message);
                    e
                }
            }
        }
        Err(errors) => errors,
    };
    let page = EmployerPage {
        page: session.page(),
        form,
        errors,
        ask_confirm,
        max_mb,
    };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClaimQuery {
    pub claim: i64,
}

#[derive(Template)]
#[template(path = "public/register/employer_submitted.html")]
struct ClaimSubmittedPage {
    page: Page,
    claim: i64,
}

pub async fn employer_submitted(
    session: Session,
    q: web::Query<ClaimQuery>,
) -> Result<HttpResponse, AppError> {
    render(&ClaimSubmittedPage {
        page: session.page(),
        claim: q.claim,
    })
}
