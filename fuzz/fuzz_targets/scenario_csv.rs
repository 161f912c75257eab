//! Any bytes as the proposals table (CSV) of a fixed, otherwise valid scenario:
//! reading the table with polars and validating its cells must give a scenario
//! or a located error, never panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const SCENARIO: &str = include_str!("../../tests/fuzz_regressions/scenario_csv.toml");

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("participa-fuzz-csv-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("scenario.toml"), SCENARIO).unwrap();
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let d = dir();
    std::fs::write(d.join("proposals.csv"), data).unwrap();
    let _ = participa::model::load_scenario(&d.join("scenario.toml"));
});
