//! Every "may this account see / do this" answer, with the reason when not (HotCRP's can/why-not).

use crate::domain::Role;
use crate::store::accounts::Account;
use crate::store::applications::ApplicationRow;
use crate::workflow::State;

/// Why an account may not do something, in words for the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied(pub &'static str);

/// Each role's pages (its home and everything under it) are for that role alone.
pub fn may_use_area(account: &Account, area: Role) -> Result<(), Denied> {
    if account.role() == area {
        Ok(())
    } else {
        Err(Denied("您的账户无权访问此页面"))
    }
}

/// Creating office, expert and admin accounts is the admin's.
pub fn may_create_staff(account: &Account, role: Role) -> Result<(), Denied> {
    may_use_area(account, Role::Admin)?;
    if role.created_by_admin() {
        Ok(())
    } else {
        Err(Denied("申报人和用人单位账户由本人注册"))
    }
}

/// Who may see an application (and download its evidence): the applicant; their employer once
/// it is submitted; the committee office once it reaches the committee. Anyone else is told it
/// does not exist.
pub fn may_view_application(account: &Account, app: &ApplicationRow) -> Result<(), Denied> {
    let state = app.state();
    let allowed = match account.role() {
        Role::Applicant => app.applicant_id == account.id,
        Role::Employer => app.employer_id == Some(account.id) && state != State::Draft,
        Role::Office => matches!(
            state,
            State::OfficeCheck
                | State::ExpertReview
                | State::Meeting
                | State::ResultPublicity
                | State::Titled
                | State::NotPassed
        ),
        Role::Expert | Role::Admin => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied("申报不存在"))
    }
}

/// Only the applicant edits, and only while the workflow says the draft is editable.
pub fn may_edit_application(account: &Account, app: &ApplicationRow) -> Result<(), Denied> {
    if account.role() != Role::Applicant || app.applicant_id != account.id {
        return Err(Denied("申报不存在"));
    }
    if !app.state().editable() {
        return Err(Denied("申报已提交，不能再修改"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(role: Role) -> Account {
        Account {
            id: 1,
            login_name: "x".into(),
            role: role.as_str().into(),
            display_name: "x".into(),
            password_hash: String::new(),
            failed_logins: 0,
            locked_until: None,
            active: true,
            created_at: chrono::NaiveDateTime::default(),
        }
    }

    #[test]
    fn each_area_admits_its_role_only() {
        for who in Role::ALL {
            for area in Role::ALL {
                assert_eq!(
                    may_use_area(&account(who), area).is_ok(),
                    who == area,
                    "{who:?} in {area:?}"
                );
            }
        }
    }

    #[test]
    fn only_admins_create_staff_and_only_staff_roles() {
        assert!(may_create_staff(&account(Role::Admin), Role::Expert).is_ok());
        assert!(may_create_staff(&account(Role::Admin), Role::Applicant).is_err());
        assert!(may_create_staff(&account(Role::Office), Role::Expert).is_err());
    }
}
