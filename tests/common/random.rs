//! Random small cities for property tests: seeded (ChaCha8), so every failure
//! names the seed that reproduces it.
#![allow(dead_code)]

use std::collections::BTreeMap;

use participa::model::{
    CategoryLimit, Constraints, Delegate, District, Group, Pool, Proposal, Quorum, Ranking,
    RuleName, Scenario, Settings,
};
use participa::scoring::{ScoringRule, formula::Formula};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What a random city may contain beyond indivisible proposals, floors, a
/// category cap and a quorum. The default adds nothing, so the base instance
/// family (and its random stream) stays the one the brute-force test uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras {
    /// Probability that a proposal is divisible.
    pub divisible: f64,
    /// Give some divisible proposals a minimum share.
    pub min_shares: bool,
    /// District caps and a category minimum.
    pub caps_and_minimums: bool,
}

/// A random city: 2-4 districts, 3-12 proposals (15% citywide) in two
/// categories, integer costs 10..100, a pool of 30-70% of the costs, 2-6
/// delegates ranking up to 5 proposals, floors at 0, 0.3, 0.6 or 0.9 of
/// population entitlements, a cap on category `a`, a quorum for group 1.
pub fn instance(seed: u64) -> Scenario {
    instance_with(seed, Extras::default())
}

pub fn instance_with(seed: u64, extras: Extras) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let nd = rng.random_range(2..=4usize);
    let np = rng.random_range(3..=12usize);
    let districts: Vec<District> = (0..nd)
        .map(|d| District {
            id: format!("d{d}"),
            name: format!("d{d}"),
            population: rng.random_range(1_000..20_000) as f64,
            indicators: BTreeMap::new(),
            group_shares: BTreeMap::new(),
            parent: None,
        })
        .collect();
    let proposals: Vec<Proposal> = (0..np)
        .map(|p| Proposal {
            id: format!("p{p:02}"),
            title: String::new(),
            district: if rng.random_bool(0.15) {
                None
            } else {
                Some(rng.random_range(0..nd))
            },
            category: if rng.random_bool(0.5) {
                "a".into()
            } else {
                "b".into()
            },
            cost: rng.random_range(10..100) as f64,
            divisible: false,
            min_share: None,
        })
        .collect();
    let total: f64 = proposals.iter().map(|p| p.cost).sum();
    let pool = (total * rng.random_range(0.3..0.7)).floor().max(10.0);
    let groups = vec![
        Group {
            id: "g0".into(),
            name: "g0".into(),
            population_share: Some(0.5),
            turnout_share: None,
        },
        Group {
            id: "g1".into(),
            name: "g1".into(),
            population_share: Some(0.5),
            turnout_share: None,
        },
    ];
    let nv = rng.random_range(2..=6usize);
    let delegates: Vec<Delegate> = (0..nv)
        .map(|v| {
            let mut ids: Vec<usize> = (0..np).collect();
            // Fisher-Yates with our generator.
            for i in (1..ids.len()).rev() {
                let j = rng.random_range(0..=i);
                ids.swap(i, j);
            }
            let len = rng.random_range(1..=np.min(5));
            Delegate {
                id: format!("v{v}"),
                district: rng.random_range(0..nd),
                group: Some(v % 2),
                ranking: Ranking {
                    tiers: ids[..len].iter().map(|&p| vec![p]).collect(),
                },
            }
        })
        .collect();
    let floor = [0.0, 0.3, 0.6, 0.9][rng.random_range(0..4usize)];
    let constraints = Constraints {
        entitlement_floor: floor,
        district_floors: vec![None; nd],
        district_caps: vec![None; nd],
        categories: vec![CategoryLimit {
            category: "a".into(),
            min_share: None,
            max_share: Some(rng.random_range(0.2..0.6)),
        }],
        quorums: vec![Quorum {
            group: 1,
            top_k: rng.random_range(1..=2usize),
            min_share: rng.random_range(0.05..0.4),
        }],
    };
    let mut s_proposals = proposals;
    let mut constraints = constraints;
    if extras.divisible > 0.0 {
        for p in &mut s_proposals {
            p.divisible = rng.random_bool(extras.divisible);
            if p.divisible && extras.min_shares && rng.random_bool(0.3) {
                p.min_share = Some(rng.random_range(0.2..0.8));
            }
        }
    }
    if extras.caps_and_minimums {
        for c in &mut constraints.district_caps {
            if rng.random_bool(0.4) {
                *c = Some(rng.random_range(0.2..0.7));
            }
        }
        constraints.categories.push(CategoryLimit {
            category: "b".into(),
            min_share: Some(rng.random_range(0.05..0.3)),
            max_share: None,
        });
    }
    let proposals = s_proposals;
    Scenario {
        name: format!("random-{seed}"),
        description: String::new(),
        source: None,
        pool: Pool {
            amount: pool,
            currency: "EUR".into(),
        },
        sources: Vec::new(),
        districts,
        proposals,
        delegates,
        groups,
        formula: Formula::Population,
        formula_levels: BTreeMap::new(),
        settings: Settings {
            scoring: ScoringRule::Borda,
            reweight_groups: false,
            rule: RuleName::Optimal,
            need_weighted_objective: false,
        },
        constraints,
        seed,
    }
}
