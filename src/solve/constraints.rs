//! The equity constraints of a scenario as data: which proposals each one
//! counts, its bound in currency, and whether it is a floor (soft, `>=`) or a
//! cap (hard, `<=`). The `optimal` program is built from these, and every
//! rule's result is checked against them, so a greedy allocation reports the
//! same shortfalls the LP would have had to avoid.

use serde::{Deserialize, Serialize};

use crate::model::Scenario;

/// What a constraint is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConstraintKind {
    /// Total funding <= pool.
    Budget,
    /// Funding in a district >= alpha x its entitlement (capped at what it can absorb).
    DistrictFloor,
    /// Funding in a district <= its cap.
    DistrictCap,
    /// Funding in a category >= its minimum share of the pool.
    CategoryMin,
    /// Funding in a category <= its maximum share of the pool.
    CategoryCap,
    /// Funding of proposals in a group's delegates' top k >= its quorum share.
    Quorum,
}

impl ConstraintKind {
    /// Floors and quorums are lower bounds: soft in the program, reported when missed.
    pub fn is_floor(self) -> bool {
        matches!(
            self,
            ConstraintKind::DistrictFloor | ConstraintKind::CategoryMin | ConstraintKind::Quorum
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ConstraintKind::Budget => "budget",
            ConstraintKind::DistrictFloor => "district-floor",
            ConstraintKind::DistrictCap => "district-cap",
            ConstraintKind::CategoryMin => "category-min",
            ConstraintKind::CategoryCap => "category-cap",
            ConstraintKind::Quorum => "quorum",
        }
    }
}

/// One constraint: the sum of the funded amounts of `members` against `bound`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintSpec {
    /// Stable id, e.g. `floor:north`, `quorum:renters`.
    pub id: String,
    pub kind: ConstraintKind,
    /// The district, category or group id (`pool` for the budget).
    pub subject: String,
    /// Proposal indices counted.
    pub members: Vec<usize>,
    /// In currency.
    pub bound: f64,
}

impl ConstraintSpec {
    /// Funded amount counted by this constraint under shares `x`.
    pub fn activity(&self, costs: &[f64], x: &[f64]) -> f64 {
        self.members.iter().map(|&p| costs[p] * x[p]).sum()
    }

    /// Total cost of the members: the most this constraint can ever count.
    pub fn capacity(&self, costs: &[f64]) -> f64 {
        self.members.iter().map(|&p| costs[p]).sum()
    }
}

/// Proposals in the top `k` of at least one delegate of group `g`.
pub fn quorum_members(scenario: &Scenario, group: usize, k: usize) -> Vec<usize> {
    let mut set = vec![false; scenario.proposals.len()];
    for d in scenario.delegates.iter().filter(|d| d.group == Some(group)) {
        for p in d.ranking.top(k) {
            set[p] = true;
        }
    }
    (0..set.len()).filter(|&p| set[p]).collect()
}

/// Every constraint of the scenario, the budget first. `shares` are the
/// districts' entitlement shares.
pub fn constraint_specs(scenario: &Scenario, shares: &[f64]) -> Vec<ConstraintSpec> {
    let pool = scenario.pool.amount;
    let costs: Vec<f64> = scenario.proposals.iter().map(|p| p.cost).collect();
    let mut specs = vec![ConstraintSpec {
        id: "budget".into(),
        kind: ConstraintKind::Budget,
        subject: "pool".into(),
        members: (0..costs.len()).collect(),
        bound: pool,
    }];
    let c = &scenario.constraints;
    for (d, district) in scenario.districts.iter().enumerate() {
        // A district counts its own proposals and those of districts nested in it.
        let members: Vec<usize> = (0..costs.len())
            .filter(|&p| {
                scenario.proposals[p]
                    .district
                    .is_some_and(|pd| scenario.is_within(pd, d))
            })
            .collect();
        let absorb: f64 = members.iter().map(|&p| costs[p]).sum();
        let wanted = c
            .district_floors
            .get(d)
            .copied()
            .flatten()
            .unwrap_or(c.entitlement_floor * pool * shares[d]);
        let floor = wanted.min(absorb);
        if floor > 0.0 {
            specs.push(ConstraintSpec {
                id: format!("floor:{}", district.id),
                kind: ConstraintKind::DistrictFloor,
                subject: district.id.clone(),
                members: members.clone(),
                bound: floor,
            });
        }
        if let Some(cap) = c.district_caps.get(d).copied().flatten() {
            specs.push(ConstraintSpec {
                id: format!("cap:{}", district.id),
                kind: ConstraintKind::DistrictCap,
                subject: district.id.clone(),
                members,
                bound: cap * pool,
            });
        }
    }
    for cat in &c.categories {
        let members: Vec<usize> = (0..costs.len())
            .filter(|&p| scenario.proposals[p].category == cat.category)
            .collect();
        if let Some(lo) = cat.min_share.filter(|v| *v > 0.0) {
            specs.push(ConstraintSpec {
                id: format!("category-min:{}", cat.category),
                kind: ConstraintKind::CategoryMin,
                subject: cat.category.clone(),
                members: members.clone(),
                bound: lo * pool,
            });
        }
        if let Some(hi) = cat.max_share {
            specs.push(ConstraintSpec {
                id: format!("category-cap:{}", cat.category),
                kind: ConstraintKind::CategoryCap,
                subject: cat.category.clone(),
                members,
                bound: hi * pool,
            });
        }
    }
    for q in &c.quorums {
        if q.min_share <= 0.0 {
            continue;
        }
        let group = &scenario.groups[q.group];
        specs.push(ConstraintSpec {
            id: format!("quorum:{}", group.id),
            kind: ConstraintKind::Quorum,
            subject: group.id.clone(),
            members: quorum_members(scenario, q.group, q.top_k),
            bound: q.min_share * pool,
        });
    }
    specs
}

/// Plain-language reasons why floors and quorums cannot all be met: each line
/// names the constraints in conflict and by how much.
pub fn diagnose(scenario: &Scenario, specs: &[ConstraintSpec]) -> Vec<String> {
    let pool = scenario.pool.amount;
    let cur = &scenario.pool.currency;
    let costs: Vec<f64> = scenario.proposals.iter().map(|p| p.cost).collect();
    let fmt = crate::report::format_amount;
    let mut out = Vec::new();
    let floors: f64 = specs
        .iter()
        .filter(|s| s.kind == ConstraintKind::DistrictFloor)
        .map(|s| s.bound)
        .sum();
    if floors > pool * (1.0 + 1e-12) {
        out.push(format!(
            "district floors require {} {cur} in total, {} {cur} more than the pool of {} {cur}: lower entitlement_floor or district_floors by at least that much",
            fmt(floors),
            fmt(floors - pool),
            fmt(pool),
        ));
    }
    let mins: f64 = specs
        .iter()
        .filter(|s| s.kind == ConstraintKind::CategoryMin)
        .map(|s| s.bound)
        .sum();
    if mins > pool * (1.0 + 1e-12) {
        out.push(format!(
            "category minimums require {} {cur}, {} {cur} more than the pool",
            fmt(mins),
            fmt(mins - pool)
        ));
    }
    for s in specs.iter().filter(|s| s.kind.is_floor()) {
        let mut capacity = s.capacity(&costs);
        let mut why = "its proposals cost only".to_string();
        // A district floor is also limited by that district's cap.
        if s.kind == ConstraintKind::DistrictFloor {
            if let Some(cap) = specs
                .iter()
                .find(|c| c.kind == ConstraintKind::DistrictCap && c.subject == s.subject)
            {
                if cap.bound < capacity {
                    capacity = cap.bound;
                    why = format!("its cap ({}) allows only", cap.id);
                }
            }
        }
        if s.bound > pool && capacity >= pool {
            capacity = pool;
            why = "the pool is only".into();
        }
        if capacity + 1e-9 * pool < s.bound {
            out.push(format!(
                "{} needs {} {cur} but {why} {} {cur} (short by {} {cur})",
                s.id,
                fmt(s.bound),
                fmt(capacity),
                fmt(s.bound - capacity)
            ));
        }
    }
    out
}
