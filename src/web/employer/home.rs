//! The employer's home: the organisation and the submitted applications that name it.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::forms::PublicityForm;
use crate::domain::ApplicationId;
use crate::fragments::{Fragment, Fragments};
use crate::service::ActionError;
use crate::store::accounts::Employer as EmployerRow;
use crate::store::applications::{EmployerFilter, EmployerTab, Keyset, ListDetail, ListKey};
use crate::web::extract::{Employer, Me};
use crate::web::{db, render, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;
use actix_web::http::StatusCode;
use serde::Deserialize;
use std::sync::Arc;

/// A row of the list: as rendered for its id and version, and whether its box is ticked on this
/// request (a refused batch shows its ticks again).
pub struct ListedRow {
    pub row: Arc<Fragment>,
    pub picked: bool,
}

/// A submitted application of one of the employer's people, as its row shows it (rendered
/// once per id and version, see [`crate::fragments`]).
#[derive(Template)]
#[template(path = "employer/list_row.html")]
struct RowView {
    /// Which part to render: up to the box's `checked`, or after it.
    head: bool,
    id: ApplicationId,
    reference: String,
    applicant: String,
    id_masked: String,
    department: String,
    post: String,
    state: String,
    submitted: String,
    /// `id:version` when it can be ticked for a batch publicity.
    pick: Option<String>,
    /// Verified, but it may not be publicised: why.
    why_not: Option<String>,
}

impl RowView {
    fn of(key: ListKey, detail: Option<ListDetail>) -> RowView {
        let detail = detail.unwrap_or(ListDetail {
            id: key.id,
            version: key.version,
            reference: None,
            submitted_at: None,
            summary: None,
            verified: false,
            eligible: None,
            publicity: None,
        });
        // Who, where and in which post, as submission froze it; the ID number masked.
        let summary: crate::application::ListSummary = detail
            .summary
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default();
        let may = may_publicise(key, &detail);
        let (state, pick) = (
            row_state(key.state, &detail),
            may.is_ok().then(|| pick(key)),
        );
        // Verified and still not to be publicised: say why where the box would be.
        let why_not = match (key.state, detail.verified) {
            (crate::domain::State::EmployerReview, true) => may.err(),
            _ => None,
        };
        RowView {
            head: true,
            id: key.id,
            reference: detail.reference.unwrap_or_default(),
            applicant: summary.name,
            id_masked: summary.id_masked,
            department: summary.department,
            post: summary.post,
            state,
            submitted: detail
                .submitted_at
                .map(crate::time::local_minutes)
                .unwrap_or_default(),
            pick,
            why_not,
        }
    }

    fn fragment(mut self) -> Result<Fragment, askama::Error> {
        let head = self.render()?;
        self.head = false;
        Ok(Fragment::new(&head, &self.render()?))
    }
}

/// Whether a row can be ticked for a batch publicity: the rule the service commits by
/// (`may_publicise`), on the row's state and the eligibility kept with its verification.
fn may_publicise(key: ListKey, detail: &ListDetail) -> Result<(), String> {
    crate::application::employer_stage::may_publicise(
        &crate::application::employer_stage::StageFacts {
            state: key.state,
            verified: detail.verified,
            eligible_on_record: detail.eligible,
            // The rule reads none of these (nor the date): a row is kept rendered by its version.
            by_appointment: false,
            obstacle: false,
            publicity: None,
            open_objections: 0,
            today: chrono::NaiveDate::MIN,
        },
    )
}

/// Where a row stands, in the employer's words: a returned application is not "being filled
/// in", one waiting for the employer is verified or not, a publicity is its period (which may
/// start later). Nothing in it depends on today's date: a row is kept rendered by its version.
fn row_state(state: crate::domain::State, detail: &ListDetail) -> String {
    use crate::domain::State;
    match (state, detail.publicity) {
        (State::Draft, _) => "已退回修改".into(),
        (State::Correction, _) => "评委会补正中".into(),
        (State::EmployerReview, _) if detail.verified => match detail.eligible {
            Some(true) => "已核实，待公示".into(),
            Some(false) => "已核实，暂不符合条件".into(),
            None => "已核实，资格待判断".into(),
        },
        (State::EmployerReview, _) => "待核实".into(),
        (State::EmployerPublicity, Some((from, to))) => format!("单位公示 {from} 至 {to}"),
        (state, _) => state.label().into(),
    }
}

/// What a ticked box sends: the id and the version its row showed.
fn pick(key: ListKey) -> String {
    format!("{}:{}", key.id, key.version)
}

/// How many rows a page may show (`?per=`); the first is the default, as on the applicant's list.
/// A clerk who publicises in large batches shows more at once.
pub const PAGE_SIZES: [i64; 3] = [20, 50, 100];

/// `?before=ID` (older than ID), `?page=last`, `?welcome=1` after registration, `?per=N` rows a
/// page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub before: Option<i64>,
    pub page: String,
    pub welcome: Option<String>,
    /// The tab (`review`, `publicity`…; all when empty).
    pub tab: String,
    /// A reference number or the start of a name.
    pub q: String,
    /// Rows a page: one of [`PAGE_SIZES`] (anything else is the default).
    pub per: String,
}

/// A tab of the list with its count.
pub struct TabLink {
    pub href: String,
    pub label: &'static str,
    pub count: i64,
    pub current: bool,
}

/// A page size to choose, with its link (which keeps the tab and the search).
pub struct SizeLink {
    pub rows: i64,
    pub href: String,
    pub current: bool,
}

/// A link to the list with `query` (`&`-separated parts, a leading `&` allowed).
fn list_link(query: &str) -> String {
    match query.trim_start_matches('&') {
        "" => "/employer".to_string(),
        q => format!("/employer?{q}"),
    }
}

impl ListQuery {
    fn filter(&self, today: chrono::NaiveDate) -> EmployerFilter {
        let q = self.q.trim();
        EmployerFilter {
            tab: EmployerTab::parse(&self.tab),
            search: (!q.is_empty()).then(|| q.chars().take(50).collect()),
            today,
        }
    }

    /// Rows a page shows.
    pub fn page_size(&self) -> i64 {
        self.per
            .trim()
            .parse()
            .ok()
            .filter(|n| PAGE_SIZES.contains(n))
            .unwrap_or(PAGE_SIZES[0])
    }

    /// `&per=N` when a size other than the default was chosen.
    fn keep_size(&self) -> String {
        match self.page_size() {
            n if n == PAGE_SIZES[0] => String::new(),
            n => format!("&per={n}"),
        }
    }

    /// `&tab=…&q=…`: the tab and the search.
    fn keep_filter(&self) -> String {
        let mut out = String::new();
        if !self.tab.is_empty() {
            out.push_str(&format!(
                "&tab={}",
                crate::web::errors::urlencode(&self.tab)
            ));
        }
        if !self.q.trim().is_empty() {
            out.push_str(&format!(
                "&q={}",
                crate::web::errors::urlencode(self.q.trim())
            ));
        }
        out
    }

    /// The query string that keeps the tab, the search and the page size (for the pager's links).
    pub fn keep(&self) -> String {
        self.keep_filter() + &self.keep_size()
    }

    /// The whole view, the position in the list too, as a query string: the batch form carries
    /// it, so that a refused batch comes back on the rows that were ticked.
    pub fn view(&self) -> String {
        let mut out = self.keep();
        match (self.page.as_str(), self.before) {
            ("last", _) => out.push_str("&page=last"),
            (_, Some(id)) => out.push_str(&format!("&before={id}")),
            _ => {}
        }
        out.trim_start_matches('&').to_string()
    }

    /// The view a batch form carried (the default when it carried none or nonsense).
    fn from_view(view: &str) -> ListQuery {
        web::Query::<ListQuery>::from_query(view)
            .map(web::Query::into_inner)
            .unwrap_or_default()
    }

    fn keyset(&self) -> Keyset {
        match (self.page.as_str(), self.before) {
            ("last", _) => Keyset::Oldest,
            (_, Some(id)) => Keyset::Before(id),
            _ => Keyset::Newest,
        }
    }
}

#[derive(Template)]
#[template(path = "employer/home.html")]
struct EmployerHome {
    page: Page,
    /// The employer's own account (not a clerk): it manages the clerks.
    manages_staff: bool,
    login_name: String,
    employer: Option<EmployerRow>,
    welcome: bool,
    applications: Vec<ListedRow>,
    /// Some row on this page can be ticked for a batch publicity.
    any_tickable: bool,
    /// The id to continue from for the next (older) page, when there is one.
    next: Option<ApplicationId>,
    /// This is not the first page.
    paged: bool,
    tabs: Vec<TabLink>,
    sizes: Vec<SizeLink>,
    /// The tab shown, for the search form (none for all).
    tab_code: Option<&'static str>,
    /// The tab, search and page size, for the pager's links.
    keep: String,
    /// The first page of this view.
    newest: String,
    /// The page size when not the default, for the search form.
    per: Option<i64>,
    /// The whole view, for the batch form (see [`ListQuery::view`]).
    view: String,
    search: String,
    form: PublicityForm,
    errors: FormErrors,
    refused: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    Employer(me): Employer,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let p = list_page(
        &state,
        &me,
        &q,
        Batch::default(),
        FormErrors::default(),
        None,
    )
    .await?;
    render(&p)
}

/// The batch publicity form of the list as typed, and the rows ticked.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub form: PublicityForm,
    pub picked: Vec<String>,
}

impl Batch {
    /// The batch form from its fields: the period, the contact and every `pick` ticked.
    fn from_pairs(pairs: &[(String, String)]) -> Batch {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Batch {
            form: PublicityForm {
                version: String::new(),
                starts_on: get("starts_on"),
                ends_on: get("ends_on"),
                contact: get("contact"),
            },
            picked: pairs
                .iter()
                .filter(|(k, _)| k == "pick")
                .map(|(_, v)| v.clone())
                .collect(),
        }
    }

    /// The applications ticked, each with the version its row showed (`id:version`).
    fn items(picked: &[String]) -> Vec<(ApplicationId, i32)> {
        picked
            .iter()
            .filter_map(|p| {
                let (id, version) = p.split_once(':')?;
                Some((ApplicationId(id.parse().ok()?), version.parse().ok()?))
            })
            .collect()
    }
}

async fn list_page(
    state: &web::Data<AppState>,
    me: &Me,
    q: &ListQuery,
    batch: Batch,
    errors: FormErrors,
    refused: Option<String>,
) -> Result<EmployerHome, AppError> {
    let (id, keyset, rows) = (me.actor.org, q.keyset(), q.page_size());
    let today = crate::time::local_date(state.now());
    let filter = q.filter(today);
    let tab = filter.tab;
    let kept = state.clone();
    let (employer, page, counts) = crate::web::db_read(state, move |c| {
        use crate::store::applications as apps;
        let employer = crate::store::accounts::employer(c, id)?;
        let counts = apps::employer_counts(c, id, today)?;
        let keys = apps::for_employer_filtered(c, id, &filter, keyset, rows + 1)?;
        let page = RowsPage::of(keys, keyset, rows, &kept.employer_rows);
        // What the rows not kept rendered show (on SQLite in the same snapshot as their keys).
        let details = apps::list_details(c, &page.missing())?;
        Ok((employer, page.with(details), counts))
    })
    .await?;
    // A tab keeps the page size, not the search; a size keeps the tab and the search.
    let size = q.keep_size();
    let tabs = counts
        .into_iter()
        .map(|(t, count)| TabLink {
            href: match t.code() {
                "" => list_link(&size),
                code => list_link(&format!("tab={code}{size}")),
            },
            label: t.label(),
            count,
            current: t == tab,
        })
        .collect();
    let filter_kept = q.keep_filter();
    let sizes = PAGE_SIZES
        .iter()
        .map(|&n| SizeLink {
            rows: n,
            href: list_link(&format!("per={n}{filter_kept}")),
            current: n == rows,
        })
        .collect();
    let next = page.next;
    let applications = page.rows(&state.employer_rows, &batch.picked)?;
    // The batch form only where a row can be ticked (a row has its box only when it can).
    let any_tickable = applications
        .iter()
        .any(|a| a.row.head().contains("name=\"pick\""));
    let mut form = batch.form;
    if form.starts_on.is_empty() {
        form.starts_on = today.to_string();
    }
    Ok(EmployerHome {
        page: me.page(),
        login_name: me.account.login_name.clone(),
        manages_staff: me.actor.is_org_admin(),
        employer,
        welcome: q.welcome.is_some(),
        applications,
        any_tickable,
        next,
        paged: q.keyset() != Keyset::Newest,
        tabs,
        sizes,
        tab_code: Some(tab.code()).filter(|c| !c.is_empty()),
        keep: q.keep(),
        newest: list_link(&q.keep()),
        per: (rows != PAGE_SIZES[0]).then_some(rows),
        view: q.view(),
        search: q.q.clone(),
        form,
        errors,
        refused,
    })
}

/// A page of the list's keys, with the rows kept rendered and what the others show.
struct RowsPage {
    keys: Vec<ListKey>,
    kept: Vec<Option<Arc<Fragment>>>,
    details: Vec<ListDetail>,
    /// The id to continue from for the next (older) page, when there is one.
    next: Option<ApplicationId>,
}

impl RowsPage {
    /// The page of `keys` (one more than a page was read: it tells whether an older page
    /// exists), with the rows kept rendered.
    fn of(
        mut keys: Vec<ListKey>,
        keyset: Keyset,
        rows: i64,
        kept: &Fragments<ListKey>,
    ) -> RowsPage {
        let more = keys.len() as i64 > rows && keyset != Keyset::Oldest;
        if keyset == Keyset::Oldest && keys.len() as i64 > rows {
            keys.remove(0);
        }
        keys.truncate(rows as usize);
        let next = keys.last().map(|k| k.id).filter(|_| more);
        RowsPage {
            kept: kept.get_all(&keys),
            keys,
            details: Vec::new(),
            next,
        }
    }

    /// The rows not kept rendered.
    fn missing(&self) -> Vec<ApplicationId> {
        self.keys
            .iter()
            .zip(&self.kept)
            .filter(|(_, f)| f.is_none())
            .map(|(k, _)| k.id)
            .collect()
    }

    fn with(self, details: Vec<ListDetail>) -> RowsPage {
        RowsPage { details, ..self }
    }

    /// Every row rendered (the missing ones now, and kept from now on), in the page's order.
    fn rows(
        self,
        kept: &Fragments<ListKey>,
        picked: &[String],
    ) -> Result<Vec<ListedRow>, askama::Error> {
        let mut details: std::collections::HashMap<ApplicationId, ListDetail> =
            self.details.into_iter().map(|d| (d.id, d)).collect();
        let mut new = Vec::new();
        let mut out = Vec::with_capacity(self.keys.len());
        for (key, found) in self.keys.into_iter().zip(self.kept) {
            let row = match found {
                Some(row) => row,
                None => {
                    // Kept only when read at the key's version: on PostgreSQL a transition may
                    // come between the keys and the details (the row shows the newer details this
                    // once), and an application gone since (none is ever deleted) shows empty
                    // cells.
                    let detail = details.remove(&key.id);
                    let kept_as_read = detail.as_ref().is_some_and(|d| d.version == key.version);
                    let row = Arc::new(RowView::of(key, detail).fragment()?);
                    if kept_as_read {
                        new.push((key, row.clone()));
                    }
                    row
                }
            };
            out.push(ListedRow {
                row,
                // (Nothing is ticked but on a refused batch: no `id:version` made for nothing.)
                // (A kept row has its box only when it was tickable at its version.)
                picked: !picked.is_empty() && picked.contains(&pick(key)),
            });
        }
        kept.put_all(&new);
        Ok(out)
    }
}

/// Starts one publicity notice for the applications ticked on the list (all or none).
pub async fn publicise(
    state: web::Data<AppState>,
    Employer(me): Employer,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let Batch { form, picked } = Batch::from_pairs(&pairs);
    let view = pairs
        .iter()
        .find(|(k, _)| k == "view")
        .map(|(_, v)| ListQuery::from_view(v))
        .unwrap_or_default();
    let items = Batch::items(&picked);
    let st = state.clone();
    let dates = crate::web::db_read(&state, move |c| Ok(st.stage_dates(c)?)).await?;
    let today = crate::time::local_date(state.now());
    let mut parsed = form.parse(items.clone(), &dates, today);
    if items.is_empty() {
        let mut errors = parsed.err().unwrap_or_default();
        errors.add("pick", "请在列表中勾选要公示的申报");
        parsed = Err(errors);
    }
    let batch = Batch { form, picked };
    let (errors, refused) = match parsed {
        Err(errors) => (errors, None),
        Ok(plan) => {
            let (who, now) = (me.actor, state.now());
            let result = db(&state, move |c| {
                Ok(crate::service::employer_stage::start_publicity(
                    c, &who, &plan, now,
                ))
            })
            .await?;
            match result {
                Ok(notice) => return Ok(see_other(&format!("/employer/publicities/{notice}"))),
                Err(ActionError::Refused(m)) => (FormErrors::default(), Some(m)),
                Err(ActionError::Invalid(errors)) => (errors, None),
                Err(ActionError::Stale) => (
                    FormErrors::default(),
                    Some("所选申报中有刚被其他经办人处理过的，本次没有公示任何一份。请核对列表后重新勾选。".into()),
                ),
                Err(e) => return Err(e.into()),
            }
        }
    };
    // The same rows as the form was sent from, so the ticks and the typed period come back.
    let p = list_page(&state, &me, &view, batch, errors, refused).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::State;

    fn page(key: ListKey, read_at: i32) -> RowsPage {
        RowsPage {
            keys: vec![key],
            kept: vec![None],
            details: vec![ListDetail {
                id: key.id,
                version: read_at,
                reference: Some("GT-2026-000001".into()),
                submitted_at: None,
                summary: None,
                verified: true,
                eligible: Some(true),
                publicity: None,
            }],
            next: None,
        }
    }

    #[test]
    fn a_row_is_kept_only_when_its_details_were_read_at_its_version() {
        let kept = Fragments::default();
        let key = ListKey {
            id: ApplicationId(7),
            state: State::EmployerReview,
            version: 3,
        };
        // A transition came between the keys and the details: shown, not kept.
        let rows = page(key, 4).rows(&kept, &[]).unwrap();
        assert!(rows[0].row.tail().contains("GT-2026-000001"));
        assert!(kept.get_all(&[key])[0].is_none());
        // Read at the key's version: kept, with the box that version sends.
        page(key, 3).rows(&kept, &[]).unwrap();
        let row = kept.get_all(&[key])[0].clone().expect("kept");
        assert!(
            row.head().ends_with(r#"value="7:3" id="pick-7""#),
            "{}",
            row.head()
        );
        // Ticked on this request only.
        let rows = page(key, 3).rows(&kept, &["7:3".into()]).unwrap();
        assert!(rows[0].picked);
    }
}
