//! Reading real pabulib files: the largest shared one (Wrocław 2019, 3.2 MB,
//! 80,298 choose-1 ballots) and a cumulative one with points (Katowice 2020,
//! 1.9 MB). The goal: parsing well under 100 ms, so that a whole rule run on a
//! `.pb` file stays under a second.
//!
//! cargo bench --bench pabulib_parse     # needs $PABULIB_DIR or ../shared/data/pabulib

use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use participa::pabulib::read_election;

fn dir() -> Option<PathBuf> {
    [
        std::env::var_os("PABULIB_DIR").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/pabulib")),
    ]
    .into_iter()
    .flatten()
    .find(|d| d.is_dir())
}

fn bench(c: &mut Criterion) {
    let Some(dir) = dir() else {
        eprintln!("skipped: no pabulib folder (set PABULIB_DIR)");
        return;
    };
    let mut group = c.benchmark_group("pabulib_parse");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    for name in ["Poland_Wroclaw_2019.pb", "Poland_Katowice_2020.pb"] {
        let path = dir.join(name);
        group.bench_function(name.trim_end_matches(".pb"), |b| {
            b.iter(|| read_election(&path).expect("parses"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
