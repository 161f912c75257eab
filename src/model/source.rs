//! A scenario before validation, as merged TOML, so that sweeps can set any
//! numeric field by its dotted path (`budget.sources.Tax abatements.to_pool`,
//! `formula.weights.need`, `constraints.entitlement_floor`) and validate each
//! variant with the same checks and messages as a file.

use std::path::Path;

use toml::{Table, Value};

use super::Scenario;
use super::load::from_table;
use super::location::SourceMap;
use super::merge::load_chain_with;
use crate::error::ScenarioError;

/// Fields that identify an element of an array of tables in a dotted path.
const KEYS: [&str; 4] = ["name", "id", "category", "group"];

/// A loaded, merged scenario file that can be varied and then validated.
#[derive(Debug, Clone)]
pub struct ScenarioSource {
    table: Table,
    map: SourceMap,
}

impl ScenarioSource {
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let (table, map) = load_chain_with(path, None)?;
        Ok(ScenarioSource { table, map })
    }

    /// Validates into a [`Scenario`].
    pub fn build(&self) -> Result<Scenario, ScenarioError> {
        from_table(self.table.clone(), &self.map)
    }

    /// The numeric value at `path`, if there is one.
    pub fn number(&self, path: &str) -> Option<f64> {
        // Reading is rare (once per sweep axis): walk a copy.
        let mut table = self.table.clone();
        let (parent, key) = resolve_in(&mut table, path).ok()?;
        match parent.get(&key)? {
            Value::Integer(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// Sets the number at `path`. Segments walk tables by key; in an array of
    /// tables a segment selects the element whose `name`, `id`, `category` or
    /// `group` equals it (or, if it is a number, the element at that index).
    /// The last key may be new, in an existing table.
    pub fn set_number(&mut self, path: &str, value: f64) -> Result<(), String> {
        let (parent, key) = resolve_in(&mut self.table, path)?;
        let keep_integer =
            matches!(parent.get(&key), Some(Value::Integer(_))) && value.fract().abs() < 1e-12;
        match parent.get(&key) {
            None | Some(Value::Integer(_)) | Some(Value::Float(_)) => {}
            Some(other) => return Err(format!("`{path}` is a {}, not a number", other.type_str())),
        }
        let v = if keep_integer {
            Value::Integer(value as i64)
        } else {
            Value::Float(value)
        };
        parent.insert(key, v);
        Ok(())
    }
}

fn resolve_in<'t>(root: &'t mut Table, path: &str) -> Result<(&'t mut Table, String), String> {
    let segs: Vec<&str> = path.split('.').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "`{path}` is not a dotted path such as constraints.entitlement_floor"
        ));
    }
    let (last, walk) = segs.split_last().expect("non-empty");
    let mut table = root;
    let mut i = 0;
    while i < walk.len() {
        let seg = walk[i];
        let here = walk[..=i].join(".");
        let next = table
            .get_mut(seg)
            .ok_or_else(|| format!("`{here}` is not in the scenario"))?;
        table = match next {
            Value::Table(t) => t,
            Value::Array(items) => {
                i += 1;
                let sel = *walk.get(i).ok_or_else(|| {
                    format!("`{here}` is a list: name an element, e.g. `{here}.<name>.<field>`")
                })?;
                let pos = match sel.parse::<usize>() {
                    Ok(n) if n < items.len() => Some(n),
                    _ => items.iter().position(|it| {
                        it.as_table().is_some_and(|t| {
                            KEYS.iter()
                                .any(|k| t.get(*k).and_then(Value::as_str) == Some(sel))
                        })
                    }),
                };
                let pos = pos.ok_or_else(|| format!("no element of `{here}` is named `{sel}`"))?;
                items[pos]
                    .as_table_mut()
                    .ok_or_else(|| format!("`{here}.{sel}` is not a table"))?
            }
            other => return Err(format!("`{here}` is a {}, not a table", other.type_str())),
        };
        i += 1;
    }
    Ok((table, last.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> ScenarioSource {
        ScenarioSource::load(Path::new("tests/fixtures/sources.toml")).unwrap()
    }

    #[test]
    fn sets_fields_by_dotted_path() {
        let mut s = source();
        assert_eq!(s.number("budget.sources.Tax abatements.to_pool"), Some(0.1));
        s.set_number("budget.sources.Tax abatements.to_pool", 0.5)
            .unwrap();
        s.set_number("formula.weights.need", 3.0).unwrap();
        s.set_number("constraints.entitlement_floor", 0.25).unwrap();
        let sc = s.build().unwrap();
        // 500,000 fixed + 2,500,000 + 500,000.
        assert!((sc.pool.amount - 3_500_000.0).abs() < 1e-9);
        assert!((sc.constraints.entitlement_floor - 0.25).abs() < 1e-12);
        // Integers stay integers where the file had one.
        s.set_number("seed", 7.0).unwrap();
        assert_eq!(s.build().unwrap().seed, 7);
    }

    #[test]
    fn explains_paths_that_do_not_resolve() {
        let mut s = source();
        let e = s
            .set_number("budget.sources.Nope.to_pool", 0.5)
            .unwrap_err();
        assert!(
            e.contains("no element of `budget.sources` is named `Nope`"),
            "{e}"
        );
        let e = s.set_number("budget.sources", 0.5).unwrap_err();
        assert!(e.contains("not a number"), "{e}");
        let e = s.set_number("nothing.here", 1.0).unwrap_err();
        assert!(e.contains("`nothing` is not in the scenario"), "{e}");
        // A value that validation refuses is reported like a file error.
        s.set_number("budget.sources.Tax abatements.to_pool", 1.5)
            .unwrap();
        assert!(s.build().unwrap_err().to_string().contains("to_pool"));
    }
}
