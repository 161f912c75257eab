//! The `[simulation]` table: every parameter of a simulated study, with its
//! default and why. A study file is a small TOML document:
//!
//! ```toml
//! name = "capture-and-quorums"
//! seed = 2026
//! [simulation]
//! districts = 16
//! proposals = 200
//! ```
//!
//! Everything not written takes the default below. Unknown keys are refused
//! (a typo must not silently fall back to a default), with file, line and
//! column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Problem, ScenarioError};
use crate::scoring::ScoringRule;
use crate::scoring::formula::{DEFAULT_THEMES, Formula};

/// A whole study file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyFile {
    #[serde(default = "default_name")]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Base seed; `--seed` overrides it.
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub simulation: Simulation,
}

fn default_name() -> String {
    "simulation".into()
}

/// The `[simulation]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Simulation {
    /// Number of districts (16: Porto Alegre's regions).
    pub districts: usize,
    /// Proposals per year, dealt round-robin to districts (200: the benchmark size).
    pub proposals: usize,
    /// The pool as a share of the year's total proposal cost (0.4: most
    /// proposals cannot be funded, so priorities matter).
    pub pool_share: f64,
    pub currency: String,
    /// Years simulated (`--years` overrides it).
    pub years: usize,
    /// alpha of the allocation program: each district gets at least this share
    /// of its need-weighted entitlement (0.5).
    pub entitlement_floor: f64,
    /// How delegates' rankings become scores.
    pub scoring: ScoringRule,
    /// Which safeguards to compare, in this order (every run evaluates each on
    /// the same city and the same random draws).
    pub safeguards: Vec<Safeguard>,
    /// Need-weighting formulas to compare, in this order (`[[simulation.formulas]]`
    /// with a `name` and a `formula` table, as in a scenario's `[formula]`).
    /// Every run evaluates each formula under each safeguard, on the same city
    /// and draws, each with its own city over the years. Default: the
    /// scenario default formula, named `default`.
    pub formulas: Vec<FormulaVariant>,
    pub city: CityParams,
    /// Resident groups; they partition each district's residents.
    pub groups: Vec<GroupParams>,
    /// Participation channels; all of them are open (their turnouts add up).
    pub channels: Vec<ChannelParams>,
    pub assembly: AssemblyParams,
    pub quorums: QuorumParams,
    pub dynamics: DynamicsParams,
}

/// A need-weighting formula a study compares, named for its rows and charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormulaVariant {
    pub name: String,
    pub formula: Formula,
}

/// The one formula of a study that names none.
pub fn default_formulas() -> Vec<FormulaVariant> {
    vec![FormulaVariant {
        name: "default".into(),
        formula: Formula::default(),
    }]
}

/// A safeguard against capture by over-represented groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Safeguard {
    /// Mandates as the assemblies produce them.
    None,
    /// An assembly's mandate counts only if under-represented groups make up
    /// enough of its attendees; otherwise it reconvenes with extra outreach.
    AttendanceQuorum,
    /// Group quorums in the allocation program: the under-represented groups'
    /// delegates' top choices get at least a share of the pool.
    FundingQuorum,
    /// Post-stratification: delegates re-weighted so each group's weight is its
    /// population share.
    Reweighting,
    /// Each group is guaranteed its population share of each assembly's seats.
    ReservedSeats,
}

impl Safeguard {
    pub const ALL: [Safeguard; 5] = [
        Safeguard::None,
        Safeguard::AttendanceQuorum,
        Safeguard::FundingQuorum,
        Safeguard::Reweighting,
        Safeguard::ReservedSeats,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Safeguard::None => "none",
            Safeguard::AttendanceQuorum => "attendance-quorum",
            Safeguard::FundingQuorum => "funding-quorum",
            Safeguard::Reweighting => "reweighting",
            Safeguard::ReservedSeats => "reserved-seats",
        }
    }
}

/// How the districts are drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CityParams {
    /// Median district population; populations are log-normal (50,000).
    pub population_median: f64,
    /// sigma of log population (0.6: the largest of 16 districts is typically
    /// 5-8 times the smallest). Assumed.
    pub population_sigma: f64,
    /// Correlations of the Gaussian copula behind need, poverty and
    /// infrastructure gap (assumed: poorer districts lack more infrastructure).
    pub correlation: Correlations,
    /// Ranges of the indices: each is its copula uniform mapped linearly onto [lo, hi].
    pub need: (f64, f64),
    pub poverty: (f64, f64),
    pub infrastructure_gap: (f64, f64),
    /// Median proposal cost; costs are log-normal (1,000,000).
    pub cost_median: f64,
    /// sigma of log cost (0.5).
    pub cost_sigma: f64,
    /// Proposal categories, drawn uniformly.
    pub categories: Vec<String>,
}

/// Pairwise correlations of the copula's normals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Correlations {
    pub need_poverty: f64,
    pub need_gap: f64,
    pub poverty_gap: f64,
}

/// A resident group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupParams {
    pub id: String,
    /// The group's share of residents in a district of average poverty.
    pub share: f64,
    /// How the share moves with district poverty: shares are
    /// `share x exp(poverty_slope x z)` renormalised, z the district's poverty
    /// normal score (0 = the same share everywhere).
    #[serde(default)]
    pub poverty_slope: f64,
    /// Designated as under-represented: the attendance quorum counts it, the
    /// funding quorum protects it, and the capture chart shows it.
    #[serde(default)]
    pub under_represented: bool,
    /// Utility the group puts on each category (added to a proposal's common
    /// quality); missing categories 0.
    #[serde(default)]
    pub interests: BTreeMap<String, f64>,
}

/// A way to take part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelParams {
    pub name: String,
    /// Share of residents who take part through this channel, before group bias.
    pub rate: f64,
    /// Turnout of each group relative to `rate` (1 if missing), raised to
    /// `assembly.turnout_bias`.
    #[serde(default)]
    pub relative: BTreeMap<String, f64>,
    /// Cost per district per meeting (currency), for the outreach cost metric.
    #[serde(default)]
    pub cost_per_district: f64,
}

/// Assemblies and delegates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AssemblyParams {
    /// Exponent on every channel's `relative` turnouts: 0 removes the bias
    /// (every group turns out at the channel's rate), 1 is the bias as written.
    pub turnout_bias: f64,
    /// Delegates per district assembly.
    pub seats: usize,
    pub selection: Selection,
    /// Proposals each delegate ranks.
    pub ranking_length: usize,
    /// sd of an attendee's own utility noise; a caucus of n attendees averages
    /// it down to sd / sqrt(n).
    pub preference_noise: f64,
    /// sd of a group's taste shock per district and category (what the group
    /// wants there this year, beyond its general interests).
    pub group_noise: f64,
    /// sd of the noise a delegate adds to their mandate (straying).
    pub delegate_drift: f64,
    /// A delegate whose ranking is further than this from their mandate
    /// (normalised Spearman footrule over the ranked proposals, 0..1) is
    /// recalled and replaced by one who carries the mandate. 1 disables recall.
    pub recall_threshold: f64,
}

/// How an assembly fills its seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Selection {
    /// Seats to groups in proportion to their attendance (largest remainder).
    Proportional,
    /// Each seat to a random attendee (so a group's chance is its attendance share).
    Sortition,
}

/// Parameters of the quorum safeguards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuorumParams {
    /// Attendance quorum: under-represented groups' share of attendees must
    /// reach this fraction of their share of the district's residents (1 = full
    /// parity).
    pub attendance_ratio: f64,
    /// Turnout multiplier of under-represented groups at each reconvening.
    pub outreach: f64,
    /// Meetings at most (the first included); after the last the mandate counts anyway.
    pub max_tries: usize,
    /// Funding quorum: proposals in the top `top_k` of an under-represented
    /// group's delegates get at least `funding_ratio` x the group's population
    /// share of the pool.
    pub funding_ratio: f64,
    pub top_k: usize,
}

/// Multi-year dynamics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DynamicsParams {
    /// Categories whose funding closes the infrastructure gap.
    pub infrastructure_categories: Vec<String>,
    /// Money per resident that closes a district's whole gap (gap 1 -> 0);
    /// funding f closes f / (population x this) of it. Assumed.
    pub gap_cost_per_resident: f64,
    /// Yearly population growth (mean) and its sd across districts.
    pub population_growth: f64,
    pub population_noise: f64,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation {
            districts: 16,
            proposals: 200,
            pool_share: 0.4,
            currency: "EUR".into(),
            years: 1,
            entitlement_floor: 0.5,
            scoring: ScoringRule::Borda,
            safeguards: Safeguard::ALL.to_vec(),
            formulas: default_formulas(),
            city: CityParams::default(),
            groups: default_groups(),
            channels: default_channels(),
            assembly: AssemblyParams::default(),
            quorums: QuorumParams::default(),
            dynamics: DynamicsParams::default(),
        }
    }
}

impl Default for CityParams {
    fn default() -> Self {
        CityParams {
            population_median: 50_000.0,
            population_sigma: 0.6,
            correlation: Correlations::default(),
            need: (0.1, 0.9),
            poverty: (0.05, 0.5),
            infrastructure_gap: (0.0, 0.8),
            cost_median: 1_000_000.0,
            cost_sigma: 0.5,
            categories: DEFAULT_THEMES.map(String::from).to_vec(),
        }
    }
}

impl Default for Correlations {
    fn default() -> Self {
        Correlations {
            need_poverty: 0.7,
            need_gap: 0.6,
            poverty_gap: 0.5,
        }
    }
}

/// Renters and owners. Renters are the designated under-represented group,
/// more numerous in poorer districts; their interests lean to housing and
/// social assistance, owners' to paving and education (assumed).
pub fn default_groups() -> Vec<GroupParams> {
    vec![
        GroupParams {
            id: "renters".into(),
            share: 0.45,
            poverty_slope: 0.5,
            under_represented: true,
            interests: [
                ("housing", 1.0),
                ("social-assistance", 0.8),
                ("sanitation", 0.4),
            ]
            .map(|(k, v)| (k.to_string(), v))
            .into_iter()
            .collect(),
        },
        GroupParams {
            id: "owners".into(),
            share: 0.55,
            poverty_slope: -0.5,
            under_represented: false,
            interests: [("paving", 1.0), ("education", 0.6), ("health", 0.3)]
                .map(|(k, v)| (k.to_string(), v))
                .into_iter()
                .collect(),
        },
    ]
}

/// One in-person assembly channel. The turnout gap is assumed, in the
/// direction reported by Einstein, Glick and Palmer, *Neighborhood Defenders*
/// (Cambridge University Press, 2019): homeowners are over-represented among
/// those who speak at local planning meetings. Owners 1.5x and renters 0.6x the
/// channel rate are our assumption, not their figures.
pub fn default_channels() -> Vec<ChannelParams> {
    vec![ChannelParams {
        name: "assembly".into(),
        rate: 0.02,
        relative: [("renters", 0.6), ("owners", 1.5)]
            .map(|(k, v)| (k.to_string(), v))
            .into_iter()
            .collect(),
        cost_per_district: 2_000.0,
    }]
}

impl Default for AssemblyParams {
    fn default() -> Self {
        AssemblyParams {
            turnout_bias: 1.0,
            seats: 4,
            selection: Selection::Proportional,
            ranking_length: 8,
            preference_noise: 1.0,
            group_noise: 0.5,
            delegate_drift: 0.3,
            recall_threshold: 0.5,
        }
    }
}

impl Default for QuorumParams {
    fn default() -> Self {
        QuorumParams {
            attendance_ratio: 0.9,
            outreach: 1.5,
            max_tries: 3,
            funding_ratio: 1.0,
            top_k: 3,
        }
    }
}

impl Default for DynamicsParams {
    fn default() -> Self {
        DynamicsParams {
            infrastructure_categories: vec!["sanitation".into(), "paving".into()],
            gap_cost_per_resident: 2_000.0,
            population_growth: 0.01,
            population_noise: 0.005,
        }
    }
}

/// A loaded study: the file's name and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    pub name: String,
    pub description: String,
    pub seed: u64,
    pub sim: Simulation,
    pub source: Option<PathBuf>,
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Loads a study file.
pub fn load_study(path: &Path) -> Result<Study, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Problem::new(
            path,
            "",
            format!("cannot read the study file: {e}"),
            "check the path",
        )
    })?;
    load_study_str(&text, path)
}

/// Parses and checks a study from TOML text; `path` names it in messages.
pub fn load_study_str(text: &str, path: &Path) -> Result<Study, ScenarioError> {
    let de = toml::Deserializer::parse(text).map_err(|e| {
        let mut p = Problem::new(path, "", e.message().trim(), "fix the TOML syntax");
        if let Some(span) = e.span() {
            let (l, c) = line_col(text, span.start);
            p = p.at(l, Some(c));
        }
        p
    })?;
    let file: StudyFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.message().trim().to_string();
        let fix = if message.starts_with("unknown field") {
            "check the spelling; the accepted names are listed above".to_string()
        } else if message.contains("unknown variant") {
            "use one of the values listed above".to_string()
        } else {
            "see the `[simulation]` table in the README for each field's type".to_string()
        };
        let mut p = Problem::new(path, field, message, fix);
        if let Some(span) = inner.span() {
            let (l, c) = line_col(text, span.start);
            p = p.at(l, Some(c));
        }
        p
    })?;
    let problems = check(&file.simulation, path);
    if !problems.is_empty() {
        return Err(ScenarioError::from(problems));
    }
    Ok(Study {
        name: file.name,
        description: file.description,
        seed: file.seed,
        sim: file.simulation,
        source: Some(path.to_path_buf()),
    })
}

/// Range and reference checks (serde has checked the types).
pub fn check(s: &Simulation, path: &Path) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut bad = |field: &str, message: String, fix: &str| {
        out.push(Problem::new(
            path,
            format!("simulation.{field}"),
            message,
            fix,
        ))
    };
    if s.districts == 0 {
        bad(
            "districts",
            "must be at least 1".into(),
            "set `districts = 16`",
        );
    }
    if s.proposals < s.districts.max(1) {
        bad(
            "proposals",
            format!("{} proposals for {} districts", s.proposals, s.districts),
            "give every district at least one proposal",
        );
    }
    if !(s.pool_share > 0.0 && s.pool_share.is_finite()) {
        bad(
            "pool_share",
            format!("{} is not a positive share", s.pool_share),
            "use a value such as 0.4",
        );
    }
    if !(0.0..=1.0).contains(&s.entitlement_floor) {
        bad(
            "entitlement_floor",
            format!("{} is outside 0..1", s.entitlement_floor),
            "use a value in 0..1",
        );
    }
    let c = &s.city.correlation;
    for (name, v) in [
        ("need_poverty", c.need_poverty),
        ("need_gap", c.need_gap),
        ("poverty_gap", c.poverty_gap),
    ] {
        if !(-1.0..=1.0).contains(&v) {
            bad(
                &format!("city.correlation.{name}"),
                format!("{v} is not a correlation"),
                "use a value in -1..1",
            );
        }
    }
    if crate::simulate::city::cholesky3(&s.city.correlation).is_none() {
        bad(
            "city.correlation",
            "the three correlations are not jointly possible (the matrix is not positive definite)"
                .into(),
            "bring them closer to each other or nearer 0",
        );
    }
    for (name, (lo, hi)) in [
        ("need", s.city.need),
        ("poverty", s.city.poverty),
        ("infrastructure_gap", s.city.infrastructure_gap),
    ] {
        if !(0.0 <= lo && lo <= hi && hi <= 1.0) {
            bad(
                &format!("city.{name}"),
                format!("[{lo}, {hi}] is not a range inside 0..1"),
                "write [low, high] with 0 <= low <= high <= 1",
            );
        }
    }
    if s.city.categories.is_empty() {
        bad(
            "city.categories",
            "no categories".into(),
            "list at least one",
        );
    }
    if s.groups.len() < 2 {
        bad(
            "groups",
            "at least two groups are needed to speak of capture".into(),
            "add [[simulation.groups]] tables",
        );
    }
    let ids: Vec<&str> = s.groups.iter().map(|g| g.id.as_str()).collect();
    for (i, g) in s.groups.iter().enumerate() {
        if !(g.share > 0.0 && g.share.is_finite()) {
            bad(
                &format!("groups[{i}].share"),
                format!("{} is not a positive share", g.share),
                "use a value such as 0.45",
            );
        }
        if ids[..i].contains(&g.id.as_str()) {
            bad(
                &format!("groups[{i}].id"),
                format!("`{}` appears twice", g.id),
                "give each group its own id",
            );
        }
    }
    if !s.groups.iter().any(|g| g.under_represented)
        && s.safeguards
            .iter()
            .any(|x| matches!(x, Safeguard::AttendanceQuorum | Safeguard::FundingQuorum))
    {
        bad(
            "groups",
            "the quorum safeguards need a group marked `under_represented = true`".into(),
            "mark one group, or drop the quorum safeguards",
        );
    }
    if s.channels.is_empty() {
        bad(
            "channels",
            "no participation channel".into(),
            "add [[simulation.channels]]",
        );
    }
    for (i, ch) in s.channels.iter().enumerate() {
        if !(ch.rate > 0.0 && ch.rate <= 1.0) {
            bad(
                &format!("channels[{i}].rate"),
                format!("{} is not a turnout rate in (0, 1]", ch.rate),
                "use a value such as 0.02",
            );
        }
        for (g, v) in &ch.relative {
            if !ids.contains(&g.as_str()) {
                bad(
                    &format!("channels[{i}].relative.{g}"),
                    format!("no group `{g}`"),
                    &format!("use one of: {}", ids.join(", ")),
                );
            } else if !(*v > 0.0 && v.is_finite()) {
                bad(
                    &format!("channels[{i}].relative.{g}"),
                    format!("{v} is not a positive multiplier"),
                    "use a value such as 0.6",
                );
            }
        }
    }
    if s.assembly.seats == 0 {
        bad("assembly.seats", "no seats".into(), "set `seats = 4`");
    }
    if s.assembly.ranking_length == 0 {
        bad(
            "assembly.ranking_length",
            "must be at least 1".into(),
            "set it to 8",
        );
    }
    if s.assembly.turnout_bias < 0.0 {
        bad(
            "assembly.turnout_bias",
            "must be >= 0".into(),
            "0 removes the bias, 1 keeps it as written",
        );
    }
    if s.quorums.max_tries == 0 {
        bad(
            "quorums.max_tries",
            "must be at least 1".into(),
            "set it to 3",
        );
    }
    if s.quorums.outreach < 1.0 {
        bad(
            "quorums.outreach",
            format!("{} would lower turnout", s.quorums.outreach),
            "use a multiplier >= 1 such as 1.5",
        );
    }
    if s.quorums.top_k == 0 {
        bad("quorums.top_k", "must be at least 1".into(), "set it to 3");
    }
    if s.dynamics.gap_cost_per_resident <= 0.0 {
        bad(
            "dynamics.gap_cost_per_resident",
            "must be positive".into(),
            "use a value such as 2000",
        );
    }
    if s.safeguards.is_empty() {
        bad(
            "safeguards",
            "nothing to compare".into(),
            "list at least `none`",
        );
    }
    if s.formulas.is_empty() {
        bad(
            "formulas",
            "no formula to allocate with".into(),
            "remove `formulas` for the default, or add [[simulation.formulas]] with a name and a formula",
        );
    }
    for (i, f) in s.formulas.iter().enumerate() {
        if f.name.trim().is_empty() || s.formulas[..i].iter().any(|x| x.name == f.name) {
            bad(
                &format!("formulas[{i}].name"),
                format!("`{}` is empty or appears twice", f.name),
                "give each formula its own name (it labels rows and chart lines)",
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_and_typos_are_located() {
        let s = load_study_str("name = \"x\"\n", Path::new("x.toml")).unwrap();
        assert_eq!(s.sim.districts, 16);
        assert_eq!(s.sim.proposals, 200);
        let e = load_study_str(
            "name = \"x\"\n[simulation]\ndistricts = 4\nproposal = 9\n",
            Path::new("x.toml"),
        )
        .unwrap_err();
        let p = &e.problems()[0];
        assert_eq!(p.line, Some(4), "{p}");
        assert!(p.message.contains("unknown field `proposal`"), "{p}");
        let e = load_study_str(
            "[simulation.city.correlation]\nneed_poverty = 0.99\nneed_gap = 0.99\npoverty_gap = -0.9\n",
            Path::new("x.toml"),
        )
        .unwrap_err();
        assert!(e.problems()[0].message.contains("positive definite"));
    }
}
