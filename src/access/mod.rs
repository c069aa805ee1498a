//! Every "may this actor see / do this" answer, with the reason when not (HotCRP's can/why-not).
//! Plain facts in (role, ids, state), `Ok` or [`Denied`] out; no store import. Only services
//! ask: handlers never call this module.

use crate::domain::{AccountId, CommitteeId, Role, State};

/// Who is acting: an account, its role, whose data it acts on (`org`: an employer's staff
/// member (经办人) acts for the employer; everyone else for themselves) and, for a committee
/// office, its committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: AccountId,
    pub role: Role,
    pub org: AccountId,
    pub committee: Option<CommitteeId>,
}

impl Actor {
    /// A person acting for themselves.
    pub fn new(id: AccountId, role: Role) -> Actor {
        Actor {
            id,
            role,
            org: id,
            committee: None,
        }
    }

    /// An account, acting for its employer when it is an employer's staff member.
    pub fn of(id: AccountId, role: Role, employer: Option<AccountId>) -> Actor {
        Actor {
            org: employer.unwrap_or(id),
            ..Actor::new(id, role)
        }
    }

    /// A committee office's account, acting for its committee (none: it acts on nothing).
    pub fn office(id: AccountId, committee: Option<CommitteeId>) -> Actor {
        Actor {
            committee,
            ..Actor::new(id, Role::Office)
        }
    }

    /// The server acting on its own (deadline sweeps): never an account's.
    pub fn system() -> Actor {
        Actor::new(AccountId(0), Role::System)
    }

    /// The employer's own (administrator) account, not a staff member.
    pub fn is_org_admin(&self) -> bool {
        self.org == self.id
    }
}

/// The facts about an application that permissions depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplicationFacts {
    pub applicant: AccountId,
    pub employer: Option<AccountId>,
    pub state: State,
    /// It was submitted once (a draft now only when returned for revision).
    pub submitted: bool,
    /// The committee it was recommended to (none before its employer recommended it).
    pub committee: Option<CommitteeId>,
    /// Whether that committee is registered today (an unregistered, expired or suspended
    /// committee takes no action); the reason when not.
    pub committee_standing: Result<(), &'static str>,
    /// For an expert acting: where they stand on the application's review.
    pub review: Review,
}

/// An expert's standing on one application's review. Read only for experts (everyone else's
/// facts say `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Never assigned.
    None,
    /// Assigned and not recused: the expert reads the dossier.
    Assigned,
    /// Recused or removed: as if never assigned.
    Ended,
}

/// How a refusal shows: as if the thing did not exist (404), or as a refusal with a reason (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeniedKind {
    Hide,
    Refuse,
}

/// Why an actor may not do something, in words for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Denied {
    pub kind: DeniedKind,
    pub why: &'static str,
}

impl Denied {
    pub const fn hide() -> Denied {
        Denied {
            kind: DeniedKind::Hide,
            why: "申报不存在",
        }
    }

    pub const fn refuse(why: &'static str) -> Denied {
        Denied {
            kind: DeniedKind::Refuse,
            why,
        }
    }
}

/// Each role's pages (its home and everything under it) are for that role alone.
pub fn may_use_area(actor: Role, area: Role) -> Result<(), Denied> {
    if actor == area {
        Ok(())
    } else {
        Err(Denied::refuse("您的账户无权访问此页面"))
    }
}

/// Creating office, expert and admin accounts is the admin's.
pub fn may_create_staff(actor: &Actor, role: Role) -> Result<(), Denied> {
    may_use_area(actor.role, Role::Admin)?;
    if role.created_by_admin() {
        Ok(())
    } else {
        Err(Denied::refuse("申报人和用人单位账户由本人注册"))
    }
}

/// An employer's named staff (经办人) are managed by the employer's own account, its
/// administrator; a staff member manages nobody.
pub fn may_manage_staff(actor: &Actor) -> Result<(), Denied> {
    may_use_area(actor.role, Role::Employer)?;
    if actor.is_org_admin() {
        Ok(())
    } else {
        Err(Denied::refuse("只有单位管理员账户可以管理经办人"))
    }
}

/// Rounds are set up by the admin (until the committee office takes them over).
/// Who may reset passwords, disable, enable and unlock accounts: admins, never on their own
/// account (an admin locked out of their own account asks another admin).
pub fn may_manage_account(actor: &Actor, target: crate::domain::AccountId) -> Result<(), Denied> {
    may_use_area(actor.role, Role::Admin)?;
    if actor.id == target {
        return Err(Denied::refuse(
            "不能对自己的账户进行此操作，请由另一位管理员办理",
        ));
    }
    Ok(())
}

/// The working-day calendar is the admin's.
pub fn may_manage_calendar(actor: &Actor) -> Result<(), Denied> {
    may_use_area(actor.role, Role::Admin)
}

/// Rounds, their panel draws and the committee's rubric are its own office's to set: the admin
/// and the supervisor read them on the committee's pages, another office is told they do not
/// exist.
pub fn may_run_rounds(actor: &Actor, committee: CommitteeId) -> Result<(), Denied> {
    may_view_committee(actor, committee)?;
    may_change_anything(actor)?;
    match actor.role {
        Role::Office => Ok(()),
        _ => Err(Denied::refuse(ROUNDS_ARE_THE_OFFICES)),
    }
}

/// Why an admin cannot set up a round.
pub const ROUNDS_ARE_THE_OFFICES: &str =
    "评审批次、本次评审委员会和评审标准由本评委会办事机构设置，管理员和监管只能查看";

/// Who may see an application (and download its evidence): the applicant; their employer once
/// it is submitted; the office of the committee it was recommended to, and only that one; the
/// supervisor, any application a committee holds. Anyone else is told it does not exist. Scope
/// is the application's committee, a fact, not a list of states.
pub fn may_view_application(actor: &Actor, app: &ApplicationFacts) -> Result<(), Denied> {
    let allowed = match actor.role {
        Role::Applicant => app.applicant == actor.id,
        Role::Employer => {
            app.employer == Some(actor.org) && (app.state != State::Draft || app.submitted)
        }
        Role::Office => app.committee.is_some() && app.committee == actor.committee,
        Role::Supervisor => app.committee.is_some(),
        Role::System => true,
        // Only their assigned, unrecused cases: a recusal hides the case at once.
        Role::Expert => app.committee.is_some() && app.review == Review::Assigned,
        Role::Admin => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::hide())
    }
}

/// Who assigns experts and records conflicts of interest: the office of the application's
/// committee while it may act. Anyone else who may read the case is refused; the rest are told
/// it does not exist.
pub fn may_manage_review(actor: &Actor, app: &ApplicationFacts) -> Result<(), Denied> {
    may_act_on_application(actor, app)?;
    match actor.role {
        Role::Office => Ok(()),
        Role::Expert => Err(Denied::hide()),
        _ => Err(Denied::refuse("评审专家由本评委会办事机构分配")),
    }
}

/// An expert declares a conflict on a case assigned to them (and is recused by it).
pub fn may_declare_conflict(actor: &Actor, app: &ApplicationFacts) -> Result<(), Denied> {
    may_view_application(actor, app)?;
    match actor.role {
        Role::Expert => app.committee_standing.map_err(Denied::refuse),
        _ => Err(Denied::hide()),
    }
}

/// An expert scores a case assigned to them while it is in expert review and its committee
/// may act; nobody else scores, and anyone not on the case is told it does not exist.
pub fn may_score(actor: &Actor, app: &ApplicationFacts) -> Result<(), Denied> {
    may_view_application(actor, app)?;
    if actor.role != Role::Expert {
        return Err(Denied::hide());
    }
    app.committee_standing.map_err(Denied::refuse)?;
    if app.state != State::ExpertReview {
        return Err(Denied::refuse("这份申报的专家评分已经结束，不能再修改评分"));
    }
    Ok(())
}

/// Why a supervisor is refused every change.
pub const SUPERVISOR_READS_ONLY: &str = "监管账户只能查看，不能办理或修改任何事项";

/// The supervisor (监管) reads everything a committee holds and changes nothing.
pub fn may_change_anything(actor: &Actor) -> Result<(), Denied> {
    if actor.role == Role::Supervisor {
        Err(Denied::refuse(SUPERVISOR_READS_ONLY))
    } else {
        Ok(())
    }
}

/// Committees are set up, registered and suspended by the admin.
pub fn may_manage_committees(actor: &Actor) -> Result<(), Denied> {
    may_change_anything(actor)?;
    may_use_area(actor.role, Role::Admin)
}

/// Who may see a committee's page, pool and settings: the admin and the supervisor any
/// committee's, an office its own. Anyone else is told it does not exist.
pub fn may_view_committee(actor: &Actor, committee: CommitteeId) -> Result<(), Denied> {
    let allowed = match actor.role {
        Role::Admin | Role::Supervisor | Role::System => true,
        Role::Office => actor.committee == Some(committee),
        Role::Applicant | Role::Employer | Role::Expert => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied {
            kind: DeniedKind::Hide,
            why: "评委会不存在",
        })
    }
}

/// Who may list a committee's applications: its own office, and the supervisor any
/// committee's (the admin administers committees, it does not read cases).
pub fn may_list_committee_cases(actor: &Actor, committee: CommitteeId) -> Result<(), Denied> {
    may_view_committee(actor, committee)?;
    match actor.role {
        Role::Office | Role::Supervisor => Ok(()),
        _ => Err(Denied {
            kind: DeniedKind::Hide,
            why: "评委会不存在",
        }),
    }
}

/// Who keeps a committee's expert pool: the admin any, an office its own committee's.
pub fn may_manage_pool(actor: &Actor, committee: CommitteeId) -> Result<(), Denied> {
    may_view_committee(actor, committee)?;
    may_change_anything(actor)?;
    match actor.role {
        Role::Admin | Role::Office => Ok(()),
        _ => Err(Denied::refuse("只有管理员和本评委会办事机构可以维护专家库")),
    }
}

/// Stored configuration is the admin's to set (offices and supervisors read it).
pub fn may_change_settings(actor: &Actor) -> Result<(), Denied> {
    may_change_anything(actor)?;
    may_use_area(actor.role, Role::Admin)
}

/// Only the applicant edits, and only while the workflow says the draft is editable.
pub fn may_edit_application(actor: &Actor, app: &ApplicationFacts) -> Result<(), Denied> {
    if actor.role != Role::Applicant || app.applicant != actor.id {
        return Err(Denied::hide());
    }
    if !app.state.editable() {
        return Err(Denied::refuse("申报已提交，不能再修改"));
    }
    Ok(())
}

/// May the actor take a workflow step on this application at all? Those who may not see it are
/// told it does not exist; an applicant acts only on their own. Which step, from which state,
/// is the workflow's answer.
pub fn may_act_on_application(actor: &Actor, app: &ApplicationFacts) -> Result<(), Denied> {
    may_view_application(actor, app)?;
    may_change_anything(actor)?;
    if actor.role == Role::Office {
        app.committee_standing.map_err(Denied::refuse)?;
    }
    Ok(())
}

/// Starting an application is the applicant's.
pub fn may_start_application(actor: &Actor) -> Result<(), Denied> {
    may_use_area(actor.role, Role::Applicant)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, id: i64) -> Actor {
        Actor::new(AccountId(id), role)
    }

    fn app(state: State) -> ApplicationFacts {
        ApplicationFacts {
            applicant: AccountId(1),
            employer: Some(AccountId(2)),
            state,
            submitted: state != State::Draft,
            committee: state.reached_committee().then_some(CommitteeId(4)),
            committee_standing: Ok(()),
            review: Review::None,
        }
    }

    #[test]
    fn an_expert_reads_only_a_case_assigned_and_not_recused() {
        let expert = actor(Role::Expert, 11);
        let mut facts = app(State::ExpertReview);
        assert_eq!(may_view_application(&expert, &facts), Err(Denied::hide()));
        facts.review = Review::Assigned;
        assert!(may_view_application(&expert, &facts).is_ok());
        assert!(may_declare_conflict(&expert, &facts).is_ok());
        assert_eq!(may_manage_review(&expert, &facts), Err(Denied::hide()));
        facts.review = Review::Ended;
        assert_eq!(may_view_application(&expert, &facts), Err(Denied::hide()));
        assert_eq!(may_declare_conflict(&expert, &facts), Err(Denied::hide()));
        let office = Actor::office(AccountId(7), Some(CommitteeId(4)));
        assert!(may_manage_review(&office, &app(State::ExpertReview)).is_ok());
        let other = Actor::office(AccountId(8), Some(CommitteeId(5)));
        assert_eq!(
            may_manage_review(&other, &app(State::ExpertReview)),
            Err(Denied::hide())
        );
    }

    #[test]
    fn each_area_admits_its_role_only() {
        for who in Role::ALL {
            for area in Role::ALL {
                assert_eq!(may_use_area(who, area).is_ok(), who == area);
            }
        }
    }

    #[test]
    fn only_admins_create_staff_and_only_staff_roles() {
        assert!(may_create_staff(&actor(Role::Admin, 9), Role::Expert).is_ok());
        assert!(may_create_staff(&actor(Role::Admin, 9), Role::Applicant).is_err());
        assert!(may_create_staff(&actor(Role::Office, 9), Role::Expert).is_err());
    }

    #[test]
    fn applications_are_hidden_from_outsiders() {
        let owner = actor(Role::Applicant, 1);
        let employer = actor(Role::Employer, 2);
        assert!(may_view_application(&owner, &app(State::Draft)).is_ok());
        assert_eq!(
            may_view_application(&actor(Role::Applicant, 3), &app(State::Draft)),
            Err(Denied::hide())
        );
        assert!(may_view_application(&employer, &app(State::Draft)).is_err());
        assert!(may_view_application(&employer, &app(State::EmployerReview)).is_ok());
        assert!(
            may_view_application(&actor(Role::Employer, 5), &app(State::EmployerReview)).is_err()
        );
        assert!(
            may_view_application(&actor(Role::Office, 7), &app(State::EmployerReview)).is_err()
        );
        assert!(may_view_application(&actor(Role::Office, 7), &app(State::OfficeCheck)).is_err());
        let office = Actor::office(AccountId(7), Some(CommitteeId(4)));
        let other_office = Actor::office(AccountId(8), Some(CommitteeId(5)));
        assert!(may_view_application(&office, &app(State::OfficeCheck)).is_ok());
        assert_eq!(
            may_view_application(&other_office, &app(State::OfficeCheck)),
            Err(Denied::hide())
        );
        assert!(may_edit_application(&owner, &app(State::Draft)).is_ok());
        assert_eq!(
            may_edit_application(&owner, &app(State::EmployerReview))
                .unwrap_err()
                .kind,
            DeniedKind::Refuse
        );
        assert_eq!(
            may_edit_application(&employer, &app(State::Draft))
                .unwrap_err()
                .kind,
            DeniedKind::Hide
        );
    }

    #[test]
    fn an_office_acts_only_while_its_committee_is_registered() {
        let office = Actor::office(AccountId(7), Some(CommitteeId(4)));
        let mut facts = app(State::OfficeCheck);
        assert!(may_act_on_application(&office, &facts).is_ok());
        facts.committee_standing = Err("本评委会备案已过期");
        assert_eq!(
            may_act_on_application(&office, &facts),
            Err(Denied::refuse("本评委会备案已过期"))
        );
        // Reading stays possible: the office sees what it holds and why it cannot act.
        assert!(may_view_application(&office, &facts).is_ok());
    }

    #[test]
    fn an_office_sees_and_keeps_only_its_own_committee() {
        let office = Actor::office(AccountId(7), Some(CommitteeId(4)));
        assert!(may_view_committee(&office, CommitteeId(4)).is_ok());
        assert_eq!(
            may_view_committee(&office, CommitteeId(5))
                .unwrap_err()
                .kind,
            DeniedKind::Hide
        );
        assert!(may_manage_pool(&office, CommitteeId(4)).is_ok());
        assert!(may_manage_pool(&office, CommitteeId(5)).is_err());
        assert!(may_manage_pool(&actor(Role::Admin, 1), CommitteeId(5)).is_ok());
        assert_eq!(
            may_manage_pool(&actor(Role::Supervisor, 2), CommitteeId(5)),
            Err(Denied::refuse(SUPERVISOR_READS_ONLY))
        );
        assert!(may_view_committee(&actor(Role::Expert, 3), CommitteeId(4)).is_err());
        assert!(may_manage_committees(&office).is_err());
    }

    #[test]
    fn the_supervisor_reads_committee_cases_and_changes_nothing() {
        let supervisor = actor(Role::Supervisor, 9);
        assert!(may_view_application(&supervisor, &app(State::OfficeCheck)).is_ok());
        assert!(may_view_application(&supervisor, &app(State::EmployerReview)).is_err());
        assert_eq!(
            may_act_on_application(&supervisor, &app(State::OfficeCheck)),
            Err(Denied::refuse(SUPERVISOR_READS_ONLY))
        );
    }
}
