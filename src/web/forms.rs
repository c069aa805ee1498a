//! Forms the GOV.UK way: errors collected per field, an error summary linking to each, and the
//! submitted values handed back to the template. Every POST form is checked for its CSRF token.

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;
use subtle::ConstantTimeEq;

use super::session::Session;
use super::AppError;

/// Field errors in the order of the form (the domain's plain type, named for the web).
pub type FormErrors = crate::domain::FieldErrors;

/// A urlencoded form whose `csrf_token` matched the session's (constant-time compare).
/// Fields missing from the body take their defaults, so validation can name them.
pub struct CsrfForm<T>(pub T);

/// True when `given` is the session's CSRF token as a page carried it (masked, see
/// [`super::session::mask`]).
pub fn csrf_ok(session: &Session, given: &str) -> bool {
    let expected = session.csrf_token();
    let Some(token) = super::session::unmask(given) else {
        return false;
    };
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(&token))
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<CsrfForm<T>, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req
            .extensions()
            .get::<Session>()
            .cloned()
            .unwrap_or_default();
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body
                .await
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            let given = pairs
                .iter()
                .find(|(k, _)| k == "csrf_token")
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            if !csrf_ok(&session, given) {
                return Err(AppError::Csrf);
            }
            if pairs.iter().any(|(k, v)| holds_nul(k) || holds_nul(v)) {
                return Err(AppError::BadRequest("a NUL in a form".into()));
            }
            let form = serde_urlencoded::from_bytes(&body)
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            Ok(CsrfForm(form))
        })
    }
}

/// Whether a form's name or value holds a NUL: PostgreSQL refuses it in text (a login name
/// with one was a 500), a browser never sends one, and a field that is not free text (a
/// password, a login name, a choice) has no check of its own that would catch it, so the whole
/// form is refused. Other control characters in free text are refused beside their field by
/// [`crate::domain::text`].
pub fn holds_nul(s: &str) -> bool {
    s.contains('\0')
}

/// The first value of `name` in a form read as pairs (a form whose fields depend on the page:
/// a rubric's criteria, a list of checkboxes); empty when absent.
pub fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// (value, label) pairs for the `select` and `radios` macros.
pub fn choices<V: std::fmt::Display, L: std::fmt::Display>(
    items: impl IntoIterator<Item = (V, L)>,
) -> Vec<(String, String)> {
    items
        .into_iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}
