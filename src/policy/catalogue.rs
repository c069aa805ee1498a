//! The catalogues the rules read: series open to the pathway (§2.1), occupation ↔ series/specialty
//! rows (§1.2.3, wildcard rows included) and the honours of §2.2.4 with their levels. The database
//! keeps them (an administrator can change them); the engine reads this plain struct.

use super::types::TitleLevel;
use std::collections::{HashMap, HashSet};

/// One row of the correspondence table; `occupation: None` is a `*` row (every occupation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correspondence {
    pub occupation: Option<String>,
    pub series: String,
    pub specialty: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HonourDef {
    pub name: String,
    pub level: TitleLevel,
}

/// Series known to the system and whether each is open to the pathway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesDef {
    pub name: String,
    pub open: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    series: Vec<SeriesDef>,
    correspondences: Vec<Correspondence>,
    honours: Vec<HonourDef>,
    open: HashSet<String>,
    pairs: HashSet<(String, String)>,
    wildcard_series: HashSet<String>,
    specialties_of: HashMap<String, HashSet<(String, String)>>,
    /// The keys of `specialties_of`, sorted once (pick lists show them on every form view).
    occupations: Vec<String>,
    honour_level: HashMap<String, TitleLevel>,
}

/// The series §2.1 opens to the pathway, in the text's order.
pub const OPEN_SERIES: [&str; 9] = [
    "工程",
    "农业",
    "工艺美术",
    "文物博物",
    "实验技术",
    "艺术",
    "体育",
    "中等职业学校教师",
    "技工院校教师",
];

/// Other series people commonly ask about; shipped closed so that the refusal cites §2.1.
pub const CLOSED_SERIES: [&str; 6] = ["经济", "会计", "统计", "卫生技术", "高等学校教师", "新闻"];

/// The honour catalogue of RULES.md, exact names.
pub const HONOURS: [(&str, TitleLevel); 12] = [
    ("上海市技术能手", TitleLevel::Junior),
    ("上海市首席技师资助获得者", TitleLevel::Junior),
    ("上海市杰出技术能手", TitleLevel::Intermediate),
    ("上海市技能大师工作室带头人", TitleLevel::Intermediate),
    ("国家级技能大师工作室带头人", TitleLevel::AssociateSenior),
    ("全国技术能手", TitleLevel::AssociateSenior),
    ("世界技能大赛金牌获得者", TitleLevel::AssociateSenior),
    ("世界技能大赛银牌获得者", TitleLevel::AssociateSenior),
    ("世界技能大赛铜牌获得者", TitleLevel::AssociateSenior),
    (
        "世界技能大赛中国技术指导专家组组长",
        TitleLevel::AssociateSenior,
    ),
    ("中华技能大奖获得者", TitleLevel::FullSenior),
    ("享受国务院政府特殊津贴人员", TitleLevel::FullSenior),
];

/// The shipped occupation ↔ series/specialty table.
pub const OCCUPATIONS_CSV: &str = include_str!("defaults/occupations.csv");

impl Catalogue {
    pub fn new(
        series: Vec<SeriesDef>,
        correspondences: Vec<Correspondence>,
        honours: Vec<HonourDef>,
    ) -> Catalogue {
        let open = series
            .iter()
            .filter(|s| s.open)
            .map(|s| s.name.clone())
            .collect();
        let mut pairs = HashSet::new();
        let mut wildcard_series = HashSet::new();
        let mut specialties_of: HashMap<String, HashSet<(String, String)>> = HashMap::new();
        for c in &correspondences {
            match &c.occupation {
                Some(o) => {
                    pairs.insert((o.clone(), c.series.clone()));
                    specialties_of
                        .entry(o.clone())
                        .or_default()
                        .insert((c.series.clone(), c.specialty.clone()));
                }
                None => {
                    wildcard_series.insert(c.series.clone());
                }
            }
        }
        let honour_level = honours.iter().map(|h| (h.name.clone(), h.level)).collect();
        let mut occupations: Vec<String> = specialties_of.keys().cloned().collect();
        occupations.sort_unstable();
        Catalogue {
            series,
            correspondences,
            honours,
            open,
            pairs,
            wildcard_series,
            specialties_of,
            occupations,
            honour_level,
        }
    }

    /// The shipped defaults: RULES.md's lists and occupations.csv.
    pub fn shipped() -> Catalogue {
        let series = OPEN_SERIES
            .iter()
            .map(|s| SeriesDef {
                name: s.to_string(),
                open: true,
            })
            .chain(CLOSED_SERIES.iter().map(|s| SeriesDef {
                name: s.to_string(),
                open: false,
            }))
            .collect();
        let honours = HONOURS
            .iter()
            .map(|(n, l)| HonourDef {
                name: n.to_string(),
                level: *l,
            })
            .collect();
        Catalogue::new(
            series,
            parse_correspondences(OCCUPATIONS_CSV).expect("the shipped table is valid"),
            honours,
        )
    }

    pub fn series(&self) -> &[SeriesDef] {
        &self.series
    }

    pub fn correspondences(&self) -> &[Correspondence] {
        &self.correspondences
    }

    pub fn honours(&self) -> &[HonourDef] {
        &self.honours
    }

    /// §2.1: the series is open to the pathway.
    pub fn series_open(&self, series: &str) -> bool {
        self.open.contains(series)
    }

    /// The occupation corresponds to the series: a row for the pair, or a `*` row for the series.
    pub fn corresponds(&self, occupation: &str, series: &str) -> bool {
        self.wildcard_series.contains(series)
            || self
                .pairs
                .contains(&(occupation.to_string(), series.to_string()))
    }

    /// Two occupations are related when they are the same or share a (series, specialty) row other
    /// than a `*` row.
    pub fn related(&self, a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        match (self.specialties_of.get(a), self.specialties_of.get(b)) {
            (Some(x), Some(y)) => x.iter().any(|k| y.contains(k)),
            _ => false,
        }
    }

    pub fn honour_level(&self, name: &str) -> Option<TitleLevel> {
        self.honour_level.get(name).copied()
    }

    /// The specialties the correspondence rows name for a series, sorted.
    pub fn specialties(&self, series: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .correspondences
            .iter()
            .filter(|c| c.series == series && !c.specialty.is_empty())
            .map(|c| c.specialty.as_str())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The occupations whose rows name the series, sorted (a committee's scope is chosen from
    /// them).
    pub fn occupations_of(&self, series: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .correspondences
            .iter()
            .filter(|c| c.series == series)
            .filter_map(|c| c.occupation.as_deref())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every occupation named in a row, sorted, for pick lists.
    pub fn occupations(&self) -> Vec<&str> {
        self.occupations.iter().map(String::as_str).collect()
    }
}

/// Reads `occupation,series,specialty` rows (with a header line); `*` is the wildcard.
pub fn parse_correspondences(csv_text: &str) -> Result<Vec<Correspondence>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(csv_text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("line {}: {e}", i + 2))?;
        let field = |n: usize| record.get(n).unwrap_or("").to_string();
        let (occupation, series, specialty) = (field(0), field(1), field(2));
        if occupation.is_empty() || series.is_empty() {
            return Err(format!(
                "line {}: occupation and series are required",
                i + 2
            ));
        }
        rows.push(Correspondence {
            occupation: (occupation != "*").then_some(occupation),
            series,
            specialty,
        });
    }
    Ok(rows)
}

impl crate::domain::committee::SeriesFacts for Catalogue {
    fn has_series(&self, series: &str) -> bool {
        self.series.iter().any(|s| s.name == series)
    }

    fn has_specialty(&self, series: &str, specialty: &str) -> bool {
        self.correspondences
            .iter()
            .any(|c| c.series == series && c.specialty == specialty)
    }

    fn occupation_in(&self, series: &str, occupation: &str) -> bool {
        self.correspondences
            .iter()
            .any(|c| c.series == series && c.occupation.as_deref() == Some(occupation))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table() {
        let c = Catalogue::shipped();
        assert!(c.series_open("工程") && c.series_open("技工院校教师"));
        assert!(!c.series_open("会计") && !c.series_open("不存在"));
        assert!(c.corresponds("焊工", "工程"));
        assert!(!c.corresponds("焊工", "农业"));
        // Wildcard series: every occupation corresponds to the teacher series.
        assert!(
            c.corresponds("焊工", "技工院校教师") && c.corresponds("任何职业", "中等职业学校教师")
        );
        // An occupation in two series.
        assert!(c.corresponds("化学检验员", "工程") && c.corresponds("化学检验员", "实验技术"));
        // Related: same (series, specialty); `*` rows never relate.
        assert!(c.related("车工", "焊工"));
        assert!(!c.related("车工", "电工"));
        assert!(c.related("化学检验员", "化工总控工"));
        assert!(!c.related("物理性能检验员", "化学检验员"));
        assert!(c.related("某职业", "某职业"));
        assert_eq!(
            c.honour_level("全国技术能手"),
            Some(TitleLevel::AssociateSenior)
        );
        assert_eq!(c.honours().len(), 12);
    }
}
