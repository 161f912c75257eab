//! Satisfaction measures, as pabutools 1.2.x defines them, and the compiled
//! [`SatProfile`] every rule works on.
//!
//! Every measure pabutools ships for these ballot types is an integer factor
//! per ballot entry, possibly times the project's cost: cost (1 × cost),
//! cardinality (1), additive-cardinal (the points), Borda (`L - 1 - position`
//! in a ballot of length `L`, so the last-ranked project gets 0, whatever a
//! `points` column says). Keeping the factor an integer keeps every welfare
//! exact.
//!
//! Identical ballots are grouped: rules see one weighted group per distinct
//! ballot (Krakow 2021: 51,229 voters), which changes nothing in what they
//! select because every rule treats identical voters identically.

use std::hash::BuildHasher;

use foldhash::{HashMap, HashMapExt};
use std::fmt;
use std::str::FromStr;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

use super::{Election, VoteType};

/// A voter's satisfaction with a set of projects: the sum over the funded
/// projects of their ballot of a per-project value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Satisfaction {
    /// pabutools `Cost_Sat`: the cost of each funded project the voter named.
    Cost,
    /// pabutools `Cardinality_Sat`: the number of funded projects the voter named.
    Cardinality,
    /// pabutools `Additive_Cardinal_Sat`: the points the voter gave (cumulative, scoring).
    AdditiveCardinal,
    /// Points × cost (not in pabutools 1.2.x; the natural cardinal analogue of cost).
    CardinalScoreTimesCost,
    /// pabutools `Additive_Borda_Sat`: `L - 1 - position` in a ranking of length `L`.
    AdditiveBorda,
    /// Borda score × cost (not in pabutools 1.2.x).
    BordaTimesCost,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 6] = [
        Satisfaction::Cost,
        Satisfaction::Cardinality,
        Satisfaction::AdditiveCardinal,
        Satisfaction::CardinalScoreTimesCost,
        Satisfaction::AdditiveBorda,
        Satisfaction::BordaTimesCost,
    ];

    /// What pabulib's official rules and pabutools' examples use for a vote type.
    pub fn default_for(vote_type: VoteType) -> Self {
        match vote_type {
            VoteType::Approval | VoteType::Choose1 => Satisfaction::Cost,
            VoteType::Cumulative | VoteType::Scoring => Satisfaction::AdditiveCardinal,
            VoteType::Ordinal => Satisfaction::AdditiveBorda,
        }
    }

    /// The kebab-case name (`cost`, `additive-borda`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Satisfaction::Cost => "cost",
            Satisfaction::Cardinality => "cardinality",
            Satisfaction::AdditiveCardinal => "additive-cardinal",
            Satisfaction::CardinalScoreTimesCost => "cardinal-score-times-cost",
            Satisfaction::AdditiveBorda => "additive-borda",
            Satisfaction::BordaTimesCost => "borda-times-cost",
        }
    }

    /// Whether the per-project value is multiplied by the project's cost.
    pub fn times_cost(self) -> bool {
        matches!(
            self,
            Satisfaction::Cost
                | Satisfaction::CardinalScoreTimesCost
                | Satisfaction::BordaTimesCost
        )
    }

    /// Refuses a measure that needs what the ballots do not have (pabutools
    /// raises the same way: Borda needs rankings, cardinal measures need points).
    pub fn check(self, election: &Election) -> Result<(), String> {
        match self {
            Satisfaction::AdditiveCardinal | Satisfaction::CardinalScoreTimesCost
                if election.ballots.points.is_none() =>
            {
                Err(format!(
                    "satisfaction `{}` needs points (cumulative or scoring ballots), but {} has {} ballots without a `points` column; use `cost` or `cardinality`",
                    self.name(),
                    election.source.display(),
                    vote_type_name(election.vote_type)
                ))
            }
            Satisfaction::AdditiveBorda | Satisfaction::BordaTimesCost
                if election.vote_type != VoteType::Ordinal =>
            {
                Err(format!(
                    "satisfaction `{}` needs ordinal ballots, but {} has {} ballots; use `cost` or `cardinality`",
                    self.name(),
                    election.source.display(),
                    vote_type_name(election.vote_type)
                ))
            }
            _ => Ok(()),
        }
    }
}

/// pabulib's name of a vote type.
pub fn vote_type_name(v: VoteType) -> &'static str {
    match v {
        VoteType::Approval => "approval",
        VoteType::Ordinal => "ordinal",
        VoteType::Cumulative => "cumulative",
        VoteType::Scoring => "scoring",
        VoteType::Choose1 => "choose-1",
    }
}

impl fmt::Display for Satisfaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Satisfaction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Satisfaction::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Satisfaction::ALL.iter().map(|m| m.name()).collect();
                format!(
                    "unknown satisfaction `{s}`; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

/// An election compiled for one satisfaction measure: weighted groups of
/// identical ballots, with each ballot entry's integer factor (see the module
/// docs), indexed both by group and by project.
#[derive(Debug, Clone)]
pub struct SatProfile {
    pub satisfaction: Satisfaction,
    /// Voters, empty ballots included (pabutools divides the budget by them all).
    pub n_voters: usize,
    /// Voters per group.
    pub weights: Vec<u64>,
    /// Group of each voter (file order).
    pub group_of_voter: Vec<u32>,
    /// Group `g` named `g_projects[g_offsets[g]..g_offsets[g + 1]]`, with factors alongside.
    pub g_offsets: Vec<u32>,
    pub g_projects: Vec<u32>,
    pub g_factors: Vec<i64>,
    /// Project `p` is named by groups `p_groups[p_offsets[p]..p_offsets[p + 1]]`
    /// with a nonzero factor, factors alongside.
    pub p_offsets: Vec<u32>,
    pub p_groups: Vec<u32>,
    pub p_factors: Vec<i64>,
}

impl SatProfile {
    /// Compiles `election` for `satisfaction` (see [`Satisfaction::check`]).
    pub fn new(election: &Election, satisfaction: Satisfaction) -> Result<Self, String> {
        satisfaction.check(election)?;
        let b = &election.ballots;
        let n_projects = election.projects.len();
        // Identical ballots share a group: a map from a ballot's hash to the
        // last group with that hash, chained through `same_hash`, compared
        // against the groups' stored entries (no copy of each ballot as a key).
        let hasher = foldhash::fast::RandomState::default();
        let mut index: HashMap<u64, u32> = HashMap::with_capacity(b.len());
        let mut same_hash: Vec<u32> = Vec::new();
        let mut weights = Vec::new();
        let mut group_of_voter = Vec::with_capacity(b.len());
        let mut g_offsets = vec![0u32];
        let mut g_projects = Vec::new();
        let mut g_factors = Vec::new();
        let mut entry: Vec<(u32, i64)> = Vec::new();
        let mut seen = vec![false; n_projects];
        for v in 0..b.len() {
            let ballot = b.ballot(v);
            let points = b.points_of(v);
            entry.clear();
            // pabutools holds approval ballots as sets and cardinal ones as
            // dicts: a repeated project counts once (the first for sets, the
            // last for points).
            let len = ballot.len() as i64;
            for (pos, &p) in ballot.iter().enumerate() {
                let factor = match satisfaction {
                    Satisfaction::Cost | Satisfaction::Cardinality => 1,
                    Satisfaction::AdditiveCardinal | Satisfaction::CardinalScoreTimesCost => {
                        points.map(|pts| pts[pos]).unwrap_or(0)
                    }
                    Satisfaction::AdditiveBorda | Satisfaction::BordaTimesCost => {
                        len - 1 - pos as i64
                    }
                };
                if seen[p as usize] {
                    if let Some(e) = entry.iter_mut().find(|e| e.0 == p) {
                        if matches!(
                            satisfaction,
                            Satisfaction::AdditiveCardinal | Satisfaction::CardinalScoreTimesCost
                        ) {
                            e.1 = factor;
                        }
                    }
                    continue;
                }
                seen[p as usize] = true;
                entry.push((p, factor));
            }
            for &(p, _) in &entry {
                seen[p as usize] = false;
            }
            entry.retain(|e| e.1 != 0);
            entry.sort_unstable();
            let hash = hasher.hash_one(&entry[..]);
            let mut candidate = index.get(&hash).copied();
            while let Some(g) = candidate {
                let range = g_offsets[g as usize] as usize..g_offsets[g as usize + 1] as usize;
                let same = range.len() == entry.len()
                    && entry
                        .iter()
                        .zip(&g_projects[range.clone()])
                        .zip(&g_factors[range])
                        .all(|((e, &p), &f)| e.0 == p && e.1 == f);
                if same {
                    break;
                }
                candidate = Some(same_hash[g as usize]).filter(|&h| h != u32::MAX);
            }
            let g = match candidate {
                Some(g) => g,
                None => {
                    let g = weights.len() as u32;
                    weights.push(0);
                    for &(p, f) in &entry {
                        g_projects.push(p);
                        g_factors.push(f);
                    }
                    g_offsets.push(g_projects.len() as u32);
                    same_hash.push(index.insert(hash, g).unwrap_or(u32::MAX));
                    g
                }
            };
            weights[g as usize] += 1;
            group_of_voter.push(g);
        }
        // Transpose: supporters of each project.
        let mut counts = vec![0u32; n_projects + 1];
        for &p in &g_projects {
            counts[p as usize + 1] += 1;
        }
        for i in 0..n_projects {
            counts[i + 1] += counts[i];
        }
        let p_offsets = counts.clone();
        let mut fill = counts;
        let mut p_groups = vec![0u32; g_projects.len()];
        let mut p_factors = vec![0i64; g_projects.len()];
        for g in 0..weights.len() {
            for i in g_offsets[g] as usize..g_offsets[g + 1] as usize {
                let p = g_projects[i] as usize;
                let at = fill[p] as usize;
                p_groups[at] = g as u32;
                p_factors[at] = g_factors[i];
                fill[p] += 1;
            }
        }
        Ok(SatProfile {
            satisfaction,
            n_voters: b.len(),
            weights,
            group_of_voter,
            g_offsets,
            g_projects,
            g_factors,
            p_offsets,
            p_groups,
            p_factors,
        })
    }

    pub fn n_groups(&self) -> usize {
        self.weights.len()
    }

    /// Groups naming project `p` and their factors.
    pub fn supporters(&self, p: usize) -> (&[u32], &[i64]) {
        let r = self.p_offsets[p] as usize..self.p_offsets[p + 1] as usize;
        (&self.p_groups[r.clone()], &self.p_factors[r])
    }

    /// Group `g`'s projects and factors.
    pub fn group(&self, g: usize) -> (&[u32], &[i64]) {
        let r = self.g_offsets[g] as usize..self.g_offsets[g + 1] as usize;
        (&self.g_projects[r.clone()], &self.g_factors[r])
    }

    /// Σ over voters of their factor for `p` (an integer).
    pub fn total_factor(&self, p: usize) -> i128 {
        let (gs, fs) = self.supporters(p);
        gs.iter()
            .zip(fs)
            .map(|(&g, &f)| self.weights[g as usize] as i128 * f as i128)
            .sum()
    }

    /// A factor turned into satisfaction, exactly.
    pub fn value(&self, factor: i128, cost: &BigRational) -> BigRational {
        let k = BigRational::from_integer(BigInt::from(factor));
        if self.satisfaction.times_cost() {
            k * cost
        } else {
            k
        }
    }

    /// Total satisfaction with project `p` over all voters (its welfare contribution).
    pub fn project_welfare(&self, election: &Election, p: usize) -> BigRational {
        self.value(self.total_factor(p), &election.projects[p].cost)
    }

    /// Utilitarian welfare of a set of projects, exactly.
    pub fn welfare(&self, election: &Election, selected: &[usize]) -> BigRational {
        let whole_costs = selected
            .iter()
            .all(|&p| election.projects[p].cost.is_integer());
        if self.satisfaction.times_cost() && !whole_costs {
            return selected.iter().fold(BigRational::zero(), |acc, &p| {
                acc + self.project_welfare(election, p)
            });
        }
        if self.satisfaction.times_cost() {
            let total: BigInt = selected
                .iter()
                .map(|&p| BigInt::from(self.total_factor(p)) * election.projects[p].cost.numer())
                .sum();
            return BigRational::from_integer(total);
        }
        // Whole factors: one sum, one conversion.
        let total: BigInt = selected
            .iter()
            .map(|&p| BigInt::from(self.total_factor(p)))
            .sum();
        BigRational::from_integer(total)
    }

    /// Satisfaction of every group with `selected`, as f64 (for distributions).
    pub fn group_satisfaction(&self, election: &Election, selected: &[usize]) -> Vec<f64> {
        let mut chosen = vec![None; election.projects.len()];
        for &p in selected {
            let c = if self.satisfaction.times_cost() {
                election.projects[p].cost.to_f64().unwrap_or(f64::NAN)
            } else {
                1.0
            };
            chosen[p] = Some(c);
        }
        (0..self.n_groups())
            .map(|g| {
                let (ps, fs) = self.group(g);
                ps.iter()
                    .zip(fs)
                    .filter_map(|(&p, &f)| chosen[p as usize].map(|c| f as f64 * c))
                    // (an empty f64 sum is -0.0)
                    .fold(0.0, |a, x| a + x)
            })
            .collect()
    }
}
