//! Every route, in one table: the method, the path, the area it belongs to and what its path
//! addresses. The table builds the App ([`configure`]) and is what tests read to generate their
//! checks (another identity's object is 404 on every route that addresses one; a supervisor's
//! every POST is refused), so a new route is covered the moment it is added here.

use actix_web::{web, Route};

use crate::domain::Role;
use crate::web::{admin, applicant, employer, expert, office, public, shared, supervisor};

/// What a route's path names, so a test knows which object to put in it and whose it must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addresses {
    /// Open to anyone: public pages, static files, signing in.
    Public,
    /// The signed-in person's own account (no object in the path).
    OwnAccount,
    /// A one-time token in the path (`{token}`).
    Token,
    /// A role's own pages, no object in the path.
    Area,
    /// An application (`{id}`).
    Application,
    /// An evidence file (`{id}`).
    Evidence,
    /// An employer's publicity notice (`{id}`).
    Publicity,
    /// An employer's staff member (`{id}`, and `{action}`).
    StaffMember,
    /// A round (`{id}`).
    Round,
    /// An account an admin manages (`{id}`, and `{action}`).
    Account,
    /// An employer's registration (`{id}`).
    EmployerClaim,
    /// A committee (`{cid}`).
    Committee,
    /// An entry of a committee's pool (`{cid}` and `{eid}`).
    PoolEntry,
    /// A committee's round (`{cid}` and `{rid}`).
    CommitteeRound,
    /// A recorded draw of a round's panel (`{cid}`, `{rid}` and `{did}`).
    PanelDraw,
    /// A stored version of a committee's rubric (`{cid}` and `{vid}`).
    RubricVersion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// One route.
pub struct RouteSpec {
    pub method: Method,
    /// The scope it is registered in ("" for none); scopes keep a request from trying every
    /// pattern of the site.
    pub scope: &'static str,
    pub path: &'static str,
    /// The role whose area it is (`None`: public, or shared by several roles).
    pub area: Option<Role>,
    pub addresses: Addresses,
    pub route: fn() -> Route,
}

impl RouteSpec {
    /// The whole path pattern, regex constraints removed (`/committees/{cid}/pool`).
    pub fn pattern(&self) -> String {
        let full = format!("{}{}", self.scope, self.path);
        let mut out = String::new();
        let mut rest = full.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let name = rest[open + 1..close].split(':').next().unwrap_or("");
            out.push('{');
            out.push_str(name);
            out.push('}');
            rest = &rest[(close + 1).min(rest.len())..];
        }
        out.push_str(rest);
        out
    }

    /// The path with its parameters filled in from `values` (name, value).
    pub fn path_with(&self, values: &[(&str, &str)]) -> String {
        let mut path = self.pattern();
        for (name, value) in values {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        path
    }
}

macro_rules! routes {
    ($($method:ident $scope:tt $path:literal, $area:expr, $addr:ident => $handler:path;)+) => {
        /// Every route of the site, in registration order.
        pub const ROUTES: &[RouteSpec] = &[$(RouteSpec {
            method: Method::$method,
            scope: $scope,
            path: $path,
            area: $area,
            addresses: Addresses::$addr,
            route: || routes!(@m $method).to($handler),
        }),+];
    };
    (@m Get) => { web::get() };
    (@m Post) => { web::post() };
}

const APPLICANT: Option<Role> = Some(Role::Applicant);
const EMPLOYER: Option<Role> = Some(Role::Employer);
const ADMIN: Option<Role> = Some(Role::Admin);
const OFFICE: Option<Role> = Some(Role::Office);
const EXPERT: Option<Role> = Some(Role::Expert);
const SUPERVISOR: Option<Role> = Some(Role::Supervisor);
const SHARED: Option<Role> = None;

/// An application's pages under the applicant's area; `{id}` is digits only, so the static
/// paths beside it (`/applicant/applications/copy`) are not taken for one.
const APP: &str = "/applicant/applications/{id:\\d+}";
const EMP_APP: &str = "/employer/applications/{id:\\d+}";
const COMMITTEE: &str = "/committees/{cid:\\d+}";
const OFF_APP: &str = "/office/applications/{id:\\d+}";

routes! {
    // Public: static paths first (a pattern with a segment costs a regex run for every path
    // that reaches it).
    Get "" "/", SHARED, Public => public::index;
    Get "" "/healthz", SHARED, Public => public::healthz;
    Get "" "/static/guantong.css", SHARED, Public => public::stylesheet;
    Get "" "/static/favicon.svg", SHARED, Public => public::favicon;
    Get "" "/favicon.ico", SHARED, Public => public::favicon;
    Get "" "/login", SHARED, Public => public::login::form;
    Post "" "/login", SHARED, Public => public::login::login;
    Post "" "/logout", SHARED, OwnAccount => public::login::logout;
    Get "" "/register", SHARED, Public => public::register::choose;
    Get "" "/register/applicant", SHARED, Public => public::register::applicant_form;
    Post "" "/register/applicant", SHARED, Public => public::register::applicant;
    Get "" "/register/employer", SHARED, Public => public::register::employer_form;
    Post "" "/register/employer", SHARED, Public => public::register::employer;
    Get "" "/register/employer/submitted", SHARED, Public => public::register::employer_submitted;
    Get "" "/register/employer/status", SHARED, Public => public::register::status_form;
    Post "" "/register/employer/status", SHARED, Public => public::register::status;
    Get "" "/self-check", SHARED, Public => public::self_check::form;
    Post "" "/self-check", SHARED, Public => public::self_check::check;

    // The applicant's application, then the applicant's area.
    Get APP "", APPLICANT, Application => applicant::task_list::show;
    Get APP "/basic", APPLICANT, Application => applicant::basic::form;
    Post APP "/basic", APPLICANT, Application => applicant::basic::submit;
    Get APP "/employment", APPLICANT, Application => applicant::employment::form;
    Post APP "/employment", APPLICANT, Application => applicant::employment::submit;
    Get APP "/certificates", APPLICANT, Application => applicant::certificates::list;
    Post APP "/certificates", APPLICANT, Application => applicant::certificates::add;
    Get APP "/work", APPLICANT, Application => applicant::work::list;
    Post APP "/work", APPLICANT, Application => applicant::work::add;
    Get APP "/target", APPLICANT, Application => applicant::target::form;
    Post APP "/target", APPLICANT, Application => applicant::target::submit;
    Post APP "/target/honours", APPLICANT, Application => applicant::target::add_honour;
    Get APP "/achievements", APPLICANT, Application => applicant::achievements::show;
    Post APP "/achievements/summary", APPLICANT, Application => applicant::achievements::summary;
    Post APP "/achievements/enter", APPLICANT, Application => applicant::achievements::enter;
    Post APP "/achievements/items", APPLICANT, Application => applicant::achievements::add_achievement;
    Post APP "/achievements/apprentices", APPLICANT, Application => applicant::achievements::add_apprentice;
    Post APP "/achievements/renovations", APPLICANT, Application => applicant::achievements::add_renovation;
    Get APP "/review", APPLICANT, Application => applicant::review::review;
    Post APP "/submit", APPLICANT, Application => applicant::review::submit;
    Get APP "/submitted", APPLICANT, Application => applicant::review::submitted;
    Post APP "/{section}/remove", APPLICANT, Application => applicant::remove::remove;
    Get APP "/withdraw", APPLICANT, Application => applicant::withdraw::confirm;
    Post APP "/withdraw", APPLICANT, Application => applicant::withdraw::withdraw;
    Get APP "/appointment", APPLICANT, Application => applicant::appointment::show;
    Get "/applicant" "", APPLICANT, Area => applicant::home::show;
    Post "/applicant" "/applications", APPLICANT, Area => applicant::task_list::create;
    Post "/applicant" "/applications/copy", APPLICANT, Area => applicant::task_list::create_copy;

    // The employer's application, then the employer's area.
    Get EMP_APP "", EMPLOYER, Application => employer::application::show;
    Post EMP_APP "/verify", EMPLOYER, Application => employer::application::verify;
    Post EMP_APP "/publicity", EMPLOYER, Application => employer::application::publicise;
    Post EMP_APP "/objections", EMPLOYER, Application => employer::application::record_objection;
    Post EMP_APP "/objections/resolve", EMPLOYER, Application => employer::application::resolve_objection;
    Post EMP_APP "/return", EMPLOYER, Application => employer::application::return_for_revision;
    Post EMP_APP "/decision", EMPLOYER, Application => employer::application::decide;
    Get "/employer" "", EMPLOYER, Area => employer::home::show;
    Post "/employer" "/publicities", EMPLOYER, Area => employer::home::publicise;
    Get "/employer" "/publicities/{id}", EMPLOYER, Publicity => employer::publicity::show;
    Get "/employer" "/staff", EMPLOYER, Area => employer::staff::list;
    Post "/employer" "/staff", EMPLOYER, Area => employer::staff::add;
    Post "/employer" "/staff/{id}/{action}", EMPLOYER, StaffMember => employer::staff::manage;

    // A committee: its page, applications, pool and settings (the admin, the supervisor and
    // its own office; the admin alone changes it).
    Get COMMITTEE "", SHARED, Committee => shared::committee::show;
    Post COMMITTEE "", ADMIN, Committee => shared::committee::update;
    Post COMMITTEE "/registration", ADMIN, Committee => shared::committee::register;
    Post COMMITTEE "/suspend", ADMIN, Committee => shared::committee::suspend;
    Post COMMITTEE "/resume", ADMIN, Committee => shared::committee::resume;
    Post COMMITTEE "/offices", ADMIN, Committee => shared::committee::assign_office;
    Post COMMITTEE "/settings", ADMIN, Committee => shared::committee::set_settings;
    Get COMMITTEE "/applications", SHARED, Committee => shared::committee::applications;
    Get COMMITTEE "/pool", SHARED, Committee => shared::pool::list;
    Post COMMITTEE "/pool", SHARED, Committee => shared::pool::add;
    Get COMMITTEE "/pool/{eid}", SHARED, PoolEntry => shared::pool::edit;
    Post COMMITTEE "/pool/{eid}", SHARED, PoolEntry => shared::pool::update;
    Post COMMITTEE "/pool/{eid}/remove", SHARED, PoolEntry => shared::pool::remove;
    Post COMMITTEE "/pool/{eid}/restore", SHARED, PoolEntry => shared::pool::restore;
    Get COMMITTEE "/rounds", SHARED, Committee => shared::rounds::list;
    Post COMMITTEE "/rounds", OFFICE, Committee => shared::rounds::create;
    Get COMMITTEE "/rounds/{rid}", SHARED, CommitteeRound => shared::rounds::show;
    Post COMMITTEE "/rounds/{rid}", OFFICE, CommitteeRound => shared::rounds::update;
    Post COMMITTEE "/rounds/{rid}/open", OFFICE, CommitteeRound => shared::rounds::open;
    Post COMMITTEE "/rounds/{rid}/close", OFFICE, CommitteeRound => shared::rounds::close;
    Post COMMITTEE "/rounds/{rid}/draw", OFFICE, CommitteeRound => shared::rounds::draw;
    Post COMMITTEE "/rounds/{rid}/discard", OFFICE, CommitteeRound => shared::rounds::discard;
    Post COMMITTEE "/rounds/{rid}/designate", OFFICE, CommitteeRound => shared::rounds::designate;
    Post COMMITTEE "/rounds/{rid}/settings", OFFICE, CommitteeRound => shared::rounds::set_settings;
    Get COMMITTEE "/rounds/{rid}/draws/{did}", SHARED, PanelDraw => shared::rounds::draw_record;
    Get COMMITTEE "/rounds/{rid}/assignment", OFFICE, CommitteeRound => office::assignment::show;
    Post COMMITTEE "/rounds/{rid}/assign", OFFICE, CommitteeRound => office::assignment::auto;
    Post COMMITTEE "/rounds/{rid}/conflicts", OFFICE, CommitteeRound => office::assignment::detect;
    Get COMMITTEE "/rounds/{rid}/scoring", OFFICE, CommitteeRound => office::scoring::show;
    Post COMMITTEE "/rounds/{rid}/scoring/close", OFFICE, CommitteeRound => office::scoring::close;
    Post COMMITTEE "/rounds/{rid}/scoring/extend", OFFICE, CommitteeRound => office::scoring::extend;
    Get COMMITTEE "/rounds/{rid}/ranking", SHARED, CommitteeRound => shared::meeting::ranking;
    Get COMMITTEE "/rounds/{rid}/calibration", SHARED, CommitteeRound => shared::meeting::calibration;
    Get COMMITTEE "/rounds/{rid}/summary", SHARED, CommitteeRound => shared::meeting::summary;
    Get COMMITTEE "/rounds/{rid}/export/applications.csv", SHARED, CommitteeRound => shared::meeting::export_applications;
    Get COMMITTEE "/rounds/{rid}/export/reviews.csv", SHARED, CommitteeRound => shared::meeting::export_reviews;
    Get COMMITTEE "/rubric", SHARED, Committee => shared::rubric::show;
    Post COMMITTEE "/rubric", OFFICE, Committee => shared::rubric::save;
    Get COMMITTEE "/rubric/edit", OFFICE, Committee => shared::rubric::edit;
    Get COMMITTEE "/rubric/versions/{vid}", SHARED, RubricVersion => shared::rubric::version;

    // The office, the expert, the supervisor.
    Get OFF_APP "", OFFICE, Application => office::application::show;
    Post OFF_APP "/accept", OFFICE, Application => office::application::accept;
    Post OFF_APP "/correction", OFFICE, Application => office::application::correction;
    Post OFF_APP "/refuse", OFFICE, Application => office::application::refuse;
    Get OFF_APP "/experts", OFFICE, Application => office::experts::show;
    Post OFF_APP "/experts", OFFICE, Application => office::experts::assign;
    Post OFF_APP "/experts/remove", OFFICE, Application => office::experts::unassign;
    Post OFF_APP "/conflicts", OFFICE, Application => office::experts::declare;
    Post OFF_APP "/conflicts/decide", OFFICE, Application => office::experts::decide;
    Get OFF_APP "/reviews", OFFICE, Application => office::reviews::show;
    Post OFF_APP "/reviews/reopen", OFFICE, Application => office::reviews::reopen;
    Post OFF_APP "/reviews/opinion", OFFICE, Application => office::reviews::opinion;
    Get "/office" "", OFFICE, Area => office::home;
    Post "/office" "/accept", OFFICE, Area => office::accept_many;
    Get "/expert" "", EXPERT, Area => expert::home;
    Get "/expert" "/cases/{id:\\d+}", EXPERT, Application => expert::case;
    Post "/expert" "/cases/{id:\\d+}/recuse", EXPERT, Application => expert::recuse;
    Get "/expert" "/cases/{id:\\d+}/review", EXPERT, Application => expert::review::show;
    Post "/expert" "/cases/{id:\\d+}/review", EXPERT, Application => expert::review::save;
    Get "/expert" "/rounds/{id:\\d+}/calibration", EXPERT, Round => expert::calibration;
    Get "/supervisor" "", SUPERVISOR, Area => supervisor::home;
    Get "/supervisor" "/audit", SUPERVISOR, Area => supervisor::audit;

    // The admin.
    Get "/admin" "", ADMIN, Area => admin::home::show;
    Get "/admin" "/audit", ADMIN, Area => admin::audit::show;
    Get "/admin" "/calendar", ADMIN, Area => admin::calendar::show;
    Post "/admin" "/calendar/import", ADMIN, Area => admin::calendar::import;
    Post "/admin" "/calendar/years", ADMIN, Area => admin::calendar::add_year;
    Post "/admin" "/calendar/days", ADMIN, Area => admin::calendar::put_day;
    Post "/admin" "/calendar/days/remove", ADMIN, Area => admin::calendar::remove_day;
    Get "/admin" "/accounts", ADMIN, Area => admin::accounts::list;
    Post "/admin" "/accounts", ADMIN, Area => admin::accounts::create;
    Post "/admin" "/accounts/{id}/{action}", ADMIN, Account => admin::accounts::manage;
    Get "/admin" "/committees", ADMIN, Area => admin::committees::list;
    Post "/admin" "/committees", ADMIN, Area => admin::committees::create;
    Get "/admin" "/settings", ADMIN, Area => admin::committees::settings;
    Post "/admin" "/settings", ADMIN, Area => admin::committees::set_settings;
    Get "/admin" "/employers", ADMIN, Area => admin::employers::list;
    Post "/admin" "/employers/reject", ADMIN, Area => admin::employers::reject_many;
    Post "/admin" "/employers/{id}/verify", ADMIN, EmployerClaim => admin::employers::verify;
    Post "/admin" "/employers/{id}/reject", ADMIN, EmployerClaim => admin::employers::reject;
    Get "/admin" "/employers/{id}/licence", ADMIN, EmployerClaim => admin::employers::licence;

    // Shared by several roles: the account, password resets, a dossier, evidence.
    Get "" "/account", SHARED, OwnAccount => shared::account::show;
    Get "" "/account/password", SHARED, OwnAccount => shared::password::form;
    Post "" "/account/password", SHARED, OwnAccount => shared::password::change;
    Post "" "/account/logout-everywhere", SHARED, OwnAccount => shared::account::logout_everywhere;
    Get "" "/reset/{token}", SHARED, Token => shared::password::reset_form;
    Post "" "/reset/{token}", SHARED, Token => shared::password::reset;
    Get "" "/applications/{id}", SHARED, Application => shared::dossier::show;
    Get "" "/applications/{id}/appointment", SHARED, Application => shared::appointment::show;
    Get "" "/evidence/{id}", SHARED, Evidence => shared::evidence::download;
}

/// Registers [`ROUTES`]: each scope's routes together, with a not-found page of their own.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let mut i = 0;
    while i < ROUTES.len() {
        let scope = ROUTES[i].scope;
        let end = ROUTES[i..]
            .iter()
            .position(|r| r.scope != scope)
            .map_or(ROUTES.len(), |n| i + n);
        if scope.is_empty() {
            for r in &ROUTES[i..end] {
                cfg.route(r.path, (r.route)());
            }
        } else {
            let mut s = web::scope(scope);
            for r in &ROUTES[i..end] {
                s = s.route(r.path, (r.route)());
            }
            cfg.service(s.default_service(web::to(public::not_found)));
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scope_is_one_block_and_none_hides_a_later_one() {
        let mut seen: Vec<&str> = Vec::new();
        for (i, r) in ROUTES.iter().enumerate() {
            if i > 0 && ROUTES[i - 1].scope == r.scope {
                continue;
            }
            assert!(
                r.scope.is_empty() || !seen.contains(&r.scope),
                "scope {} appears twice",
                r.scope
            );
            // A scope registered earlier would take every path under it.
            for earlier in &seen {
                assert!(
                    earlier.is_empty() || !r.scope.starts_with(&format!("{earlier}/")),
                    "{} is hidden by {earlier}",
                    r.scope
                );
            }
            seen.push(r.scope);
        }
    }

    #[test]
    fn every_route_is_listed_once() {
        let mut keys: Vec<(Method, String)> =
            ROUTES.iter().map(|r| (r.method, r.pattern())).collect();
        let n = keys.len();
        keys.sort_by(|a, b| a.1.cmp(&b.1).then((a.0 as u8).cmp(&(b.0 as u8))));
        keys.dedup();
        assert_eq!(keys.len(), n);
        assert_eq!(
            ROUTES[20].pattern(),
            "/applicant/applications/{id}/basic",
            "patterns read without their constraints"
        );
    }
}
