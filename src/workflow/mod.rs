//! PURE application state machine (Hypha's "workflow as data"): every state, every action, which
//! role may take it from which state, the state it leads to, and the label applicants see.
//! No web or database imports; the store asks [`next`] inside each state-changing transaction.

use crate::domain::Role;

pub use crate::domain::{Action, State};

/// One transition: from `from`, `role` may take `action`, leading to `to`; `label` is what the
/// applicant's timeline says.
#[derive(Debug, Clone, Copy)]
pub struct Transition {
    pub from: State,
    pub action: Action,
    pub role: Role,
    pub to: State,
    pub label: &'static str,
}

const fn t(from: State, action: Action, role: Role, to: State, label: &'static str) -> Transition {
    Transition {
        from,
        action,
        role,
        to,
        label,
    }
}

/// The whole life of a pathway A application (docs/rules.md, "The life of an application").
pub const TRANSITIONS: [Transition; 25] = [
    t(
        State::Draft,
        Action::Submit,
        Role::Applicant,
        State::EmployerReview,
        "提交单位审核",
    ),
    t(
        State::Draft,
        Action::Expire,
        Role::System,
        State::Withdrawn,
        "逾期未修改，视为放弃",
    ),
    t(
        State::EmployerReview,
        Action::Withdraw,
        Role::Applicant,
        State::Withdrawn,
        "申报人撤回申报",
    ),
    t(
        State::EmployerReview,
        Action::Return,
        Role::Employer,
        State::Draft,
        "单位退回修改",
    ),
    t(
        State::EmployerReview,
        Action::NotRecommend,
        Role::Employer,
        State::Closed,
        "单位不予推荐",
    ),
    t(
        State::EmployerReview,
        Action::Verify,
        Role::Employer,
        State::EmployerReview,
        "单位核实",
    ),
    t(
        State::EmployerReview,
        Action::StartPublicity,
        Role::Employer,
        State::EmployerPublicity,
        "单位内部公示",
    ),
    t(
        State::EmployerPublicity,
        Action::RecordObjection,
        Role::Employer,
        State::EmployerPublicity,
        "收到公示异议",
    ),
    t(
        State::EmployerPublicity,
        Action::ResolveObjection,
        Role::Employer,
        State::EmployerPublicity,
        "公示异议不成立",
    ),
    t(
        State::EmployerPublicity,
        Action::Appoint,
        Role::Employer,
        State::Appointed,
        "公示期满，单位聘任初级职称",
    ),
    t(
        State::EmployerPublicity,
        Action::Recommend,
        Role::Employer,
        State::OfficeCheck,
        "单位推荐，报送评委会",
    ),
    t(
        State::EmployerPublicity,
        Action::NotRecommend,
        Role::Employer,
        State::Closed,
        "单位不予推荐",
    ),
    t(
        State::EmployerPublicity,
        Action::ObjectionUpheld,
        Role::Employer,
        State::Closed,
        "公示异议成立，单位不予推荐",
    ),
    t(
        State::OfficeCheck,
        Action::Accept,
        Role::Office,
        State::ExpertReview,
        "通过形式审查",
    ),
    t(
        State::OfficeCheck,
        Action::ReturnForCorrection,
        Role::Office,
        State::Correction,
        "评委会一次性告知补正",
    ),
    t(
        State::OfficeCheck,
        Action::Refuse,
        Role::Office,
        State::NotAccepted,
        "评委会不予受理",
    ),
    // A correction goes back to the committee that asked for it, never to the employer.
    t(
        State::Correction,
        Action::Submit,
        Role::Applicant,
        State::OfficeCheck,
        "补正后重新提交评委会",
    ),
    t(
        State::Correction,
        Action::Expire,
        Role::System,
        State::Withdrawn,
        "逾期未补正，视为放弃",
    ),
    t(
        State::Correction,
        Action::Withdraw,
        Role::Applicant,
        State::Withdrawn,
        "申报人撤回申报",
    ),
    t(
        State::ExpertReview,
        Action::CloseScoring,
        Role::Office,
        State::Meeting,
        "专家评审结束，提交评审会议",
    ),
    // At the scoring deadline the system closes what is complete, as the office would.
    t(
        State::ExpertReview,
        Action::CloseScoring,
        Role::System,
        State::Meeting,
        "专家评审结束，提交评审会议",
    ),
    t(
        State::Meeting,
        Action::Pass,
        Role::Office,
        State::ResultPublicity,
        "评审通过，结果公示",
    ),
    t(
        State::Meeting,
        Action::Fail,
        Role::Office,
        State::NotPassed,
        "评审未通过",
    ),
    t(
        State::ResultPublicity,
        Action::Confirm,
        Role::Office,
        State::Titled,
        "确认取得职称",
    ),
    t(
        State::ResultPublicity,
        Action::UpholdObjection,
        Role::Office,
        State::Meeting,
        "公示异议成立，重新评议",
    ),
];

/// Why an action is refused, in words for the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

/// The state `action` by `role` leads to from `from`, or why not.
pub fn next(from: State, action: Action, role: Role) -> Result<&'static Transition, Refusal> {
    let mut same_action = TRANSITIONS
        .iter()
        .filter(|t| t.from == from && t.action == action)
        .peekable();
    if same_action.peek().is_none() {
        return Err(Refusal(format!(
            "申报当前状态为“{}”，不能执行此操作",
            from.label()
        )));
    }
    same_action.find(|t| t.role == role).ok_or_else(|| {
        Refusal(format!(
            "{}不能在“{}”状态执行此操作",
            role.label(),
            from.label()
        ))
    })
}

/// Whether `role` may take `action` from `from` (pages offer a form only when it may).
pub fn allows(from: State, action: Action, role: Role) -> bool {
    next(from, action, role).is_ok()
}

/// The actions `role` may take from `from` (for pages that offer buttons).
pub fn actions(from: State, role: Role) -> Vec<&'static Transition> {
    TRANSITIONS
        .iter()
        .filter(|t| t.from == from && t.role == role)
        .collect()
}

/// The transition an action takes from a state, whoever takes it (generated data replays a
/// path through the workflow with it).
pub fn step(from: State, action: Action) -> Option<&'static Transition> {
    TRANSITIONS
        .iter()
        .find(|t| t.from == from && t.action == action)
}

/// The timeline label of the transition an action took from `from` (an action may label
/// differently from different states); without the state (rows from before it was recorded),
/// the action's first label.
pub fn label_of(from: Option<State>, action: Action) -> &'static str {
    TRANSITIONS
        .iter()
        .find(|t| t.action == action && from.is_none_or(|f| t.from == f))
        .or_else(|| TRANSITIONS.iter().find(|t| t.action == action))
        .map(|t| t.label)
        .unwrap_or("办理")
}

/// Whether the applicant's timeline shows a step taken by this action. An objection to the
/// internal publicity and its dismissal are the employer's own record: who objected and what
/// they said stay with the employer, so the person objected to cannot find and press them. An
/// upheld objection shows (as its own action), since it ends the application and the applicant
/// is told why.
pub fn shown_to_applicant(action: Action) -> bool {
    !matches!(action, Action::RecordObjection | Action::ResolveObjection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formal_check_is_the_offices_and_a_correction_goes_back_to_it() {
        use Action::*;
        let offices = [
            (Accept, State::ExpertReview),
            (ReturnForCorrection, State::Correction),
            (Refuse, State::NotAccepted),
        ];
        for (action, to) in offices {
            assert_eq!(
                next(State::OfficeCheck, action, Role::Office).unwrap().to,
                to
            );
            for role in Role::ALL.into_iter().filter(|r| *r != Role::Office) {
                assert!(next(State::OfficeCheck, action, role).is_err(), "{role:?}");
            }
        }
        // Resubmitted, it is the committee's again, never the employer's.
        let back = next(State::Correction, Submit, Role::Applicant).unwrap();
        assert_eq!(back.to, State::OfficeCheck);
        assert_eq!(
            label_of(Some(State::Correction), Submit),
            "补正后重新提交评委会"
        );
        assert_eq!(label_of(Some(State::Draft), Submit), "提交单位审核");
        // Past its deadline only the system withdraws it; nothing expires at the check itself.
        assert_eq!(
            next(State::Correction, Expire, Role::System).unwrap().to,
            State::Withdrawn
        );
        assert!(next(State::Correction, Expire, Role::Office).is_err());
        assert!(next(State::OfficeCheck, Expire, Role::System).is_err());
        // The employer and the office take no step on a correction.
        for action in [Accept, Return, Recommend, Refuse, ReturnForCorrection] {
            for role in [Role::Employer, Role::Office] {
                assert!(next(State::Correction, action, role).is_err());
            }
        }
    }

    #[test]
    fn the_applicant_sees_no_objection_but_the_upheld_one_that_ends_it() {
        assert!(!shown_to_applicant(Action::RecordObjection));
        assert!(!shown_to_applicant(Action::ResolveObjection));
        assert!(shown_to_applicant(Action::ObjectionUpheld));
        assert!(shown_to_applicant(Action::StartPublicity));
    }

    #[test]
    fn the_employers_steps_are_the_employers_and_only_in_their_states() {
        use Action::*;
        let allowed = [
            (State::EmployerReview, Verify, State::EmployerReview),
            (State::EmployerReview, Return, State::Draft),
            (
                State::EmployerReview,
                StartPublicity,
                State::EmployerPublicity,
            ),
            (State::EmployerReview, NotRecommend, State::Closed),
            (
                State::EmployerPublicity,
                RecordObjection,
                State::EmployerPublicity,
            ),
            (
                State::EmployerPublicity,
                ResolveObjection,
                State::EmployerPublicity,
            ),
            (State::EmployerPublicity, NotRecommend, State::Closed),
            (State::EmployerPublicity, ObjectionUpheld, State::Closed),
            (State::EmployerPublicity, Recommend, State::OfficeCheck),
            (State::EmployerPublicity, Appoint, State::Appointed),
        ];
        for (from, action, to) in allowed {
            assert_eq!(
                next(from, action, Role::Employer).unwrap().to,
                to,
                "{action:?}"
            );
            for role in Role::ALL.into_iter().filter(|r| *r != Role::Employer) {
                assert!(next(from, action, role).is_err(), "{role:?} {action:?}");
            }
        }
        // Not before publicity, not after the employer's stage.
        for action in [Recommend, Appoint, RecordObjection] {
            assert!(next(State::EmployerReview, action, Role::Employer).is_err());
            assert!(next(State::OfficeCheck, action, Role::Employer).is_err());
        }
        assert!(next(State::EmployerPublicity, Verify, Role::Employer).is_err());
        assert!(next(State::EmployerPublicity, Return, Role::Employer).is_err());
    }

    #[test]
    fn only_the_applicant_withdraws_and_only_before_the_employer_acts() {
        let t = next(State::EmployerReview, Action::Withdraw, Role::Applicant).unwrap();
        assert_eq!(t.to, State::Withdrawn);
        assert!(next(State::EmployerReview, Action::Withdraw, Role::Employer).is_err());
        for from in [State::Draft, State::EmployerPublicity, State::OfficeCheck] {
            assert!(next(from, Action::Withdraw, Role::Applicant).is_err());
        }
        // Asked to correct, the applicant may also give up.
        assert!(next(State::Correction, Action::Withdraw, Role::Applicant).is_ok());
    }

    #[test]
    fn only_the_applicant_submits_and_only_a_draft() {
        assert_eq!(
            next(State::Draft, Action::Submit, Role::Applicant)
                .unwrap()
                .to,
            State::EmployerReview
        );
        for role in [Role::Employer, Role::Office, Role::Expert, Role::Admin] {
            assert!(
                next(State::Draft, Action::Submit, role).is_err(),
                "{role:?}"
            );
        }
        for state in State::ALL
            .into_iter()
            .filter(|s| !matches!(s, State::Draft | State::Correction))
        {
            let refusal = next(state, Action::Submit, Role::Applicant).unwrap_err();
            assert!(refusal.0.contains(state.label()), "{state:?}");
        }
    }

    #[test]
    fn the_table_is_consistent() {
        // No two transitions share (from, action, role), and end states have none.
        for (i, a) in TRANSITIONS.iter().enumerate() {
            for b in &TRANSITIONS[i + 1..] {
                assert!(
                    !(a.from == b.from && a.action == b.action && a.role == b.role),
                    "{a:?}"
                );
            }
        }
        for end in [
            State::Titled,
            State::NotAccepted,
            State::NotPassed,
            State::Appointed,
            State::Closed,
            State::Withdrawn,
        ] {
            assert!(
                TRANSITIONS.iter().all(|t| t.from != end),
                "{end:?} is final"
            );
        }
        // Only a draft is editable; a returned application comes back as a draft.
        assert!(State::Draft.editable() && !State::EmployerReview.editable());
        assert!(State::Correction.editable() && !State::OfficeCheck.editable());
        assert_eq!(
            next(State::EmployerReview, Action::Return, Role::Employer)
                .unwrap()
                .to,
            State::Draft
        );
        assert_eq!(actions(State::EmployerReview, Role::Employer).len(), 4);
        assert_eq!(label_of(None, Action::Submit), "提交单位审核");
    }

    #[test]
    fn a_plain_not_recommend_and_an_upheld_objection_read_differently() {
        assert_eq!(
            label_of(Some(State::EmployerPublicity), Action::NotRecommend),
            "单位不予推荐"
        );
        assert_eq!(
            label_of(Some(State::EmployerPublicity), Action::ObjectionUpheld),
            "公示异议成立，单位不予推荐"
        );
        assert_eq!(
            label_of(Some(State::EmployerReview), Action::NotRecommend),
            "单位不予推荐"
        );
    }

    #[test]
    fn only_the_system_sweeps() {
        for role in Role::ACCOUNTS {
            assert!(
                next(State::Draft, Action::Expire, role).is_err(),
                "{role:?}"
            );
        }
        assert_eq!(
            next(State::Draft, Action::Expire, Role::System).unwrap().to,
            State::Withdrawn
        );
    }
}
