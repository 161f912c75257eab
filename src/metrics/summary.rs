//! Every metric that applies to one distribution, at once: what
//! `participa inequality` prints, and the per-capita part of a solve's
//! `metrics` object.

use ndarray::ArrayView1;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::concentration::aci_of;
use super::inequality::{
    atkinson_of, gini_of, hoover_of, lorenz_of, theil_l, theil_t_decomposition, theil_t_of,
    wolfson_of,
};
use super::{MetricError, Result, Sample, check_finite, check_len};

/// The Atkinson epsilons used when none are given.
pub const DEFAULT_EPSILONS: [(&str, f64); 3] = [("0.5", 0.5), ("1", 1.0), ("2", 2.0)];

/// Atkinson indices keyed by epsilon as the user wrote it ("0.5"), in the
/// order given; serialised as a JSON object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EpsilonMap(pub Vec<(String, f64)>);

impl EpsilonMap {
    pub fn get(&self, key: &str) -> Option<f64> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

impl Serialize for EpsilonMap {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for EpsilonMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let m: std::collections::BTreeMap<String, f64> = Deserialize::deserialize(d)?;
        Ok(EpsilonMap(m.into_iter().collect()))
    }
}

/// One distribution and what to compute on it.
#[derive(Debug, Clone)]
pub struct InequalityInput<'a> {
    /// Levels per person (per-capita funding, income); >= 0.
    pub values: ArrayView1<'a, f64>,
    /// People per row; all ones for unweighted data.
    pub weights: ArrayView1<'a, f64>,
    /// A group key per row: adds Theil T's between/within decomposition.
    pub groups: Option<&'a [String]>,
    /// A rank per row, most disadvantaged lowest: adds the concentration indices.
    pub order: Option<ArrayView1<'a, f64>>,
    /// Atkinson epsilons as `(label, value)`; see [`DEFAULT_EPSILONS`].
    pub epsilons: Vec<(String, f64)>,
}

/// The metrics of one distribution; field names are the JSON names of
/// `participa inequality --format json`. Fields are only ever added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InequalitySummary {
    /// Rows.
    pub n: usize,
    /// Weighted mean.
    pub mean: f64,
    pub gini: f64,
    pub theil_t: f64,
    /// Null when a value is zero (the index takes logarithms).
    pub theil_l: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theil_between: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theil_within: Option<f64>,
    pub atkinson: EpsilonMap,
    pub hoover: f64,
    /// Null when the median is zero.
    pub wolfson: Option<f64>,
    /// `[population share, value share]` points from `[0, 0]` to `[1, 1]`.
    pub lorenz: Vec<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concentration_index: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absolute_concentration_index: Option<f64>,
    /// Why each null metric is null; not part of the JSON.
    #[serde(skip)]
    pub undefined: Vec<MetricError>,
}

/// Computes every metric that applies. Errors when the distribution itself is
/// unusable (empty, negative, NaN, zero total, bad epsilon); a metric that is
/// undefined on valid data (Theil L with a zero, Wolfson with a zero median)
/// is `None` with the reason in `undefined`.
pub fn summarise(input: &InequalityInput) -> Result<InequalitySummary> {
    const M: &str = "inequality";
    let s = Sample::new(M, input.values, input.weights)?;
    for (_, e) in &input.epsilons {
        if !(e.is_finite() && *e >= 0.0) {
            return Err(MetricError::InvalidParameter {
                metric: "atkinson",
                name: "epsilon",
                value: *e,
                expected: "a finite number >= 0",
            });
        }
    }
    let mut undefined = Vec::new();
    let mut soft = |r: Result<f64>| r.map_err(|e| undefined.push(e)).ok();
    let theil_l = soft(theil_l(input.values, input.weights));
    let wolfson = soft(wolfson_of(&s));
    let decomposition = match input.groups {
        Some(g) => Some(theil_t_decomposition(input.values, input.weights, g)?),
        None => None,
    };
    let aci = match input.order {
        Some(order) => {
            check_len(M, "order", input.values.len(), order.len())?;
            check_finite(M, "order", order)?;
            Some(aci_of(&s, &s.ascending_groups(|r| order[r])))
        }
        None => None,
    };
    Ok(InequalitySummary {
        n: input.values.len(),
        mean: s.mean,
        gini: gini_of(&s),
        theil_t: decomposition.map_or_else(|| theil_t_of(&s), |d| d.total),
        theil_l,
        theil_between: decomposition.map(|d| d.between),
        theil_within: decomposition.map(|d| d.within),
        atkinson: EpsilonMap(
            input
                .epsilons
                .iter()
                .map(|(k, e)| (k.clone(), atkinson_of(&s, *e)))
                .collect(),
        ),
        hoover: hoover_of(&s),
        wolfson,
        lorenz: lorenz_of(&s),
        concentration_index: aci.map(|a| a / s.mean),
        absolute_concentration_index: aci,
        undefined,
    })
}
