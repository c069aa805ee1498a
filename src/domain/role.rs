//! The five roles of the system.

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
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Applicant,
        Role::Employer,
        Role::Office,
        Role::Expert,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Employer => "employer",
            Role::Office => "office",
            Role::Expert => "expert",
            Role::Admin => "admin",
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
        }
    }

    /// Roles an administrator creates on the admin page (the others register themselves).
    pub fn created_by_admin(self) -> bool {
        matches!(self, Role::Office | Role::Expert | Role::Admin)
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
