//! Maximum utilitarian welfare: pabutools' `max_additive_utilitarian_welfare`
//! (an ILP), solved here as the single 0/1 knapsack it is, exactly, by depth
//! first branch and bound with the fractional (Dantzig) bound.
//!
//! Optima are not unique (Krakow 2020 Podgorze has ties), so the outcome is
//! checked against pabutools by its welfare, not its projects.

use super::{Money, RuleError};
use crate::pabulib::Election;
use crate::pabulib::satisfaction::SatProfile;

/// Nodes explored before giving up (the search is exponential in the worst case).
pub const NODE_LIMIT: u64 = 200_000_000;

struct Search<'a> {
    values: &'a [i128],
    costs: &'a [i128],
    best: i128,
    best_set: Vec<bool>,
    current: Vec<bool>,
    nodes: u64,
}

impl Search<'_> {
    /// Upper bound on what items `from..` add within `room` (fractional knapsack).
    fn bound(&self, from: usize, room: i128) -> f64 {
        let mut room = room;
        let mut b = 0.0;
        for i in from..self.values.len() {
            if self.costs[i] <= room {
                room -= self.costs[i];
                b += self.values[i] as f64;
            } else {
                b += self.values[i] as f64 * room as f64 / self.costs[i] as f64;
                break;
            }
        }
        b
    }

    fn dfs(&mut self, i: usize, room: i128, value: i128) -> bool {
        self.nodes += 1;
        if self.nodes > NODE_LIMIT {
            return false;
        }
        if value > self.best {
            self.best = value;
            self.best_set.clone_from(&self.current);
        }
        if i == self.values.len() {
            return true;
        }
        // Prune only when the bound is clearly below (floats only ever make us search more).
        let bound = value as f64 + self.bound(i, room);
        if bound * (1.0 + 1e-12) + 1.0 <= self.best as f64 {
            return true;
        }
        if self.costs[i] <= room {
            self.current[i] = true;
            if !self.dfs(i + 1, room - self.costs[i], value + self.values[i]) {
                return false;
            }
            self.current[i] = false;
        }
        self.dfs(i + 1, room, value)
    }
}

/// A set of projects of maximum welfare within the budget.
pub fn max_welfare(
    election: &Election,
    profile: &SatProfile,
    money: &Money,
) -> Result<Vec<usize>, RuleError> {
    let times_cost = profile.satisfaction.times_cost();
    let mut free = vec![];
    let mut items = vec![];
    for p in 0..election.projects.len() {
        let k = profile.total_factor(p);
        let value = if times_cost {
            k.checked_mul(money.costs[p])
        } else {
            Some(k)
        };
        let Some(value) = value else {
            return Err(RuleError::Money(format!(
                "{}: welfare too large for exact arithmetic",
                election.source.display()
            )));
        };
        if value <= 0 || money.costs[p] > money.budget {
            continue;
        }
        if money.costs[p] == 0 {
            free.push(p);
        } else {
            items.push((p, value));
        }
    }
    // Densest first, so the first dive is the greedy solution.
    items.sort_by(|a, b| {
        let (va, ca) = (a.1, money.costs[a.0]);
        let (vb, cb) = (b.1, money.costs[b.0]);
        (vb as f64 / cb as f64).total_cmp(&(va as f64 / ca as f64))
    });
    let values: Vec<i128> = items.iter().map(|x| x.1).collect();
    let costs: Vec<i128> = items.iter().map(|x| money.costs[x.0]).collect();
    let mut s = Search {
        values: &values,
        costs: &costs,
        best: -1,
        best_set: vec![false; values.len()],
        current: vec![false; values.len()],
        nodes: 0,
    };
    if !s.dfs(0, money.budget, 0) {
        return Err(RuleError::Unsupported {
            file: election.source.display().to_string(),
            message: format!("max-welfare: no optimum proven within {NODE_LIMIT} search nodes"),
            fix: "use pabutools' ILP (max_additive_utilitarian_welfare) for this instance".into(),
        });
    }
    let mut selected = free;
    selected.extend(
        items
            .iter()
            .zip(&s.best_set)
            .filter(|(_, on)| **on)
            .map(|(x, _)| x.0),
    );
    Ok(selected)
}
