//! The command line end to end on the bundled scenarios.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn validate_prints_a_summary() {
    let o = run(&["validate", &scenario("porto-alegre-16.toml")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.starts_with("ok: porto-alegre-16: 16 districts, 84 proposals (40 indivisible), 64 delegates, 2 groups, pool 60,000,000 BRL"), "{s}");
}

#[test]
fn solve_tiny_prints_the_allocation_table() {
    let o = run(&["solve", &scenario("tiny.toml")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("status optimal"), "{s}");
    // n-sewer funded 1/6, 100,000 EUR (see README, the worked example).
    assert!(
        s.lines()
            .any(|l| l.starts_with("n-sewer") && l.contains("16.7%") && l.ends_with("100,000")),
        "{s}"
    );
    assert!(s.contains("floor:north"), "{s}");
}

fn json_of(args: &[&str]) -> Value {
    let o = run(args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

#[test]
fn solve_json_has_the_documented_fields() {
    let v = json_of(&[
        "solve",
        &scenario("porto-alegre-16.toml"),
        "--format",
        "json",
    ]);
    for field in [
        "status",
        "rule",
        "pool",
        "funded_total",
        "proposals",
        "districts",
        "shortfalls",
        "shadow_prices",
    ] {
        assert!(v.get(field).is_some(), "missing {field}");
    }
    assert_eq!(v["status"], "optimal");
    assert_eq!(v["rule"], "optimal");
    let pool = v["pool"].as_f64().unwrap();
    assert_eq!(pool, 60_000_000.0);
    let proposals = v["proposals"].as_array().unwrap();
    assert_eq!(proposals.len(), 84);
    let mut total = 0.0;
    for p in proposals {
        for f in ["id", "district", "cost", "funded_share", "funded_amount"] {
            assert!(p.get(f).is_some(), "proposal lacks {f}");
        }
        let share = p["funded_share"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&share));
        let amount = p["funded_amount"].as_f64().unwrap();
        assert!((amount - share * p["cost"].as_f64().unwrap()).abs() < 1e-6);
        total += amount;
    }
    let funded = v["funded_total"].as_f64().unwrap();
    assert!((total - funded).abs() < 1e-3);
    assert!(funded <= pool * (1.0 + 1e-9));
    let districts = v["districts"].as_array().unwrap();
    assert_eq!(districts.len(), 16);
    for d in districts {
        for f in [
            "id",
            "population",
            "entitlement",
            "funded",
            "funded_per_capita",
            "coverage",
        ] {
            assert!(d.get(f).is_some(), "district lacks {f}");
        }
        let per_capita = d["funded"].as_f64().unwrap() / d["population"].as_f64().unwrap();
        assert!((per_capita - d["funded_per_capita"].as_f64().unwrap()).abs() < 1e-9);
        // Every region reaches its floor: the scenario's constraints are satisfiable.
        assert!(
            d["funded"].as_f64().unwrap() >= d["floor"].as_f64().unwrap() - 1e-3,
            "{d}"
        );
    }
    assert!(v["shortfalls"].as_array().unwrap().is_empty());
    assert!(
        v["shadow_prices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["constraint"] == "budget")
    );
}

#[test]
fn greedy_rule_from_the_command_line() {
    let v = json_of(&[
        "solve",
        &scenario("tiny.toml"),
        "--rule",
        "greedy",
        "--format",
        "json",
    ]);
    assert_eq!(v["rule"], "greedy");
    assert_eq!(v["status"], "complete");
    assert_eq!(v["funded_total"].as_f64().unwrap(), 1_300_000.0);
}

#[test]
fn out_folder_has_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tiny");
    let o = run(&[
        "solve",
        &scenario("tiny.toml"),
        "--out",
        &path_str(&out),
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "allocation.csv",
        "allocation.parquet",
        "districts.csv",
        "districts.parquet",
        "result.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let csv = std::fs::read_to_string(out.join("allocation.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,title,district,category,cost,divisible,score,weight,funded_share,funded_amount"
    );
    assert_eq!(lines.count(), 6);
    // stdout got the same CSV.
    assert_eq!(stdout(&o), csv);
    let districts = std::fs::read_to_string(out.join("districts.csv")).unwrap();
    assert!(districts.starts_with("id,name,level,parent,population,entitlement_share,entitlement,floor,funded,funded_per_capita,coverage\nnorth,North hills,1,,10000.0,"), "{districts}");
    // Parquet is readable and holds the same rows.
    let t = participa::io::table::TextTable::read(&out.join("allocation.parquet")).unwrap();
    assert_eq!(t.rows(), 6);
    assert_eq!(t.get(0, "id"), Some("n-sewer"));
    // No temporary folder is left next to the output.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn an_existing_output_folder_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "x").unwrap();
    let o = run(&["solve", &scenario("tiny.toml"), "--out", &path_str(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert!(out.join("keep.txt").exists());
    let o = run(&[
        "solve",
        &scenario("tiny.toml"),
        "--out",
        &path_str(&out),
        "--force",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("keep.txt").exists());
    assert!(out.join("result.json").exists());
}

#[test]
fn deterministic_runs_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    for out in [&a, &b] {
        let o = run(&[
            "solve",
            &scenario("porto-alegre-16.toml"),
            "--out",
            &path_str(out),
            "--deterministic",
            "--format",
            "json",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for f in [
        "allocation.csv",
        "allocation.parquet",
        "districts.csv",
        "districts.parquet",
        "result.json",
    ] {
        let x = std::fs::read(a.join(f)).unwrap();
        let y = std::fs::read(b.join(f)).unwrap();
        assert!(x == y, "{f} differs between two runs");
    }
    let v: Value = serde_json::from_slice(&std::fs::read(a.join("result.json")).unwrap()).unwrap();
    assert_eq!(v["timings"]["solve_ms"], 0.0);
}

#[test]
fn help_teaches() {
    let o = run(&["solve", "--help"]);
    let s = stdout(&o);
    for word in [
        "--rule",
        "--solver",
        "--strict",
        "--out",
        "--format",
        "--time-limit",
        "--relax",
        "--deterministic",
    ] {
        assert!(s.contains(word), "{word} missing from help:\n{s}");
    }
}

#[test]
fn absurd_synthetic_cities_are_refused_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("huge.toml");
    let o = run(&[
        "export",
        "--synthetic",
        "1000000000000",
        "--toml",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("limit of 1000000 proposals") && e.contains("--max-proposals"),
        "{e}"
    );
    assert!(!out.exists());
    // Raising the limit is honoured (a small city under a smaller limit fails too).
    let o = run(&[
        "export",
        "--synthetic",
        "300",
        "--max-proposals",
        "200",
        "--toml",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run(&[
        "export",
        "--synthetic",
        "300",
        "--max-proposals",
        "300",
        "--toml",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.exists());
}
