//! Real participatory-budgeting elections in the pabulib `.pb` format
//! (<https://pabulib.org/format>), and the rules cities and researchers apply
//! to them, selecting exactly what pabutools 1.2.x selects.
//!
//! An [`Election`] holds the parsed file compactly: ballots are stored as one
//! flat array of project indices with offsets (CSR), so an 80,000-voter file
//! costs a few megabytes and rules walk it without pointer chasing. Money is
//! exact ([`BigRational`]): pabutools compares fractions, and reproducing its
//! tie-breaking needs the same arithmetic.

use std::path::PathBuf;

use num_rational::BigRational;

pub mod parse;

pub use parse::{Limits, parse_bytes, parse_election, read_election, read_election_with};

/// How voters expressed themselves (META `vote_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VoteType {
    /// A set of approved projects.
    Approval,
    /// A ranking, best first.
    Ordinal,
    /// Points spread over projects (`points` column), within a total.
    Cumulative,
    /// Points given to projects (`points` column), each within a range.
    Scoring,
    /// Exactly one project.
    #[serde(rename = "choose-1")]
    Choose1,
}

/// One project of the PROJECTS section.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// `project_id` exactly as written in the file.
    pub id: String,
    /// `cost`, exact (pabulib writes e.g. `4000.0`).
    pub cost: BigRational,
    pub name: Option<String>,
    /// `category` split on `,` (empty when absent).
    pub categories: Vec<String>,
    /// `district`, else `subunit` (the project's area), if the file has one.
    pub district: Option<String>,
    /// `votes` column: ballots naming the project, as the file states it.
    pub votes: Option<u64>,
    /// `score` column (e.g. Krakow's 3-2-1 points), as the file states it.
    pub score: Option<f64>,
    /// `selected` column: the official outcome (`1` selected).
    pub selected: Option<bool>,
    /// Every other column, in file order (header name, value).
    pub extra: Vec<(String, String)>,
}

/// The VOTES section, compact: voter `v` named projects
/// `projects[offsets[v]..offsets[v + 1]]` (indices into [`Election::projects`]),
/// in ballot order (best first for ordinal ballots).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ballots {
    pub voter_ids: Texts,
    pub offsets: Vec<u32>,
    pub projects: Vec<u32>,
    /// Parallel to `projects`: the `points` column for cumulative and scoring
    /// ballots (integers; a file with fractional points is refused with a clear error).
    pub points: Option<Vec<i64>>,
    /// Every other voter column (e.g. `district`, `age`, `sex`), header name and
    /// one value per voter (empty string where the file has none).
    pub extra: Vec<(String, Texts)>,
}

/// A column of short strings in one buffer: voter ids and voter columns
/// without an allocation per voter (a quarter of parsing a file with a few
/// voter columns went to allocating and freeing them one by one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Texts {
    text: String,
    /// End of each string in `text` (its start is the previous end).
    ends: Vec<usize>,
}

impl Texts {
    pub fn with_capacity(strings: usize) -> Self {
        Texts {
            text: String::new(),
            ends: Vec::with_capacity(strings),
        }
    }

    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.text[start..end])
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| &self[i])
    }
}

impl std::ops::Index<usize> for Texts {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.get(i)
            .unwrap_or_else(|| panic!("string {i} of a column of {}", self.len()))
    }
}

impl<S: AsRef<str>> FromIterator<S> for Texts {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut texts = Texts::default();
        for s in iter {
            texts.push(s.as_ref());
        }
        texts
    }
}

impl Ballots {
    /// Number of voters.
    pub fn len(&self) -> usize {
        self.voter_ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.voter_ids.is_empty()
    }

    /// The project indices voter `v` named, in ballot order.
    pub fn ballot(&self, v: usize) -> &[u32] {
        &self.projects[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// The points voter `v` gave, parallel to [`Ballots::ballot`].
    pub fn points_of(&self, v: usize) -> Option<&[i64]> {
        self.points
            .as_ref()
            .map(|p| &p[self.offsets[v] as usize..self.offsets[v + 1] as usize])
    }
}

/// A whole `.pb` file.
#[derive(Debug, Clone, PartialEq)]
pub struct Election {
    /// The file it came from (for messages).
    pub source: PathBuf,
    /// Every META key and value in file order; unknown keys are kept.
    pub meta: Vec<(String, String)>,
    pub vote_type: VoteType,
    /// META `budget`, exact.
    pub budget: BigRational,
    pub projects: Vec<Project>,
    pub ballots: Ballots,
}

impl Election {
    /// A META value by key.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

pub mod analyze;
pub mod import;
pub mod rules;
pub mod satisfaction;
pub mod write;
