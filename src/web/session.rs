//! Sessions: a middleware finds the logged-in session of the request's cookie (anonymous
//! visitors get no session row), gives anonymous forms a signed double-submit CSRF token, and
//! extractors hand the session out.
//!
//! The anonymous token is HMAC-SHA256(server key, random cookie value): a form posted from
//! another site cannot know it, and every instance can check it because the key lives in the
//! database.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use hmac::{Hmac, Mac};
use std::future::{ready, Ready};

use super::AppError;
use crate::domain::AccountId;
use crate::service::sessions::Limits;
use crate::store::accounts::SessionAccount;
use crate::store::sessions::{Lookup, SessionData, TimedOut};
use crate::AppState;

pub const COOKIE: &str = "guantong_session";
pub const CSRF_COOKIE: &str = "guantong_csrf";

/// The request's session: the logged-in one, if any, and the token anonymous forms carry.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub data: Option<SessionData>,
    /// The signed double-submit token of an anonymous visitor ("" when they have no cookie).
    pub anonymous_csrf: String,
    /// The cookie named a session that has ended (idle, too old): the person was logged out.
    pub ended: bool,
    /// The session timed out on an active account: whose it was and its CSRF token, so that a
    /// form posted to it can be kept for that account (`extract::after_timeout`).
    pub timed_out: Option<TimedOut>,
    /// The server runs the demo data on its own date: every page says which.
    pub demo_today: Option<chrono::NaiveDate>,
}

impl Session {
    pub fn account(&self) -> Option<&SessionAccount> {
        self.data.as_ref().map(|s| &s.account)
    }

    /// The token a form must carry: the session's, or the anonymous one.
    pub fn csrf_token(&self) -> &str {
        match &self.data {
            Some(s) => &s.csrf_token,
            None => &self.anonymous_csrf,
        }
    }

    pub fn token_hash(&self) -> Option<String> {
        self.data.as_ref().map(|s| s.token_hash.clone())
    }

    pub fn page(&self) -> Page {
        Page {
            csrf: mask(self.csrf_token()),
            user: self.account().map(|a| NavUser {
                name: a.display_name.clone(),
                role: a.role.label(),
                home: a.role.home(),
            }),
            demo_today: self.demo_today,
        }
    }
}

/// The token as a page carries it: a fresh random pad and the token XORed with it, so that no two
/// responses carry the same bytes. Pages are gzip-compressed; a secret repeated verbatim in
/// compressed pages that also reflect what a visitor typed can be guessed byte by byte (BREACH).
pub fn mask(token: &str) -> String {
    use rand::RngCore;
    if token.is_empty() {
        return String::new();
    }
    let n = token.len();
    // pad ‖ (pad ⊕ token), written as hex in one buffer (`hex::encode` goes a char at a time,
    // which was 3 % of a logged-in page).
    let mut bytes = vec![0u8; 2 * n];
    let (pad, masked) = bytes.split_at_mut(n);
    rand::thread_rng().fill_bytes(pad);
    for ((m, p), t) in masked.iter_mut().zip(pad.iter()).zip(token.bytes()) {
        *m = p ^ t;
    }
    let mut out = vec![0u8; 4 * n];
    hex::encode_to_slice(&bytes, &mut out).expect("the buffer is twice the input");
    String::from_utf8(out).expect("hex digits are ASCII")
}

/// The token a form carried, unmasked (see [`mask`]); `None` when it is not a masked token.
pub fn unmask(given: &str) -> Option<Vec<u8>> {
    let bytes = hex::decode(given).ok()?;
    if bytes.is_empty() || bytes.len() % 2 != 0 {
        return None;
    }
    let (pad, masked) = bytes.split_at(bytes.len() / 2);
    Some(pad.iter().zip(masked).map(|(p, m)| p ^ m).collect())
}

/// What the base layout needs: the CSRF token for its forms and who is logged in.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub csrf: String,
    pub user: Option<NavUser>,
    /// The demo's date, shown in a banner on every page (`serve --demo`).
    pub demo_today: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct NavUser {
    pub name: String,
    pub role: &'static str,
    pub home: &'static str,
}

/// A site-wide cookie: HttpOnly, SameSite=Lax, Secure when configured.
fn site_cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

/// The session cookie.
pub fn cookie(token: String, secure: bool) -> Cookie<'static> {
    site_cookie(COOKIE, token, secure)
}

/// A cookie that makes the browser forget the session.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut c = cookie(String::new(), secure);
    c.set_max_age(CookieDuration::ZERO);
    c
}

/// The anonymous CSRF token for a cookie value.
pub fn sign(key: &[u8], value: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn well_formed(value: &str) -> bool {
    value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Signs the visitor's CSRF cookie into the session's anonymous token; on a page view without a
/// cookie, makes one (returned, to be set on the response).
fn anonymous_token(req: &ServiceRequest, key: &[u8], session: &mut Session) -> Option<String> {
    let page_view = req.method() == actix_web::http::Method::GET;
    match req.cookie(CSRF_COOKIE).map(|c| c.value().to_string()) {
        Some(v) if well_formed(&v) => {
            session.anonymous_csrf = sign(key, &v);
            None
        }
        _ if page_view => {
            let v = crate::password::random_token(16);
            session.anonymous_csrf = sign(key, &v);
            Some(v)
        }
        _ => None,
    }
}

/// Error pages are rendered without the request (and so as if logged out): a logged-in person's
/// is rendered again with their header.
fn error_page_for<B>(res: &ServiceResponse<B>, page: Page) -> Option<actix_web::HttpResponse> {
    res.response()
        .error()
        .and_then(|e| e.as_error::<AppError>())
        .and_then(|e| e.page_for(page))
}

/// The session the request's cookie names, if any (its last-seen time touched at most once a
/// minute).
async fn find_session(
    state: &web::Data<AppState>,
    req: &ServiceRequest,
) -> Result<Session, AppError> {
    let mut session = Session {
        demo_today: state
            .config
            .demo
            .then(|| crate::time::local_date(state.now())),
        ..Session::default()
    };
    let Some(token) = req
        .cookie(COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| !t.is_empty())
    else {
        return Ok(session);
    };
    let (now, limits) = (state.now(), state.session_limits());
    // One query: the session joined with its account.
    let (found, write) = super::db_read(state, move |c| {
        Ok(crate::service::sessions::resolve(c, &token, now, limits)?)
    })
    .await?;
    if let Some(write) = write {
        super::db(state, move |c| {
            Ok(crate::service::sessions::apply(c, &write, now)?)
        })
        .await?;
    }
    match found {
        Lookup::Live(data) => session.data = Some(data),
        Lookup::Ended(timed_out) => {
            session.ended = true;
            session.timed_out = timed_out;
        }
        Lookup::Unknown => {}
    }
    Ok(session)
}

/// Static files and the health check need no session.
fn needs_session(path: &str) -> bool {
    !(path.starts_with("/static/") || path == "/healthz" || path == "/favicon.ico")
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Err(AppError::Internal("application state missing".into()).into());
    };
    if !needs_session(req.path()) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let mut session = find_session(&state, &req).await?;
    let mut req = req;
    if let Some(timed_out) = &session.timed_out {
        // The cookie stays: another tab's form posted to the same timed-out session is kept too.
        if let Some(res) = super::kept::keep_timed_out_form(&state, &mut req, timed_out).await? {
            return Ok(req.into_response(res).map_into_boxed_body());
        }
    }
    // A logged-in person's forms carry the session's token; only visitors need the signed one.
    let new_csrf_cookie = match session.data {
        Some(_) => None,
        None => anonymous_token(&req, &state.csrf_key, &mut session),
    };
    let kept = super::kept::for_request(&state, &session, &req).await?;
    // A session switched off is forgotten by the browser; one that timed out stays named, so
    // that every tab's form posted to it is recognised and kept.
    let ended = session.ended && session.timed_out.is_none();
    // Error pages are rendered without the request: a logged-in person's, and any page of the
    // demo (its banner), are rendered again with the session's header.
    let logged_in =
        (session.data.is_some() || session.demo_today.is_some()).then(|| session.page());
    let supervisor_view = supervisor_view(&session, &req);
    req.extensions_mut().insert(session);
    let mut res = next.call(req).await?.map_into_boxed_body();
    if let Some((id, path)) = supervisor_view {
        record_view(&state, id, path, res.status().as_u16()).await?;
    }
    if !kept.is_empty() {
        res = super::kept::restore_response(res, &kept).await?;
    }
    if let Some(again) = logged_in.and_then(|page| error_page_for(&res, page)) {
        return Ok(res.into_response(again.map_into_boxed_body()));
    }
    let secure = state.config.secure_cookies;
    if ended && !res.response().cookies().any(|c| c.name() == COOKIE) {
        res.response_mut().add_cookie(&removal_cookie(secure))?;
    }
    if let Some(v) = new_csrf_cookie {
        res.response_mut()
            .add_cookie(&site_cookie(CSRF_COOKIE, v, secure))?;
    }
    Ok(res.map_into_boxed_body())
}

/// A page a supervisor opens: their account and the path with its query (every page they
/// open is itself written to the audit log).
fn supervisor_view(session: &Session, req: &ServiceRequest) -> Option<(AccountId, String)> {
    let a = session.account()?;
    if a.role != crate::domain::Role::Supervisor || req.method() != actix_web::http::Method::GET {
        return None;
    }
    // A one-time token in the path is worth an account to whoever reads the log: such a page
    // is written as its route (`/reset/{token}`). The query is written as typed (decoded), so
    // the log reads 吴磊, not %E5%90%B4….
    let path = match req.match_pattern() {
        Some(pattern) if pattern.contains("{token}") => pattern,
        _ => req.path().to_string(),
    };
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let path = if query.is_empty() {
        path
    } else {
        let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{path}?{}", q.join("&"))
    };
    Some((a.id, path))
}

async fn record_view(
    state: &web::Data<AppState>,
    id: AccountId,
    path: String,
    status: u16,
) -> Result<(), AppError> {
    let now = state.now();
    super::db(state, move |c| {
        Ok(crate::service::committees::record_supervisor_view(
            c, id, &path, status, now,
        )?)
    })
    .await
}

impl FromRequest for Session {
    type Error = AppError;
    type Future = Ready<Result<Session, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(req
            .extensions()
            .get::<Session>()
            .cloned()
            .unwrap_or_default()))
    }
}

impl AppState {
    /// Login throttles from the configuration: per account at one address (the lockout
    /// settings) and per address over all accounts.
    pub fn login_rules(&self) -> crate::service::accounts::LoginRules {
        use crate::service::throttle::Rule;
        let block = chrono::Duration::minutes(self.config.lockout_minutes);
        crate::service::accounts::LoginRules {
            slow_step: std::time::Duration::from_secs(1),
            slow_max: std::time::Duration::from_secs(10),
            per_name: Rule {
                limit: f64::from(self.config.lockout_failures),
                half_life: block * 2,
                block,
            },
            per_client: Rule {
                limit: f64::from(self.config.client_failures),
                half_life: block * 2,
                block,
            },
            sessions: self.session_limits(),
        }
    }

    pub fn session_limits(&self) -> Limits {
        Limits {
            idle: chrono::Duration::minutes(self.config.session_idle_minutes),
            max_age: chrono::Duration::hours(self.config.session_max_hours),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{mask, unmask};

    #[test]
    fn a_masked_token_unmasks_to_itself_and_is_never_repeated() {
        let token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let (a, b) = (mask(token), mask(token));
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 * token.len());
        assert_eq!(unmask(&a).as_deref(), Some(token.as_bytes()));
        assert_eq!(unmask(&b).as_deref(), Some(token.as_bytes()));
        assert_eq!(mask(""), "");
        assert_eq!(unmask("zz"), None);
    }
}
