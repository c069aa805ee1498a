//! PURE rules of 沪人社专〔2021〕312号: who may apply for what, and why, clause by clause.
//!
//! No web or database imports: the catalogue comes in as a plain struct ([`Catalogue`]) and the
//! answer goes out as data ([`Verdict`]) that the pages, the checker and the workflow all show.

pub mod catalogue;
pub mod engine;
pub mod seniority;
pub mod types;

pub use catalogue::{Catalogue, Correspondence, HonourDef};
pub use engine::{
    assessment_years, evaluate, Condition, Route, RouteKind, RouteStatus, Unmet, Verdict,
};
pub use types::*;

/// A clause of the measures: its id as the text numbers it, and its Chinese title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clause {
    pub id: &'static str,
    pub title: &'static str,
}

pub const CLAUSES: [Clause; 7] = [
    Clause {
        id: "§1.2.3",
        title: "坚持专业一致",
    },
    Clause {
        id: "§2.1",
        title: "扩大贯通领域",
    },
    Clause {
        id: "§2.2.2",
        title: "基本要求",
    },
    Clause {
        id: "§2.2.3",
        title: "任职资历条件",
    },
    Clause {
        id: "§2.2.4",
        title: "建立绿色通道",
    },
    Clause {
        id: "§2.3.1",
        title: "参评条件",
    },
    Clause {
        id: "§2.3.2",
        title: "考评要求",
    },
];

/// The Chinese title of a clause id ("" for an id not in the table).
pub fn clause_title(id: &str) -> &'static str {
    CLAUSES
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.title)
        .unwrap_or("")
}

#[cfg(test)]
mod tests;
