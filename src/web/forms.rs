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

/// Field errors in the order of the form.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    items: Vec<(String, String)>,
}

impl FormErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        if self.get(&field).is_none() {
            self.items.push((field, message.into()));
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn items(&self) -> &[(String, String)] {
        &self.items
    }

    /// Keeps `Ok` values; records the message of an `Err` against `field`.
    pub fn check<T, E: ToString>(
        &mut self,
        field: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }
}

/// A urlencoded form whose `csrf_token` matched the session's (constant-time compare).
/// Fields missing from the body take their defaults, so validation can name them.
pub struct CsrfForm<T>(pub T);

/// True when `given` is the session's CSRF token.
pub fn csrf_ok(session: &Session, given: &str) -> bool {
    let expected = session.csrf_token();
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
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
            let form = serde_urlencoded::from_bytes(&body)
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            Ok(CsrfForm(form))
        })
    }
}

impl FormErrors {
    /// The error of a repeated row's field, e.g. `row("cert", 0, "date")` for `cert0_date`.
    pub fn row(&self, group: &str, index: impl std::fmt::Display, field: &str) -> Option<&str> {
        self.get(&format!("{group}{index}_{field}"))
    }
}
