//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod random;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The `participa` binary built for this test run.
pub fn participa() -> Command {
    Command::cargo_bin("participa").expect("binary built")
}

pub fn run(args: &[&str]) -> Output {
    participa().args(args).output().expect("runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn scenario(name: &str) -> String {
    root()
        .join("scenarios")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

pub fn path_str(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The shared pabulib folder: `$PABULIB_DIR`, else `../shared/data/pabulib`
/// next to the crate; `None`, with the reason printed, when it is absent (the
/// files are not redistributed with participa, so tests skip without them).
pub fn pabulib_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PABULIB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data/pabulib"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: pabulib data folder {} not found (set PABULIB_DIR)",
            dir.display()
        );
        None
    }
}

/// Every `.pb` file of a folder, sorted by name.
pub fn pabulib_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("pabulib folder")
        .map(|e| e.expect("folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pb"))
        .collect();
    files.sort();
    files
}

/// `participa ARGS`, which must succeed, its stdout parsed as JSON.
pub fn run_json(args: &[&str]) -> serde_json::Value {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

/// A refusal's third line is its fix (`file:line: field: message`, the
/// message, then `fix: ...`).
pub fn assert_fix_line(file: &str, err: &str) {
    assert!(
        err.lines()
            .nth(2)
            .unwrap_or_default()
            .trim_start()
            .starts_with("fix: "),
        "{file}: no fix line\n{err}"
    );
}
