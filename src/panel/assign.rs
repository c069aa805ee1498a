//! PURE assignment of a round's panel members to its applications: each application gets the
//! round's minimum of experts, the load balanced under a per-expert cap, never a member with a
//! standing conflict (confirmed, or possible and not yet dismissed) or one recused from the
//! case, a member of the application's specialty preferred. Deterministic: the same input gives
//! the same plan, so a test (or the office) can predict it.

use std::collections::{HashMap, HashSet};

/// An application as the planner sees it.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: i64,
    pub specialty: String,
    /// Members reviewing it now.
    pub assigned: Vec<i64>,
    /// Members who may not review it (a standing conflict, a recusal).
    pub barred: Vec<i64>,
}

/// A panel member as the planner sees them.
#[derive(Debug, Clone)]
pub struct Expert {
    pub entry: i64,
    pub specialty: String,
    /// Cases in the round they review now.
    pub load: usize,
}

/// An application the plan could not bring to the minimum, and why in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncovered {
    pub case: i64,
    pub have: usize,
    pub why: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// (case, member) pairs to add, in the order chosen.
    pub added: Vec<(i64, i64)>,
    pub uncovered: Vec<Uncovered>,
}

/// Plans the round: most constrained cases first (fewest members left who could take them),
/// then by id; for each, the members it still needs from those not barred and under the cap,
/// specialty first, then lightest load, then pool order.
pub fn plan(cases: &[Case], experts: &[Expert], minimum: usize, cap: usize) -> Plan {
    let mut load: HashMap<i64, usize> = experts.iter().map(|e| (e.entry, e.load)).collect();
    let on_panel: HashSet<i64> = experts.iter().map(|e| e.entry).collect();
    let open = |c: &Case| {
        experts
            .iter()
            .filter(|e| !c.assigned.contains(&e.entry) && !c.barred.contains(&e.entry))
            .count()
    };
    let mut order: Vec<&Case> = cases
        .iter()
        .filter(|c| current(c, &on_panel) < minimum)
        .collect();
    order.sort_by_key(|c| (open(c), c.id));
    let mut out = Plan::default();
    for c in order {
        let have = current(c, &on_panel);
        let need = minimum - have;
        let mut choices: Vec<&Expert> = experts
            .iter()
            .filter(|e| !c.assigned.contains(&e.entry) && !c.barred.contains(&e.entry))
            .filter(|e| load[&e.entry] < cap)
            .collect();
        choices.sort_by_key(|e| {
            (
                // false sorts first: the same specialty.
                c.specialty.is_empty() || e.specialty != c.specialty,
                load[&e.entry],
                e.entry,
            )
        });
        let taken: Vec<i64> = choices.iter().take(need).map(|e| e.entry).collect();
        for &e in &taken {
            *load.get_mut(&e).expect("a panel member") += 1;
            out.added.push((c.id, e));
        }
        if taken.len() < need {
            out.uncovered.push(Uncovered {
                case: c.id,
                have: have + taken.len(),
                why: explain(c, experts, &load, cap, minimum, have + taken.len()),
            });
        }
    }
    out
}

/// Members of the panel reviewing the case now.
fn current(c: &Case, on_panel: &HashSet<i64>) -> usize {
    c.assigned.iter().filter(|e| on_panel.contains(e)).count()
}

/// Why a case has fewer than `minimum` experts: the panel, who is barred, who is full.
pub fn explain(
    c: &Case,
    experts: &[Expert],
    load: &HashMap<i64, usize>,
    cap: usize,
    minimum: usize,
    have: usize,
) -> String {
    let barred = experts
        .iter()
        .filter(|e| c.barred.contains(&e.entry) && !c.assigned.contains(&e.entry))
        .count();
    let full = experts
        .iter()
        .filter(|e| !c.barred.contains(&e.entry) && !c.assigned.contains(&e.entry))
        .filter(|e| load[&e.entry] >= cap)
        .count();
    format!(
        "需要 {minimum} 名评审专家，现有 {have} 名：本次评审委员会共 {} 人，其中 {barred} 人存在利益冲突或已回避，{full} 人已达每人 {cap} 份的分配上限",
        experts.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: i64, specialty: &str, barred: &[i64]) -> Case {
        Case {
            id,
            specialty: specialty.into(),
            assigned: vec![],
            barred: barred.to_vec(),
        }
    }

    fn expert(entry: i64, specialty: &str) -> Expert {
        Expert {
            entry,
            specialty: specialty.into(),
            load: 0,
        }
    }

    #[test]
    fn every_case_gets_its_minimum_with_the_load_balanced() {
        let experts: Vec<Expert> = (1..=6).map(|e| expert(e, "")).collect();
        let cases: Vec<Case> = (100..110).map(|c| case(c, "", &[])).collect();
        let p = plan(&cases, &experts, 3, 10);
        assert!(p.uncovered.is_empty());
        assert_eq!(p.added.len(), 30);
        let mut load: HashMap<i64, usize> = HashMap::new();
        for (_, e) in &p.added {
            *load.entry(*e).or_default() += 1;
        }
        assert!(load.values().all(|&n| n == 5), "{load:?}");
    }

    #[test]
    fn a_barred_member_is_never_chosen_and_the_case_is_named() {
        let experts: Vec<Expert> = (1..=3).map(|e| expert(e, "")).collect();
        let p = plan(&[case(7, "", &[2])], &experts, 3, 10);
        assert!(!p.added.iter().any(|&(_, e)| e == 2));
        assert_eq!(p.added.len(), 2);
        assert_eq!(p.uncovered.len(), 1);
        assert_eq!(p.uncovered[0].case, 7);
        assert_eq!(p.uncovered[0].have, 2);
        assert!(
            p.uncovered[0].why.contains("1 人存在利益冲突"),
            "{}",
            p.uncovered[0].why
        );
    }

    #[test]
    fn the_cap_holds_and_specialty_is_preferred() {
        let experts = vec![
            expert(1, "焊接"),
            expert(2, "机械"),
            expert(3, "机械"),
            expert(4, "机械"),
        ];
        let p = plan(&[case(1, "焊接", &[])], &experts, 3, 5);
        assert_eq!(p.added[0], (1, 1), "the specialist first");
        let cases: Vec<Case> = (1..=3).map(|c| case(c, "", &[])).collect();
        let p = plan(&cases, &experts[..3], 3, 2);
        assert_eq!(p.added.len(), 6);
        assert_eq!(p.uncovered.len(), 1);
        assert!(p.uncovered[0].why.contains("已达每人 2 份"));
    }

    #[test]
    fn cases_already_at_their_minimum_are_left_alone() {
        let experts: Vec<Expert> = (1..=3).map(|e| expert(e, "")).collect();
        let mut c = case(1, "", &[]);
        c.assigned = vec![1, 2, 3];
        assert_eq!(plan(&[c], &experts, 3, 10), Plan::default());
    }
}
