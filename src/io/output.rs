//! Outputs appear whole or not at all: a folder is filled under a temporary
//! name next to its destination and renamed into place only when every file
//! is written; a single file is written to a temporary file and renamed.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::OutputError;

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An output folder being filled. Dropped without [`OutputDir::commit`], it
/// vanishes with everything written to it.
pub struct OutputDir {
    tmp: tempfile::TempDir,
    dest: PathBuf,
    force: bool,
}

impl OutputDir {
    /// Prepares to write `dest`. An existing non-empty `dest` is refused unless
    /// `force` (then it is replaced at commit, not before).
    pub fn create(dest: &Path, force: bool) -> Result<Self, OutputError> {
        if dest.exists() && !force {
            let empty = std::fs::read_dir(dest)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !empty {
                return Err(OutputError::Exists(dest.to_path_buf()));
            }
        }
        let parent = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.partial-"))
            .tempdir_in(&parent)
            .map_err(io_err(&parent))?;
        Ok(OutputDir {
            tmp,
            dest: dest.to_path_buf(),
            force,
        })
    }

    /// Path of `name` inside the folder being written.
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// Moves the finished folder into place.
    pub fn commit(self) -> Result<PathBuf, OutputError> {
        if self.dest.exists() {
            if self.force || is_empty_dir(&self.dest) {
                std::fs::remove_dir_all(&self.dest).map_err(io_err(&self.dest))?;
            } else {
                return Err(OutputError::Exists(self.dest));
            }
        }
        let tmp = self.tmp.keep();
        // Temporary folders are private (0700); an output folder is not.
        set_mode(&tmp, 0o755);
        std::fs::rename(&tmp, &self.dest).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            OutputError::Io {
                path: self.dest.clone(),
                source: e,
            }
        })?;
        Ok(self.dest)
    }
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

fn is_empty_dir(p: &Path) -> bool {
    std::fs::read_dir(p)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

/// Writes one file atomically: into a temporary file beside it, then renamed.
pub fn write_file_atomic(dest: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&parent).map_err(io_err(&parent))?;
    tmp.write_all(bytes).map_err(io_err(dest))?;
    // Temporary files are private (0600); an output file is not.
    set_mode(tmp.path(), 0o644);
    tmp.persist(dest).map_err(|e| OutputError::Io {
        path: dest.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

fn table_err(path: &Path) -> impl FnOnce(PolarsError) -> OutputError + '_ {
    move |e| OutputError::Table {
        name: path.display().to_string(),
        message: e.to_string(),
    }
}

/// CSV with a header row, `.` as decimal point.
pub fn write_csv(df: &DataFrame, path: &Path) -> Result<(), OutputError> {
    let bytes = csv_named(df, path)?;
    let mut f = File::create(path).map_err(io_err(path))?;
    f.write_all(&bytes).map_err(io_err(path))
}

/// CSV into a byte buffer (for stdout).
///
/// The header line is written here, not by polars: its header writer builds
/// an empty null array, whose first use allocates and zeroes an 8 MiB buffer
/// (measured: 1-4 ms of a 15 ms `solve`, more than the rows).
pub fn csv_bytes(df: &DataFrame) -> Result<Vec<u8>, OutputError> {
    csv_named(df, Path::new("<stdout>"))
}

fn csv_named(df: &DataFrame, name: &Path) -> Result<Vec<u8>, OutputError> {
    let mut buf = csv_header(df);
    let mut df = df.clone();
    CsvWriter::new(&mut buf)
        .include_header(false)
        .finish(&mut df)
        .map_err(table_err(name))?;
    Ok(buf)
}

/// The header line polars would write: names joined by commas, quoted (with
/// inner quotes doubled) where they hold a comma, quote or line break, and
/// `""` for an empty name.
fn csv_header(df: &DataFrame) -> Vec<u8> {
    let mut line = String::new();
    for (i, name) in df.get_column_names().iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if name.is_empty() {
            line.push_str("\"\"");
        } else if name.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&name.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(name);
        }
    }
    line.push('\n');
    line.into_bytes()
}

/// Parquet, Snappy-compressed, single-threaded so bytes are reproducible.
///
/// Snappy, not zstd: polars makes a fresh zstd context per column chunk
/// (about a megabyte each, zeroed), which cost more than the rows of a solve's
/// small tables. Buffered: the writer emits the footer field by field.
pub fn write_parquet(df: &DataFrame, path: &Path) -> Result<(), OutputError> {
    let f = File::create(path).map_err(io_err(path))?;
    let mut w = std::io::BufWriter::new(f);
    let mut df = df.clone();
    ParquetWriter::new(&mut w)
        .with_compression(ParquetCompression::Snappy)
        .set_parallel(false)
        .finish(&mut df)
        .map_err(table_err(path))?;
    w.flush().map_err(io_err(path))
}

/// Pretty JSON with a trailing newline.
pub fn write_json<T: serde::Serialize>(value: &T, path: &Path) -> Result<(), OutputError> {
    let mut s = serde_json::to_string_pretty(value).map_err(|e| OutputError::Table {
        name: path.display().to_string(),
        message: e.to_string(),
    })?;
    s.push('\n');
    write_text(&s, path)
}

/// Text already made (a document serialized once for a file and the terminal).
pub fn write_text(text: &str, path: &Path) -> Result<(), OutputError> {
    std::fs::write(path, text).map_err(io_err(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written header matches polars' own, quoting included, so the
    /// CSV files are byte for byte what polars alone writes.
    #[test]
    fn csv_matches_polars_with_its_own_header() {
        let df = df! {
            "id" => ["a", "b,c"],
            "a \"quoted\" name" => [1.5, -2.0],
            "with,comma" => [true, false],
            "line\nbreak" => [Some(1i64), None],
            "" => ["x", "y"],
        }
        .unwrap();
        let mut reference = Vec::new();
        CsvWriter::new(&mut reference)
            .include_header(true)
            .finish(&mut df.clone())
            .unwrap();
        let ours = csv_bytes(&df).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(reference).unwrap()
        );
    }
}
