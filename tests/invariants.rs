//! Solver invariants over thousands of random cities (mixed divisible and
//! indivisible proposals, minimum shares, floors, district caps, category
//! minimums and caps, a quorum): the budget and every cap hold; a floor or
//! quorum is either met or reported as a shortfall of exactly the missing
//! amount; indivisible proposals are funded 0 or 100%, minimum shares are
//! respected; the result does not depend on the order of proposals or
//! districts in the file (up to ties: objective and shortfall are compared);
//! and every backend compiled in reaches the same objective and shortfall.

mod common;

use common::random::{Extras, instance_with};
use participa::model::Scenario;
use participa::solve::{Backend, Prepared, SolveSettings, Status, constraints::constraint_specs};

const EXTRAS: Extras = Extras {
    divisible: 0.5,
    min_shares: true,
    caps_and_minimums: true,
};
const INSTANCES: u64 = 2_000;

fn settings(backend: Backend) -> SolveSettings {
    SolveSettings {
        backend: Some(backend),
        ..Default::default()
    }
}

fn check_allocation(s: &Scenario, a: &participa::Allocation, seed: u64) {
    let pool = s.pool.amount;
    let tol = 1e-7 * pool;
    assert!(
        a.funded_total <= pool + tol,
        "seed {seed}: budget exceeded ({} > {pool})",
        a.funded_total
    );
    let x: Vec<f64> = a.proposals.iter().map(|p| p.funded_share).collect();
    for (p, prop) in a.proposals.iter().zip(&s.proposals) {
        assert!(
            (-1e-12..=1.0 + 1e-12).contains(&p.funded_share),
            "seed {seed}: share {}",
            p.funded_share
        );
        if !prop.divisible {
            assert!(
                p.funded_share == 0.0 || p.funded_share == 1.0,
                "seed {seed}: {} funded {}",
                p.id,
                p.funded_share
            );
        }
        if let Some(m) = prop.min_share {
            assert!(
                p.funded_share <= 1e-9 || p.funded_share >= m - 1e-9,
                "seed {seed}: {} funded {} below min {m}",
                p.id,
                p.funded_share
            );
        }
    }
    let prep = Prepared::new(s).unwrap();
    let costs: Vec<f64> = s.proposals.iter().map(|p| p.cost).collect();
    for spec in constraint_specs(s, &prep.shares) {
        let activity = spec.activity(&costs, &x);
        if spec.kind.is_floor() {
            let missing = spec.bound - activity;
            match a.shortfalls.iter().find(|f| f.constraint == spec.id) {
                Some(f) => {
                    assert!(
                        (f.shortfall - missing).abs() <= 1e-6 * pool,
                        "seed {seed}: {} reported {} but {missing} is missing",
                        spec.id,
                        f.shortfall
                    );
                    assert!(
                        (f.achieved - activity).abs() <= 1e-6 * pool,
                        "seed {seed}: {} achieved",
                        spec.id
                    );
                }
                None => assert!(
                    missing <= tol,
                    "seed {seed}: {} misses {missing} unreported",
                    spec.id
                ),
            }
        } else {
            assert!(
                activity <= spec.bound + tol,
                "seed {seed}: {} exceeded: {activity} > {}",
                spec.id,
                spec.bound
            );
        }
    }
}

fn total_shortfall(a: &participa::Allocation) -> f64 {
    a.shortfalls.iter().map(|f| f.shortfall).sum()
}

/// The same city with proposals and districts listed in reverse order.
fn reversed(s: &Scenario) -> Scenario {
    let np = s.proposals.len();
    let nd = s.districts.len();
    let mut r = s.clone();
    r.districts.reverse();
    r.constraints.district_caps.reverse();
    r.constraints.district_floors.reverse();
    r.proposals.reverse();
    for p in &mut r.proposals {
        p.district = p.district.map(|d| nd - 1 - d);
    }
    for d in &mut r.delegates {
        d.district = nd - 1 - d.district;
        for tier in &mut d.ranking.tiers {
            for p in tier.iter_mut() {
                *p = np - 1 - *p;
            }
        }
    }
    r
}

#[test]
fn invariants_hold_on_random_cities() {
    let backends: Vec<Backend> = Backend::compiled()
        .into_iter()
        .filter(|b| b.supports_integers())
        .collect();
    let mut shortfalls = 0;
    for seed in 0..INSTANCES {
        let s = instance_with(seed, EXTRAS);
        let first = participa::solve(&s, &settings(backends[0]))
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert!(
            matches!(first.status, Status::Optimal | Status::OptimalWithShortfall),
            "seed {seed}: {:?}",
            first.status
        );
        check_allocation(&s, &first, seed);
        if !first.shortfalls.is_empty() {
            shortfalls += 1;
        }
        let tol = 1e-6 * first.objective.abs().max(1.0);
        // Order of the file.
        let r = participa::solve(&reversed(&s), &settings(backends[0])).unwrap();
        assert!(
            (r.objective - first.objective).abs() <= tol,
            "seed {seed}: reversed objective {} vs {}",
            r.objective,
            first.objective
        );
        assert!(
            (total_shortfall(&r) - total_shortfall(&first)).abs() <= 1e-6 * s.pool.amount,
            "seed {seed}: reversed shortfall"
        );
        // Every backend.
        for &b in &backends[1..] {
            let other = participa::solve(&s, &settings(b)).unwrap();
            check_allocation(&s, &other, seed);
            assert!(
                (other.objective - first.objective).abs() <= tol,
                "seed {seed}: {b:?} objective {} vs {}",
                other.objective,
                first.objective
            );
            assert!(
                (total_shortfall(&other) - total_shortfall(&first)).abs() <= 1e-6 * s.pool.amount,
                "seed {seed}: {b:?} shortfall"
            );
        }
    }
    assert!(
        shortfalls > 100,
        "only {shortfalls} of {INSTANCES} cities have a shortfall"
    );
}
