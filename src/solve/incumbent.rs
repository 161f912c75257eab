//! A near-optimal allocation for the integer program, found by local search
//! before the solver runs.
//!
//! Why: on small MILPs HiGHS spends most of its time finding good solutions
//! (its feasibility jump and sub-MIP heuristics), not proving them. Given the
//! value of a good solution as a cutoff it prunes from the first node. On the
//! 200-proposal benchmark city (`participa export --synthetic 200
//! --indivisible 1`) the greedy start is 0.3% below the optimum, which this
//! search finds in 0.6 ms; HiGHS then proves it in ~9 ms instead of ~40.
//! microlp gets the same solution as its starting point.
//!
//! The search flips whole indivisible proposals only (divisible ones keep the
//! shares they start with), so every state it visits is an allocation the
//! program allows: the budget and every cap hold, and the floors' total
//! shortfall stays within what the caller allows. Moves, repeated until none
//! improves the objective: add what fits (best weight per cost first); swap a
//! funded proposal for a better unfunded one; eject one funded proposal, or
//! two of the [`PAIR_POOL`] funded ones of lowest weight per cost, fund the
//! best members of the floors that leaves short, and refill what fits. The
//! last move is what the benchmark city needs: two proposals, each holding up
//! its district's floor, traded for two cheaper ones in the same districts,
//! which frees room for a third.

use std::time::Instant;

use super::Prepared;
use super::greedy::{FIT_TOLERANCE, by_ratio};

/// Above this many proposals the quadratic swap and refill passes are skipped
/// (only the adding pass runs): they would cost more than the solver saves.
pub(crate) const SEARCH_LIMIT: usize = 2_000;

/// The search's state: shares, and the amount each constraint counts.
struct State<'p> {
    prep: &'p Prepared<'p>,
    x: Vec<f64>,
    /// Objective weight of `x`.
    value: f64,
    activity: Vec<f64>,
    /// For each proposal, the constraints that count it.
    specs_of: Vec<Vec<usize>>,
    /// Largest total shortfall of the floors and quorums allowed, in currency.
    max_shortfall: f64,
    /// Slack on the caps, in currency (the greedy rule's tolerance).
    fit: f64,
}

impl<'p> State<'p> {
    fn new(prep: &'p Prepared<'p>, x: Vec<f64>, max_shortfall: f64) -> Self {
        let mut specs_of = vec![Vec::new(); prep.costs.len()];
        for (i, s) in prep.specs.iter().enumerate() {
            for &p in &s.members {
                specs_of[p].push(i);
            }
        }
        let activity = prep
            .specs
            .iter()
            .map(|s| s.activity(&prep.costs, &x))
            .collect();
        let value = x.iter().zip(&prep.weights).map(|(x, w)| x * w).sum();
        State {
            prep,
            x,
            value,
            activity,
            specs_of,
            max_shortfall,
            fit: FIT_TOLERANCE * prep.scenario.pool.amount,
        }
    }

    fn shortfall(&self, i: usize, activity: f64) -> f64 {
        (self.prep.specs[i].bound - activity).max(0.0)
    }

    fn total_shortfall(&self) -> f64 {
        (0..self.activity.len())
            .filter(|&i| self.prep.specs[i].kind.is_floor())
            .map(|i| self.shortfall(i, self.activity[i]))
            .sum()
    }

    /// Whether moving the shares of `moves` (proposal, change) keeps every
    /// cap, and the total shortfall within the allowed amount.
    fn allows(&self, moves: &[(usize, f64)], total_shortfall: f64) -> bool {
        let mut extra_shortfall = 0.0;
        let mut seen: Vec<usize> = Vec::with_capacity(8);
        for &(p, _) in moves {
            for &i in &self.specs_of[p] {
                if seen.contains(&i) {
                    continue;
                }
                seen.push(i);
                let change: f64 = moves
                    .iter()
                    .filter(|(q, _)| self.specs_of[*q].contains(&i))
                    .map(|&(q, d)| self.prep.costs[q] * d)
                    .sum();
                let after = self.activity[i] + change;
                let spec = &self.prep.specs[i];
                if spec.kind.is_floor() {
                    extra_shortfall +=
                        self.shortfall(i, after) - self.shortfall(i, self.activity[i]);
                } else if change > 0.0 && after > spec.bound + self.fit {
                    return false;
                }
            }
        }
        extra_shortfall <= 0.0 || total_shortfall + extra_shortfall <= self.max_shortfall
    }

    /// Whether indivisible `p` is funded (its share is exactly 0 or 1).
    fn funded(&self, p: usize) -> bool {
        self.x[p] > 0.5
    }

    fn apply(&mut self, p: usize, d: f64) {
        self.x[p] += d;
        self.value += self.prep.weights[p] * d;
        for &i in &self.specs_of[p] {
            self.activity[i] += self.prep.costs[p] * d;
        }
    }
}

/// Improves the feasible allocation `x` (funded shares; its floors' total
/// shortfall at most `max_shortfall` in currency) by flipping indivisible
/// proposals. Returns an allocation with at least `x`'s objective that the
/// same constraints allow, and whether the whole search ran (only the
/// adding pass does above [`SEARCH_LIMIT`] indivisible proposals). Stops
/// improving at `deadline`, with what it has.
pub(crate) fn improve(
    prep: &Prepared,
    x: Vec<f64>,
    max_shortfall: f64,
    deadline: Instant,
) -> (Vec<f64>, bool) {
    let props = &prep.scenario.proposals;
    let all: Vec<usize> = (0..prep.costs.len()).collect();
    // Flippable: indivisible, and best weight per cost first.
    let order: Vec<usize> = by_ratio(prep, &all)
        .into_iter()
        .filter(|&p| !props[p].divisible)
        .collect();
    let mut s = State::new(prep, x, max_shortfall);
    add_what_fits(&mut s, &order, &[]);
    if order.is_empty() || order.len() > SEARCH_LIMIT {
        return (s.x, false);
    }
    // Each floor's indivisible members, in the same order.
    let floor_members: Vec<Vec<usize>> = prep
        .specs
        .iter()
        .map(|spec| {
            if spec.kind.is_floor() {
                by_ratio(prep, &spec.members)
                    .into_iter()
                    .filter(|&p| !props[p].divisible)
                    .collect()
            } else {
                Vec::new()
            }
        })
        .collect();
    let moves = Moves {
        order: &order,
        floor_members: &floor_members,
        deadline,
    };
    // Each round improves the objective or stops; the cap is a guard.
    for _ in 0..4 * order.len() + 16 {
        if Instant::now() >= deadline
            || !(swap_one(&mut s, &order) || moves.eject_one(&mut s) || moves.eject_two(&mut s))
        {
            break;
        }
    }
    (s.x, true)
}

/// Adds each unfunded proposal of `order` that fits (skipping `except`).
fn add_what_fits(s: &mut State, order: &[usize], except: &[usize]) {
    let mut short = s.total_shortfall();
    for &p in order {
        if !s.funded(p) && !except.contains(&p) && s.allows(&[(p, 1.0)], short) {
            s.apply(p, 1.0);
            short = s.total_shortfall();
        }
    }
}

/// The first funded proposal (worst weight per cost first) that can be swapped
/// for a better unfunded one is, for the best such one; then what fits is added.
fn swap_one(s: &mut State, order: &[usize]) -> bool {
    let w = &s.prep.weights;
    let short = s.total_shortfall();
    for &q in order.iter().rev().filter(|&&q| s.funded(q)) {
        let best = order
            .iter()
            .filter(|&&p| !s.funded(p) && w[p] > w[q])
            .filter(|&&p| s.allows(&[(q, -1.0), (p, 1.0)], short))
            .max_by(|&&a, &&b| w[a].total_cmp(&w[b]));
        if let Some(&p) = best {
            s.apply(q, -1.0);
            s.apply(p, 1.0);
            add_what_fits(s, order, &[]);
            return true;
        }
    }
    false
}

/// Ejection moves: drop funded proposals, mend the floors they leave short,
/// refill what fits.
struct Moves<'a> {
    order: &'a [usize],
    /// Per floor: its indivisible members, best weight per cost first.
    floor_members: &'a [Vec<usize>],
    deadline: Instant,
}

/// Pairs are drawn from this many funded proposals of lowest weight per cost
/// (the ones an improvement most likely trades away).
const PAIR_POOL: usize = 24;

impl Moves<'_> {
    fn eject_one(&self, s: &mut State) -> bool {
        for &q in self.order.iter().rev() {
            if s.funded(q) && self.eject(s, &[q]) {
                return true;
            }
        }
        false
    }

    fn eject_two(&self, s: &mut State) -> bool {
        let pool: Vec<usize> = self
            .order
            .iter()
            .rev()
            .copied()
            .filter(|&q| s.funded(q))
            .take(PAIR_POOL)
            .collect();
        for (k, &a) in pool.iter().enumerate() {
            if Instant::now() >= self.deadline {
                return false;
            }
            for &b in &pool[k + 1..] {
                if self.eject(s, &[a, b]) {
                    return true;
                }
            }
        }
        false
    }

    /// Drops `out`, then while the floors' total shortfall is over the
    /// allowance funds the best member (by weight per cost) of the shortest
    /// floor that fits, then adds what fits. Keeps the result if the
    /// objective rose; otherwise undoes it.
    fn eject(&self, s: &mut State, out: &[usize]) -> bool {
        let before = s.value;
        let x = s.x.clone();
        let activity = s.activity.clone();
        let value = s.value;
        for &q in out {
            s.apply(q, -1.0);
        }
        let mut mended = true;
        loop {
            let short = s.total_shortfall();
            if short <= s.max_shortfall {
                break;
            }
            let worst = (0..s.activity.len())
                .filter(|&i| s.prep.specs[i].kind.is_floor())
                .max_by(|&a, &b| {
                    s.shortfall(a, s.activity[a])
                        .total_cmp(&s.shortfall(b, s.activity[b]))
                })
                .filter(|&i| s.shortfall(i, s.activity[i]) > 0.0);
            let pick = worst.and_then(|i| {
                self.floor_members[i]
                    .iter()
                    .copied()
                    .find(|&p| !s.funded(p) && !out.contains(&p) && s.allows(&[(p, 1.0)], short))
            });
            match pick {
                Some(p) => s.apply(p, 1.0),
                None => {
                    mended = false;
                    break;
                }
            }
        }
        if mended {
            add_what_fits(s, self.order, out);
            if s.value > before + 1e-12 * before.abs() {
                return true;
            }
        }
        s.x = x;
        s.activity = activity;
        s.value = value;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::synthetic::BenchCity;
    use crate::solve::greedy::warm_start;

    fn city(proposals: usize, districts: usize, seed: u64) -> crate::model::Scenario {
        BenchCity {
            proposals,
            districts,
            indivisible: 1.0,
            seed,
        }
        .scenario()
    }

    /// Total shortfall of the floors, or `None` if a cap is exceeded.
    fn shortfall_if_capped(prep: &Prepared, x: &[f64]) -> Option<f64> {
        let fit = FIT_TOLERANCE * prep.scenario.pool.amount;
        let mut short = 0.0;
        for s in &prep.specs {
            let a = s.activity(&prep.costs, x);
            if s.kind.is_floor() {
                short += (s.bound - a).max(0.0);
            } else if a > s.bound + fit {
                return None;
            }
        }
        Some(short)
    }

    fn far() -> Instant {
        Instant::now() + std::time::Duration::from_secs(3600)
    }

    fn value(prep: &Prepared, x: &[f64]) -> f64 {
        x.iter().zip(&prep.weights).map(|(x, w)| x * w).sum()
    }

    /// On the 200-proposal benchmark city (`participa export --synthetic 200
    /// --indivisible 1`), the greedy start funds weight 1,783 and the optimum, proven by
    /// HiGHS (`participa solve` on that city: objective 1789), needs two funded
    /// proposals traded for three (one floor-neutral swap in each of two
    /// districts, then an addition): the search must find it.
    #[test]
    fn reaches_the_proven_optimum_of_the_benchmark_city() {
        let sc = city(200, 20, 1);
        let prep = Prepared::new(&sc).unwrap();
        let start = warm_start(&prep);
        assert_eq!(shortfall_if_capped(&prep, &start), Some(0.0));
        let (x, searched) = improve(&prep, start.clone(), 0.0, far());
        assert!(searched);
        assert!((value(&prep, &start) - 1783.0).abs() < 1e-9);
        assert!(
            (value(&prep, &x) - 1789.0).abs() < 1e-9,
            "{}",
            value(&prep, &x)
        );
        assert_eq!(shortfall_if_capped(&prep, &x), Some(0.0));
    }

    /// On 200 small cities (12 proposals, 3 districts): the result keeps the
    /// caps and the shortfall allowance, never loses weight, and nothing more
    /// fits; against every subset, it never beats the best and reaches it in
    /// at least 190 cities (194 measured), so a weaker search shows.
    #[test]
    fn keeps_the_constraints_and_mostly_finds_the_optimum() {
        let mut optimal = 0;
        let cities = 200;
        for seed in 0..cities {
            let sc = city(12, 3, seed);
            let prep = Prepared::new(&sc).unwrap();
            let start = warm_start(&prep);
            let Some(allowed) = shortfall_if_capped(&prep, &start) else {
                panic!("seed {seed}: the greedy start exceeds a cap");
            };
            let (x, _) = improve(&prep, start.clone(), allowed, far());
            let short = shortfall_if_capped(&prep, &x).expect("a cap is exceeded");
            assert!(
                short <= allowed + 1e-6,
                "seed {seed}: shortfall {short} > {allowed}"
            );
            assert!(value(&prep, &x) >= value(&prep, &start), "seed {seed}");
            for p in (0..x.len()).filter(|&p| x[p] == 0.0) {
                let mut more = x.clone();
                more[p] = 1.0;
                assert!(
                    shortfall_if_capped(&prep, &more).is_none(),
                    "seed {seed}: proposal {p} still fits"
                );
            }
            let best = (0u32..1 << x.len())
                .map(|mask| {
                    (0..x.len())
                        .map(|p| f64::from(mask >> p & 1))
                        .collect::<Vec<_>>()
                })
                .filter(|y| shortfall_if_capped(&prep, y).is_some_and(|s| s <= allowed + 1e-6))
                .map(|y| value(&prep, &y))
                .fold(f64::NEG_INFINITY, f64::max);
            assert!(
                value(&prep, &x) <= best + 1e-9,
                "seed {seed}: beats brute force"
            );
            if value(&prep, &x) >= best - 1e-9 {
                optimal += 1;
            }
        }
        // Measured: 194 of 200.
        assert!(optimal >= 190, "optimal in {optimal} of {cities} cities");
    }
}
