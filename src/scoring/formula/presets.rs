//! The built-in formulas, each with a paragraph and its math, listed by
//! `participa formulas` and printed by `participa formulas show NAME`. Each is a
//! TOML file under `presets/` (data, like any user formula), commented so a
//! researcher can copy it into a scenario and edit it.

use serde::Deserialize;

use super::Formula;

/// A named, documented formula.
#[derive(Debug, Clone)]
pub struct Preset {
    pub name: &'static str,
    pub summary: &'static str,
    pub math: &'static str,
    /// The `[formula]` table as TOML.
    pub toml: &'static str,
    pub formula: Formula,
}

impl Preset {
    /// The TOML with the summary and math as a comment header, ready to paste into a scenario.
    pub fn to_toml(&self) -> String {
        let mut s = String::new();
        for line in wrap(self.summary, 86) {
            s.push_str(&format!("# {line}\n"));
        }
        s.push_str(&format!("#\n# {}\n\n", self.math));
        s.push_str(self.toml);
        s
    }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The themes of the bundled Porto Alegre scenario (and of the preset).
pub const DEFAULT_THEMES: [&str; 6] = [
    "sanitation",
    "paving",
    "housing",
    "health",
    "education",
    "social-assistance",
];

/// (name, summary, math, TOML)
const BUILT_IN: [(&str, &str, &str, &str); 8] = [
    (
        "population",
        "Shares by population alone: the null formula against which need weighting is judged. Madrid's 2023 district split of its participatory budget works this way.",
        "share_d = pop_d / sum_j pop_j",
        include_str!("presets/population.toml"),
    ),
    (
        "weighted-sum",
        "Population times a weighted sum of need indices (the default): need, poverty and infrastructure gap weigh the same. Indices are shares 0..1 and used as they are; set normalise = \"min-max\" or \"mean\" for indicators on other scales, and population = false to weight districts by their index alone.",
        "share_d ~ pop_d x sum_k w_k x_k,d   (w rescaled to sum 1)",
        include_str!("presets/weighted-sum.toml"),
    ),
    (
        "weighted-sum-min-max",
        "Like weighted-sum, but each index is first rescaled to 0..1 across districts, so the least needy district scores 0 on it. Stretches differences: a small spread in an index counts as much as a large one.",
        "share_d ~ pop_d x sum_k w_k (x_k,d - min_k) / (max_k - min_k)",
        include_str!("presets/weighted-sum-min-max.toml"),
    ),
    (
        "porto-alegre",
        "The Porto Alegre grade system with the weights commonly cited for the 2000s: for each theme, every region is graded 1..4 on lack of infrastructure (>75% -> 4, >50% -> 3, >25% -> 2, else 1), on population (>200,000 -> 4, 100,000-200,000 -> 3, 50,000-100,000 -> 2, else 1) and on the priority its assembly gave the theme (1st -> 4, 2nd -> 3, 3rd -> 2, 4th -> 1, unranked -> 0); points = 4 need + 2 population + 5 priority; each theme's money is split by its own points, and the pool among themes by their city-wide priority points. Ranks come from the indicators rank_<theme>, or in a scenario from the delegates' rankings.",
        "share_d = sum_t (P_t / sum_u P_u) x points_d,t / sum_j points_j,t",
        include_str!("presets/porto-alegre.toml"),
    ),
    (
        "multiplicative",
        "Population times a product of index powers: a district must score on every index at once; one index near zero sinks its share, unlike a sum. Exponents set each index's elasticity.",
        "share_d ~ pop_d x prod_k x_k,d ^ a_k",
        include_str!("presets/multiplicative.toml"),
    ),
    (
        "inverse-index",
        "Population divided by an HDI-like index (higher = better off). It redistributes far less than population x (1 - index): with HDI 0.6 against 0.9, inverse-index gives the poorer district 1.5x the per-capita share, (1 - index) gives it 4x. Needs an `hdi` indicator.",
        "share_d ~ pop_d / x_d",
        include_str!("presets/inverse-index.toml"),
    ),
    (
        "base-plus",
        "A fixed floor for every district plus a need-weighted part: 20% of the pool is split equally (small districts can still fund a project), 80% by the weighted-sum formula.",
        "share_d = base / n + (1 - base) x share'_d",
        include_str!("presets/base-plus.toml"),
    ),
    (
        "capped",
        "The weighted-sum formula with no district above 25% of the pool; what a capped district gives up is shared among the others in proportion to their shares, repeatedly, until no cap is exceeded (water-filling).",
        "share_d = min(cap_d, lambda x share'_d), lambda such that the shares sum to 1",
        include_str!("presets/capped.toml"),
    ),
];

#[derive(Deserialize)]
struct Wrapper {
    formula: Formula,
}

/// Parses a `[formula]` table.
pub fn parse_formula_table(text: &str) -> Result<Formula, toml::de::Error> {
    toml::from_str::<Wrapper>(text).map(|w| w.formula)
}

/// Every built-in formula.
pub fn presets() -> Vec<Preset> {
    BUILT_IN
        .iter()
        .map(|&(name, summary, math, toml)| Preset {
            name,
            summary,
            math,
            toml,
            // The files are part of the build and checked by the tests.
            formula: parse_formula_table(toml)
                .unwrap_or_else(|e| panic!("built-in formula {name}: {e}")),
        })
        .collect()
}

/// The built-in formula named `name`.
pub fn preset(name: &str) -> Option<Preset> {
    presets().into_iter().find(|p| p.name == name)
}
