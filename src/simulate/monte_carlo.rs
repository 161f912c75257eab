//! The Monte Carlo runner: runs in parallel (rayon), in fixed-size batches
//! written in run order to one Parquet file, so memory stays flat in the
//! number of runs and the bytes do not depend on the thread count. A shard
//! `i/n` runs the i-th of n contiguous slices of the runs; the shards' rows,
//! concatenated in shard order, are exactly the unsharded rows.
//!
//! Charts and the summary table come from streaming aggregates (fixed-bin
//! histograms on 0..1), never from the rows held in memory.

use std::fs::File;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use polars::prelude::*;
use rayon::prelude::*;

use super::SimulateError;
use super::config::{Safeguard, Study};
use super::run::{RunRows, rows_of, simulate_run};
use crate::error::OutputError;
use crate::io::output::{OutputDir, write_csv, write_json};
use crate::report::charts::{BarChart, LineChart, ReferenceLine, Series, SeriesKind, write_chart};

/// Runs per batch: each batch is computed in parallel, then written as one
/// Parquet row group. Fixed (not tied to the thread count) so the file is the
/// same at any number of threads.
pub const BATCH_RUNS: usize = 64;

/// Bins of the streaming histograms on 0..1 (quantiles to 1/2000).
const BINS: usize = 2000;

/// Which runs to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based index of the slice.
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Parses `i/n` (1 <= i <= n).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (a, b) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}`: write the shard as i/n, e.g. 1/4"))?;
        let num = |x: &str| {
            x.trim()
                .parse::<usize>()
                .map_err(|_| format!("`{x}` in `{s}` is not a whole number"))
        };
        let (index, count) = (num(a)?, num(b)?);
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "`{s}`: i must be between 1 and n (1/4, 2/4, 3/4, 4/4)"
            ));
        }
        Ok(Shard { index, count })
    }

    /// The runs of this shard out of `runs`: [(i-1) N / n, i N / n).
    pub fn range(self, runs: usize) -> std::ops::Range<usize> {
        let lo = (self.index - 1) * runs / self.count;
        let hi = self.index * runs / self.count;
        lo..hi
    }
}

/// What to run.
#[derive(Debug, Clone)]
pub struct MonteCarlo {
    pub runs: usize,
    pub seed: u64,
    pub years: usize,
    /// 0 = all cores.
    pub threads: usize,
    pub shard: Option<Shard>,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// A streaming quantile sketch: counts in fixed bins over 0..1, plus the exact mean.
#[derive(Debug, Clone)]
pub struct Histogram {
    counts: Vec<u32>,
    n: u64,
    sum: f64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; BINS],
            n: 0,
            sum: 0.0,
        }
    }
}

impl Histogram {
    pub fn add(&mut self, v: f64) {
        let b = ((v.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1);
        self.counts[b] += 1;
        self.n += 1;
        self.sum += v;
    }
    pub fn count(&self) -> u64 {
        self.n
    }
    pub fn mean(&self) -> f64 {
        self.sum / self.n.max(1) as f64
    }
    /// The q-quantile, as the midpoint of the bin holding it.
    pub fn quantile(&self, q: f64) -> f64 {
        let target = (q * self.n as f64).ceil().max(1.0) as u64;
        let mut acc = 0u64;
        for (b, c) in self.counts.iter().enumerate() {
            acc += u64::from(*c);
            if acc >= target {
                return (b as f64 + 0.5) / BINS as f64;
            }
        }
        1.0
    }
}

/// City metrics the summary aggregates: `Some(true)` for those on 0..1
/// (quantiles from the histogram), `Some(false)` for counts and money (mean only).
fn aggregated(metric: &str) -> Option<bool> {
    if matches!(
        metric,
        "participation_cost"
            | "reconvened"
            | "quorum_failed"
            | "recalls"
            | "funded_total"
            | "shortfall_total"
    ) {
        return Some(false);
    }
    (matches!(
        metric,
        "gini"
            | "poorest_quintile_share"
            | "satisfaction_mean"
            | "representation_gap"
            | "infrastructure_gap_mean"
    ) || metric.starts_with("funds_share.")
        || metric.starts_with("population_share.")
        || metric.starts_with("attendance_share.")
        || metric.starts_with("delegate_share.")
        || metric.starts_with("quorum_funds."))
    .then_some(true)
}

/// One aggregate's key: (year, formula index, safeguard, metric).
pub type AggKey = (u32, u32, &'static str, String);

/// Aggregates by (year, formula, safeguard, metric), in first-seen order.
#[derive(Debug, Clone, Default)]
pub struct Aggregates {
    pub keys: Vec<AggKey>,
    pub hist: Vec<Histogram>,
    /// Whether each key's values lie on 0..1 (else only its mean is reported).
    pub bounded: Vec<bool>,
    index: std::collections::HashMap<AggKey, usize>,
}

impl Aggregates {
    fn add(&mut self, rows: &RunRows) {
        for i in 0..rows.len() {
            if rows.district[i] != "all" {
                continue;
            }
            let Some(bounded) = aggregated(&rows.metric[i]) else {
                continue;
            };
            let Some(v) = rows.value[i] else { continue };
            let key = (
                rows.year[i],
                rows.formula[i],
                rows.safeguard[i],
                rows.metric[i].clone(),
            );
            let k = match self.index.get(&key) {
                Some(k) => *k,
                None => {
                    self.keys.push(key.clone());
                    self.hist.push(Histogram::default());
                    self.bounded.push(bounded);
                    self.index.insert(key, self.hist.len() - 1);
                    self.hist.len() - 1
                }
            };
            self.hist[k].add(v);
        }
    }
    /// The histogram of a metric in a year, under the formula at index
    /// `formula` and a safeguard.
    pub fn get(
        &self,
        year: u32,
        formula: usize,
        safeguard: &str,
        metric: &str,
    ) -> Option<&Histogram> {
        self.keys
            .iter()
            .position(|(y, f, s, m)| {
                *y == year && *f as usize == formula && *s == safeguard && m == metric
            })
            .map(|k| &self.hist[k])
    }
}

fn table_err(e: PolarsError) -> OutputError {
    OutputError::Table {
        name: "simulation.parquet".into(),
        message: e.to_string(),
    }
}

fn frame(formulas: &[&str], runs: &[(u64, RunRows)]) -> Result<DataFrame, OutputError> {
    let n: usize = runs.iter().map(|(_, r)| r.len()).sum();
    let mut run = Vec::with_capacity(n);
    let mut year = Vec::with_capacity(n);
    let mut formula = Vec::with_capacity(n);
    let mut safeguard = Vec::with_capacity(n);
    let mut district = Vec::with_capacity(n);
    let mut metric = Vec::with_capacity(n);
    let mut value = Vec::with_capacity(n);
    for (r, rows) in runs {
        run.extend(std::iter::repeat_n(*r, rows.len()));
        year.extend_from_slice(&rows.year);
        formula.extend(rows.formula.iter().map(|&f| formulas[f as usize]));
        safeguard.extend_from_slice(&rows.safeguard);
        district.extend(rows.district.iter().map(String::as_str));
        metric.extend(rows.metric.iter().map(String::as_str));
        value.extend_from_slice(&rows.value);
    }
    DataFrame::new_infer_height(vec![
        Column::new("run".into(), run),
        Column::new("year".into(), year),
        Column::new("formula".into(), formula),
        Column::new("safeguard".into(), safeguard),
        Column::new("district".into(), district),
        Column::new("metric".into(), metric),
        Column::new("value".into(), value),
    ])
    .map_err(table_err)
}

/// Runs the study and streams its rows to `parquet` (a path inside an
/// output folder being written). Returns the aggregates and the number of rows.
pub fn run_monte_carlo(
    study: &Study,
    plan: &MonteCarlo,
    parquet: &Path,
) -> Result<(Aggregates, usize), SimulateError> {
    let range = plan.shard.map_or(0..plan.runs, |s| s.range(plan.runs));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(|e| SimulateError::Plan(e.to_string()))?;
    let bar = ProgressBar::new(range.len() as u64);
    if !plan.progress {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} simulate {pos}/{len} runs [{bar:30}] {elapsed} (eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let file = File::create(parquet).map_err(|source| OutputError::Io {
        path: parquet.to_path_buf(),
        source,
    })?;
    let mut writer: Option<polars::io::parquet::write::BatchedWriter<File>> = None;
    let mut file = Some(file);
    let mut agg = Aggregates::default();
    let mut total_rows = 0;
    let formulas: Vec<&str> = study.sim.formulas.iter().map(|f| f.name.as_str()).collect();
    let one = |run: usize| -> Result<(u64, RunRows), SimulateError> {
        let mut rows = RunRows::default();
        let mut err = None;
        simulate_run(
            &study.sim,
            &study.name,
            plan.seed,
            run as u64,
            plan.years,
            |r| {
                if err.is_none() {
                    if let Err(e) = rows_of(&study.sim, r, &mut rows) {
                        err = Some(e);
                    }
                }
            },
        )?;
        if let Some(e) = err {
            return Err(e);
        }
        bar.inc(1);
        Ok((run as u64, rows))
    };
    let runs: Vec<usize> = range.collect();
    for chunk in runs.chunks(BATCH_RUNS) {
        let done: Vec<(u64, RunRows)> =
            pool.install(|| chunk.par_iter().map(|&r| one(r)).collect::<Result<_, _>>())?;
        for (_, rows) in &done {
            agg.add(rows);
        }
        let df = frame(&formulas, &done)?;
        total_rows += df.height();
        if writer.is_none() {
            let f = file.take().expect("the file is taken once");
            writer = Some(
                ParquetWriter::new(f)
                    .with_compression(ParquetCompression::Zstd(None))
                    .set_parallel(false)
                    .batched(df.schema())
                    .map_err(table_err)?,
            );
        }
        if let Some(w) = writer.as_mut() {
            w.write_batch(&df).map_err(table_err)?;
        }
    }
    match writer {
        Some(w) => {
            w.finish().map_err(table_err)?;
        }
        None => {
            // No runs in this shard: an empty table with the schema.
            let mut df = frame(&formulas, &[])?;
            let f = file.take().expect("the file is taken once");
            ParquetWriter::new(f)
                .with_compression(ParquetCompression::Zstd(None))
                .set_parallel(false)
                .finish(&mut df)
                .map_err(table_err)?;
        }
    }
    bar.finish_and_clear();
    Ok((agg, total_rows))
}

/// The summary table: per (year, formula, safeguard, metric) the runs, mean,
/// median and 10% / 90% quantiles (to the histogram's 1/2000 resolution; null
/// for metrics not on 0..1, whose mean is exact).
pub fn summary_frame(study: &Study, agg: &Aggregates) -> Result<DataFrame, OutputError> {
    let mut mean = Vec::new();
    let mut cols: [Vec<Option<f64>>; 3] = Default::default();
    let mut n = Vec::new();
    for (h, &b) in agg.hist.iter().zip(&agg.bounded) {
        n.push(h.count());
        mean.push(h.mean());
        for (c, q) in cols.iter_mut().zip([0.5, 0.1, 0.9]) {
            c.push(b.then(|| h.quantile(q)));
        }
    }
    let [median, p10, p90] = cols;
    DataFrame::new_infer_height(vec![
        Column::new(
            "year".into(),
            agg.keys.iter().map(|k| k.0).collect::<Vec<_>>(),
        ),
        Column::new(
            "formula".into(),
            agg.keys
                .iter()
                .map(|k| study.sim.formulas[k.1 as usize].name.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "safeguard".into(),
            agg.keys.iter().map(|k| k.2).collect::<Vec<_>>(),
        ),
        Column::new(
            "metric".into(),
            agg.keys.iter().map(|k| k.3.as_str()).collect::<Vec<_>>(),
        ),
        Column::new("runs".into(), n),
        Column::new("mean".into(), mean),
        Column::new("median".into(), median),
        Column::new("p10".into(), p10),
        Column::new("p90".into(), p90),
    ])
    .map_err(table_err)
}

/// Which lines a trajectory chart draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line per safeguard, under the first formula.
    Safeguards,
    /// One line per formula, under the first safeguard.
    Formulas,
}

/// Trajectory of a metric over the years: one line per safeguard or per
/// formula (the median over runs) with its 10-90% band.
pub fn trajectory_chart(
    study: &Study,
    agg: &Aggregates,
    years: usize,
    metric: &str,
    lines: Lines,
    title: &str,
    y_label: &str,
) -> LineChart {
    let sim = &study.sim;
    let series: Vec<(String, usize, &'static str)> = match lines {
        Lines::Safeguards => sim
            .safeguards
            .iter()
            .map(|s| (s.as_str().to_string(), 0, s.as_str()))
            .collect(),
        Lines::Formulas => sim
            .formulas
            .iter()
            .enumerate()
            .map(|(f, v)| (v.name.clone(), f, sim.safeguards[0].as_str()))
            .collect(),
    };
    LineChart {
        title: title.into(),
        x_label: "year".into(),
        y_label: y_label.into(),
        series: series
            .into_iter()
            .map(|(label, f, s)| {
                let hs: Vec<(f64, &Histogram)> = (1..=years as u32)
                    .filter_map(|y| agg.get(y, f, s, metric).map(|h| (f64::from(y), h)))
                    .collect();
                Series {
                    label,
                    points: hs.iter().map(|(y, h)| (*y, h.quantile(0.5))).collect(),
                    kind: SeriesKind::Line,
                    band: Some(
                        hs.iter()
                            .map(|(y, h)| (*y, h.quantile(0.1), h.quantile(0.9)))
                            .collect(),
                    ),
                }
            })
            .collect(),
        x_range: None,
        y_range: None,
        diagonal: None,
        percent_axes: false,
    }
}

/// The capture chart of a year: per safeguard, each group's share of funds
/// (mean over runs), against the first under-represented group's population share.
pub fn capture_chart(study: &Study, agg: &Aggregates, year: u32) -> BarChart {
    let under = study
        .sim
        .groups
        .iter()
        .find(|g| g.under_represented)
        .unwrap_or(&study.sim.groups[0]);
    let pop = agg
        .get(
            year,
            0,
            study.sim.safeguards[0].as_str(),
            &format!("population_share.{}", under.id),
        )
        .map_or(0.0, Histogram::mean);
    BarChart {
        title: format!(
            "Who gets the money: share of funds reaching each group's priorities (year {year})"
        ),
        value_label: "share of funded money (mean over runs)".into(),
        category_label: "safeguard".into(),
        categories: study
            .sim
            .safeguards
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        series: study
            .sim
            .groups
            .iter()
            .map(|g| {
                (
                    format!("{} (funds)", g.id),
                    study
                        .sim
                        .safeguards
                        .iter()
                        .map(|s| {
                            agg.get(year, 0, s.as_str(), &format!("funds_share.{}", g.id))
                                .map_or(0.0, Histogram::mean)
                        })
                        .collect(),
                )
            })
            .collect(),
        reference: Some(ReferenceLine {
            value: pop,
            label: format!("{}' population share {:.1}%", under.id, 100.0 * pop),
        }),
    }
}

/// What `participa simulate` wrote.
#[derive(Debug, Clone)]
pub struct SimulateSummary {
    pub dir: PathBuf,
    pub runs: usize,
    pub rows: usize,
}

/// Runs the study and writes `simulation.parquet`, `summary.csv`,
/// `study.json` and the charts into `dir` (atomically: all or nothing).
pub fn write_simulation(
    study: &Study,
    plan: &MonteCarlo,
    dir: &Path,
    force: bool,
) -> Result<SimulateSummary, SimulateError> {
    let out = OutputDir::create(dir, force)?;
    let (agg, rows) = run_monte_carlo(study, plan, &out.path("simulation.parquet"))?;
    write_csv(&summary_frame(study, &agg)?, &out.path("summary.csv"))?;
    let meta = serde_json::json!({
        "name": study.name,
        "description": study.description,
        "seed": plan.seed,
        "runs": plan.runs,
        "years": plan.years,
        "shard": plan.shard.map(|s| format!("{}/{}", s.index, s.count)),
        "participa": env!("CARGO_PKG_VERSION"),
        "simulation": study.sim,
    });
    write_json(&meta, &out.path("study.json"))?;
    let root = out.path("");
    if !agg.keys.is_empty() {
        write_chart(
            &capture_chart(study, &agg, plan.years as u32),
            &root,
            "capture",
        )?;
        if plan.years > 1 {
            write_chart(
                &trajectory_chart(
                    study,
                    &agg,
                    plan.years,
                    "gini",
                    Lines::Safeguards,
                    "Gini of funding per resident over the years (median, 10-90% band over runs)",
                    "Gini (0 = equal)",
                ),
                &root,
                "trajectory_gini",
            )?;
            if let Some(g) = study.sim.groups.iter().find(|g| g.under_represented) {
                write_chart(
                    &trajectory_chart(
                        study,
                        &agg,
                        plan.years,
                        &format!("funds_share.{}", g.id),
                        Lines::Safeguards,
                        &format!(
                            "Share of funds reaching {}' priorities (median, 10-90% band over runs)",
                            g.id
                        ),
                        "share of funded money",
                    ),
                    &root,
                    "trajectory_funds_share",
                )?;
            }
            if study.sim.formulas.len() > 1 {
                // Which formula closes the gaps fastest, under the first safeguard.
                let safeguard = study.sim.safeguards[0].as_str();
                for (metric, title, y_label, name) in [
                    (
                        "infrastructure_gap_mean",
                        "Mean infrastructure gap by formula",
                        "mean infrastructure gap (0..1)",
                        "trajectory_gap_by_formula",
                    ),
                    (
                        "gini",
                        "Gini of funding per resident by formula",
                        "Gini (0 = equal)",
                        "trajectory_gini_by_formula",
                    ),
                ] {
                    write_chart(
                        &trajectory_chart(
                            study,
                            &agg,
                            plan.years,
                            metric,
                            Lines::Formulas,
                            &format!("{title}, safeguard {safeguard} (median, 10-90% band)"),
                            y_label,
                        ),
                        &root,
                        name,
                    )?;
                }
            }
        }
    }
    let runs = plan.shard.map_or(plan.runs, |s| s.range(plan.runs).len());
    let dir = out.commit()?;
    Ok(SimulateSummary { dir, runs, rows })
}

/// Safeguards in the order given, by name (for messages).
pub fn safeguard_names(s: &[Safeguard]) -> String {
    s.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_runs() {
        let r: Vec<_> = (1..=3)
            .map(|i| Shard { index: i, count: 3 }.range(10))
            .collect();
        assert_eq!(r, vec![0..3, 3..6, 6..10]);
        assert!(Shard::parse("0/3").is_err());
        assert!(Shard::parse("4/3").is_err());
        assert_eq!(Shard::parse("2/3").unwrap(), Shard { index: 2, count: 3 });
    }

    #[test]
    fn histogram_quantiles() {
        let mut h = Histogram::default();
        for i in 0..100 {
            h.add(f64::from(i) / 100.0);
        }
        assert!((h.quantile(0.5) - 0.49).abs() < 1e-3);
        assert!((h.mean() - 0.495).abs() < 1e-12);
    }
}
