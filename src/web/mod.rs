//! HTTP: handlers grouped by who uses them, and the plumbing they share (sessions, CSRF, errors,
//! forms). Handlers are thin: parse the form into typed values, call one store function, render.

pub mod admin;
pub mod applicant;
pub mod chart;
pub mod employer;
pub mod errors;
pub mod escape;
pub mod expert;
pub mod extract;
pub mod forms;
pub mod kept;
pub mod office;
pub mod public;
pub mod routes;
pub mod session;
pub mod shared;
pub mod supervisor;
pub mod upload;

use actix_web::http::header;
use actix_web::{middleware, web, HttpResponse, ResponseError};
use askama::Template;

pub use errors::AppError;
pub use forms::{CsrfForm, FormErrors};
pub use session::{Page, Session};

use crate::store::DbConnection;
use crate::AppState;

/// The content security policy: no inline script or style, nothing from elsewhere, no framing.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The routes and middleware; `access_log` writes a line per request (GUANTONG_ACCESS_LOG).
pub fn configure(cfg: &mut web::ServiceConfig, access_log: bool) {
    // Extractor failures get the styled pages too: a path that does not parse does not exist.
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .app_data(
            web::QueryConfig::default()
                .error_handler(|e, _| AppError::BadRequest(e.to_string()).into()),
        );
    cfg.service(
        web::scope("")
            .wrap(middleware::from_fn(session::middleware))
            .wrap(middleware::from_fn(methods))
            .wrap(middleware::from_fn(security_headers))
            .wrap(middleware::Compress::default())
            .wrap(middleware::Condition::new(
                access_log,
                middleware::from_fn(log_request),
            ))
            .configure(routes::configure)
            .default_service(web::to(public::not_found)),
    );
}

/// The access log (GUANTONG_ACCESS_LOG): one line per request after its response, naming the
/// route by its pattern (`/reset/{token}`), never the path as sent: a path can carry a one-time
/// token and a query the words someone searched for. A path no route serves is written with
/// every segment but plain words replaced by `…`, and no query.
async fn log_request(
    req: actix_web::dev::ServiceRequest,
    next: middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let client = req
        .app_data::<web::Data<AppState>>()
        .map(|s| client_addr(req.request(), &s.config).to_string())
        .unwrap_or_default();
    let method = req.method().clone();
    let res = next.call(req).await?;
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| redacted_path(res.request().path()));
    log::info!(
        "{client} \"{method} {route}\" {} {}ms",
        res.status().as_u16(),
        started.elapsed().as_millis()
    );
    Ok(res)
}

/// A path for a log when no route pattern names it: plain words kept, anything else `…`.
pub fn redacted_path(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            let plain = seg.len() <= 24 && seg.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
            if plain {
                seg
            } else {
                "…"
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Security headers on every response; HSTS when cookies are Secure (the site is behind HTTPS).
async fn security_headers(
    req: actix_web::dev::ServiceRequest,
    next: middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let secure = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.config.secure_cookies);
    let mut res = next.call(req).await?.map_into_boxed_body();
    let h = res.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ] {
        if !h.contains_key(&name) {
            h.insert(name, header::HeaderValue::from_static(value));
        }
    }
    if secure {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            header::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    Ok(res)
}

/// GET, HEAD and POST only: HEAD answers like GET without the body; any other method is 405.
/// A path or query carrying a control character is 400 here, before the session or any
/// handler sees it (see [`control_in_uri`]).
async fn methods(
    mut req: actix_web::dev::ServiceRequest,
    next: middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    use actix_web::http::Method;
    if control_in_uri(req.uri().path()) || req.uri().query().is_some_and(control_in_uri) {
        let res = AppError::BadRequest("a control character in the address".into());
        return Ok(req.into_response(res.error_response()));
    }
    let head = req.method() == Method::HEAD;
    if !head && req.method() != Method::GET && req.method() != Method::POST {
        let res = HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "GET, HEAD, POST"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish();
        return Ok(req.into_response(res));
    }
    if head {
        req.head_mut().method = Method::GET;
    }
    let res = next.call(req).await?.map_into_boxed_body();
    if head {
        return Ok(res.map_body(|_, _| actix_web::body::BoxBody::new(())));
    }
    Ok(res)
}

/// Whether a path or query holds a control character (C0 or DEL), as sent or percent-encoded.
/// No address of ours has a use for one, a NUL is text PostgreSQL refuses to store or compare
/// (a search for it was a 500), and a line break could reach a header through `next`.
pub fn control_in_uri(s: &str) -> bool {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    b.iter().enumerate().any(|(i, &c)| match c {
        b'%' => match (
            b.get(i + 1).and_then(|&h| hex(h)),
            b.get(i + 2).and_then(|&l| hex(l)),
        ) {
            (Some(h), Some(l)) => h * 16 + l < 0x20 || h * 16 + l == 0x7F,
            _ => false,
        },
        c => c < 0x20 || c == 0x7F,
    })
}

/// Runs `f` with a pooled connection on the blocking thread pool.
pub async fn db<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(crate::store::StoreError::from)?;
        f(&mut conn)
    })
    .await?
}

/// Runs a page's reads. On SQLite they run on the worker itself (WAL readers never wait on a
/// lock, and the hand-off to the blocking pool costs more than the read), in the worker's
/// current snapshot ([`crate::store::snapshot`]: no lock taken while nothing changed); on
/// PostgreSQL, a network round trip, they go to the blocking pool like every write.
pub async fn db_read<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    if state.pool.is_postgres() {
        return db(state, f).await;
    }
    crate::store::snapshot::read(state.pool.url(), f)?
}

/// Ends this worker thread's idle read snapshot every [`crate::store::snapshot::MAX_AGE`], so
/// none is held while the worker waits (a held snapshot keeps the WAL from being checkpointed).
/// Starts once per thread; call it on the worker, inside its runtime.
pub fn release_snapshots_on_this_worker() {
    thread_local!(static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    actix_web::rt::spawn(async {
        let mut every = actix_web::rt::time::interval(crate::store::snapshot::MAX_AGE);
        loop {
            every.tick().await;
            crate::store::snapshot::release_idle();
        }
    });
}

/// Loads an application for a page (the actor must be allowed to see it), with the cached
/// catalogue and rounds.
pub async fn load_application(
    state: &web::Data<AppState>,
    who: crate::access::Actor,
    id: crate::domain::ApplicationId,
) -> Result<crate::service::draft::Loaded, AppError> {
    let st = state.clone();
    db_read(state, move |c| {
        let catalogue = st.catalogue(c)?;
        Ok(crate::service::draft::load_with(
            c,
            &who,
            id,
            catalogue,
            |c, r| st.round(c, r),
        )?)
    })
    .await
}

/// Renders a page with 200 OK.
pub fn render<T: Template>(page: &T) -> Result<HttpResponse, AppError> {
    render_status(actix_web::http::StatusCode::OK, page)
}

/// The buffer a page is rendered into: larger than every page but the largest lists (pages stay
/// under 60 KB, `bench/run` checks), so most are written without growing it.
const RENDER_CAPACITY: usize = 32 << 10;

/// Renders a page with the given status (422 for a form with errors).
pub fn render_status<T: Template>(
    status: actix_web::http::StatusCode,
    page: &T,
) -> Result<HttpResponse, AppError> {
    // Room for a whole page at once: askama's own guess (the template's text alone) grew the
    // buffer three times on a list page, copying it each time (6 % of the page).
    let mut html = String::with_capacity(T::SIZE_HINT.max(RENDER_CAPACITY));
    page.render_into(&mut html)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html))
}

/// 303 See Other to `location`.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// The client's address: the connection's peer, or, when the peer is a configured trusted
/// proxy, the nearest address in X-Forwarded-For that is not one of those proxies.
pub fn client_addr(req: &actix_web::HttpRequest, config: &crate::Config) -> std::net::IpAddr {
    let peer = req
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    if !config.trusted_proxies.contains(&peer) {
        return peer;
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
        .collect::<Vec<_>>();
    forwarded
        .into_iter()
        .rev()
        .find(|a| !config.trusted_proxies.contains(a))
        .unwrap_or(peer)
}

/// Keeps a secret (an issued password) for this session, to show once on the page a redirect
/// leads to (post/redirect/get).
pub async fn flash_put(
    state: &web::Data<AppState>,
    me: &extract::Me,
    value: String,
) -> Result<(), AppError> {
    let hash = me.session.token_hash().unwrap_or_default();
    let now = state.now();
    db(state, move |c| {
        Ok(crate::service::sessions::flash_put(c, &hash, &value, now)?)
    })
    .await
}

/// The secret [`flash_put`] kept for this session, once.
pub async fn flash_take(
    state: &web::Data<AppState>,
    me: &extract::Me,
) -> Result<Option<String>, AppError> {
    let Some(hash) = me.session.token_hash() else {
        return Ok(None);
    };
    let now = state.now();
    db(state, move |c| {
        Ok(crate::service::sessions::flash_take(c, &hash, now)?)
    })
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_in_an_address_are_found_encoded_or_not() {
        for bad in [
            "/a%00b",
            "q=%0a",
            "q=%1F",
            "q=%7f",
            "x\u{1}",
            "%E7%8E%8B%00",
        ] {
            assert!(super::control_in_uri(bad), "{bad}");
        }
        for good in [
            "/employer",
            "q=%E7%8E%8B",
            "q=%20a",
            "q=100%",
            "q=%2",
            "q=%zz",
            "%2500",
        ] {
            assert!(!super::control_in_uri(good), "{good}");
        }
    }
}
