//! `participa validate` and `participa solve`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::ValueEnum;
use participa::report::{
    ResultDocument, render_metrics_table, render_solve_table, tables, write_solve_outputs,
};
use participa::solve::Backend;
use participa::{SolveSettings, Status, load_scenario};

use super::EXIT_INFEASIBLE;
use crate::cli::{Format, SolveArgs, SolverArg};

pub fn validate(path: &Path) -> anyhow::Result<ExitCode> {
    let scenario = load_scenario(path)?;
    println!("ok: {}", scenario.summary());
    Ok(ExitCode::SUCCESS)
}

pub fn solve(args: &SolveArgs) -> anyhow::Result<ExitCode> {
    if !(0.0..1.0).contains(&args.mip_gap) {
        anyhow::bail!(
            "--mip-gap is a relative gap, 0 <= gap < 1, got {}",
            args.mip_gap
        );
    }
    if !(args.time_limit > 0.0 && args.time_limit.is_finite()) {
        anyhow::bail!(
            "--time-limit must be a positive number of seconds, got {}",
            args.time_limit
        );
    }
    let scenario = load_scenario(&args.scenario)?;
    let settings = SolveSettings {
        rule: match args.rule {
            None => None,
            Some(r) => Some(super::compare::rule_of(r.scenario_rule().ok_or_else(
                || {
                    anyhow::anyhow!(
                        "--rule {} applies to pabulib elections (a .pb file, or a scenario made from one by `participa import`), not to scenario {}",
                        r.to_possible_value()
                            .map(|v| v.get_name().to_string())
                            .unwrap_or_default(),
                        args.scenario.display()
                    )
                },
            )?)),
        },
        backend: args.solver.map(|s| match s {
            SolverArg::Clarabel => Backend::Clarabel,
            SolverArg::Microlp => Backend::Microlp,
            SolverArg::Highs => Backend::Highs,
        }),
        strict: args.strict,
        time_limit: Duration::from_secs_f64(args.time_limit),
        relax: args.relax,
        mip_gap: args.mip_gap,
    };
    let mut allocation = participa::solve(&scenario, &settings)
        .with_context(|| format!("cannot solve {}", args.scenario.display()))?;
    if args.deterministic {
        allocation = allocation.deterministic();
    }
    let doc = ResultDocument::new(&scenario, allocation)?;
    let infeasible = doc.allocation.status == Status::Infeasible;
    // Serialized once, for the folder and the terminal.
    let json = std::cell::OnceCell::new();
    let json = || json.get_or_init(|| doc.to_json()).as_str();
    if let Some(dir) = &args.out {
        if !infeasible {
            let written = write_solve_outputs(&doc, json(), dir, args.force)?;
            eprintln!("wrote {}", written.display());
        }
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => write!(
            stdout,
            "{}{}",
            render_solve_table(&doc.allocation),
            render_metrics_table(&doc.metrics, &doc.allocation.currency)
        )?,
        Format::Json => write!(stdout, "{}", json())?,
        Format::Csv => {
            let df = tables::allocation_frame(&doc.allocation)?;
            stdout.write_all(&participa::io::output::csv_bytes(&df)?)?;
        }
    }
    if infeasible {
        eprintln!(
            "error: --strict: {} floor(s) or quorum(s) cannot be met (see the shortfalls above); nothing was written",
            doc.allocation.shortfalls.len()
        );
        return Ok(ExitCode::from(EXIT_INFEASIBLE));
    }
    Ok(ExitCode::SUCCESS)
}
