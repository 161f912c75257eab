//! `participa sweep`.

use std::process::ExitCode;

use participa::model::ScenarioSource;
use participa::sweep::{Axis, SweepPlan, run_sweep, write_sweep};

use super::compare::{rule_of, settings_of};
use crate::cli::SweepArgs;

pub fn sweep(args: &SweepArgs) -> anyhow::Result<ExitCode> {
    let settings = settings_of(&args.solve)?;
    let axes = args
        .vary
        .iter()
        .map(|v| Axis::parse(v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("--vary {e}"))?;
    let source = ScenarioSource::load(&args.scenario)?;
    let base = source.build()?;
    let rules = if args.rules.is_empty() {
        vec![base.settings.rule]
    } else {
        args.rules.iter().map(|r| rule_of(*r)).collect()
    };
    let plan = SweepPlan {
        axes,
        rules,
        max_points: args.max_points,
    };
    let runs = run_sweep(&source, &plan, &settings, args.threads)?;
    let dir = write_sweep(&plan, &runs, &base, &args.out, args.force)?;
    eprintln!("wrote {} ({} runs)", dir.display(), runs.len());
    Ok(ExitCode::SUCCESS)
}
