//! Where a field of a scenario was written: from a field path such as
//! `proposals[3].cost` back to file, line and column, across a chain of
//! `extends` files. Spans come from `toml`'s spanned parser, only when an error
//! needs them.

use std::fmt;
use std::path::PathBuf;

use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A dotted path to a field, e.g. `proposals[3].cost`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }
    pub fn key(&self, k: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_string()));
        FieldPath(v)
    }
    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        FieldPath(v)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A scenario source file and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// The files a scenario was assembled from, most derived first (the file named
/// on the command line, then what it extends, and so on).
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

/// Line and column (1-based, column in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl SourceMap {
    /// The main file (for messages without a more precise place).
    pub fn main_path(&self) -> PathBuf {
        self.files
            .first()
            .map(|f| f.path.clone())
            .unwrap_or_else(|| PathBuf::from("<scenario>"))
    }

    /// The file that defines `path` and the line and column of its value. When no
    /// file has the whole path (a missing field), the deepest existing parent is used.
    pub fn locate(&self, path: &FieldPath) -> (PathBuf, Option<(usize, usize)>) {
        let mut best: Option<(usize, usize, usize)> = None; // (depth, file index, offset)
        for (fi, file) in self.files.iter().enumerate() {
            let Ok(root) = DeTable::parse(&file.text) else {
                continue;
            };
            let (depth, offset) = walk(&root, &path.0);
            if depth == 0 {
                continue;
            }
            if depth == path.0.len() {
                return (file.path.clone(), Some(line_col(&file.text, offset)));
            }
            if best.is_none_or(|(d, _, _)| depth > d) {
                best = Some((depth, fi, offset));
            }
        }
        match best {
            Some((_, fi, offset)) => {
                let f = &self.files[fi];
                (f.path.clone(), Some(line_col(&f.text, offset)))
            }
            None => (self.main_path(), None),
        }
    }
}

/// Line and column of `path` in one TOML text, when the whole path is there.
pub fn locate_in_text(text: &str, path: &FieldPath) -> Option<(usize, usize)> {
    let root = DeTable::parse(text).ok()?;
    let (depth, offset) = walk(&root, &path.0);
    (depth == path.0.len() && depth > 0).then(|| line_col(text, offset))
}

/// How many segments of `path` exist under `root`, and the byte offset of the
/// deepest one found.
fn walk(root: &Spanned<DeTable<'_>>, path: &[Seg]) -> (usize, usize) {
    let mut depth = 0;
    let mut offset = root.span().start;
    let mut current: Option<&DeValue<'_>> = None;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    for seg in path {
        let next: Option<&Spanned<DeValue<'_>>> = match (seg, table, current) {
            (Seg::Key(k), Some(t), _) => {
                let found = t
                    .iter()
                    .find(|(key, _)| key.get_ref().as_ref() == k.as_str());
                if let Some((key, _)) = found {
                    // Point at the key itself: it is where a reader looks.
                    offset = key.span().start;
                }
                found.map(|(_, v)| v)
            }
            (Seg::Index(i), _, Some(DeValue::Array(a))) => a.get(*i),
            _ => None,
        };
        let Some(v) = next else { break };
        depth += 1;
        if matches!(seg, Seg::Index(_)) || !matches!(v.get_ref(), DeValue::Table(_)) {
            offset = v.span().start;
        }
        current = Some(v.get_ref());
        table = match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    (depth, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_array_of_tables_fields() {
        let text = "name = \"x\"\n\n[[proposals]]\nid = \"a\"\ncost = 5\n\n[[proposals]]\nid = \"b\"\ncost = -1\n";
        let map = SourceMap {
            files: vec![SourceFile {
                path: "s.toml".into(),
                text: text.into(),
            }],
        };
        let p = FieldPath::root().key("proposals").index(1).key("cost");
        let (_, lc) = map.locate(&p);
        assert_eq!(lc, Some((9, 8)));
        assert_eq!(p.to_string(), "proposals[1].cost");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
    }
}
