//! Floors that cannot all be met: the allocation reports exactly how much is
//! missing and why; `--strict` refuses with exit code 2 and writes nothing.

mod common;

use std::path::Path;

use common::*;
use participa::solve::{SolveSettings, Status};

const FIXTURE: &str = "tests/fixtures/infeasible_floors.toml";

#[test]
fn shortfalls_are_reported_exactly() {
    // Floors: north 800,000 (its proposals cost 850,000), centre 500,000, south
    // 300,000: 1,600,000 against a pool of 1,500,000. The smallest total
    // shortfall is the 100,000 excess, and the whole pool is spent.
    let s = participa::load_scenario(Path::new(FIXTURE)).unwrap();
    let a = participa::solve(&s, &SolveSettings::default()).unwrap();
    assert_eq!(a.status, Status::OptimalWithShortfall);
    let total: f64 = a.shortfalls.iter().map(|f| f.shortfall).sum();
    assert!((total - 100_000.0).abs() < 1e-3, "total shortfall {total}");
    assert!((a.funded_total - 1_500_000.0).abs() < 1e-3);
    for f in &a.shortfalls {
        assert!((f.required - f.achieved - f.shortfall).abs() < 1e-9);
        assert!(f.constraint.starts_with("floor:"), "{}", f.constraint);
        // The district's funding is exactly what it achieved.
        let d = a.districts.iter().find(|d| d.id == f.subject).unwrap();
        assert!((d.funded - f.achieved).abs() < 1e-6);
    }
    assert!(
        a.diagnosis.iter().any(|d| d.contains(
            "district floors require 1,600,000 EUR in total, 100,000 EUR more than the pool"
        )),
        "{:?}",
        a.diagnosis
    );
}

#[test]
fn strict_exits_2_with_the_report_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run(&["solve", FIXTURE, "--strict", "--out", &path_str(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("status infeasible"), "{s}");
    assert!(s.contains("Shortfalls"), "{s}");
    assert!(
        s.contains("why: district floors require 1,600,000 EUR"),
        "{s}"
    );
    assert!(!out.exists(), "strict failure wrote {}", out.display());
}

#[test]
fn without_strict_the_same_scenario_succeeds() {
    let o = run(&["solve", FIXTURE, "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "optimal-with-shortfall");
    assert!(!v["shortfalls"].as_array().unwrap().is_empty());
}
