//! Equity and satisfaction metrics: pure functions over ndarray views, grouped
//! by family.
//!
//! * [`inequality`]: how unequal one distribution is. Lorenz curve, Gini,
//!   Theil T and L (and T's between/within decomposition), Atkinson, Hoover,
//!   Wolfson.
//! * [`concentration`]: how a value is spread along a ranking by another
//!   variable (poverty, income). Concentration curve, relative and absolute
//!   concentration index, Suits index, the share reaching the poorest fifth.
//! * [`need`]: funding against need. Correlation, coverage of entitlements.
//! * [`satisfaction`]: delegates' top choices funded, and means per group.
//! * [`summary`]: every metric that applies to one table column (what
//!   `participa inequality` prints), and [`allocation`]: the `metrics` object
//!   of a solve result.
//!
//! Conventions shared by every function:
//! * `values` are levels per person (per-capita funding, income), `weights`
//!   are how many people each row stands for (population). Pass
//!   `Array1::ones(n)` for unweighted data: each row is then one person, and
//!   the results equal the textbook unweighted formulas (PySAL's `inequality`).
//!   A row of weight `w` is `w` identical people: the grouped-data form.
//! * Rows with zero weight are checked, then ignored.
//! * An `order` ranks rows from the most disadvantaged (lowest value) up, as
//!   in health-equity work (WHO `healthequal`): pass income or a rank with
//!   1 = poorest, or a negated poverty rate. Rows with equal `order` are one
//!   group and share a rank, so results never depend on row order.
//! * Bad input is an error ([`MetricError`]), never NaN: empty input,
//!   mismatched lengths, NaN or infinite numbers, negative values or weights,
//!   a zero total, a zero where a logarithm or division needs a positive
//!   value, a metric that is undefined on this data (constant variable,
//!   zero median).

pub mod allocation;
pub mod concentration;
pub mod inequality;
pub mod need;
pub mod satisfaction;
pub mod summary;

use std::collections::BTreeMap;

use ndarray::ArrayView1;

pub use allocation::{AllocationMetrics, allocation_metrics};
pub use concentration::{
    absolute_concentration_index, bottom_share, concentration_curve, concentration_index, suits,
};
pub use inequality::{
    TheilDecomposition, atkinson, gini, gini_weighted, hoover, lorenz, lorenz_ordinate, theil_l,
    theil_t, theil_t_decomposition, weighted_median, wolfson,
};
pub use need::{CoverageSummary, correlation, coverage};
pub use satisfaction::{delegate_satisfaction, group_means};
pub use summary::{EpsilonMap, InequalityInput, InequalitySummary, summarise};

/// Why a metric cannot be computed. `what` names the argument (`values`,
/// `weights`, `order`, ...) and `index` the row, so a caller reading a table
/// can point at the cell.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetricError {
    #[error("{metric}: no rows: a metric of an empty distribution is undefined")]
    Empty { metric: &'static str },
    #[error("{metric}: `{what}` has {got} entries but `values` has {expected}; give one per row")]
    LengthMismatch {
        metric: &'static str,
        what: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("{metric}: {what}[{index}] is {value}, not a finite number")]
    NotFinite {
        metric: &'static str,
        what: &'static str,
        index: usize,
        value: f64,
    },
    #[error("{metric}: {what}[{index}] is {value}; {metric} needs {what} >= 0")]
    Negative {
        metric: &'static str,
        what: &'static str,
        index: usize,
        value: f64,
    },
    #[error(
        "{metric}: {what}[{index}] is zero; {metric} takes the logarithm of every value, so each must be > 0"
    )]
    NotPositive {
        metric: &'static str,
        what: &'static str,
        index: usize,
    },
    #[error("{metric}: the {what} sum to zero, so there are no shares to compare")]
    ZeroTotal {
        metric: &'static str,
        what: &'static str,
    },
    #[error("{metric}: {what}[{index}] is {value}, outside {expected}")]
    OutOfRange {
        metric: &'static str,
        what: &'static str,
        index: usize,
        value: f64,
        expected: &'static str,
    },
    #[error("{metric}: parameter {name} = {value} is invalid: it must be {expected}")]
    InvalidParameter {
        metric: &'static str,
        name: &'static str,
        value: f64,
        expected: &'static str,
    },
    #[error("{metric} is undefined here: {reason}")]
    Undefined {
        metric: &'static str,
        reason: String,
    },
}

impl MetricError {
    /// The argument and row an error points at, when it points at one.
    pub fn cell(&self) -> Option<(&'static str, usize)> {
        match self {
            MetricError::NotFinite { what, index, .. }
            | MetricError::Negative { what, index, .. }
            | MetricError::NotPositive { what, index, .. }
            | MetricError::OutOfRange { what, index, .. } => Some((what, *index)),
            _ => None,
        }
    }
}

pub type Result<T, E = MetricError> = std::result::Result<T, E>;

pub(crate) fn check_len(
    metric: &'static str,
    what: &'static str,
    expected: usize,
    got: usize,
) -> Result<()> {
    if expected != got {
        return Err(MetricError::LengthMismatch {
            metric,
            what,
            expected,
            got,
        });
    }
    Ok(())
}

pub(crate) fn check_finite(
    metric: &'static str,
    what: &'static str,
    a: ArrayView1<f64>,
) -> Result<()> {
    match a.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(MetricError::NotFinite {
            metric,
            what,
            index,
            value: a[index],
        }),
        None => Ok(()),
    }
}

/// Finite and >= 0, with a positive total; returns the total.
pub(crate) fn check_amounts(
    metric: &'static str,
    what: &'static str,
    a: ArrayView1<f64>,
) -> Result<f64> {
    check_finite(metric, what, a)?;
    if let Some(index) = a.iter().position(|v| *v < 0.0) {
        return Err(MetricError::Negative {
            metric,
            what,
            index,
            value: a[index],
        });
    }
    let total: f64 = a.sum();
    if total <= 0.0 {
        return Err(MetricError::ZeroTotal { metric, what });
    }
    Ok(total)
}

/// A validated weighted distribution: the rows of positive weight, their
/// values, their population shares (summing to 1) and the weighted mean.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    /// Index of each kept row in the caller's arrays.
    pub rows: Vec<usize>,
    pub y: Vec<f64>,
    pub p: Vec<f64>,
    pub mean: f64,
}

impl Sample {
    /// Checks `values` (finite, >= 0, positive weighted total) and `weights`
    /// (one per value, finite, >= 0, positive total).
    pub fn new(
        metric: &'static str,
        values: ArrayView1<f64>,
        weights: ArrayView1<f64>,
    ) -> Result<Self> {
        if values.is_empty() {
            return Err(MetricError::Empty { metric });
        }
        check_len(metric, "weights", values.len(), weights.len())?;
        check_finite(metric, "values", values)?;
        if let Some(index) = values.iter().position(|v| *v < 0.0) {
            return Err(MetricError::Negative {
                metric,
                what: "values",
                index,
                value: values[index],
            });
        }
        let total_weight = check_amounts(metric, "weights", weights)?;
        let rows: Vec<usize> = (0..values.len()).filter(|&i| weights[i] > 0.0).collect();
        let y: Vec<f64> = rows.iter().map(|&i| values[i]).collect();
        let p: Vec<f64> = rows.iter().map(|&i| weights[i] / total_weight).collect();
        let mean: f64 = y.iter().zip(&p).map(|(y, p)| y * p).sum();
        if mean <= 0.0 {
            return Err(MetricError::ZeroTotal {
                metric,
                what: "values",
            });
        }
        Ok(Sample { rows, y, p, mean })
    }

    /// Kept rows grouped by equal `key` (indexed like the caller's arrays),
    /// groups in ascending key order; positions refer to `self.y` / `self.p`.
    pub fn ascending_groups(&self, key: impl Fn(usize) -> f64) -> Vec<Vec<usize>> {
        let keys: Vec<f64> = self.rows.iter().map(|&r| key(r)).collect();
        tie_groups(&keys)
    }
}

/// Positions `0..keys.len()` sorted by key and grouped where keys are equal.
pub(crate) fn tie_groups(keys: &[f64]) -> Vec<Vec<usize>> {
    let mut idx: Vec<usize> = (0..keys.len()).collect();
    idx.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in idx {
        match groups.last_mut() {
            Some(g) if keys[g[0]].total_cmp(&keys[i]).is_eq() => g.push(i),
            _ => groups.push(vec![i]),
        }
    }
    groups
}

/// The curve through (0, 0) and the cumulative shares of `x` and `y` after
/// each group, ending exactly at (1, 1). `x` and `y` are non-negative with
/// positive totals.
pub(crate) fn cumulative_curve(x: &[f64], y: &[f64], groups: &[Vec<usize>]) -> Vec<[f64; 2]> {
    let (tx, ty): (f64, f64) = (x.iter().sum(), y.iter().sum());
    let mut curve = Vec::with_capacity(groups.len() + 1);
    curve.push([0.0, 0.0]);
    let (mut cx, mut cy) = (0.0, 0.0);
    for g in groups {
        cx += g.iter().map(|&i| x[i]).sum::<f64>();
        cy += g.iter().map(|&i| y[i]).sum::<f64>();
        curve.push([(cx / tx).min(1.0), (cy / ty).min(1.0)]);
    }
    if let Some(last) = curve.last_mut() {
        *last = [1.0, 1.0];
    }
    curve
}

/// One minus twice the area under a curve from (0, 0) to (1, 1), by
/// trapezoids (exact for grouped data, whose curves are piecewise linear):
/// the Gini index of a Lorenz curve, the concentration index of a
/// concentration curve, the Suits index of a tax-base curve.
pub(crate) fn one_minus_twice_area(curve: &[[f64; 2]]) -> f64 {
    let area: f64 = curve
        .windows(2)
        .map(|w| (w[1][0] - w[0][0]) * (w[0][1] + w[1][1]) / 2.0)
        .sum();
    1.0 - 2.0 * area
}

/// Rows grouped by key, in key order: the positions of each group's rows.
pub(crate) fn group_rows<K: Ord + Clone>(keys: &[K]) -> BTreeMap<K, Vec<usize>> {
    let mut out: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        out.entry(k.clone()).or_default().push(i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn sample_drops_zero_weights_and_normalises() {
        let s = Sample::new(
            "t",
            array![1.0, 5.0, 3.0].view(),
            array![1.0, 0.0, 3.0].view(),
        )
        .unwrap();
        assert_eq!(s.rows, vec![0, 2]);
        assert_eq!(s.p, vec![0.25, 0.75]);
        assert!((s.mean - 2.5).abs() < 1e-15);
    }

    #[test]
    fn tie_groups_sort_and_merge() {
        assert_eq!(
            tie_groups(&[3.0, 1.0, 3.0, 2.0]),
            vec![vec![1], vec![3], vec![0, 2]]
        );
    }

    #[test]
    fn area_of_the_diagonal_gives_zero() {
        let c = [[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]];
        assert!(one_minus_twice_area(&c).abs() < 1e-15);
    }
}
