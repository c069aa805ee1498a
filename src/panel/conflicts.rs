//! PURE conflict-of-interest detection (回避) between one panel member and one application,
//! from what each gave: the member's pool record (employer and its credit code, apprentices)
//! and the applicant's dossier (employer now and in the work history with their credit codes,
//! witnesses, co-holders of achievements, apprentices trained).
//!
//! A match on a credit code identifies the employer: the conflict is confirmed. A match on a
//! name alone may be two people (or two employers) of the same name: it is possible until the
//! office confirms or dismisses it with a reason. The kinds are this system's configuration of
//! the national rule (any tie that may affect impartiality), not a national list.

use crate::application::Sections;

/// What kind of tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The member works, or the applicant worked, at the same employer.
    Employer,
    /// The member is named as a witness (证明人) of the applicant's work history.
    Witness,
    /// The member co-holds one of the applicant's representative achievements.
    CoHolder,
    /// The member is among the apprentices the applicant trained.
    MemberIsApprentice,
    /// The applicant is among the member's apprentices (from the pool record).
    ApplicantIsApprentice,
    /// Declared: a relative (近亲属).
    Relative,
    /// Declared: teacher and student, master and apprentice.
    Teacher,
    /// Declared: any other tie, in the note.
    Other,
}

impl Kind {
    /// What a member or the office may declare (the same employer too: not every employer a
    /// member worked at is in their pool record).
    pub const DECLARED: [Kind; 4] = [Kind::Relative, Kind::Teacher, Kind::Employer, Kind::Other];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Employer => "employer",
            Kind::Witness => "witness",
            Kind::CoHolder => "co_holder",
            Kind::MemberIsApprentice => "member_apprentice",
            Kind::ApplicantIsApprentice => "applicant_apprentice",
            Kind::Relative => "relative",
            Kind::Teacher => "teacher",
            Kind::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        [
            Kind::Employer,
            Kind::Witness,
            Kind::CoHolder,
            Kind::MemberIsApprentice,
            Kind::ApplicantIsApprentice,
            Kind::Relative,
            Kind::Teacher,
            Kind::Other,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Employer => "同一单位",
            Kind::Witness => "工作经历证明人",
            Kind::CoHolder => "代表性成果共同完成人",
            Kind::MemberIsApprentice => "专家为申报人所带徒弟",
            Kind::ApplicantIsApprentice => "申报人为专家所带徒弟",
            Kind::Relative => "近亲属关系",
            Kind::Teacher => "师生或师徒关系",
            Kind::Other => "其他可能影响公正评审的关系",
        }
    }
}

/// How the tie was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// By the employer's credit code: confirmed.
    Code,
    /// By a name alone: possible until the office decides.
    Name,
    /// Declared by the member or the office: confirmed.
    Declared,
}

impl Basis {
    pub fn code(self) -> &'static str {
        match self {
            Basis::Code => "code",
            Basis::Name => "name",
            Basis::Declared => "declared",
        }
    }

    pub fn parse(code: &str) -> Option<Basis> {
        [Basis::Code, Basis::Name, Basis::Declared]
            .into_iter()
            .find(|b| b.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Basis::Code => "按统一社会信用代码比对",
            Basis::Name => "仅姓名或名称相同",
            Basis::Declared => "申报回避",
        }
    }

    /// A tie by name alone waits for the office; the others stand.
    pub fn confirmed(self) -> bool {
        self != Basis::Name
    }
}

/// Where a conflict stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Confirmed,
    /// Found by name alone, not yet decided: the member is kept off the case meanwhile.
    Possible,
    /// The office found it is not a tie, with a reason.
    Dismissed,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Possible => "possible",
            Status::Dismissed => "dismissed",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        [Status::Confirmed, Status::Possible, Status::Dismissed]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Confirmed => "已确认，须回避",
            Status::Possible => "可能存在，待核实",
            Status::Dismissed => "经核实不构成",
        }
    }

    /// Whether it keeps the member off the case: confirmed, or not yet decided.
    pub fn blocks(self) -> bool {
        self != Status::Dismissed
    }
}

/// A panel member as the detection reads them.
#[derive(Debug, Clone)]
pub struct Member<'a> {
    pub name: &'a str,
    pub employer_name: &'a str,
    pub employer_code: &'a str,
    pub apprentices: &'a [String],
}

/// One tie found: its kind, basis, a key that finds it again (so a second detection does not
/// add it twice) and the evidence in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub basis: Basis,
    pub key: String,
    pub evidence: String,
}

/// A name as compared: without spaces (full-width too) or middle dots, Latin letters lower-cased.
pub fn normal(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '・' | '.'))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

fn same_name(a: &str, b: &str) -> bool {
    let a = normal(a);
    !a.is_empty() && a == normal(b)
}

/// Every tie between `member` and the applicant `applicant_name` with dossier `s`.
pub fn detect(member: &Member, applicant_name: &str, s: &Sections) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut add = |kind: Kind, basis: Basis, key: String, evidence: String| match out
        .iter_mut()
        .find(|f| f.kind == kind && f.key == key)
    {
        Some(f) => {
            if !f.evidence.contains(&evidence) {
                f.evidence.push('；');
                f.evidence.push_str(&evidence);
            }
        }
        None => out.push(Found {
            kind,
            basis,
            key,
            evidence,
        }),
    };
    let code = member.employer_code.trim().to_ascii_uppercase();
    let member_employer = format!(
        "专家所在单位「{}」{}",
        member.employer_name,
        if code.is_empty() {
            String::new()
        } else {
            format!("（{code}）")
        }
    );
    // Employers the applicant names: now, then each period of the work history.
    let mut employers: Vec<(String, String, String)> = Vec::new();
    if let Some(e) = &s.employment {
        employers.push((
            e.employer_name.clone(),
            e.employer_code.clone(),
            "申报人现工作单位".to_string(),
        ));
    }
    for p in s.work.as_ref().map(|w| w.items.as_slice()).unwrap_or(&[]) {
        let to = p.to.map_or_else(|| "今".to_string(), |d| d.to_string());
        employers.push((
            p.employer.clone(),
            p.employer_code.clone(),
            format!("申报人工作经历（{} 至 {to}）", p.from),
        ));
    }
    for (name, their_code, where_) in &employers {
        let their_code = their_code.trim().to_ascii_uppercase();
        if !code.is_empty() && code == their_code {
            add(
                Kind::Employer,
                Basis::Code,
                format!("code:{code}"),
                format!("{member_employer}与{where_}「{name}」统一社会信用代码相同"),
            );
        } else if (code.is_empty() || their_code.is_empty())
            && same_name(member.employer_name, name)
        {
            add(
                Kind::Employer,
                Basis::Name,
                format!("name:{}", normal(name)),
                format!("{member_employer}与{where_}「{name}」名称相同，无统一社会信用代码可核对"),
            );
        }
    }
    // A code match settles the employer: drop a name match on the same employer.
    if out
        .iter()
        .any(|f| f.kind == Kind::Employer && f.basis == Basis::Code)
    {
        out.retain(|f| !(f.kind == Kind::Employer && f.basis == Basis::Name));
    }
    let mut add = |kind: Kind, key: String, evidence: String| {
        if !out.iter().any(|f| f.kind == kind && f.key == key) {
            out.push(Found {
                kind,
                basis: Basis::Name,
                key,
                evidence,
            });
        }
    };
    let key = format!("name:{}", normal(member.name));
    for p in s.work.as_ref().map(|w| w.items.as_slice()).unwrap_or(&[]) {
        if same_name(&p.witness_name, member.name) {
            let to = p.to.map_or_else(|| "今".to_string(), |d| d.to_string());
            let phone = if p.witness_phone.is_empty() {
                String::new()
            } else {
                format!("（电话 {}）", p.witness_phone)
            };
            add(
                Kind::Witness,
                key.clone(),
                format!(
                    "申报人工作经历（{} 至 {to}，{}）的证明人「{}」{phone}与专家同名",
                    p.from, p.employer, p.witness_name
                ),
            );
        }
    }
    if let Some(a) = &s.achievements {
        for item in &a.items {
            for h in item
                .co_holders
                .iter()
                .filter(|h| same_name(&h.name, member.name))
            {
                let also = if !h.employer.is_empty() && same_name(&h.employer, member.employer_name)
                {
                    "，所在单位也相同"
                } else {
                    ""
                };
                let employer = if h.employer.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", h.employer)
                };
                add(
                    Kind::CoHolder,
                    key.clone(),
                    format!(
                        "代表性成果「{}」的共同完成人「{}」{employer}与专家同名{also}",
                        item.title, h.name
                    ),
                );
            }
        }
        for p in a
            .apprentices
            .iter()
            .filter(|p| same_name(&p.name, member.name))
        {
            add(
                Kind::MemberIsApprentice,
                key.clone(),
                format!("申报人所带徒弟「{}」（{}）与专家同名", p.name, p.period),
            );
        }
    }
    if member
        .apprentices
        .iter()
        .any(|n| same_name(n, applicant_name))
    {
        add(
            Kind::ApplicantIsApprentice,
            format!("name:{}", normal(applicant_name)),
            format!("专家库记录的该专家所带徒弟中有「{applicant_name}」，与申报人同名"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::{
        Achievement, Achievements, Apprentice, CoHolder, Employment, Period, Work,
    };
    use chrono::NaiveDate;

    const CODE: &str = "91310000132149237G";

    fn period(employer: &str, code: &str, witness: &str) -> Period {
        Period {
            id: "p".into(),
            from: NaiveDate::from_ymd_opt(2010, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2015, 12, 31),
            employer: employer.into(),
            occupation: "焊工".into(),
            post: "焊工".into(),
            employer_code: code.into(),
            witness_name: witness.into(),
            witness_phone: "021-62345678".into(),
        }
    }

    fn sections(periods: Vec<Period>) -> Sections {
        Sections {
            employment: Some(Employment {
                employer_name: "上海贯通机械制造有限公司".into(),
                employer_code: "91310115MA1K4DEM5X".into(),
                ..Employment::default()
            }),
            work: Some(Work { items: periods }),
            ..Sections::default()
        }
    }

    fn member<'a>(
        name: &'a str,
        employer: &'a str,
        code: &'a str,
        appr: &'a [String],
    ) -> Member<'a> {
        Member {
            name,
            employer_name: employer,
            employer_code: code,
            apprentices: appr,
        }
    }

    #[test]
    fn a_shared_credit_code_is_confirmed_and_settles_the_name() {
        let s = sections(vec![period("上海某机械厂", CODE, "")]);
        let found = detect(&member("张三", "上海某机械厂", CODE, &[]), "李四", &s);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, Kind::Employer);
        assert_eq!(found[0].basis, Basis::Code);
        assert!(found[0].evidence.contains(CODE));
        assert!(found[0].evidence.contains("2010-01-01"));
    }

    #[test]
    fn an_employer_name_alone_is_possible_and_different_codes_are_no_tie() {
        let s = sections(vec![period("上海 某机械厂", "", "")]);
        let found = detect(&member("张三", "上海某机械厂", CODE, &[]), "李四", &s);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].basis, Basis::Name);
        let s = sections(vec![period("上海某机械厂", "91350100M000100Y43", "")]);
        assert!(detect(&member("张三", "上海某机械厂", CODE, &[]), "李四", &s).is_empty());
    }

    #[test]
    fn witnesses_co_holders_and_apprentices_by_name_are_possible() {
        let mut s = sections(vec![period("别的厂", "", "张 三")]);
        s.achievements = Some(Achievements {
            items: vec![Achievement {
                id: "a".into(),
                kind: "操作法".into(),
                title: "操作法".into(),
                date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                role: "主持".into(),
                description: String::new(),
                evidence: vec![],
                co_holders: vec![CoHolder {
                    name: "张三".into(),
                    employer: "专家厂".into(),
                }],
            }],
            apprentices: vec![Apprentice {
                id: "x".into(),
                name: "张三".into(),
                period: "2020".into(),
                outcome: String::new(),
            }],
            ..Achievements::default()
        });
        let appr = vec!["李四".to_string()];
        let found = detect(&member("张三", "专家厂", "", &appr), "李 四", &s);
        let kinds: Vec<Kind> = found.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Witness,
                Kind::CoHolder,
                Kind::MemberIsApprentice,
                Kind::ApplicantIsApprentice
            ]
        );
        assert!(found.iter().all(|f| f.basis == Basis::Name));
        assert!(found[0].evidence.contains("021-62345678"));
        assert!(found[1].evidence.contains("所在单位也相同"));
        assert!(detect(&member("王五", "另一厂", "", &[]), "李四", &s).is_empty());
    }

    #[test]
    fn codes_round_trip() {
        for k in [Kind::Employer, Kind::Witness, Kind::Other] {
            assert_eq!(Kind::parse(k.code()), Some(k));
        }
        assert_eq!(Status::parse("possible"), Some(Status::Possible));
        assert!(!Status::Dismissed.blocks());
        assert!(Basis::Code.confirmed() && !Basis::Name.confirmed());
    }
}
