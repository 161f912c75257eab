//! One function per subcommand.

mod compare;
mod export;
mod formulas;
mod import;
mod inequality;
mod pabulib;
mod pb_rules;
mod simulate;
mod solve;
mod sweep;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Exit code of a strict solve whose floors or quorums cannot be met.
pub const EXIT_INFEASIBLE: u8 = 2;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate { scenario, limits } if pabulib::is_pb(&scenario) => {
            pabulib::validate(&scenario, &limits.limits())
        }
        Command::Validate { scenario, .. } => solve::validate(&scenario),
        Command::Solve(args) if pb_rules::wants_pabulib_rules(&args) => pb_rules::solve(&args),
        Command::Solve(args) => solve::solve(&args),
        Command::Analyze(args) => pb_rules::analyze(&args),
        Command::Bench(args) => pb_rules::bench(&args),
        Command::Import(args) => import::import(&args),
        Command::Export(args) => export::export(&args),
        Command::Formulas { action } => formulas::formulas(action),
        Command::Entitlements(args) => formulas::entitlements(&args),
        Command::Compare(args) => compare::compare(&args),
        Command::Report(args) => compare::report(&args),
        Command::Sweep(args) => sweep::sweep(&args),
        Command::Simulate(args) => simulate::simulate(&args),
        Command::Inequality(args) => inequality::inequality(&args),
    }
}

/// An error with its causes, one per line.
pub fn describe(e: &anyhow::Error) -> String {
    let mut s = e.to_string();
    for cause in e.chain().skip(1) {
        s.push_str(&format!("\n  caused by: {cause}"));
    }
    s
}
