//! `participa import FILE.pb --out DIR`.

use std::process::ExitCode;

use anyhow::Context;
use participa::pabulib::import::{SCENARIO, import as import_election};
use participa::pabulib::read_election_with;

use crate::cli::ImportArgs;

pub fn import(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let election = read_election_with(&args.file, &args.limits.limits())
        .with_context(|| format!("cannot read pabulib election {}", args.file.display()))?;
    let imported = import_election(&election).map_err(|p| anyhow::anyhow!("{p}"))?;
    let dir = imported
        .write(&args.out, args.force)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let scenario = dir.join(SCENARIO);
    eprintln!(
        "wrote {}: {} districts, {} proposals, {} delegates (one per voter{})",
        dir.display(),
        imported.districts,
        imported.proposals,
        imported.delegates,
        match imported.empty_ballots {
            0 => String::new(),
            n => format!("; {n} empty ballots left out"),
        }
    );
    eprintln!(
        "next: participa solve {} --rule equal-shares   (or --rule optimal for the allocation program)",
        scenario.display()
    );
    Ok(ExitCode::SUCCESS)
}
