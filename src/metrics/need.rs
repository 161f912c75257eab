//! Funding against need: does money follow need, and how much of each
//! district's entitlement did it receive?

use ndarray::ArrayView1;
use serde::{Deserialize, Serialize};

use super::{MetricError, Result, check_amounts, check_finite, check_len};

/// Below this relative spread a variable counts as constant.
const CONSTANT_TOLERANCE: f64 = 1e-12;

/// Weighted Pearson correlation of `x` and `y`:
/// `r = cov_w(x, y) / (sd_w(x) sd_w(y))`, moments taken with population
/// shares `p_i = w_i / sum w` (`cov_w = sum_i p_i (x_i - mean x)(y_i - mean y)`).
/// With population weights and districts as rows it is the correlation over
/// residents; with unit weights the ordinary Pearson r. Any sign of x and y.
///
/// Why: "does per-capita funding rise with need?" in one number, +1 =
/// perfectly in step. Undefined (an error) when either variable is constant.
pub fn correlation(
    x: ArrayView1<f64>,
    y: ArrayView1<f64>,
    weights: ArrayView1<f64>,
) -> Result<f64> {
    const M: &str = "correlation";
    if x.is_empty() {
        return Err(MetricError::Empty { metric: M });
    }
    check_len(M, "y", x.len(), y.len())?;
    check_len(M, "weights", x.len(), weights.len())?;
    check_finite(M, "x", x)?;
    check_finite(M, "y", y)?;
    let total = check_amounts(M, "weights", weights)?;
    let p = weights.mapv(|w| w / total);
    let (mx, my) = ((&p * &x).sum(), (&p * &y).sum());
    let dx = x.mapv(|v| v - mx);
    let dy = y.mapv(|v| v - my);
    let cov = (&p * &dx * &dy).sum();
    let vx = (&p * &dx * &dx).sum();
    let vy = (&p * &dy * &dy).sum();
    for (var, data, name) in [(vx, x, "x"), (vy, y, "y")] {
        let scale = data.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        if var.sqrt() <= CONSTANT_TOLERANCE * scale || var <= 0.0 {
            return Err(MetricError::Undefined {
                metric: M,
                reason: format!("`{name}` is the same in every row (of positive weight)"),
            });
        }
    }
    Ok((cov / (vx.sqrt() * vy.sqrt())).clamp(-1.0, 1.0))
}

/// Coverage of entitlements: smallest, mean and largest `funded / entitlement`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CoverageSummary {
    pub min: f64,
    /// Mean over rows, each counting once (not weighted by entitlement).
    pub mean: f64,
    pub max: f64,
}

/// Need coverage `c_d = funded_d / entitlement_d` per row (district): min,
/// mean (each district once) and max. 1 = funded exactly its need-weighted
/// entitlement. Every entitlement must be > 0 (a district entitled to nothing
/// has no coverage: leave it out), funding >= 0.
///
/// Why: the floor guarantees a share of each entitlement; the minimum
/// coverage shows the worst-served district at a glance.
pub fn coverage(funded: ArrayView1<f64>, entitlement: ArrayView1<f64>) -> Result<CoverageSummary> {
    const M: &str = "coverage";
    if funded.is_empty() {
        return Err(MetricError::Empty { metric: M });
    }
    check_len(M, "entitlement", funded.len(), entitlement.len())?;
    check_finite(M, "funded", funded)?;
    check_finite(M, "entitlement", entitlement)?;
    if let Some(index) = funded.iter().position(|v| *v < 0.0) {
        return Err(MetricError::Negative {
            metric: M,
            what: "funded",
            index,
            value: funded[index],
        });
    }
    if let Some(index) = entitlement.iter().position(|v| *v <= 0.0) {
        return Err(MetricError::OutOfRange {
            metric: M,
            what: "entitlement",
            index,
            value: entitlement[index],
            expected: "(0, infinity): a coverage needs a positive entitlement",
        });
    }
    let c = &funded / &entitlement;
    Ok(CoverageSummary {
        min: c.fold(f64::INFINITY, |m, v| m.min(*v)),
        mean: c.sum() / c.len() as f64,
        max: c.fold(f64::NEG_INFINITY, |m, v| m.max(*v)),
    })
}
