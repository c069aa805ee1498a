//! Stored configuration: every number a rule sets (working days, quorum and pass fractions,
//! minimum experts, bars in years), each with its default from the national rules, overridden
//! per committee and per round. The narrowest scope that holds a value wins: round → committee →
//! global → the default here. Fractions are integer numerator and denominator, compared as
//! `yes × den ≥ num × present`, never as floats.

use super::{CommitteeId, FieldErrors, RoundId, TitleLevel};
use std::collections::HashMap;

/// Where a value is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Global,
    Committee(CommitteeId),
    Round(RoundId),
}

impl Scope {
    /// The stored form: a kind and an id (0 for global).
    pub fn parts(self) -> (&'static str, i64) {
        match self {
            Scope::Global => ("global", 0),
            Scope::Committee(c) => ("committee", c.0),
            Scope::Round(r) => ("round", r.0),
        }
    }

    pub fn from_parts(kind: &str, id: i64) -> Option<Scope> {
        match kind {
            "global" => Some(Scope::Global),
            "committee" => Some(Scope::Committee(CommitteeId(id))),
            "round" => Some(Scope::Round(RoundId(id))),
            _ => None,
        }
    }

    fn level(self) -> Level {
        match self {
            Scope::Global => Level::Global,
            Scope::Committee(_) => Level::Committee,
            Scope::Round(_) => Level::Round,
        }
    }
}

/// How far down a setting may be overridden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Global,
    Committee,
    Round,
}

/// A fraction of integers (2/3), never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    pub num: u32,
    pub den: u32,
}

impl Fraction {
    /// Whether `part` of `whole` reaches the fraction: `part × den ≥ num × whole`.
    pub fn reached(self, part: u32, whole: u32) -> bool {
        u64::from(part) * u64::from(self.den) >= u64::from(self.num) * u64::from(whole)
    }
}

impl std::fmt::Display for Fraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

/// A stored value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Count(u32),
    Fraction(Fraction),
    Flag(bool),
}

impl Value {
    /// The stored (and typed) text form: `5`, `2/3`, `是`/`否`.
    pub fn text(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Fraction(f) => f.to_string(),
            Value::Flag(true) => "是".into(),
            Value::Flag(false) => "否".into(),
        }
    }
}

/// What kind of value a setting takes, with its bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Count {
        min: u32,
        max: u32,
    },
    /// A fraction no lower than `min` (the national rule sets a floor; a committee may be
    /// stricter, never looser).
    Fraction {
        min: Fraction,
    },
    Flag,
}

macro_rules! settings {
    ($($variant:ident => $code:literal, $label:literal, $help:literal, $kind:expr, $default:expr, $deepest:expr;)+) => {
        /// A configurable number of the rules.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Setting { $($variant),+ }

        impl Setting {
            pub const ALL: [Setting; [$($code),+].len()] = [$(Setting::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $(Setting::$variant => $code),+ }
            }

            /// What it is, in the words of the rules.
            pub fn label(self) -> &'static str {
                match self { $(Setting::$variant => $label),+ }
            }

            /// Where the number comes from and what it governs.
            pub fn help(self) -> &'static str {
                match self { $(Setting::$variant => $help),+ }
            }

            pub fn kind(self) -> Kind {
                match self { $(Setting::$variant => $kind),+ }
            }

            /// The value when no scope sets one.
            pub fn default_value(self) -> Value {
                match self { $(Setting::$variant => $default),+ }
            }

            /// The narrowest scope that may override it.
            pub fn deepest(self) -> Level {
                match self { $(Setting::$variant => $deepest),+ }
            }
        }
    };
}

const fn count(min: u32, max: u32) -> Kind {
    Kind::Count { min, max }
}

const TWO_THIRDS_F: Fraction = Fraction { num: 2, den: 3 };
const TWO_THIRDS: Value = Value::Fraction(TWO_THIRDS_F);

settings! {
    EmployerPublicityDays => "employer_publicity_working_days", "单位内部公示最少工作日",
        "单位推荐前须公示的最少工作日数（全国规定不少于5个工作日）",
        count(5, 30), Value::Count(5), Level::Global;
    RevisionDays => "revision_working_days", "单位退回修改的默认期限（工作日）",
        "单位退回申报人修改时默认给予的工作日数",
        count(1, 60), Value::Count(10), Level::Global;
    CorrectionDays => "correction_working_days", "形式审查补正期限（工作日）",
        "评委会一次性告知补正时给予的工作日数，逾期未补正视为放弃",
        count(1, 60), Value::Count(10), Level::Round;
    ResultPublicityDays => "result_publicity_working_days", "评审结果公示最少工作日",
        "组建单位公示评审结果的最少工作日数（全国规定不少于5个工作日）",
        count(5, 30), Value::Count(5), Level::Round;
    ReexaminationDays => "reexamination_working_days", "申请复查期限（工作日）",
        "结果公布后可申请复查的工作日数（全国无统一规定，默认15个工作日）",
        count(1, 60), Value::Count(15), Level::Round;
    Quorum => "quorum", "评审会议法定人数（出席比例）",
        "出席评审会议的委员不少于评审委员会组成人数的该比例，会议方为有效（全国规定2/3）",
        Kind::Fraction { min: TWO_THIRDS_F }, TWO_THIRDS, Level::Round;
    PassFraction => "pass_fraction", "评审通过票数（占出席委员比例）",
        "赞成票不少于出席评审会议委员的该比例为通过（全国规定2/3）；弃权按不赞成计",
        Kind::Fraction { min: TWO_THIRDS_F }, TWO_THIRDS, Level::Round;
    RecusedCountPresent => "recused_count_present", "回避委员是否计入该申报的出席人数",
        "全国未作统一规定；会议纪要同时记录两种计数",
        Kind::Flag, Value::Flag(false), Level::Round;
    MinPanelSeniorSeries => "min_panel_senior_series", "高级评委会（按系列组建）最少委员人数",
        "全国规定不少于25人", count(25, 999), Value::Count(25), Level::Committee;
    MinPanelSeniorSpecialty => "min_panel_senior_specialty", "高级评委会（按专业组建）最少委员人数",
        "全国规定不少于11人", count(11, 999), Value::Count(11), Level::Committee;
    MinPanelIntermediate => "min_panel_intermediate", "中级评委会最少委员人数",
        "全国无统一规定，默认7人（省级批准的较小规模作为例外记录）",
        count(3, 999), Value::Count(7), Level::Committee;
    MinPanelJunior => "min_panel_junior", "初级评委会最少委员人数",
        "全国无统一规定，默认7人", count(3, 999), Value::Count(7), Level::Committee;
    MinExpertsPerApplication => "min_experts_per_application", "每份申报最少评审专家人数",
        "每份申报分配的评审专家不少于此数（无法组建评议组时至少委托3名同行专家）",
        count(3, 15), Value::Count(3), Level::Round;
    MaxCasesPerExpert => "max_cases_per_expert", "每位评审专家最多分配的申报数",
        "自动分配时每位专家承担的申报不超过此数（本系统的配置，全国无统一规定，默认30份）",
        count(1, 100_000), Value::Count(30), Level::Round;
    PeerReviewsAfterSubmit => "peer_reviews_after_submit", "专家提交评分后可查看同组其他专家的评分",
        "是：专家提交本人评分后，可以看到同一申报其他专家（不显示姓名）已提交的评分和意见；否：始终只能看到本人的评分",
        Kind::Flag, Value::Flag(true), Level::Round;
    DiscussionSpread => "discussion_spread_points", "评分极差提请讨论的阈值（分）",
        "同一申报各专家总分的极差（最高分减最低分）超过此分数的，排名表标注“讨论”，提请评审会议讨论（本系统的配置，默认15分）",
        count(1, 100), Value::Count(15), Level::Round;
    CalibrationMinShared => "calibration_min_shared", "专家评分校准的最少共同评审份数",
        "专家与评议组其他专家共同评审的申报少于此数时不计算 z 值，页面显示“样本不足”（默认5份）",
        count(2, 1000), Value::Count(5), Level::Round;
    CalibrationZFlag => "calibration_z_flag", "专家评分校准的提示阈值（z 值）",
        "专家总分与评议组其他专家均值之差的 z 值（平均差除以其标准误）绝对值超过此数的，标注“偏离”供讨论参考（默认2）；共同评审的申报较少时 z 值波动大，宜结合份数判断；校准不改变任何评分",
        count(1, 5), Value::Count(2), Level::Round;
    RegistrationMaxYears => "registration_max_years", "评委会核准备案有效期上限（年）",
        "评审委员会核准备案有效期最长3年，期满重新核准备案",
        count(1, 3), Value::Count(3), Level::Global;
    ExpertTermMaxYears => "expert_term_max_years", "评审专家任期上限（年）",
        "评审专家每届任期不超过3年", count(1, 3), Value::Count(3), Level::Global;
    FalsePledgeBarYears => "false_pledge_bar_years", "虚假承诺限制申报年限",
        "诚信承诺不实的，该年限内不得申报（人社部发〔2024〕56号，默认3年）",
        count(1, 10), Value::Count(3), Level::Global;
}

impl Setting {
    pub fn parse_code(code: &str) -> Option<Setting> {
        Setting::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether it may be set at that scope.
    pub fn settable_at(self, scope: Scope) -> bool {
        scope.level() <= self.deepest()
    }

    /// The value as typed (or stored), or what is wrong with it, in words for the field.
    pub fn parse_value(self, input: &str) -> Result<Value, String> {
        // A Chinese input method types full-width digits and slashes (９, ２／３): the same
        // numbers.
        let t: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '／' => '/',
                c => c,
            })
            .collect();
        let t = t.as_str();
        match self.kind() {
            Kind::Count { min, max } => match t.parse::<u32>() {
                Ok(n) if (min..=max).contains(&n) => Ok(Value::Count(n)),
                Ok(n) => Err(format!("应为 {min} 到 {max} 之间的整数，填写的是 {n}")),
                _ => Err(format!("“{t}”不是整数，请填写 {min} 到 {max} 之间的整数")),
            },
            Kind::Fraction { min } => {
                let parsed = t.split_once('/').and_then(|(n, d)| {
                    Some((n.trim().parse::<i64>().ok()?, d.trim().parse::<i64>().ok()?))
                });
                match parsed {
                    None => Err(format!("“{t}”不是分数，请按“分子/分母”填写，如 2/3")),
                    Some((_, d)) if d <= 0 || d > 100 => {
                        Err("分母应为 1 到 100 之间的整数，如 2/3".into())
                    }
                    Some((n, _)) if n <= 0 => Err("分子应大于 0，如 2/3".into()),
                    Some((n, d)) if n > d => Err(format!("比例不能大于 1：{n}/{d} 的分子大于分母")),
                    Some((n, d)) if !min.reached(n as u32, d as u32) => {
                        Err(format!("不能低于全国规定的 {min}：{n}/{d} 小于 {min}"))
                    }
                    Some((n, d)) => Ok(Value::Fraction(Fraction {
                        num: n as u32,
                        den: d as u32,
                    })),
                }
            }
            Kind::Flag => match t {
                "是" | "true" => Ok(Value::Flag(true)),
                "否" | "false" => Ok(Value::Flag(false)),
                _ => Err("请填写“是”或“否”（留空则沿用上级设置或默认值）".into()),
            },
        }
    }

    /// The stored text form of a value ([`Value::text`] for counts and fractions; flags as
    /// `true`/`false`).
    pub fn store_text(value: Value) -> String {
        match value {
            Value::Flag(b) => b.to_string(),
            v => v.text(),
        }
    }

    /// The minimum panel (本次评审委员会) for a committee reviewing `level`, organised by
    /// specialty or by whole series.
    pub fn min_panel(level: TitleLevel, by_specialty: bool) -> Setting {
        match (level, by_specialty) {
            (TitleLevel::AssociateSenior | TitleLevel::FullSenior, false) => {
                Setting::MinPanelSeniorSeries
            }
            (TitleLevel::AssociateSenior | TitleLevel::FullSenior, true) => {
                Setting::MinPanelSeniorSpecialty
            }
            (TitleLevel::Intermediate, _) => Setting::MinPanelIntermediate,
            (TitleLevel::Junior, _) => Setting::MinPanelJunior,
        }
    }
}

/// Every stored value, as read (the table is small: a few per scope).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    values: HashMap<(Scope, Setting), Value>,
}

/// Where an effective value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Default,
    Set(Scope),
}

impl Settings {
    /// From stored rows (scope, key, text); rows that no longer parse (a key removed, a bound
    /// tightened) are skipped, so the default or a wider scope applies.
    pub fn from_rows<'a>(rows: impl IntoIterator<Item = (Scope, &'a str, &'a str)>) -> Settings {
        let mut values = HashMap::new();
        for (scope, key, text) in rows {
            if let Some(setting) = Setting::parse_code(key) {
                if let (true, Ok(v)) = (setting.settable_at(scope), setting.parse_value(text)) {
                    values.insert((scope, setting), v);
                }
            }
        }
        Settings { values }
    }

    /// The value set exactly at a scope, if any.
    pub fn at(&self, scope: Scope, setting: Setting) -> Option<Value> {
        self.values.get(&(scope, setting)).copied()
    }

    /// What is stored at a scope, as one string: a form carries it, and a save from a form
    /// shown before someone else's save at that scope is refused rather than undoing it.
    pub fn fingerprint(&self, scope: Scope) -> String {
        Setting::ALL
            .into_iter()
            .filter(|s| s.settable_at(scope))
            .map(|s| match self.at(scope, s) {
                Some(v) => format!("{}={}", s.code(), Setting::store_text(v)),
                None => format!("{}=", s.code()),
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    /// The effective value for a round of a committee (either may be absent) and where it
    /// came from.
    pub fn resolve(
        &self,
        setting: Setting,
        committee: Option<CommitteeId>,
        round: Option<RoundId>,
    ) -> (Value, Source) {
        let scopes = [
            round.map(Scope::Round),
            committee.map(Scope::Committee),
            Some(Scope::Global),
        ];
        scopes
            .into_iter()
            .flatten()
            .find_map(|s| self.at(s, setting).map(|v| (v, Source::Set(s))))
            .unwrap_or((setting.default_value(), Source::Default))
    }

    /// A count setting's effective value (its default if the stored kind differs).
    pub fn count(
        &self,
        setting: Setting,
        committee: Option<CommitteeId>,
        round: Option<RoundId>,
    ) -> u32 {
        match (
            self.resolve(setting, committee, round).0,
            setting.default_value(),
        ) {
            (Value::Count(n), _) | (_, Value::Count(n)) => n,
            _ => 0,
        }
    }

    /// A fraction setting's effective value.
    pub fn fraction(
        &self,
        setting: Setting,
        committee: Option<CommitteeId>,
        round: Option<RoundId>,
    ) -> Fraction {
        match (
            self.resolve(setting, committee, round).0,
            setting.default_value(),
        ) {
            (Value::Fraction(f), _) | (_, Value::Fraction(f)) => f,
            _ => Fraction { num: 1, den: 1 },
        }
    }

    /// A flag setting's effective value.
    pub fn flag(
        &self,
        setting: Setting,
        committee: Option<CommitteeId>,
        round: Option<RoundId>,
    ) -> bool {
        match (
            self.resolve(setting, committee, round).0,
            setting.default_value(),
        ) {
            (Value::Flag(b), _) | (_, Value::Flag(b)) => b,
            _ => false,
        }
    }

    /// A global count (the employer stage's numbers, set only globally).
    pub fn global_count(&self, setting: Setting) -> u32 {
        self.count(setting, None, None)
    }
}

/// Every problem of a settings form: `(setting, text typed)` pairs, an empty text meaning "not
/// set here" (the wider scope applies). Field names are the settings' codes.
pub fn check_form(
    scope: Scope,
    typed: &[(Setting, String)],
) -> Result<Vec<(Setting, Option<Value>)>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut out = Vec::new();
    for (setting, text) in typed {
        if !setting.settable_at(scope) {
            errors.add(setting.code(), "此项不能在这一层级设置");
            continue;
        }
        if text.trim().is_empty() {
            out.push((*setting, None));
            continue;
        }
        match setting.parse_value(text) {
            Ok(v) => out.push((*setting, Some(v))),
            // The summary lists the problems of a whole table: each names its row.
            Err(m) => errors.add(setting.code(), format!("{}：{m}", setting.label())),
        }
    }
    errors.into_result(|| out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_compare_as_integers() {
        let two_thirds = Fraction { num: 2, den: 3 };
        assert!(two_thirds.reached(2, 3));
        assert!(!two_thirds.reached(1, 2));
        assert!(two_thirds.reached(14, 21));
        assert!(!two_thirds.reached(13, 20)); // 0.65 < 0.666…
        assert!(two_thirds.reached(0, 0));
        assert!(two_thirds.reached(u32::MAX, u32::MAX));
    }

    #[test]
    fn the_narrowest_scope_wins_and_defaults_follow_the_rules() {
        let c = CommitteeId(4);
        let r = RoundId(9);
        let s = Settings::from_rows([
            (Scope::Global, "correction_working_days", "12"),
            (Scope::Committee(c), "correction_working_days", "8"),
            (Scope::Round(r), "correction_working_days", "6"),
            (Scope::Round(r), "registration_max_years", "2"),
            (Scope::Global, "quorum", "3/4"),
            (Scope::Global, "min_panel_intermediate", "nonsense"),
        ]);
        assert_eq!(s.count(Setting::CorrectionDays, Some(c), Some(r)), 6);
        assert_eq!(s.count(Setting::CorrectionDays, Some(c), None), 8);
        assert_eq!(
            s.count(Setting::CorrectionDays, Some(CommitteeId(5)), None),
            12
        );
        // Not settable per round: the round's row is ignored.
        assert_eq!(s.count(Setting::RegistrationMaxYears, Some(c), Some(r)), 3);
        assert_eq!(
            s.fraction(Setting::Quorum, Some(c), Some(r)),
            Fraction { num: 3, den: 4 }
        );
        assert_eq!(s.count(Setting::MinPanelIntermediate, Some(c), None), 7);
        let none = Settings::default();
        assert_eq!(none.global_count(Setting::EmployerPublicityDays), 5);
        assert_eq!(
            none.fraction(Setting::PassFraction, None, None),
            Fraction { num: 2, den: 3 }
        );
        assert_eq!(
            none.count(
                Setting::min_panel(TitleLevel::FullSenior, false),
                None,
                None
            ),
            25
        );
        assert_eq!(
            none.count(
                Setting::min_panel(TitleLevel::AssociateSenior, true),
                None,
                None
            ),
            11
        );
    }

    #[test]
    fn typed_values_are_checked_beside_their_field() {
        let typed = vec![
            (Setting::Quorum, "3/2".to_string()),
            (Setting::CorrectionDays, "0".to_string()),
            (Setting::PassFraction, "".to_string()),
            (Setting::MinPanelSeniorSeries, "24".to_string()),
        ];
        let errors = check_form(Scope::Global, &typed).unwrap_err();
        let fields: Vec<&str> = errors.items().iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "quorum",
                "correction_working_days",
                "min_panel_senior_series"
            ]
        );
        assert!(errors
            .get("min_panel_senior_series")
            .unwrap()
            .contains("25"));
        let ok = check_form(
            Scope::Committee(CommitteeId(1)),
            &[(Setting::MinPanelIntermediate, " 9 ".into())],
        )
        .unwrap();
        assert_eq!(
            ok,
            vec![(Setting::MinPanelIntermediate, Some(Value::Count(9)))]
        );
        let refused = check_form(
            Scope::Committee(CommitteeId(1)),
            &[(Setting::EmployerPublicityDays, "7".into())],
        )
        .unwrap_err();
        assert!(refused.get("employer_publicity_working_days").is_some());
    }

    #[test]
    fn typed_values_are_read_as_people_type_them_and_refused_with_the_reason() {
        assert_eq!(
            Setting::Quorum.parse_value("２／３"),
            Ok(Value::Fraction(Fraction { num: 2, den: 3 }))
        );
        assert_eq!(
            Setting::MinPanelIntermediate.parse_value(" ９ "),
            Ok(Value::Count(9))
        );
        assert!(Setting::Quorum
            .parse_value("0/3")
            .unwrap_err()
            .contains("分子应大于 0"));
        assert!(Setting::Quorum
            .parse_value("3/2")
            .unwrap_err()
            .contains("不能大于 1"));
        // The national 2/3 is a floor: stricter is allowed, looser is not.
        assert!(Setting::PassFraction
            .parse_value("1/100")
            .unwrap_err()
            .contains("不能低于全国规定的 2/3"));
        assert!(Setting::Quorum.parse_value("66/100").is_err());
        assert!(Setting::Quorum.parse_value("67/100").is_ok());
        assert!(Setting::Quorum
            .parse_value("abc")
            .unwrap_err()
            .contains("不是分数"));
        assert!(Setting::MinPanelIntermediate
            .parse_value("-1")
            .unwrap_err()
            .contains("不是整数"));
        assert!(Setting::EmployerPublicityDays.parse_value("3").is_err());
        let e = check_form(Scope::Global, &[(Setting::Quorum, "3/2".into())]).unwrap_err();
        assert!(e.get("quorum").unwrap().starts_with("评审会议法定人数"));
    }
}
