//! `participa export`: the `optimal` program as MPS.

use std::process::ExitCode;

use anyhow::Context;
use participa::io::output::write_file_atomic;
use participa::simulate::synthetic::BenchCity;
use participa::solve::{Prepared, build_program};

use crate::cli::ExportArgs;

pub fn export(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let scenario = match (args.synthetic, &args.scenario) {
        (Some(n), _) => {
            if !(0.0..=1.0).contains(&args.indivisible) {
                anyhow::bail!(
                    "--indivisible is a share between 0 and 1, got {}",
                    args.indivisible
                );
            }
            if n > args.max_proposals {
                anyhow::bail!(
                    "--synthetic {n}: more than the limit of {} proposals (memory and solve time grow with the count); raise the limit with --max-proposals {n} if you mean it",
                    args.max_proposals
                );
            }
            if args.districts == 0 || args.districts > n.max(1) {
                anyhow::bail!(
                    "--districts must be between 1 and the number of proposals ({n}), got {}",
                    args.districts
                );
            }
            BenchCity {
                proposals: n,
                districts: args.districts,
                indivisible: args.indivisible,
                seed: args.seed,
            }
            .scenario()
        }
        (None, Some(path)) => participa::load_scenario(path)?,
        (None, None) => anyhow::bail!("give a scenario file or --synthetic N"),
    };
    if let Some(path) = &args.toml {
        let text = scenario.to_toml()?;
        write_file_atomic(path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    let Some(mps) = &args.mps else {
        return Ok(ExitCode::SUCCESS);
    };
    let prep = Prepared::new(&scenario)?;
    let (mut program, _) = build_program(&prep);
    if args.relax {
        program = program.relaxed();
    }
    write_file_atomic(mps, program.to_mps(&scenario.name).as_bytes())
        .with_context(|| format!("cannot write {}", mps.display()))?;
    eprintln!(
        "wrote {}: {} variables ({} integer), {} rows",
        mps.display(),
        program.vars.len(),
        program.integer_count(),
        program.rows.len()
    );
    Ok(ExitCode::SUCCESS)
}
