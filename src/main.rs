//! The `participa` command line: parses arguments, calls the library, prints.

mod cli;
mod commands;
#[cfg(unix)]
mod zeroing_alloc;

#[cfg(unix)]
#[global_allocator]
static ALLOC: zeroing_alloc::ZeroingAlloc = zeroing_alloc::ZeroingAlloc;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        // A reader that stopped early (`| head`) is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", commands::describe(&e));
            ExitCode::from(1)
        }
    }
}
