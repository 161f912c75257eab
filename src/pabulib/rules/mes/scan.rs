//! The increment loop: every voter's share is raised by the increment until
//! the outcome is exhaustive (or funds everything) or no longer fits.
//!
//! The increments are cut into consecutive *chunks*, each walked on its own
//! from a fresh run at its first increment, with certified jumps inside it
//! (see [`Bridge`] and the module docs of [`super`]). Chunks do not depend
//! on each other, so the available threads walk them in order, each taking
//! the next one not yet taken; a chunk where the loop stops cancels those
//! after it, and the result is read off the chunks up to the first stop.
//! Chunk boundaries are fixed (they never depend on the number of threads),
//! so the outcome and the run count are the same on any machine. A chunk
//! start costs one fresh run and a few short jumps while the stride grows
//! again; chunks are 256 increments long and double every 8 chunks, so a
//! loop of `K` increments has about `8 log2(K / 2,048)` of them.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Compiled, MesOptions, Scratch, Trace};
use crate::pabulib::rules::Money;

/// Runs a certification may spend on intermediate shares before the jump is
/// given up (and halved).
const BRIDGE_RUNS: u32 = 64;

/// Longest jump tried, in increments (keeps `k + m` far from overflow).
const MAX_JUMP: u64 = 1 << 40;

/// Chunks of one size before the size doubles.
const CHUNKS_PER_SIZE: u64 = 8;

/// How the increments are walked.
#[derive(Debug, Clone, Copy)]
pub(super) enum Walk {
    /// One increment at a time, as pabutools does (the tests' reference).
    Stepwise,
    /// Certified jumps, in chunks `first_chunk` increments long at first.
    Jumping { first_chunk: u64 },
}

impl Walk {
    pub(super) const DEFAULT: Walk = Walk::Jumping { first_chunk: 256 };
}

/// The first and last increment of chunk `index`.
fn chunk_bounds(first_chunk: u64, index: usize) -> (u64, u64) {
    let size = |j: u64| first_chunk.saturating_mul(1 << (j / CHUNKS_PER_SIZE).min(40));
    let start = (0..index as u64).fold(0u64, |at, j| at.saturating_add(size(j)));
    let end = start.saturating_add(size(index as u64) - 1);
    (start, end)
}

/// Why the loop stops at an increment.
enum Stop {
    /// The outcome costs more than the budget: the previous one is returned.
    OverBudget,
    /// The outcome is the answer (exhaustive, or funds everything).
    Final(Vec<usize>),
}

/// What walking one chunk found.
struct ChunkScan {
    /// The last outcome met before the chunk ended or the loop stopped.
    last: Option<Vec<usize>>,
    /// Where the loop stops in this chunk, if it does.
    stop: Option<(u64, Stop)>,
    runs: u64,
}

/// The increment loop of one election.
pub(super) struct Increments<'a> {
    pub compiled: &'a Compiled,
    /// Projects funded for free (cost zero), first in every outcome.
    pub free: &'a [usize],
    pub money: &'a Money,
    pub options: &'a MesOptions,
    /// The share at increment zero, and the increment, as floats.
    pub start: f64,
    pub increment: f64,
}

impl Increments<'_> {
    /// The selected projects, the increments to reach them, and the runs computed.
    pub(super) fn walk(&self, walk: Walk) -> (Vec<usize>, u64, u64) {
        let chunks = match walk {
            Walk::Stepwise => {
                let scan = self.scan(0, u64::MAX, false, &|| false);
                vec![scan.expect("an uncancellable walk ends")]
            }
            Walk::Jumping { first_chunk } => self.scan_chunks(first_chunk),
        };
        let mut previous = self.free.to_vec();
        let mut runs = 0;
        for chunk in chunks {
            runs += chunk.runs;
            match chunk.stop {
                Some((k, Stop::OverBudget)) => {
                    let selected = chunk.last.unwrap_or(previous);
                    return (selected, k.saturating_sub(1), runs);
                }
                Some((k, Stop::Final(outcome))) => return (outcome, k, runs),
                None => previous = chunk.last.unwrap_or(previous),
            }
        }
        unreachable!("the chunks are walked until one stops the loop")
    }

    /// Walks the chunks in order on the available threads, up to (and
    /// including) the first where the loop stops.
    fn scan_chunks(&self, first_chunk: u64) -> Vec<ChunkScan> {
        let next = AtomicUsize::new(0);
        // The first chunk known to stop the loop: later ones are not needed.
        let stop_chunk = AtomicUsize::new(usize::MAX);
        let done: Mutex<Vec<(usize, ChunkScan)>> = Mutex::new(vec![]);
        let worker = || {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index > stop_chunk.load(Ordering::Acquire) {
                    return;
                }
                let (from, to) = chunk_bounds(first_chunk, index);
                let cancelled = || stop_chunk.load(Ordering::Relaxed) < index;
                let Some(scan) = self.scan(from, to, true, &cancelled) else {
                    return;
                };
                if scan.stop.is_some() {
                    stop_chunk.fetch_min(index, Ordering::AcqRel);
                }
                done.lock().expect("no worker panics").push((index, scan));
            }
        };
        let threads = rayon::current_num_threads().max(1);
        rayon::scope(|s| {
            for _ in 1..threads {
                s.spawn(|_| worker());
            }
            worker();
        });
        let last = stop_chunk.into_inner();
        let mut chunks = done.into_inner().expect("no worker panics");
        chunks.retain(|(index, _)| *index <= last);
        chunks.sort_by_key(|(index, _)| *index);
        debug_assert!(chunks.iter().enumerate().all(|(i, (index, _))| i == *index));
        chunks.into_iter().map(|(_, scan)| scan).collect()
    }

    /// Whether the loop stops at `outcome` (pabutools' tests, in its order).
    fn stop(&self, outcome: Vec<usize>) -> Result<Vec<usize>, Stop> {
        let money = self.money;
        let spent: i128 = outcome.iter().map(|&p| money.costs[p]).sum();
        if spent > money.budget {
            return Err(Stop::OverBudget);
        }
        let project = &self.compiled.project;
        let stop = if self.options.exhaustive_stop {
            // pabutools: exhaustive among the projects equal shares considers.
            project
                .iter()
                .all(|&p| outcome.contains(&p) || spent + money.costs[p] > money.budget)
        } else {
            project.iter().all(|p| outcome.contains(p))
        };
        if stop || self.increment <= 0.0 {
            return Err(Stop::Final(outcome));
        }
        Ok(outcome)
    }

    /// Walks increments `from..=to` from a fresh run at `from`, until the
    /// loop stops or `to` is reached; `None` if `cancelled` said so first.
    fn scan(
        &self,
        from: u64,
        to: u64,
        jump: bool,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<ChunkScan> {
        let compiled = self.compiled;
        let share_at = |k: u64| self.start + k as f64 * self.increment;
        let mut scratch = Scratch::default();
        let mut k = from;
        let mut trace = compiled.run(share_at(k), &mut scratch, None, None);
        let mut runs: u64 = 1;
        // How far the next jump tries to go; grows after each certified jump.
        let mut stride: u64 = 1;
        // Where the current outcome was first funded (or the chunk began).
        let mut stretch_start = from;
        let mut last = None;
        loop {
            match self.stop(compiled.outcome(self.free, &trace)) {
                Err(stop) => {
                    let stop = Some((k, stop));
                    return Some(ChunkScan { last, stop, runs });
                }
                Ok(outcome) => last = Some(outcome),
            }
            // Skip every share certified to fund what `trace` funds (so none
            // of them stops the loop either), then compute the next one.
            let mut m = if jump { stride } else { 1 };
            // The smallest increment known to fund something else, and its
            // (partial) run, if any: no jump needs to reach it until the
            // change before it is found, and its run's bounds hold below it
            // for as long as a run funds what it funded (see
            // `Compiled::run`'s `floor`).
            let mut changed_by: Option<(u64, Trace)> = None;
            loop {
                if k >= to {
                    return Some(ChunkScan {
                        last,
                        stop: None,
                        runs,
                    });
                }
                if cancelled() {
                    return None;
                }
                m = m.min(to - k);
                if let Some((c, _)) = &changed_by {
                    m = m.min(c.saturating_sub(k).saturating_sub(1)).max(1);
                }
                let floor = changed_by.as_ref().map(|(_, run)| run);
                if m == 1 {
                    k += 1;
                    let next = compiled.run(share_at(k), &mut scratch, None, floor);
                    runs += 1;
                    let same = next.winners == trace.winners;
                    trace = next;
                    if same && jump {
                        // Nothing changed: jump again, further.
                        stride = 2;
                        m = stride;
                        continue;
                    }
                    // A change: the next stretch is likely about as long as
                    // the one that just ended, so the first jump tries half of it.
                    stride = ((k - stretch_start) / 2).max(1);
                    stretch_start = k;
                    break;
                }
                let next = compiled.run(share_at(k + m), &mut scratch, Some(&trace), floor);
                runs += 1;
                if !next.complete {
                    // Jumps are capped below any known change, so this is the nearest.
                    changed_by = Some((k + m, next));
                    m /= 2;
                    continue;
                }
                let mut bridge = Bridge {
                    compiled,
                    scratch: &mut scratch,
                    share_at: &share_at,
                    runs: &mut runs,
                    budget: BRIDGE_RUNS,
                };
                if bridge.certify(k, &trace, k + m, &next) {
                    k += m;
                    trace = next;
                    stride = m.saturating_mul(2).min(MAX_JUMP);
                    m = stride;
                    continue;
                }
                // Something may change before k + m: look closer.
                m /= 2;
            }
        }
    }
}

/// Certifies a stretch of shares between two runs with the same winners,
/// splitting it at its middle while the two ends alone do not suffice: the
/// middle run is computed with the far end's bounds (cheap: see
/// [`Compiled::run`]'s `floor`) and each half is certified in turn.
struct Bridge<'c, 's> {
    compiled: &'c Compiled,
    scratch: &'s mut Scratch,
    share_at: &'c dyn Fn(u64) -> f64,
    runs: &'s mut u64,
    /// Intermediate runs left.
    budget: u32,
}

impl Bridge<'_, '_> {
    /// Whether every share from increment `a` (run `lo`) to `b` (run `hi`)
    /// funds what `lo` funds.
    fn certify(&mut self, a: u64, lo: &Trace, b: u64, hi: &Trace) -> bool {
        if lo.winners != hi.winners || !hi.complete {
            return false;
        }
        if b - a <= 1 || self.compiled.certifies(lo, hi) {
            return true;
        }
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        let mid = a + (b - a) / 2;
        let middle = self
            .compiled
            .run((self.share_at)(mid), self.scratch, Some(lo), Some(hi));
        *self.runs += 1;
        middle.complete && self.certify(a, lo, mid, &middle) && self.certify(mid, &middle, b, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::chunk_bounds;

    #[test]
    fn chunks_tile_the_increments_and_double_every_eight() {
        let mut expected_start = 0;
        for index in 0..40 {
            let (start, end) = chunk_bounds(256, index);
            assert_eq!(start, expected_start, "chunk {index}");
            assert_eq!(end - start + 1, 256 << (index / 8), "chunk {index}");
            expected_start = end + 1;
        }
        // 8 x 256 + 8 x 512 + 8 x 1,024: Budapest's 22,002 increments sit in chunk 27.
        assert_eq!(chunk_bounds(256, 24).0, 14_336);
        assert_eq!(chunk_bounds(256, 27), (20_480, 22_527));
        assert_eq!(chunk_bounds(1, 0), (0, 0));
    }
}
