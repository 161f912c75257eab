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

use num_rational::BigRational;
use num_traits::Zero;

use super::Money;
use crate::pabulib::Election;
use crate::pabulib::satisfaction::SatProfile;

/// Satisfaction per cost of a project, ordered as pabutools orders it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Density {
    Zero,
    Finite(BigRational),
    Infinite,
}

impl Density {
    fn of(sat: &BigRational, cost: &BigRational) -> Self {
        if *sat > BigRational::zero() {
            if *cost > BigRational::zero() {
                Density::Finite(sat / cost)
            } else {
                Density::Infinite
            }
        } else {
            Density::Zero
        }
    }

    fn cmp(&self, other: &Self) -> Ordering {
        use Density::*;
        match (self, other) {
            (Infinite, Infinite) | (Zero, Zero) => Ordering::Equal,
            (Infinite, _) | (_, Zero) => Ordering::Greater,
            (_, Infinite) | (Zero, _) => Ordering::Less,
            (Finite(a), Finite(b)) => a.cmp(b),
        }
    }
}

/// Projects in pabutools' greedy order: density descending, then id.
pub fn greedy_order(election: &Election, profile: &SatProfile, exclude: &[usize]) -> Vec<usize> {
    let mut items: Vec<(usize, Density)> = (0..election.projects.len())
        .filter(|p| !exclude.contains(p))
        .map(|p| {
            let sat = profile.project_welfare(election, p);
            (p, Density::of(&sat, &election.projects[p].cost))
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
    for p in greedy_order(election, profile, initial) {
        if money.costs[p] <= remaining {
            remaining -= money.costs[p];
            selected.push(p);
        }
    }
    selected
}
