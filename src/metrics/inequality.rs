//! Inequality of one distribution: values `y_i` (per person) held by `w_i`
//! people each. Below, `p_i = w_i / sum w` is row i's population share and
//! `mu = sum_i p_i y_i` the mean. Every index here is scale invariant
//! (multiplying all values by c > 0 changes nothing) except the mean itself.

use ndarray::{Array1, ArrayView1};

use super::{MetricError, Result, Sample, cumulative_curve, group_rows, one_minus_twice_area};

/// Lorenz curve: points `[P_k, L_k]`, rows sorted by value from the lowest,
/// `P_k` the population share of the first k groups and `L_k` their share of
/// the total. Rows with equal values form one point (they lie on one straight
/// segment anyway). Starts at `[0, 0]`, ends at `[1, 1]`.
///
/// Why: it is the picture behind Gini, Hoover and Wolfson, and what a chart
/// of "who gets what share" draws. Needs values >= 0 with a positive total.
pub fn lorenz(values: ArrayView1<f64>, weights: ArrayView1<f64>) -> Result<Vec<[f64; 2]>> {
    let s = Sample::new("lorenz", values, weights)?;
    Ok(lorenz_of(&s))
}

pub(crate) fn lorenz_of(s: &Sample) -> Vec<[f64; 2]> {
    let groups = super::tie_groups(&s.y);
    let mass: Vec<f64> = s.y.iter().zip(&s.p).map(|(y, p)| y * p).collect();
    cumulative_curve(&s.p, &mass, &groups)
}

/// The ordinate of a piecewise-linear curve (a Lorenz curve) at population
/// share `p` in 0..=1, interpolating linearly between points: `L(0.5)` is the
/// share held by the poorer half. Exact for grouped data.
pub fn lorenz_ordinate(curve: &[[f64; 2]], p: f64) -> Result<f64> {
    if !(0.0..=1.0).contains(&p) {
        return Err(MetricError::InvalidParameter {
            metric: "lorenz ordinate",
            name: "p",
            value: p,
            expected: "a population share between 0 and 1",
        });
    }
    let first = curve.first().ok_or(MetricError::Empty {
        metric: "lorenz ordinate",
    })?;
    if p <= first[0] {
        return Ok(first[1]);
    }
    for w in curve.windows(2) {
        let ([x0, y0], [x1, y1]) = (w[0], w[1]);
        if p <= x1 {
            if x1 - x0 <= 0.0 {
                return Ok(y1);
            }
            return Ok(y0 + (y1 - y0) * (p - x0) / (x1 - x0));
        }
    }
    Ok(curve[curve.len() - 1][1])
}

/// Gini index of unweighted values (each row one person):
/// `G = sum_i sum_j |y_i - y_j| / (2 n^2 mu)`, 0 = all equal, (n-1)/n = one
/// row holds everything. The same as PySAL's `inequality.gini.Gini` (no
/// n/(n-1) small-sample correction).
///
/// Why: the standard single-number summary of inequality; with districts as
/// rows it treats each district as one voice regardless of its size.
pub fn gini(values: ArrayView1<f64>) -> Result<f64> {
    gini_weighted(values, Array1::ones(values.len()).view())
}

/// Population-weighted Gini index:
/// `G = sum_i sum_j p_i p_j |y_i - y_j| / (2 mu)`, computed as one minus twice
/// the area under the Lorenz curve, `G = 1 - sum_k (P_k - P_{k-1})(L_k + L_{k-1})`.
///
/// Why: with per-capita funding of districts weighted by population it is the
/// Gini over residents, each of whom receives their district's per-capita
/// amount, so a big district counts for its residents.
pub fn gini_weighted(values: ArrayView1<f64>, weights: ArrayView1<f64>) -> Result<f64> {
    let s = Sample::new("gini", values, weights)?;
    Ok(gini_of(&s))
}

pub(crate) fn gini_of(s: &Sample) -> f64 {
    one_minus_twice_area(&lorenz_of(s)).max(0.0)
}

/// Theil T of a validated sample with shares `p` summing to 1 (0 ln 0 = 0).
fn theil_t_parts(y: &[f64], p: &[f64]) -> f64 {
    let mu: f64 = y.iter().zip(p).map(|(y, p)| y * p).sum();
    y.iter()
        .zip(p)
        .filter(|(y, _)| **y > 0.0)
        .map(|(y, p)| p * (y / mu) * (y / mu).ln())
        .sum::<f64>()
        .max(0.0)
}

/// Theil T index (generalised entropy GE(1)):
/// `T = sum_i p_i (y_i / mu) ln(y_i / mu)`, with `0 ln 0 = 0`; 0 = all equal,
/// `ln(sum w / w_max)` at most. Unweighted it equals PySAL's `Theil`.
///
/// Why: unlike Gini it splits exactly into inequality between and within
/// groups (see [`theil_t_decomposition`]); it is most sensitive to the top.
pub fn theil_t(values: ArrayView1<f64>, weights: ArrayView1<f64>) -> Result<f64> {
    let s = Sample::new("theil_t", values, weights)?;
    Ok(theil_t_of(&s))
}

pub(crate) fn theil_t_of(s: &Sample) -> f64 {
    theil_t_parts(&s.y, &s.p)
}

/// Theil L index, the mean log deviation (GE(0)):
/// `L = sum_i p_i ln(mu / y_i)`. Needs every value (of positive weight) > 0.
///
/// Why: the counterpart of Theil T most sensitive to the bottom: a district
/// receiving almost nothing per resident drives it up; `1 - exp(-L)` is
/// Atkinson's index with epsilon = 1.
pub fn theil_l(values: ArrayView1<f64>, weights: ArrayView1<f64>) -> Result<f64> {
    let s = Sample::new("theil_l", values, weights)?;
    if let Some(k) = s.y.iter().position(|y| *y <= 0.0) {
        return Err(MetricError::NotPositive {
            metric: "theil_l",
            what: "values",
            index: s.rows[k],
        });
    }
    Ok(s.y
        .iter()
        .zip(&s.p)
        .map(|(y, p)| p * (s.mean / y).ln())
        .sum::<f64>()
        .max(0.0))
}

/// Theil T split by a grouping of the rows: `total = between + within`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TheilDecomposition {
    pub total: f64,
    /// `sum_g P_g (mu_g / mu) ln(mu_g / mu)`: Theil T if everyone had their group's mean.
    pub between: f64,
    /// `sum_g s_g T_g`, `s_g = P_g mu_g / mu` the group's share of the total.
    pub within: f64,
}

/// Theil T decomposed by `groups` (one key per row): between-group inequality
/// `sum_g P_g (mu_g/mu) ln(mu_g/mu)` and within-group inequality
/// `sum_g s_g T_g`, where `P_g` is the group's population share, `mu_g` its
/// mean, `s_g = P_g mu_g / mu` its share of the total and `T_g` its own Theil
/// T. Exactly `between + within = T`. A group holding nothing contributes 0.
/// Unweighted it equals PySAL's `TheilD` (`bg`, `wg`).
///
/// Why: to say how much of the inequality is between regions (or between
/// renters and owners) and how much inside them.
pub fn theil_t_decomposition<K: Ord + Clone>(
    values: ArrayView1<f64>,
    weights: ArrayView1<f64>,
    groups: &[K],
) -> Result<TheilDecomposition> {
    super::check_len("theil decomposition", "groups", values.len(), groups.len())?;
    let s = Sample::new("theil decomposition", values, weights)?;
    let keys: Vec<K> = s.rows.iter().map(|&r| groups[r].clone()).collect();
    let (mut between, mut within) = (0.0, 0.0);
    for rows in group_rows(&keys).values() {
        let pg: f64 = rows.iter().map(|&i| s.p[i]).sum();
        let mass: f64 = rows.iter().map(|&i| s.p[i] * s.y[i]).sum();
        if mass <= 0.0 {
            continue;
        }
        let mu_g = mass / pg;
        between += pg * (mu_g / s.mean) * (mu_g / s.mean).ln();
        let y: Vec<f64> = rows.iter().map(|&i| s.y[i]).collect();
        let p: Vec<f64> = rows.iter().map(|&i| s.p[i] / pg).collect();
        within += (mass / s.mean) * theil_t_parts(&y, &p);
    }
    Ok(TheilDecomposition {
        total: theil_t_parts(&s.y, &s.p),
        between: between.max(0.0),
        within,
    })
}

/// Atkinson index with inequality aversion `epsilon >= 0`:
/// `A = 1 - ede / mu`, where the equally distributed equivalent is
/// `ede = (sum_i p_i y_i^(1-epsilon))^(1/(1-epsilon))`, and for epsilon = 1 the
/// geometric mean `ede = exp(sum_i p_i ln y_i)`. epsilon = 0 gives 0; larger
/// epsilon weighs the worst-off more. With epsilon >= 1 a zero value makes
/// `ede` zero and `A = 1` (the limit; PySAL refuses zeros instead).
///
/// Why: it states a value judgement openly: `A = 0.2` means the same welfare
/// could be had with 20% less money shared equally.
pub fn atkinson(values: ArrayView1<f64>, weights: ArrayView1<f64>, epsilon: f64) -> Result<f64> {
    if !(epsilon.is_finite() && epsilon >= 0.0) {
        return Err(MetricError::InvalidParameter {
            metric: "atkinson",
            name: "epsilon",
            value: epsilon,
            expected: "a finite number >= 0",
        });
    }
    let s = Sample::new("atkinson", values, weights)?;
    Ok(atkinson_of(&s, epsilon))
}

/// Within this of 1, Atkinson's epsilon is 1 (the geometric-mean limit; the
/// power formula loses precision as 1 - epsilon goes to 0).
const EPSILON_ONE_TOLERANCE: f64 = 1e-9;

pub(crate) fn atkinson_of(s: &Sample, epsilon: f64) -> f64 {
    if epsilon == 0.0 {
        return 0.0;
    }
    if epsilon >= 1.0 && s.y.iter().any(|y| *y <= 0.0) {
        return 1.0;
    }
    let ede = if (epsilon - 1.0).abs() <= EPSILON_ONE_TOLERANCE {
        s.y.iter()
            .zip(&s.p)
            .map(|(y, p)| p * y.ln())
            .sum::<f64>()
            .exp()
    } else {
        let e = 1.0 - epsilon;
        s.y.iter()
            .zip(&s.p)
            .map(|(y, p)| p * y.powf(e))
            .sum::<f64>()
            .powf(1.0 / e)
    };
    (1.0 - ede / s.mean).clamp(0.0, 1.0)
}

/// Hoover (Robin Hood) index: `H = 1/2 sum_i |s_i - p_i|`, with `s_i` row i's
/// share of the total and `p_i` its population share; equivalently
/// `1/2 sum_i p_i |y_i/mu - 1|`, and the largest vertical gap between the
/// Lorenz curve and the diagonal (PySAL's `Schutz.distance`).
///
/// Why: the plainest reading of all: the share of the money that would have to
/// move from those above the mean to those below it to make everyone equal.
pub fn hoover(values: ArrayView1<f64>, weights: ArrayView1<f64>) -> Result<f64> {
    let s = Sample::new("hoover", values, weights)?;
    Ok(hoover_of(&s))
}

pub(crate) fn hoover_of(s: &Sample) -> f64 {
    0.5 * s
        .y
        .iter()
        .zip(&s.p)
        .map(|(y, p)| p * (y / s.mean - 1.0).abs())
        .sum::<f64>()
}

/// Relative tolerance for "the cumulative population share is exactly 1/2".
const HALF_TOLERANCE: f64 = 1e-12;

/// Weighted median: the value at which the cumulative population share,
/// rows sorted by value, reaches 1/2. When it reaches exactly 1/2 at the end
/// of a group, the mean of that value and the next (so unweighted data give
/// the usual median, numpy's `median`).
///
/// Why: the Wolfson index scales by it; it is the typical resident's level.
pub fn weighted_median(values: ArrayView1<f64>, weights: ArrayView1<f64>) -> Result<f64> {
    let s = Sample::new("median", values, weights)?;
    Ok(median_of(&s))
}

pub(crate) fn median_of(s: &Sample) -> f64 {
    let groups = super::tie_groups(&s.y);
    let mut cum = 0.0;
    for (k, g) in groups.iter().enumerate() {
        cum += g.iter().map(|&i| s.p[i]).sum::<f64>();
        let here = s.y[g[0]];
        if (cum - 0.5).abs() <= HALF_TOLERANCE {
            return match groups.get(k + 1) {
                Some(next) => (here + s.y[next[0]]) / 2.0,
                None => here,
            };
        }
        if cum > 0.5 {
            return here;
        }
    }
    s.y[groups[groups.len() - 1][0]]
}

/// Wolfson bipolarisation index (Wolfson 1994, "When inequalities diverge"):
/// `W = 2 (mu / m) (1 - 2 L(0.5) - G)`, with `m` the median, `L(0.5)` the
/// Lorenz ordinate at half the population and `G` the Gini index. 0 = no
/// polarisation, 1 = half the population has nothing and half shares
/// everything equally. This is Wolfson's normalised index, as in the World
/// Bank's PIP (`wbpip::md_compute_polarization`); PySAL's
/// `inequality.wolfson` returns half of it (it omits the leading 2).
///
/// Why: Gini can stay still while the middle empties; Wolfson rises when
/// districts split into a well-funded and a neglected camp.
pub fn wolfson(values: ArrayView1<f64>, weights: ArrayView1<f64>) -> Result<f64> {
    let s = Sample::new("wolfson", values, weights)?;
    wolfson_of(&s)
}

pub(crate) fn wolfson_of(s: &Sample) -> Result<f64> {
    let m = median_of(s);
    if m <= 0.0 {
        return Err(MetricError::Undefined {
            metric: "wolfson",
            reason: "the median is zero (at least half the population has nothing), and the index divides by it".into(),
        });
    }
    let l50 = lorenz_ordinate(&lorenz_of(s), 0.5)?;
    Ok(2.0 * (s.mean / m) * (1.0 - 2.0 * l50 - gini_of(s)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn lorenz_ordinate_interpolates() {
        let c = [[0.0, 0.0], [0.25, 0.1], [1.0, 1.0]];
        assert!((lorenz_ordinate(&c, 0.125).unwrap() - 0.05).abs() < 1e-15);
        assert!((lorenz_ordinate(&c, 0.625).unwrap() - 0.55).abs() < 1e-15);
        assert!(lorenz_ordinate(&c, 1.5).is_err());
    }

    #[test]
    fn median_even_and_odd() {
        let ones = |n| Array1::ones(n);
        assert!(
            (weighted_median(array![3.0, 1.0, 2.0].view(), ones(3).view()).unwrap() - 2.0).abs()
                < 1e-15
        );
        assert!(
            (weighted_median(array![4.0, 1.0, 2.0, 3.0].view(), ones(4).view()).unwrap() - 2.5)
                .abs()
                < 1e-15
        );
        // Weighted: 1 (weight 3) is more than half.
        assert!(
            (weighted_median(array![1.0, 10.0].view(), array![3.0, 1.0].view()).unwrap() - 1.0)
                .abs()
                < 1e-15
        );
    }
}
