//! `participa simulate`.

use std::process::ExitCode;

use participa::simulate::{MonteCarlo, Shard, load_study, write_simulation};

use crate::cli::SimulateArgs;

pub fn simulate(args: &SimulateArgs) -> anyhow::Result<ExitCode> {
    let shard = args
        .shard
        .as_deref()
        .map(Shard::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--shard {e}"))?;
    if args.runs == 0 {
        anyhow::bail!("--runs 0: nothing to simulate; give at least one run");
    }
    let study = load_study(&args.scenario)?;
    let years = args.years.unwrap_or(study.sim.years);
    if years == 0 {
        anyhow::bail!("--years 0: simulate at least one year");
    }
    let plan = MonteCarlo {
        runs: args.runs,
        seed: args.seed.unwrap_or(study.seed),
        years,
        threads: args.threads,
        shard,
        progress: !args.quiet,
    };
    let out = write_simulation(&study, &plan, &args.out, args.force)?;
    eprintln!(
        "wrote {} ({} runs, {} rows)",
        out.dir.display(),
        out.runs,
        out.rows
    );
    Ok(ExitCode::SUCCESS)
}
