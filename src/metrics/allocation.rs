//! The `metrics` object of a solve result: equity of the allocation across
//! districts and delegates' satisfaction, from a scenario and its allocation.

use std::collections::BTreeMap;

use ndarray::Array1;
use serde::{Deserialize, Serialize};

use super::summary::{DEFAULT_EPSILONS, EpsilonMap, InequalityInput, summarise};
use super::{
    CoverageSummary, MetricError, Result, bottom_share, correlation, delegate_satisfaction, gini,
    group_means, suits,
};
use crate::model::Scenario;
use crate::solve::Allocation;

/// Proposals at the top of each ranking that satisfaction counts.
pub const SATISFACTION_TOP_K: usize = 3;

/// What the distribution metrics are computed on (the `basis` field).
pub const BASIS: &str = "funded_per_capita of each top-level district (citywide proposals excluded; with nested councils a region's funding includes its districts'), weighted by population; concentration, Suits and poorest quintile ranked by poverty, poorest first; coverage over every district";

/// One delegate's satisfaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelegateSatisfaction {
    pub id: String,
    pub group: Option<String>,
    /// Share of the delegate's top 3 funded (see [`delegate_satisfaction`]).
    pub satisfaction: f64,
}

/// Delegates' satisfaction with the allocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatisfactionSummary {
    /// How many of each ranking's first proposals count (3).
    pub top_k: usize,
    /// Mean over delegates, each counting once; null without delegates.
    pub mean: Option<f64>,
    /// Mean over each group's delegates, by group id (delegates without a group are left out).
    pub by_group: BTreeMap<String, f64>,
    pub delegates: Vec<DelegateSatisfaction>,
}

/// Equity and satisfaction metrics of one allocation. A metric that is
/// undefined for this allocation is null, with the reason in `notes`.
/// Fields are only ever added, never renamed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllocationMetrics {
    /// What the distribution metrics are computed on.
    pub basis: String,
    /// Top-level districts the distribution metrics are over.
    pub districts: usize,
    /// District funding / population of all districts.
    pub mean_per_capita: Option<f64>,
    /// Population-weighted Gini of per-capita funding (Gini over residents).
    pub gini: Option<f64>,
    /// Gini of per-capita funding with each district counting once.
    pub gini_unweighted: Option<f64>,
    pub theil_t: Option<f64>,
    /// Null when some district received nothing.
    pub theil_l: Option<f64>,
    /// Atkinson index for epsilon 0.5, 1 and 2.
    pub atkinson: EpsilonMap,
    pub hoover: Option<f64>,
    pub wolfson: Option<f64>,
    /// `[population share, funding share]`, districts from the lowest per-capita funding.
    pub lorenz: Vec<[f64; 2]>,
    /// Of per-capita funding, districts ranked by poverty from the poorest:
    /// negative = funding concentrated in the poorest districts.
    pub concentration_index: Option<f64>,
    /// The same in currency per resident (mean x concentration index).
    pub absolute_concentration_index: Option<f64>,
    /// Suits index of district funding against need-weighted entitlements,
    /// ranked by poverty from the poorest: 0 = funding in proportion to
    /// entitlement, negative = tilted further toward the poorest.
    pub suits_vs_entitlement: Option<f64>,
    /// Population-weighted correlation of funding per capita with entitlement per capita.
    pub need_correlation: Option<f64>,
    /// Share of district funding reaching the poorest 20% of residents
    /// (districts by poverty; the district straddling the cut counts pro rata).
    pub poorest_quintile_share: Option<f64>,
    /// funded / entitlement over every district (all levels) with an entitlement.
    pub coverage: Option<CoverageSummary>,
    pub satisfaction: SatisfactionSummary,
    /// Why any metric above is null.
    pub notes: Vec<String>,
}

/// Computes [`AllocationMetrics`] for an allocation of `scenario`. Errors only
/// when the allocation does not belong to the scenario (other districts or
/// proposals).
pub fn allocation_metrics(scenario: &Scenario, a: &Allocation) -> Result<AllocationMetrics> {
    const M: &str = "allocation metrics";
    let same_districts = a.districts.len() == scenario.districts.len()
        && a.districts
            .iter()
            .zip(&scenario.districts)
            .all(|(r, d)| r.id == d.id);
    let same_proposals = a.proposals.len() == scenario.proposals.len()
        && a.proposals
            .iter()
            .zip(&scenario.proposals)
            .all(|(r, p)| r.id == p.id);
    if !(same_districts && same_proposals) {
        return Err(MetricError::Undefined {
            metric: M,
            reason: "the allocation's districts or proposals are not the scenario's".into(),
        });
    }
    // The distribution is over top-level districts: they partition the city's
    // residents, and with nested councils a region's `funded` already includes
    // its neighbourhoods'. Solver rounding can leave -1e-10: funding is never negative.
    let top: Vec<usize> = (0..a.districts.len())
        .filter(|&d| scenario.districts[d].parent.is_none())
        .collect();
    let column = |f: &dyn Fn(usize) -> f64| -> Array1<f64> { top.iter().map(|&d| f(d)).collect() };
    let population = column(&|d| a.districts[d].population);
    let funded = column(&|d| a.districts[d].funded.max(0.0));
    let entitlement = column(&|d| a.districts[d].entitlement);
    let poorest_first = column(&|d| -scenario.districts[d].poverty());
    let per_capita = &funded / &population;
    let ids: Vec<&str> = top.iter().map(|&d| a.districts[d].id.as_str()).collect();
    let mut notes = Vec::new();
    let mut soft = |r: Result<f64>| r.map_err(|e| notes.push(note(&e, &ids))).ok();

    let summary = summarise(&InequalityInput {
        values: per_capita.view(),
        weights: population.view(),
        groups: None,
        order: Some(poorest_first.view()),
        epsilons: DEFAULT_EPSILONS
            .iter()
            .map(|(k, e)| (k.to_string(), *e))
            .collect(),
    });
    let gini_unweighted = soft(gini(per_capita.view()));
    let suits_vs_entitlement = soft(suits(
        funded.view(),
        entitlement.view(),
        poorest_first.view(),
    ));
    let need_correlation = soft(correlation(
        per_capita.view(),
        (&entitlement / &population).view(),
        population.view(),
    ));
    let poorest_quintile_share = soft(bottom_share(
        per_capita.view(),
        population.view(),
        poorest_first.view(),
        0.2,
    ));
    let coverage = coverage_summary(a, &mut notes);
    let satisfaction = satisfaction_summary(scenario, a, &mut notes)?;
    let summary = match summary {
        Ok(s) => {
            notes.extend(s.undefined.iter().map(|e| note(e, &ids)));
            Some(s)
        }
        Err(e) => {
            notes.push(note(&e, &ids));
            None
        }
    };
    let pick = |f: fn(&super::InequalitySummary) -> Option<f64>| summary.as_ref().and_then(f);
    Ok(AllocationMetrics {
        basis: BASIS.into(),
        districts: top.len(),
        mean_per_capita: pick(|s| Some(s.mean)),
        gini: pick(|s| Some(s.gini)),
        gini_unweighted,
        theil_t: pick(|s| Some(s.theil_t)),
        theil_l: pick(|s| s.theil_l),
        atkinson: summary
            .as_ref()
            .map(|s| s.atkinson.clone())
            .unwrap_or_default(),
        hoover: pick(|s| Some(s.hoover)),
        wolfson: pick(|s| s.wolfson),
        lorenz: summary
            .as_ref()
            .map(|s| s.lorenz.clone())
            .unwrap_or_default(),
        concentration_index: pick(|s| s.concentration_index),
        absolute_concentration_index: pick(|s| s.absolute_concentration_index),
        suits_vs_entitlement,
        need_correlation,
        poorest_quintile_share,
        coverage,
        satisfaction,
        notes,
    })
}

/// An error in district terms: metric errors point at rows, which are districts here.
fn note(e: &MetricError, ids: &[&str]) -> String {
    match e {
        MetricError::NotPositive { metric, index, .. } => format!(
            "{metric}: district `{}` received nothing, and {metric} takes the logarithm of every district's funding per capita",
            ids[*index]
        ),
        MetricError::ZeroTotal {
            metric,
            what: "values" | "amounts",
        } => {
            format!(
                "{metric}: no district received anything (all funding went to citywide proposals, or none was spent)"
            )
        }
        MetricError::Undefined {
            metric: "correlation",
            ..
        } => "need_correlation: funding per capita or entitlement per capita is the same in every district (e.g. a population formula), so they cannot correlate".into(),
        _ => e.to_string(),
    }
}

/// Coverage over every district at every level (floors apply at each).
fn coverage_summary(a: &Allocation, notes: &mut Vec<String>) -> Option<CoverageSummary> {
    let entitled: Vec<_> = a.districts.iter().filter(|d| d.entitlement > 0.0).collect();
    if entitled.len() < a.districts.len() {
        notes.push(format!(
            "coverage: {} district(s) with no entitlement left out",
            a.districts.len() - entitled.len()
        ));
    }
    if entitled.is_empty() {
        return None;
    }
    let f: Array1<f64> = entitled.iter().map(|d| d.funded.max(0.0)).collect();
    let e: Array1<f64> = entitled.iter().map(|d| d.entitlement).collect();
    super::coverage(f.view(), e.view())
        .map_err(|err| notes.push(err.to_string()))
        .ok()
}

fn satisfaction_summary(
    scenario: &Scenario,
    a: &Allocation,
    notes: &mut Vec<String>,
) -> Result<SatisfactionSummary> {
    let x: Array1<f64> = a.proposals.iter().map(|p| p.funded_share).collect();
    let mut delegates = Vec::with_capacity(scenario.delegates.len());
    for d in &scenario.delegates {
        delegates.push(DelegateSatisfaction {
            id: d.id.clone(),
            group: d.group.map(|g| scenario.groups[g].id.clone()),
            satisfaction: delegate_satisfaction(&d.ranking, x.view(), SATISFACTION_TOP_K)?,
        });
    }
    let values: Array1<f64> = delegates.iter().map(|d| d.satisfaction).collect();
    let mean = if delegates.is_empty() {
        notes.push("satisfaction: the scenario has no delegates".into());
        None
    } else {
        Some(values.mean().unwrap_or_default())
    };
    let (grouped, keys): (Vec<f64>, Vec<String>) = delegates
        .iter()
        .filter_map(|d| d.group.clone().map(|g| (d.satisfaction, g)))
        .unzip();
    let by_group = if grouped.is_empty() {
        BTreeMap::new()
    } else {
        group_means(Array1::from(grouped).view(), &keys)?
    };
    Ok(SatisfactionSummary {
        top_k: SATISFACTION_TOP_K,
        mean,
        by_group,
        delegates,
    })
}
