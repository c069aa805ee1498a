//! PURE scoring rubric of a committee (评审标准): the criteria its experts score an application
//! against, the checks on a rubric and on an expert's marks, the weighted total of one review,
//! and the statistics over a panel's reviews. No web or database imports: a rubric comes in as a
//! plain struct and every answer goes out as data or as [`FieldErrors`] for the form.
//!
//! A rubric has exactly one pass/fail gate, the ethics gate (职业道德, 一票否决), and one or more
//! scored criteria whose integer weights (percent of the total) sum to exactly 100.

pub mod marks;
pub mod stats;

pub use marks::{Mark, MarkValue, Marks, Total};
pub use stats::{
    aggregate, calibrate, calibrate_sums, for_discussion, others_means, points, signed_points,
    Aggregate, Calibration, Sums,
};

use crate::domain::text::{free_text, Lines, RequiredText};
use crate::domain::FieldErrors;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Most criteria a rubric may have: more is not a form an expert can fill in with care, and it
/// keeps the exact arithmetic of [`Rubric::total`] well inside 128 bits (see there).
pub const MAX_CRITERIA: usize = 15;
/// Most characters of a criterion's key.
pub const MAX_KEY: usize = 32;
/// Most characters of a criterion's name.
pub const MAX_NAME: usize = 30;
/// Most characters of a criterion's guidance.
pub const MAX_GUIDANCE: usize = 1000;
/// Most characters of one anchor (what a high, middle or low score means).
pub const MAX_ANCHOR: usize = 300;
/// Highest `max` a scored criterion may have.
pub const MAX_SCALE: u32 = 100;

/// A committee's rubric: its criteria in the order the scoring form shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    pub criteria: Vec<Criterion>,
}

/// One thing the experts judge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable identifier, ASCII `[a-z0-9_]`, 1..=32 characters: marks refer to it.
    pub key: String,
    /// Its name as shown, zh-CN, 1..=30 characters.
    pub name: String,
    /// What the experts should look at, at most 1000 characters (may be empty).
    pub guidance: String,
    pub kind: Kind,
    /// Whether an expert must write a comment whatever the mark.
    pub comment_required: bool,
    pub anchors: Anchors,
}

/// Pass/fail or scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    /// Pass or fail; failing it is a veto (一票否决).
    Gate,
    /// A score from 0 to `max` (1..=100) counting `weight` percent of the total.
    Score { max: u32, weight: u32 },
}

/// What a high, a middle and a low mark mean, so that experts score alike. For a gate `high`
/// says what passing means, `low` what failing means, and `middle` may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchors {
    pub high: String,
    pub middle: String,
    pub low: String,
}

impl Criterion {
    /// Whether this is the pass/fail gate.
    pub fn is_gate(&self) -> bool {
        self.kind == Kind::Gate
    }

    /// The top of a scored criterion's scale (0 for the gate).
    pub fn max(&self) -> u32 {
        match self.kind {
            Kind::Score { max, .. } => max,
            Kind::Gate => 0,
        }
    }

    /// A scored criterion's weight in percent (0 for the gate).
    pub fn weight(&self) -> u32 {
        match self.kind {
            Kind::Score { weight, .. } => weight,
            Kind::Gate => 0,
        }
    }
}

impl Rubric {
    /// How `newer` differs from this rubric, criterion by criterion (by key), in words: what a
    /// person whose save was overtaken needs to see before saving again.
    pub fn differences(&self, newer: &Rubric) -> Vec<String> {
        let mut out = Vec::new();
        for n in &newer.criteria {
            match self.criteria.iter().find(|c| c.key == n.key) {
                None => out.push(format!("新增了“{}”", n.name)),
                Some(c) if c != n => out.push(format!("修改了“{}”", n.name)),
                Some(_) => {}
            }
        }
        for c in &self.criteria {
            if !newer.criteria.iter().any(|n| n.key == c.key) {
                out.push(format!("删除了“{}”", c.name));
            }
        }
        let keys = |r: &Rubric| r.criteria.iter().map(|c| c.key.clone()).collect::<Vec<_>>();
        if out.is_empty() && keys(self) != keys(newer) {
            out.push("调整了评审项的顺序".to_string());
        }
        out
    }

    /// Shanghai's default: the ethics gate, then 职业能力 35 %, 工作业绩 40 % and 代表性成果
    /// (in place of papers) 25 %, each out of 100.
    pub fn default_rubric() -> Rubric {
        let text = |s: &str| s.to_string();
        Rubric {
            criteria: vec![
                Criterion {
                    key: text("ethics"),
                    name: text("职业道德"),
                    guidance: text(
                        "考察申报人遵守法律法规和职业道德规范、诚实守信、爱岗敬业的情况，以及申报材料是否真实。\
                         存在弄虚作假、违法违纪或严重违反职业道德行为的，实行一票否决。\
                         无论通过与否，均须写明评审意见。",
                    ),
                    kind: Kind::Gate,
                    comment_required: true,
                    anchors: Anchors {
                        high: text("遵纪守法，恪守职业道德，申报材料真实，未发现失德失信行为。"),
                        middle: String::new(),
                        low: text(
                            "存在弄虚作假、违法违纪或严重违反职业道德的行为，一票否决。",
                        ),
                    },
                },
                Criterion {
                    key: text("ability"),
                    name: text("职业能力"),
                    guidance: text(
                        "考察申报人掌握本职业（工种）专业理论知识和操作技能的程度，\
                         分析解决生产、技术难题的能力，以及传授技艺、培养带教徒弟的能力。",
                    ),
                    kind: Kind::Score {
                        max: 100,
                        weight: 35,
                    },
                    comment_required: false,
                    anchors: Anchors {
                        high: text(
                            "系统掌握本领域理论知识和核心技能，能独立解决关键技术难题，带教成效显著。",
                        ),
                        middle: text(
                            "较好掌握本领域知识和技能，能解决一般技术问题，有一定的带教经历。",
                        ),
                        low: text("理论知识或操作技能明显不足，难以独立解决本岗位的技术问题。"),
                    },
                },
                Criterion {
                    key: text("performance"),
                    name: text("工作业绩"),
                    guidance: text(
                        "考察申报人取得现职业技能等级（或现职称）以来在本岗位取得的工作业绩，\
                         包括完成重要生产任务、技术革新、质量提升、节能降耗等方面的实际贡献及其经济和社会效益。\
                         业绩应有材料佐证。",
                    ),
                    kind: Kind::Score {
                        max: 100,
                        weight: 40,
                    },
                    comment_required: false,
                    anchors: Anchors {
                        high: text(
                            "业绩突出，在重要项目或关键岗位发挥骨干作用，取得显著的经济或社会效益。",
                        ),
                        middle: text("业绩良好，能按要求完成本岗位工作任务，取得一定成效。"),
                        low: text("业绩一般，缺少可核实的工作成果。"),
                    },
                },
                Criterion {
                    key: text("achievements"),
                    // The full name with its list of kinds is longer than a name may be; the
                    // list is the first sentence of the guidance instead.
                    name: text("代表性成果（替代论文）"),
                    guidance: text(
                        "代表性成果可替代论文，包括技能技艺、行业工法、操作法、技术报告、专利发明、行业标准等。\
                         考察成果的创新性、实用性、推广应用情况，以及申报人在其中的实际作用。",
                    ),
                    kind: Kind::Score {
                        max: 100,
                        weight: 25,
                    },
                    comment_required: false,
                    anchors: Anchors {
                        high: text(
                            "成果创新性强，已在行业或企业推广应用并取得明显效益，申报人为主要完成人。",
                        ),
                        middle: text("成果有一定创新性和实用价值，在本单位得到应用。"),
                        low: text("成果创新性或实用性不足，或难以证明申报人的实际作用。"),
                    },
                },
            ],
        }
    }

    /// The criterion with `key`, if any.
    pub fn criterion(&self, key: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.key == key)
    }

    /// Every problem at once, each under the edit form's field: `criteria` for the rubric as a
    /// whole, `c{i}_key`, `c{i}_name`, `c{i}_guidance`, `c{i}_max`, `c{i}_weight`, `c{i}_high`,
    /// `c{i}_middle`, `c{i}_low` for the criterion at index `i` (from 0), and `weights` for the
    /// sum of the weights.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();

        // Several rubric-wide problems share one field; a field shows one message, so they are
        // joined rather than all but the first being lost.
        let mut whole = Vec::new();
        let gates = self.criteria.iter().filter(|c| c.is_gate()).count();
        let scored = self.criteria.len() - gates;
        if self.criteria.is_empty() {
            whole.push("请添加评审标准：一项职业道德否决项和至少一项计分标准".to_string());
        } else {
            if gates == 0 {
                whole.push("请添加一项职业道德否决项（通过/不通过，一票否决）".to_string());
            }
            if gates > 1 {
                whole.push(format!(
                    "只能有一项否决项（职业道德），目前有 {gates} 项，请将其余改为计分标准或删除"
                ));
            }
            if scored == 0 {
                whole.push("请至少添加一项计分标准".to_string());
            }
        }
        if self.criteria.len() > MAX_CRITERIA {
            whole.push(format!(
                "评审标准最多 {MAX_CRITERIA} 项，目前有 {} 项，请合并或删除",
                self.criteria.len()
            ));
        }
        if !whole.is_empty() {
            e.add("criteria", whole.join("；"));
        }

        for (i, c) in self.criteria.iter().enumerate() {
            let n = i + 1;
            let field = |name: &str| format!("c{i}_{name}");
            if !key_is_well_formed(&c.key) {
                e.add(
                    field("key"),
                    format!(
                        "第{n}项的标识只能由小写英文字母、数字和下划线组成，1至{MAX_KEY}个字符"
                    ),
                );
            } else if let Some(first) = self.criteria[..i].iter().position(|d| d.key == c.key) {
                e.add(
                    field("key"),
                    format!(
                        "第{n}项的标识“{}”与第{}项重复，请改用其他标识",
                        c.key,
                        first + 1
                    ),
                );
            }
            if c.name.trim() != c.name {
                e.add(field("name"), format!("第{n}项的名称前后不能有空格"));
            } else {
                e.check(
                    &field("name"),
                    RequiredText::parse(&c.name, &format!("第{n}项的名称"), MAX_NAME),
                );
            }
            if let Err(problem) = free_text(&c.guidance, Lines::Many, MAX_GUIDANCE) {
                e.add(
                    field("guidance"),
                    problem.message(&format!("第{n}项的评分说明")),
                );
            }
            if let Kind::Score { max, weight } = c.kind {
                if !(1..=MAX_SCALE).contains(&max) {
                    e.add(
                        field("max"),
                        format!("第{n}项的满分应为1至{MAX_SCALE}之间的整数，目前为 {max}"),
                    );
                }
                if !(1..=100).contains(&weight) {
                    e.add(
                        field("weight"),
                        format!("第{n}项的权重应为1至100之间的整数（百分比），目前为 {weight}"),
                    );
                }
            }
            let (high, middle, low) = if c.is_gate() {
                ("通过", None, "不通过")
            } else {
                ("高分", Some("中等分"), "低分")
            };
            check_anchor(&mut e, field("high"), &c.anchors.high, n, Some(high));
            check_anchor(&mut e, field("middle"), &c.anchors.middle, n, middle);
            check_anchor(&mut e, field("low"), &c.anchors.low, n, Some(low));
        }

        if scored > 0 {
            // u64: a weight is u32 and several of them must not overflow while being added.
            let sum: u64 = self
                .criteria
                .iter()
                .map(|c| match c.kind {
                    Kind::Score { weight, .. } => u64::from(weight),
                    Kind::Gate => 0,
                })
                .sum();
            if sum != 100 {
                e.add(
                    "weights",
                    format!("各计分标准的权重之和应为100%，目前为 {sum}%，请调整权重"),
                );
            }
        }
        e.into_result(|| ())
    }

    /// The rubric's content address: lowercase hex SHA-256 of its JSON. The JSON is canonical
    /// because it is serialised from structs and enums only: their fields come out in the fixed
    /// order of their declarations and there are no maps whose order could vary. Same content,
    /// same hash; any change (a comma in the guidance included) gives another hash. Reviews
    /// record it, so a review always names the exact rubric it was scored against.
    pub fn version_hash(&self) -> String {
        let json = serde_json::to_vec(self).expect("a rubric always serialises");
        hex::encode(Sha256::digest(json))
    }
}

/// ASCII `[a-z0-9_]`, 1..=32 characters.
fn key_is_well_formed(key: &str) -> bool {
    (1..=MAX_KEY).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// An anchor is required when it has a meaning (`what`) and never longer than [`MAX_ANCHOR`].
fn check_anchor(e: &mut FieldErrors, field: String, text: &str, n: usize, what: Option<&str>) {
    match free_text(text, Lines::Many, MAX_ANCHOR) {
        Err(problem) => e.add(field, problem.message(&format!("第{n}项的评分锚点"))),
        Ok(t) if t.is_empty() => {
            if let Some(what) = what {
                e.add(field, format!("请写明第{n}项“{what}”的含义"));
            }
        }
        Ok(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(key: &str, max: u32, weight: u32) -> Criterion {
        Criterion {
            key: key.to_string(),
            name: format!("标准{key}"),
            guidance: String::new(),
            kind: Kind::Score { max, weight },
            comment_required: false,
            anchors: Anchors {
                high: "高".into(),
                middle: "中".into(),
                low: "低".into(),
            },
        }
    }

    fn gate(key: &str) -> Criterion {
        Criterion {
            key: key.to_string(),
            name: "职业道德".into(),
            guidance: String::new(),
            kind: Kind::Gate,
            comment_required: true,
            anchors: Anchors {
                high: "通过".into(),
                middle: String::new(),
                low: "否决".into(),
            },
        }
    }

    fn errors(r: &Rubric) -> FieldErrors {
        r.validate().expect_err("should be refused")
    }

    #[test]
    fn the_default_rubric_is_valid_and_follows_the_rules() {
        let r = Rubric::default_rubric();
        assert_eq!(r.validate(), Ok(()));
        let keys: Vec<_> = r.criteria.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["ethics", "ability", "performance", "achievements"]);
        let ethics = r.criterion("ethics").unwrap();
        assert!(ethics.is_gate() && ethics.comment_required);
        assert_eq!(ethics.name, "职业道德");
        let weights: Vec<_> = r.criteria.iter().map(|c| c.kind).collect();
        assert_eq!(
            weights[1..],
            [
                Kind::Score {
                    max: 100,
                    weight: 35
                },
                Kind::Score {
                    max: 100,
                    weight: 40
                },
                Kind::Score {
                    max: 100,
                    weight: 25
                },
            ]
        );
        assert!(r.criteria[3].guidance.contains("行业工法"));
    }

    #[test]
    fn weights_not_summing_to_100_name_the_sum() {
        let r = Rubric {
            criteria: vec![gate("ethics"), score("a", 100, 50), score("b", 10, 45)],
        };
        let e = errors(&r);
        assert_eq!(e.items().len(), 1);
        assert!(e.get("weights").unwrap().contains("目前为 95%"));
        // Over 100 too, and a weight far out of range neither overflows nor hides the sum.
        let r = Rubric {
            criteria: vec![gate("g"), score("a", 100, u32::MAX), score("b", 10, 2)],
        };
        let e = errors(&r);
        assert!(e.get("weights").unwrap().contains("4294967297%"));
        assert!(e.get("c1_weight").is_some());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut bad_name = score("ability", 0, 0);
        bad_name.name = String::new();
        bad_name.anchors.middle = " ".into();
        let r = Rubric {
            criteria: vec![
                score("ability", 100, 60),
                bad_name,
                score("Bad-Key", 101, 40),
                score("", 10, 10),
            ],
        };
        let e = errors(&r);
        assert!(e.get("criteria").unwrap().contains("职业道德否决项"));
        assert!(e.get("c1_key").unwrap().contains("与第1项重复"));
        assert!(e.get("c1_name").unwrap().contains("请输入第2项的名称"));
        assert!(e.get("c1_max").unwrap().contains("目前为 0"));
        assert!(e.get("c1_weight").unwrap().contains("目前为 0"));
        assert!(e.get("c1_middle").unwrap().contains("中等分"));
        assert!(e.get("c2_key").is_some());
        assert!(e.get("c2_max").unwrap().contains("目前为 101"));
        assert!(e.get("c3_key").is_some());
        assert!(e.get("weights").unwrap().contains("目前为 110%"));
        assert_eq!(e.items().len(), 10);
        assert!(
            e.get("c0_key").is_none(),
            "the first of a duplicate is fine"
        );
    }

    #[test]
    fn the_rubric_as_a_whole() {
        let e = errors(&Rubric { criteria: vec![] });
        assert_eq!(e.items().len(), 1);
        assert!(e.get("criteria").unwrap().contains("请添加评审标准"));

        // Two gates and nothing scored: both said, in the one field.
        let e = errors(&Rubric {
            criteria: vec![gate("a"), gate("b")],
        });
        let msg = e.get("criteria").unwrap();
        assert!(msg.contains("目前有 2 项") && msg.contains("至少添加一项计分标准"));
        assert!(
            e.get("weights").is_none(),
            "no scored criterion, no sum to check"
        );

        let mut many = vec![gate("g")];
        for i in 0..MAX_CRITERIA {
            many.push(score(&format!("s{i}"), 10, if i == 0 { 86 } else { 1 }));
        }
        let e = errors(&Rubric { criteria: many });
        assert!(e.get("criteria").unwrap().contains("目前有 16 项"));
        assert_eq!(e.items().len(), 1);
    }

    #[test]
    fn scales_and_weights_at_their_limits() {
        for (max, weight) in [(1, 100), (100, 100)] {
            let r = Rubric {
                criteria: vec![gate("ethics"), score("a", max, weight)],
            };
            assert_eq!(r.validate(), Ok(()), "max {max}, weight {weight}");
        }
        let r = Rubric {
            criteria: vec![gate("ethics"), score("a", 100, 101)],
        };
        let e = errors(&r);
        assert!(e.get("c1_weight").unwrap().contains("目前为 101"));
        assert!(e.get("c1_max").is_none());
    }

    #[test]
    fn keys_names_texts_and_anchors() {
        assert!(key_is_well_formed("a_1"));
        assert!(key_is_well_formed(&"a".repeat(32)));
        assert!(!key_is_well_formed(&"a".repeat(33)));
        assert!(!key_is_well_formed(""));
        assert!(!key_is_well_formed("职业"));
        assert!(!key_is_well_formed("a b"));

        let mut r = Rubric::default_rubric();
        r.criteria[1].name = "一".repeat(31);
        r.criteria[2].name = " 工作业绩".into();
        r.criteria[3].name = "成\u{200B}果".into();
        r.criteria[0].guidance = "字".repeat(1001);
        r.criteria[0].anchors.low = String::new();
        r.criteria[1].anchors.high = "字".repeat(301);
        let e = errors(&r);
        assert!(e.get("c1_name").unwrap().contains("不能超过30字"));
        assert!(e.get("c2_name").unwrap().contains("空格"));
        assert!(e.get("c3_name").is_some());
        assert!(e.get("c0_guidance").is_some());
        assert!(e.get("c0_low").unwrap().contains("不通过"));
        assert!(e.get("c1_high").unwrap().contains("300"));
        assert_eq!(e.items().len(), 6);

        // Exactly at the limits is fine; a gate's middle anchor may be empty.
        let mut r = Rubric::default_rubric();
        r.criteria[1].name = "一".repeat(30);
        r.criteria[0].guidance = "字".repeat(1000);
        r.criteria[1].anchors.high = "字".repeat(300);
        assert_eq!(r.validate(), Ok(()));
    }

    #[test]
    fn the_version_hash_follows_the_content() {
        let r = Rubric::default_rubric();
        let h = r.version_hash();
        assert_eq!(h.len(), 64);
        assert!(h
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(Rubric::default_rubric().version_hash(), h);

        let mut changed = r.clone();
        changed.criteria[1].guidance.push('。');
        assert_ne!(changed.version_hash(), h);
        let mut changed = r.clone();
        changed.criteria[1].comment_required = true;
        assert_ne!(changed.version_hash(), h);
        let mut changed = r.clone();
        changed.criteria.swap(1, 2);
        assert_ne!(changed.version_hash(), h);

        // A rubric read back from its JSON has the same address.
        let json = serde_json::to_string(&r).unwrap();
        let back: Rubric = serde_json::from_str(&json).unwrap();
        assert_eq!(back.version_hash(), h);
    }

    #[test]
    fn the_stored_form_has_stable_names() {
        let r = Rubric {
            criteria: vec![gate("ethics"), score("a", 10, 100)],
        };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            json,
            r#"{"criteria":[{"key":"ethics","name":"职业道德","guidance":"","kind":{"type":"gate"},"comment_required":true,"anchors":{"high":"通过","middle":"","low":"否决"}},{"key":"a","name":"标准a","guidance":"","kind":{"type":"score","max":10,"weight":100},"comment_required":false,"anchors":{"high":"高","middle":"中","low":"低"}}]}"#
        );
        // And the hash of that exact text, so a change of the stored form is noticed: every
        // hash already recorded would stop matching its rubric.
        assert_eq!(
            r.version_hash(),
            hex::encode(Sha256::digest(json.as_bytes()))
        );
    }
}
