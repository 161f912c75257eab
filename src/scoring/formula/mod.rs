//! Need-weighting formulas: a district table in, each district's entitlement
//! share of the pool out. Formulas are data (a TOML table with a `kind`), so a
//! researcher can write a new weighting without touching code; `participa
//! formulas` lists the built-ins and `participa formulas show NAME` prints one
//! as TOML to copy and edit.
//!
//! * `population`: share_d = pop_d / sum pop. The null formula.
//! * `weighted-sum`: share_d proportional to pop_d x sum_k w_k norm(x_k,d) (or
//!   without pop_d when `population = false`), weights rescaled to sum 1, `norm`
//!   one of `none` (the standard indices are already 0..1), `min-max`
//!   ((x - min) / (max - min)) or `mean` (x / mean x).
//! * `porto-alegre`: the grade system, see [`porto_alegre`].
//! * `multiplicative`: share_d proportional to pop_d x prod_k x_k,d ^ a_k.
//! * `inverse-index`: share_d proportional to pop_d / x_d for an HDI-like index x
//!   (higher is better off).
//! * `base-plus`: a fixed part `base` of the pool split equally, the rest by another formula.
//! * `capped`: another formula with per-district caps, excess redistributed by water-filling.

pub mod capped;
pub mod porto_alegre;
mod presets;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use porto_alegre::PortoAlegre;
pub use presets::{DEFAULT_THEMES, Preset, parse_formula_table, preset, presets};

use crate::error::{FormulaError, Problem};
use crate::io::table::TextTable;
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
        Self::from_district_refs(&districts.iter().collect::<Vec<_>>())
    }

    pub fn from_district_refs(districts: &[&District]) -> Self {
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

    /// A table from a CSV or Parquet file with an `id` and a `population`
    /// column; every other column is a numeric indicator (a `parent` column is
    /// ignored here). Cells that are not numbers are reported with their line.
    pub fn from_text_table(t: &TextTable) -> Result<Self, Vec<Problem>> {
        let mut problems = t.check_columns(
            &["id", "population"],
            &t.columns.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut table = DistrictTable::default();
        for r in 0..t.rows() {
            table.ids.push(t.text(r, "id", &mut problems));
            let pop = t.number(r, "population", &mut problems);
            match pop {
                Some(p) if p > 0.0 => table.population.push(p),
                Some(p) => {
                    problems.push(t.problem(
                        r,
                        "population",
                        format!("population {p} is not positive"),
                        "population is the number of residents, > 0",
                    ));
                    table.population.push(f64::NAN);
                }
                None => {
                    if t.get(r, "population").is_none() {
                        problems.push(t.problem(
                            r,
                            "population",
                            "empty cell",
                            "fill in the population",
                        ));
                    }
                    table.population.push(f64::NAN);
                }
            }
        }
        for c in &t.columns {
            if c == "id" || c == "population" || c == "parent" || c == "name" {
                continue;
            }
            let col: Vec<f64> = (0..t.rows())
                .map(|r| t.number(r, c, &mut problems).unwrap_or(f64::NAN))
                .collect();
            table.indicators.insert(c.clone(), col);
        }
        let mut seen = std::collections::HashSet::new();
        for (r, id) in table.ids.iter().enumerate() {
            if !id.is_empty() && !seen.insert(id.clone()) {
                problems.push(t.problem(
                    r,
                    "id",
                    format!("duplicate district id `{id}`"),
                    "district ids must be unique",
                ));
            }
        }
        if t.rows() == 0 {
            problems.push(Problem::new(
                &t.path,
                "",
                "the table has no rows",
                "add one row per district",
            ));
        }
        if problems.is_empty() {
            Ok(table)
        } else {
            Err(problems)
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
    /// The Porto Alegre grade system.
    PortoAlegre(PortoAlegre),
    /// Population times a product of index powers.
    Multiplicative {
        exponents: BTreeMap<String, f64>,
        #[serde(default = "yes")]
        population: bool,
    },
    /// Population divided by an HDI-like index (higher = better off).
    InverseIndex {
        index: String,
        #[serde(default = "yes")]
        population: bool,
    },
    /// `base` of the pool split equally among districts, the rest by `then`.
    BasePlus { base: f64, then: Box<Formula> },
    /// `then`, with no district above its cap (a share of the pool).
    Capped {
        /// Cap for every district.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cap: Option<f64>,
        /// Per-district caps (id -> share), overriding `cap`.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        caps: BTreeMap<String, f64>,
        then: Box<Formula>,
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

fn invalid<T>(m: String) -> Result<T, FormulaError> {
    Err(FormulaError::Invalid(m))
}

fn check_map(
    what: &str,
    m: &BTreeMap<String, f64>,
    allow_negative: bool,
) -> Result<(), FormulaError> {
    if m.is_empty() {
        return invalid(format!("{what} needs at least one entry"));
    }
    for (k, w) in m {
        if !w.is_finite() || (!allow_negative && *w < 0.0) {
            return invalid(format!(
                "{what} `{k}` is {w}; it must be finite{}",
                if allow_negative { "" } else { " and >= 0" }
            ));
        }
    }
    Ok(())
}

impl Formula {
    pub fn kind(&self) -> &'static str {
        match self {
            Formula::Population => "population",
            Formula::WeightedSum { .. } => "weighted-sum",
            Formula::PortoAlegre(_) => "porto-alegre",
            Formula::Multiplicative { .. } => "multiplicative",
            Formula::InverseIndex { .. } => "inverse-index",
            Formula::BasePlus { .. } => "base-plus",
            Formula::Capped { .. } => "capped",
        }
    }

    /// Indicator names the formula reads (besides population).
    pub fn indicators(&self) -> Vec<String> {
        match self {
            Formula::Population => vec![],
            Formula::WeightedSum { weights, .. } => weights.keys().cloned().collect(),
            Formula::PortoAlegre(p) => p.indicators(),
            Formula::Multiplicative { exponents, .. } => exponents.keys().cloned().collect(),
            Formula::InverseIndex { index, .. } => vec![index.clone()],
            Formula::BasePlus { then, .. } | Formula::Capped { then, .. } => then.indicators(),
        }
    }

    /// Checks that need no data.
    pub fn check(&self) -> Result<(), FormulaError> {
        match self {
            Formula::Population => Ok(()),
            Formula::WeightedSum { weights, .. } => {
                check_map("weight", weights, false)?;
                if weights.values().sum::<f64>() <= 0.0 {
                    return invalid("all weights are zero".into());
                }
                Ok(())
            }
            Formula::PortoAlegre(p) => p.check(),
            Formula::Multiplicative { exponents, .. } => check_map("exponent", exponents, true),
            Formula::InverseIndex { index, .. } => {
                if index.is_empty() {
                    return invalid(
                        "inverse-index needs `index`, the indicator to divide by".into(),
                    );
                }
                Ok(())
            }
            Formula::BasePlus { base, then } => {
                if !(0.0..=1.0).contains(base) {
                    return invalid(format!(
                        "base is {base}; it is the share of the pool split equally, 0..1"
                    ));
                }
                then.check()
            }
            Formula::Capped { cap, caps, then } => {
                if cap.is_none() && caps.is_empty() {
                    return invalid(
                        "capped needs `cap` (every district) or `caps` (per district)".into(),
                    );
                }
                for c in cap.iter().chain(caps.values()) {
                    if !(c.is_finite() && *c > 0.0 && *c <= 1.0) {
                        return invalid(format!("cap {c} is outside (0, 1]"));
                    }
                }
                then.check()
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
                times_population(pts, table, *population)
            }
            Formula::PortoAlegre(p) => return Ok(p.breakdown(table)?.shares),
            Formula::Multiplicative {
                exponents,
                population,
            } => {
                let mut pts = vec![1.0; table.len()];
                for (name, a) in exponents {
                    for (d, (p, x)) in pts.iter_mut().zip(table.column(name)?).enumerate() {
                        if *x < 0.0 || (*x <= 0.0 && *a < 0.0) {
                            return invalid(format!(
                                "district `{}` has {name} = {x}, which cannot be raised to the power {a}",
                                table.ids[d]
                            ));
                        }
                        *p *= x.powf(*a);
                    }
                }
                times_population(pts, table, *population)
            }
            Formula::InverseIndex { index, population } => {
                let mut pts = Vec::with_capacity(table.len());
                for (d, x) in table.column(index)?.iter().enumerate() {
                    if *x <= 0.0 {
                        return invalid(format!(
                            "district `{}` has {index} = {x}; inverse-index divides by it, so it must be > 0",
                            table.ids[d]
                        ));
                    }
                    pts.push(1.0 / x);
                }
                times_population(pts, table, *population)
            }
            Formula::BasePlus { base, then } => {
                let inner = then.shares(table)?;
                let n = table.len() as f64;
                return Ok(inner.iter().map(|s| base / n + (1.0 - base) * s).collect());
            }
            Formula::Capped { cap, caps, then } => {
                let inner = then.shares(table)?;
                let limits: Vec<f64> = table
                    .ids
                    .iter()
                    .map(|id| caps.get(id).copied().or(*cap).unwrap_or(1.0))
                    .collect();
                return capped::water_fill(&inner, &limits);
            }
        };
        to_shares(points, self.kind())
    }
}

fn times_population(mut pts: Vec<f64>, table: &DistrictTable, population: bool) -> Vec<f64> {
    if population {
        for (p, pop) in pts.iter_mut().zip(&table.population) {
            *p *= pop;
        }
    }
    pts
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
                return invalid("mean normalisation of a column whose mean is not positive".into());
            }
            col.iter().map(|x| x / mean).collect()
        }
    })
}

#[cfg(test)]
mod tests;
