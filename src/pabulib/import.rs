//! A pabulib election as a participa scenario (`participa import`).
//!
//! The scenario folder holds two views of the election:
//! - the *scenario* view the allocation program reads: one district per
//!   project `district`/`subunit` value (one city-wide district when the file
//!   has none), the projects as proposals, and each voter as a delegate whose
//!   ranking is their ballot (ordinal: in order; approval: one tied tier;
//!   points: tiers by points);
//! - the *election* itself, for the pabulib rules: META in the TOML's
//!   `[pabulib]` table, PROJECTS and VOTES as tables of text cells, which
//!   [`read_imported`] joins back into `.pb` text for the one parser. So
//!   `solve scenario.toml --rule equal-shares` selects exactly what `solve
//!   FILE.pb --rule equal-shares` selects.
//!
//! The districts' need, poverty and infrastructure indices are not in pabulib
//! files: they are written as 0 and the TOML says to fill them in; population
//! is the number of voters who named a project of the district.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::write::{Sections, TextSection, approx, sections, to_pb_text};
use super::{Election, Limits, VoteType, parse_election};
use crate::error::{OutputError, PabulibError, Problem};
use crate::io::output::{OutputDir, write_parquet};
use crate::io::table::TextTable;
use crate::model::file::{ConstraintsFile, DistrictFile, PabulibFile, PoolFile, ScenarioFile};
use crate::scoring::formula::Formula;

/// File names inside an imported scenario folder.
pub const SCENARIO: &str = "scenario.toml";
pub const PROPOSALS: &str = "proposals.parquet";
pub const DELEGATES: &str = "delegates.parquet";
pub const PROJECTS: &str = "pabulib-projects.parquet";
pub const BALLOTS: &str = "pabulib-ballots.parquet";

/// The district of an election whose projects name none.
const CITY: &str = "city";

/// An imported election, ready to be written.
pub struct Imported {
    pub toml: String,
    pub tables: Vec<(&'static str, DataFrame)>,
    pub districts: usize,
    pub proposals: usize,
    pub delegates: usize,
    /// Voters with an empty ballot (no delegate for them).
    pub empty_ballots: usize,
}

fn text_column(name: &str, cells: Vec<String>) -> Column {
    Column::new(name.into(), cells)
}

fn frame(path: &str, columns: Vec<Column>) -> Result<DataFrame, OutputError> {
    DataFrame::new_infer_height(columns).map_err(|e| OutputError::Table {
        name: path.to_string(),
        message: e.to_string(),
    })
}

fn section_frame(path: &str, s: &TextSection) -> Result<DataFrame, OutputError> {
    let columns = s
        .header
        .iter()
        .enumerate()
        .map(|(c, name)| text_column(name, s.rows.iter().map(|r| r[c].clone()).collect()))
        .collect();
    frame(path, columns)
}

/// The scenario folder's contents for `election`.
pub fn import(election: &Election) -> Result<Imported, Problem> {
    let e = election;
    let file = e.source.clone();
    // Districts in order of first appearance.
    let mut districts: Vec<String> = vec![];
    for p in &e.projects {
        if let Some(d) = &p.district {
            if !districts.contains(d) {
                districts.push(d.clone());
            }
        }
    }
    let city_only = districts.is_empty();
    if city_only {
        districts.push(CITY.to_string());
    }
    let district_of = |p: usize| -> Option<usize> {
        match &e.projects[p].district {
            Some(d) => districts.iter().position(|x| x == d),
            None if city_only => Some(0),
            None => None,
        }
    };
    for p in &e.projects {
        if p.id.contains('>') || p.id.contains('=') {
            return Err(Problem::new(
                &file,
                "PROJECTS.project_id",
                format!(
                    "project id `{}` contains `>` or `=`, which a delegate's ranking text uses as separators",
                    p.id
                ),
                "rename the project in the .pb file (ids are usually numbers)",
            ));
        }
    }

    // Delegates: one per non-empty ballot.
    let voter_district = e
        .ballots
        .extra
        .iter()
        .find(|(name, _)| name == "district")
        .map(|(_, values)| values);
    let mut population = vec![0usize; districts.len()];
    let (mut ids, mut homes, mut rankings) = (vec![], vec![], vec![]);
    let mut empty_ballots = 0;
    for v in 0..e.ballots.len() {
        let ballot = e.ballots.ballot(v);
        if ballot.is_empty() {
            empty_ballots += 1;
            continue;
        }
        let mut named: Vec<usize> = ballot
            .iter()
            .filter_map(|&p| district_of(p as usize))
            .collect();
        named.sort_unstable();
        named.dedup();
        for &d in &named {
            population[d] += 1;
        }
        let home = voter_district
            .and_then(|values| districts.iter().position(|d| *d == values[v]))
            .or_else(|| ballot.iter().find_map(|&p| district_of(p as usize)))
            .unwrap_or(0);
        ids.push(e.ballots.voter_ids[v].to_string());
        homes.push(districts[home].clone());
        rankings.push(ranking_text(e, v));
    }

    let proposals = frame(
        PROPOSALS,
        vec![
            text_column("id", e.projects.iter().map(|p| p.id.clone()).collect()),
            text_column(
                "title",
                e.projects
                    .iter()
                    .map(|p| p.name.clone().unwrap_or_default())
                    .collect(),
            ),
            text_column(
                "district",
                (0..e.projects.len())
                    .map(|p| {
                        district_of(p).map_or("citywide".to_string(), |d| districts[d].clone())
                    })
                    .collect(),
            ),
            text_column(
                "category",
                e.projects
                    .iter()
                    .map(|p| {
                        p.categories
                            .first()
                            .cloned()
                            .unwrap_or_else(|| "uncategorized".into())
                    })
                    .collect(),
            ),
            Column::new(
                "cost".into(),
                e.projects
                    .iter()
                    .map(|p| approx(&p.cost))
                    .collect::<Vec<f64>>(),
            ),
        ],
    );
    let n_delegates = ids.len();
    let delegates = frame(
        DELEGATES,
        vec![
            text_column("id", ids),
            text_column("district", homes),
            text_column("ranking", rankings),
        ],
    );
    let Sections {
        meta,
        projects,
        votes,
    } = sections(e);
    let table_problem =
        |e: OutputError| Problem::new(&file, "", e.to_string(), "report this as a bug");
    let tables = vec![
        (PROPOSALS, proposals.map_err(table_problem)?),
        (DELEGATES, delegates.map_err(table_problem)?),
        (
            PROJECTS,
            section_frame(PROJECTS, &projects).map_err(table_problem)?,
        ),
        (
            BALLOTS,
            section_frame(BALLOTS, &votes).map_err(table_problem)?,
        ),
    ];

    let source = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let scenario = ScenarioFile {
        name: Some(
            e.meta("description")
                .map(str::to_string)
                .unwrap_or_else(|| source.trim_end_matches(".pb").to_string()),
        ),
        description: Some(format!(
            "Imported from {source} ({} vote, {} projects, {} voters) by participa import.",
            super::satisfaction::vote_type_name(e.vote_type),
            e.projects.len(),
            e.ballots.len()
        )),
        pool: Some(PoolFile {
            amount: Some(approx(&e.budget)),
            currency: e.meta("currency").unwrap_or("XXX").to_string(),
        }),
        districts: districts
            .iter()
            .zip(&population)
            .map(|(id, &n)| DistrictFile {
                id: id.clone(),
                population: n.max(1) as f64,
                ..Default::default()
            })
            .collect(),
        proposals_file: Some(PROPOSALS.into()),
        delegates_file: Some(DELEGATES.into()),
        formula: Some(Formula::Population),
        constraints: ConstraintsFile {
            entitlement_floor: Some(0.0),
            ..Default::default()
        },
        pabulib: Some(PabulibFile {
            source: Some(source.clone()),
            meta: meta.into_iter().map(|(k, v)| [k, v]).collect(),
            projects_file: PROJECTS.into(),
            ballots_file: BALLOTS.into(),
        }),
        ..Default::default()
    };
    let body = toml::to_string(&scenario).map_err(|err| {
        Problem::new(
            &file,
            "",
            format!("cannot write the scenario: {err}"),
            "report this as a bug",
        )
    })?;
    let toml = format!(
        "# Imported from {source} by `participa import`.\n\
         # Districts come from the projects' district/subunit column; their population is\n\
         # the number of voters who named one of their projects, and need, poverty and\n\
         # infrastructure_gap are 0 because pabulib files do not carry them: fill them in\n\
         # (and pick a formula, floors, caps) to use the allocation program in earnest.\n\
         # `solve` with --rule greedy, equal-shares, max-welfare or official runs the\n\
         # pabulib rules on the ballots kept in [pabulib]; --rule optimal runs the program.\n\n{body}"
    );
    Ok(Imported {
        toml,
        tables,
        districts: districts.len(),
        proposals: e.projects.len(),
        delegates: n_delegates,
        empty_ballots,
    })
}

/// Voter `v`'s ballot as a ranking (`a > b = c`).
fn ranking_text(e: &Election, v: usize) -> String {
    let ballot = e.ballots.ballot(v);
    let id = |p: u32| e.projects[p as usize].id.as_str();
    match (e.vote_type, e.ballots.points_of(v)) {
        (VoteType::Ordinal, _) => ballot
            .iter()
            .map(|&p| id(p))
            .collect::<Vec<_>>()
            .join(" > "),
        (VoteType::Cumulative | VoteType::Scoring, Some(points)) => {
            let mut order: Vec<usize> = (0..ballot.len()).collect();
            order.sort_by_key(|&k| std::cmp::Reverse(points[k]));
            let mut text = String::new();
            for (n, &k) in order.iter().enumerate() {
                if n > 0 {
                    text.push_str(if points[k] == points[order[n - 1]] {
                        " = "
                    } else {
                        " > "
                    });
                }
                text.push_str(id(ballot[k]));
            }
            text
        }
        _ => ballot
            .iter()
            .map(|&p| id(p))
            .collect::<Vec<_>>()
            .join(" = "),
    }
}

impl Imported {
    /// Writes the folder whole or not at all.
    pub fn write(&self, dir: &Path, force: bool) -> Result<PathBuf, OutputError> {
        let out = OutputDir::create(dir, force)?;
        std::fs::write(out.path(SCENARIO), &self.toml).map_err(|source| OutputError::Io {
            path: dir.join(SCENARIO),
            source,
        })?;
        for (name, df) in &self.tables {
            write_parquet(df, &out.path(name))?;
        }
        out.commit()
    }
}

/// Whether the scenario file at `path` carries a `[pabulib]` table (an
/// imported election). Unreadable files say no: loading them reports why.
pub fn has_pabulib(path: &Path) -> bool {
    // Most scenarios never mention it: no need to parse them twice.
    std::fs::read_to_string(path)
        .ok()
        .filter(|text| text.contains("pabulib"))
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|t| t.contains_key("pabulib"))
}

/// The election kept in an imported scenario's `[pabulib]` table, or `None`
/// when the scenario has none.
pub fn read_imported(path: &Path, limits: &Limits) -> crate::Result<Option<Election>> {
    let invalid = |field: &str, message: String, fix: &str| {
        crate::Error::from(PabulibError::Invalid(Problem::new(
            path, field, message, fix,
        )))
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        invalid(
            "",
            format!("cannot read the scenario: {e}"),
            "check the path",
        )
    })?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        invalid("", e.message().to_string(), "correct the TOML syntax")
    })?;
    let Some(value) = table.get("pabulib") else {
        return Ok(None);
    };
    let pb: PabulibFile = value.clone().try_into().map_err(|e: toml::de::Error| {
        invalid(
            "pabulib",
            e.message().to_string(),
            "write [pabulib] as `participa import` does: meta, projects_file, ballots_file",
        )
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let read = |name: &str, field: &str| -> crate::Result<TextSection> {
        let t = TextTable::read_verbatim(&base.join(name)).map_err(|p| {
            crate::Error::from(PabulibError::Invalid(Problem {
                field: format!("pabulib.{field}: {}", p.field),
                ..p
            }))
        })?;
        let rows = (0..t.rows())
            .map(|r| {
                t.columns
                    .iter()
                    .map(|c| t.get(r, c).unwrap_or("").to_string())
                    .collect()
            })
            .collect();
        Ok(TextSection {
            header: t.columns.clone(),
            rows,
        })
    };
    let sections = Sections {
        meta: pb
            .meta
            .iter()
            .map(|[k, v]| (k.clone(), v.clone()))
            .collect(),
        projects: read(&pb.projects_file, "projects_file")?,
        votes: read(&pb.ballots_file, "ballots_file")?,
    };
    let text = to_pb_text(&sections);
    let election = parse_election(text.as_bytes(), path, limits).map_err(|e| {
        let projects_at = 3 + sections.meta.len();
        let votes_at = projects_at + 2 + sections.projects.rows.len();
        invalid(
            "pabulib",
            format!(
                "the [pabulib] tables do not form a valid election: {e}\n  (line numbers count in the .pb text rebuilt from them: PROJECTS rows from line {}, {} rows from line {})",
                projects_at + 2,
                pb.ballots_file,
                votes_at + 2
            ),
            "re-import the .pb file, or correct the table named above",
        )
    })?;
    Ok(Some(election))
}
