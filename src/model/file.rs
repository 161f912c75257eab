//! The raw scenario file, exactly as written in TOML (serde). Nothing here is
//! checked beyond types; [`super::validate`] turns it into a [`super::Scenario`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::RuleName;
use crate::scoring::formula::Formula;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Path of a base scenario whose fields this file overrides (tables merge
    /// key by key, arrays and values are replaced).
    pub extends: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub seed: Option<u64>,
    pub pool: Option<PoolFile>,
    /// Lines of the ordinary budget that feed the pool.
    pub budget: Option<BudgetFile>,
    #[serde(default)]
    pub districts: Vec<DistrictFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposals: Vec<ProposalFile>,
    /// CSV or Parquet table of proposals, instead of (or in addition to) `[[proposals]]`.
    pub proposals_file: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delegates: Vec<DelegateFile>,
    /// CSV or Parquet table of delegates, instead of (or in addition to) `[[delegates]]`.
    pub delegates_file: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupFile>,
    pub formula: Option<Formula>,
    /// Formulas for deeper levels of nested councils, keyed by level ("2" = the
    /// children of top-level districts).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub formula_levels: BTreeMap<String, Formula>,
    #[serde(default)]
    pub scoring: ScoringFile,
    #[serde(default)]
    pub allocation: AllocationFile,
    #[serde(default)]
    pub constraints: ConstraintsFile,
    /// The pabulib election this scenario was imported from (`participa
    /// import`): its ballots, for the pabulib rules (`solve --rule
    /// equal-shares` ...). The allocation program does not read it.
    pub pabulib: Option<PabulibFile>,
}

/// Where an imported scenario keeps its pabulib election: the META pairs in
/// file order, and the PROJECTS and VOTES sections as tables of text cells
/// (paths relative to the scenario file).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PabulibFile {
    /// The `.pb` file it was imported from (for the record).
    pub source: Option<String>,
    /// `[key, value]` pairs of the META section, in file order.
    #[serde(default)]
    pub meta: Vec<[String; 2]>,
    pub projects_file: String,
    pub ballots_file: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolFile {
    /// A fixed pool; with `[[budget.sources]]` the part that does not come from them (default 0).
    pub amount: Option<f64>,
    pub currency: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetFile {
    #[serde(default)]
    pub sources: Vec<SourceLineFile>,
}

/// A line of the ordinary budget and how much of it moves into the pool.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceLineFile {
    /// A short handle for sweeps: `budget.sources.<id>.to_pool`.
    pub id: Option<String>,
    pub name: String,
    /// The line's yearly amount before anything moves.
    pub amount: f64,
    /// `regressive` (corporate subsidies, tax abatements, business incentives),
    /// `essential` (services that must not be cut) or `neutral`.
    pub kind: crate::model::SourceKind,
    /// Share of the line moved into the pool, 0..1.
    pub to_pool: Option<f64>,
    /// Or an amount moved into the pool.
    pub to_pool_amount: Option<f64>,
    /// Where the figure comes from.
    pub source: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictFile {
    pub id: String,
    pub name: Option<String>,
    pub population: f64,
    pub need: f64,
    pub poverty: f64,
    pub infrastructure_gap: f64,
    /// Id of the region this district belongs to (nested councils).
    pub parent: Option<String>,
    /// Further named indicators (e.g. `hdi`, `lack_of_sewer`), usable by formulas.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indicators: BTreeMap<String, f64>,
    /// Share of residents per group id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalFile {
    pub id: String,
    pub title: Option<String>,
    /// A district id, or `citywide`.
    pub district: String,
    pub category: String,
    pub cost: f64,
    #[serde(default)]
    pub divisible: bool,
    pub min_share: Option<f64>,
}

/// One entry of a ranking: a proposal id, or several tied ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RankEntry {
    One(String),
    Tied(Vec<String>),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegateFile {
    pub id: String,
    pub district: String,
    pub group: Option<String>,
    pub ranking: Vec<RankEntry>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupFile {
    pub id: String,
    pub name: Option<String>,
    pub population_share: Option<f64>,
    pub turnout_share: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringFile {
    /// `borda` (default), `dowdall`, or `top-k`.
    pub rule: Option<String>,
    /// For `top-k`: how many top positions count as approval.
    pub k: Option<usize>,
    #[serde(default)]
    pub reweight_groups: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationFile {
    pub rule: Option<RuleName>,
    #[serde(default)]
    pub need_weighted_objective: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstraintsFile {
    pub entitlement_floor: Option<f64>,
    /// Explicit minimum amounts (currency) for some districts, replacing their
    /// formula floor (district id -> amount).
    #[serde(default)]
    pub district_floors: BTreeMap<String, f64>,
    /// Cap for every district, as a share of the pool.
    pub district_cap: Option<f64>,
    /// Per-district caps (district id -> share of the pool), overriding `district_cap`.
    #[serde(default)]
    pub district_caps: BTreeMap<String, f64>,
    #[serde(default)]
    pub categories: Vec<CategoryFile>,
    #[serde(default)]
    pub quorums: Vec<QuorumFile>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFile {
    pub category: String,
    pub min_share: Option<f64>,
    pub max_share: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuorumFile {
    pub group: String,
    pub top_k: usize,
    pub min_share: f64,
}
