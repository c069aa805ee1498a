//! A round (评审批次) as its committee's office sets it up, and what opening it needs. Pure: the
//! service reads the facts, these functions answer with every problem at once.

use super::committee::{levels_text, parse_levels};
use super::date::parse_date;
use super::text::RequiredText;
use super::{FieldErrors, TitleLevel};
use chrono::NaiveDate;

/// Most characters of a round's name.
pub const MAX_NAME: usize = 60;

/// A round's set-up as typed into the office's form.
#[derive(Debug, Clone, Default)]
pub struct RoundTyped<'a> {
    pub name: &'a str,
    /// The level codes ticked (`中级`, …).
    pub levels: Vec<&'a str>,
    pub submission_deadline: &'a str,
    /// Empty: the submission deadline.
    pub reference_date: &'a str,
    pub scoring_deadline: &'a str,
}

/// A round's set-up, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundSetup {
    pub name: String,
    /// Highest first.
    pub levels: Vec<TitleLevel>,
    pub submission_deadline: NaiveDate,
    pub reference_date: NaiveDate,
    pub scoring_deadline: NaiveDate,
}

impl RoundSetup {
    /// The levels as stored.
    pub fn levels_text(&self) -> String {
        levels_text(&self.levels)
    }
}

/// What a round's set-up is checked against.
pub struct RoundContext<'a> {
    /// The levels the committee reviews.
    pub committee_levels: &'a [TitleLevel],
    pub today: NaiveDate,
    /// The submission deadline already stored: a round being changed may keep a deadline that
    /// has passed, a new one may not set one.
    pub kept_deadline: Option<NaiveDate>,
}

/// Checks a round's set-up: every problem at once, under the form's fields (`name`, `levels`,
/// `submission_deadline`, `reference_date`, `scoring_deadline`).
pub fn check_round(t: &RoundTyped, cx: &RoundContext) -> Result<RoundSetup, FieldErrors> {
    let mut e = FieldErrors::default();
    let name = e.check("name", RequiredText::parse(t.name, "批次名称", MAX_NAME));

    let mut levels = Vec::new();
    for code in &t.levels {
        match TitleLevel::parse(code.trim()) {
            Some(l) if cx.committee_levels.contains(&l) => levels.push(l),
            Some(l) => e.add(
                "levels",
                format!(
                    "本评委会不评审{}，只能选择：{}",
                    l.zh(),
                    levels_text(cx.committee_levels).replace(',', "、")
                ),
            ),
            None => e.add("levels", "请从列出的层级中选择"),
        }
    }
    let levels = parse_levels(&levels_text(&levels));
    if levels.is_empty() && e.get("levels").is_none() {
        e.add("levels", "请选择本批次受理的层级（至少一项）");
    }

    let date = |e: &mut FieldErrors, field: &str, text: &str, what: &str| -> Option<NaiveDate> {
        match text.trim() {
            "" => {
                e.add(field, format!("请填写{what}，如 2027-03-31"));
                None
            }
            s => match parse_date(s) {
                Some(d) => Some(d),
                None => {
                    e.add(
                        field,
                        format!("{what}不是有效日期，请按 年-月-日 填写，如 2027-03-31"),
                    );
                    None
                }
            },
        }
    };
    let deadline = date(
        &mut e,
        "submission_deadline",
        t.submission_deadline,
        "申报截止日期",
    );
    if let Some(d) = deadline {
        if d < cx.today && Some(d) != cx.kept_deadline {
            e.add(
                "submission_deadline",
                format!("申报截止日期不能早于今天（{}）", cx.today),
            );
        }
    }
    let reference = match t.reference_date.trim() {
        "" => deadline,
        _ => date(&mut e, "reference_date", t.reference_date, "资格计算日期"),
    };
    let scoring = date(
        &mut e,
        "scoring_deadline",
        t.scoring_deadline,
        "评分截止日期",
    );
    if let (Some(d), Some(s)) = (deadline, scoring) {
        if s <= d {
            e.add(
                "scoring_deadline",
                format!("评分截止日期应晚于申报截止日期（{d}），形式审查和补正都在其间"),
            );
        }
    }
    match (name, deadline, reference, scoring) {
        (Some(name), Some(d), Some(r), Some(s)) if e.is_empty() => Ok(RoundSetup {
            name: name.as_str().to_string(),
            levels,
            submission_deadline: d,
            reference_date: r,
            scoring_deadline: s,
        }),
        _ => Err(e),
    }
}

/// The facts opening a round depends on.
pub struct OpenFacts<'a> {
    /// Why the committee may not act today (unregistered, expired, suspended), if so.
    pub committee_refusal: Option<&'a str>,
    pub opened: bool,
    pub closed: bool,
    /// The panel drawn and kept (0: none).
    pub panel_size: usize,
    /// The smallest panel the committee's rules allow for the round's levels.
    pub panel_minimum: usize,
    pub has_chair: bool,
    /// Panel members the round's filters would no longer draw, each with why.
    pub unfit: &'a [String],
    pub submission_deadline: NaiveDate,
    pub today: NaiveDate,
}

/// Whether a round may open: every reason it may not, in the order an office would fix them.
pub fn check_open(f: &OpenFacts) -> Result<(), Vec<String>> {
    let mut why = Vec::new();
    if f.opened {
        why.push("本批次已开始受理".to_string());
    }
    if f.closed {
        why.push("本批次已关闭".to_string());
    }
    if let Some(r) = f.committee_refusal {
        why.push(r.to_string());
    }
    if f.panel_size == 0 {
        why.push("尚未抽取本次评审委员会".to_string());
    } else {
        if f.panel_size < f.panel_minimum {
            why.push(format!(
                "本次评审委员会 {} 人，少于规定的 {} 人，请重新抽取",
                f.panel_size, f.panel_minimum
            ));
        }
        if f.panel_size.is_multiple_of(2) {
            why.push(format!(
                "本次评审委员会 {} 人，应为单数，请重新抽取",
                f.panel_size
            ));
        }
        if !f.has_chair {
            why.push("尚未指定主任委员".to_string());
        }
        for u in f.unfit {
            why.push(format!("{u}，请作废本次抽取结果后重新抽取"));
        }
    }
    if f.submission_deadline < f.today {
        why.push(format!(
            "申报截止日期（{}）已过，请先修改",
            f.submission_deadline
        ));
    }
    if why.is_empty() {
        Ok(())
    } else {
        Err(why)
    }
}

/// A panel member's designation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelRole {
    /// 主任委员
    Chair,
    /// 副主任委员
    ViceChair,
    /// 委员
    Member,
}

impl PanelRole {
    pub fn code(self) -> &'static str {
        match self {
            PanelRole::Chair => "chair",
            PanelRole::ViceChair => "vice_chair",
            PanelRole::Member => "member",
        }
    }

    pub fn parse(code: &str) -> Option<PanelRole> {
        [PanelRole::Chair, PanelRole::ViceChair, PanelRole::Member]
            .into_iter()
            .find(|r| r.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            PanelRole::Chair => "主任委员",
            PanelRole::ViceChair => "副主任委员",
            PanelRole::Member => "委员",
        }
    }
}

/// Checks the designation of a chair and vice-chairs among a panel's `members` (entry ids):
/// one chair, vice-chairs fewer than half the panel, nobody twice, everyone a member.
pub fn check_designation(
    members: &[i64],
    chair: Option<i64>,
    vices: &[i64],
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    match chair {
        None => e.add("chair", "请指定一名主任委员"),
        Some(c) if !members.contains(&c) => e.add("chair", "主任委员须为本次评审委员会委员"),
        Some(_) => {}
    }
    if vices.iter().any(|v| !members.contains(v)) {
        e.add("vice", "副主任委员须为本次评审委员会委员");
    } else if vices
        .iter()
        .enumerate()
        .any(|(i, v)| vices[..i].contains(v))
    {
        e.add("vice", "同一人只能指定一次副主任委员");
    } else if chair.is_some_and(|c| vices.contains(&c)) {
        e.add("vice", "主任委员不能同时担任副主任委员");
    } else if vices.len() * 2 >= members.len().max(1) {
        e.add(
            "vice",
            format!(
                "副主任委员应少于委员人数的一半（本次 {} 人，最多 {} 名）",
                members.len(),
                members.len().saturating_sub(1) / 2
            ),
        );
    }
    e.into_result(|| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn cx(levels: &[TitleLevel]) -> RoundContext<'_> {
        RoundContext {
            committee_levels: levels,
            today: d("2026-12-01"),
            kept_deadline: None,
        }
    }

    #[test]
    fn a_round_names_every_problem_under_its_field() {
        let levels = [TitleLevel::Intermediate];
        let t = RoundTyped {
            name: " ",
            levels: vec!["正高级"],
            submission_deadline: "2026-11-30",
            reference_date: "2026-2-1",
            scoring_deadline: "2026-11-01",
        };
        let e = check_round(&t, &cx(&levels)).unwrap_err();
        let fields: Vec<&str> = e.items().iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "levels",
                "submission_deadline",
                "reference_date",
                "scoring_deadline"
            ]
        );
        assert!(e.get("levels").unwrap().contains("本评委会不评审正高级"));
    }

    #[test]
    fn a_round_defaults_its_reference_date_to_the_deadline() {
        let levels = [TitleLevel::Intermediate, TitleLevel::Junior];
        let t = RoundTyped {
            name: "2027年度",
            levels: vec!["初级", "中级"],
            submission_deadline: "2027-03-31",
            reference_date: "",
            scoring_deadline: "2027-06-30",
        };
        let r = check_round(&t, &cx(&levels)).unwrap();
        assert_eq!(r.levels, [TitleLevel::Intermediate, TitleLevel::Junior]);
        assert_eq!(r.reference_date, d("2027-03-31"));
        assert_eq!(r.levels_text(), "中级,初级");
    }

    #[test]
    fn a_kept_deadline_may_have_passed() {
        let levels = [TitleLevel::Intermediate];
        let t = RoundTyped {
            name: "2026年度",
            levels: vec!["中级"],
            submission_deadline: "2026-10-31",
            reference_date: "",
            scoring_deadline: "2026-12-31",
        };
        let mut c = cx(&levels);
        assert!(check_round(&t, &c).is_err());
        c.kept_deadline = Some(d("2026-10-31"));
        assert!(check_round(&t, &c).is_ok());
    }

    #[test]
    fn opening_gives_every_reason_at_once() {
        let f = OpenFacts {
            committee_refusal: Some("评委会核准备案已过期"),
            opened: false,
            closed: false,
            panel_size: 6,
            panel_minimum: 7,
            has_chair: false,
            unfit: &["张三已移出专家库".to_string()],
            submission_deadline: d("2026-11-01"),
            today: d("2026-12-01"),
        };
        let why = check_open(&f).unwrap_err();
        assert_eq!(why.len(), 6, "{why:?}");
        assert!(why.iter().any(|w| w.starts_with("张三已移出专家库")));
        let ok = OpenFacts {
            committee_refusal: None,
            panel_size: 7,
            has_chair: true,
            unfit: &[],
            submission_deadline: d("2026-12-31"),
            ..f
        };
        assert_eq!(check_open(&ok), Ok(()));
    }

    #[test]
    fn a_designation_needs_one_chair_among_the_members() {
        let members = [1, 2, 3, 4, 5];
        assert!(check_designation(&members, Some(1), &[2, 3, 4]).is_err());
        assert!(check_designation(&members, Some(1), &[2, 3]).is_ok());
        assert!(check_designation(&members, None, &[]).is_err());
        assert!(check_designation(&members, Some(9), &[]).is_err());
        assert!(check_designation(&members, Some(1), &[1]).is_err());
        // The same vice-chair twice is one person named twice, not two vice-chairs.
        let twice = check_designation(&members, Some(1), &[2, 2]).unwrap_err();
        assert!(twice.get("vice").unwrap().contains("只能指定一次"));
    }
}
