//! A committee's applications: its office's work list (`/office` shows its own committee's) and
//! the supervisor's view of any committee's. Tabs by state with counts, a search by reference
//! number or the start of a name, newest first, a keyset page at a time.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::{ApplicationId, CommitteeId, State};
use crate::fragments::Fragment;
use crate::service::committees::{self, CasePage};
use crate::store::applications::ListKey;
use crate::store::committee_list::CommitteeFilter;
use crate::web::extract::Me;
use crate::web::{db_read, render, AppError, Page};
use crate::AppState;
use std::sync::Arc;

/// Rows a page shows.
const PAGE: i64 = 25;

/// The tabs, in the order of the review: every state a committee holds an application in.
pub const TABS: [State; 9] = [
    State::OfficeCheck,
    State::Correction,
    State::NotAccepted,
    State::ExpertReview,
    State::Meeting,
    State::ResultPublicity,
    State::Titled,
    State::NotPassed,
    State::Withdrawn,
];

/// A tab's label on a committee's list.
pub fn tab_label(s: State) -> &'static str {
    match s {
        State::OfficeCheck => "待形式审查",
        State::Correction => "补正中",
        State::NotAccepted => "不予受理",
        State::ExpertReview => "已受理·专家评审",
        State::Meeting => "评审会议",
        State::ResultPublicity => "结果公示",
        State::Titled => "已取得职称",
        State::NotPassed => "未通过",
        State::Withdrawn => "已放弃",
        other => other.label(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub state: String,
    pub q: String,
    pub before: Option<i64>,
    /// After a batch accept: how many were accepted.
    pub accepted: Option<usize>,
}

pub struct Tab {
    pub label: &'static str,
    pub count: i64,
    pub href: String,
    pub current: bool,
}

/// A row of the list as rendered (see [`crate::fragments`]): the same HTML for the same
/// application at the same version, seen the same way (by the office, with or without its tick
/// box, or by the supervisor), while the rounds read for pages stay the same.
pub type RowKey = (ListKey, u8, usize);

/// A row and whether its box is ticked on this request (a refused batch shows its ticks).
pub struct ListedRow {
    pub key: ListKey,
    pub row: Arc<Fragment>,
    pub picked: bool,
}

impl ListedRow {
    /// What its tick box sends, when it has one.
    pub fn pick(&self) -> String {
        format!("{}:{}", self.key.id, self.key.version)
    }
}

/// A committee's application, as its row shows it.
#[derive(Template)]
#[template(path = "shared/committee_row.html")]
struct RowView {
    /// Which part to render: up to the box's `checked`, or after it.
    head: bool,
    id: ApplicationId,
    /// The page has a column of tick boxes.
    batch: bool,
    pick: Option<String>,
    row_base: &'static str,
    reference: String,
    name: String,
    id_masked: String,
    employer: String,
    post: String,
    round: String,
    state: &'static str,
    submitted: String,
}

impl RowView {
    fn fragment(mut self) -> Result<Fragment, askama::Error> {
        let head = self.render()?;
        self.head = false;
        Ok(Fragment::new(&head, &self.render()?))
    }
}

#[derive(Template)]
#[template(path = "shared/committee_applications.html")]
pub struct ListPage {
    pub page: Page,
    pub title: String,
    pub committee: CommitteeId,
    pub standing: String,
    pub refusal: Option<&'static str>,
    /// The office's own home: links to the committee's page and pool.
    pub home: bool,
    pub tabs: Vec<Tab>,
    pub rows: Vec<ListedRow>,
    pub search: String,
    pub action: String,
    pub state_code: String,
    pub next: Option<String>,
    pub newest: Option<String>,
    /// The office may tick applications at the formal check and accept them together.
    pub batch: bool,
    /// Corrections falling due, the soonest first: (id, reference, deadline).
    pub due: Vec<(ApplicationId, String, chrono::NaiveDate)>,
    /// The office's overview: rounds with assignment work waiting.
    pub attention: Vec<crate::service::assignment::Attention>,
    pub done: Option<String>,
    pub refused: Option<String>,
}

/// The page for one committee, as `base` (the path the list lives at) shows it.
pub async fn list_page(
    state: &web::Data<AppState>,
    me: &Me,
    committee: CommitteeId,
    q: &ListQuery,
    base: String,
) -> Result<ListPage, AppError> {
    let search = q.q.trim().chars().take(50).collect::<String>();
    let filter = CommitteeFilter {
        committee,
        state: State::parse(&q.state).filter(|s| TABS.contains(s)),
        search: (!search.is_empty()).then(|| search.clone()),
    };
    let (who, before) = (me.actor, q.before.map(ApplicationId));
    let office = me.actor.role == crate::domain::Role::Office;
    let today = crate::time::local_date(state.now());
    let st = state.clone();
    let f = filter.clone();
    let (p, rows) = db_read(state, move |c| {
        let p = committees::applications(c, &who, &f, before, PAGE + 1)?;
        let rows = rows(c, &st, &who, &p, office, today)?;
        Ok((p, rows))
    })
    .await?;
    Ok(assemble(
        p,
        rows,
        &filter,
        &search,
        base,
        before.is_some(),
        me.page(),
        (today, office),
    ))
}

/// Whether the office may tick applications of this page and accept them together: its
/// committee may act and holds some at the formal check.
fn batch_for(p: &CasePage, office: bool, today: chrono::NaiveDate) -> bool {
    office
        && p.committee.standing(today).may_act().is_ok()
        && p.counts
            .iter()
            .any(|(s, n)| *s == State::OfficeCheck && *n > 0)
}

/// The page's rows: kept rendered, or rendered now from their details (read only for these).
fn rows(
    c: &mut crate::store::DbConnection,
    st: &AppState,
    who: &crate::service::Actor,
    p: &CasePage,
    office: bool,
    today: chrono::NaiveDate,
) -> Result<Vec<Option<Arc<Fragment>>>, AppError> {
    let batch = batch_for(p, office, today);
    let view = u8::from(office) | (u8::from(batch) << 1);
    // Rows name their round: a round renamed shows once the rounds are read again.
    let rounds = st.rounds_epoch(c)?;
    let keys: Vec<RowKey> = p
        .keys
        .iter()
        .take(PAGE as usize)
        .map(|k| (*k, view, rounds))
        .collect();
    let mut kept = st.committee_rows.get_all(&keys);
    let missing: Vec<ApplicationId> = keys
        .iter()
        .zip(&kept)
        .filter(|(_, f)| f.is_none())
        .map(|(k, _)| k.0.id)
        .collect();
    let details = committees::case_rows(c, who, p.committee.id, &missing)?;
    let mut new = Vec::new();
    for (key, slot) in keys.iter().zip(kept.iter_mut()) {
        if slot.is_some() {
            continue;
        }
        let Some(r) = details.rows.iter().find(|r| r.id == key.0.id) else {
            continue;
        };
        let round = match r.round {
            Some(id) => st.round(c, id)?.map(|r| r.name).unwrap_or_default(),
            None => String::new(),
        };
        let row = Arc::new(row_view(r, &details, round, office, batch).fragment()?);
        // Kept only when read at the key's version (on PostgreSQL a transition may come
        // between the keys and the details: the row shows the newer details this once).
        if r.version == key.0.version {
            new.push((*key, row.clone()));
        }
        *slot = Some(row);
    }
    st.committee_rows.put_all(&new);
    Ok(kept)
}

fn row_view(
    r: &crate::store::committee_list::CommitteeRow,
    details: &committees::CaseRows,
    round: String,
    office: bool,
    batch: bool,
) -> RowView {
    let summary: crate::application::ListSummary = r
        .summary
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    RowView {
        head: true,
        id: r.id,
        batch,
        // Tickable where the workflow lets the office accept it: the rule the service commits by.
        pick: (batch
            && crate::workflow::allows(
                r.state,
                crate::domain::Action::Accept,
                crate::domain::Role::Office,
            ))
        .then(|| format!("{}:{}", r.id, r.version)),
        row_base: if office {
            "/office/applications"
        } else {
            "/applications"
        },
        reference: r.reference.clone().unwrap_or_default(),
        name: r.applicant_name.clone().unwrap_or(summary.name),
        id_masked: summary.id_masked,
        employer: r
            .employer
            .and_then(|e| details.employer_names.get(&e).cloned())
            .unwrap_or_default(),
        post: summary.post,
        round,
        state: tab_label(r.state),
        submitted: r
            .submitted_at
            .map(crate::time::local_minutes)
            .unwrap_or_default(),
    }
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    p: CasePage,
    rows: Vec<Option<Arc<Fragment>>>,
    filter: &CommitteeFilter,
    search: &str,
    base: String,
    paged: bool,
    page: Page,
    (today, office): (chrono::NaiveDate, bool),
) -> ListPage {
    let keep_q = if search.is_empty() {
        String::new()
    } else {
        format!("q={}&", crate::web::errors::urlencode(search))
    };
    let state_code = filter
        .state
        .map(|s| s.as_str().to_string())
        .unwrap_or_default();
    let count = |s: Option<State>| -> i64 {
        p.counts
            .iter()
            .filter(|(st, _)| s.is_none_or(|x| x == *st))
            .map(|(_, n)| n)
            .sum()
    };
    let mut tabs = vec![Tab {
        label: "全部",
        count: count(None),
        href: base.clone(),
        current: filter.state.is_none(),
    }];
    tabs.extend(TABS.iter().map(|s| Tab {
        label: tab_label(*s),
        count: count(Some(*s)),
        href: format!("{base}?state={}", s.as_str()),
        current: filter.state == Some(*s),
    }));
    let more = p.keys.len() as i64 > PAGE;
    let next = p
        .keys
        .get(PAGE as usize - 1)
        .filter(|_| more)
        .map(|k| format!("{base}?{keep_q}state={state_code}&before={}", k.id));
    let batch = batch_for(&p, office, today);
    let standing = p.committee.standing(today);
    ListPage {
        page,
        title: p.committee.name.clone(),
        committee: p.committee.id,
        refusal: standing.may_act().err(),
        standing: standing.label(),
        home: false,
        tabs,
        rows: p
            .keys
            .iter()
            .zip(rows)
            // A row the details no longer hold (gone from the committee since its key was
            // read) is left out.
            .filter_map(|(key, row)| {
                Some(ListedRow {
                    key: *key,
                    row: row?,
                    picked: false,
                })
            })
            .collect(),
        search: search.to_string(),
        newest: paged.then(|| format!("{base}?{keep_q}state={state_code}")),
        action: base,
        state_code,
        next,
        batch,
        due: Vec::new(),
        attention: Vec::new(),
        done: None,
        refused: None,
    }
}

/// `/committees/{cid}/applications`: the supervisor's (and the office's) list of a committee.
pub async fn applications(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let base = format!("/committees/{}/applications", *id);
    render(&list_page(&state, &me, *id, &q, base).await?)
}
