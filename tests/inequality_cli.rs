//! `participa inequality` end to end on small fixtures, and the `metrics`
//! object of `participa solve --format json`.
//!
//! Reference values: tests/reference/pysal_reference.py (PySAL `inequality`
//! 1.1.2) and the WHO `healthequal` 1.0.1 reference pages (`aci`, `rci`).

mod common;

use common::*;
use serde_json::Value;

fn fixture(name: &str) -> String {
    path_str(&root().join("tests/fixtures").join(name))
}

fn json_of(args: &[&str]) -> Value {
    let o = run(args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

fn num(v: &Value, field: &str) -> f64 {
    v[field]
        .as_f64()
        .unwrap_or_else(|| panic!("`{field}` is not a number in {v}"))
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (tolerance {tol})"
    );
}

#[test]
fn weighted_grouped_ordered_json() {
    // districts_small.csv: per_capita 20, 5, 10, 40 for 2, 1, 1, 1 residents.
    // PySAL on the rows repeated by population ("districts_small replicated
    // by population" in the reference script); concentration by hand:
    // ranked by poverty, highest first: d 5, a 10, b 20 (x2), c 40; fractional
    // ranks .1 .3 .6 .9; ACI = .2(-.8)5 + .2(-.4)10 + .4(.2)20 + .2(.8)40 = 6.4, C = 6.4 / 19.
    let v = json_of(&[
        "inequality",
        &fixture("districts_small.csv"),
        "--value",
        "per_capita",
        "--weight",
        "population",
        "--group",
        "region",
        "--order",
        "poverty",
        "--descending",
        "--epsilon",
        "0.5,1,2",
        "--format",
        "json",
    ]);
    assert_eq!(v["n"], 4);
    close(num(&v, "mean"), 19.0, 1e-12, "mean");
    close(num(&v, "gini"), 0.336842105263, 1e-12, "gini");
    close(num(&v, "theil_t"), 0.197219016611, 1e-12, "theil_t");
    close(num(&v, "theil_l"), 0.225965577836, 1e-12, "theil_l");
    close(num(&v, "theil_between"), 0.0111265445438, 1e-12, "between");
    close(num(&v, "theil_within"), 0.186092472067, 1e-12, "within");
    close(num(&v["atkinson"], "0.5"), 0.100774664514, 1e-12, "A(0.5)");
    close(num(&v["atkinson"], "1"), 0.202254438679, 1e-12, "A(1)");
    close(num(&v["atkinson"], "2"), 0.38080495356, 1e-11, "A(2)");
    close(num(&v, "hoover"), 0.242105263158, 1e-12, "hoover");
    close(num(&v, "wolfson"), 2.0 * 0.13, 1e-12, "wolfson (2 x PySAL)");
    close(num(&v, "concentration_index"), 6.4 / 19.0, 1e-12, "C");
    close(num(&v, "absolute_concentration_index"), 6.4, 1e-12, "ACI");
    // Lorenz of 5, 10, 20, 20, 40 (sum 95): one point per distinct value.
    let lorenz: Vec<(f64, f64)> = v["lorenz"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect();
    let want = [
        (0.0, 0.0),
        (0.2, 5.0 / 95.0),
        (0.4, 15.0 / 95.0),
        (0.8, 55.0 / 95.0),
        (1.0, 1.0),
    ];
    assert_eq!(lorenz.len(), want.len(), "{lorenz:?}");
    for ((px, py), (wx, wy)) in lorenz.iter().zip(want) {
        close(*px, wx, 1e-12, "lorenz P");
        close(*py, wy, 1e-12, "lorenz L");
    }
}

#[test]
fn who_quintiles_concentration_indices() {
    // healthequal: aci(estimate, subgroup_order, pop = population) = 4.30052,
    // rci(...) = 0.0469506 on OrderedSample.
    let v = json_of(&[
        "inequality",
        &fixture("who_quintiles.csv"),
        "--value",
        "estimate",
        "--weight",
        "population",
        "--order",
        "subgroup_order",
        "--format",
        "json",
    ]);
    close(
        num(&v, "absolute_concentration_index"),
        4.30052,
        5e-6,
        "ACI",
    );
    close(num(&v, "concentration_index"), 0.0469506, 5e-8, "RCI");
    assert!(
        v.get("theil_between").is_none(),
        "no --group, no decomposition"
    );
}

#[test]
fn mexico_theil_decomposition_and_options_absent() {
    // PySAL TheilD docstring, mexico.csv 1940 by hanson98: bg 0.0345889, wg 0.17435454.
    let v = json_of(&[
        "inequality",
        &fixture("mexico_1940.csv"),
        "--value",
        "pcgdp1940",
        "--group",
        "hanson98",
        "--epsilon",
        "1,0.5",
        "--format",
        "json",
    ]);
    assert_eq!(v["n"], 32);
    close(num(&v, "theil_t"), 0.20894344, 1e-8, "T");
    close(num(&v, "theil_between"), 0.0345889, 1e-7, "bg");
    close(num(&v, "theil_within"), 0.17435454, 1e-8, "wg");
    // Keys as written, in the order written.
    let keys: Vec<&String> = v["atkinson"].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 2);
    close(num(&v["atkinson"], "1"), 0.183680056955, 1e-11, "A(1)");
    assert!(v.get("concentration_index").is_none(), "no --order");
}

#[test]
fn table_output_reads() {
    let o = run(&[
        "inequality",
        &fixture("mexico_1940.csv"),
        "--value",
        "pcgdp1940",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("32 rows, unweighted"), "{s}");
    assert!(
        s.lines()
            .any(|l| l.starts_with("gini") && l.contains("0.3537")),
        "{s}"
    );
}

#[test]
fn a_zero_value_nulls_theil_l_with_a_located_note() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("zero.csv");
    std::fs::write(&f, "id,v\na,0\nb,2\n").unwrap();
    let o = run(&[
        "inequality",
        &path_str(&f),
        "--value",
        "v",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["theil_l"].is_null());
    close(num(&v, "gini"), 0.5, 1e-15, "gini of 0, 2");
    assert!(stderr(&o).contains("zero.csv:2:2"), "{}", stderr(&o));
}

#[test]
fn bad_column_names_are_located_with_a_fix() {
    let o = run(&[
        "inequality",
        &fixture("districts_small.csv"),
        "--value",
        "per_capita",
        "--weight",
        "pop",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("districts_small.csv:1: `pop`"), "{e}");
    assert!(e.contains("--weight names column `pop`"), "{e}");
    assert!(
        e.contains(
            "fix: use one of the table's columns: district, per_capita, population, region, poverty"
        ),
        "{e}"
    );
}

#[test]
fn bad_cells_are_located_with_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.csv");
    std::fs::write(&f, "id,v,w\na,1,2\nb,1.5 EUR,1\nc,-3,1\n").unwrap();
    let o = run(&["inequality", &path_str(&f), "--value", "v", "--weight", "w"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("bad.csv:3:2: `v`: `1.5 EUR` is not a number"),
        "{e}"
    );
    assert!(e.contains("fix: write a plain number"), "{e}");
    // Once the cells parse, a negative value is located too.
    std::fs::write(&f, "id,v,w\na,1,2\nb,1.5,1\nc,-3,1\n").unwrap();
    let o = run(&["inequality", &path_str(&f), "--value", "v", "--weight", "w"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("bad.csv:4:2: `v`: -3 is negative"), "{e}");
    assert!(e.contains("fix: "), "{e}");
    let o = run(&[
        "inequality",
        &path_str(&f),
        "--value",
        "w",
        "--epsilon",
        "0.5,x",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--epsilon: `x`"), "{}", stderr(&o));
}

#[test]
fn help_teaches() {
    let o = run(&["inequality", "--help"]);
    let s = stdout(&o);
    for want in [
        "Examples:",
        "--value <COL>",
        "--weight <COL>",
        "--group <COL>",
        "--order <COL>",
        "--epsilon",
        "--format",
    ] {
        assert!(s.contains(want), "help lacks {want}: {s}");
    }
}

#[test]
fn parquet_output_of_a_solve_reads_back() {
    // The README's example: the districts table of tiny's optimal solve, as
    // Parquet, weighted by population: the Gini of the solve's metrics, 9/88.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tiny");
    let o = run(&["solve", &scenario("tiny.toml"), "--out", &path_str(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json_of(&[
        "inequality",
        &path_str(&out.join("districts.parquet")),
        "--value",
        "funded_per_capita",
        "--weight",
        "population",
        "--format",
        "json",
    ]);
    close(num(&v, "gini"), 9.0 / 88.0, 1e-9, "gini");
    close(num(&v, "mean"), 27.5, 1e-9, "mean");
}

#[test]
fn solve_json_has_metrics_with_the_hand_worked_gini() {
    // tiny.toml under `optimal`: north 350,000 for 10,000 residents (35 each),
    // centre 450,000 for 20,000 (22.5), south 300,000 for 10,000 (30); the
    // citywide bus is not any district's. Population shares 1/4, 1/2, 1/4,
    // mean 27.5. Gini = sum_ij p_i p_j |y_i - y_j| / (2 mu)
    // = 2 (1/4 x 1/2 x 12.5 + 1/4 x 1/4 x 5 + 1/2 x 1/4 x 7.5) / 55 = 5.625 / 55 = 9/88.
    let v = json_of(&["solve", &scenario("tiny.toml"), "--format", "json"]);
    let m = &v["metrics"];
    assert!(m.is_object(), "no metrics object: {v}");
    close(
        num(m, "gini"),
        9.0 / 88.0,
        1e-9,
        "gini of per-capita funding",
    );
    close(num(m, "mean_per_capita"), 27.5, 1e-9, "mean");
    close(
        num(m, "poorest_quintile_share"),
        280.0 / 1100.0,
        1e-9,
        "poorest quintile",
    );
    for field in [
        "basis",
        "theil_t",
        "theil_l",
        "atkinson",
        "hoover",
        "wolfson",
        "lorenz",
        "concentration_index",
        "absolute_concentration_index",
        "suits_vs_entitlement",
        "need_correlation",
        "coverage",
        "satisfaction",
        "notes",
    ] {
        assert!(m.get(field).is_some(), "metrics lacks {field}");
    }
    // The older fields are still there, unchanged.
    assert_eq!(v["status"], "optimal");
    assert!(v["districts"].is_array());
}
