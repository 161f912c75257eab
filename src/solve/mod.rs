//! Allocation rules: the `optimal` LP/MILP and the baselines, all producing an
//! [`Allocation`] of the same shape, checked against the same constraints.
//!
//! A rule is separate from the scenario (data) and from the run loop: each
//! implements [`AllocationRule`] on a [`Prepared`] scenario (scores and
//! entitlements computed once).

pub mod backend;
pub mod constraints;
mod greedy;
mod incumbent;
mod optimal;
pub mod program;

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

pub use backend::Backend;
pub use constraints::{ConstraintKind, ConstraintSpec};
pub use greedy::Greedy;
pub use optimal::{Optimal, build_program};

use crate::error::SolveError;
use crate::model::{RuleName, Scenario};
use crate::scoring;

/// A shortfall smaller than this share of the pool is rounding, not a shortfall.
pub const SHORTFALL_TOLERANCE: f64 = 1e-7;

/// How a solve ended. Missing a floor is an outcome, not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Proven optimal, every floor and quorum met.
    Optimal,
    /// Proven optimal given that some floors or quorums cannot be met; the
    /// smallest total shortfall is reported in `shortfalls`.
    OptimalWithShortfall,
    /// Strict mode and some floor or quorum cannot be met (see `shortfalls`).
    Infeasible,
    /// The time limit stopped the solver; the best allocation found is returned
    /// with its gap to the LP bound.
    TimeLimit,
    /// `--relax`: the LP relaxation rounded down and repaired; no optimality proof.
    Rounded,
    /// A rule that does not optimise (greedy) ran to completion.
    Complete,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::OptimalWithShortfall => "optimal-with-shortfall",
            Status::Infeasible => "infeasible",
            Status::TimeLimit => "time-limit",
            Status::Rounded => "rounded",
            Status::Complete => "complete",
        }
    }
}

/// Settings of one solve, with documented defaults.
#[derive(Debug, Clone)]
pub struct SolveSettings {
    /// The rule; `None` uses the scenario's `[allocation] rule`.
    pub rule: Option<RuleName>,
    /// The backend; `None` picks [`Backend::default_for`].
    pub backend: Option<Backend>,
    /// Fail (status `infeasible`) instead of reporting shortfalls.
    pub strict: bool,
    /// Wall-clock limit for the whole solve. Default 60 s.
    pub time_limit: Duration,
    /// Solve the LP relaxation and round down instead of the MILP.
    pub relax: bool,
    /// Relative MIP gap at which a backend may stop. Default 1e-6.
    pub mip_gap: f64,
}

impl Default for SolveSettings {
    fn default() -> Self {
        SolveSettings {
            rule: None,
            backend: None,
            strict: false,
            time_limit: Duration::from_secs(60),
            relax: false,
            mip_gap: 1e-6,
        }
    }
}

/// A scenario with its scores and entitlements computed, ready for any rule.
#[derive(Debug, Clone)]
pub struct Prepared<'a> {
    pub scenario: &'a Scenario,
    /// Priority score of each proposal.
    pub scores: Vec<f64>,
    /// Entitlement share of each district (sums to 1).
    pub shares: Vec<f64>,
    /// Need weight of each district (entitlement share / population share).
    pub need_weights: Vec<f64>,
    /// Objective weight of each proposal: score, times need weight if the scenario says so.
    pub weights: Vec<f64>,
    pub costs: Vec<f64>,
    pub specs: Vec<ConstraintSpec>,
}

impl<'a> Prepared<'a> {
    pub fn new(scenario: &'a Scenario) -> Result<Self, SolveError> {
        let scores = scoring::priority_scores(scenario);
        let shares = scoring::entitlement_shares(scenario)?;
        let need_weights = scoring::need_weights(scenario, &shares);
        let weights = scenario
            .proposals
            .iter()
            .zip(&scores)
            .map(|(p, s)| match p.district {
                Some(d) if scenario.settings.need_weighted_objective => s * need_weights[d],
                _ => *s,
            })
            .collect();
        let specs = constraints::constraint_specs(scenario, &shares);
        Ok(Prepared {
            scenario,
            costs: scenario.proposals.iter().map(|p| p.cost).collect(),
            scores,
            shares,
            need_weights,
            weights,
            specs,
        })
    }
}

/// What a rule returns: funded shares and how it got them.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Funded share of each proposal, 0..1.
    pub x: Vec<f64>,
    pub status: Option<Status>,
    pub solver: Option<String>,
    /// Upper bound on the objective from the LP relaxation (score units).
    pub lp_bound: Option<f64>,
    pub gap: Option<f64>,
    /// Per constraint spec: change in objective (score) per currency unit of its bound.
    pub shadow_prices: Option<Vec<f64>>,
    pub notes: Vec<String>,
}

/// An allocation rule.
pub trait AllocationRule {
    fn name(&self) -> &'static str;
    fn allocate(&self, prep: &Prepared, settings: &SolveSettings) -> Result<Outcome, SolveError>;
}

/// One proposal's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalResult {
    pub id: String,
    pub title: String,
    /// District id, or `citywide`.
    pub district: String,
    pub category: String,
    pub cost: f64,
    pub divisible: bool,
    pub score: f64,
    /// Coefficient in the objective (score x need weight when enabled).
    pub weight: f64,
    pub funded_share: f64,
    pub funded_amount: f64,
}

/// One district's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistrictResult {
    pub id: String,
    pub name: String,
    /// 1 for top-level districts, 2 for districts inside them, ... (nested councils).
    pub level: usize,
    /// The id of the district this one belongs to, if nested.
    pub parent: Option<String>,
    pub population: f64,
    pub entitlement_share: f64,
    /// entitlement_share x pool.
    pub entitlement: f64,
    /// The guaranteed floor (alpha x entitlement, capped at what the district can absorb).
    pub floor: f64,
    pub funded: f64,
    pub funded_per_capita: f64,
    /// funded / entitlement.
    pub coverage: f64,
}

/// A budget line and what it gave to the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceFlow {
    pub name: String,
    pub kind: crate::model::SourceKind,
    pub before: f64,
    pub moved: f64,
    pub after: f64,
}

/// A floor or quorum that the allocation does not meet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shortfall {
    pub constraint: String,
    pub kind: ConstraintKind,
    pub subject: String,
    pub required: f64,
    pub achieved: f64,
    pub shortfall: f64,
}

/// A constraint's bound, how much of it the allocation uses, and its shadow price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShadowPrice {
    pub constraint: String,
    pub kind: ConstraintKind,
    pub subject: String,
    pub bound: f64,
    pub activity: f64,
    /// The allocation sits at the bound (within tolerance).
    pub binding: bool,
    /// Change of the objective (priority score) per one more currency unit of
    /// the bound, from the LP relaxation. Negative for a floor that costs score.
    pub shadow_price: f64,
}

/// Wall-clock timings in milliseconds (zeroed by `--deterministic`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Timings {
    pub prepare_ms: f64,
    pub solve_ms: f64,
}

/// The result of one rule on one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    pub scenario: String,
    pub status: Status,
    pub rule: String,
    pub solver: Option<String>,
    pub pool: f64,
    pub currency: String,
    pub funded_total: f64,
    pub unspent: f64,
    /// Sum over proposals of weight x funded share.
    pub objective: f64,
    pub lp_bound: Option<f64>,
    pub gap: Option<f64>,
    pub scoring: String,
    pub formula: String,
    pub proposals: Vec<ProposalResult>,
    pub districts: Vec<DistrictResult>,
    pub citywide_funded: f64,
    /// Budget lines feeding the pool (empty for a fixed pool).
    pub sources: Vec<SourceFlow>,
    pub shortfalls: Vec<Shortfall>,
    pub shadow_prices: Vec<ShadowPrice>,
    /// Why floors and quorums conflict, when they do.
    pub diagnosis: Vec<String>,
    pub notes: Vec<String>,
    pub timings: Timings,
}

impl Allocation {
    /// Zeroes timings so two runs give byte-identical JSON.
    pub fn deterministic(mut self) -> Self {
        self.timings = Timings::default();
        self
    }
}

/// The rule object for a rule name.
pub fn rule_for(name: RuleName) -> Box<dyn AllocationRule> {
    match name {
        RuleName::Optimal => Box::new(Optimal),
        RuleName::Greedy => Box::new(Greedy),
    }
}

/// Runs a rule on a scenario and assembles the allocation.
pub fn solve(scenario: &Scenario, settings: &SolveSettings) -> Result<Allocation, SolveError> {
    let t0 = Instant::now();
    let prep = Prepared::new(scenario)?;
    let t1 = Instant::now();
    let rule = rule_for(settings.rule.unwrap_or(scenario.settings.rule));
    let outcome = rule.allocate(&prep, settings)?;
    let t2 = Instant::now();
    let mut a = assemble(&prep, rule.name(), outcome, settings.strict);
    a.timings = Timings {
        prepare_ms: (t1 - t0).as_secs_f64() * 1e3,
        solve_ms: (t2 - t1).as_secs_f64() * 1e3,
    };
    Ok(a)
}

/// The shortfalls of funded shares `x` against the floors and quorums.
pub fn shortfalls(prep: &Prepared, x: &[f64]) -> Vec<Shortfall> {
    let tol = SHORTFALL_TOLERANCE * prep.scenario.pool.amount;
    prep.specs
        .iter()
        .filter(|s| s.kind.is_floor())
        .filter_map(|s| {
            let achieved = s.activity(&prep.costs, x);
            (achieved < s.bound - tol).then(|| Shortfall {
                constraint: s.id.clone(),
                kind: s.kind,
                subject: s.subject.clone(),
                required: s.bound,
                achieved,
                shortfall: s.bound - achieved,
            })
        })
        .collect()
}

fn assemble(prep: &Prepared, rule: &str, o: Outcome, strict: bool) -> Allocation {
    let sc = prep.scenario;
    let pool = sc.pool.amount;
    let x = &o.x;
    let proposals: Vec<ProposalResult> = sc
        .proposals
        .iter()
        .enumerate()
        .map(|(i, p)| ProposalResult {
            id: p.id.clone(),
            title: p.title.clone(),
            district: p
                .district
                .map_or_else(|| "citywide".to_string(), |d| sc.districts[d].id.clone()),
            category: p.category.clone(),
            cost: p.cost,
            divisible: p.divisible,
            score: prep.scores[i],
            weight: prep.weights[i],
            funded_share: x[i],
            funded_amount: p.cost * x[i],
        })
        .collect();
    let levels = sc.levels();
    let districts = sc
        .districts
        .iter()
        .enumerate()
        .map(|(d, district)| {
            // Funding of the district and of every district nested in it.
            let funded: f64 = proposals
                .iter()
                .zip(&sc.proposals)
                .filter(|(_, p)| p.district.is_some_and(|pd| sc.is_within(pd, d)))
                .map(|(r, _)| r.funded_amount)
                .sum();
            let entitlement = prep.shares[d] * pool;
            let floor = prep
                .specs
                .iter()
                .find(|s| s.kind == ConstraintKind::DistrictFloor && s.subject == district.id)
                .map_or(0.0, |s| s.bound);
            DistrictResult {
                id: district.id.clone(),
                name: district.name.clone(),
                level: levels[d],
                parent: district.parent.map(|p| sc.districts[p].id.clone()),
                population: district.population,
                entitlement_share: prep.shares[d],
                entitlement,
                floor,
                funded,
                funded_per_capita: funded / district.population,
                coverage: if entitlement > 0.0 {
                    funded / entitlement
                } else {
                    0.0
                },
            }
        })
        .collect();
    let funded_total: f64 = proposals.iter().map(|p| p.funded_amount).sum();
    let citywide_funded = proposals
        .iter()
        .filter(|p| p.district == "citywide")
        .map(|p| p.funded_amount)
        .sum();
    let shortfalls = shortfalls(prep, x);
    let tol = SHORTFALL_TOLERANCE * pool;
    let shadow_prices = match &o.shadow_prices {
        Some(sp) => prep
            .specs
            .iter()
            .zip(sp)
            .map(|(s, &price)| {
                let activity = s.activity(&prep.costs, x);
                ShadowPrice {
                    constraint: s.id.clone(),
                    kind: s.kind,
                    subject: s.subject.clone(),
                    bound: s.bound,
                    activity,
                    binding: (activity - s.bound).abs() <= tol,
                    shadow_price: price,
                }
            })
            .collect(),
        None => Vec::new(),
    };
    let mut status = o.status.unwrap_or(Status::Complete);
    if status == Status::Optimal && !shortfalls.is_empty() {
        status = Status::OptimalWithShortfall;
    }
    if strict && !shortfalls.is_empty() {
        status = Status::Infeasible;
    }
    let diagnosis = if shortfalls.is_empty() {
        Vec::new()
    } else if rule != "optimal" {
        vec![format!(
            "the {rule} rule does not enforce floors or quorums; their shortfalls are reported for comparison with `optimal`"
        )]
    } else {
        let mut d = constraints::diagnose(sc, &prep.specs);
        if d.is_empty() {
            d.push(
                "no single constraint is impossible on its own: the shortfalls come from floors, quorums, caps and indivisible proposals competing for the same pool"
                    .into(),
            );
        }
        d
    };
    Allocation {
        scenario: sc.name.clone(),
        status,
        rule: rule.to_string(),
        solver: o.solver,
        pool,
        currency: sc.pool.currency.clone(),
        funded_total,
        unspent: pool - funded_total,
        objective: prep.weights.iter().zip(x).map(|(w, x)| w * x).sum(),
        lp_bound: o.lp_bound,
        gap: o.gap,
        scoring: sc.settings.scoring.label(),
        formula: sc.formula.kind().to_string(),
        proposals,
        districts,
        citywide_funded,
        sources: sc
            .sources
            .iter()
            .map(|b| SourceFlow {
                name: b.name.clone(),
                kind: b.kind,
                before: b.amount,
                moved: b.moved,
                after: b.amount - b.moved,
            })
            .collect(),
        shortfalls,
        shadow_prices,
        diagnosis,
        notes: o.notes,
        timings: Timings::default(),
    }
}
