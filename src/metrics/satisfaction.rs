//! Delegate satisfaction: how much of what each delegate asked for first was
//! funded, and its mean per group (renters, owners, ...).

use std::collections::BTreeMap;

use ndarray::ArrayView1;

use super::{MetricError, Result, check_finite, group_rows};
use crate::model::Ranking;

/// A funded share this far outside 0..1 is an error, not solver rounding.
const SHARE_TOLERANCE: f64 = 1e-9;

/// Satisfaction of one delegate: the share of their top `k` proposals that
/// is funded, `sum_{p in top k} t_p x_p / sum_p t_p`, with `x_p` the funded
/// share of proposal p (a proposal funded in part counts by its funded share:
/// 40% of a park is 0.4 of a wish granted) and `t_p` its weight in the top k:
/// 1 for a proposal wholly inside, and for a tie straddling position k the
/// places left shared equally by its members (top-3 of `a > b = c = d`: `a`
/// weighs 1, `b`, `c`, `d` 2/3 each), the way scores share tied points. A
/// ranking shorter than k counts all its proposals. 0..1.
///
/// Why: a budget can be equitable across districts and still ignore what the
/// assemblies asked for; this measures the latter, delegate by delegate.
pub fn delegate_satisfaction(
    ranking: &Ranking,
    funded_share: ArrayView1<f64>,
    k: usize,
) -> Result<f64> {
    const M: &str = "satisfaction";
    if k == 0 {
        return Err(MetricError::InvalidParameter {
            metric: M,
            name: "k",
            value: 0.0,
            expected: "at least 1",
        });
    }
    if ranking.is_empty() {
        return Err(MetricError::Empty { metric: M });
    }
    check_finite(M, "funded_share", funded_share)?;
    let (mut places, mut got) = (0.0, 0.0);
    let mut filled = 0;
    for tier in &ranking.tiers {
        if filled >= k {
            break;
        }
        let take = (k - filled).min(tier.len());
        let weight = take as f64 / tier.len() as f64;
        for &p in tier {
            let x = *funded_share.get(p).ok_or(MetricError::LengthMismatch {
                metric: M,
                what: "funded_share",
                expected: p + 1,
                got: funded_share.len(),
            })?;
            if !(-SHARE_TOLERANCE..=1.0 + SHARE_TOLERANCE).contains(&x) {
                return Err(MetricError::OutOfRange {
                    metric: M,
                    what: "funded_share",
                    index: p,
                    value: x,
                    expected: "0..1",
                });
            }
            got += weight * x.clamp(0.0, 1.0);
        }
        places += take as f64;
        filled += take;
    }
    Ok(got / places)
}

/// Mean of `values` per group key, each row counting once: the mean
/// satisfaction of each group's delegates. Keys in sorted order.
///
/// Why: the capture problem: renters' delegates can be systematically less
/// satisfied than owners' even when the district split looks fair.
pub fn group_means<K: Ord + Clone>(
    values: ArrayView1<f64>,
    groups: &[K],
) -> Result<BTreeMap<K, f64>> {
    const M: &str = "group means";
    if values.is_empty() {
        return Err(MetricError::Empty { metric: M });
    }
    super::check_len(M, "groups", values.len(), groups.len())?;
    check_finite(M, "values", values)?;
    Ok(group_rows(groups)
        .into_iter()
        .map(|(k, rows)| {
            let m = rows.iter().map(|&i| values[i]).sum::<f64>() / rows.len() as f64;
            (k, m)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn straddling_tie_shares_the_places_left() {
        // top-3 of a > [b = c = d]: a weighs 1, b, c, d 2/3 each.
        // x = a 1, b 0, c 0.5, d 1: (1 + 2/3 (0 + 0.5 + 1)) / 3 = 2 / 3.
        let r = Ranking {
            tiers: vec![vec![0], vec![1, 2, 3]],
        };
        let s = delegate_satisfaction(&r, array![1.0, 0.0, 0.5, 1.0].view(), 3).unwrap();
        assert!((s - 2.0 / 3.0).abs() < 1e-15, "{s}");
    }

    #[test]
    fn short_ranking_counts_what_it_has() {
        let r = Ranking {
            tiers: vec![vec![1], vec![0]],
        };
        let s = delegate_satisfaction(&r, array![0.25, 1.0].view(), 3).unwrap();
        assert!((s - 0.625).abs() < 1e-15, "{s}");
    }

    #[test]
    fn errors() {
        let r = Ranking {
            tiers: vec![vec![5]],
        };
        assert!(matches!(
            delegate_satisfaction(&r, array![1.0].view(), 3),
            Err(MetricError::LengthMismatch { .. })
        ));
        assert!(matches!(
            delegate_satisfaction(&Ranking::default(), array![1.0].view(), 3),
            Err(MetricError::Empty { .. })
        ));
        let r = Ranking {
            tiers: vec![vec![0]],
        };
        assert!(matches!(
            delegate_satisfaction(&r, array![1.5].view(), 3),
            Err(MetricError::OutOfRange { .. })
        ));
        assert!(matches!(
            delegate_satisfaction(&r, array![1.0].view(), 0),
            Err(MetricError::InvalidParameter { .. })
        ));
    }
}
