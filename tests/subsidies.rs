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

use participa::model::ScenarioSource;
use participa::sweep::{Axis, SweepPlan, city_metrics, run_sweep};

fn sweep_dir(threads: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let out = dir.join(format!("t{threads}"));
    let o = common::run(&[
        "sweep",
        &common::scenario("subsidy-reallocation.toml"),
        "--vary",
        "budget.sources.abatements.to_pool=0:0.5:0.1",
        "--rules",
        "optimal,greedy",
        "--threads",
        threads,
        "--out",
        &common::path_str(&out),
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    out
}

#[test]
fn sweeps_are_identical_at_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let a = sweep_dir("1", dir.path());
    let b = sweep_dir("2", dir.path());
    for f in [
        "sweep.csv",
        "sweep.parquet",
        "sweep_gini.svg",
        "sources_waterfall.svg",
    ] {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
    // 6 values x 2 rules, each with 13 city metrics and 3 metrics for 12 districts.
    let rows = std::fs::read_to_string(a.join("sweep.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(rows, 6 * 2 * (13 + 3 * 12));
}

#[test]
fn a_sweep_equals_the_same_runs_one_by_one() {
    let source = ScenarioSource::load(Path::new("scenarios/porto-alegre-16.toml")).unwrap();
    let plan = SweepPlan {
        axes: vec![Axis::parse("formula.weights.poverty=0,0.5,2").unwrap()],
        rules: vec![participa::model::RuleName::Optimal],
        max_points: 100,
    };
    let runs = run_sweep(&source, &plan, &SolveSettings::default(), 2).unwrap();
    assert_eq!(runs.len(), 3);
    for (run, w) in runs.iter().zip([0.0, 0.5, 2.0]) {
        let mut s = source.clone();
        s.set_number("formula.weights.poverty", w).unwrap();
        let scenario = s.build().unwrap();
        let alone = participa::solve(&scenario, &SolveSettings::default()).unwrap();
        assert_eq!(run.values, vec![w]);
        for (p, q) in run.allocation.proposals.iter().zip(&alone.proposals) {
            assert!(
                (p.funded_share - q.funded_share).abs() < 1e-12,
                "w = {w}: {}",
                p.id
            );
        }
        let m = participa::metrics::allocation_metrics(&scenario, &alone).unwrap();
        assert_eq!(run.metrics, m, "w = {w}");
    }
    // The poverty weight changes the entitlements, so the runs differ.
    assert!(
        runs[0].allocation.districts[0].entitlement != runs[2].allocation.districts[0].entitlement
    );
}

#[test]
fn what_moving_abatements_buys_the_poorest_fifth() {
    // The figures quoted in README ("Moving corporate subsidies into the pool").
    let source = ScenarioSource::load(Path::new("scenarios/subsidy-reallocation.toml")).unwrap();
    let plan = SweepPlan {
        axes: vec![Axis::parse("budget.sources.abatements.to_pool=0,0.1,0.5").unwrap()],
        rules: vec![participa::model::RuleName::Optimal],
        max_points: 10,
    };
    let runs = run_sweep(&source, &plan, &SolveSettings::default(), 1).unwrap();
    let get = |i: usize, name: &str| {
        city_metrics(&runs[i])
            .into_iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1
            .unwrap()
    };
    // Each 10% of the 18,050,000 of abatements adds 1,805,000 to the pool.
    assert!((get(1, "pool") - get(0, "pool") - 1_805_000.0).abs() < 1e-6);
    for (i, want) in [(0, 8.17), (1, 10.19), (2, 22.69)] {
        let got = get(i, "poorest_quintile_per_capita");
        assert!(
            (got - want).abs() < 0.005,
            "point {i}: {got} vs README {want}"
        );
    }
}
