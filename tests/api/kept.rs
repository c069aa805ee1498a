//! Forms posted after a session timed out: which are kept, how much, under which key, and that
//! every form of every role comes back into the same form after logging in again.

use crate::helpers::{read_page, Page, TestApp};
use guantong::demo::DEMO_PASSWORD;
use reqwest::StatusCode;

crate::tests!(
    both: [no_login_password_or_reset_form_is_kept, a_kept_form_is_bounded_and_keyed_by_its_form, every_tab_keeps_its_form_whoever_logs_in_meanwhile, the_first_page_after_login_lists_every_page_with_kept_forms],
    sqlite: [every_form_of_every_role_comes_back_after_a_timeout],
);

/// Every demo login whose pages hold forms (README names them).
pub const ROLES: [&str; 7] = [
    "demo-applicant",
    "13900000016",
    "demo-employer",
    "demo-clerk",
    "demo-office",
    "demo-expert1",
    "demo-admin",
];

/// The pages a logged-in person reaches by following links from their home, at most `max`.
pub async fn crawl(app: &TestApp, home: &str, max: usize) -> Vec<(String, Page)> {
    use scraper::Selector;
    let link = Selector::parse("a[href]").unwrap();
    let mut queue = std::collections::VecDeque::from([home.to_string()]);
    let mut seen = std::collections::HashSet::from([home.to_string()]);
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if pages.len() >= max {
            break;
        }
        let res = app.get(&path).await;
        let html = res
            .headers()
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
        if res.status() != StatusCode::OK || !html {
            continue;
        }
        let page = read_page(res).await;
        for a in page.html.select(&link) {
            let href = a.value().attr("href").unwrap_or("");
            let href = href.split('#').next().unwrap_or("");
            let local = href.starts_with('/') && !href.starts_with("//");
            let skipped = href.starts_with("/static/")
                || href.contains("/evidence/")
                || href.contains("/licence")
                || href.contains(".csv")
                || href.starts_with("/reset/");
            if local && !skipped && seen.insert(href.to_string()) {
                queue.push_back(href.to_string());
            }
        }
        pages.push((path, page));
    }
    pages
}

/// A path with its numbers as `{n}`: pages and forms of one kind.
pub fn pattern(path: &str) -> String {
    path.split('?')
        .next()
        .unwrap_or("")
        .split('/')
        .map(|seg| {
            if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
                "{n}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// What a form is filled with: a canary in every text field, another choice in every choice.
/// Name and value pairs, in form order.
type Pairs = Vec<(String, String)>;

fn fill(form: &FoundForm, n: usize) -> (Pairs, Pairs) {
    let (mut sent, mut expected) = (Vec::new(), Vec::new());
    for (i, f) in form.fields.iter().enumerate() {
        let value = match f.kind.as_str() {
            "hidden" | "submit" | "button" | "file" | "image" | "reset" => {
                if f.kind == "hidden" {
                    sent.push((f.name.clone(), f.current.clone().unwrap_or_default()));
                }
                continue;
            }
            "radio" | "select" => {
                let other = f
                    .options
                    .iter()
                    .find(|o| Some(*o) != f.current.as_ref() && !o.is_empty())
                    .or(f.options.first());
                match other {
                    Some(o) => o.clone(),
                    None => continue,
                }
            }
            "checkbox" => match f.options.first() {
                Some(o) => o.clone(),
                None => "on".into(),
            },
            _ => format!("K{n}f{i}z"),
        };
        sent.push((f.name.clone(), value.clone()));
        expected.push((f.name.clone(), value));
    }
    (sent, expected)
}

/// Every `<form method=post>` of a logged-in area that the crawl finds, for every role: filled
/// with a canary in each field and another choice in each choice, posted after the session
/// timed out, and found again, each value in that same field, after logging in again.
async fn every_form_of_every_role_comes_back_after_a_timeout() {
    let Some((app, _)) = crate::demo::demo_app(crate::helpers::Backend::Sqlite, "2026-06-15").await
    else {
        return;
    };
    let (mut found, mut checked) = (0, 0);
    let mut kinds = std::collections::BTreeSet::new();
    for login in ROLES {
        let browser = app.share();
        let res = browser.login(login, DEMO_PASSWORD).await;
        let start = res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .expect("login leads home")
            .to_string();
        let pages = crawl(&browser, &start, 150).await;
        assert!(pages.len() > 1, "{login} reached no page from {start}");
        for (path, page) in &pages {
            for form in forms_of(path, page) {
                if !guantong::web::kept::keeps(&form.action) {
                    continue;
                }
                // One form of each kind (its page and action with numbers as {n}).
                if !kinds.insert((pattern(path), pattern(&form.action))) {
                    continue;
                }
                found += 1;
                let (sent, expected) = fill(&form, found);
                let person = app.share();
                person.login(login, DEMO_PASSWORD).await;
                let fresh = get(&person, path).await;
                let token = fresh.csrf();
                person.clock.advance(chrono::Duration::minutes(31));
                let mut fields = vec![("csrf_token".to_string(), token)];
                fields.extend(sent);
                let req = person
                    .client
                    .post(person.url(&form.action))
                    .header("Referer", person.url(path));
                let res = if form.multipart {
                    let mut mp = reqwest::multipart::Form::new();
                    for (k, v) in fields {
                        mp = mp.text(k, v);
                    }
                    req.multipart(mp).send().await.unwrap()
                } else {
                    req.form(&fields).send().await.unwrap()
                };
                let location = res
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                assert!(
                    location.contains("expired=1") && location.contains("kept%3D1"),
                    "{login} {path} -> {}: {location}",
                    form.action
                );
                person.login(login, DEMO_PASSWORD).await;
                let back = get(
                    &person,
                    &format!("{}?kept=1", path.split('?').next().unwrap()),
                )
                .await;
                assert!(back.select("#kept").len() == 1, "{path}: no notice");
                let restored = forms_of(path, &back)
                    .into_iter()
                    .filter(|f| f.action == form.action)
                    .find(|f| {
                        expected.iter().all(|(name, value)| {
                            f.fields.iter().any(|x| {
                                x.name == *name && (x.current.as_deref() == Some(value.as_str()))
                            })
                        })
                    });
                assert!(
                    restored.is_some(),
                    "{login}: the form {} on {path} did not come back with {expected:?}",
                    form.action
                );
                checked += 1;
            }
        }
    }
    eprintln!("{checked} of {found} kinds of form came back: {kinds:?}");
    assert!(found >= 20, "only {found} kinds of form found");
    assert_eq!(checked, found);
}

/// Whether any row of any table holds `needle` (SQLite: the database file and its WAL, byte
/// for byte; PostgreSQL: every row of every table as text).
pub fn stored_anywhere(app: &TestApp, needle: &str) -> bool {
    use diesel::prelude::*;
    if !app.pool.is_postgres() {
        let path = app.pool.url().to_string();
        return [path.clone(), format!("{path}-wal")].iter().any(|p| {
            std::fs::read(p)
                .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        });
    }
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table_name: String,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    app.with_conn(|c| {
        let tables: Vec<Name> = diesel::sql_query(
            "SELECT table_name::text AS table_name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        )
        .load(c)
        .expect("tables");
        tables.iter().any(|t| {
            let q = format!(
                "SELECT count(*) AS n FROM \"{0}\" WHERE \"{0}\"::text LIKE '%{needle}%'",
                t.table_name
            );
            diesel::sql_query(q)
                .get_result::<Count>(c)
                .expect("count")
                .n
                > 0
        })
    })
}

/// Posts `fields` (with the page's token) as a form of `page` after the session timed out.
async fn post_after_timeout(
    app: &TestApp,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = app.page(page).await.csrf();
    app.clock.advance(chrono::Duration::minutes(31));
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    app.client
        .post(app.url(action))
        .header("Referer", app.url(page))
        .form(&all)
        .send()
        .await
        .expect("POST")
}

/// Login, password change and reset forms posted after a timeout keep nothing, whatever their
/// fields are called: a unique canary in every field is in no row of any table afterwards.
async fn no_login_password_or_reset_form_is_kept(app: TestApp) {
    app.load_demo();
    // The admin issues a reset link for the expert, to have a reset form to post.
    let token = app.with_conn(|c| {
        let admin = crate::fixtures::actor(c, "demo-admin");
        let expert = crate::fixtures::account_id(c, "demo-expert1");
        let now = crate::fixtures::now(&app);
        guantong::service::passwords::issue_reset(c, &admin, expert, now)
            .unwrap()
            .0
    });
    let reset = format!("/reset/{token}");
    let forms: [(&str, &str, &[&str]); 3] = [
        (
            "/account/password",
            "/account/password",
            &["current_password", "new_password", "confirm"],
        ),
        (&reset, &reset, &["new_password", "confirm"]),
        ("/login", "/login", &["login", "password", "next"]),
    ];
    let mut n = 0;
    for (page, action, names) in forms {
        let canaries: Vec<String> = names
            .iter()
            .map(|_| {
                n += 1;
                format!("Canary{n}x7Q")
            })
            .collect();
        let fields: Vec<(&str, &str)> = names
            .iter()
            .zip(&canaries)
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        let app = app.share();
        if action == "/login" {
            // A login form posted with a session that has just timed out.
            app.login("demo-admin", DEMO_PASSWORD).await;
            app.clock.advance(chrono::Duration::minutes(31));
            let token = app.page("/login").await.csrf();
            let mut all = vec![("csrf_token", token.as_str())];
            all.extend_from_slice(&fields);
            app.post_raw("/login", &all).await;
        } else {
            if action == "/account/password" {
                app.login("demo-admin", DEMO_PASSWORD).await;
            }
            post_after_timeout(&app, page, action, &fields).await;
        }
        for canary in &canaries {
            assert!(
                !stored_anywhere(&app, canary),
                "{action}: {canary} was stored"
            );
        }
    }
}

/// A kept form holds at most 64 KB of text, an account keeps at most 20, and the forms of one
/// page are kept each under its own action, so that both come back.
async fn a_kept_form_is_bounded_and_keyed_by_its_form(app: TestApp) {
    app.load_demo();
    let app = app.share();
    app.login("demo-admin", DEMO_PASSWORD).await;
    let huge = "长".repeat(30_000);
    let res = post_after_timeout(
        &app,
        "/admin/committees",
        "/admin/committees",
        &[("name", &huge)],
    )
    .await;
    // Sent to log in again ("您已超时退出"), but nothing kept: too large for a form of ours.
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location.contains("expired=1") && !location.contains("kept"));
    assert!(!stored_anywhere(&app, &"长".repeat(1000)));
    // Two forms of the calendar page, one after the other: both come back on the page.
    for (action, field, value) in [
        ("/admin/calendar/days", "name", "国庆节K1"),
        ("/admin/calendar/years", "year", "2099"),
    ] {
        let app = app.share();
        app.login("demo-admin", DEMO_PASSWORD).await;
        let res = post_after_timeout(&app, "/admin/calendar", action, &[(field, value)]).await;
        assert!(res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("kept%3D1"));
    }
    let app = app.share();
    app.login("demo-admin", DEMO_PASSWORD).await;
    let page = app.page("/admin/calendar?kept=1").await;
    let html = page.html.html();
    assert!(html.contains("国庆节K1") && html.contains("2099"), "{html}");
    // At most 20 kept forms an account.
    for i in 0..25 {
        let app = app.share();
        app.login("demo-admin", DEMO_PASSWORD).await;
        let action = format!("/admin/accounts/{}/disable", 1000 + i);
        post_after_timeout(&app, "/admin/accounts", &action, &[("note", "x")]).await;
    }
    let rows: i64 = app.with_conn(|c| {
        use diesel::prelude::*;
        guantong::store::schema::kept_forms::table
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(rows, 20);
}

/// The page's forms that come back after a timeout, with their fields.
#[derive(Debug, Clone)]
pub struct FoundForm {
    pub action: String,
    pub multipart: bool,
    /// (name, kind, value or option values)
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub kind: String,
    /// The values it may take (a radio group's, a select's options, a checkbox's value).
    pub options: Vec<String>,
    /// The value or choice the page shows now.
    pub current: Option<String>,
}

/// Every POST form on a page, with its fields (by form order).
pub fn forms_of(page_path: &str, page: &Page) -> Vec<FoundForm> {
    use scraper::Selector;
    let form_sel = Selector::parse("form").unwrap();
    let field_sel = Selector::parse("input, textarea, select").unwrap();
    let option_sel = Selector::parse("option").unwrap();
    let mut out = Vec::new();
    for form in page.html.select(&form_sel) {
        if !form
            .value()
            .attr("method")
            .is_some_and(|m| m.eq_ignore_ascii_case("post"))
        {
            continue;
        }
        let action = form
            .value()
            .attr("action")
            .unwrap_or(page_path)
            .split('?')
            .next()
            .unwrap_or("")
            .to_string();
        let mut fields: Vec<Field> = Vec::new();
        for f in form.select(&field_sel) {
            let Some(name) = f.value().attr("name") else {
                continue;
            };
            let tag = f.value().name();
            let kind = match tag {
                "input" => f
                    .value()
                    .attr("type")
                    .unwrap_or("text")
                    .to_ascii_lowercase(),
                other => other.to_string(),
            };
            let value = f.value().attr("value").map(str::to_string);
            if let Some(existing) = fields.iter_mut().find(|x| {
                x.name == name && (kind == "radio" || kind == "checkbox") && x.kind == kind
            }) {
                existing.options.extend(value.clone());
                if f.value().attr("checked").is_some() {
                    existing.current = value;
                }
                continue;
            }
            let (options, current) = match kind.as_str() {
                "select" => {
                    let opts: Vec<String> = f
                        .select(&option_sel)
                        .map(|o| o.value().attr("value").unwrap_or("").to_string())
                        .collect();
                    let selected = f
                        .select(&option_sel)
                        .find(|o| o.value().attr("selected").is_some())
                        .map(|o| o.value().attr("value").unwrap_or("").to_string());
                    (opts, selected)
                }
                "radio" | "checkbox" => (
                    value.clone().into_iter().collect(),
                    f.value().attr("checked").and(value.clone()),
                ),
                "textarea" => (Vec::new(), Some(f.text().collect())),
                _ => (Vec::new(), value),
            };
            fields.push(Field {
                name: name.to_string(),
                kind,
                options,
                current,
            });
        }
        out.push(FoundForm {
            action,
            multipart: form
                .value()
                .attr("enctype")
                .is_some_and(|e| e.contains("multipart")),
            fields,
        });
    }
    out
}

/// Reads a page as a logged-in browser would.
pub async fn get(app: &TestApp, path: &str) -> Page {
    read_page(app.get(path).await).await
}

/// Two tabs of one browser, each with a form typed, time out; another person logs in meanwhile;
/// both forms are kept, each comes back on its own view (a list's tab and page included).
async fn every_tab_keeps_its_form_whoever_logs_in_meanwhile(app: TestApp) {
    app.load_demo();
    let browser = app.share();
    browser.login("demo-admin", DEMO_PASSWORD).await;
    let first = browser.page("/admin/calendar").await.csrf();
    let second = browser.page("/admin/committees?done=created").await.csrf();
    browser.clock.advance(chrono::Duration::minutes(31));
    // Someone else logs in: it purges what is idle, but not a session that just timed out.
    app.share().login("demo-office", DEMO_PASSWORD).await;
    let post = |action: &'static str,
                page: &'static str,
                token: String,
                field: &'static str,
                value: &'static str| {
        let browser = &browser;
        async move {
            browser
                .client
                .post(browser.url(action))
                .header("Referer", browser.url(page))
                .form(&[("csrf_token", token.as_str()), (field, value)])
                .send()
                .await
                .unwrap()
        }
    };
    let one = post(
        "/admin/calendar/days",
        "/admin/calendar",
        first,
        "name",
        "国庆节T1",
    )
    .await;
    let two = post(
        "/admin/committees",
        "/admin/committees?done=created",
        second,
        "name",
        "评委会T2",
    )
    .await;
    for res in [&one, &two] {
        let location = res.headers()["location"].to_str().unwrap();
        assert!(
            location.contains("kept%3D1") && location.contains("expired=1"),
            "{location}"
        );
    }
    browser.login("demo-admin", DEMO_PASSWORD).await;
    let calendar = browser.page("/admin/calendar?kept=1").await;
    assert!(calendar.html.html().contains("国庆节T1"));
    assert_eq!(calendar.select(".kept-tag").len(), 1);
    let committees = browser.page("/admin/committees?done=created&kept=1").await;
    assert_eq!(committees.input_value("name").as_deref(), Some("评委会T2"));
}

/// Forms kept from several pages never wait unseen: the first page after logging in again,
/// whichever it is, lists every page that holds some, each linked to put them back; the page
/// the login returns to puts back its own and lists the others.
async fn the_first_page_after_login_lists_every_page_with_kept_forms(app: TestApp) {
    app.load_demo();
    let browser = app.share();
    browser.login("demo-admin", DEMO_PASSWORD).await;
    let first = browser.page("/admin/calendar").await.csrf();
    let second = browser.page("/admin/committees?done=created").await.csrf();
    browser.clock.advance(chrono::Duration::minutes(31));
    for (action, page, token, value) in [
        ("/admin/calendar/days", "/admin/calendar", first, "国庆节K1"),
        (
            "/admin/committees",
            "/admin/committees?done=created",
            second,
            "评委会K2",
        ),
    ] {
        let res = browser
            .client
            .post(browser.url(action))
            .header("Referer", browser.url(page))
            .form(&[("csrf_token", token.as_str()), ("name", value)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    // Logged in from the login page itself: home, which lists both pages.
    let res = browser.login("demo-admin", DEMO_PASSWORD).await;
    let home = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(home, "/admin?kept=1");
    let page = browser.page(&home).await;
    let links: Vec<String> = page
        .html
        .select(&scraper::Selector::parse("#kept .kept-pages a").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        links,
        [
            "/admin/calendar?kept=1",
            "/admin/committees?done=created&kept=1"
        ]
    );
    // One is put back on its page, which lists the other, still waiting.
    let calendar = browser.page(&links[0]).await;
    assert!(calendar.html.html().contains("国庆节K1"));
    let rest: Vec<String> = calendar
        .html
        .select(&scraper::Selector::parse("#kept .kept-pages a").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(rest, ["/admin/committees?done=created&kept=1"]);
    let rounds = browser.page(&rest[0]).await;
    assert_eq!(rounds.input_value("name").as_deref(), Some("评委会K2"));
    // Nothing waits any more: the next login goes home as usual.
    browser.logout().await;
    let res = browser.login("demo-admin", DEMO_PASSWORD).await;
    assert_eq!(res.headers()["location"].to_str().unwrap(), "/admin");
}
