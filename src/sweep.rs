//! Sweeps: a scenario run over a grid of values of any numeric field (a budget
//! line's share moved to the pool, a formula weight, the floor...), every rule
//! at every point, in parallel. Results come back in grid order whatever the
//! number of threads, so the same sweep always writes the same bytes.

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use polars::prelude::*;
use rayon::prelude::*;

use crate::error::{Error, OutputError, ScenarioError};
use crate::io::output::{OutputDir, write_csv, write_parquet};
use crate::metrics::{AllocationMetrics, allocation_metrics};
use crate::model::{RuleName, Scenario, ScenarioSource};
use crate::report::charts::{Band, LineChart, Series, SeriesKind, Waterfall, write_chart};
use crate::solve::{Allocation, SolveSettings, solve};

/// Grid points above this are refused (a typo such as a step of 0.0001 would
/// otherwise run for hours); raise it with `max_points`.
pub const DEFAULT_MAX_POINTS: usize = 10_000;

/// One varied field and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Dotted path, e.g. `budget.sources.Tax abatements.to_pool`.
    pub path: String,
    pub values: Vec<f64>,
}

impl Axis {
    /// Parses `PATH=START:STOP:STEP` (STOP included) or `PATH=V1,V2,...`.
    pub fn parse(spec: &str) -> Result<Axis, String> {
        let (path, range) = spec
            .rsplit_once('=')
            .ok_or_else(|| format!("`{spec}`: write PATH=START:STOP:STEP or PATH=V1,V2,..."))?;
        let num = |s: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("`{s}` in `{spec}` is not a number"))
        };
        let values = if range.contains(':') {
            let parts: Vec<&str> = range.split(':').collect();
            let [a, b, c] = parts[..] else {
                return Err(format!("`{range}`: a range is START:STOP:STEP"));
            };
            let (start, stop, step) = (num(a)?, num(b)?, num(c)?);
            if step <= 0.0 || stop < start {
                return Err(format!("`{range}`: STEP must be > 0 and STOP >= START"));
            }
            let n = ((stop - start) / step + 1e-9).floor() as usize + 1;
            // Rounded so that 0.1 + 0.2 style errors do not leak into file names and rows.
            (0..n)
                .map(|i| ((start + step * i as f64) * 1e12).round() / 1e12)
                .collect()
        } else {
            range.split(',').map(num).collect::<Result<Vec<_>, _>>()?
        };
        if path.trim().is_empty() || values.is_empty() {
            return Err(format!("`{spec}`: nothing to vary"));
        }
        Ok(Axis {
            path: path.trim().to_string(),
            values,
        })
    }
}

/// What to sweep.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    pub axes: Vec<Axis>,
    pub rules: Vec<RuleName>,
    pub max_points: usize,
}

impl SweepPlan {
    /// Every grid point, the last axis varying fastest.
    pub fn points(&self) -> Vec<Vec<f64>> {
        let mut out: Vec<Vec<f64>> = vec![Vec::new()];
        for axis in &self.axes {
            out = out
                .into_iter()
                .flat_map(|p| {
                    axis.values.iter().map(move |v| {
                        let mut q = p.clone();
                        q.push(*v);
                        q
                    })
                })
                .collect();
        }
        out
    }
}

/// One (grid point, rule) run.
#[derive(Debug, Clone)]
pub struct PointRun {
    pub point: usize,
    pub values: Vec<f64>,
    pub rule: RuleName,
    pub scenario: Scenario,
    pub allocation: Allocation,
    pub metrics: AllocationMetrics,
}

/// A grid point whose scenario is invalid, or a failed solve.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("{0}")]
    Plan(String),
    #[error("at {at}: {source}")]
    Point {
        at: String,
        #[source]
        source: Box<Error>,
    },
}

fn describe(axes: &[Axis], values: &[f64]) -> String {
    axes.iter()
        .zip(values)
        .map(|(a, v)| format!("{} = {v}", a.path))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs the sweep on `threads` threads (0 = all cores).
pub fn run_sweep(
    source: &ScenarioSource,
    plan: &SweepPlan,
    settings: &SolveSettings,
    threads: usize,
) -> Result<Vec<PointRun>, SweepError> {
    for a in &plan.axes {
        if source.number(&a.path).is_none() {
            let mut probe = source.clone();
            probe
                .set_number(&a.path, a.values[0])
                .map_err(SweepError::Plan)?;
        }
    }
    let points = plan.points();
    let total = points.len() * plan.rules.len();
    if total > plan.max_points {
        return Err(SweepError::Plan(format!(
            "the sweep has {total} runs, above the limit of {}; use fewer values or raise --max-points",
            plan.max_points
        )));
    }
    let jobs: Vec<(usize, &Vec<f64>, RuleName)> = points
        .iter()
        .enumerate()
        .flat_map(|(i, p)| plan.rules.iter().map(move |r| (i, p, *r)))
        .collect();
    let bar = ProgressBar::new(jobs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} sweep {pos}/{len} [{bar:30}] {elapsed} (eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| SweepError::Plan(e.to_string()))?;
    let run_one =
        |&(i, values, rule): &(usize, &Vec<f64>, RuleName)| -> Result<PointRun, SweepError> {
            let at = || describe(&plan.axes, values);
            let mut s = source.clone();
            for (a, v) in plan.axes.iter().zip(values) {
                s.set_number(&a.path, *v).map_err(SweepError::Plan)?;
            }
            let scenario = s.build().map_err(|e: ScenarioError| SweepError::Point {
                at: at(),
                source: Box::new(e.into()),
            })?;
            let allocation = solve(
                &scenario,
                &SolveSettings {
                    rule: Some(rule),
                    ..settings.clone()
                },
            )
            .map_err(|e| SweepError::Point {
                at: at(),
                source: Box::new(e.into()),
            })?;
            let metrics =
                allocation_metrics(&scenario, &allocation).map_err(|e| SweepError::Point {
                    at: at(),
                    source: Box::new(e.into()),
                })?;
            bar.inc(1);
            Ok(PointRun {
                point: i,
                values: values.clone(),
                rule,
                scenario,
                allocation,
                metrics,
            })
        };
    // `collect` on an indexed parallel iterator keeps the input order.
    let out: Result<Vec<PointRun>, SweepError> =
        pool.install(|| jobs.par_iter().map(run_one).collect());
    bar.finish_and_clear();
    out
}

/// Funding per resident of the poorest fifth of residents (districts by poverty).
pub fn poorest_quintile_per_capita(run: &PointRun) -> Option<f64> {
    let top: Vec<usize> = (0..run.scenario.districts.len())
        .filter(|&d| run.scenario.districts[d].parent.is_none())
        .collect();
    let funded: f64 = top
        .iter()
        .map(|&d| run.allocation.districts[d].funded)
        .sum();
    let pop: f64 = top
        .iter()
        .map(|&d| run.allocation.districts[d].population)
        .sum();
    run.metrics
        .poorest_quintile_share
        .map(|s| s * funded / (0.2 * pop))
}

/// City-level metrics of a run, by name.
pub fn city_metrics(run: &PointRun) -> Vec<(&'static str, Option<f64>)> {
    let a = &run.allocation;
    let m = &run.metrics;
    vec![
        ("pool", Some(a.pool)),
        (
            "moved_to_pool",
            Some(a.sources.iter().map(|s| s.moved).sum()),
        ),
        ("funded_total", Some(a.funded_total)),
        ("objective", Some(a.objective)),
        (
            "shortfall_total",
            Some(a.shortfalls.iter().map(|s| s.shortfall).sum()),
        ),
        ("gini", m.gini),
        ("concentration_index", m.concentration_index),
        ("poorest_quintile_share", m.poorest_quintile_share),
        (
            "poorest_quintile_per_capita",
            poorest_quintile_per_capita(run),
        ),
        ("need_correlation", m.need_correlation),
        ("coverage_min", m.coverage.as_ref().map(|c| c.min)),
        ("coverage_mean", m.coverage.as_ref().map(|c| c.mean)),
        ("satisfaction_mean", m.satisfaction.mean),
    ]
}

fn table_err(e: PolarsError) -> OutputError {
    OutputError::Table {
        name: "sweep".into(),
        message: e.to_string(),
    }
}

/// Tidy rows: point, one column per axis, rule, district (`all` for city
/// metrics), metric, value (null where a metric is undefined).
pub fn tidy_frame(plan: &SweepPlan, runs: &[PointRun]) -> Result<DataFrame, OutputError> {
    let mut point = Vec::new();
    let mut axes: Vec<Vec<f64>> = vec![Vec::new(); plan.axes.len()];
    let (mut rule, mut district, mut metric, mut value) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::<Option<f64>>::new(),
    );
    let mut push = |r: &PointRun, d: &str, m: &str, v: Option<f64>| {
        point.push(r.point as u32);
        for (col, x) in axes.iter_mut().zip(&r.values) {
            col.push(*x);
        }
        rule.push(r.rule.as_str().to_string());
        district.push(d.to_string());
        metric.push(m.to_string());
        value.push(v);
    };
    for r in runs {
        for (m, v) in city_metrics(r) {
            push(r, "all", m, v);
        }
        for d in &r.allocation.districts {
            push(r, &d.id, "funded", Some(d.funded));
            push(r, &d.id, "funded_per_capita", Some(d.funded_per_capita));
            push(r, &d.id, "coverage", Some(d.coverage));
        }
    }
    let mut cols = vec![Column::new("point".into(), point)];
    for (a, col) in plan.axes.iter().zip(axes) {
        cols.push(Column::new(a.path.as_str().into(), col));
    }
    cols.extend([
        Column::new("rule".into(), rule),
        Column::new("district".into(), district),
        Column::new("metric".into(), metric),
        Column::new("value".into(), value),
    ]);
    DataFrame::new_infer_height(cols).map_err(table_err)
}

/// Quantile `q` of sorted values (linear interpolation).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The charts of a sweep against its first axis: one line per rule (and per
/// value of any further axis). Coverage is a fan: the median district with
/// the 10-90% band across districts.
pub fn sweep_charts(plan: &SweepPlan, runs: &[PointRun]) -> Vec<(&'static str, LineChart)> {
    let axis = &plan.axes[0].path;
    let cur = runs
        .first()
        .map(|r| r.allocation.currency.clone())
        .unwrap_or_default();
    // Series: rule x the values of the other axes.
    let key = |r: &PointRun| {
        let rest: Vec<String> = plan
            .axes
            .iter()
            .zip(&r.values)
            .skip(1)
            .map(|(a, v)| format!("{} = {v}", a.path))
            .collect();
        if rest.is_empty() {
            r.rule.as_str().to_string()
        } else {
            format!("{}, {}", r.rule.as_str(), rest.join(", "))
        }
    };
    let mut keys: Vec<String> = Vec::new();
    for r in runs {
        let k = key(r);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let line = |title: &str,
                y_label: String,
                f: &dyn Fn(&PointRun) -> Option<f64>,
                percent: bool| LineChart {
        title: title.into(),
        x_label: axis.clone(),
        y_label,
        series: keys
            .iter()
            .map(|k| Series {
                label: k.clone(),
                points: runs
                    .iter()
                    .filter(|r| &key(r) == k)
                    .filter_map(|r| f(r).map(|y| (r.values[0], y)))
                    .collect(),
                kind: SeriesKind::Line,
                band: None,
            })
            .collect(),
        x_range: None,
        y_range: None,
        diagonal: None,
        percent_axes: percent,
    };
    let mut charts = vec![
        (
            "sweep_poorest_quintile",
            line(
                "Funding per resident of the poorest fifth",
                format!("funding per resident ({cur})"),
                &poorest_quintile_per_capita,
                false,
            ),
        ),
        (
            "sweep_gini",
            line(
                "Gini of funding per resident",
                "Gini (0 = equal)".into(),
                &|r| r.metrics.gini,
                false,
            ),
        ),
    ];
    let fan = LineChart {
        title: "Need coverage across districts (median, 10-90% band)".into(),
        x_label: axis.clone(),
        y_label: "funding / entitlement".into(),
        series: keys
            .iter()
            .map(|k| {
                let mut points = Vec::new();
                let mut band: Band = Vec::new();
                for r in runs.iter().filter(|r| &key(r) == k) {
                    let mut c: Vec<f64> =
                        r.allocation.districts.iter().map(|d| d.coverage).collect();
                    c.sort_by(f64::total_cmp);
                    points.push((r.values[0], quantile(&c, 0.5)));
                    band.push((r.values[0], quantile(&c, 0.1), quantile(&c, 0.9)));
                }
                Series {
                    label: k.clone(),
                    points,
                    kind: SeriesKind::Line,
                    band: Some(band),
                }
            })
            .collect(),
        x_range: None,
        y_range: None,
        diagonal: None,
        percent_axes: false,
    };
    charts.push(("sweep_coverage", fan));
    charts
}

/// The waterfall of a scenario's budget sources (None without sources).
pub fn sources_waterfall(scenario: &Scenario) -> Option<Waterfall> {
    if scenario.sources.is_empty() {
        return None;
    }
    let moved: f64 = scenario.sources.iter().map(|s| s.moved).sum();
    let fmt = crate::report::format_short;
    let short = |name: &str| {
        if name.chars().count() <= 40 {
            name.to_string()
        } else {
            format!(
                "{}...",
                name.chars().take(38).collect::<String>().trim_end()
            )
        }
    };
    Some(Waterfall {
        title: "Where the participatory pool comes from".into(),
        value_label: format!(
            "amount ({}); each line: before -> after",
            scenario.pool.currency
        ),
        start: ("existing pool".into(), scenario.pool.amount - moved),
        steps: scenario
            .sources
            .iter()
            .map(|s| {
                (
                    format!(
                        "{} ({} -> {})",
                        short(&s.name),
                        fmt(s.amount),
                        fmt(s.amount - s.moved)
                    ),
                    s.moved,
                )
            })
            .collect(),
        total_label: "participatory pool".into(),
    })
}

/// Writes `sweep.csv`, `sweep.parquet` and the charts into `dir` (atomically);
/// `base` is the scenario as written, whose budget sources the waterfall shows.
pub fn write_sweep(
    plan: &SweepPlan,
    runs: &[PointRun],
    base: &Scenario,
    dir: &Path,
    force: bool,
) -> Result<PathBuf, OutputError> {
    let out = OutputDir::create(dir, force)?;
    let df = tidy_frame(plan, runs)?;
    write_csv(&df, &out.path("sweep.csv"))?;
    write_parquet(&df, &out.path("sweep.parquet"))?;
    let root = out.path("");
    for (stem, chart) in sweep_charts(plan, runs) {
        write_chart(&chart, &root, stem)?;
    }
    if let Some(w) = sources_waterfall(base) {
        write_chart(&w, &root, "sources_waterfall")?;
    }
    out.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_parse() {
        let a = Axis::parse("budget.sources.Tax abatements.to_pool=0:1:0.25").unwrap();
        assert_eq!(a.path, "budget.sources.Tax abatements.to_pool");
        assert_eq!(a.values, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(
            Axis::parse("x=0:0.3:0.1").unwrap().values,
            vec![0.0, 0.1, 0.2, 0.3]
        );
        assert_eq!(
            Axis::parse("formula.weights.need=1,2,4").unwrap().values,
            vec![1.0, 2.0, 4.0]
        );
        assert!(Axis::parse("x=1:0:0.1").is_err());
        assert!(Axis::parse("x=0:1").is_err());
        assert!(Axis::parse("x").is_err());
        assert!(Axis::parse("x=a,b").is_err());
    }

    #[test]
    fn grid_points_last_axis_fastest() {
        let plan = SweepPlan {
            axes: vec![
                Axis {
                    path: "a".into(),
                    values: vec![1.0, 2.0],
                },
                Axis {
                    path: "b".into(),
                    values: vec![10.0, 20.0],
                },
            ],
            rules: vec![RuleName::Optimal],
            max_points: 10,
        };
        assert_eq!(
            plan.points(),
            vec![
                vec![1.0, 10.0],
                vec![1.0, 20.0],
                vec![2.0, 10.0],
                vec![2.0, 20.0]
            ]
        );
    }

    #[test]
    fn quantiles() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!((quantile(&v, 0.5) - 3.0).abs() < 1e-12);
        assert!((quantile(&v, 0.1) - 1.4).abs() < 1e-12);
    }
}
