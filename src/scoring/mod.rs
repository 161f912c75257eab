//! Scoring: delegate rankings become proposal priority scores, and district
//! indices become entitlement shares (see [`formula`]).
//!
//! A ranking of length L gives position r (1-based) these points:
//! * Borda: L - r + 1 (the last ranked gets 1, an unranked proposal 0, so ranking
//!   something last still counts for more than leaving it out);
//! * Dowdall: 1 / r;
//! * top-k: 1 if r <= k, else 0 (approval of the first k).
//!
//! Tied proposals share the average of the points of the positions they occupy
//! together, so a tie never creates or destroys points.

pub mod entitlement;
pub mod formula;

pub use entitlement::{
    districts_from_table, districts_with_ranks, entitlement_shares, nested_shares, theme_ranks,
};

use serde::{Deserialize, Serialize};

use crate::model::{Ranking, Scenario};

/// How a ranking is turned into points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum ScoringRule {
    #[default]
    Borda,
    Dowdall,
    TopK {
        k: usize,
    },
}

impl ScoringRule {
    /// Points of the position `r` (1-based) in a ranking of `len` proposals.
    fn position_points(self, r: usize, len: usize) -> f64 {
        match self {
            ScoringRule::Borda => (len + 1 - r) as f64,
            ScoringRule::Dowdall => 1.0 / r as f64,
            ScoringRule::TopK { k } => {
                if r <= k {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    pub fn label(self) -> String {
        match self {
            ScoringRule::Borda => "borda".into(),
            ScoringRule::Dowdall => "dowdall".into(),
            ScoringRule::TopK { k } => format!("top-{k}"),
        }
    }
}

/// Points a ranking gives each proposal it names, as `(proposal index, points)`.
pub fn ranking_points(rule: ScoringRule, ranking: &Ranking) -> Vec<(usize, f64)> {
    let len = ranking.len();
    let mut out = Vec::with_capacity(len);
    let mut position = 1;
    for tier in &ranking.tiers {
        let t = tier.len();
        let shared: f64 = (position..position + t)
            .map(|r| rule.position_points(r, len))
            .sum::<f64>()
            / t as f64;
        out.extend(tier.iter().map(|&p| (p, shared)));
        position += t;
    }
    out
}

/// Each delegate's weight. Without re-weighting every delegate weighs 1. With it
/// (post-stratification), a delegate of group g weighs
/// `n x share_g / (n_g x sum of shares of groups that have delegates)`, so the
/// total weight stays n and each group's part of it equals its population share.
pub fn delegate_weights(scenario: &Scenario) -> Vec<f64> {
    let n = scenario.delegates.len();
    if !scenario.settings.reweight_groups || n == 0 {
        return vec![1.0; n];
    }
    let mut counts = vec![0usize; scenario.groups.len()];
    for d in &scenario.delegates {
        if let Some(g) = d.group {
            counts[g] += 1;
        }
    }
    let share = |g: usize| scenario.groups[g].population_share.unwrap_or(0.0);
    let present: f64 = (0..scenario.groups.len())
        .filter(|&g| counts[g] > 0)
        .map(share)
        .sum();
    scenario
        .delegates
        .iter()
        .map(|d| match d.group {
            Some(g) if present > 0.0 => n as f64 * share(g) / (counts[g] as f64 * present),
            _ => 1.0,
        })
        .collect()
}

/// Priority score of each proposal: the weighted sum of its points over delegates.
pub fn priority_scores(scenario: &Scenario) -> Vec<f64> {
    let weights = delegate_weights(scenario);
    let mut scores = vec![0.0; scenario.proposals.len()];
    for (d, w) in scenario.delegates.iter().zip(&weights) {
        for (p, pts) in ranking_points(scenario.settings.scoring, &d.ranking) {
            scores[p] += w * pts;
        }
    }
    scores
}

/// Need weight of each district: its entitlement share over its population share
/// (1 = funded exactly in proportion to population; 2 = twice that per resident).
pub fn need_weights(scenario: &Scenario, shares: &[f64]) -> Vec<f64> {
    let total = scenario.total_population();
    scenario
        .districts
        .iter()
        .zip(shares)
        .map(|(d, s)| s / (d.population / total))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking(tiers: &[&[usize]]) -> Ranking {
        Ranking {
            tiers: tiers.iter().map(|t| t.to_vec()).collect(),
        }
    }

    #[test]
    fn borda_with_a_tie() {
        // 4 ranked: positions 1..4 give 4,3,2,1; the tie on positions 2-3 shares (3+2)/2.
        let pts = ranking_points(ScoringRule::Borda, &ranking(&[&[7], &[3, 5], &[1]]));
        assert_eq!(pts, vec![(7, 4.0), (3, 2.5), (5, 2.5), (1, 1.0)]);
    }

    #[test]
    fn dowdall_with_a_tie() {
        // positions 1..3 give 1, 1/2, 1/3; the tie on 2-3 shares (1/2 + 1/3) / 2 = 5/12.
        let pts = ranking_points(ScoringRule::Dowdall, &ranking(&[&[0], &[1, 2]]));
        assert_eq!(pts[0], (0, 1.0));
        assert!((pts[1].1 - 5.0 / 12.0).abs() < 1e-15);
        assert!((pts[2].1 - 5.0 / 12.0).abs() < 1e-15);
    }

    #[test]
    fn top_k_splits_a_straddling_tie() {
        // k = 2, tie on positions 2-3: (1 + 0) / 2 each.
        let pts = ranking_points(ScoringRule::TopK { k: 2 }, &ranking(&[&[0], &[1, 2], &[3]]));
        assert_eq!(pts, vec![(0, 1.0), (1, 0.5), (2, 0.5), (3, 0.0)]);
    }
}
