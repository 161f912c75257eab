//! Need-weighting formulas: a district table in, each district's entitlement
//! share of the pool out. Formulas are data (a TOML table with a `kind`), so a
//! researcher can write a new weighting without touching code.
//!
//! * `population`: share_d = pop_d / sum pop. The null formula.
//! * `weighted-sum`: share_d proportional to pop_d^[population] x sum_k w_k x norm(x_k,d),
//!   with the weights rescaled to sum to 1 and `norm` one of `none` (indices are
//!   already 0..1), `min-max` ((x - min) / (max - min)) or `mean` (x / mean x).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::FormulaError;
use crate::model::District;

/// Columns a formula may read, one value per district.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DistrictTable {
    pub ids: Vec<String>,
    pub population: Vec<f64>,
    pub indicators: BTreeMap<String, Vec<f64>>,
}

impl DistrictTable {
    pub fn from_districts(districts: &[District]) -> Self {
        let mut indicators: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for (i, d) in districts.iter().enumerate() {
            for (k, v) in &d.indicators {
                indicators
                    .entry(k.clone())
                    .or_insert_with(|| vec![f64::NAN; districts.len()])[i] = *v;
            }
        }
        DistrictTable {
            ids: districts.iter().map(|d| d.id.clone()).collect(),
            population: districts.iter().map(|d| d.population).collect(),
            indicators,
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The column named `name` (`population` included), every value present.
    pub fn column(&self, name: &str) -> Result<&[f64], FormulaError> {
        if name == "population" {
            return Ok(&self.population);
        }
        let col = self
            .indicators
            .get(name)
            .ok_or_else(|| FormulaError::MissingIndicator {
                district: self.ids.first().cloned().unwrap_or_default(),
                indicator: name.to_string(),
            })?;
        if let Some(i) = col.iter().position(|v| v.is_nan()) {
            return Err(FormulaError::MissingIndicator {
                district: self.ids[i].clone(),
                indicator: name.to_string(),
            });
        }
        Ok(col)
    }
}

/// How indices are normalised before weighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Normalise {
    /// Use values as they are (the standard indices are already shares, 0..1).
    #[default]
    None,
    /// (x - min) / (max - min); a constant column becomes all ones.
    MinMax,
    /// x / mean(x).
    Mean,
}

/// A need-weighting formula.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Formula {
    /// Shares by population alone.
    Population,
    /// Population times a weighted sum of (normalised) indices.
    WeightedSum {
        weights: BTreeMap<String, f64>,
        #[serde(default)]
        normalise: Normalise,
        /// Multiply by population (true) or weight districts by their index alone (false).
        #[serde(default = "yes")]
        population: bool,
    },
}

fn yes() -> bool {
    true
}

impl Default for Formula {
    /// Equal weights on `need`, `poverty` and `infrastructure_gap`, times population.
    fn default() -> Self {
        Formula::WeightedSum {
            weights: [
                ("need".to_string(), 1.0),
                ("poverty".to_string(), 1.0),
                ("infrastructure_gap".to_string(), 1.0),
            ]
            .into_iter()
            .collect(),
            normalise: Normalise::None,
            population: true,
        }
    }
}

impl Formula {
    pub fn kind(&self) -> &'static str {
        match self {
            Formula::Population => "population",
            Formula::WeightedSum { .. } => "weighted-sum",
        }
    }

    /// Indicator names the formula reads (besides population).
    pub fn indicators(&self) -> Vec<String> {
        match self {
            Formula::Population => vec![],
            Formula::WeightedSum { weights, .. } => weights.keys().cloned().collect(),
        }
    }

    /// Checks that do not need data: weights finite, non-negative, not all zero.
    pub fn check(&self) -> Result<(), FormulaError> {
        match self {
            Formula::Population => Ok(()),
            Formula::WeightedSum { weights, .. } => {
                if weights.is_empty() {
                    return Err(FormulaError::Invalid(
                        "weighted-sum needs at least one weight".into(),
                    ));
                }
                for (k, w) in weights {
                    if !w.is_finite() || *w < 0.0 {
                        return Err(FormulaError::Invalid(format!(
                            "weight `{k}` is {w}; weights must be finite and >= 0"
                        )));
                    }
                }
                if weights.values().sum::<f64>() <= 0.0 {
                    return Err(FormulaError::Invalid("all weights are zero".into()));
                }
                Ok(())
            }
        }
    }

    /// Each district's entitlement share; the shares sum to 1.
    pub fn shares(&self, table: &DistrictTable) -> Result<Vec<f64>, FormulaError> {
        if table.is_empty() {
            return Err(FormulaError::Empty);
        }
        self.check()?;
        let points: Vec<f64> = match self {
            Formula::Population => table.population.clone(),
            Formula::WeightedSum {
                weights,
                normalise,
                population,
            } => {
                let total_w: f64 = weights.values().sum();
                let mut pts = vec![0.0; table.len()];
                for (name, w) in weights {
                    let col = normalised(table.column(name)?, *normalise)?;
                    for (p, x) in pts.iter_mut().zip(&col) {
                        *p += w / total_w * x;
                    }
                }
                if *population {
                    for (p, pop) in pts.iter_mut().zip(&table.population) {
                        *p *= pop;
                    }
                }
                pts
            }
        };
        to_shares(points, self.kind())
    }
}

/// Points to shares, refusing negative, non-finite or all-zero points.
pub fn to_shares(points: Vec<f64>, what: &str) -> Result<Vec<f64>, FormulaError> {
    if let Some(p) = points.iter().find(|p| !p.is_finite() || **p < 0.0) {
        return Err(FormulaError::Invalid(format!(
            "{what} gave a district {p} points; points must be finite and >= 0"
        )));
    }
    let total: f64 = points.iter().sum();
    if total <= 0.0 {
        return Err(FormulaError::AllZero(format!(
            "{what}: check the indices and weights"
        )));
    }
    Ok(points.into_iter().map(|p| p / total).collect())
}

fn normalised(col: &[f64], how: Normalise) -> Result<Vec<f64>, FormulaError> {
    Ok(match how {
        Normalise::None => col.to_vec(),
        Normalise::MinMax => {
            let min = col.iter().copied().fold(f64::INFINITY, f64::min);
            let max = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if max - min <= 0.0 {
                vec![1.0; col.len()]
            } else {
                col.iter().map(|x| (x - min) / (max - min)).collect()
            }
        }
        Normalise::Mean => {
            let mean = col.iter().sum::<f64>() / col.len() as f64;
            if mean <= 0.0 {
                return Err(FormulaError::Invalid(
                    "mean normalisation of a column whose mean is not positive".into(),
                ));
            }
            col.iter().map(|x| x / mean).collect()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> DistrictTable {
        DistrictTable {
            ids: vec!["a".into(), "b".into(), "c".into()],
            population: vec![100.0, 300.0, 600.0],
            indicators: [
                ("need".to_string(), vec![0.8, 0.4, 0.2]),
                ("poverty".to_string(), vec![0.5, 0.5, 0.1]),
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn population_shares() {
        let s = Formula::Population.shares(&table()).unwrap();
        assert_eq!(s, vec![0.1, 0.3, 0.6]);
    }

    #[test]
    fn weighted_sum_by_hand() {
        // weights 3:1 -> 0.75 need + 0.25 poverty
        // a: 0.75*0.8 + 0.25*0.5 = 0.725 x 100 = 72.5
        // b: 0.75*0.4 + 0.25*0.5 = 0.425 x 300 = 127.5
        // c: 0.75*0.2 + 0.25*0.1 = 0.175 x 600 = 105
        // total 305
        let f = Formula::WeightedSum {
            weights: [("need".to_string(), 3.0), ("poverty".to_string(), 1.0)]
                .into_iter()
                .collect(),
            normalise: Normalise::None,
            population: true,
        };
        let s = f.shares(&table()).unwrap();
        for (got, want) in s.iter().zip([72.5 / 305.0, 127.5 / 305.0, 105.0 / 305.0]) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
    }

    #[test]
    fn missing_indicator_is_named() {
        let f = Formula::WeightedSum {
            weights: [("hdi".to_string(), 1.0)].into_iter().collect(),
            normalise: Normalise::None,
            population: true,
        };
        let e = f.shares(&table()).unwrap_err();
        assert!(e.to_string().contains("hdi"), "{e}");
    }
}
