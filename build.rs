//! Links the `participa` binary as a position-dependent executable on Linux.
//!
//! Why: a position-independent build of this binary carries ~76,000 relative
//! relocations (polars, HiGHS, plotters), which the loader applies at every
//! start: ~850 page faults and 2-3 ms before `main`, a tenth of a small
//! `solve` (measured: `participa --version` 5.2 ms as PIE, 2.9 ms without).
//! The library and tests are unaffected; the cost is that the binary's own
//! code is not address-randomised.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
