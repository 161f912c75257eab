//! Comparing scenarios and rules: every (scenario, rule) pair solved, with its
//! metrics, as tidy tables and the six equity charts a council reads first.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::charts::{BarChart, LineChart, ReferenceLine, Series, SeriesKind, write_chart};
use crate::error::{Error, OutputError};
use crate::io::output::{OutputDir, write_csv, write_json, write_parquet};
use crate::metrics::AllocationMetrics;
use crate::model::{RuleName, Scenario};
use crate::solve::{Allocation, SolveSettings, solve};

use super::ResultDocument;

/// One (scenario, rule) pair, solved.
#[derive(Debug, Clone)]
pub struct Run {
    /// Unique, readable: the scenario name, plus the rule when several rules run.
    pub label: String,
    pub scenario: Scenario,
    pub rule: RuleName,
    pub allocation: Allocation,
    pub metrics: AllocationMetrics,
}

/// Several runs side by side.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub runs: Vec<Run>,
}

/// Charts every comparison draws, by file stem.
pub const CHARTS: [&str; 6] = [
    "per_capita",
    "lorenz",
    "need_scatter",
    "coverage",
    "satisfaction",
    "shadow_prices",
];

impl Comparison {
    /// Solves every scenario with every rule (in that order).
    pub fn run(
        scenarios: &[Scenario],
        rules: &[RuleName],
        settings: &SolveSettings,
    ) -> Result<Self, Error> {
        let mut runs = Vec::new();
        let names: Vec<String> = scenarios.iter().map(|s| s.name.clone()).collect();
        for (i, s) in scenarios.iter().enumerate() {
            // Two files may share a name: the file stem tells them apart.
            let mut name = s.name.clone();
            if names.iter().filter(|n| **n == s.name).count() > 1 {
                let stem = s
                    .source
                    .as_ref()
                    .and_then(|p| p.file_stem())
                    .map(|x| x.to_string_lossy().into_owned());
                name = format!(
                    "{} [{}]",
                    s.name,
                    stem.unwrap_or_else(|| (i + 1).to_string())
                );
            }
            for &rule in rules {
                let allocation = solve(
                    s,
                    &SolveSettings {
                        rule: Some(rule),
                        ..settings.clone()
                    },
                )?;
                let doc = ResultDocument::new(s, allocation)?;
                let label = if rules.len() > 1 {
                    format!("{name} ({})", rule.as_str())
                } else {
                    name.clone()
                };
                runs.push(Run {
                    label,
                    scenario: s.clone(),
                    rule,
                    allocation: doc.allocation,
                    metrics: doc.metrics,
                });
            }
        }
        Ok(Comparison { runs })
    }

    /// Top-level districts of the first scenario, poorest first: the rows of
    /// the per-district charts and of the wide table.
    pub fn districts(&self) -> Vec<(String, String)> {
        let Some(first) = self.runs.first() else {
            return Vec::new();
        };
        let mut d: Vec<usize> = (0..first.scenario.districts.len())
            .filter(|&i| first.scenario.districts[i].parent.is_none())
            .collect();
        d.sort_by(|&a, &b| {
            first.scenario.districts[b]
                .poverty()
                .total_cmp(&first.scenario.districts[a].poverty())
                .then(a.cmp(&b))
        });
        d.iter()
            .map(|&i| {
                (
                    first.scenario.districts[i].id.clone(),
                    first.scenario.districts[i].name.clone(),
                )
            })
            .collect()
    }

    /// A per-district value of a run, by district id (NaN when the run has no such district).
    fn district_value(
        run: &Run,
        id: &str,
        f: impl Fn(&crate::solve::DistrictResult) -> f64,
    ) -> f64 {
        run.allocation
            .districts
            .iter()
            .find(|d| d.id == id)
            .map_or(f64::NAN, f)
    }

    /// Tidy rows: scenario, rule, run, district, metric, value.
    pub fn tidy_frame(&self) -> Result<DataFrame, OutputError> {
        let (mut sc, mut ru, mut la, mut di, mut me, mut va) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        for r in &self.runs {
            for (d, res) in r.allocation.districts.iter().enumerate() {
                let district = &r.scenario.districts[d];
                let rows: [(&str, f64); 9] = [
                    ("population", res.population),
                    ("need", district.need()),
                    ("poverty", district.poverty()),
                    ("infrastructure_gap", district.infrastructure_gap()),
                    ("entitlement", res.entitlement),
                    ("floor", res.floor),
                    ("funded", res.funded),
                    ("funded_per_capita", res.funded_per_capita),
                    ("coverage", res.coverage),
                ];
                for (m, v) in rows {
                    sc.push(r.scenario.name.clone());
                    ru.push(r.rule.as_str().to_string());
                    la.push(r.label.clone());
                    di.push(res.id.clone());
                    me.push(m.to_string());
                    va.push(v);
                }
            }
        }
        df!("scenario" => sc, "rule" => ru, "run" => la, "district" => di, "metric" => me, "value" => va).map_err(table_err("comparison"))
    }

    /// One row per top-level district of the first scenario (poorest first),
    /// one column of funding per resident per run.
    pub fn wide_frame(&self) -> Result<DataFrame, OutputError> {
        let rows = self.districts();
        let first = &self.runs[0];
        let get = |id: &str, f: &dyn Fn(&crate::model::District) -> f64| {
            first
                .scenario
                .districts
                .iter()
                .find(|d| d.id == id)
                .map_or(f64::NAN, f)
        };
        let mut cols = vec![
            Column::new(
                "district".into(),
                rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "name".into(),
                rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "population".into(),
                rows.iter()
                    .map(|r| get(&r.0, &|d| d.population))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "poverty".into(),
                rows.iter()
                    .map(|r| get(&r.0, &|d| d.poverty()))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "need".into(),
                rows.iter()
                    .map(|r| get(&r.0, &|d| d.need()))
                    .collect::<Vec<_>>(),
            ),
        ];
        for run in &self.runs {
            cols.push(Column::new(
                run.label.as_str().into(),
                rows.iter()
                    .map(|r| Self::district_value(run, &r.0, |d| d.funded_per_capita))
                    .collect::<Vec<_>>(),
            ));
        }
        DataFrame::new_infer_height(cols).map_err(table_err("comparison_wide"))
    }

    /// One row per run with every equity metric.
    pub fn metrics_frame(&self) -> Result<DataFrame, OutputError> {
        let groups: BTreeSet<String> = self
            .runs
            .iter()
            .flat_map(|r| r.metrics.satisfaction.by_group.keys().cloned())
            .collect();
        let m =
            |f: &dyn Fn(&Run) -> Option<f64>| self.runs.iter().map(f).collect::<Vec<Option<f64>>>();
        let mut cols = vec![
            Column::new(
                "scenario".into(),
                self.runs
                    .iter()
                    .map(|r| r.scenario.name.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "rule".into(),
                self.runs
                    .iter()
                    .map(|r| r.rule.as_str().to_string())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "run".into(),
                self.runs
                    .iter()
                    .map(|r| r.label.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "status".into(),
                self.runs
                    .iter()
                    .map(|r| r.allocation.status.as_str().to_string())
                    .collect::<Vec<_>>(),
            ),
            Column::new("pool".into(), m(&|r| Some(r.allocation.pool))),
            Column::new(
                "funded_total".into(),
                m(&|r| Some(r.allocation.funded_total)),
            ),
            Column::new("objective".into(), m(&|r| Some(r.allocation.objective))),
            Column::new(
                "shortfall_total".into(),
                m(&|r| Some(r.allocation.shortfalls.iter().map(|s| s.shortfall).sum())),
            ),
            Column::new("mean_per_capita".into(), m(&|r| r.metrics.mean_per_capita)),
            Column::new("gini".into(), m(&|r| r.metrics.gini)),
            Column::new("gini_unweighted".into(), m(&|r| r.metrics.gini_unweighted)),
            Column::new("theil_t".into(), m(&|r| r.metrics.theil_t)),
            Column::new("theil_l".into(), m(&|r| r.metrics.theil_l)),
        ];
        for (key, _) in crate::metrics::summary::DEFAULT_EPSILONS {
            cols.push(Column::new(
                format!("atkinson_{key}").into(),
                m(&|r| r.metrics.atkinson.get(key)),
            ));
        }
        cols.extend([
            Column::new("hoover".into(), m(&|r| r.metrics.hoover)),
            Column::new("wolfson".into(), m(&|r| r.metrics.wolfson)),
            Column::new(
                "concentration_index".into(),
                m(&|r| r.metrics.concentration_index),
            ),
            Column::new(
                "absolute_concentration_index".into(),
                m(&|r| r.metrics.absolute_concentration_index),
            ),
            Column::new(
                "suits_vs_entitlement".into(),
                m(&|r| r.metrics.suits_vs_entitlement),
            ),
            Column::new(
                "need_correlation".into(),
                m(&|r| r.metrics.need_correlation),
            ),
            Column::new(
                "poorest_quintile_share".into(),
                m(&|r| r.metrics.poorest_quintile_share),
            ),
            Column::new(
                "coverage_min".into(),
                m(&|r| r.metrics.coverage.as_ref().map(|c| c.min)),
            ),
            Column::new(
                "coverage_mean".into(),
                m(&|r| r.metrics.coverage.as_ref().map(|c| c.mean)),
            ),
            Column::new(
                "coverage_max".into(),
                m(&|r| r.metrics.coverage.as_ref().map(|c| c.max)),
            ),
            Column::new(
                "satisfaction_mean".into(),
                m(&|r| r.metrics.satisfaction.mean),
            ),
        ]);
        for g in &groups {
            cols.push(Column::new(
                format!("satisfaction_{g}").into(),
                m(&|r| r.metrics.satisfaction.by_group.get(g).copied()),
            ));
        }
        DataFrame::new_infer_height(cols).map_err(table_err("metrics"))
    }

    fn currency(&self) -> String {
        self.runs
            .first()
            .map(|r| r.allocation.currency.clone())
            .unwrap_or_default()
    }

    /// Chart 1: funding per resident by district (poorest first), one bar per run.
    pub fn per_capita_chart(&self) -> BarChart {
        let rows = self.districts();
        BarChart {
            title: "Funding per resident by district".into(),
            value_label: format!("funding per resident ({})", self.currency()),
            category_label: "district (poorest first)".into(),
            categories: rows.iter().map(|r| r.1.clone()).collect(),
            series: self
                .runs
                .iter()
                .map(|run| {
                    (
                        run.label.clone(),
                        rows.iter()
                            .map(|r| {
                                Self::district_value(run, &r.0, |d| d.funded_per_capita).max(0.0)
                            })
                            .collect(),
                    )
                })
                .collect(),
            reference: None,
        }
    }

    /// Chart 2: Lorenz curves of funding per resident, with each run's Gini.
    pub fn lorenz_chart(&self) -> LineChart {
        LineChart {
            title: "Lorenz curves of funding per resident".into(),
            x_label: "share of residents (districts from least funded per resident)".into(),
            y_label: "share of district funding".into(),
            series: self
                .runs
                .iter()
                .map(|r| Series {
                    label: format!(
                        "{} (Gini {})",
                        r.label,
                        r.metrics.gini.map_or("n/a".into(), |g| format!("{g:.3}"))
                    ),
                    points: std::iter::once((0.0, 0.0))
                        .chain(r.metrics.lorenz.iter().map(|p| (p[0], p[1])))
                        .collect(),
                    kind: SeriesKind::Line,
                    band: None,
                })
                .collect(),
            x_range: Some((0.0, 1.0)),
            y_range: Some((0.0, 1.0)),
            diagonal: Some("equality".into()),
            percent_axes: true,
        }
    }

    /// Chart 3: funding per resident against the need index, with fitted lines.
    pub fn need_scatter_chart(&self) -> LineChart {
        LineChart {
            title: "Funding per resident against need".into(),
            x_label: "need index of the district".into(),
            y_label: format!("funding per resident ({})", self.currency()),
            series: self
                .runs
                .iter()
                .map(|r| Series {
                    label: r.label.clone(),
                    points: r
                        .allocation
                        .districts
                        .iter()
                        .zip(&r.scenario.districts)
                        .filter(|(_, d)| d.parent.is_none())
                        .map(|(res, d)| (d.need(), res.funded_per_capita))
                        .collect(),
                    kind: SeriesKind::PointsWithFit,
                    band: None,
                })
                .collect(),
            x_range: None,
            y_range: None,
            diagonal: None,
            percent_axes: false,
        }
    }

    /// Chart 4: need coverage (funded / entitlement) by district, with the 100% line.
    pub fn coverage_chart(&self) -> BarChart {
        let rows = self.districts();
        BarChart {
            title: "Need coverage: funding over need-weighted entitlement".into(),
            value_label: "coverage (% of entitlement)".into(),
            category_label: "district (poorest first)".into(),
            categories: rows.iter().map(|r| r.1.clone()).collect(),
            series: self
                .runs
                .iter()
                .map(|run| {
                    (
                        run.label.clone(),
                        rows.iter()
                            .map(|r| {
                                100.0 * Self::district_value(run, &r.0, |d| d.coverage).max(0.0)
                            })
                            .collect(),
                    )
                })
                .collect(),
            reference: Some(ReferenceLine {
                value: 100.0,
                label: "100% of entitlement".into(),
            }),
        }
    }

    /// Chart 5: delegates' satisfaction (share of their top 3 funded), all and by group.
    pub fn satisfaction_chart(&self) -> BarChart {
        let groups: BTreeSet<String> = self
            .runs
            .iter()
            .flat_map(|r| r.metrics.satisfaction.by_group.keys().cloned())
            .collect();
        let mut series = vec![(
            "all delegates".to_string(),
            self.runs
                .iter()
                .map(|r| 100.0 * r.metrics.satisfaction.mean.unwrap_or(0.0))
                .collect::<Vec<_>>(),
        )];
        for g in &groups {
            series.push((
                format!("{g} delegates"),
                self.runs
                    .iter()
                    .map(|r| {
                        100.0
                            * r.metrics
                                .satisfaction
                                .by_group
                                .get(g)
                                .copied()
                                .unwrap_or(0.0)
                    })
                    .collect(),
            ));
        }
        BarChart {
            title: "Delegate satisfaction: share of their top 3 funded".into(),
            value_label: "satisfaction (%)".into(),
            category_label: "run".into(),
            categories: self.runs.iter().map(|r| r.label.clone()).collect(),
            series,
            reference: None,
        }
    }

    /// Chart 6: shadow prices of floors and quorums in `optimal` runs: what one
    /// more million (of the currency) of each guarantee costs in priority score.
    pub fn shadow_price_chart(&self) -> BarChart {
        let optimal: Vec<&Run> = self
            .runs
            .iter()
            .filter(|r| r.rule == RuleName::Optimal)
            .collect();
        let mut constraints: Vec<String> = Vec::new();
        for r in &optimal {
            for p in r
                .allocation
                .shadow_prices
                .iter()
                .filter(|p| p.kind.is_floor() && p.shadow_price.abs() > 1e-12)
            {
                if !constraints.contains(&p.constraint) {
                    constraints.push(p.constraint.clone());
                }
            }
        }
        let series = optimal
            .iter()
            .map(|r| {
                (
                    r.label.clone(),
                    constraints
                        .iter()
                        .map(|c| {
                            r.allocation
                                .shadow_prices
                                .iter()
                                .find(|p| &p.constraint == c)
                                .map_or(0.0, |p| -p.shadow_price * 1e6)
                        })
                        .collect(),
                )
            })
            .collect();
        let empty = constraints.is_empty();
        BarChart {
            title: "What each equity guarantee costs (optimal runs)".into(),
            value_label: format!(
                "priority score given up per 1,000,000 {} more of the guarantee",
                self.currency()
            ),
            category_label: "floor or quorum".into(),
            categories: if empty {
                vec!["no floor or quorum binds".into()]
            } else {
                constraints
            },
            series: if empty {
                vec![("none".into(), vec![0.0])]
            } else {
                series
            },
            reference: None,
        }
    }

    /// The budget-source waterfall of each scenario that has sources, by file stem
    /// (`sources_waterfall`, or `sources_waterfall_2`, ... for later scenarios).
    pub fn waterfalls(&self) -> Vec<(String, crate::report::charts::Waterfall)> {
        let mut out = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for r in &self.runs {
            if seen.contains(&r.scenario.name.as_str()) {
                continue;
            }
            seen.push(&r.scenario.name);
            if let Some(w) = crate::sweep::sources_waterfall(&r.scenario) {
                let stem = if out.is_empty() {
                    "sources_waterfall".to_string()
                } else {
                    format!("sources_waterfall_{}", out.len() + 1)
                };
                out.push((stem, w));
            }
        }
        out
    }

    /// Writes tables and charts into `dir` (atomically).
    pub fn write(&self, dir: &Path, force: bool) -> Result<PathBuf, OutputError> {
        let out = OutputDir::create(dir, force)?;
        let tidy = self.tidy_frame()?;
        write_csv(&tidy, &out.path("comparison.csv"))?;
        write_parquet(&tidy, &out.path("comparison.parquet"))?;
        let wide = self.wide_frame()?;
        write_csv(&wide, &out.path("comparison_wide.csv"))?;
        write_parquet(&wide, &out.path("comparison_wide.parquet"))?;
        write_csv(&self.metrics_frame()?, &out.path("metrics.csv"))?;
        write_json(&self.summary(), &out.path("comparison.json"))?;
        let root = out.path("");
        write_chart(&self.per_capita_chart(), &root, "per_capita")?;
        write_chart(&self.lorenz_chart(), &root, "lorenz")?;
        write_chart(&self.need_scatter_chart(), &root, "need_scatter")?;
        write_chart(&self.coverage_chart(), &root, "coverage")?;
        write_chart(&self.satisfaction_chart(), &root, "satisfaction")?;
        write_chart(&self.shadow_price_chart(), &root, "shadow_prices")?;
        for (stem, w) in self.waterfalls() {
            write_chart(&w, &root, &stem)?;
        }
        out.commit()
    }

    /// Every run's result document, for `--format json` and comparison.json.
    pub fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "participa": env!("CARGO_PKG_VERSION"),
            "runs": self.runs.iter().map(|r| serde_json::json!({
                "label": r.label,
                "scenario": r.scenario.name,
                "rule": r.rule.as_str(),
                "status": r.allocation.status,
                "pool": r.allocation.pool,
                "funded_total": r.allocation.funded_total,
                "objective": r.allocation.objective,
                "shortfalls": r.allocation.shortfalls,
                "metrics": r.metrics,
                "districts": r.allocation.districts,
            })).collect::<Vec<_>>(),
        })
    }
}

fn table_err(name: &str) -> impl FnOnce(PolarsError) -> OutputError + '_ {
    move |e| OutputError::Table {
        name: name.into(),
        message: e.to_string(),
    }
}
