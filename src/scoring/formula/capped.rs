//! Caps on entitlement shares, with the excess redistributed by water-filling:
//! districts over their cap are fixed at it and the money they give up is
//! shared among the others in proportion to their uncapped shares, repeatedly,
//! until no cap is exceeded. The pool is conserved exactly.

use crate::error::FormulaError;

/// Shares above this much over a cap count as exceeding it.
const CAP_TOLERANCE: f64 = 1e-12;

/// `shares` (summing to 1) limited by `caps` (one per district).
pub fn water_fill(shares: &[f64], caps: &[f64]) -> Result<Vec<f64>, FormulaError> {
    let cap_total: f64 = caps.iter().sum();
    if cap_total < 1.0 - CAP_TOLERANCE {
        return Err(FormulaError::Invalid(format!(
            "the caps sum to {cap_total:.4} of the pool, less than 1: the pool cannot be shared within them"
        )));
    }
    let n = shares.len();
    let mut fixed = vec![false; n];
    let mut out = shares.to_vec();
    loop {
        let left: f64 = 1.0 - (0..n).filter(|&d| fixed[d]).map(|d| caps[d]).sum::<f64>();
        let base: f64 = (0..n).filter(|&d| !fixed[d]).map(|d| shares[d]).sum();
        if base <= 0.0 {
            if left > CAP_TOLERANCE {
                return Err(FormulaError::AllZero(format!(
                    "after capping, {left:.4} of the pool is left and the uncapped districts have zero weight"
                )));
            }
            break;
        }
        let mut changed = false;
        for d in 0..n {
            if !fixed[d] {
                out[d] = shares[d] / base * left;
            }
        }
        for d in 0..n {
            if !fixed[d] && out[d] > caps[d] + CAP_TOLERANCE {
                fixed[d] = true;
                out[d] = caps[d];
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn by_hand() {
        // 0.6, 0.3, 0.1 with a cap of 0.4 each: the first is fixed at 0.4 and the
        // remaining 0.6 is shared 3:1 -> 0.45 and 0.15; the second now exceeds its
        // cap and is fixed at 0.4, the third takes the rest: 0.2.
        let s = water_fill(&[0.6, 0.3, 0.1], &[0.4, 0.4, 0.4]).unwrap();
        for (g, w) in s.iter().zip([0.4, 0.4, 0.2]) {
            assert!((g - w).abs() < 1e-12, "{s:?}");
        }
    }

    #[test]
    fn caps_below_the_pool_are_an_error() {
        assert!(water_fill(&[0.5, 0.5], &[0.3, 0.3]).is_err());
    }

    proptest! {
        #[test]
        fn conserves_the_pool_and_respects_caps(
            raw in proptest::collection::vec(0.01f64..10.0, 2..12),
            cap in 0.05f64..1.0,
        ) {
            let total: f64 = raw.iter().sum();
            let shares: Vec<f64> = raw.iter().map(|x| x / total).collect();
            let cap = cap.max(1.0 / shares.len() as f64 + 1e-9);
            let caps = vec![cap; shares.len()];
            let s = water_fill(&shares, &caps).unwrap();
            prop_assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            for (x, c) in s.iter().zip(&caps) {
                prop_assert!(*x <= c + 1e-9);
            }
            // Uncapped districts keep their relative sizes.
            for i in 0..s.len() {
                for j in 0..s.len() {
                    if s[i] < caps[i] - 1e-9 && s[j] < caps[j] - 1e-9 {
                        prop_assert!((s[i] * shares[j] - s[j] * shares[i]).abs() < 1e-9);
                    }
                }
            }
        }
    }
}
