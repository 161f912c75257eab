//! `extends = "base.toml"`: a scenario file may name a base and override some of
//! its fields. Tables merge key by key (recursively); any other value, arrays
//! included, replaces the base's. So `[constraints] entitlement_floor = 0.8` in a
//! small file changes one number and keeps the rest of the base.

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::location::{FieldPath, SourceFile, SourceMap, line_col, locate_in_text};
use crate::error::Problem;

/// Fields holding paths to other files, resolved against the directory of the
/// file that names them (so a base's tables are found wherever the child lives).
const PATH_FIELDS: [&str; 2] = ["proposals_file", "delegates_file"];

/// Upper bound on the length of an `extends` chain.
const MAX_CHAIN: usize = 32;

/// Reads `path` (or takes `first_text` as its content) and every base it
/// extends; returns the merged table and the source map (most derived first).
pub fn load_chain_with(
    path: &Path,
    first_text: Option<String>,
) -> Result<(Table, SourceMap), Vec<Problem>> {
    let mut first_text = first_text;
    let mut map = SourceMap::default();
    let mut tables: Vec<Table> = Vec::new();
    let mut visited: Vec<PathBuf> = Vec::new();
    let mut next = Some((path.to_path_buf(), None::<(PathBuf, FieldPath)>));
    while let Some((file, named_by)) = next.take() {
        let canonical = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
        // Where the child names this file (the child is the last file read).
        let at = named_by.as_ref().and_then(|(_, field)| {
            map.files
                .last()
                .and_then(|f| locate_in_text(&f.text, field))
        });
        let place = |p: Problem| match at {
            Some((l, c)) if p.line.is_none() => p.at(l, Some(c)),
            _ => p,
        };
        if let Some((child, _)) = &named_by {
            if visited.contains(&canonical) {
                return Err(vec![place(Problem::new(
                    child,
                    "extends",
                    format!(
                        "`extends` forms a cycle: {} extends {}, which is already in the chain ({})",
                        child.display(),
                        file.display(),
                        visited
                            .iter()
                            .map(|p| p.display().to_string())
                            .collect::<Vec<_>>()
                            .join(" -> ")
                    ),
                    "remove the `extends` line from one of these files",
                ))]);
            }
            if visited.len() >= MAX_CHAIN {
                return Err(vec![place(Problem::new(
                    child,
                    "extends",
                    format!("`extends` chain is longer than {MAX_CHAIN} files"),
                    "flatten the chain of scenario files",
                ))]);
            }
        }
        visited.push(canonical);
        let text = match first_text.take() {
            Some(t) => t,
            None => read_text(&file, named_by.as_ref().map(|(c, _)| c.as_path()))
                .map_err(|p| vec![place(p)])?,
        };
        let mut table: Table = text.parse().map_err(|e: toml::de::Error| {
            let mut p = Problem::new(
                &file,
                "",
                format!("TOML syntax error: {}", e.message().trim()),
                "fix the TOML syntax at this place (strings need quotes, tables [name], arrays [a, b])",
            );
            if let Some(span) = e.span() {
                let (l, c) = line_col(&text, span.start);
                p = p.at(l, Some(c));
            }
            vec![p]
        })?;
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        for key in PATH_FIELDS {
            if let Some(Value::String(s)) = table.get_mut(key) {
                let resolved = dir.join(&*s);
                *s = resolved.to_string_lossy().into_owned();
            }
        }
        match table.remove("extends") {
            Some(Value::String(base)) => {
                next = Some((
                    dir.join(&base),
                    Some((file.clone(), FieldPath::root().key("extends"))),
                ));
            }
            Some(other) => {
                map.files.push(SourceFile {
                    path: file.clone(),
                    text,
                });
                let (f, lc) = map.locate(&FieldPath::root().key("extends"));
                let mut p = Problem::new(
                    f,
                    "extends",
                    format!("expected a file path, found a {}", other.type_str()),
                    "write extends = \"base.toml\"",
                );
                if let Some((l, c)) = lc {
                    p = p.at(l, Some(c));
                }
                return Err(vec![p]);
            }
            None => {}
        }
        map.files.push(SourceFile { path: file, text });
        tables.push(table);
    }
    let mut merged = Table::new();
    for t in tables.into_iter().rev() {
        merge_into(&mut merged, t);
    }
    Ok((merged, map))
}

fn read_text(file: &Path, named_by: Option<&Path>) -> Result<String, Problem> {
    let bytes = std::fs::read(file).map_err(|e| match named_by {
        Some(child) => Problem::new(
            child,
            "extends",
            format!("base scenario {} cannot be read: {e}", file.display()),
            "check the path; it is relative to the file that names it",
        ),
        None => Problem::new(
            file,
            "",
            format!("cannot read the scenario file: {e}"),
            "check the path and that the file is readable",
        ),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or("");
        let (l, c) = line_col(valid, offset);
        Problem::new(
            file,
            "",
            format!("the file is not valid UTF-8 (invalid byte at offset {offset})"),
            "save the file as UTF-8",
        )
        .at(l, Some(c))
    })
}

/// Overlays `top` onto `base`: tables merge recursively, other values replace.
/// A table whose `kind` differs from the base's (a formula of another kind)
/// replaces it whole: the base's fields belong to the other kind.
pub fn merge_into(base: &mut Table, top: Table) {
    for (k, v) in top {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(t)) if same_kind(b, &t) => merge_into(b, t),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn same_kind(a: &Table, b: &Table) -> bool {
    match (a.get("kind"), b.get("kind")) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_merge_arrays_replace() {
        let mut base: Table = "a = 1\n[t]\nx = 1\ny = 2\n[[arr]]\nv = 1\n[[arr]]\nv = 2\n"
            .parse()
            .unwrap();
        let top: Table = "[t]\ny = 3\n[[arr]]\nv = 9\n".parse().unwrap();
        merge_into(&mut base, top);
        let want: Table = "a = 1\n[t]\nx = 1\ny = 3\n[[arr]]\nv = 9\n"
            .parse()
            .unwrap();
        assert_eq!(base, want);
    }
}
