//! How a value is spread along a ranking by another variable: rows ordered
//! by `order` from the most disadvantaged (lowest) up, rows with equal
//! `order` forming one group. `values` are per person, `weights` people, as
//! everywhere in [`crate::metrics`].

use ndarray::ArrayView1;

use super::{
    MetricError, Result, Sample, check_amounts, check_finite, check_len, cumulative_curve,
    one_minus_twice_area, tie_groups,
};

fn ranked(
    metric: &'static str,
    values: ArrayView1<f64>,
    weights: ArrayView1<f64>,
    order: ArrayView1<f64>,
) -> Result<(Sample, Vec<Vec<usize>>)> {
    check_len(metric, "order", values.len(), order.len())?;
    check_finite(metric, "order", order)?;
    let s = Sample::new(metric, values, weights)?;
    let groups = s.ascending_groups(|r| order[r]);
    Ok((s, groups))
}

/// Concentration curve: points `[P_k, C_k]` with rows ordered by `order`
/// (most disadvantaged first), `P_k` the cumulative population share and
/// `C_k` the cumulative share of the total value. Above the diagonal: the
/// value is concentrated among the disadvantaged.
///
/// Why: the picture behind the concentration index, for charts.
pub fn concentration_curve(
    values: ArrayView1<f64>,
    weights: ArrayView1<f64>,
    order: ArrayView1<f64>,
) -> Result<Vec<[f64; 2]>> {
    let (s, groups) = ranked("concentration curve", values, weights, order)?;
    let mass: Vec<f64> = s.y.iter().zip(&s.p).map(|(y, p)| y * p).collect();
    Ok(cumulative_curve(&s.p, &mass, &groups))
}

/// Absolute (generalised) concentration index, grouped-data form with
/// fractional ranks: `ACI = sum_t f_t (2 R_t - 1) mu_t = mu x C`, where
/// group t (rows of equal `order`, most disadvantaged first) has population
/// share `f_t`, mean `mu_t` and fractional rank `R_t = sum_{s<t} f_s + f_t / 2`
/// (the midpoint of its slice of the population). Equals twice the weighted
/// covariance of value and rank. In the value's own units; as WHO
/// `healthequal::aci` (O'Donnell et al. 2008, ch. 8).
///
/// Why: the relative index hides scale; a gap of 10 euros per resident
/// between poor and rich districts matters whatever the mean.
pub fn absolute_concentration_index(
    values: ArrayView1<f64>,
    weights: ArrayView1<f64>,
    order: ArrayView1<f64>,
) -> Result<f64> {
    let (s, groups) = ranked("concentration index", values, weights, order)?;
    Ok(aci_of(&s, &groups))
}

pub(crate) fn aci_of(s: &Sample, groups: &[Vec<usize>]) -> f64 {
    let mut before = 0.0;
    let mut aci = 0.0;
    for g in groups {
        let f: f64 = g.iter().map(|&i| s.p[i]).sum();
        let rank = before + f / 2.0;
        aci += g.iter().map(|&i| s.p[i] * s.y[i]).sum::<f64>() * (2.0 * rank - 1.0);
        before += f;
    }
    aci
}

/// Relative concentration index: `C = ACI / mu = (2 / mu) sum_t f_t mu_t R_t - 1`
/// (see [`absolute_concentration_index`]), equal to one minus twice the area
/// under the concentration curve. In -1..1: negative = concentrated among the
/// disadvantaged (pro-poor), 0 = proportional to population, positive =
/// concentrated among the advantaged. Ranking a value by itself gives its
/// Gini index. As WHO `healthequal::rci` without the survey options.
///
/// Why: the standard measure of whether spending reaches the poor, from
/// health-equity work (Wagstaff, van Doorslaer, O'Donnell).
pub fn concentration_index(
    values: ArrayView1<f64>,
    weights: ArrayView1<f64>,
    order: ArrayView1<f64>,
) -> Result<f64> {
    let (s, groups) = ranked("concentration index", values, weights, order)?;
    Ok(aci_of(&s, &groups) / s.mean)
}

/// Suits index (Suits 1977): rows ordered by `order` (most disadvantaged
/// first), the curve of the cumulative share of `amounts` (what is
/// distributed: taxes, funding) against the cumulative share of `base`
/// (income, or an entitlement): `S = 1 - 2 x area under it`. 0 = amounts
/// exactly proportional to the base; negative = tilted toward the
/// disadvantaged beyond the base (for a tax, regressive; for spending,
/// pro-poor); positive = tilted toward the advantaged. With `base` equal to
/// population it is the concentration index of per-capita `amounts`.
///
/// Why: compares a distribution with a reference distribution instead of with
/// head counts: funding against need-weighted entitlements.
pub fn suits(
    amounts: ArrayView1<f64>,
    base: ArrayView1<f64>,
    order: ArrayView1<f64>,
) -> Result<f64> {
    const M: &str = "suits";
    if amounts.is_empty() {
        return Err(MetricError::Empty { metric: M });
    }
    check_len(M, "base", amounts.len(), base.len())?;
    check_len(M, "order", amounts.len(), order.len())?;
    check_amounts(M, "amounts", amounts)?;
    check_amounts(M, "base", base)?;
    check_finite(M, "order", order)?;
    let groups = tie_groups(&order.to_vec());
    let curve = cumulative_curve(&base.to_vec(), &amounts.to_vec(), &groups);
    Ok(one_minus_twice_area(&curve))
}

/// Share of the total (`sum_i w_i y_i`) reaching the most disadvantaged
/// `fraction` of the population, rows ordered by `order`. A group straddling
/// the cut is split in proportion to its population: if 8,000 of a
/// district's 10,000 residents fall inside the poorest fifth, 80% of its
/// funding counts (its funding is taken to be spread evenly over its
/// residents). Rows of equal `order` are one group, split together.
/// `fraction = 0.2` is the poorest quintile; equality gives `fraction`.
///
/// Why: the advocate's question, "how much reaches the poorest fifth?", in
/// one number.
pub fn bottom_share(
    values: ArrayView1<f64>,
    weights: ArrayView1<f64>,
    order: ArrayView1<f64>,
    fraction: f64,
) -> Result<f64> {
    if !(fraction > 0.0 && fraction <= 1.0) {
        return Err(MetricError::InvalidParameter {
            metric: "bottom share",
            name: "fraction",
            value: fraction,
            expected: "a population share in (0, 1]",
        });
    }
    let (s, groups) = ranked("bottom share", values, weights, order)?;
    let (mut pop, mut taken) = (0.0, 0.0);
    for g in &groups {
        let f: f64 = g.iter().map(|&i| s.p[i]).sum();
        let mass: f64 = g.iter().map(|&i| s.p[i] * s.y[i]).sum();
        let inside = ((fraction - pop) / f).clamp(0.0, 1.0);
        taken += inside * mass;
        pop += f;
        if pop >= fraction {
            break;
        }
    }
    Ok((taken / s.mean).min(1.0))
}
