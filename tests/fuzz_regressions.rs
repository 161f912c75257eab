//! Inputs found by the cargo-fuzz targets in `fuzz/` (crashes, minimised, and
//! inputs that reached deep paths), replayed on every test run: each must give a
//! scenario or a located error naming its file, never a panic.
//! Add a file to `tests/fuzz_regressions/<target>/` to pin a new one.

use std::fs;
use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

/// An error message must say which file it is about.
fn assert_located(message: &str, file: &Path) {
    let name = file.file_name().unwrap().to_string_lossy();
    assert!(
        message.contains(name.as_ref()),
        "the error does not name {name}: {message}"
    );
}

#[test]
fn scenario_toml_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    for input in inputs("scenario_toml") {
        let bytes = fs::read(&input).unwrap();
        let path = dir.path().join("fuzz.toml");
        // The fuzz target skips non-UTF-8 input; the file loader must refuse it.
        fs::write(&path, &bytes).unwrap();
        let from_file = participa::load_scenario(&path);
        if let Err(e) = &from_file {
            assert_located(&e.to_string(), &path);
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let from_text = participa::model::load_scenario_str(text, &path);
            assert_eq!(
                from_file.is_ok(),
                from_text.is_ok(),
                "{}: loading from the file and from the text disagree",
                input.display()
            );
        }
    }
}

#[test]
fn scenario_csv_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("scenario.toml");
    fs::write(
        &scenario,
        fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions/scenario_csv.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let table = dir.path().join("proposals.csv");
    let mut loaded = 0;
    for input in inputs("scenario_csv") {
        fs::write(&table, fs::read(&input).unwrap()).unwrap();
        match participa::load_scenario(&scenario) {
            Ok(s) => {
                loaded += 1;
                assert!(
                    s.proposals
                        .iter()
                        .all(|p| p.cost > 0.0 && p.cost.is_finite())
                );
            }
            // A bad cell names the table; a ranking naming a proposal the table
            // lacks names the scenario.
            Err(e) => {
                let m = e.to_string();
                assert!(
                    m.contains("proposals.csv") || m.contains("scenario.toml"),
                    "{}: the error names neither file: {m}",
                    input.display()
                );
            }
        }
    }
    // The seed table is valid: the harness itself works.
    assert!(loaded >= 1, "no input loaded: the fixed scenario is broken");
}

#[test]
fn pb_inputs_never_panic() {
    use participa::pabulib::parse::{Limits, parse_bytes, read_election};
    let mut parsed = 0;
    for input in inputs("pb_parse") {
        let bytes = fs::read(&input).unwrap();
        // The fuzz target's entry point and the file reader agree.
        let from_bytes = parse_bytes(&bytes, &Limits::default());
        let from_file = read_election(&input);
        assert_eq!(
            from_bytes.is_ok(),
            from_file.is_ok(),
            "{}: parse_bytes and read_election disagree",
            input.display()
        );
        match from_file {
            Ok(e) => {
                parsed += 1;
                let b = &e.ballots;
                assert_eq!(b.offsets.len(), b.len() + 1);
                assert!(b.projects.iter().all(|&p| (p as usize) < e.projects.len()));
            }
            Err(e) => assert_located(&e.to_string(), &input),
        }
    }
    assert!(parsed >= 1, "the valid seeds no longer parse");
}
