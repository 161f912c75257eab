//! How an outcome treats voters, as pabutools' analysis module measures it:
//! the distribution of voters' satisfaction, the share of voters none of whose
//! projects is funded (1 − pabutools' `percent_non_empty_handed`), the Gini
//! coefficient of satisfaction (`gini_coefficient_of_satisfaction`), and for
//! approval ballots EJR and PJR up to one project (`is_EJR_one_approval`,
//! `is_PJR_one_approval`, cost satisfaction).
//!
//! pabutools checks EJR/PJR by enumerating every group of voters and every
//! set of projects, which only finishes on toy elections. Here a set of
//! projects T matters only if the voters approving all of T are numerous
//! enough to deserve it (`cost(T) × n ≤ |voters| × budget`); and for a given
//! T the hardest group to satisfy for EJR is all of those voters who are not
//! yet satisfied, so one depth-first search over such sets decides the
//! property and returns a witness when it fails. For PJR the hardest group is
//! the smallest deserving number of voters who together approve the least of
//! the outcome, found by branch and bound where cheap bounds do not settle T.
//! The search visits only "large enough" sets, and stops with
//! [`JrCheck::NotDecided`] past [`JR_NODE_LIMIT`] sets (or
//! [`PJR_SUBSET_LIMIT`] choices of members in all). Tested against
//! pabutools' own `is_EJR_one_approval` / `is_PJR_one_approval` on 200 toy
//! elections (`tests/reference/make_pabutools_jr.py`).

use serde::Serialize;

use super::rules::{Money, Outcome};
use super::satisfaction::SatProfile;
use super::{Election, VoteType};

/// Sets of projects examined before the EJR/PJR search gives up.
pub const JR_NODE_LIMIT: u64 = 5_000_000;

/// Choices of members examined in all, in one PJR check, when it needs the
/// thinnest-covered deserving subgroup of some project set (see
/// `JrSearch::thinly_covered`).
pub const PJR_SUBSET_LIMIT: u64 = 200_000;

/// Quantiles of voters' satisfaction (nearest rank, over all voters).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantiles {
    pub min: f64,
    pub p10: f64,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub p90: f64,
    pub max: f64,
    pub mean: f64,
}

/// A group of voters and a set of projects that EJR/PJR up to one say deserve more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Witness {
    /// Voter ids of the group (all approve every project of `projects`).
    pub voters: Vec<String>,
    /// Ids of the project set the group can afford together.
    pub projects: Vec<String>,
    /// A project of the set the group should have had (unfunded, most expensive).
    pub missing_project: String,
}

/// Outcome of an EJR/PJR check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum JrCheck {
    Satisfied,
    Violated(Witness),
    /// The search reached its limit, or the ballots are not approval ballots.
    NotDecided {
        reason: String,
    },
}

/// Everything `participa analyze` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub satisfaction: String,
    pub voters: usize,
    pub quantiles: Quantiles,
    /// Share of voters none of whose named projects is funded (empty ballots included).
    pub share_nothing_funded: f64,
    pub gini: f64,
    pub ejr_up_to_one: JrCheck,
    pub pjr_up_to_one: JrCheck,
}

/// Satisfaction statistics of `outcome` under `profile`'s measure.
pub fn analyze(election: &Election, profile: &SatProfile, outcome: &Outcome) -> Analysis {
    let sats = profile.group_satisfaction(election, &outcome.selected);
    let weights = &profile.weights;
    let n: u64 = weights.iter().sum();
    let mut order: Vec<usize> = (0..sats.len()).collect();
    order.sort_by(|&a, &b| sats[a].total_cmp(&sats[b]));
    let quantile = |q: f64| -> f64 {
        if n == 0 {
            return 0.0;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        for &g in &order {
            seen += weights[g];
            if seen >= rank {
                return sats[g];
            }
        }
        0.0
    };
    let total: f64 = order.iter().map(|&g| sats[g] * weights[g] as f64).sum();
    // pabutools: (n + 1 - 2 Σ v_(i) (n - i) / Σ v) / n over ascending values.
    let gini = if total > 0.0 {
        let mut i = 0u64;
        let mut cum = 0.0;
        for &g in &order {
            let w = weights[g];
            let positions =
                (w * n) as f64 - (w * i) as f64 - (w * w.saturating_sub(1)) as f64 / 2.0;
            cum += sats[g] * positions;
            i += w;
        }
        (n as f64 + 1.0 - 2.0 * cum / total) / n as f64
    } else {
        0.0
    };
    let mut funded = vec![false; election.projects.len()];
    for &p in &outcome.selected {
        funded[p] = true;
    }
    let nothing: u64 = (0..election.ballots.len())
        .filter(|&v| {
            !election
                .ballots
                .ballot(v)
                .iter()
                .any(|&p| funded[p as usize])
        })
        .count() as u64;
    let (ejr, pjr) = if matches!(election.vote_type, VoteType::Approval | VoteType::Choose1) {
        (
            jr_up_to_one(election, &outcome.selected, Jr::Ejr),
            jr_up_to_one(election, &outcome.selected, Jr::Pjr),
        )
    } else {
        let reason = "EJR/PJR up to one are checked for approval ballots only".to_string();
        (
            JrCheck::NotDecided {
                reason: reason.clone(),
            },
            JrCheck::NotDecided { reason },
        )
    };
    Analysis {
        satisfaction: profile.satisfaction.name().to_string(),
        voters: n as usize,
        quantiles: Quantiles {
            min: quantile(0.0),
            p10: quantile(0.1),
            p25: quantile(0.25),
            median: quantile(0.5),
            p75: quantile(0.75),
            p90: quantile(0.9),
            max: order.last().map(|&g| sats[g]).unwrap_or(0.0),
            mean: if n > 0 { total / n as f64 } else { 0.0 },
        },
        share_nothing_funded: if n > 0 {
            nothing as f64 / n as f64
        } else {
            0.0
        },
        gini,
        ejr_up_to_one: ejr,
        pjr_up_to_one: pjr,
    }
}

/// Which justified-representation axiom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jr {
    Ejr,
    Pjr,
}

/// EJR or PJR up to one project, cost satisfaction, approval ballots (see the module docs).
pub fn jr_up_to_one(election: &Election, selected: &[usize], axiom: Jr) -> JrCheck {
    let Ok(money) = Money::new(election) else {
        return JrCheck::NotDecided {
            reason: "amounts too large for exact arithmetic".into(),
        };
    };
    let n = election.ballots.len() as i128;
    let m = election.projects.len();
    let mut funded = vec![false; m];
    for &p in selected {
        funded[p] = true;
    }
    // Each voter's approved projects (deduplicated) and cost satisfaction with the outcome.
    let approvals: Vec<Vec<usize>> = (0..election.ballots.len())
        .map(|v| {
            let mut a: Vec<usize> = election
                .ballots
                .ballot(v)
                .iter()
                .map(|&p| p as usize)
                .collect();
            a.sort_unstable();
            a.dedup();
            a
        })
        .collect();
    let sat_w: Vec<i128> = approvals
        .iter()
        .map(|a| {
            a.iter()
                .filter(|&&p| funded[p])
                .map(|&p| money.costs[p])
                .sum()
        })
        .collect();
    let mut supporters: Vec<Vec<usize>> = vec![vec![]; m];
    for (v, a) in approvals.iter().enumerate() {
        for &p in a {
            supporters[p].push(v);
        }
    }
    let mut search = JrSearch {
        election,
        money: &money,
        funded: &funded,
        approvals: &approvals,
        sat_w: &sat_w,
        n,
        axiom,
        nodes: 0,
        set: vec![],
        undecided: false,
        subset_nodes: 0,
    };
    for (p, group) in supporters.into_iter().enumerate() {
        match search.dfs(p, group, 0) {
            Ok(None) => {}
            Ok(Some(w)) => return JrCheck::Violated(w),
            Err(()) => {
                return JrCheck::NotDecided {
                    reason: format!("more than {JR_NODE_LIMIT} project sets to examine"),
                };
            }
        }
    }
    if search.undecided {
        return JrCheck::NotDecided {
            reason: format!(
                "some deserving group could be neither cleared nor refuted within {PJR_SUBSET_LIMIT} choices of members"
            ),
        };
    }
    JrCheck::Satisfied
}

struct JrSearch<'a> {
    election: &'a Election,
    money: &'a Money,
    funded: &'a [bool],
    approvals: &'a [Vec<usize>],
    sat_w: &'a [i128],
    n: i128,
    axiom: Jr,
    nodes: u64,
    set: Vec<usize>,
    /// Some set could be neither cleared nor refuted within the limits (PJR only).
    undecided: bool,
    /// Choices of members examined by [`JrSearch::thinly_covered`] so far.
    subset_nodes: u64,
}

impl JrSearch<'_> {
    /// Extends the current set with `p` (approved by all of `group`), checks
    /// it, then tries larger sets with projects after `p`.
    fn dfs(&mut self, p: usize, group: Vec<usize>, cost: i128) -> Result<Option<Witness>, ()> {
        self.nodes += 1;
        if self.nodes > JR_NODE_LIMIT {
            return Err(());
        }
        let cost = cost + self.money.costs[p];
        // Large enough: cost(T) × n <= |group| × budget.
        if cost * self.n > group.len() as i128 * self.money.budget {
            return Ok(None);
        }
        self.set.push(p);
        let result = match self.check(&group, cost) {
            Some(w) => Ok(Some(w)),
            None => self.extend(p, &group, cost),
        };
        self.set.pop();
        result
    }

    fn extend(&mut self, p: usize, group: &[usize], cost: i128) -> Result<Option<Witness>, ()> {
        for q in p + 1..self.election.projects.len() {
            let sub: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&v| self.approvals[v].binary_search(&q).is_ok())
                .collect();
            if sub.is_empty() {
                continue;
            }
            if let Some(w) = self.dfs(q, sub, cost)? {
                return Ok(Some(w));
            }
        }
        Ok(None)
    }

    /// `k` members of `group` whose funded approvals together cost less than
    /// `bound`, if there are any: `Ok(None)` when there are none, `Err` once
    /// the searches of one check have examined [`PJR_SUBSET_LIMIT`] choices
    /// in all (`nodes` counts them). Members with identical ballots cover the
    /// same projects, so the search chooses among distinct ballots, taking
    /// every copy of a chosen one (copies add members, not coverage); it is a
    /// branch and bound, ballots with the least funded approvals first, and a
    /// partial choice already covering `bound` is abandoned (adding members
    /// only covers more).
    fn thinly_covered(
        &self,
        group: &[usize],
        k: usize,
        bound: i128,
        nodes: &mut u64,
    ) -> Result<Option<Vec<usize>>, ()> {
        let mut members = group.to_vec();
        members.sort_by(|&a, &b| {
            (self.sat_w[a], &self.approvals[a]).cmp(&(self.sat_w[b], &self.approvals[b]))
        });
        // Distinct ballots, each with its voters.
        let mut kinds: Vec<Vec<usize>> = vec![];
        for v in members {
            match kinds.last_mut() {
                Some(last) if self.approvals[last[0]] == self.approvals[v] => last.push(v),
                _ => kinds.push(vec![v]),
            }
        }
        // Voters available from each kind onwards, for pruning.
        let mut after = vec![0usize; kinds.len() + 1];
        for i in (0..kinds.len()).rev() {
            after[i] = after[i + 1] + kinds[i].len();
        }
        let mut search = CoverSearch {
            jr: self,
            kinds: &kinds,
            after: &after,
            k,
            bound,
            count: vec![0u32; self.funded.len()],
            chosen: vec![],
            nodes,
        };
        if !search.dfs(0, 0, 0)? {
            return Ok(None);
        }
        let mut voters: Vec<usize> = search
            .chosen
            .iter()
            .flat_map(|&i| kinds[i].iter().copied())
            .collect();
        voters.truncate(k);
        Ok(Some(voters))
    }

    /// A witness if the group approving the current set `T` (cost `cost`) is
    /// under-represented.
    ///
    /// PJR looks at what the group's members approve together, so a smaller
    /// group is easier to under-represent and the hardest group is not simply
    /// "everyone": the whole group failing is a witness; any `k` members
    /// (`k` the smallest deserving size) including one whose own funded
    /// approvals reach the bound clears `T`; in between, the `k` members who
    /// together approve the least of the outcome are searched for, and `T`
    /// stays undecided only past [`PJR_SUBSET_LIMIT`].
    fn check(&mut self, group: &[usize], cost: i128) -> Option<Witness> {
        let missing = self
            .set
            .iter()
            .copied()
            .filter(|&q| !self.funded[q])
            .max_by_key(|&q| self.money.costs[q])?;
        let up_to_one = self.money.costs[missing];
        let violated: Vec<usize> = match self.axiom {
            // Some voter of every deserving group must be satisfied: the
            // largest failing group is everyone who is not.
            Jr::Ejr => group
                .iter()
                .copied()
                .filter(|&v| self.sat_w[v] + up_to_one < cost)
                .collect(),
            Jr::Pjr => {
                // Funded projects approved by at least one member.
                let mut covered = vec![false; self.funded.len()];
                let mut total = 0i128;
                for &v in group {
                    for &q in &self.approvals[v] {
                        if self.funded[q] && !covered[q] {
                            covered[q] = true;
                            total += self.money.costs[q];
                        }
                    }
                }
                // Smallest deserving size k: cost * n <= k * budget.
                let budget = self.money.budget.max(1);
                let k = ((cost * self.n + budget - 1) / budget).max(1) as usize;
                let mut own: Vec<i128> = group.iter().map(|&v| self.sat_w[v]).collect();
                own.sort_unstable();
                if own.get(k - 1).is_some_and(|&s| s + up_to_one >= cost) {
                    vec![]
                } else if total + up_to_one < cost {
                    group.to_vec()
                } else {
                    // In between: look for k members who together approve
                    // too little of the outcome (smaller groups do not deserve T).
                    let mut nodes = self.subset_nodes;
                    let found = self.thinly_covered(group, k, cost - up_to_one, &mut nodes);
                    self.subset_nodes = nodes;
                    match found {
                        Ok(members) => members.unwrap_or_default(),
                        Err(()) => {
                            self.undecided = true;
                            vec![]
                        }
                    }
                }
            }
        };
        // For EJR the unsatisfied voters must themselves be numerous enough.
        if violated.is_empty() || cost * self.n > violated.len() as i128 * self.money.budget {
            return None;
        }
        let e = self.election;
        Some(Witness {
            voters: violated
                .iter()
                .map(|&v| e.ballots.voter_ids[v].to_string())
                .collect(),
            projects: self.set.iter().map(|&q| e.projects[q].id.clone()).collect(),
            missing_project: e.projects[missing].id.clone(),
        })
    }
}

/// Gini and quantiles as plain numbers, for tables.
pub fn summary_rows(a: &Analysis) -> Vec<(String, String)> {
    let q = &a.quantiles;
    let jr = |c: &JrCheck| match c {
        JrCheck::Satisfied => "satisfied".to_string(),
        JrCheck::Violated(w) => format!(
            "VIOLATED: {} voters approving {{{}}} lack {}",
            w.voters.len(),
            w.projects.join(", "),
            w.missing_project
        ),
        JrCheck::NotDecided { reason } => format!("not decided ({reason})"),
    };
    vec![
        ("satisfaction".into(), a.satisfaction.clone()),
        ("voters".into(), a.voters.to_string()),
        ("mean".into(), format!("{:.4}", q.mean)),
        (
            "min / p10 / p25 / median".into(),
            format!("{} / {} / {} / {}", q.min, q.p10, q.p25, q.median),
        ),
        (
            "p75 / p90 / max".into(),
            format!("{} / {} / {}", q.p75, q.p90, q.max),
        ),
        (
            "share with nothing funded".into(),
            format!("{:.4}", a.share_nothing_funded),
        ),
        ("gini of satisfaction".into(), format!("{:.4}", a.gini)),
        ("EJR up to one".into(), jr(&a.ejr_up_to_one)),
        ("PJR up to one".into(), jr(&a.pjr_up_to_one)),
    ]
}

/// State of [`JrSearch::thinly_covered`]'s branch and bound.
struct CoverSearch<'s, 'a> {
    jr: &'s JrSearch<'a>,
    /// Distinct ballots of the group, each with its voters.
    kinds: &'s [Vec<usize>],
    /// Voters in `kinds[i..]`.
    after: &'s [usize],
    k: usize,
    bound: i128,
    /// Chosen voters approving each funded project.
    count: Vec<u32>,
    /// Indices of the chosen kinds.
    chosen: Vec<usize>,
    nodes: &'s mut u64,
}

impl CoverSearch<'_, '_> {
    /// Whether some choice among `kinds[next..]`, added to the current one
    /// (`taken` voters covering `covered`), reaches `k` voters below `bound`.
    fn dfs(&mut self, next: usize, taken: usize, covered: i128) -> Result<bool, ()> {
        if covered >= self.bound {
            return Ok(false);
        }
        if taken >= self.k {
            return Ok(true);
        }
        if self.after[next] < self.k - taken {
            return Ok(false);
        }
        *self.nodes += 1;
        if *self.nodes > PJR_SUBSET_LIMIT {
            return Err(());
        }
        let ballot = &self.jr.approvals[self.kinds[next][0]];
        let mut added = 0;
        for &q in ballot {
            if self.jr.funded[q] {
                if self.count[q] == 0 {
                    added += self.jr.money.costs[q];
                }
                self.count[q] += 1;
            }
        }
        self.chosen.push(next);
        let with = self.dfs(next + 1, taken + self.kinds[next].len(), covered + added);
        if matches!(with, Ok(true)) {
            return with;
        }
        self.chosen.pop();
        for &q in ballot {
            if self.jr.funded[q] {
                self.count[q] -= 1;
            }
        }
        with?;
        self.dfs(next + 1, taken, covered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pabulib::rules::tests::{Toy, ToyShape, election, lcg};
    use crate::pabulib::rules::{Rule, apply};
    use crate::pabulib::satisfaction::Satisfaction;

    #[test]
    fn distribution_and_gini_by_hand() {
        // c (100) cannot fit 40; greedy funds a (voter 3) and b (voter 4):
        // satisfactions 0, 0, 10, 30. pabutools' Gini: (n + 1 - 2 Σ v_(i)(n - i) / Σ v) / n
        // = (5 - 2 × (10 × 2 + 30 × 1) / 40) / 4 = 0.625.
        let e = election(
            VoteType::Approval,
            40,
            &[("a", 10), ("b", 30), ("c", 100)],
            &[&["c"], &["c"], &["a"], &["b"]],
            None,
        );
        let o = apply(&e, &Rule::Greedy, None).unwrap();
        let profile = SatProfile::new(&e, Satisfaction::Cost).unwrap();
        let a = analyze(&e, &profile, &o);
        assert!((a.gini - 0.625).abs() < 1e-12, "{}", a.gini);
        assert!((a.share_nothing_funded - 0.5).abs() < 1e-12);
        assert!(a.quantiles.median.abs() < 1e-12);
        assert!((a.quantiles.max - 30.0).abs() < 1e-12);
        assert!((a.quantiles.mean - 10.0).abs() < 1e-12);
        // Voters 1 and 2 (half the voters) could afford c? 100 × 4 > 2 × 40: no,
        // so nobody is owed anything: EJR and PJR hold.
        assert_eq!(a.ejr_up_to_one, JrCheck::Satisfied);
        assert_eq!(a.pjr_up_to_one, JrCheck::Satisfied);
    }

    /// pabutools' definitions literally: every group of voters, every set of projects.
    fn brute(e: &Election, selected: &[usize], axiom: Jr) -> bool {
        let n = e.ballots.len();
        let m = e.projects.len();
        let cost = |p: usize| e.projects[p].cost.to_integer().try_into().unwrap_or(0i64);
        let budget: i64 = e.budget.to_integer().try_into().unwrap();
        let approves = |v: usize, p: usize| e.ballots.ballot(v).contains(&(p as u32));
        let funded = |p: usize| selected.contains(&p);
        for group in 1u32..(1 << n) {
            let members: Vec<usize> = (0..n).filter(|v| group >> v & 1 == 1).collect();
            for set in 1u32..(1 << m) {
                let t: Vec<usize> = (0..m).filter(|p| set >> p & 1 == 1).collect();
                let ct: i64 = t.iter().map(|&p| cost(p)).sum();
                let cohesive = members.iter().all(|&v| t.iter().all(|&p| approves(v, p)))
                    && ct * n as i64 <= members.len() as i64 * budget;
                if !cohesive {
                    continue;
                }
                let up = t
                    .iter()
                    .filter(|&&p| !funded(p))
                    .map(|&p| cost(p))
                    .max()
                    .unwrap_or(0);
                let ok = match axiom {
                    Jr::Ejr => members.iter().any(|&v| {
                        let w: i64 = (0..m)
                            .filter(|&p| funded(p) && approves(v, p))
                            .map(cost)
                            .sum();
                        w + up >= ct
                    }),
                    Jr::Pjr => {
                        let w: i64 = (0..m)
                            .filter(|&p| funded(p) && members.iter().any(|&v| approves(v, p)))
                            .map(cost)
                            .sum();
                        w + up >= ct
                    }
                };
                if !ok {
                    return false;
                }
            }
        }
        true
    }

    #[test]
    fn ejr_and_pjr_up_to_one_match_the_definitions() {
        let mut s = 11u64;
        let mut decided = 0;
        let mut violations = 0;
        let shape = ToyShape {
            projects: (2, 4),
            cost: (1, 10),
            voters: (2, 5),
            approve_one_in: 2,
            budget: (5, 20),
        };
        for _ in 0..400 {
            let toy = Toy::draw(&mut s, &shape);
            let Toy {
                costs,
                ballots,
                budget,
            } = &toy;
            let budget = *budget;
            let e = toy.election();
            // Random outcomes within the budget, not only good ones.
            let mut selected = vec![];
            let mut spent = 0;
            for (p, cost) in costs.iter().enumerate() {
                if lcg(&mut s) % 2 == 0 && spent + cost.1 <= budget {
                    spent += cost.1;
                    selected.push(p);
                }
            }
            for axiom in [Jr::Ejr, Jr::Pjr] {
                let expected = brute(&e, &selected, axiom);
                match jr_up_to_one(&e, &selected, axiom) {
                    JrCheck::Satisfied => {
                        assert!(expected, "{axiom:?} {costs:?} {ballots:?} {selected:?}")
                    }
                    JrCheck::Violated(w) => {
                        assert!(!expected, "{axiom:?} {costs:?} {ballots:?} {selected:?}");
                        assert!(!w.voters.is_empty());
                        violations += 1;
                    }
                    JrCheck::NotDecided { .. } => continue,
                }
                decided += 1;
            }
        }
        assert!(decided > 700, "only {decided} of 800 checks decided");
        assert!(violations > 20, "only {violations} violations seen");
    }
}
