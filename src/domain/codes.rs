//! Closed sets with an ASCII code each (as stored): workflow states and actions, the route an
//! applicant claims, the pathway, and audit actions. An unknown code is an error, never a default.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares a closed set with one stored code per value; `parse` refuses any other text.
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The stored code.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.as_str() == s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {} {s:?}", stringify!($name)))
                })
            }
        }
    };
}

code_enum!(
    /// Where an application is in its life (pathway A, title review).
    State {
        Draft => "draft",
        EmployerReview => "employer_review",
        EmployerPublicity => "employer_publicity",
        OfficeCheck => "office_check",
        /// Asked by the committee's formal check to correct it (补正): the applicant edits and
        /// resubmits it to the committee.
        Correction => "correction",
        /// Not accepted at the formal check (不予受理).
        NotAccepted => "not_accepted",
        ExpertReview => "expert_review",
        Meeting => "meeting",
        ResultPublicity => "result_publicity",
        Titled => "titled",
        NotPassed => "not_passed",
        Appointed => "appointed",
        Closed => "closed",
        Withdrawn => "withdrawn",
    }
);

impl State {
    /// The label the applicant sees (public label, separate from the internal name).
    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "填写中",
            State::EmployerReview => "单位审核中",
            State::EmployerPublicity => "单位公示中",
            State::OfficeCheck => "评委会形式审查中",
            State::Correction => "评委会要求补正",
            State::NotAccepted => "评委会不予受理",
            State::ExpertReview => "专家评审中",
            State::Meeting => "评审会议",
            State::ResultPublicity => "评审结果公示中",
            State::Titled => "已取得职称",
            State::NotPassed => "未通过",
            State::Appointed => "单位已聘任",
            State::Closed => "已结束",
            State::Withdrawn => "已放弃",
        }
    }

    /// The states in which the committee holds an application (the employer's 已推荐): the one
    /// list of them.
    pub const WITH_COMMITTEE: [State; 8] = [
        State::OfficeCheck,
        State::Correction,
        State::NotAccepted,
        State::ExpertReview,
        State::Meeting,
        State::ResultPublicity,
        State::Titled,
        State::NotPassed,
    ];

    /// Whether the committee holds the application in this state.
    pub fn reached_committee(self) -> bool {
        State::WITH_COMMITTEE.contains(&self)
    }

    /// The applicant may edit the sections while drafting, and while correcting what the
    /// committee's formal check asked for.
    pub fn editable(self) -> bool {
        matches!(self, State::Draft | State::Correction)
    }
}

code_enum!(
    /// A step of the workflow.
    Action {
        Submit => "submit",
        Return => "return",
        StartPublicity => "start_publicity",
        Recommend => "recommend",
        NotRecommend => "not_recommend",
        Appoint => "appoint",
        Accept => "accept",
        ReturnForCorrection => "return_for_correction",
        Refuse => "refuse",
        CloseScoring => "close_scoring",
        Pass => "pass",
        Fail => "fail",
        Confirm => "confirm",
        UpholdObjection => "uphold_objection",
        Expire => "expire",
        Withdraw => "withdraw",
        Verify => "verify",
        RecordObjection => "record_objection",
        ResolveObjection => "resolve_objection",
        /// An objection to the employer's publicity upheld: not recommended, for that reason.
        ObjectionUpheld => "objection_upheld",
    }
);

code_enum!(
    /// The pathway: skilled worker → title (§2.2) or professional-technical person → skill (§2.3).
    Pathway {
        Title => "title",
        Skill => "skill",
    }
);

code_enum!(
    /// The route an applicant claims on the title pathway (the verdict still considers every route).
    RouteClaim {
        Seniority => "seniority",
        Honour => "honour",
        Exceptional => "exceptional",
    }
);

impl RouteClaim {
    pub fn label(self) -> &'static str {
        match self {
            RouteClaim::Seniority => "任职资历（§2.2.3）",
            RouteClaim::Honour => "荣誉直接申报（§2.2.4 绿色通道）",
            RouteClaim::Exceptional => "破格申报（§2.2.4 绿色通道）",
        }
    }
}

code_enum!(
    /// An employer registration waiting for, or decided by, an admin.
    ClaimStatus {
        Pending => "pending",
        Verified => "verified",
        Rejected => "rejected",
    }
);

impl ClaimStatus {
    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Pending => "待审核",
            ClaimStatus::Verified => "已认证",
            ClaimStatus::Rejected => "未通过",
        }
    }
}

/// What an audit row records. Workflow steps carry their action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    AccountRegister,
    AccountCreate,
    Login,
    LoginFailed,
    LoginLocked,
    LogoutEverywhere,
    ApplicationCreate,
    SectionSave,
    Workflow(Action),
    RoundCreate,
    RoundUpdate,
    RoundClose,
    RoundOpen,
    PanelDraw,
    PanelDiscard,
    PanelDesignate,
    ConflictsDetect,
    ExpertAssign,
    ExpertUnassign,
    ConflictDeclare,
    ConflictDecide,
    ExpertRecuse,
    ReviewSave,
    ReviewSubmit,
    ReviewReopen,
    ScoringClose,
    ScoringExtend,
    GroupOpinion,
    RubricSave,
    CalendarImport,
    CalendarDay,
    CatalogueSeed,
    CatalogueSeries,
    EmployerClaim,
    EmployerVerify,
    EmployerReject,
    PasswordChange,
    PasswordResetIssue,
    PasswordReset,
    AccountDisable,
    AccountEnable,
    AccountUnlock,
    AccountUpdate,
    CommitteeCreate,
    CommitteeUpdate,
    CommitteeRegister,
    CommitteeSuspend,
    CommitteeResume,
    OfficeAssign,
    PoolAdd,
    PoolUpdate,
    PoolRemove,
    PoolRestore,
    SettingsChange,
    SupervisorView,
}

const PLAIN_AUDIT: [(AuditAction, &str, &str); 54] = [
    (AuditAction::AccountRegister, "account.register", "注册账户"),
    (AuditAction::AccountCreate, "account.create", "创建账户"),
    (AuditAction::Login, "login", "登录"),
    (AuditAction::LoginFailed, "login.failed", "登录失败"),
    (AuditAction::LoginLocked, "login.locked", "账户锁定"),
    (
        AuditAction::LogoutEverywhere,
        "logout.everywhere",
        "退出所有设备",
    ),
    (
        AuditAction::ApplicationCreate,
        "application.create",
        "创建申报",
    ),
    (AuditAction::SectionSave, "section.save", "保存申报内容"),
    (AuditAction::RoundCreate, "round.create", "创建评审批次"),
    (AuditAction::RoundUpdate, "round.update", "修改评审批次"),
    (AuditAction::RoundClose, "round.close", "关闭评审批次"),
    (AuditAction::RoundOpen, "round.open", "评审批次开始受理"),
    (AuditAction::PanelDraw, "panel.draw", "抽取本次评审委员会"),
    (AuditAction::PanelDiscard, "panel.discard", "作废抽取结果"),
    (
        AuditAction::PanelDesignate,
        "panel.designate",
        "指定主任委员和副主任委员",
    ),
    (
        AuditAction::ConflictsDetect,
        "conflicts.detect",
        "检测利益冲突",
    ),
    (AuditAction::ExpertAssign, "expert.assign", "分配评审专家"),
    (
        AuditAction::ExpertUnassign,
        "expert.unassign",
        "取消分配评审专家",
    ),
    (
        AuditAction::ConflictDeclare,
        "conflict.declare",
        "登记利益冲突",
    ),
    (
        AuditAction::ConflictDecide,
        "conflict.decide",
        "核实利益冲突",
    ),
    (
        AuditAction::ExpertRecuse,
        "expert.recuse",
        "评审专家申报回避",
    ),
    (AuditAction::ReviewSave, "review.save", "保存评分草稿"),
    (AuditAction::ReviewSubmit, "review.submit", "提交评分"),
    (AuditAction::ReviewReopen, "review.reopen", "退回专家评分"),
    (AuditAction::ScoringClose, "scoring.close", "结束专家评分"),
    (AuditAction::ScoringExtend, "scoring.extend", "延长评分期限"),
    (
        AuditAction::GroupOpinion,
        "review.group_opinion",
        "记录评议组意见",
    ),
    (AuditAction::RubricSave, "rubric.save", "保存评审标准新版本"),
    (
        AuditAction::CalendarImport,
        "calendar.import",
        "导入工作日历",
    ),
    (AuditAction::CalendarDay, "calendar.day", "修改工作日历"),
    (AuditAction::CatalogueSeed, "catalogue.seed", "载入默认目录"),
    (
        AuditAction::CatalogueSeries,
        "catalogue.series",
        "修改贯通系列",
    ),
    (
        AuditAction::EmployerClaim,
        "employer.claim",
        "用人单位申请注册",
    ),
    (
        AuditAction::EmployerVerify,
        "employer.verify",
        "认证用人单位",
    ),
    (
        AuditAction::EmployerReject,
        "employer.reject",
        "驳回用人单位注册",
    ),
    (AuditAction::PasswordChange, "password.change", "修改密码"),
    (
        AuditAction::PasswordResetIssue,
        "password.reset_issue",
        "签发密码重置链接",
    ),
    (
        AuditAction::PasswordReset,
        "password.reset",
        "用重置链接设置密码",
    ),
    (AuditAction::AccountDisable, "account.disable", "停用账户"),
    (AuditAction::AccountEnable, "account.enable", "启用账户"),
    (AuditAction::AccountUnlock, "account.unlock", "解除账户锁定"),
    (AuditAction::AccountUpdate, "account.update", "修改账户"),
    (
        AuditAction::CommitteeCreate,
        "committee.create",
        "设立评委会",
    ),
    (
        AuditAction::CommitteeUpdate,
        "committee.update",
        "修改评委会",
    ),
    (
        AuditAction::CommitteeRegister,
        "committee.register",
        "评委会核准备案",
    ),
    (
        AuditAction::CommitteeSuspend,
        "committee.suspend",
        "暂停评委会评审工作",
    ),
    (
        AuditAction::CommitteeResume,
        "committee.resume",
        "恢复评委会评审工作",
    ),
    (
        AuditAction::OfficeAssign,
        "committee.office",
        "指派办事机构账户",
    ),
    (AuditAction::PoolAdd, "pool.add", "专家入库"),
    (AuditAction::PoolUpdate, "pool.update", "修改专家信息"),
    (AuditAction::PoolRemove, "pool.remove", "专家出库"),
    (AuditAction::PoolRestore, "pool.restore", "专家恢复入库"),
    (AuditAction::SettingsChange, "settings.change", "修改配置"),
    (AuditAction::SupervisorView, "supervisor.view", "监管查看"),
];

impl AuditAction {
    /// The stored code: `application.submit` for a workflow step.
    pub fn code(self) -> String {
        match self {
            AuditAction::Workflow(a) => format!("application.{}", a.as_str()),
            plain => PLAIN_AUDIT
                .iter()
                .find(|(p, _, _)| *p == plain)
                .map(|(_, c, _)| c.to_string())
                .unwrap_or_default(),
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        if let Some((plain, _, _)) = PLAIN_AUDIT.iter().find(|(_, c, _)| *c == s) {
            return Some(*plain);
        }
        s.strip_prefix("application.")
            .and_then(Action::parse)
            .map(AuditAction::Workflow)
    }

    /// A readable label for people (workflow steps are labelled by the workflow table).
    pub fn label(self) -> &'static str {
        PLAIN_AUDIT
            .iter()
            .find(|(p, _, _)| *p == self)
            .map(|(_, _, l)| *l)
            .unwrap_or("办理")
    }
}

/// What an audit row is about, as stored: `application:12`, `account:3`…
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Account(super::AccountId),
    Application(super::ApplicationId),
    Round(super::RoundId),
    Catalogue,
    Calendar,
    Series(String),
    EmployerClaim(i64),
    Committee(super::CommitteeId),
    PoolEntry(super::PoolEntryId),
    /// Stored configuration at a scope (`settings:global`, `settings:committee:3`).
    Settings(String),
    /// A page a supervisor opened (its path).
    Page(String),
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Account(id) => write!(f, "account:{id}"),
            Subject::Application(id) => write!(f, "application:{id}"),
            Subject::Round(id) => write!(f, "round:{id}"),
            Subject::Catalogue => f.write_str("catalogue"),
            Subject::Calendar => f.write_str("calendar"),
            Subject::Series(name) => write!(f, "series:{name}"),
            Subject::EmployerClaim(id) => write!(f, "employer_claim:{id}"),
            Subject::Committee(id) => write!(f, "committee:{id}"),
            Subject::PoolEntry(id) => write!(f, "pool_entry:{id}"),
            Subject::Settings(scope) => write!(f, "settings:{scope}"),
            Subject::Page(path) => write!(f, "page:{path}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_errors() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        assert_eq!(State::parse("Draft"), None);
        for a in Action::ALL {
            let audit = AuditAction::Workflow(a);
            assert_eq!(AuditAction::parse(&audit.code()), Some(audit));
        }
        for (a, code, _) in PLAIN_AUDIT {
            assert_eq!(a.code(), code);
            assert_eq!(AuditAction::parse(code), Some(a));
        }
        assert_eq!(AuditAction::parse("application.fly"), None);
        assert!(serde_json::from_str::<RouteClaim>("\"\"").is_err());
    }
}
