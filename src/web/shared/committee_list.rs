//! A committee's applications: its office's work list (`/office` shows its own committee's) and
//! the supervisor's view of any committee's. Tabs by state with counts, a search by reference
//! number or the start of a name, newest first, a keyset page at a time.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::{ApplicationId, CommitteeId, State};
use crate::service::committees::{self, CasePage};
use crate::store::committee_list::CommitteeFilter;
use crate::web::extract::Me;
use crate::web::{db_read, render, AppError, Page};
use crate::AppState;

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

pub struct Row {
    pub id: ApplicationId,
    /// What its tick box sends (`id:version`), when the office may accept it from the list.
    pub pick: Option<String>,
    pub reference: String,
    pub name: String,
    pub id_masked: String,
    pub employer: String,
    pub post: String,
    pub round: String,
    pub state: &'static str,
    pub submitted: String,
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
    pub rows: Vec<Row>,
    pub search: String,
    pub action: String,
    pub state_code: String,
    pub next: Option<String>,
    pub newest: Option<String>,
    /// Where a row's reference leads (the office's page of it, or the dossier).
    pub row_base: &'static str,
    /// The office may tick applications at the formal check and accept them together.
    pub batch: bool,
    /// The boxes ticked when a batch came back refused.
    pub picked: Vec<String>,
    /// Corrections falling due, the soonest first: (id, reference, deadline).
    pub due: Vec<(ApplicationId, String, chrono::NaiveDate)>,
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
    let st = state.clone();
    let f = filter.clone();
    let (p, rounds) = db_read(state, move |c| {
        let p = committees::applications(c, &who, &f, before, PAGE + 1)?;
        let mut rounds = std::collections::HashMap::new();
        for r in p.rows.iter().filter_map(|r| r.round) {
            if let std::collections::hash_map::Entry::Vacant(e) = rounds.entry(r) {
                e.insert(st.round(c, r)?.map(|r| r.name).unwrap_or_default());
            }
        }
        Ok((p, rounds))
    })
    .await?;
    let today = crate::time::local_date(state.now());
    Ok(assemble(
        p,
        &rounds,
        &filter,
        &search,
        base,
        today,
        before.is_some(),
        me.page(),
        me.actor.role == crate::domain::Role::Office,
    ))
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    p: CasePage,
    rounds: &std::collections::HashMap<crate::domain::RoundId, String>,
    filter: &CommitteeFilter,
    search: &str,
    base: String,
    today: chrono::NaiveDate,
    paged: bool,
    page: Page,
    office: bool,
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
    // Ticking and accepting together is the office's, while its committee may act.
    let batch = office
        && p.committee.standing(today).may_act().is_ok()
        && p.counts
            .iter()
            .any(|(s, n)| *s == State::OfficeCheck && *n > 0);
    let more = p.rows.len() as i64 > PAGE;
    let shown: Vec<_> = p.rows.into_iter().take(PAGE as usize).collect();
    let next = shown
        .last()
        .filter(|_| more)
        .map(|r| format!("{base}?{keep_q}state={state_code}&before={}", r.id));
    let rows = shown
        .into_iter()
        .map(|r| {
            let summary: crate::application::ListSummary = r
                .summary
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_default();
            Row {
                pick: (batch && r.state == State::OfficeCheck)
                    .then(|| format!("{}:{}", r.id, r.version)),
                id: r.id,
                reference: r.reference.unwrap_or_default(),
                name: r.applicant_name.unwrap_or(summary.name),
                id_masked: summary.id_masked,
                employer: r
                    .employer
                    .and_then(|e| p.employer_names.get(&e).cloned())
                    .unwrap_or_default(),
                post: summary.post,
                round: r
                    .round
                    .and_then(|x| rounds.get(&x).cloned())
                    .unwrap_or_default(),
                state: tab_label(r.state),
                submitted: r
                    .submitted_at
                    .map(crate::time::local_minutes)
                    .unwrap_or_default(),
            }
        })
        .collect();
    let standing = p.committee.standing(today);
    ListPage {
        page,
        title: p.committee.name.clone(),
        committee: p.committee.id,
        refusal: standing.may_act().err(),
        standing: standing.label(),
        home: false,
        tabs,
        rows,
        search: search.to_string(),
        newest: paged.then(|| format!("{base}?{keep_q}state={state_code}")),
        action: base,
        state_code,
        next,
        row_base: "/applications",
        batch,
        picked: Vec::new(),
        due: Vec::new(),
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
