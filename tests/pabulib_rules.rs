//! participa's pabulib rules select what pabutools 1.2.x selects on the real
//! shared instances (references written by
//! `tests/reference/make_pabutools_reference.py`), and the official rules
//! reproduce each file's `selected` column.
//!
//! The data folder is `$PABULIB_DIR`, else `../shared/data/pabulib` next to
//! the crate; without it the tests print why and pass.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{pabulib_dir, pabulib_files};
use participa::pabulib::Election;
use participa::pabulib::parse::read_election;
use participa::pabulib::rules::{MesOptions, Outcome, Rule, apply, official};
use participa::pabulib::satisfaction::SatProfile;
use serde_json::Value;

fn references() -> Vec<(PathBuf, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/pabutools");
    let mut out = vec![];
    for entry in std::fs::read_dir(&dir).expect("reference folder") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            out.push((path, doc));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The rule a reference key stands for.
fn rule_of(key: &str) -> Option<Rule> {
    let mes = |options, completion| Rule::EqualShares {
        options,
        greedy_completion: completion,
    };
    Some(match key {
        "greedy" => Rule::Greedy,
        "mes" => mes(MesOptions::plain(), false),
        "mes-inc1" => mes(MesOptions::add1(), false),
        "mes-inc1-completion" => mes(MesOptions::add1(), true),
        "mes-inc1-no-exhaustive-stop" => mes(
            MesOptions {
                exhaustive_stop: false,
                ..MesOptions::add1()
            },
            false,
        ),
        "max-welfare" => Rule::MaxWelfare,
        _ => return None,
    })
}

/// Files on which participa's election differs from pabutools' by design,
/// so only the selections (not the welfare strings) can be compared.
const POINTS_DIFFER: &[(&str, &str)] = &[(
    "Poland_Czestochowa_2020.pb",
    "voter 13026 names project 579 four times with 1 point each: participa's parser adds the points (4, as the file's `score` column does), pabutools keeps the last (1), so welfare differs by 3",
)];

/// The `selected` ids of a reference outcome.
fn selected_ids(reference: &Value) -> BTreeSet<String> {
    reference["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn ids(e: &Election, o: &Outcome) -> BTreeSet<String> {
    o.selected
        .iter()
        .map(|&p| e.projects[p].id.clone())
        .collect()
}

#[test]
fn rules_select_what_pabutools_selects() {
    let Some(data) = pabulib_dir() else { return };
    let mut checked = 0;
    let mut failures = vec![];
    for (path, doc) in references() {
        let file = data.join(doc["file"].as_str().unwrap());
        let election = read_election(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (rule, reason) in doc["skipped"].as_object().unwrap() {
            eprintln!(
                "skipped: {} {rule}: {}",
                doc["file"],
                reason.as_str().unwrap_or("")
            );
        }
        for (key, reference) in doc["results"].as_object().unwrap() {
            let Some(rule) = rule_of(key) else { continue };
            let sat = reference["satisfaction"].as_str().unwrap().parse().unwrap();
            let ours = apply(&election, &rule, Some(sat)).unwrap();
            let theirs = selected_ids(reference);
            let mut welfare = reference["welfare"].as_str().unwrap().to_string();
            let name = doc["file"].as_str().unwrap();
            if let Some((_, why)) = POINTS_DIFFER.iter().find(|(f, _)| *f == name) {
                // Compare with the welfare of pabutools' selection under participa's points.
                eprintln!("note: {name} {key}: welfare compared under participa's points: {why}");
                let profile = SatProfile::new(&election, sat).unwrap();
                let theirs_idx: Vec<usize> = (0..election.projects.len())
                    .filter(|&p| theirs.contains(&election.projects[p].id))
                    .collect();
                welfare = profile.welfare(&election, &theirs_idx).to_string();
            }
            // Optima are not unique: max-welfare is checked by its value.
            let same = if key == "max-welfare" {
                ours.welfare.to_string() == welfare
            } else {
                ids(&election, &ours) == theirs && ours.welfare.to_string() == welfare
            };
            if !same {
                failures.push(format!(
                    "{} {key}: ours {:?} welfare {}, pabutools {:?} welfare {welfare} ({})",
                    doc["file"],
                    ids(&election, &ours),
                    ours.welfare,
                    theirs,
                    path.display()
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 0, "no reference was checked");
    eprintln!("{checked} (instance, rule) pairs equal pabutools' outcome");
}

#[test]
fn official_rules_reproduce_the_selected_column() {
    let Some(data) = pabulib_dir() else { return };
    let files = pabulib_files(&data);
    let mut checked = 0;
    for file in files {
        let election = read_election(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let rule = election.meta("rule").unwrap_or("");
        if !official::OFFICIAL_RULES.contains(&rule) {
            eprintln!("skipped: {name}: META rule `{rule}` is not implemented");
            continue;
        }
        if election.projects.iter().all(|p| p.selected.is_none()) {
            eprintln!("skipped: {name}: no `selected` column to compare with");
            continue;
        }
        let out = apply(&election, &Rule::Official, None).unwrap();
        let ours = ids(&election, &out);
        let official: BTreeSet<String> = election
            .projects
            .iter()
            .filter(|p| p.selected == Some(true))
            .map(|p| p.id.clone())
            .collect();
        assert_eq!(ours, official, "{name}: official rule `{rule}`");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} files checked");
}

#[test]
fn equal_shares_jumps_agree_with_single_increments_on_every_file() {
    // The increment loop skips shares it can certify change nothing; on the
    // real files it must end where raising the share one unit at a time ends.
    use participa::pabulib::rules::{Money, mes};
    use participa::pabulib::satisfaction::Satisfaction;
    let Some(data) = pabulib_dir() else { return };
    let files = pabulib_files(&data);
    let (mut fast_runs, mut slow_runs) = (0, 0);
    for file in &files {
        let election = read_election(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let money = Money::new(&election).unwrap();
        let profile =
            SatProfile::new(&election, Satisfaction::default_for(election.vote_type)).unwrap();
        for exhaustive_stop in [true, false] {
            let options = MesOptions {
                exhaustive_stop,
                ..MesOptions::add1()
            };
            let fast = mes::equal_shares(&election, &profile, &money, &options);
            let slow = mes::equal_shares_stepwise(&election, &profile, &money, &options);
            assert_eq!(
                fast.selected, slow.selected,
                "{name} stop={exhaustive_stop}"
            );
            assert_eq!(
                fast.increments, slow.increments,
                "{name} stop={exhaustive_stop}"
            );
            eprintln!(
                "{name} stop={exhaustive_stop}: {} increments, {} runs instead of {}",
                slow.increments, fast.runs, slow.runs
            );
            fast_runs += fast.runs;
            slow_runs += slow.runs;
        }
    }
    assert!(fast_runs * 3 < slow_runs, "{fast_runs} runs vs {slow_runs}");
}

#[test]
fn analysis_matches_pabutools_analysis_functions() {
    // tests/reference/pabutools-analysis.json: pabutools'
    // gini_coefficient_of_satisfaction and percent_non_empty_handed on its
    // own greedy and equal-shares outcomes (make_pabutools_analysis.py).
    use participa::pabulib::analyze::analyze;
    let Some(data) = pabulib_dir() else { return };
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/pabutools-analysis.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut checked = 0;
    for (file, rules) in doc["instances"].as_object().unwrap() {
        let election = read_election(&data.join(file)).unwrap();
        for (key, reference) in rules.as_object().unwrap() {
            let rule = rule_of(key).unwrap();
            let outcome = apply(&election, &rule, None).unwrap();
            let theirs = selected_ids(reference);
            assert_eq!(ids(&election, &outcome), theirs, "{file} {key}");
            let profile = SatProfile::new(&election, outcome.satisfaction).unwrap();
            let ours = analyze(&election, &profile, &outcome);
            if let Some((_, why)) = POINTS_DIFFER.iter().find(|(f, _)| f == file) {
                eprintln!("note: {file} {key}: Gini not compared: {why}");
                continue;
            }
            let gini = reference["gini"].as_f64().unwrap();
            assert!(
                (ours.gini - gini).abs() < 1e-9,
                "{file} {key}: Gini {} vs pabutools {gini}",
                ours.gini
            );
            if let Some(reached) = reference["non_empty_handed"].as_f64() {
                assert!(
                    (1.0 - ours.share_nothing_funded - reached).abs() < 1e-12,
                    "{file} {key}: nothing funded for {} vs pabutools non-empty-handed {reached}",
                    ours.share_nothing_funded
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} outcomes checked");
}

#[test]
fn ejr_and_pjr_match_pabutools_on_small_elections() {
    // tests/reference/pabutools-jr.json: pabutools' is_EJR_one_approval and
    // is_PJR_one_approval (cost satisfaction) on 200 random toy elections, five
    // outcomes each (make_pabutools_jr.py). pabutools enumerates every group
    // of voters, which is why the elections are small; needs no shared data.
    use participa::pabulib::Limits;
    use participa::pabulib::analyze::{Jr, JrCheck, jr_up_to_one};
    use participa::pabulib::parse::parse_bytes;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/pabutools-jr.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (mut checked, mut violated) = (0, 0);
    for case in doc["cases"].as_array().unwrap() {
        let text = case["pb"].as_str().unwrap();
        let election = parse_bytes(text.as_bytes(), &Limits::default()).unwrap();
        for outcome in case["outcomes"].as_array().unwrap() {
            let selected: Vec<usize> = outcome["selected"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| {
                    let id = id.as_str().unwrap();
                    election.projects.iter().position(|p| p.id == id).unwrap()
                })
                .collect();
            for (axiom, key) in [(Jr::Ejr, "ejr_up_to_one"), (Jr::Pjr, "pjr_up_to_one")] {
                let theirs = outcome[key].as_bool().unwrap();
                let ours = match jr_up_to_one(&election, &selected, axiom) {
                    JrCheck::Satisfied => true,
                    JrCheck::Violated(witness) => {
                        // The witness is a real violation: its voters approve
                        // every project of the set, which is unfunded in part.
                        assert!(
                            !selected
                                .iter()
                                .any(|&p| election.projects[p].id == witness.missing_project)
                        );
                        violated += 1;
                        false
                    }
                    JrCheck::NotDecided { reason } => panic!("{key} undecided: {reason}\n{text}"),
                };
                assert_eq!(ours, theirs, "{key} on {:?}\n{text}", outcome["selected"]);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2000);
    // Both verdicts occur, so agreeing is not trivial.
    assert!(violated >= 200, "only {violated} violations");
}
