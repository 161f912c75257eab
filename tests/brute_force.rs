//! The MILP against exhaustive enumeration on 500 random small instances
//! (<= 12 indivisible proposals, 2-4 districts, floors, a category cap, a quorum).
//!
//! The brute force computes everything itself (floors, quorum sets, scores come
//! from the same Borda rule, checked by hand in tests/tiny.rs): over all 2^n
//! subsets that respect the budget and the category cap, the best is the one
//! with the smallest total shortfall of floors and quorum, then the highest
//! score. The solver must reach the same shortfall and the same score.

mod common;

use common::random::instance;
use participa::model::Scenario;
use participa::scoring::priority_scores;
use participa::solve::{Backend, SolveSettings, Status};

/// (smallest total shortfall, best score among those) over all subsets.
fn brute_force(s: &Scenario) -> (f64, f64) {
    let n = s.proposals.len();
    let pool = s.pool.amount;
    let scores = priority_scores(s);
    let total_pop: f64 = s.districts.iter().map(|d| d.population).sum();
    // Floors: alpha x pool x population share, capped at the district's total cost.
    let mut lower: Vec<(Vec<usize>, f64)> = Vec::new();
    for (d, district) in s.districts.iter().enumerate() {
        let members: Vec<usize> = (0..n)
            .filter(|&p| s.proposals[p].district == Some(d))
            .collect();
        let absorb: f64 = members.iter().map(|&p| s.proposals[p].cost).sum();
        let f =
            (s.constraints.entitlement_floor * pool * district.population / total_pop).min(absorb);
        if f > 0.0 {
            lower.push((members, f));
        }
    }
    let q = &s.constraints.quorums[0];
    let mut qset = vec![false; n];
    for d in s.delegates.iter().filter(|d| d.group == Some(q.group)) {
        for p in d.ranking.tiers.iter().flatten().take(q.top_k) {
            qset[*p] = true;
        }
    }
    lower.push(((0..n).filter(|&p| qset[p]).collect(), q.min_share * pool));
    let cap = s.constraints.categories[0].max_share.unwrap() * pool;
    let mut best = (f64::INFINITY, f64::NEG_INFINITY);
    for mask in 0u32..(1 << n) {
        let on = |p: usize| mask & (1 << p) != 0;
        let cost: f64 = (0..n).filter(|&p| on(p)).map(|p| s.proposals[p].cost).sum();
        let cat_a: f64 = (0..n)
            .filter(|&p| on(p) && s.proposals[p].category == "a")
            .map(|p| s.proposals[p].cost)
            .sum();
        if cost > pool || cat_a > cap {
            continue;
        }
        let short: f64 = lower
            .iter()
            .map(|(m, b)| {
                (b - m
                    .iter()
                    .filter(|&&p| on(p))
                    .map(|&p| s.proposals[p].cost)
                    .sum::<f64>())
                .max(0.0)
            })
            .sum();
        let score: f64 = (0..n).filter(|&p| on(p)).map(|p| scores[p]).sum();
        if short < best.0 - 1e-9 || ((short - best.0).abs() <= 1e-9 && score > best.1) {
            best = (short, score);
        }
    }
    best
}

#[test]
fn milp_matches_exhaustive_enumeration() {
    let mut with_shortfall = 0;
    for backend in Backend::compiled()
        .into_iter()
        .filter(|b| b.supports_integers())
    {
        for seed in 0..500 {
            let s = instance(seed);
            let (want_short, want_score) = brute_force(&s);
            let a = participa::solve(
                &s,
                &SolveSettings {
                    backend: Some(backend),
                    ..Default::default()
                },
            )
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            assert!(
                matches!(a.status, Status::Optimal | Status::OptimalWithShortfall),
                "seed {seed} {backend:?}: status {:?}",
                a.status
            );
            assert!(
                a.funded_total <= s.pool.amount * (1.0 + 1e-9),
                "seed {seed}: budget exceeded"
            );
            for p in &a.proposals {
                assert!(
                    p.funded_share == 0.0 || p.funded_share == 1.0,
                    "seed {seed}: {} funded {}",
                    p.id,
                    p.funded_share
                );
            }
            let got_short: f64 = a.shortfalls.iter().map(|f| f.shortfall).sum();
            assert!(
                (got_short - want_short).abs() <= 1e-6 * s.pool.amount,
                "seed {seed} {backend:?}: shortfall {got_short} vs brute force {want_short}"
            );
            assert!(
                (a.objective - want_score).abs() <= 1e-6 * want_score.max(1.0),
                "seed {seed} {backend:?}: objective {} vs brute force {want_score}",
                a.objective
            );
            if want_short > 0.0 {
                with_shortfall += 1;
            }
        }
    }
    // The generator must exercise both cases.
    assert!(
        with_shortfall > 50,
        "only {with_shortfall} instances with shortfall"
    );
}
