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
