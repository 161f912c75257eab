//! Synthetic cities: scenarios generated from a seed, for benchmarks, tests
//! and (later) the simulator's studies. Every generator takes a seed and uses a
//! portable generator (ChaCha8), so the same seed gives the same city on any
//! machine.

pub mod synthetic;
