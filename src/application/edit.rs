//! The changes an applicant makes to a draft, as typed commands. The service applies one inside
//! the section's versioned save; the files it stored come in as [`EvidenceRef`]s.

use super::{
    Achievement, Apprentice, Basic, Certificate, Employment, EvidenceRef, HonourClaim, Period,
    Renovation, Section, Sections, TargetData,
};
use crate::domain::limits::{list_full, MAX_LIST_ITEMS};
use crate::domain::{AccountId, RoundId};

/// One change to one section.
#[derive(Debug, Clone)]
pub enum Edit {
    Basic(Basic),
    /// The employment section, naming the employer who will review it.
    Employment(Employment),
    /// The target's own fields (honours are added one by one and kept).
    Target(TargetData),
    /// A certificate; its scan is the file uploaded with it.
    AddCertificate(Certificate),
    AddPeriod(Period),
    /// An honour from the catalogue; its evidence is the files uploaded with it.
    AddHonour(String),
    Summary(String),
    /// An achievement; its evidence is the files uploaded with it.
    AddAchievement(Achievement),
    AddApprentice(Apprentice),
    AddRenovation(Renovation),
    /// Removes one item (and its evidence) from a list section.
    Remove {
        section: Section,
        item: String,
    },
    /// The section's own fields as typed on the page (kept as a draft), then an item added on
    /// the same page: one save, so that adding an item never drops what else was typed.
    KeepThen {
        keep: Box<Edit>,
        then: Box<Edit>,
    },
}

/// A list of an application that items are added to one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Certificates,
    Work,
    Honours,
    Achievements,
    Apprentices,
    Renovations,
}

impl List {
    /// How many items it holds now.
    pub fn len(self, s: &Sections) -> usize {
        let a = s.achievements.as_ref();
        match self {
            List::Certificates => s.certificates.as_ref().map_or(0, |c| c.items.len()),
            List::Work => s.work.as_ref().map_or(0, |w| w.items.len()),
            List::Honours => s.target.as_ref().map_or(0, |t| t.honours.len()),
            List::Achievements => a.map_or(0, |a| a.items.len()),
            List::Apprentices => a.map_or(0, |a| a.apprentices.len()),
            List::Renovations => a.map_or(0, |a| a.renovations.len()),
        }
    }

    /// Its name in a message.
    pub fn what(self) -> &'static str {
        match self {
            List::Certificates => "技能等级证书",
            List::Work => "工作经历",
            List::Honours => "荣誉",
            List::Achievements => "代表性成果",
            List::Apprentices => "带徒情况",
            List::Renovations => "技术革新",
        }
    }

    /// Why no item can be added to it now: it holds [`MAX_LIST_ITEMS`] already. The page asks
    /// before saving, to say so beside the form that adds one; [`Edit::apply`] asks again when
    /// the save commits.
    pub fn full(self, s: &Sections) -> Option<String> {
        (self.len(s) >= MAX_LIST_ITEMS).then(|| list_full(self.what()))
    }
}

/// An edit applied: the new section, the files it no longer refers to, and the links it sets.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub sections: Sections,
    pub removed_evidence: Vec<String>,
    /// The employer named: its credit code and, when verified, its account.
    pub employer: Option<(Option<String>, Option<AccountId>)>,
    pub round: Option<Option<RoundId>>,
}

impl Edit {
    pub fn section(&self) -> Section {
        match self {
            Edit::Basic(_) => Section::Basic,
            Edit::Employment(_) => Section::Employment,
            Edit::Target(_) | Edit::AddHonour(_) => Section::Target,
            Edit::AddCertificate(_) => Section::Certificates,
            Edit::AddPeriod(_) => Section::Work,
            Edit::Summary(_)
            | Edit::AddAchievement(_)
            | Edit::AddApprentice(_)
            | Edit::AddRenovation(_) => Section::Achievements,
            Edit::Remove { section, .. } => *section,
            Edit::KeepThen { then, .. } => then.section(),
        }
    }

    /// The list this edit adds an item to, if it adds one.
    pub fn list(&self) -> Option<List> {
        Some(match self {
            Edit::AddCertificate(_) => List::Certificates,
            Edit::AddPeriod(_) => List::Work,
            Edit::AddHonour(_) => List::Honours,
            Edit::AddAchievement(_) => List::Achievements,
            Edit::AddApprentice(_) => List::Apprentices,
            Edit::AddRenovation(_) => List::Renovations,
            Edit::KeepThen { then, .. } => return then.list(),
            _ => return None,
        })
    }

    /// Applies the edit to what is stored now (`current` holds at least this section), with the
    /// files just stored and a fresh item id. Refused with a reason for the person.
    pub fn apply(
        self,
        current: &Sections,
        files: Vec<EvidenceRef>,
        new_id: String,
    ) -> Result<Applied, String> {
        if let Some(full) = self.list().and_then(|l| l.full(current)) {
            return Err(full);
        }
        let mut next = Sections::default();
        let mut applied = Applied::default();
        match self {
            Edit::Basic(b) => next.basic = Some(b),
            Edit::Employment(e) => {
                let code = Some(e.employer_code.clone()).filter(|c| !c.is_empty());
                applied.employer = Some((code, e.employer_id));
                next.employment = Some(e);
            }
            Edit::Target(mut t) => {
                t.honours = current.target.clone().unwrap_or_default().honours;
                applied.round = Some(t.round_id);
                next.target = Some(t);
            }
            Edit::AddCertificate(mut c) => {
                let mut all = current.certificates.clone().unwrap_or_default();
                c.id = new_id;
                c.evidence = files;
                all.items.push(c);
                next.certificates = Some(all);
            }
            Edit::AddPeriod(mut p) => {
                let mut all = current.work.clone().unwrap_or_default();
                p.id = new_id;
                all.items.push(p);
                all.items.sort_by_key(|p| p.from);
                next.work = Some(all);
            }
            Edit::AddHonour(name) => {
                let mut t = current.target.clone().unwrap_or_default();
                if t.honours.iter().any(|h| h.name == name) {
                    return Err("该荣誉已添加".into());
                }
                t.honours.push(HonourClaim {
                    id: new_id,
                    name,
                    evidence: files,
                });
                next.target = Some(t);
            }
            Edit::Summary(text) => {
                let mut a = current.achievements.clone().unwrap_or_default();
                a.summary = text;
                next.achievements = Some(a);
            }
            Edit::AddAchievement(mut item) => {
                let mut a = current.achievements.clone().unwrap_or_default();
                item.id = new_id;
                item.evidence = files;
                a.items.push(item);
                next.achievements = Some(a);
            }
            Edit::AddApprentice(mut p) => {
                let mut a = current.achievements.clone().unwrap_or_default();
                p.id = new_id;
                a.apprentices.push(p);
                next.achievements = Some(a);
            }
            Edit::AddRenovation(mut r) => {
                let mut a = current.achievements.clone().unwrap_or_default();
                r.id = new_id;
                a.renovations.push(r);
                next.achievements = Some(a);
            }
            Edit::Remove { section, item } => {
                next = current.clone();
                applied.removed_evidence = remove(&mut next, section, &item)?;
            }
            Edit::KeepThen { keep, then } => {
                if keep.section() != then.section() {
                    return Err("只能保存同一栏目的内容".into());
                }
                let kept = keep.apply(current, Vec::new(), String::new())?;
                let mut merged = current.clone();
                merged.overlay(kept.sections);
                let mut after = then.apply(&merged, files, new_id)?;
                after.round = after.round.or(kept.round);
                after.employer = after.employer.or(kept.employer);
                return Ok(after);
            }
        }
        applied.sections = next;
        Ok(applied)
    }
}

/// How a person knows an item of a list section (to confirm removing it), and how many
/// evidence files go with it; `None` when there is no such item.
pub fn describe_item(s: &Sections, section: Section, item: &str) -> Option<(String, usize)> {
    match section {
        Section::Certificates => s
            .certificates
            .as_ref()?
            .items
            .iter()
            .find(|c| c.id == item)
            .map(|c| {
                (
                    format!("{} {} 证书（编号 {}）", c.occupation, c.level, c.number),
                    c.evidence.len(),
                )
            }),
        Section::Work => s
            .work
            .as_ref()?
            .items
            .iter()
            .find(|p| p.id == item)
            .map(|p| {
                let to = p.to.map(|d| d.to_string()).unwrap_or_else(|| "今".into());
                (format!("{} 至 {} {}的工作经历", p.from, to, p.employer), 0)
            }),
        Section::Target => s
            .target
            .as_ref()?
            .honours
            .iter()
            .find(|h| h.id == item)
            .map(|h| (format!("荣誉“{}”", h.name), h.evidence.len())),
        Section::Achievements => {
            let a = s.achievements.as_ref()?;
            a.items
                .iter()
                .find(|x| x.id == item)
                .map(|x| (format!("代表性成果“{}”", x.title), x.evidence.len()))
                .or_else(|| {
                    a.apprentices
                        .iter()
                        .find(|x| x.id == item)
                        .map(|x| (format!("徒弟“{}”", x.name), 0))
                })
                .or_else(|| {
                    a.renovations
                        .iter()
                        .find(|x| x.id == item)
                        .map(|x| (format!("技术改造革新“{}”", x.title), 0))
                })
        }
        Section::Basic | Section::Employment => None,
    }
}

/// Removes the item from its section and returns the evidence it referred to.
fn remove(s: &mut Sections, section: Section, item: &str) -> Result<Vec<String>, String> {
    fn take<T>(list: &mut Vec<T>, id: impl Fn(&T) -> &str, item: &str) -> Option<T> {
        let at = list.iter().position(|x| id(x) == item)?;
        Some(list.remove(at))
    }
    let ids = |e: &[EvidenceRef]| e.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
    let gone = match section {
        Section::Certificates => s
            .certificates
            .as_mut()
            .and_then(|c| take(&mut c.items, |i| &i.id, item))
            .map(|c| ids(&c.evidence)),
        Section::Work => s
            .work
            .as_mut()
            .and_then(|w| take(&mut w.items, |i| &i.id, item))
            .map(|_| Vec::new()),
        Section::Target => s
            .target
            .as_mut()
            .and_then(|t| take(&mut t.honours, |i| &i.id, item))
            .map(|h| ids(&h.evidence)),
        Section::Achievements => s.achievements.as_mut().and_then(|a| {
            take(&mut a.items, |i| &i.id, item)
                .map(|x| ids(&x.evidence))
                .or_else(|| take(&mut a.apprentices, |i| &i.id, item).map(|_| Vec::new()))
                .or_else(|| take(&mut a.renovations, |i| &i.id, item).map(|_| Vec::new()))
        }),
        Section::Basic | Section::Employment => None,
    };
    gone.ok_or_else(|| "要删除的条目不存在，可能已在另一个窗口中删除".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::{Certificates, Employment};
    use crate::domain::SkillLevel;

    fn cert(id: &str) -> Certificate {
        Certificate {
            id: id.into(),
            occupation: "焊工".into(),
            level: SkillLevel::Technician,
            number: "1".into(),
            issuer: "x".into(),
            obtained_on: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            evidence: vec![],
        }
    }

    fn apprentice() -> Apprentice {
        Apprentice {
            id: String::new(),
            name: "小王".into(),
            period: "2020年".into(),
            outcome: "取得高级工".into(),
        }
    }

    #[test]
    fn a_full_list_takes_no_more_items_but_lets_one_go() {
        let full = |n: usize| Sections {
            certificates: Some(Certificates {
                items: (0..n).map(|i| cert(&i.to_string())).collect(),
            }),
            ..Sections::default()
        };
        let add = || Edit::AddCertificate(cert(""));
        assert!(add()
            .apply(&full(MAX_LIST_ITEMS - 1), vec![], "x".into())
            .is_ok());
        let refused = add()
            .apply(&full(MAX_LIST_ITEMS), vec![], "x".into())
            .unwrap_err();
        assert!(refused.contains("技能等级证书最多填写50项"), "{refused}");
        let kept_then = Edit::KeepThen {
            keep: Box::new(Edit::Summary("总结".into())),
            then: Box::new(Edit::AddApprentice(apprentice())),
        };
        let apprentices = Sections {
            achievements: Some(super::super::Achievements {
                apprentices: vec![apprentice(); MAX_LIST_ITEMS],
                ..Default::default()
            }),
            ..Sections::default()
        };
        assert_eq!(kept_then.list(), Some(List::Apprentices));
        assert!(List::Apprentices.full(&apprentices).is_some());
        let remove = Edit::Remove {
            section: Section::Certificates,
            item: "0".into(),
        };
        assert!(remove
            .apply(&full(MAX_LIST_ITEMS), vec![], String::new())
            .is_ok());
    }

    #[test]
    fn adding_keeps_the_others_and_removing_returns_the_files() {
        let current = Sections {
            certificates: Some(Certificates {
                items: vec![cert("a")],
            }),
            ..Sections::default()
        };
        let file = EvidenceRef {
            id: "f1".into(),
            ..EvidenceRef::default()
        };
        let applied = Edit::AddCertificate(cert(""))
            .apply(&current, vec![file], "b".into())
            .unwrap();
        let items = applied.sections.certificates.unwrap().items;
        assert_eq!(items.len(), 2);
        assert_eq!(
            (items[1].id.as_str(), items[1].evidence[0].id.as_str()),
            ("b", "f1")
        );
        let with_b = Sections {
            certificates: Some(Certificates { items }),
            ..Sections::default()
        };
        let applied = Edit::Remove {
            section: Section::Certificates,
            item: "b".into(),
        }
        .apply(&with_b, vec![], String::new())
        .unwrap();
        assert_eq!(applied.removed_evidence, vec!["f1"]);
        assert!(Edit::Remove {
            section: Section::Certificates,
            item: "zz".into()
        }
        .apply(&with_b, vec![], String::new())
        .is_err());
        let e = Edit::Employment(Employment {
            employer_id: Some(AccountId(4)),
            employer_code: "91310115MA1K4DEM5X".into(),
            ..Employment::default()
        })
        .apply(&Sections::default(), vec![], String::new())
        .unwrap();
        assert_eq!(
            e.employer,
            Some((Some("91310115MA1K4DEM5X".to_string()), Some(AccountId(4))))
        );
    }
}
