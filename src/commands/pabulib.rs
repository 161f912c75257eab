//! `participa validate FILE.pb` (and, later, `participa import`).

use std::path::Path;
use std::process::ExitCode;

use participa::pabulib::{Limits, read_election_with};

/// Whether `path` names a pabulib file (by its extension).
pub fn is_pb(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pb"))
}

pub fn validate(path: &Path, limits: &Limits) -> anyhow::Result<ExitCode> {
    let election = read_election_with(path, limits)?;
    println!("ok: {}", election.summary());
    Ok(ExitCode::SUCCESS)
}
