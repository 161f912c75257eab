//! Budget sources: the pool built from budget lines, and what each line gives.

mod common;

use std::path::Path;

use participa::solve::SolveSettings;

#[test]
fn sources_sum_into_the_pool() {
    // Fixed 500,000 + 10% of 5,000,000 + 500,000 = 1,500,000 (tests/fixtures/sources.toml).
    let s = participa::load_scenario(Path::new("tests/fixtures/sources.toml")).unwrap();
    assert!((s.pool.amount - 1_500_000.0).abs() < 1e-9);
    let a = participa::solve(&s, &SolveSettings::default()).unwrap();
    let flows: Vec<(&str, f64, f64, f64)> = a
        .sources
        .iter()
        .map(|f| (f.name.as_str(), f.before, f.moved, f.after))
        .collect();
    assert_eq!(
        flows,
        vec![
            ("Tax abatements", 5_000_000.0, 500_000.0, 4_500_000.0),
            (
                "Business incentive grants",
                2_000_000.0,
                500_000.0,
                1_500_000.0
            ),
            ("Sanitation services", 30_000_000.0, 0.0, 30_000_000.0),
        ]
    );
    // The same pool as tiny.toml gives tiny's allocation (README worked example).
    let tiny = participa::load_scenario(Path::new("scenarios/tiny.toml")).unwrap();
    let b = participa::solve(&tiny, &SolveSettings::default()).unwrap();
    for (p, q) in a.proposals.iter().zip(&b.proposals) {
        assert!((p.funded_share - q.funded_share).abs() < 1e-9, "{}", p.id);
    }
}
