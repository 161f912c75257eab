//! Loading a scenario: files (with `extends`), serde into [`ScenarioFile`],
//! tables from CSV/Parquet, then validation into a [`Scenario`]. Every problem
//! found is reported, each located in its file.

use std::path::Path;

use toml::{Table, Value};

use super::Scenario;
use super::file::{RankEntry, ScenarioFile};
use super::location::{FieldPath, Seg, SourceFile, SourceMap};
use super::merge::load_chain_with;
use super::validate::validate;
use crate::error::{Problem, ScenarioError};

/// Loads and validates the scenario at `path`.
pub fn load_scenario(path: &Path) -> Result<Scenario, ScenarioError> {
    match std::fs::read_to_string(path) {
        Ok(text) => load_scenario_str(&text, path),
        // Unreadable, or not UTF-8: the general path says which, where.
        Err(_) => {
            let (table, map) = load_chain_with(path, None)?;
            from_table(table, &map)
        }
    }
}

/// Loads a scenario from TOML text; `path` names it in messages and anchors
/// relative paths (`extends`, table files).
pub fn load_scenario_str(text: &str, path: &Path) -> Result<Scenario, ScenarioError> {
    if let Some(scenario) = load_alone(text, path) {
        return scenario;
    }
    let (table, map) = load_chain_with(path, Some(text.to_string()))?;
    from_table(table, &map)
}

/// The common case, a file that extends nothing and reads without a serde
/// error, deserialized straight from its text: the general path builds a
/// TOML table (to merge `extends` chains) and deserializes that, twice the
/// work (`participa validate` on a 1,000-proposal city: 8.6 -> 8.0 ms of
/// which 2.7 are the process's start). `None` sends everything else
/// (a chain, or an error to report at its place) down the general path,
/// which reads the file again and says exactly what it says without this.
fn load_alone(text: &str, path: &Path) -> Option<Result<Scenario, ScenarioError>> {
    let mut file: ScenarioFile = toml::from_str(text).ok()?;
    if file.extends.is_some() {
        return None;
    }
    // Table files are named relative to the scenario file, as the general
    // path resolves them (`merge::PATH_FIELDS`).
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    for name in [&mut file.proposals_file, &mut file.delegates_file]
        .into_iter()
        .flatten()
    {
        *name = dir.join(&*name).to_string_lossy().into_owned();
    }
    let map = SourceMap {
        files: vec![SourceFile {
            path: path.to_path_buf(),
            text: text.to_string(),
        }],
    };
    Some(validate(file, &map).map_err(ScenarioError::from))
}

pub(super) fn from_table(table: Table, map: &SourceMap) -> Result<Scenario, ScenarioError> {
    let file: ScenarioFile =
        serde_path_to_error::deserialize(Value::Table(table)).map_err(|e| serde_problem(e, map))?;
    validate(file, map).map_err(ScenarioError::from)
}

/// A serde error turned into a located problem with a fix.
fn serde_problem(e: serde_path_to_error::Error<toml::de::Error>, map: &SourceMap) -> Problem {
    let mut path = FieldPath::root();
    for seg in e.path().iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => path = path.index(*index),
            serde_path_to_error::Segment::Map { key } => path = path.key(key),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    let message = e.inner().message().trim().to_string();
    // Point at the offending key for unknown fields.
    if let Some(name) = backticked(&message, "unknown field `") {
        if path.0.last() != Some(&Seg::Key(name.clone())) {
            path = path.key(&name);
        }
    }
    let fix = if message.starts_with("unknown field") {
        "check the spelling; the accepted names are listed above".to_string()
    } else if let Some(name) = backticked(&message, "missing field `") {
        format!("add `{name} = ...` here")
    } else if message.contains("unknown variant") {
        "use one of the values listed above".to_string()
    } else if message.contains("expected f64")
        || message.contains("expected u64")
        || message.contains("expected usize")
    {
        "write a number (without quotes)".to_string()
    } else if message.contains("expected a string") {
        "write the value in double quotes".to_string()
    } else if message.contains("expected a boolean") {
        "write true or false".to_string()
    } else if message.contains("did not match any variant of untagged enum RankEntry") {
        "a ranking entry is a proposal id in quotes, or a list of tied ids such as [\"a\", \"b\"]"
            .to_string()
    } else {
        "correct the value to the documented type (see README, scenario format)".to_string()
    };
    let (file, lc) = map.locate(&path);
    let mut p = Problem::new(file, path.to_string(), message, fix);
    if let Some((l, c)) = lc {
        p = p.at(l, Some(c));
    }
    p
}

fn backticked(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next().map(str::to_string)
}

/// Parses a ranking written as text: `a > b = c > d` (`>` separates ranks,
/// `=` joins tied proposals).
pub fn parse_ranking_text(s: &str) -> Vec<RankEntry> {
    s.split('>')
        .map(|tier| {
            let ids: Vec<String> = tier
                .split('=')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect();
            if ids.len() == 1 {
                RankEntry::One(ids.into_iter().next().unwrap_or_default())
            } else {
                RankEntry::Tied(ids)
            }
        })
        .filter(|e| !matches!(e, RankEntry::Tied(v) if v.is_empty()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranking_text() {
        assert_eq!(
            parse_ranking_text("a > b = c >d"),
            vec![
                RankEntry::One("a".into()),
                RankEntry::Tied(vec!["b".into(), "c".into()]),
                RankEntry::One("d".into())
            ]
        );
        assert!(parse_ranking_text("  ").is_empty());
    }

    #[test]
    fn a_file_alone_loads_as_the_general_path_loads_it() {
        // Every bundled scenario, fixture and bad input that extends nothing: the
        // shortcut gives the very scenario (or error) the table-and-merge
        // path gives, table files included; those with `extends`, and files
        // that are not scenarios (studies), are left to it.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut alone = 0;
        let dirs = [
            "scenarios",
            "scenarios/compare",
            "tests/fixtures",
            "tests/bad_inputs",
            "tests/fuzz_regressions",
        ];
        for dir in dirs {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "toml") {
                    continue;
                }
                // Not text: `load_scenario` takes the general path for it.
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let general = load_chain_with(&path, None)
                    .map_err(ScenarioError::from)
                    .and_then(|(table, map)| from_table(table, &map));
                match load_alone(&text, &path) {
                    Some(shortcut) => {
                        alone += 1;
                        let (shortcut, general) = (format!("{shortcut:?}"), format!("{general:?}"));
                        assert_eq!(shortcut, general, "{}", path.display());
                    }
                    // Left to the general path: a chain, or a file it rejects.
                    None => assert!(
                        text.contains("extends") || general.is_err(),
                        "{}",
                        path.display()
                    ),
                }
            }
        }
        assert!(alone >= 4, "{alone} files loaded alone");
    }
}
