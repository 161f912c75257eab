//! The `greedy` rule (what most cities do: fund by score, highest first, skip
//! what does not fit) and the greedy fill used to start and repair the
//! `optimal` program.

use super::{AllocationRule, Outcome, Prepared, SolveSettings, Status};
use crate::error::SolveError;

/// Fund by priority score, highest first (ties by proposal id), skipping any
/// proposal that does not fit in what is left of the pool. Proposals are funded
/// whole; equity constraints are not enforced, only reported.
pub struct Greedy;

impl AllocationRule for Greedy {
    fn name(&self) -> &'static str {
        "greedy"
    }

    fn allocate(&self, prep: &Prepared, _: &SolveSettings) -> Result<Outcome, SolveError> {
        let sc = prep.scenario;
        let mut order: Vec<usize> = (0..sc.proposals.len()).collect();
        order.sort_by(|&a, &b| {
            prep.scores[b]
                .total_cmp(&prep.scores[a])
                .then_with(|| sc.proposals[a].id.cmp(&sc.proposals[b].id))
        });
        let mut left = sc.pool.amount;
        let mut x = vec![0.0; order.len()];
        for p in order {
            let c = prep.costs[p];
            if c <= left + FIT_TOLERANCE * sc.pool.amount {
                x[p] = 1.0;
                left -= c;
            }
        }
        Ok(Outcome {
            x,
            status: Some(Status::Complete),
            ..Default::default()
        })
    }
}

/// A cost fits if it exceeds what is left by less than this share of the pool.
pub(crate) const FIT_TOLERANCE: f64 = 1e-12;

/// Proposal order by objective weight per unit cost, best first (ties by id).
pub(crate) fn by_ratio(prep: &Prepared, members: &[usize]) -> Vec<usize> {
    let mut order = members.to_vec();
    let sc = prep.scenario;
    order.sort_by(|&a, &b| {
        (prep.weights[b] / prep.costs[b])
            .total_cmp(&(prep.weights[a] / prep.costs[a]))
            .then_with(|| sc.proposals[a].id.cmp(&sc.proposals[b].id))
    });
    order
}

/// Tracks the budget and caps while proposals are added.
struct CapTracker<'p> {
    prep: &'p Prepared<'p>,
    /// For each proposal, the cap specs (budget included) that count it.
    caps_of: Vec<Vec<usize>>,
    activity: Vec<f64>,
}

impl<'p> CapTracker<'p> {
    fn new(prep: &'p Prepared<'p>, x: &[f64]) -> Self {
        let mut caps_of = vec![Vec::new(); prep.costs.len()];
        let mut activity = vec![0.0; prep.specs.len()];
        for (i, s) in prep.specs.iter().enumerate() {
            if s.kind.is_floor() {
                continue;
            }
            for &p in &s.members {
                caps_of[p].push(i);
            }
            activity[i] = s.activity(&prep.costs, x);
        }
        CapTracker {
            prep,
            caps_of,
            activity,
        }
    }

    /// The largest extra share of `p` (up to `want`) that every cap allows.
    fn room(&self, p: usize, want: f64) -> f64 {
        let tol = FIT_TOLERANCE * self.prep.scenario.pool.amount;
        let c = self.prep.costs[p];
        self.caps_of[p]
            .iter()
            .map(|&i| ((self.prep.specs[i].bound - self.activity[i] + tol) / c).max(0.0))
            .fold(want, f64::min)
    }

    fn add(&mut self, p: usize, share: f64) {
        for &i in &self.caps_of[p] {
            self.activity[i] += self.prep.costs[p] * share;
        }
    }
}

/// Adds proposals in `order` to `x` while they fit the budget and every cap:
/// indivisible ones whole, divisible ones as far as the room allows (but not
/// below their `min_share`).
pub(crate) fn fill(prep: &Prepared, x: &mut [f64], order: &[usize]) {
    let mut t = CapTracker::new(prep, x);
    for &p in order {
        add_one(prep, &mut t, x, p);
    }
}

fn add_one(prep: &Prepared, t: &mut CapTracker, x: &mut [f64], p: usize) {
    let want = 1.0 - x[p];
    if want <= 0.0 {
        return;
    }
    let room = t.room(p, want);
    let prop = &prep.scenario.proposals[p];
    let share = if !prop.divisible {
        if room >= want { want } else { 0.0 }
    } else {
        let total = x[p] + room;
        match prop.min_share {
            Some(m) if total < m => 0.0,
            _ => room,
        }
    };
    if share > 0.0 {
        x[p] += share;
        t.add(p, share);
    }
}

/// A feasible starting point for the MILP: first each floor and quorum in turn
/// is filled with its best proposals by weight per cost, then the rest of the
/// pool by weight per cost. Respects the budget and every cap.
pub(crate) fn warm_start(prep: &Prepared) -> Vec<f64> {
    let mut x = vec![0.0; prep.costs.len()];
    let mut t = CapTracker::new(prep, &x);
    for s in prep.specs.iter().filter(|s| s.kind.is_floor()) {
        for p in by_ratio(prep, &s.members) {
            if s.activity(&prep.costs, &x) >= s.bound {
                break;
            }
            add_one(prep, &mut t, &mut x, p);
        }
    }
    let all: Vec<usize> = (0..prep.costs.len()).collect();
    for p in by_ratio(prep, &all) {
        add_one(prep, &mut t, &mut x, p);
    }
    x
}
