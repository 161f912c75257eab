//! Need formulas end to end: nested councils, Porto Alegre ranks from
//! delegates, and the `formulas` / `entitlements` commands.

mod common;

use std::path::Path;

use common::*;
use participa::scoring::theme_ranks;
use participa::solve::{SolveSettings, Status};

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() < 1e-6 * want.abs().max(1.0),
        "{what}: got {got}, want {want}"
    );
}

#[test]
fn nested_councils_by_hand() {
    // See tests/fixtures/nested.toml for the entitlements. Floors at 80%: R1 600,000,
    // R2 200,000, n1 360,000, n2 240,000, n3 100,000, n4 100,000 (800,000 at the
    // neighbourhood level). The remaining 200,000 goes to the best score per cost:
    // n3-p (two delegates rank it first, Borda 2 against 1). So n1 360,000,
    // n2 240,000, n3 300,000, n4 100,000; regions R1 600,000, R2 400,000.
    let s = participa::load_scenario(Path::new("tests/fixtures/nested.toml")).unwrap();
    let a = participa::solve(&s, &SolveSettings::default()).unwrap();
    assert_eq!(a.status, Status::Optimal);
    let want = [
        ("R1", 1, 750_000.0, 600_000.0, 600_000.0),
        ("R2", 1, 250_000.0, 200_000.0, 400_000.0),
        ("n1", 2, 450_000.0, 360_000.0, 360_000.0),
        ("n2", 2, 300_000.0, 240_000.0, 240_000.0),
        ("n3", 2, 125_000.0, 100_000.0, 300_000.0),
        ("n4", 2, 125_000.0, 100_000.0, 100_000.0),
    ];
    for (d, (id, level, entitlement, floor, funded)) in a.districts.iter().zip(want) {
        assert_eq!(d.id, id);
        assert_eq!(d.level, level, "{id}");
        close(d.entitlement, entitlement, &format!("{id} entitlement"));
        close(d.floor, floor, &format!("{id} floor"));
        close(d.funded, funded, &format!("{id} funded"));
    }
    assert_eq!(a.districts[2].parent.as_deref(), Some("R1"));
    // Region floors are constraints of the program too.
    assert!(a.shadow_prices.iter().any(|p| p.constraint == "floor:R1"));
}

#[test]
fn theme_ranks_from_the_delegates_of_tiny() {
    // north: d1 gives sanitation 3, education 2, transport 1 -> ranks 1, 2, 3.
    // centre: d2 + d3 give leisure 3 + 2.5, health 2 + 2.5, transport 1 + 1 -> 1, 2, 3.
    // south: d4 gives paving 3, transport 2, sanitation 1 -> 1, 2, 3.
    let s = participa::load_scenario(Path::new("scenarios/tiny.toml")).unwrap();
    let themes: Vec<String> = [
        "sanitation",
        "education",
        "transport",
        "health",
        "leisure",
        "paving",
    ]
    .map(String::from)
    .to_vec();
    let r = theme_ranks(&s, &themes);
    // r[theme][district]
    assert_eq!(r[0], vec![1.0, 0.0, 3.0]);
    assert_eq!(r[1], vec![2.0, 0.0, 0.0]);
    assert_eq!(r[2], vec![3.0, 3.0, 2.0]);
    assert_eq!(r[3], vec![0.0, 2.0, 0.0]);
    assert_eq!(r[4], vec![0.0, 1.0, 0.0]);
    assert_eq!(r[5], vec![0.0, 0.0, 1.0]);
}

#[test]
fn porto_alegre_formula_on_the_bundled_city() {
    // The preset's themes are the bundled city's categories; its ranks come from the delegates.
    let mut s = participa::load_scenario(Path::new("scenarios/porto-alegre-16.toml")).unwrap();
    s.formula = participa::scoring::formula::preset("porto-alegre")
        .unwrap()
        .formula;
    let shares = participa::scoring::entitlement_shares(&s).unwrap();
    assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // Centro (270,000 residents, 3% gap) against Nordeste (32,000, 60% gap): the
    // grade system compresses population differences (grades 4 vs 1).
    let centro = shares[s.district_index("centro").unwrap()];
    let nordeste = shares[s.district_index("nordeste").unwrap()];
    assert!(
        centro / nordeste < 270.0 / 32.0,
        "centro {centro}, nordeste {nordeste}"
    );
}

#[test]
fn formulas_lists_and_shows() {
    let o = run(&["formulas"]);
    assert!(o.status.success());
    let s = stdout(&o);
    for name in [
        "population",
        "weighted-sum",
        "porto-alegre",
        "multiplicative",
        "inverse-index",
        "base-plus",
        "capped",
    ] {
        assert!(s.lines().any(|l| l == name), "{name} missing from\n{s}");
    }
    let o = run(&["formulas", "show", "porto-alegre"]);
    let text = stdout(&o);
    assert!(text.contains("weight = 5"), "{text}");
    let f = participa::scoring::formula::parse_formula_table(&text).unwrap();
    assert_eq!(f.kind(), "porto-alegre");
    let o = run(&["formulas", "show", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("porto-alegre"), "{}", stderr(&o));
}

#[test]
fn entitlements_of_a_table() {
    // The four regions of src/scoring/formula/porto_alegre.rs: 83, 71, 44, 32 of 230.
    let o = run(&[
        "entitlements",
        "--districts",
        "tests/fixtures/four_regions.csv",
        "--pool",
        "230",
        "--formula",
        "tests/fixtures/porto_alegre_two_themes.toml",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v.as_array().unwrap();
    for (row, (id, amount)) in rows
        .iter()
        .zip([("A", 83.0), ("B", 71.0), ("C", 44.0), ("D", 32.0)])
    {
        assert_eq!(row["id"], id);
        close(row["amount"].as_f64().unwrap(), amount, id);
        close(row["share"].as_f64().unwrap(), amount / 230.0, id);
    }
    // Population shares of the same table, as CSV.
    let o = run(&[
        "entitlements",
        "--districts",
        "tests/fixtures/four_regions.csv",
        "--pool",
        "460",
        "--formula",
        "population",
        "--format",
        "csv",
    ]);
    assert_eq!(
        stdout(&o).lines().nth(1).unwrap(),
        "A,0.5434782608695652,250.0"
    );
}

#[test]
fn entitlements_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("d.csv");
    std::fs::write(&csv, "id,population,need\na,100,0.5\nb,lots,0.2\n").unwrap();
    let o = run(&[
        "entitlements",
        "--districts",
        &path_str(&csv),
        "--pool",
        "100",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("d.csv:3:2") && e.contains("`lots` is not a number"),
        "{e}"
    );
    let o = run(&[
        "entitlements",
        "--districts",
        "tests/fixtures/four_regions.csv",
        "--pool",
        "100",
        "--formula",
        "inverse-index",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("hdi"), "{}", stderr(&o));
}

#[test]
fn entitlements_of_a_scenario_match_its_solve() {
    // The shares `entitlements --scenario` prints are the ones `solve` uses.
    let o = run(&[
        "entitlements",
        "--scenario",
        "scenarios/compare/pa-grades.toml",
        "--explain",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let s = participa::load_scenario(Path::new("scenarios/compare/pa-grades.toml")).unwrap();
    let a = participa::solve(&s, &SolveSettings::default()).unwrap();
    for (row, d) in v["entitlements"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&a.districts)
    {
        assert_eq!(row["id"], d.id.as_str());
        close(row["amount"].as_f64().unwrap(), d.entitlement, &d.id);
    }
    // Six themes, each with its regions' grades; theme shares sum to 1.
    let themes = v["themes"].as_array().unwrap();
    assert_eq!(themes.len(), 6);
    let total: f64 = themes.iter().map(|t| t["share"].as_f64().unwrap()).sum();
    close(total, 1.0, "theme shares");
    assert_eq!(themes[0]["regions"].as_array().unwrap().len(), 16);
}
