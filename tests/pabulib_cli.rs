//! `participa solve FILE.pb`, `analyze` and their errors, end to end on
//! Assen 2024 (84 voters; its `selected` column is the official equal-shares
//! outcome). Skipped with a printed reason when the shared data is absent.

mod common;

use common::*;
use serde_json::Value;

fn assen() -> Option<String> {
    let f = pabulib_dir()?.join("Netherlands_Assen_2024.pb");
    if f.is_file() {
        Some(path_str(&f))
    } else {
        eprintln!("skipped: {} not found (set PABULIB_DIR)", f.display());
        None
    }
}

#[test]
fn solve_json_reproduces_the_official_outcome() {
    let Some(f) = assen() else { return };
    let v = run_json(&[
        "solve",
        &f,
        "--rule",
        "equalshares/add1",
        "--format",
        "json",
    ]);
    assert_eq!(v["rule"], "equalshares/add1");
    assert_eq!(v["satisfaction"], "cost");
    // Official outcome: 9 projects, 76,700 of 100,000 EUR (SOURCES.md).
    assert_eq!(v["spent"], "76700");
    let selected: Vec<&str> = v["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(selected.len(), 9);
    for p in v["projects"].as_array().unwrap() {
        assert_eq!(p["selected"], p["official_selected"], "{p}");
    }
    // Cost satisfaction welfare equals pabutools' (tests/reference/pabutools).
    assert_eq!(v["welfare"], "2071100");
    assert!((v["welfare_f64"].as_f64().unwrap() - 2071100.0).abs() < 1e-6);
}

#[test]
fn optimal_on_a_pb_file_is_refused_with_the_alternatives() {
    let Some(f) = assen() else { return };
    let o = run(&["solve", &f, "--rule", "optimal"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("max-welfare") && e.contains("participa import"),
        "{e}"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn bad_options_are_refused() {
    let Some(f) = assen() else { return };
    let o = run(&[
        "solve",
        &f,
        "--rule",
        "greedy",
        "--voter-budget-increment",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("equal-shares only"), "{}", stderr(&o));
    let o = run(&[
        "solve",
        &f,
        "--rule",
        "equal-shares",
        "--voter-budget-increment",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("positive number"), "{}", stderr(&o));
    let o = run(&[
        "solve",
        &f,
        "--rule",
        "greedy",
        "--satisfaction",
        "additive-borda",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("needs ordinal ballots"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn out_writes_json_and_csv_and_refuses_to_overwrite() {
    let Some(f) = assen() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("assen");
    let out_s = path_str(&out);
    let o = run(&["solve", &f, "--rule", "greedy", "--out", &out_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("result.json")).unwrap()).unwrap();
    // pabutools' greedy on Assen spends 99,200 (tests/reference/pabutools).
    assert_eq!(doc["spent"], "99200");
    let csv = std::fs::read_to_string(out.join("projects.csv")).unwrap();
    assert_eq!(csv.lines().count(), 15, "header + 14 projects");
    let o = run(&["solve", &f, "--rule", "greedy", "--out", &out_s]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
}

#[test]
fn analyze_reports_jr_and_gini() {
    let Some(f) = assen() else { return };
    let v = run_json(&[
        "analyze",
        &f,
        "--rule",
        "equalshares/add1",
        "--format",
        "json",
    ]);
    let a = &v["analysis"];
    assert_eq!(a["voters"], 84);
    assert_eq!(a["ejr_up_to_one"]["status"], "satisfied");
    let g = a["gini"].as_f64().unwrap();
    assert!((0.0..1.0).contains(&g), "{g}");
}

#[test]
fn bench_times_every_rule_on_every_file_of_a_folder() {
    let Some(f) = assen() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&f, dir.path().join("Netherlands_Assen_2024.pb")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a .pb file").unwrap();
    let o = run(&[
        "bench",
        "--pabulib-dir",
        &path_str(dir.path()),
        "--rules",
        "greedy,equal-shares",
        "--repeat",
        "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let rows: Vec<Vec<&str>> = out
        .lines()
        .filter(|l| l.starts_with("| Netherlands"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    // One row: the file, its 84 voters, the parse and one time per rule.
    assert_eq!(rows.len(), 1, "{out}");
    assert_eq!(rows[0][..2], ["Netherlands_Assen_2024", "84"]);
    assert_eq!(rows[0].len(), 5, "{out}");
    for cell in &rows[0][2..] {
        let ms: f64 = cell.parse().unwrap_or_else(|_| panic!("`{cell}` in {out}"));
        assert!(ms > 0.0 && ms < 10_000.0, "{out}");
    }
    assert!(
        out.contains("| file | voters | parse | greedy | equal-shares |"),
        "{out}"
    );
}
