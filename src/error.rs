//! Errors of every pipeline stage, joined into the crate's [`Error`].
//!
//! Bad input is an error; an allocation that cannot meet every floor is *not*
//! (see [`crate::solve::Status`]).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// One thing wrong with an input, located as precisely as the input allows:
/// the file, the line and column where the format gives one, the field, what is
/// wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted path of the field, e.g. `proposals[3].cost`, or a column name for tables.
    pub field: String,
    pub message: String,
    pub fix: String,
}

impl Problem {
    pub fn new(
        file: impl AsRef<Path>,
        field: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.as_ref().to_path_buf(),
            line: None,
            column: None,
            field: field.into(),
            message: message.into(),
            fix: fix.into(),
        }
    }

    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if !self.field.is_empty() {
            write!(f, ": `{}`", self.field)?;
        }
        write!(f, ": {}", self.message)?;
        if !self.fix.is_empty() {
            write!(f, "\n    fix: {}", self.fix)?;
        }
        Ok(())
    }
}

/// A list of problems, displayed one per line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })?;
        for p in &self.0 {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

/// Loading or validating a scenario failed.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// Every problem found in the scenario (validation does not stop at the first).
    #[error("invalid scenario: {0}")]
    Invalid(Problems),
}

impl ScenarioError {
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Invalid(p) => &p.0,
        }
    }
}

impl From<Problem> for ScenarioError {
    fn from(p: Problem) -> Self {
        ScenarioError::Invalid(Problems(vec![p]))
    }
}

impl From<Vec<Problem>> for ScenarioError {
    fn from(p: Vec<Problem>) -> Self {
        ScenarioError::Invalid(Problems(p))
    }
}

/// Building or solving an allocation failed for a reason other than the
/// constraints themselves (those are reported in the result's status).
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    #[error("solver backend `{backend}` is not available in this build: {hint}")]
    BackendUnavailable { backend: String, hint: String },
    #[error("{0}")]
    Unsupported(String),
    #[error("the {backend} solver failed: {message}")]
    Backend { backend: String, message: String },
    #[error("the need formula cannot be evaluated: {0}")]
    Formula(#[from] FormulaError),
}

/// A need-weighting formula could not produce shares.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormulaError {
    #[error("district table is empty")]
    Empty,
    #[error("district `{district}` has no value for indicator `{indicator}`")]
    MissingIndicator { district: String, indicator: String },
    #[error("{0}")]
    Invalid(String),
    #[error("the formula gives every district zero weight: {0}")]
    AllZero(String),
}

/// Writing outputs failed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot build table {name}: {message}")]
    Table { name: String, message: String },
    #[error("output folder {0} already exists and is not empty; pass --force to replace it")]
    Exists(PathBuf),
}

/// A pabulib `.pb` file (or a scenario imported from one) could not be read.
/// The parser stops at the first problem: later lines are read relative to
/// earlier ones (the header, the projects), so a second problem would often be
/// a consequence of the first.
#[derive(Debug, thiserror::Error)]
pub enum PabulibError {
    #[error("invalid pabulib file:\n  {0}")]
    Invalid(Problem),
}

impl PabulibError {
    pub fn problem(&self) -> &Problem {
        match self {
            PabulibError::Invalid(p) => p,
        }
    }
}

/// The crate's error: one variant per pipeline stage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Solve(#[from] SolveError),
    #[error(transparent)]
    Formula(#[from] FormulaError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Metric(#[from] crate::metrics::MetricError),
    #[error(transparent)]
    Pabulib(#[from] PabulibError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
