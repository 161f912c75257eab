//! pabutools' greedy utilitarian welfare (`greedy_utilitarian_welfare`, resolute).
//!
//! Projects are ranked by total satisfaction per unit of cost, highest first,
//! ties broken by project id (pabutools' default lexicographic tie-breaking:
//! Python string order, which is Rust's `str` order); each is funded if it
//! still fits, else skipped. A project nobody names has density 0 and is still
//! funded if money is left, as in pabutools; a free project with supporters
//! comes first.
//!
//! For Borda satisfaction pabutools runs its general (non-additive) scheme,
//! picking the best marginal gain per cost round by round; Borda being a sum
//! over projects, that is the same order, so one sort serves every measure.

use std::cmp::Ordering;

use num_bigint::BigInt;

use super::Money;
use crate::pabulib::Election;
use crate::pabulib::satisfaction::SatProfile;

/// Satisfaction per cost of a project, ordered as pabutools orders it.
///
/// Exact without big rationals: the satisfaction is a whole factor (votes,
/// points or Borda points) times the cost or not, so the density is the
/// factor itself (times cost) or `factor / cost` with cost in [`Money`]'s
/// common scale, compared by cross-multiplying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Density {
    Zero,
    /// `num / den`, `den > 0`.
    Finite {
        num: i128,
        den: i128,
    },
    Infinite,
}

impl Density {
    fn of(factor: i128, cost: i128, times_cost: bool) -> Self {
        // Satisfaction is factor x cost (times_cost) or factor.
        let positive = factor > 0 && (!times_cost || cost > 0);
        match (positive, cost > 0) {
            (false, _) => Density::Zero,
            (true, false) => Density::Infinite,
            (true, true) if times_cost => Density::Finite {
                num: factor,
                den: 1,
            },
            (true, true) => Density::Finite {
                num: factor,
                den: cost,
            },
        }
    }

    fn cmp(&self, other: &Self) -> Ordering {
        use Density::*;
        match (self, other) {
            (Infinite, Infinite) | (Zero, Zero) => Ordering::Equal,
            (Infinite, _) | (_, Zero) => Ordering::Greater,
            (_, Infinite) | (Zero, _) => Ordering::Less,
            (Finite { num: a, den: c }, Finite { num: b, den: d }) => {
                match (a.checked_mul(*d), b.checked_mul(*c)) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    _ => (BigInt::from(*a) * BigInt::from(*d))
                        .cmp(&(BigInt::from(*b) * BigInt::from(*c))),
                }
            }
        }
    }
}

/// Projects in pabutools' greedy order: density descending, then id.
pub fn greedy_order(
    election: &Election,
    profile: &SatProfile,
    money: &Money,
    exclude: &[usize],
) -> Vec<usize> {
    let times_cost = profile.satisfaction.times_cost();
    let mut items: Vec<(usize, Density)> = (0..election.projects.len())
        .filter(|p| !exclude.contains(p))
        .map(|p| {
            let density = Density::of(profile.total_factor(p), money.costs[p], times_cost);
            (p, density)
        })
        .collect();
    items.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| election.projects[a.0].id.cmp(&election.projects[b.0].id))
    });
    items.into_iter().map(|(p, _)| p).collect()
}

/// Greedy welfare, starting from `initial` (already funded, kept first).
pub fn greedy(
    election: &Election,
    profile: &SatProfile,
    money: &Money,
    initial: &[usize],
) -> Vec<usize> {
    let mut remaining = money.budget - initial.iter().map(|&p| money.costs[p]).sum::<i128>();
    let mut selected = initial.to_vec();
    for p in greedy_order(election, profile, money, initial) {
        if money.costs[p] <= remaining {
            remaining -= money.costs[p];
            selected.push(p);
        }
    }
    selected
}
