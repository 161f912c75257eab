//! Building and solving the `optimal` program on synthetic cities of 50 to
//! 5,000 proposals (20 districts; floors and a quorum that bind), per backend.
//! LP: every proposal divisible. MILP: every proposal indivisible. microlp is
//! benchmarked on MILPs only up to 200 proposals: beyond that it does not
//! prove optimality within minutes (use HiGHS).
//!
//! cargo bench --bench solve                      # pure-Rust backends
//! cargo bench --bench solve --features highs     # and HiGHS

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use participa::simulate::synthetic::BenchCity;
use participa::solve::{Backend, SolveSettings, Status};

fn bench(c: &mut Criterion) {
    for (kind, indivisible) in [("lp", 0.0), ("milp", 1.0)] {
        let mut group = c.benchmark_group(format!("solve_{kind}"));
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(10))
            .warm_up_time(Duration::from_secs(1));
        for n in [50usize, 200, 1000, 5000] {
            let scenario = BenchCity {
                proposals: n,
                districts: 20,
                indivisible,
                seed: 1,
            }
            .scenario();
            for backend in Backend::compiled() {
                if indivisible > 0.0 && !backend.supports_integers() {
                    continue;
                }
                if indivisible > 0.0 && backend == Backend::Microlp && n > 200 {
                    continue;
                }
                let settings = SolveSettings {
                    backend: Some(backend),
                    mip_gap: 1e-4,
                    time_limit: Duration::from_secs(120),
                    ..Default::default()
                };
                // One solve outside the timer, to report what is being measured.
                let a = participa::solve(&scenario, &settings).expect("solves");
                eprintln!(
                    "{kind} n={n} {}: status {}, objective {:.4}, gap {:?}, shortfalls {}",
                    backend.name(),
                    a.status.as_str(),
                    a.objective,
                    a.gap,
                    a.shortfalls.len()
                );
                if a.status == Status::TimeLimit {
                    continue;
                }
                group.bench_with_input(BenchmarkId::new(backend.name(), n), &scenario, |b, s| {
                    b.iter(|| participa::solve(s, &settings).expect("solves"))
                });
            }
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
