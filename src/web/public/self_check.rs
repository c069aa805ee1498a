//! 资格自测: anyone, without logging in, enters the facts and reads the verdict in plain Chinese.
//! Nothing is stored.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;

use crate::application::self_check::SelfCheckForm;
use crate::policy::{evaluate, AssessmentResult, Catalogue, SkillLevel, TitleLevel};
use crate::web::shared::verdict::VerdictView;
use crate::web::{render, render_status, AppError, CsrfForm, FormErrors, Page, Session};
use crate::AppState;

#[derive(Template)]
#[template(path = "public/self_check.html")]
struct SelfCheckPage {
    page: Page,
    form: SelfCheckForm,
    errors: FormErrors,
    verdict: Option<VerdictView>,
    series: Vec<(String, bool)>,
    occupations: Vec<String>,
    honours: Vec<(String, &'static str)>,
    title_levels: [TitleLevel; 4],
    skill_levels: [SkillLevel; 3],
    results: [AssessmentResult; 8],
}

impl SelfCheckPage {
    fn new(
        page: Page,
        catalogue: &Catalogue,
        form: SelfCheckForm,
        errors: FormErrors,
        verdict: Option<VerdictView>,
    ) -> Self {
        SelfCheckPage {
            page,
            form,
            errors,
            verdict,
            series: catalogue
                .series()
                .iter()
                .map(|s| (s.name.clone(), s.open))
                .collect(),
            occupations: catalogue
                .occupations()
                .into_iter()
                .map(str::to_string)
                .collect(),
            honours: catalogue
                .honours()
                .iter()
                .map(|h| (h.name.clone(), h.level.zh()))
                .collect(),
            title_levels: TitleLevel::ALL,
            skill_levels: SkillLevel::ALL,
            results: AssessmentResult::ALL,
        }
    }
}

async fn catalogue(state: &web::Data<AppState>) -> Result<std::sync::Arc<Catalogue>, AppError> {
    let st = state.clone();
    crate::web::db_read(state, move |c| Ok(st.catalogue(c)?)).await
}

pub async fn form(state: web::Data<AppState>, session: Session) -> Result<HttpResponse, AppError> {
    let catalogue = catalogue(&state).await?;
    let today = crate::time::local_date(state.now());
    render(&SelfCheckPage::new(
        session.page(),
        &catalogue,
        SelfCheckForm::blank(today),
        FormErrors::default(),
        None,
    ))
}

pub async fn check(
    state: web::Data<AppState>,
    session: Session,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let catalogue = catalogue(&state).await?;
    let form = SelfCheckForm::from_pairs(&pairs);
    if form.adding {
        return render(&SelfCheckPage::new(
            session.page(),
            &catalogue,
            form,
            FormErrors::default(),
            None,
        ));
    }
    match form.to_profile(&catalogue) {
        Ok(profile) => {
            let verdict = VerdictView::new(&evaluate(&profile, &catalogue));
            render(&SelfCheckPage::new(
                session.page(),
                &catalogue,
                form,
                FormErrors::default(),
                Some(verdict),
            ))
        }
        Err(errors) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SelfCheckPage::new(session.page(), &catalogue, form, errors, None),
        ),
    }
}
