//! The validated domain model: what a scenario *means*, after every reference
//! has been checked. Only a [`Scenario`] reaches scoring and solving; the raw
//! TOML shape lives in [`file`], the checks in [`validate`].

pub mod file;
mod load;
mod location;
mod merge;
mod source;
mod validate;
mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use load::{load_scenario, load_scenario_str, parse_ranking_text};
pub use location::{SourceFile, SourceMap};
pub use source::ScenarioSource;

use crate::scoring::ScoringRule;
use crate::scoring::formula::Formula;

/// The money to allocate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pool {
    pub amount: f64,
    pub currency: String,
}

/// What kind of budget line a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// Corporate subsidies, tax abatements, business incentives: money that can move.
    Regressive,
    /// Services that must not be cut: moving money out of them is refused.
    Essential,
    #[default]
    Neutral,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Regressive => "regressive",
            SourceKind::Essential => "essential",
            SourceKind::Neutral => "neutral",
        }
    }
}

/// A line of the ordinary budget feeding the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetSource {
    pub name: String,
    pub kind: SourceKind,
    /// The line before anything moves.
    pub amount: f64,
    /// What moves into the pool.
    pub moved: f64,
    /// Where the figure comes from.
    pub source: Option<String>,
}

/// A neighbourhood or region with its need indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct District {
    pub id: String,
    pub name: String,
    pub population: f64,
    /// Every indicator by name, including the standard `need`, `poverty` and
    /// `infrastructure_gap` (all in 0..1); formulas read them by name.
    pub indicators: BTreeMap<String, f64>,
    /// Share of residents in each group (by group id), 0..1.
    pub group_shares: BTreeMap<String, f64>,
    /// The region this district belongs to (nested councils), as an index into
    /// [`Scenario::districts`]; `None` at the top level.
    #[serde(default)]
    pub parent: Option<usize>,
}

impl District {
    pub fn indicator(&self, name: &str) -> Option<f64> {
        if name == "population" {
            return Some(self.population);
        }
        self.indicators.get(name).copied()
    }
    pub fn need(&self) -> f64 {
        self.indicators.get("need").copied().unwrap_or(0.0)
    }
    pub fn poverty(&self) -> f64 {
        self.indicators.get("poverty").copied().unwrap_or(0.0)
    }
    pub fn infrastructure_gap(&self) -> f64 {
        self.indicators
            .get("infrastructure_gap")
            .copied()
            .unwrap_or(0.0)
    }
}

/// A proposal a district (or the whole city) put forward.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: String,
    pub title: String,
    /// Index into [`Scenario::districts`]; `None` for a citywide proposal.
    pub district: Option<usize>,
    pub category: String,
    pub cost: f64,
    /// May be funded in part.
    pub divisible: bool,
    /// If set, a divisible proposal is funded either not at all or at least this share.
    pub min_share: Option<f64>,
}

/// A ranking with ties: tiers of proposal indices, best tier first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Ranking {
    pub tiers: Vec<Vec<usize>>,
}

impl Ranking {
    /// Number of proposals ranked.
    pub fn len(&self) -> usize {
        self.tiers.iter().map(Vec::len).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Proposals in the first `k` positions; a tier that straddles position `k`
    /// is included whole (ties are not broken arbitrarily).
    pub fn top(&self, k: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for tier in &self.tiers {
            if out.len() >= k {
                break;
            }
            out.extend_from_slice(tier);
        }
        out
    }
}

/// A delegate elected by a district assembly, carrying its mandate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delegate {
    pub id: String,
    /// Index into [`Scenario::districts`].
    pub district: usize,
    /// Index into [`Scenario::groups`].
    pub group: Option<usize>,
    pub ranking: Ranking,
}

/// A demographic or tenure group (renters, owners, youth, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// Share of the city's population (given, or derived from district shares).
    pub population_share: Option<f64>,
    /// Share of assembly attendance, when known.
    pub turnout_share: Option<f64>,
}

/// Minimum and maximum funding of a category, as shares of the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryLimit {
    pub category: String,
    pub min_share: Option<f64>,
    pub max_share: Option<f64>,
}

/// Funds to proposals ranked in the top `top_k` by at least one of a group's
/// delegates must reach `min_share` of the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quorum {
    /// Index into [`Scenario::groups`].
    pub group: usize,
    pub top_k: usize,
    pub min_share: f64,
}

/// Equity constraints of the `optimal` rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Constraints {
    /// alpha: each district receives at least this fraction of its need-weighted
    /// entitlement (capped at what its proposals can absorb). 0 disables floors.
    pub entitlement_floor: f64,
    /// Explicit floors in currency, indexed like `districts`, replacing the formula floor.
    pub district_floors: Vec<Option<f64>>,
    /// Per-district cap as a share of the pool, indexed like `districts`.
    pub district_caps: Vec<Option<f64>>,
    pub categories: Vec<CategoryLimit>,
    pub quorums: Vec<Quorum>,
}

/// Which allocation rule a scenario asks for by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RuleName {
    /// The LP/MILP with floors, caps and quorums.
    #[default]
    Optimal,
    /// Fund by score, highest first, skipping what does not fit.
    Greedy,
}

impl RuleName {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleName::Optimal => "optimal",
            RuleName::Greedy => "greedy",
        }
    }
}

impl std::str::FromStr for RuleName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "optimal" => Ok(RuleName::Optimal),
            "greedy" => Ok(RuleName::Greedy),
            other => Err(format!(
                "unknown rule `{other}`; the rules are: optimal, greedy"
            )),
        }
    }
}

/// How the scenario scores and allocates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub scoring: ScoringRule,
    /// Re-weight delegates so each group's total weight equals its population share.
    pub reweight_groups: bool,
    pub rule: RuleName,
    /// Multiply each proposal's score by its district's need weight in the objective.
    pub need_weighted_objective: bool,
}

/// A validated scenario: the only input that scoring and solving accept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// The file it was loaded from (for messages), if any.
    pub source: Option<PathBuf>,
    /// The pool: the fixed part plus everything the budget sources move.
    pub pool: Pool,
    /// Budget lines feeding the pool (empty for a fixed pool).
    #[serde(default)]
    pub sources: Vec<BudgetSource>,
    pub districts: Vec<District>,
    pub proposals: Vec<Proposal>,
    pub delegates: Vec<Delegate>,
    pub groups: Vec<Group>,
    pub formula: Formula,
    /// Formulas for deeper levels of nested councils (level 2 = the children
    /// of top-level districts, ...); a level without one uses `formula`.
    #[serde(default)]
    pub formula_levels: BTreeMap<usize, Formula>,
    pub settings: Settings,
    pub constraints: Constraints,
    pub seed: u64,
}

impl Scenario {
    pub fn district_index(&self, id: &str) -> Option<usize> {
        self.districts.iter().position(|d| d.id == id)
    }
    pub fn proposal_index(&self, id: &str) -> Option<usize> {
        self.proposals.iter().position(|p| p.id == id)
    }
    /// Residents of the city: the sum over top-level districts.
    pub fn total_population(&self) -> f64 {
        self.districts
            .iter()
            .filter(|d| d.parent.is_none())
            .map(|d| d.population)
            .sum()
    }

    /// Level of each district: 1 at the top, 2 for their children, ...
    pub fn levels(&self) -> Vec<usize> {
        self.districts
            .iter()
            .map(|d| {
                let mut level = 1;
                let mut p = d.parent;
                while let Some(i) = p {
                    level += 1;
                    p = self.districts[i].parent;
                }
                level
            })
            .collect()
    }

    /// Whether district `d` is `ancestor` or lies below it.
    pub fn is_within(&self, d: usize, ancestor: usize) -> bool {
        let mut cur = Some(d);
        while let Some(i) = cur {
            if i == ancestor {
                return true;
            }
            cur = self.districts[i].parent;
        }
        false
    }

    /// Districts with no children (all of them when there is no nesting).
    pub fn leaves(&self) -> Vec<usize> {
        let mut has_child = vec![false; self.districts.len()];
        for d in &self.districts {
            if let Some(p) = d.parent {
                has_child[p] = true;
            }
        }
        (0..self.districts.len())
            .filter(|&d| !has_child[d])
            .collect()
    }
    /// One-line summary used by `participa validate`.
    pub fn summary(&self) -> String {
        let indivisible = self.proposals.iter().filter(|p| !p.divisible).count();
        format!(
            "{}: {} districts, {} proposals ({} indivisible), {} delegates, {} groups, pool {} {}",
            self.name,
            self.districts.len(),
            self.proposals.len(),
            indivisible,
            self.delegates.len(),
            self.groups.len(),
            crate::report::format_amount(self.pool.amount),
            self.pool.currency
        )
    }
}
