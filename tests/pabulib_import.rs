//! `participa import`: a `.pb` election as a scenario folder that `solve`
//! reads, with the election kept exactly (the pabulib rules select the same
//! projects from the folder as from the file).

mod common;

use common::*;
use participa::pabulib::import::{SCENARIO, import, read_imported};
use participa::pabulib::parse::read_election;
use participa::pabulib::rules::{MesOptions, Rule, apply};
use participa::pabulib::write::{sections, to_pb_text};
use participa::pabulib::{Election, Limits, parse_bytes};
use serde_json::Value;

/// A small cumulative election written by hand: a project name holding the
/// separator (quoted), districts, a voter column, points in tiers.
const HAND: &str = "\
META
key;value
description;\"Hand-made; quoted\"
country;Nowhere
unit;Town
vote_type;cumulative
budget;100.5
max_sum_points;10
num_projects;4
num_votes;4
PROJECTS
project_id;cost;name;district;category
a;40;\"Park; with trees\";North;greenery,sport
b;30.25;Bridge;South;transport
c;50;Library;North;culture
d;20;Bench;;
VOTES
voter_id;vote;points;age
v1;a,b;6,4;34
v2;c,a,d;5,3,2;
v3;b;10;61
v4;d,c;5,5;20
";

fn hand() -> Election {
    parse_bytes(HAND.as_bytes(), &Limits::default()).expect("hand-made election parses")
}

fn same_election(mut read_back: Election, original: &Election) {
    read_back.source = original.source.clone();
    assert_eq!(&read_back, original);
}

#[test]
fn the_pb_text_of_an_election_parses_to_the_same_election() {
    let e = hand();
    let text = to_pb_text(&sections(&e));
    assert!(
        text.contains("a;40;\"Park; with trees\";greenery,sport;North\n"),
        "{text}"
    );
    assert!(text.contains("b;30.25;"), "{text}");
    same_election(
        parse_bytes(text.as_bytes(), &Limits::default()).unwrap(),
        &e,
    );
}

#[test]
fn every_shared_file_survives_the_text_round_trip() {
    let Some(dir) = pabulib_dir() else { return };
    let mut n = 0;
    for path in pabulib_files(&dir) {
        let e = read_election(&path).unwrap();
        let text = to_pb_text(&sections(&e));
        let back = parse_bytes(text.as_bytes(), &Limits::default())
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        same_election(back, &e);
        n += 1;
    }
    assert_eq!(n, 18, "expected the 18 shared files");
}

#[test]
fn the_scenario_view_has_districts_delegates_and_tiers() {
    let e = hand();
    let imported = import(&e).unwrap();
    // North and South from the projects; d has no district so it is citywide.
    assert_eq!(imported.districts, 2);
    assert_eq!((imported.proposals, imported.delegates), (4, 4));
    assert!(
        imported.toml.contains("amount = 100.5"),
        "{}",
        imported.toml
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = imported.write(&tmp.path().join("hand"), false).unwrap();
    let scenario = participa::load_scenario(&dir.join(SCENARIO)).unwrap();
    let ids: Vec<&str> = scenario.districts.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["North", "South"]);
    // Population: voters naming a project of the district (v1, v2, v4 name
    // North's a or c; v1 and v3 name South's b).
    let pops: Vec<f64> = scenario.districts.iter().map(|d| d.population).collect();
    assert_eq!(pops, [3.0, 2.0]);
    assert_eq!(scenario.proposals[3].district, None);
    assert_eq!(scenario.proposals[0].category, "greenery");
    // Rankings: points in tiers (v2: c 5 > a 3 > d 2; v4: d = c).
    let ranking = |i: usize| -> Vec<Vec<String>> {
        scenario.delegates[i]
            .ranking
            .tiers
            .iter()
            .map(|t| {
                t.iter()
                    .map(|&p| scenario.proposals[p].id.clone())
                    .collect()
            })
            .collect()
    };
    assert_eq!(ranking(1), [["c"], ["a"], ["d"]]);
    assert_eq!(ranking(3), [vec!["d", "c"]]);
    // The election comes back exactly from the folder.
    let back = read_imported(&dir.join(SCENARIO), &Limits::default())
        .unwrap()
        .expect("[pabulib] table");
    same_election(back, &e);
}

fn selected(v: &Value) -> Vec<String> {
    let mut s: Vec<String> = v["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    s.sort();
    s
}

#[test]
fn solve_on_an_imported_scenario_selects_what_solve_on_the_file_selects() {
    let Some(dir) = pabulib_dir() else { return };
    let file = dir.join("Poland_Wieliczka_2023_Green_Budget.pb");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("wieliczka");
    let o = run(&["import", &path_str(&file), "--out", &path_str(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("delegates"), "{}", stderr(&o));
    let scenario = path_str(&out.join(SCENARIO));
    let official = [
        "--rule",
        "equal-shares",
        "--voter-budget-increment",
        "1",
        "--no-exhaustive-stop",
        "--format",
        "json",
    ];
    let from_file = run_json(&[&["solve", &path_str(&file)], &official[..]].concat());
    let from_scenario = run_json(&[&["solve", &scenario], &official[..]].concat());
    assert_eq!(selected(&from_scenario), selected(&from_file));
    assert_eq!(from_scenario["welfare"], from_file["welfare"]);
    // And that is the city's official outcome (the file's `selected` column).
    let e = read_election(&file).unwrap();
    let mut city: Vec<String> = e
        .projects
        .iter()
        .filter(|p| p.selected == Some(true))
        .map(|p| p.id.clone())
        .collect();
    city.sort();
    assert_eq!(selected(&from_scenario), city);
    // Greedy too, and through the library: the same election, the same outcome.
    let back = read_imported(&out.join(SCENARIO), &Limits::default())
        .unwrap()
        .unwrap();
    same_election(back.clone(), &e);
    let rule = Rule::EqualShares {
        options: MesOptions::add1(),
        greedy_completion: false,
    };
    assert_eq!(
        apply(&back, &rule, None).unwrap().selected,
        apply(&e, &rule, None).unwrap().selected
    );
    // The allocation program reads the same folder and stays within the pool.
    let lp = run_json(&["solve", &scenario, "--rule", "optimal", "--format", "json"]);
    let spent = lp["funded_total"].as_f64().expect("funded_total");
    let budget: f64 = e.meta("budget").unwrap().parse().unwrap();
    assert!(
        spent > 0.0 && spent <= budget + 1e-6,
        "spent {spent} of {budget}"
    );
}

#[test]
fn import_refuses_a_full_folder_and_leaves_it_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let pb = tmp.path().join("hand.pb");
    std::fs::write(&pb, HAND).unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let o = run(&["import", &path_str(&pb), "--out", &path_str(&out)]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine"
    );
    let o = run(&[
        "import",
        &path_str(&pb),
        "--out",
        &path_str(&out),
        "--force",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join(SCENARIO).is_file() && !out.join("keep.txt").exists());
}

#[test]
fn a_bad_pb_file_is_reported_with_its_line_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let pb = tmp.path().join("bad.pb");
    std::fs::write(&pb, HAND.replace("b;30.25;Bridge", "b;-3;Bridge")).unwrap();
    let out = tmp.path().join("out");
    let o = run(&["import", &path_str(&pb), "--out", &path_str(&out)]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("bad.pb:14:"), "{err}");
    assert!(err.contains("cost"), "{err}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn pabulib_rules_need_a_pb_file_or_an_imported_scenario() {
    let o = run(&["analyze", &scenario("tiny.toml"), "--rule", "greedy"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("[pabulib]"), "{}", stderr(&o));
    let o = run(&["solve", &scenario("tiny.toml"), "--rule", "equal-shares"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("import"), "{}", stderr(&o));
}

#[test]
fn limits_apply_to_solve_on_a_pb_file() {
    let tmp = tempfile::tempdir().unwrap();
    let pb = tmp.path().join("hand.pb");
    std::fs::write(&pb, HAND).unwrap();
    let o = run(&["solve", &path_str(&pb), "--max-voters", "3"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--max-voters"), "{}", stderr(&o));
    let ok = run(&["solve", &path_str(&pb), "--max-voters", "4"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
}
