//! The roles: the six people sign in as, and the system itself (what the server does on its
//! own: deadline sweeps, closing a round's scoring), which is never an account's.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// 申报人
    Applicant,
    /// 用人单位
    Employer,
    /// 评委会办事机构
    Office,
    /// 评审专家
    Expert,
    /// 人社部门管理员
    Admin,
    /// 监管: reads every committee's cases, pools and the audit log, changes nothing.
    Supervisor,
    /// 系统: the server acting on its own (never an account).
    System,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Applicant,
        Role::Employer,
        Role::Office,
        Role::Expert,
        Role::Admin,
        Role::Supervisor,
        Role::System,
    ];

    /// The roles an account may have (the system acts without one).
    pub const ACCOUNTS: [Role; 6] = [
        Role::Applicant,
        Role::Employer,
        Role::Office,
        Role::Expert,
        Role::Admin,
        Role::Supervisor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Employer => "employer",
            Role::Office => "office",
            Role::Expert => "expert",
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Applicant => "申报人",
            Role::Employer => "用人单位",
            Role::Office => "评委会办事机构",
            Role::Expert => "评审专家",
            Role::Admin => "管理员",
            Role::Supervisor => "监管",
            Role::System => "系统",
        }
    }

    /// Where the role lands after logging in.
    pub fn home(self) -> &'static str {
        match self {
            Role::Applicant => "/applicant",
            Role::Employer => "/employer",
            Role::Office => "/office",
            Role::Expert => "/expert",
            Role::Admin => "/admin",
            Role::Supervisor => "/supervisor",
            Role::System => "/",
        }
    }

    /// Roles an administrator creates on the admin page (the others register themselves).
    pub fn created_by_admin(self) -> bool {
        matches!(
            self,
            Role::Office | Role::Expert | Role::Admin | Role::Supervisor
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
