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
            if !utf8_form(&body) {
                return Err(AppError::BadRequest("a form that is not UTF-8".into()));
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

/// Whether every name and value of a urlencoded body decodes to UTF-8. The form parser puts
/// U+FFFD in place of bytes that do not, and a browser never sends them: stored, they would
/// change what the person typed without a word, so the whole form is refused.
pub fn utf8_form(body: &[u8]) -> bool {
    body.split(|b| *b == b'&').all(|part| {
        let plus_as_space: Vec<u8> = part
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        percent_encoding::percent_decode(&plus_as_space)
            .decode_utf8()
            .is_ok()
    })
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_form_that_is_not_utf8_is_found() {
        assert!(super::utf8_form(b"a=%E4%B8%AD&b=x+y&c="));
        assert!(super::utf8_form(b""));
        assert!(!super::utf8_form(b"reason=%ff%fe"));
        assert!(!super::utf8_form(b"%ff=1"));
        assert!(!super::utf8_form(b"a=%E4%B8"));
    }
}
