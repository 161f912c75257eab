//! participa: simulate and optimise participatory budgets.
//!
//! The pipeline, one module per stage:
//! scenario files ([`model`]) -> priority scores and entitlements ([`scoring`])
//! -> allocation rules and the LP/MILP ([`solve`]) -> equity and satisfaction
//! measures ([`metrics`]) -> tables and JSON ([`report`]).
//! The `participa` binary is a thin command line over this library.

#![deny(clippy::float_cmp)]
// Located, explained input problems are the point of our errors; they are the
// cold path, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod error;
pub mod io;
pub mod metrics;
pub mod model;
pub mod pabulib;
pub mod report;
pub mod scoring;
pub mod simulate;
pub mod solve;
pub mod sweep;

pub use error::{Error, Problem, Result};
pub use model::{Delegate, District, Group, Proposal, Scenario, load_scenario};
pub use solve::{Allocation, SolveSettings, Status, solve};
