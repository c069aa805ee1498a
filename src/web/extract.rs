//! Role extractors: `Applicant(me)` in a handler's signature proves the role. Without a session
//! the person is sent to log in; with another role they get the refusal page, and the handler
//! never runs.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use std::future::{ready, Ready};

use super::session::{Page, Session};
use super::AppError;
use crate::access::Actor;
use crate::domain::Role;
use crate::store::accounts::SessionAccount;

/// The logged-in person: who acts (for services), the account, and the session (for pages).
#[derive(Debug, Clone)]
pub struct Me {
    pub actor: Actor,
    pub account: SessionAccount,
    pub session: Session,
}

impl Me {
    pub fn page(&self) -> Page {
        self.session.page()
    }

    fn from_request(req: &HttpRequest) -> Result<Me, AppError> {
        let session = req
            .extensions()
            .get::<Session>()
            .cloned()
            .unwrap_or_default();
        match session.account().cloned() {
            // An issued password is changed before anything else (logging out still works).
            Some(account)
                if account.must_change_password
                    && !matches!(req.path(), "/account/password" | "/logout") =>
            {
                Err(AppError::SeeOther("/account/password".into()))
            }
            Some(account) => Ok(Me {
                actor: Actor {
                    committee: account.committee,
                    ..Actor::of(account.id, account.role, account.employer)
                },
                account,
                session,
            }),
            None => {
                // After login the person comes back to a page: this one, or for a form, the
                // page it was posted from (a POST-only path would be 404 to a GET).
                let next = match (req.method(), req.query_string()) {
                    (&actix_web::http::Method::POST, _) => {
                        super::kept::referring_page(req).unwrap_or_default()
                    }
                    (_, "") => req.path().to_string(),
                    (_, q) => format!("{}?{q}", req.path()),
                };
                Err(AppError::LoginRequired {
                    next,
                    expired: session.ended,
                })
            }
        }
    }
}

impl FromRequest for Me {
    type Error = AppError;
    type Future = Ready<Result<Me, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Me::from_request(req))
    }
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $role:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub Me);

        impl FromRequest for $name {
            type Error = AppError;
            type Future = Ready<Result<$name, AppError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                ready(Me::from_request(req).and_then(|me| {
                    crate::service::require_role(me.actor.role, $role)?;
                    Ok($name(me))
                }))
            }
        }
    };
}

role_extractor!(
    /// A logged-in applicant (申报人).
    Applicant,
    Role::Applicant
);
role_extractor!(
    /// A logged-in employer (用人单位).
    Employer,
    Role::Employer
);
role_extractor!(
    /// A logged-in committee office (评委会办事机构).
    Office,
    Role::Office
);
role_extractor!(
    /// A logged-in expert (评审专家).
    Expert,
    Role::Expert
);
role_extractor!(
    /// A logged-in admin (管理员).
    Admin,
    Role::Admin
);
role_extractor!(
    /// A logged-in supervisor (监管).
    Supervisor,
    Role::Supervisor
);
