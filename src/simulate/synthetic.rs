//! A synthetic city of a chosen size with constraints that bind: the instance
//! family of the solver benchmarks (`benches/solve.rs`, `participa export`).

use std::collections::BTreeMap;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::{
    CategoryLimit, Constraints, Delegate, District, Group, Pool, Proposal, Quorum, Ranking,
    RuleName, Scenario, Settings,
};
use crate::scoring::ScoringRule;
use crate::scoring::formula::{DEFAULT_THEMES, Formula};

/// Shape of a benchmark city.
#[derive(Debug, Clone)]
pub struct BenchCity {
    pub proposals: usize,
    pub districts: usize,
    /// Share of proposals that are indivisible (0 for a pure LP, 1 for a pure MILP).
    pub indivisible: f64,
    pub seed: u64,
}

/// A standard normal draw (Box-Muller), so no distribution crate is needed.
pub fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

impl BenchCity {
    /// Builds the scenario: log-normal costs around 1 million, a pool of 40% of
    /// all costs, floors at 80% of need-weighted entitlements, a 25% cap on
    /// paving, and a renters' quorum on their delegates' top 3, so that floors
    /// and the quorum bind.
    pub fn scenario(&self) -> Scenario {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let nd = self.districts.max(1);
        let districts: Vec<District> = (0..nd)
            .map(|d| {
                let poverty: f64 = rng.random_range(0.05..0.5);
                let gap = (poverty + rng.random_range(-0.1..0.2)).clamp(0.0, 1.0);
                let need = (0.5 * poverty + 0.5 * gap + 0.1).clamp(0.0, 1.0);
                let indicators = [
                    ("need".to_string(), need),
                    ("poverty".to_string(), poverty),
                    ("infrastructure_gap".to_string(), gap),
                ]
                .into_iter()
                .collect();
                District {
                    id: format!("d{d:03}"),
                    name: format!("District {d}"),
                    population: (10_000.0 * (0.6 * normal(&mut rng)).exp() * 5.0).round(),
                    indicators,
                    group_shares: BTreeMap::new(),
                    parent: None,
                }
            })
            .collect();
        let proposals: Vec<Proposal> = (0..self.proposals)
            .map(|p| {
                let divisible = rng.random_range(0.0..1.0) >= self.indivisible;
                Proposal {
                    id: format!("p{p:05}"),
                    title: format!("Proposal {p}"),
                    district: Some(p % nd),
                    category: DEFAULT_THEMES[rng.random_range(0..DEFAULT_THEMES.len())].into(),
                    cost: (1_000_000.0 * (0.5 * normal(&mut rng)).exp() / 1_000.0).round()
                        * 1_000.0,
                    divisible,
                    min_share: None,
                }
            })
            .collect();
        let total: f64 = proposals.iter().map(|p| p.cost).sum();
        // Enough delegates per district that most proposals are ranked: 3, plus one
        // per 8 proposals; each ranks up to 8 of the district's proposals. Every
        // third delegate is a renter.
        let mut delegates = Vec::new();
        for d in 0..nd {
            let own: Vec<usize> = (d..self.proposals).step_by(nd).collect();
            for k in 0..3 + own.len() / 8 {
                let mut ids = own.clone();
                for i in (1..ids.len()).rev() {
                    let j = rng.random_range(0..=i);
                    ids.swap(i, j);
                }
                ids.truncate(8);
                delegates.push(Delegate {
                    id: format!("v{d:03}-{k}"),
                    district: d,
                    group: Some(usize::from(k % 3 == 0)),
                    ranking: Ranking {
                        tiers: ids.into_iter().map(|p| vec![p]).collect(),
                    },
                });
            }
        }
        let pool = (0.4 * total).round();
        // The renters' quorum asks for 60% of what their delegates' top 3 cost (at
        // most 30% of the pool): reachable, and above what they get without it.
        let mut top = vec![false; proposals.len()];
        for del in delegates.iter().filter(|d| d.group == Some(1)) {
            for p in del.ranking.top(3) {
                top[p] = true;
            }
        }
        let top_cost: f64 = proposals
            .iter()
            .zip(&top)
            .filter(|(_, t)| **t)
            .map(|(p, _)| p.cost)
            .sum();
        let quorum = (0.6 * top_cost / pool).min(0.3);
        Scenario {
            name: format!("bench-{}x{}-{}", self.proposals, nd, self.seed),
            description: "synthetic benchmark city".into(),
            source: None,
            pool: Pool {
                amount: pool,
                currency: "EUR".into(),
            },
            sources: Vec::new(),
            districts,
            proposals,
            delegates,
            groups: vec![
                Group {
                    id: "owners".into(),
                    name: "Owners".into(),
                    population_share: Some(0.5),
                    turnout_share: None,
                },
                Group {
                    id: "renters".into(),
                    name: "Renters".into(),
                    population_share: Some(0.5),
                    turnout_share: None,
                },
            ],
            formula: Formula::default(),
            formula_levels: BTreeMap::new(),
            settings: Settings {
                scoring: ScoringRule::Borda,
                reweight_groups: false,
                rule: RuleName::Optimal,
                need_weighted_objective: false,
            },
            constraints: Constraints {
                entitlement_floor: 0.8,
                district_floors: vec![None; nd],
                district_caps: vec![None; nd],
                categories: vec![CategoryLimit {
                    category: "paving".into(),
                    min_share: None,
                    max_share: Some(0.25),
                }],
                quorums: vec![Quorum {
                    group: 1,
                    top_k: 3,
                    min_share: quorum,
                }],
            },
            seed: self.seed,
        }
    }
}
