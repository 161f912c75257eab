//! `participa compare`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::bail;
use participa::io::output::write_file_atomic;
use participa::model::ScenarioSource;
use participa::model::{RuleName, load_scenario};
use participa::report::compare::Comparison;
use participa::report::html::{SweepSection, report_html};
use participa::report::text::Grid;
use participa::solve::{Backend, SolveSettings};
use participa::sweep::{Axis, DEFAULT_MAX_POINTS, SweepPlan, run_sweep};

use crate::cli::{CompareArgs, ReportArgs, RuleArg, SolveOptionsArgs, SolverArg, SummaryFormat};

pub fn rule_of(r: RuleArg) -> RuleName {
    match r {
        RuleArg::Optimal => RuleName::Optimal,
        RuleArg::Greedy => RuleName::Greedy,
    }
}

/// Solve settings from the shared command-line options.
pub fn settings_of(o: &SolveOptionsArgs) -> anyhow::Result<SolveSettings> {
    if !(0.0..1.0).contains(&o.mip_gap) {
        bail!(
            "--mip-gap is a relative gap, 0 <= gap < 1, got {}",
            o.mip_gap
        );
    }
    if !(o.time_limit > 0.0 && o.time_limit.is_finite()) {
        bail!(
            "--time-limit must be a positive number of seconds, got {}",
            o.time_limit
        );
    }
    Ok(SolveSettings {
        backend: o.solver.map(|s| match s {
            SolverArg::Clarabel => Backend::Clarabel,
            SolverArg::Microlp => Backend::Microlp,
            SolverArg::Highs => Backend::Highs,
        }),
        time_limit: Duration::from_secs_f64(o.time_limit),
        relax: o.relax,
        mip_gap: o.mip_gap,
        ..Default::default()
    })
}

fn pct(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |x| format!("{:.1}%", x * 100.0))
}

fn num(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |x| format!("{x:.3}"))
}

/// Loads the scenarios and solves every (scenario, rule) pair.
fn run(
    paths: &[std::path::PathBuf],
    rules: &[RuleArg],
    solve: &SolveOptionsArgs,
) -> anyhow::Result<Comparison> {
    let settings = settings_of(solve)?;
    let scenarios = paths
        .iter()
        .map(|p| load_scenario(p))
        .collect::<Result<Vec<_>, _>>()?;
    let rules: Vec<RuleName> = if rules.is_empty() {
        // Each scenario's own rule; the same for all unless they differ.
        let mut r: Vec<RuleName> = scenarios.iter().map(|s| s.settings.rule).collect();
        r.sort_by_key(|r| r.as_str());
        r.dedup();
        r
    } else {
        rules.iter().map(|r| rule_of(*r)).collect()
    };
    Ok(Comparison::run(&scenarios, &rules, &settings)?)
}

pub fn report(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    if args.out.exists() && !args.force {
        bail!(
            "{} already exists; pass --force to replace it",
            args.out.display()
        );
    }
    let cmp = run(&args.scenarios, &args.rules, &args.solve)?;
    let swept = if args.vary.is_empty() {
        None
    } else {
        let axes = args
            .vary
            .iter()
            .map(|v| Axis::parse(v))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("--vary {e}"))?;
        let source = ScenarioSource::load(&args.scenarios[0])?;
        let plan = SweepPlan {
            axes,
            rules: cmp
                .runs
                .iter()
                .map(|r| r.rule)
                .fold(Vec::new(), |mut v, r| {
                    if !v.contains(&r) {
                        v.push(r)
                    }
                    v
                }),
            max_points: DEFAULT_MAX_POINTS,
        };
        let runs = run_sweep(&source, &plan, &settings_of(&args.solve)?, 0)?;
        Some((plan, runs))
    };
    let html = report_html(
        &cmp,
        swept
            .as_ref()
            .map(|(plan, runs)| SweepSection { plan, runs }),
    )?;
    write_file_atomic(&args.out, html.as_bytes())?;
    eprintln!("wrote {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

pub fn compare(args: &CompareArgs) -> anyhow::Result<ExitCode> {
    let cmp = run(&args.scenarios, &args.rules, &args.solve)?;
    let written = cmp.write(&args.out, args.force)?;
    eprintln!("wrote {}", written.display());
    let mut out = std::io::stdout().lock();
    match args.format {
        SummaryFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&cmp.summary())?)?,
        SummaryFormat::Table => {
            let cur = cmp
                .runs
                .first()
                .map(|r| r.allocation.currency.clone())
                .unwrap_or_default();
            let mut g = Grid::new(&[
                ("run", false),
                ("status", false),
                ("funded", true),
                (&format!("per resident ({cur})"), true),
                ("Gini", true),
                ("conc. index", true),
                ("poorest 20%", true),
                ("min coverage", true),
                ("satisfaction", true),
            ]);
            for r in &cmp.runs {
                let m = &r.metrics;
                g.row(vec![
                    r.label.clone(),
                    r.allocation.status.as_str().into(),
                    participa::report::format_amount(r.allocation.funded_total),
                    m.mean_per_capita
                        .map_or("n/a".into(), |v| format!("{v:.2}")),
                    num(m.gini),
                    num(m.concentration_index),
                    pct(m.poorest_quintile_share),
                    pct(m.coverage.as_ref().map(|c| c.min)),
                    pct(m.satisfaction.mean),
                ]);
            }
            write!(out, "{}", g.render())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
