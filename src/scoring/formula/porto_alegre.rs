//! The Porto Alegre grade system. For each theme (category) every region is
//! graded 1..4 on each criterion by bands (lack of the service, population) and
//! on the priority its assembly gave the theme (1st -> 4, 2nd -> 3, 3rd -> 2,
//! 4th -> 1, unranked -> 0). Its points for the theme are the weighted sum of
//! its grades; the theme's money is split by those points, so each theme is
//! shared by its own need. The pool is split among themes by their city-wide
//! priority points (the sum over regions of the priority grades), by rank
//! (`hierarchical`), or by fixed shares. Bands, weights and the switches are all
//! data, so other cities' variants are a TOML edit.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::DistrictTable;
use crate::error::FormulaError;

/// Where a criterion's value comes from.
pub const PRIORITY: &str = "priority";

/// A band: the value passes if it is `above` (strictly) or `at_least` the threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    pub grade: f64,
}

impl Band {
    fn passes(&self, v: f64) -> bool {
        self.above.is_some_and(|t| v > t) || self.at_least.is_some_and(|t| v >= t)
    }
}

/// One graded criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub name: String,
    pub weight: f64,
    /// An indicator name (`{theme}` is replaced by the theme, e.g. `lack_{theme}`),
    /// `population`, or `priority` (the region's rank of the theme, read from the
    /// indicator `rank_{theme}`, 0 = unranked).
    pub source: String,
    /// Multiplies the value before banding (100 turns shares into percentages).
    #[serde(default = "one")]
    pub scale: f64,
    /// Checked in order; the first band the value passes gives the grade.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
    /// The grade when no band matches.
    #[serde(default)]
    pub otherwise: f64,
    /// For `priority`: the grade of rank 1, 2, ...; unranked or beyond the list: 0.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rank_grades: Vec<f64>,
}

fn one() -> f64 {
    1.0
}

/// How the pool is split among themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeSplit {
    /// Each theme's share is its city-wide priority points over all themes' points.
    #[default]
    Proportional,
    /// Themes ranked by city-wide points (ties by listed order); with T themes
    /// the first gets weight T, the second T - 1, ... the last 1.
    Hierarchical,
    /// The shares given in `theme_shares`.
    Fixed,
}

/// The grade system's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortoAlegre {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The themes (proposal categories), in the order used to break ties.
    pub themes: Vec<String>,
    pub criteria: Vec<Criterion>,
    #[serde(default)]
    pub theme_split: ThemeSplit,
    /// For `theme_split = "fixed"`: theme -> share of the pool.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub theme_shares: BTreeMap<String, f64>,
    /// Regions that did not rank a theme get no money from it.
    #[serde(default)]
    pub exclude_unranked: bool,
}

/// One region's grades and points for one theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionGrades {
    pub id: String,
    pub rank: f64,
    /// Criterion name -> grade.
    pub grades: BTreeMap<String, f64>,
    pub points: f64,
    /// Share of the theme's money.
    pub share: f64,
}

/// One theme's split.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeBreakdown {
    pub theme: String,
    /// Sum over regions of their priority grades for this theme.
    pub citywide_points: f64,
    /// Share of the pool.
    pub share: f64,
    pub regions: Vec<RegionGrades>,
}

/// Every step of the computation, for explaining it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub themes: Vec<ThemeBreakdown>,
    /// Each region's share of the pool: sum over themes of theme share x region share.
    pub shares: Vec<f64>,
}

impl PortoAlegre {
    /// The preset with weights need 4, population 2, priority 5 (the set
    /// commonly cited for Porto Alegre in the 2000s) and the classic bands.
    pub fn preset_2000s(themes: Vec<String>) -> Self {
        PortoAlegre {
            label: Some("Porto Alegre grade system, weights commonly cited for the 2000s (need 4, population 2, priority 5)".into()),
            themes,
            criteria: vec![
                Criterion {
                    name: "need".into(),
                    weight: 4.0,
                    source: "infrastructure_gap".into(),
                    scale: 100.0,
                    bands: vec![
                        Band { above: Some(75.0), at_least: None, grade: 4.0 },
                        Band { above: Some(50.0), at_least: None, grade: 3.0 },
                        Band { above: Some(25.0), at_least: None, grade: 2.0 },
                    ],
                    otherwise: 1.0,
                    rank_grades: vec![],
                },
                Criterion {
                    name: "population".into(),
                    weight: 2.0,
                    source: "population".into(),
                    scale: 1.0,
                    bands: vec![
                        Band { above: Some(200_000.0), at_least: None, grade: 4.0 },
                        Band { above: None, at_least: Some(100_000.0), grade: 3.0 },
                        Band { above: None, at_least: Some(50_000.0), grade: 2.0 },
                    ],
                    otherwise: 1.0,
                    rank_grades: vec![],
                },
                Criterion {
                    name: "priority".into(),
                    weight: 5.0,
                    source: PRIORITY.into(),
                    scale: 1.0,
                    bands: vec![],
                    otherwise: 0.0,
                    rank_grades: vec![4.0, 3.0, 2.0, 1.0],
                },
            ],
            theme_split: ThemeSplit::Proportional,
            theme_shares: BTreeMap::new(),
            exclude_unranked: false,
        }
    }

    /// The grades of the priority criterion (4, 3, 2, 1 when there is none).
    fn rank_grades(&self) -> Vec<f64> {
        self.criteria
            .iter()
            .find(|c| c.source == PRIORITY)
            .map(|c| c.rank_grades.clone())
            .unwrap_or_else(|| vec![4.0, 3.0, 2.0, 1.0])
    }

    /// Columns read (with `{theme}` expanded), besides population.
    pub fn indicators(&self) -> Vec<String> {
        let mut out = Vec::new();
        for t in &self.themes {
            out.push(format!("rank_{t}"));
            for c in &self.criteria {
                if c.source != PRIORITY && c.source != "population" {
                    out.push(c.source.replace("{theme}", t));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    pub fn check(&self) -> Result<(), FormulaError> {
        let bad = |m: String| Err(FormulaError::Invalid(m));
        if self.themes.is_empty() {
            return bad("porto-alegre needs at least one theme".into());
        }
        if self.criteria.is_empty() {
            return bad("porto-alegre needs at least one criterion".into());
        }
        for c in &self.criteria {
            if !c.weight.is_finite() || c.weight < 0.0 {
                return bad(format!(
                    "criterion `{}` has weight {}; weights must be >= 0",
                    c.name, c.weight
                ));
            }
            if c.source == PRIORITY && c.rank_grades.is_empty() {
                return bad(format!(
                    "criterion `{}` reads priority but has no rank_grades (e.g. [4, 3, 2, 1])",
                    c.name
                ));
            }
        }
        if self.theme_split == ThemeSplit::Fixed {
            for t in &self.themes {
                match self.theme_shares.get(t) {
                    Some(s) if s.is_finite() && *s >= 0.0 => {}
                    _ => {
                        return bad(format!(
                            "theme_split is fixed but theme `{t}` has no share >= 0 in theme_shares"
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn grade(
        &self,
        c: &Criterion,
        table: &DistrictTable,
        theme: &str,
        d: usize,
        rank: f64,
    ) -> Result<f64, FormulaError> {
        if c.source == PRIORITY {
            let r = rank.round();
            return Ok(if r >= 1.0 && (r as usize) <= c.rank_grades.len() {
                c.rank_grades[r as usize - 1]
            } else {
                0.0
            });
        }
        let v = table.column(&c.source.replace("{theme}", theme))?[d] * c.scale;
        Ok(c.bands
            .iter()
            .find(|b| b.passes(v))
            .map_or(c.otherwise, |b| b.grade))
    }

    /// Every step: grades, points, theme shares, region shares.
    pub fn breakdown(&self, table: &DistrictTable) -> Result<Breakdown, FormulaError> {
        self.check()?;
        let n = table.len();
        let rank_grades = self.rank_grades();
        let mut themes = Vec::new();
        for t in &self.themes {
            let ranks = table.column(&format!("rank_{t}"))?.to_vec();
            let mut regions = Vec::new();
            let mut citywide = 0.0;
            for (d, &rank) in ranks.iter().enumerate() {
                let mut grades = BTreeMap::new();
                let mut points = 0.0;
                for c in &self.criteria {
                    let g = self.grade(c, table, t, d, rank)?;
                    points += c.weight * g;
                    grades.insert(c.name.clone(), g);
                }
                let r = rank.round();
                if r >= 1.0 && (r as usize) <= rank_grades.len() {
                    citywide += rank_grades[r as usize - 1];
                }
                if self.exclude_unranked && r < 1.0 {
                    points = 0.0;
                }
                regions.push(RegionGrades {
                    id: table.ids[d].clone(),
                    rank,
                    grades,
                    points,
                    share: 0.0,
                });
            }
            let total: f64 = regions.iter().map(|r| r.points).sum();
            for r in &mut regions {
                r.share = if total > 0.0 { r.points / total } else { 0.0 };
            }
            themes.push(ThemeBreakdown {
                theme: t.clone(),
                citywide_points: citywide,
                share: 0.0,
                regions,
            });
        }
        let weights: Vec<f64> = match self.theme_split {
            ThemeSplit::Proportional => themes.iter().map(|t| t.citywide_points).collect(),
            ThemeSplit::Fixed => self.themes.iter().map(|t| self.theme_shares[t]).collect(),
            ThemeSplit::Hierarchical => {
                let mut order: Vec<usize> = (0..themes.len()).collect();
                order.sort_by(|&a, &b| {
                    themes[b]
                        .citywide_points
                        .total_cmp(&themes[a].citywide_points)
                        .then(a.cmp(&b))
                });
                let mut w = vec![0.0; themes.len()];
                for (pos, &t) in order.iter().enumerate() {
                    w[t] = (themes.len() - pos) as f64;
                }
                w
            }
        };
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return Err(FormulaError::AllZero(
                "no region ranked any theme, so no theme has priority points".into(),
            ));
        }
        let mut shares = vec![0.0; n];
        for (t, w) in themes.iter_mut().zip(&weights) {
            t.share = w / total;
            let points: f64 = t.regions.iter().map(|r| r.points).sum();
            if t.share > 0.0 && points <= 0.0 {
                return Err(FormulaError::AllZero(format!(
                    "theme `{}` has a share of the pool but every region has 0 points for it",
                    t.theme
                )));
            }
            for (d, r) in t.regions.iter().enumerate() {
                shares[d] += t.share * r.share;
            }
        }
        Ok(Breakdown { themes, shares })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four regions, two themes (sanitation, paving), the 2000s preset.
    ///
    /// | region | population | gap  | rank sanitation | rank paving |
    /// | A      | 250,000    | 0.80 | 1               | 2           |
    /// | B      | 120,000    | 0.60 | 2               | 1           |
    /// | C      |  60,000    | 0.30 | 1               | 0 (unranked)|
    /// | D      |  30,000    | 0.10 | 0 (unranked)    | 1           |
    ///
    /// Grades (need by gap %, population, priority) and points = 4 need + 2 pop + 5 prio:
    /// sanitation: A 4,4,4 -> 16+8+20 = 44; B 3,3,3 -> 12+6+15 = 33;
    ///             C 2,2,4 -> 8+4+20 = 32;  D 1,1,0 -> 4+2+0 = 6;   total 115
    /// paving:     A 4,4,3 -> 16+8+15 = 39; B 3,3,4 -> 12+6+20 = 38;
    ///             C 2,2,0 -> 8+4+0 = 12;   D 1,1,4 -> 4+2+20 = 26; total 115
    /// City-wide priority points: sanitation 4+3+4+0 = 11, paving 3+4+0+4 = 11,
    /// so each theme gets half the pool (proportional) and
    /// A = (44 + 39) / 230 = 83/230, B = 71/230, C = 44/230, D = 32/230.
    fn table() -> DistrictTable {
        DistrictTable {
            ids: ["A", "B", "C", "D"].map(String::from).to_vec(),
            population: vec![250_000.0, 120_000.0, 60_000.0, 30_000.0],
            indicators: [
                ("infrastructure_gap".to_string(), vec![0.8, 0.6, 0.3, 0.1]),
                ("rank_sanitation".to_string(), vec![1.0, 2.0, 1.0, 0.0]),
                ("rank_paving".to_string(), vec![2.0, 1.0, 0.0, 1.0]),
            ]
            .into_iter()
            .collect(),
        }
    }

    fn preset() -> PortoAlegre {
        PortoAlegre::preset_2000s(vec!["sanitation".into(), "paving".into()])
    }

    #[test]
    fn four_regions_two_themes_by_hand() {
        let b = preset().breakdown(&table()).unwrap();
        let pts: Vec<Vec<f64>> = b
            .themes
            .iter()
            .map(|t| t.regions.iter().map(|r| r.points).collect())
            .collect();
        assert_eq!(
            pts,
            vec![vec![44.0, 33.0, 32.0, 6.0], vec![39.0, 38.0, 12.0, 26.0]]
        );
        assert!((b.themes[0].citywide_points - 11.0).abs() < 1e-12);
        assert!((b.themes[1].citywide_points - 11.0).abs() < 1e-12);
        for (got, want) in b.shares.iter().zip([83.0, 71.0, 44.0, 32.0]) {
            assert!((got - want / 230.0).abs() < 1e-12, "{got} vs {want}/230");
        }
    }

    #[test]
    fn excluding_unranked_regions() {
        // C gets nothing from paving, D nothing from sanitation:
        // sanitation 44,33,32,0 (109); paving 39,38,0,26 (103).
        let mut f = preset();
        f.exclude_unranked = true;
        let b = f.breakdown(&table()).unwrap();
        let want = [
            0.5 * 44.0 / 109.0 + 0.5 * 39.0 / 103.0,
            0.5 * 33.0 / 109.0 + 0.5 * 38.0 / 103.0,
            0.5 * 32.0 / 109.0,
            0.5 * 26.0 / 103.0,
        ];
        for (got, want) in b.shares.iter().zip(want) {
            assert!((got - want).abs() < 1e-12);
        }
    }

    #[test]
    fn hierarchical_theme_split() {
        // Make paving the top theme: D ranks it 1st and sanitation 2nd -> sanitation 14, paving 11.
        // Hierarchical: sanitation weight 2, paving 1 -> 2/3 and 1/3.
        let mut t = table();
        t.indicators.get_mut("rank_sanitation").unwrap()[3] = 2.0;
        let mut f = preset();
        f.theme_split = ThemeSplit::Hierarchical;
        let b = f.breakdown(&t).unwrap();
        assert!((b.themes[0].share - 2.0 / 3.0).abs() < 1e-12);
        assert!((b.themes[1].share - 1.0 / 3.0).abs() < 1e-12);
    }
}
