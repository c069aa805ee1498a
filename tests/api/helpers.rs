//! The test harness: the real app on a random port over a real database (an SQLite file, or a
//! schema of its own on the PostgreSQL server), a cookie-keeping client, and HTML read with scraper.

use guantong::clock::Clock;
use guantong::store::{self, DbConnection};
use reqwest::{redirect, Client, Response, StatusCode};
use scraper::{Html, Selector};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub clock: Arc<Clock>,
    pub pool: store::Pool,
    /// The database, removed when the last view of the server goes.
    _database: Arc<FreshDatabase>,
}

/// An empty database of its own: an SQLite file in a new folder, or a new PostgreSQL schema.
/// Dropped, it is removed.
pub struct FreshDatabase {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(std::path::PathBuf),
    Schema { base_url: String, schema: String },
}

impl FreshDatabase {
    /// `None` for PostgreSQL when no server is configured.
    pub fn new(backend: Backend) -> Option<FreshDatabase> {
        Some(match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(unique("guantong-test-"));
                std::fs::create_dir_all(&dir).expect("temp dir");
                FreshDatabase {
                    url: dir.join("guantong.db").to_string_lossy().into_owned(),
                    cleanup: Cleanup::Dir(dir),
                }
            }
            Backend::Postgres => {
                let base_url = postgres_url()?;
                let schema = unique("t_");
                {
                    use diesel::connection::SimpleConnection;
                    use diesel::Connection;
                    let mut c = diesel::PgConnection::establish(&base_url)
                        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {base_url}: {e}"));
                    c.batch_execute(&format!("CREATE SCHEMA {schema}"))
                        .expect("create schema");
                }
                let sep = if base_url.contains('?') { '&' } else { '?' };
                FreshDatabase {
                    url: format!("{base_url}{sep}options=-csearch_path%3D{schema}"),
                    cleanup: Cleanup::Schema { base_url, schema },
                }
            }
        })
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Schema { base_url, schema } => {
                use diesel::connection::SimpleConnection;
                use diesel::Connection;
                if let Ok(mut c) = diesel::PgConnection::establish(base_url) {
                    let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
                }
            }
        }
    }
}

/// The PostgreSQL server to test against, if any. Under CI it must be set and reachable.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("GUANTONG_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but GUANTONG_TEST_POSTGRES_URL is not set: the PostgreSQL tests must run in CI");
    }
    url
}

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", guantong::password::random_token(8))
}

/// Starts the app on a fresh database of the given backend; `None` when PostgreSQL is not configured.
pub async fn try_spawn_app(backend: Backend) -> Option<TestApp> {
    try_spawn_app_with(backend, |_| {}).await
}

/// The same, with some settings changed first.
pub async fn try_spawn_app_with(
    backend: Backend,
    configure: impl FnOnce(&mut guantong::Config),
) -> Option<TestApp> {
    let database = FreshDatabase::new(backend)?;
    let url = database.url.clone();
    let mut config = guantong::Config::for_database(&url);
    configure(&mut config);
    let pool = guantong::open_database(&config).expect("open and migrate the test database");
    let clock = Arc::new(Clock::default());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a random port");
    let address = format!("http://{}", listener.local_addr().unwrap());
    let server = guantong::build_server(listener, pool.clone(), config, clock.clone())
        .expect("build server");
    tokio::spawn(server);
    Some(TestApp {
        address,
        client: new_client(),
        clock,
        pool,
        _database: Arc::new(database),
    })
}

pub fn new_client() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

/// Declares a test module's tests for the harness in main.rs, by kind:
/// - `both`: `async fn(TestApp)`, run once on SQLite and once on PostgreSQL;
/// - `per_backend`: `async fn(Backend)`, the same for tests that start their own app;
/// - `postgres`: `async fn()` that needs PostgreSQL (with SQLite beside it);
/// - `task`: `async fn()` run once;
/// - `sync`: `fn()`.
///
/// A test that needs PostgreSQL is listed as ignored when GUANTONG_TEST_POSTGRES_URL is unset
/// (under CI=true that is an error instead), so nothing passes without having run.
#[macro_export]
macro_rules! tests {
    ($($kind:ident : [$($name:ident),* $(,)?]),* $(,)?) => {
        pub fn trials() -> Vec<libtest_mimic::Trial> {
            let module = module_path!().rsplit("::").next().unwrap_or("api");
            let mut out = Vec::new();
            $($(out.extend($crate::harness::$kind(module, stringify!($name), $name));)*)*
            out
        }
    };
}

pub struct Page {
    pub status: StatusCode,
    pub html: Html,
}

impl Page {
    pub fn select(&self, css: &str) -> Vec<String> {
        let sel = Selector::parse(css).expect("valid selector");
        self.html
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    /// The matching elements as HTML (as the parser writes them again: `checked=""`).
    pub fn select_html(&self, css: &str) -> Vec<String> {
        let sel = Selector::parse(css).expect("valid selector");
        self.html.select(&sel).map(|e| e.html()).collect()
    }

    pub fn text(&self, css: &str) -> String {
        self.select(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("nothing matches {css}"))
    }

    /// The attribute of every element matching `css` that has it.
    pub fn select_attr(&self, css: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(css).expect("valid selector");
        self.html
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn attr(&self, css: &str, attr: &str) -> Option<String> {
        let sel = Selector::parse(css).expect("valid selector");
        self.html
            .select(&sel)
            .next()
            .and_then(|e| e.value().attr(attr).map(str::to_string))
    }

    pub fn csrf(&self) -> String {
        self.attr("input[name=csrf_token]", "value")
            .expect("the page has a form with a CSRF token")
    }

    /// The error-summary entries: (link target, message).
    pub fn error_summary(&self) -> Vec<(String, String)> {
        let sel = Selector::parse(".error-summary a").unwrap();
        self.html
            .select(&sel)
            .map(|a| {
                (
                    a.value().attr("href").unwrap_or("").to_string(),
                    a.text().collect::<String>(),
                )
            })
            .collect()
    }

    /// The message shown beside a field, without the visually hidden prefix.
    pub fn field_error(&self, field: &str) -> Option<String> {
        self.select(&format!("#{field}-error"))
            .into_iter()
            .next()
            .map(|t| t.trim_start_matches("错误：").to_string())
    }

    pub fn input_value(&self, name: &str) -> Option<String> {
        self.attr(&format!("input[name={name}]"), "value")
    }

    /// Every link in the summary points at a field that exists and has its message beside it.
    pub fn assert_errors_linked(&self, fields: &[&str]) {
        let summary = self.error_summary();
        let targets: Vec<&str> = summary
            .iter()
            .map(|(h, _)| h.trim_start_matches('#'))
            .collect();
        assert_eq!(targets, fields, "error summary links");
        for (href, message) in &summary {
            let field = href.trim_start_matches('#');
            assert!(
                !self.select(&format!("#{field}")).is_empty(),
                "summary links to #{field}, which exists"
            );
            assert_eq!(
                self.field_error(field).as_deref(),
                Some(message.as_str()),
                "message beside {field}"
            );
            // Marked, and described by its message, for whoever cannot see the red.
            assert_eq!(
                self.attr(&format!("#{field}"), "aria-invalid").as_deref(),
                Some("true"),
                "{field} is marked invalid"
            );
            assert!(
                self.attr(&format!("#{field}"), "aria-describedby")
                    .is_some_and(|d| d.split(' ').any(|id| id == format!("{field}-error"))),
                "{field} is described by its message"
            );
        }
    }
}

impl TestApp {
    /// Another visitor of the same server, with a cookie jar of its own.
    pub fn share(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: new_client(),
            clock: self.clock.clone(),
            pool: self.pool.clone(),
            _database: self._database.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn page(&self, path: &str) -> Page {
        let res = self.get(path).await;
        read_page(res).await
    }

    /// POSTs the fields as a form, with no CSRF token added.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    /// Reads the CSRF token from `form_page`, then POSTs the fields with it to `action`.
    pub async fn submit(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.page(form_page).await.csrf();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(action, &all).await
    }

    pub async fn login(&self, login: &str, password: &str) -> Response {
        self.submit(
            "/login",
            "/login",
            &[("login", login), ("password", password)],
        )
        .await
    }

    /// Reads the CSRF token from `form_page`, then POSTs a multipart form with it (as its first
    /// part, as a browser sends a form whose token field comes first) to `action`.
    pub async fn submit_multipart(&self, form_page: &str, action: &str, form: Fields) -> Response {
        let token = self.page(form_page).await.csrf();
        let form = Fields::new().text("csrf_token", token).then(form).into();
        self.client
            .post(self.url(action))
            .multipart(form)
            .send()
            .await
            .expect("POST multipart")
    }

    pub fn today(&self) -> chrono::NaiveDate {
        guantong::time::local_date(store::to_db_time(self.clock.now()))
    }

    pub async fn logout(&self) -> Response {
        self.submit("/", "/logout", &[]).await
    }

    pub fn conn(&self) -> store::Conn {
        self.pool.get().expect("a connection")
    }

    pub fn load_demo(&self) {
        let mut conn = self.conn();
        guantong::demo::load(&mut conn, store::to_db_time(self.clock.now())).expect("demo data");
    }

    pub fn with_conn<T>(&self, f: impl FnOnce(&mut DbConnection) -> T) -> T {
        let mut conn = self.conn();
        f(&mut conn)
    }

    pub fn account_count(&self) -> i64 {
        self.with_conn(|c| guantong::store::accounts::count(c).expect("count"))
    }
}

pub async fn read_page(res: Response) -> Page {
    let status = res.status();
    let body = res.text().await.expect("body");
    Page {
        status,
        html: Html::parse_document(&body),
    }
}

pub fn assert_redirect_to(res: &Response, location: &str) {
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "expected a redirect to {location}"
    );
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some(location)
    );
}

/// The value of the session cookie a response sets, if it sets one.
pub fn set_session_cookie(res: &Response) -> Option<String> {
    res.cookies()
        .find(|c| c.name() == "guantong_session")
        .map(|c| c.value().to_string())
}

/// A multipart form being built, in the order of its fields (reqwest's `Form` cannot put the
/// CSRF token first once built): the same `new`, `text` and `part` as `reqwest`'s.
#[derive(Default)]
pub struct Fields(Vec<(String, Piece)>);

enum Piece {
    Text(String),
    Part(Box<reqwest::multipart::Part>),
}

impl Fields {
    pub fn new() -> Fields {
        Fields::default()
    }

    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Fields {
        self.0.push((name.into(), Piece::Text(value.into())));
        self
    }

    pub fn part(mut self, name: impl Into<String>, part: reqwest::multipart::Part) -> Fields {
        self.0.push((name.into(), Piece::Part(Box::new(part))));
        self
    }

    /// These fields, then `more`.
    pub fn then(mut self, more: Fields) -> Fields {
        self.0.extend(more.0);
        self
    }
}

impl From<Fields> for reqwest::multipart::Form {
    fn from(fields: Fields) -> reqwest::multipart::Form {
        fields.0.into_iter().fold(
            reqwest::multipart::Form::new(),
            |f, (name, piece)| match piece {
                Piece::Text(v) => f.text(name, v),
                Piece::Part(p) => f.part(name, *p),
            },
        )
    }
}
