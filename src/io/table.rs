//! Tables from CSV or Parquet, read with polars into text cells so that every
//! value is parsed by one code path that knows the file, the line (CSV) or row
//! (Parquet) and the column, and can say exactly what is wrong.

use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::Problem;

/// A table whose cells are text (or empty), column-major.
#[derive(Debug, Clone)]
pub struct TextTable {
    pub path: PathBuf,
    pub columns: Vec<String>,
    cells: Vec<Vec<Option<String>>>,
    rows: usize,
    csv: bool,
}

/// File formats for tables, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Parquet,
}

impl TableFormat {
    pub fn of(path: &Path) -> Option<Self> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Some(TableFormat::Csv),
            Some("parquet") | Some("pq") => Some(TableFormat::Parquet),
            _ => None,
        }
    }
}

impl TextTable {
    /// Reads a `.csv` or `.parquet` file; cells are trimmed.
    pub fn read(path: &Path) -> Result<Self, Problem> {
        Self::read_with(path, true)
    }

    /// Reads a table keeping every cell's spaces (for text that must come
    /// back exactly as written, such as an imported pabulib election).
    pub fn read_verbatim(path: &Path) -> Result<Self, Problem> {
        Self::read_with(path, false)
    }

    fn read_with(path: &Path, trim: bool) -> Result<Self, Problem> {
        let format = TableFormat::of(path).ok_or_else(|| {
            Problem::new(
                path,
                "",
                "unknown table format",
                "use a .csv or .parquet file",
            )
        })?;
        if !path.exists() {
            return Err(Problem::new(
                path,
                "",
                "the table file does not exist",
                "check the path; in a scenario it is relative to the scenario file",
            ));
        }
        let df = match format {
            TableFormat::Csv => {
                // Check UTF-8 first: polars' message for bad bytes names no line.
                let bytes = std::fs::read(path).map_err(|e| {
                    Problem::new(path, "", format!("cannot read: {e}"), "check the file")
                })?;
                if let Err(e) = std::str::from_utf8(&bytes) {
                    let line = bytes[..e.valid_up_to()]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count()
                        + 1;
                    return Err(Problem::new(
                        path,
                        "",
                        "the file is not valid UTF-8",
                        "save the table as UTF-8 CSV",
                    )
                    .at(line, None));
                }
                if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                    return Err(Problem::new(
                        path,
                        "",
                        "the file is empty",
                        "write a header line with the column names, then one row per record",
                    ));
                }
                CsvReadOptions::default()
                    .with_has_header(true)
                    .with_infer_schema_length(Some(0))
                    .try_into_reader_with_file_path(Some(path.to_path_buf()))
                    .and_then(|r| r.finish())
            }
            TableFormat::Parquet => File::open(path)
                .map_err(PolarsError::from)
                .and_then(|f| ParquetReader::new(f).finish()),
        }
        .map_err(|e| {
            Problem::new(
                path,
                "",
                format!("cannot read the table: {e}"),
                "check that the file is a well-formed table with a header row",
            )
        })?;
        Self::from_frame(path, &df, format == TableFormat::Csv, trim)
    }

    fn from_frame(path: &Path, df: &DataFrame, csv: bool, trim: bool) -> Result<Self, Problem> {
        let mut columns = Vec::new();
        let mut cells = Vec::new();
        for col in df.columns() {
            let name = col.name().to_string();
            let as_text = col.cast(&DataType::String).map_err(|e| {
                Problem::new(
                    path,
                    &name,
                    format!("column cannot be read as text: {e}"),
                    "use plain number, text or boolean columns",
                )
            })?;
            let ca = as_text
                .str()
                .map_err(|e| Problem::new(path, &name, e.to_string(), "use plain columns"))?;
            cells.push(
                ca.iter()
                    .map(|v| {
                        v.map(|s| if trim { s.trim() } else { s }.to_string())
                            .filter(|s| !s.is_empty())
                    })
                    .collect(),
            );
            columns.push(name.trim().to_string());
        }
        Ok(TextTable {
            path: path.to_path_buf(),
            columns,
            cells,
            rows: df.height(),
            csv,
        })
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c == column)
    }

    /// The cell at (`row`, `column`), `None` when empty or the column is absent.
    pub fn get(&self, row: usize, column: &str) -> Option<&str> {
        let c = self.columns.iter().position(|c| c == column)?;
        self.cells[c][row].as_deref()
    }

    /// A problem located at a row and column.
    pub fn problem(
        &self,
        row: usize,
        column: &str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Problem {
        let mut p = Problem::new(&self.path, column, message, fix);
        if self.csv {
            // Line 1 is the header.
            p = p.at(
                row + 2,
                self.columns.iter().position(|c| c == column).map(|c| c + 1),
            );
        } else {
            p.message = format!("row {}: {}", row + 1, p.message);
        }
        p
    }

    /// Problems for columns that are not in `allowed`, and for missing `required` ones.
    pub fn check_columns(&self, required: &[&str], allowed: &[&str]) -> Vec<Problem> {
        let mut out = Vec::new();
        for r in required {
            if !self.has(r) {
                out.push(Problem::new(
                    &self.path,
                    *r,
                    format!("required column `{r}` is missing"),
                    format!(
                        "add a `{r}` column; the header must include {}",
                        required.join(", ")
                    ),
                ));
            }
        }
        for c in &self.columns {
            if !allowed.contains(&c.as_str()) {
                out.push(Problem::new(
                    &self.path,
                    c,
                    format!("unknown column `{c}`"),
                    format!(
                        "rename or remove it; accepted columns: {}",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        out
    }

    /// Required text cell.
    pub fn text(&self, row: usize, column: &str, problems: &mut Vec<Problem>) -> String {
        match self.get(row, column) {
            Some(s) => s.to_string(),
            None => {
                if self.has(column) {
                    problems.push(self.problem(
                        row,
                        column,
                        "empty cell",
                        format!("fill in `{column}`"),
                    ));
                }
                String::new()
            }
        }
    }

    /// Optional number cell; a cell that is not a finite number is a problem.
    pub fn number(&self, row: usize, column: &str, problems: &mut Vec<Problem>) -> Option<f64> {
        let s = self.get(row, column)?;
        match s.replace('_', "").parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            Ok(v) => {
                problems.push(self.problem(
                    row,
                    column,
                    format!("{v} is not a finite number"),
                    "write a finite number",
                ));
                None
            }
            Err(_) => {
                problems.push(self.problem(
                    row,
                    column,
                    format!("`{s}` is not a number"),
                    "write a plain number such as 125000 or 0.25 (no currency signs or thousands commas)",
                ));
                None
            }
        }
    }

    /// Optional boolean cell (true/false, yes/no, 1/0).
    pub fn boolean(&self, row: usize, column: &str, problems: &mut Vec<Problem>) -> Option<bool> {
        let s = self.get(row, column)?;
        match s.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "y" => Some(true),
            "false" | "no" | "0" | "n" => Some(false),
            _ => {
                problems.push(self.problem(
                    row,
                    column,
                    format!("`{s}` is not true or false"),
                    "write true or false",
                ));
                None
            }
        }
    }
}
