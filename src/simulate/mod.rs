//! The simulator: synthetic cities, assemblies with biased turnout,
//! delegates and their mandates, safeguards against capture, multi-year
//! dynamics and Monte Carlo runs. Everything feeds the ordinary pipeline: the
//! assemblies' mandates become an ordinary [`crate::Scenario`], solved by
//! [`crate::solve`] and measured by [`crate::metrics`].
//!
//! Every generator takes a seed and uses a portable generator (ChaCha8), one
//! per unit of work seeded from `(seed, run, year)`, so the same seed gives the
//! same rows on any machine, at any thread count and in any shard.

pub mod assembly;
pub mod city;
pub mod config;
pub mod monte_carlo;
pub mod run;
pub mod synthetic;

pub use config::{Safeguard, Simulation, Study, load_study, load_study_str};
pub use monte_carlo::{MonteCarlo, Shard, write_simulation};

use crate::error::{OutputError, ScenarioError, SolveError};

/// A simulation could not run.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error(transparent)]
    Study(#[from] ScenarioError),
    #[error(transparent)]
    Solve(#[from] SolveError),
    #[error(transparent)]
    Metric(#[from] crate::metrics::MetricError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("{0}")]
    Plan(String),
}
