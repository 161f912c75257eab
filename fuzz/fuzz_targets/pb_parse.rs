//! Any bytes as a pabulib `.pb` file: the parser must return an election or a
//! located error, never panic, and never allocate more than its limits allow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use participa::pabulib::parse::{Limits, parse_bytes};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_voters: 10_000,
        max_projects: 1_000,
        ..Limits::default()
    };
    if let Ok(election) = parse_bytes(data, &limits) {
        // What the parser returns is internally consistent.
        let b = &election.ballots;
        assert_eq!(b.offsets.len(), b.len() + 1);
        assert!(b.projects.iter().all(|&p| (p as usize) < election.projects.len()));
        for v in 0..b.len() {
            let _ = b.ballot(v);
        }
    }
});
