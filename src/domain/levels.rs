//! Levels and results as the rules name them, each with one text form (its Chinese name).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares a closed set of values with one text form each; `parse` refuses any other text.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The one text form, as shown and as stored.
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.zh() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.zh())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.zh())
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

text_enum!(
    /// 职业技能等级 / 职业资格, from lowest to highest.
    SkillLevel {
        /// 高级工（三级）
        Senior => "高级工",
        /// 技师（二级）
        Technician => "技师",
        /// 高级技师（一级）
        SeniorTechnician => "高级技师",
    }
);

impl SkillLevel {
    /// The next level up, if any.
    pub fn next(self) -> Option<SkillLevel> {
        match self {
            SkillLevel::Senior => Some(SkillLevel::Technician),
            SkillLevel::Technician => Some(SkillLevel::SeniorTechnician),
            SkillLevel::SeniorTechnician => None,
        }
    }
}

text_enum!(
    /// 职称层级, from lowest to highest.
    TitleLevel {
        Junior => "初级",
        Intermediate => "中级",
        AssociateSenior => "副高级",
        FullSenior => "正高级",
    }
);

text_enum!(
    /// 年度考核结果.
    AssessmentResult {
        Excellent => "优秀",
        Good => "良好",
        Pass => "合格",
        Competent => "称职",
        BasicPass => "基本合格",
        BasicCompetent => "基本称职",
        Fail => "不合格",
        Incompetent => "不称职",
    }
);

impl AssessmentResult {
    /// 优秀, 良好, 合格, 称职 pass; the rest fail.
    pub fn passes(self) -> bool {
        matches!(
            self,
            AssessmentResult::Excellent
                | AssessmentResult::Good
                | AssessmentResult::Pass
                | AssessmentResult::Competent
        )
    }
}

text_enum!(
    /// 学历.
    Education {
        JuniorMiddle => "初中及以下",
        HighSchool => "高中",
        Vocational => "中专或技校",
        College => "大专",
        Bachelor => "本科",
        Graduate => "研究生",
    }
);

/// A level of either kind, as a verdict reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Title(TitleLevel),
    Skill(SkillLevel),
}

impl Level {
    pub fn zh(self) -> &'static str {
        match self {
            Level::Title(l) => l.zh(),
            Level::Skill(l) => l.zh(),
        }
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
        let s = String::deserialize(d)?;
        TitleLevel::parse(&s)
            .map(Level::Title)
            .or_else(|| SkillLevel::parse(&s).map(Level::Skill))
            .ok_or_else(|| serde::de::Error::custom(format!("unknown level {s:?}")))
    }
}

impl Serialize for Level {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.zh())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_has_one_text_form() {
        for l in SkillLevel::ALL {
            assert_eq!(SkillLevel::parse(l.zh()), Some(l));
        }
        assert_eq!(TitleLevel::parse("高级"), None);
        assert_eq!(
            serde_json::to_string(&AssessmentResult::Good).unwrap(),
            "\"良好\""
        );
        assert!(serde_json::from_str::<Education>("\"博士后\"").is_err());
        assert!(SkillLevel::Senior < SkillLevel::Technician);
        assert!(!AssessmentResult::BasicPass.passes());
    }
}
