//! A committee's rubric (评审标准): the current version previewed exactly as an expert will see
//! it, its versions with the rounds that pinned each, and the office's edit form (preview what
//! was typed, or save it as a new version).

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;

use super::committee::{Done, Pairs};
use crate::domain::{CommitteeId, Role, RubricVersionId};
use crate::rubric::{Anchors, Criterion, Kind, Rubric};
use crate::service::{rubrics, ActionError};
use crate::store::committees::Committee;
use crate::store::rubrics::Version;
use crate::web::extract::Me;
use crate::web::{db, db_read, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

/// Rows the edit form offers beyond the criteria it holds, to add criteria without script.
const SPARE_ROWS: usize = 1;

/// One criterion's row of the edit form, as typed (or as stored).
#[derive(Debug, Clone, Default)]
pub struct CriterionForm {
    pub key: String,
    pub name: String,
    pub guidance: String,
    /// `gate` or `score`.
    pub kind: String,
    pub max: String,
    pub weight: String,
    pub comment_required: bool,
    pub high: String,
    pub middle: String,
    pub low: String,
}

impl CriterionForm {
    fn of(c: &Criterion) -> CriterionForm {
        let (kind, max, weight) = match c.kind {
            Kind::Gate => ("gate", String::new(), String::new()),
            Kind::Score { max, weight } => ("score", max.to_string(), weight.to_string()),
        };
        CriterionForm {
            key: c.key.clone(),
            name: c.name.clone(),
            guidance: c.guidance.clone(),
            kind: kind.into(),
            max,
            weight,
            comment_required: c.comment_required,
            high: c.anchors.high.clone(),
            middle: c.anchors.middle.clone(),
            low: c.anchors.low.clone(),
        }
    }

    /// The one-line fields, each with its name, label, value and hint, in the form's order.
    pub fn short_fields(&self) -> [(&'static str, &'static str, &str, &'static str); 4] {
        [
            (
                "key",
                "标识",
                &self.key,
                "小写英文字母、数字和下划线，如 ability；评分记录按标识对应",
            ),
            ("name", "名称", &self.name, ""),
            (
                "max",
                "满分（计分标准）",
                &self.max,
                "1 至 100 的整数；否决项不填",
            ),
            (
                "weight",
                "权重 %（计分标准）",
                &self.weight,
                "1 至 100 的整数；否决项不填",
            ),
        ]
    }

    /// The paragraph fields, each with its name, label and value.
    pub fn long_fields(&self) -> [(&'static str, &'static str, &str); 4] {
        [
            ("guidance", "评分说明", &self.guidance),
            ("high", "高分（否决项：通过）的含义", &self.high),
            ("middle", "中等分的含义（否决项不填）", &self.middle),
            ("low", "低分（否决项：不通过）的含义", &self.low),
        ]
    }

    fn blank(&self) -> bool {
        [
            &self.key,
            &self.name,
            &self.guidance,
            &self.max,
            &self.weight,
        ]
        .iter()
        .chain([&self.high, &self.middle, &self.low].iter())
        .all(|s| s.trim().is_empty())
    }
}

/// The whole form: the criteria rows in order.
#[derive(Debug, Clone, Default)]
pub struct RubricForm {
    pub rows: Vec<CriterionForm>,
    /// The hash of the version the form was based on.
    pub based_on: String,
}

impl RubricForm {
    fn of(r: &Rubric) -> RubricForm {
        RubricForm {
            rows: r.criteria.iter().map(CriterionForm::of).collect(),
            based_on: r.version_hash(),
        }
    }

    /// The rows posted (`c0_key`, `c0_name`, …), blank rows and rows ticked for removal left
    /// out.
    fn from_pairs(p: &Pairs) -> RubricForm {
        let mut rows = Vec::new();
        // Rows are read by their order, not their numbers, so a row numbered past the form's
        // own is not silently dropped; past the most the form shows, one more is read so that
        // the rubric's check refuses the whole as too many (reading all would cost a scan of
        // the body per row).
        let mut indices: Vec<usize> =
            p.0.iter()
                .filter_map(|(k, _)| k.strip_prefix('c')?.split_once('_')?.0.parse().ok())
                .collect();
        indices.sort_unstable();
        indices.dedup();
        indices.truncate(crate::rubric::MAX_CRITERIA + SPARE_ROWS + 1);
        for i in indices {
            let f = |n: &str| p.get(&format!("c{i}_{n}"));
            let row = CriterionForm {
                key: f("key").trim().to_string(),
                name: f("name").trim().to_string(),
                guidance: f("guidance"),
                kind: f("kind"),
                max: f("max"),
                weight: f("weight"),
                comment_required: !f("comment_required").is_empty(),
                high: f("high"),
                middle: f("middle"),
                low: f("low"),
            };
            if row.blank() || !f("remove").is_empty() {
                continue;
            }
            rows.push(row);
        }
        RubricForm {
            rows,
            based_on: p.get("based_on"),
        }
    }

    /// The rubric typed, with the numbers it could not read as field errors (the rubric's own
    /// check then adds every other problem, under the same field names).
    fn rubric(&self) -> (Rubric, FormErrors) {
        let mut errors = FormErrors::default();
        let number = |errors: &mut FormErrors, field: String, text: &str, what: &str| {
            text.trim().parse::<u32>().unwrap_or_else(|_| {
                errors.add(field, format!("{what}请填写整数"));
                0
            })
        };
        let criteria = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| Criterion {
                key: r.key.clone(),
                name: r.name.clone(),
                guidance: r.guidance.trim().to_string(),
                kind: if r.kind == "gate" {
                    Kind::Gate
                } else {
                    Kind::Score {
                        max: number(
                            &mut errors,
                            format!("c{i}_max"),
                            &r.max,
                            &format!("第{}项的满分", i + 1),
                        ),
                        weight: number(
                            &mut errors,
                            format!("c{i}_weight"),
                            &r.weight,
                            &format!("第{}项的权重", i + 1),
                        ),
                    }
                },
                comment_required: r.comment_required,
                anchors: Anchors {
                    high: r.high.trim().to_string(),
                    middle: r.middle.trim().to_string(),
                    low: r.low.trim().to_string(),
                },
            })
            .collect();
        (Rubric { criteria }, errors)
    }

    /// The rows the page shows: the criteria and spare ones to add to.
    fn with_spare(mut self) -> RubricForm {
        for _ in 0..SPARE_ROWS {
            self.rows.push(CriterionForm {
                kind: "score".into(),
                ..CriterionForm::default()
            });
        }
        self
    }
}

#[derive(Template)]
#[template(path = "shared/rubric.html")]
struct RubricPage {
    page: Page,
    committee: Committee,
    current: Option<Version>,
    rubric: Rubric,
    versions: Vec<(Version, Vec<String>)>,
    runs: bool,
    notice: Option<&'static str>,
}

async fn committee_of(
    state: &web::Data<AppState>,
    me: &Me,
    id: CommitteeId,
) -> Result<Committee, AppError> {
    let who = me.actor;
    db_read(state, move |c| Ok(rubrics::committee(c, &who, id)?)).await
}

pub async fn show(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    q: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let (id, who) = (*id, me.actor);
    let committee = committee_of(&state, &me, id).await?;
    let ((current, rubric), versions) = db_read(&state, move |c| {
        Ok((
            rubrics::current(c, &who, id)?,
            rubrics::versions(c, &who, id)?,
        ))
    })
    .await?;
    let p = RubricPage {
        page: me.page(),
        committee,
        current,
        rubric,
        versions,
        runs: me.actor.role == Role::Office,
        notice: match q.done.as_str() {
            "saved" => Some("评审标准已保存为新版本。已开始受理的批次仍按其锁定的版本评审。"),
            "unchanged" => Some("评审标准没有改动，未产生新版本。"),
            "earlier" => Some("评审标准与此前的一个版本完全相同，已改用该版本，未产生新版本。已开始受理的批次仍按其锁定的版本评审。"),
            _ => None,
        },
    };
    render_status(StatusCode::OK, &p)
}

#[derive(Template)]
#[template(path = "shared/rubric_edit.html")]
struct EditPage {
    page: Page,
    committee: Committee,
    form: RubricForm,
    /// What the typed rubric looks like to an expert (after 预览).
    preview: Option<Rubric>,
    errors: FormErrors,
    refused: Option<String>,
}

impl EditPage {
    fn row_error(&self, i: &usize, field: &str) -> Option<&str> {
        self.errors.get(&format!("c{i}_{field}"))
    }
}

pub async fn edit(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
) -> Result<HttpResponse, AppError> {
    let (id, who) = (*id, me.actor);
    let (committee, rubric) = db_read(&state, move |c| Ok(rubrics::for_edit(c, &who, id)?)).await?;
    let p = EditPage {
        page: me.page(),
        committee,
        form: RubricForm::of(&rubric).with_spare(),
        preview: None,
        errors: FormErrors::default(),
        refused: None,
    };
    render_status(StatusCode::OK, &p)
}

/// 预览 shows the typed rubric as an expert will see it; 保存 makes it a new version.
pub async fn save(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, who, now) = (*id, me.actor, state.now());
    let (committee, current) =
        db_read(&state, move |c| Ok(rubrics::for_edit(c, &who, id)?)).await?;
    let p = Pairs(form);
    let mut form = RubricForm::from_pairs(&p);
    let (rubric, mut errors) = form.rubric();
    if let Err(e) = rubric.validate() {
        errors.merge(e);
    }
    let preview = p.get("action") == "preview";
    let mut refused = None;
    if errors.is_empty() && !preview {
        match try_save(&state, who, id, &rubric, &mut form, &current, now).await? {
            Saving::Done(done) => {
                return Ok(see_other(&format!(
                    "/committees/{id}/rubric?done={done}#done"
                )))
            }
            Saving::Invalid(e) => errors = e,
            Saving::Refused(why) => refused = Some(why),
        }
    }
    let status = if errors.is_empty() && refused.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = EditPage {
        page: me.page(),
        committee,
        preview: (errors.is_empty() && preview).then_some(rubric),
        form: form.with_spare(),
        errors,
        refused,
    };
    render_status(status, &p)
}

enum Saving {
    Done(&'static str),
    Invalid(FormErrors),
    Refused(String),
}

/// Saves the typed rubric. When someone saved another version since the form was shown, says
/// what they changed, and the form then stands on the version now current: saving again
/// replaces it with what was typed, knowingly.
async fn try_save(
    state: &web::Data<AppState>,
    who: crate::service::Actor,
    id: CommitteeId,
    rubric: &Rubric,
    form: &mut RubricForm,
    current: &Rubric,
    now: chrono::NaiveDateTime,
) -> Result<Saving, AppError> {
    let (r, based_on) = (rubric.clone(), form.based_on.clone());
    let result = db(state, move |c| {
        Ok(rubrics::save(c, &who, id, &r, &based_on, now))
    })
    .await?;
    Ok(match result {
        Ok((_, rubrics::Saved::New)) => Saving::Done("saved"),
        Ok((_, rubrics::Saved::Earlier)) => Saving::Done("earlier"),
        Ok((_, rubrics::Saved::Unchanged)) => Saving::Done("unchanged"),
        Err(ActionError::Invalid(e)) => Saving::Invalid(e),
        Err(ActionError::Stale) => {
            let based_on = form.based_on.clone();
            let seen = db_read(state, move |c| {
                Ok(rubrics::version_by_hash(c, &who, id, &based_on)?)
            })
            .await?;
            let changed = seen.map_or(String::new(), |s| s.differences(current).join("；"));
            form.based_on = current.version_hash();
            Saving::Refused(stale_message(&changed))
        }
        Err(ActionError::Refused(why)) => Saving::Refused(why),
        Err(e) => return Err(e.into()),
    })
}

/// Why a rubric save was refused after someone else's: what they changed, and what saving
/// again does.
fn stale_message(changed: &str) -> String {
    let what = if changed.is_empty() {
        String::new()
    } else {
        format!("（{changed}）")
    };
    format!(
        "您打开本页后，评审标准已被他人修改并保存为新版本{what}，您的修改没有保存。您填写的内容保留在下面的表单中；请打开评审标准页面核对最新版本，确认后再次保存，将以下面的内容作为新版本。"
    )
}

#[derive(Template)]
#[template(path = "shared/rubric_version.html")]
struct VersionPage {
    page: Page,
    committee: Committee,
    version: Version,
    rubric: Rubric,
    rounds: Vec<String>,
}

pub async fn version(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RubricVersionId)>,
) -> Result<HttpResponse, AppError> {
    let ((id, vid), who) = (*path, me.actor);
    let committee = committee_of(&state, &me, id).await?;
    let ((version, rubric), rounds) = db_read(&state, move |c| {
        let v = rubrics::version(c, &who, id, vid)?;
        let rounds = rubrics::versions(c, &who, id)?
            .into_iter()
            .find(|(x, _)| x.id == vid)
            .map(|(_, r)| r)
            .unwrap_or_default();
        Ok((v, rounds))
    })
    .await?;
    let p = VersionPage {
        page: me.page(),
        committee,
        version,
        rubric,
        rounds,
    };
    render_status(StatusCode::OK, &p)
}
