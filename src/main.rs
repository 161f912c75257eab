//! The `participa` command line: parses arguments, calls the library, prints.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", commands::describe(&e));
            ExitCode::from(1)
        }
    }
}
