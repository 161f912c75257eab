//! Entitlements: each district's share of the pool from the need formula,
//! top down through nested councils. The pool is split among top-level
//! districts by the level-1 formula; each district's share is split among its
//! children by the formula of the next level (the scenario's `formula` unless
//! `formula_levels` names another), and so on at any depth. A share is always a
//! share of the whole pool.

use std::collections::BTreeMap;

use super::formula::{DistrictTable, Formula};
use super::ranking_points;
use crate::error::FormulaError;
use crate::model::{District, Scenario};

/// Shares of the pool for districts that may be nested (`parent`), given the
/// formula of each level (1 = top; missing levels use `default`).
pub fn nested_shares(
    districts: &[District],
    default: &Formula,
    levels: &BTreeMap<usize, Formula>,
) -> Result<Vec<f64>, FormulaError> {
    let n = districts.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, d) in districts.iter().enumerate() {
        match d.parent {
            Some(p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    let mut shares = vec![0.0; n];
    // (members, level, share of the pool they split)
    let mut stack = vec![(roots, 1usize, 1.0)];
    while let Some((members, level, total)) = stack.pop() {
        if members.is_empty() {
            continue;
        }
        let refs: Vec<&District> = members.iter().map(|&i| &districts[i]).collect();
        let formula = levels.get(&level).unwrap_or(default);
        let split = formula.shares(&DistrictTable::from_district_refs(&refs))?;
        for (&i, s) in members.iter().zip(split) {
            shares[i] = total * s;
            stack.push((children[i].clone(), level + 1, shares[i]));
        }
    }
    Ok(shares)
}

/// Each district's entitlement share in a scenario. Formulas that read
/// `rank_<theme>` (Porto Alegre) get it from the districts' indicators, or,
/// when absent, from the delegates' rankings (see [`theme_ranks`]).
pub fn entitlement_shares(scenario: &Scenario) -> Result<Vec<f64>, FormulaError> {
    let formulas: Vec<&Formula> = std::iter::once(&scenario.formula)
        .chain(scenario.formula_levels.values())
        .collect();
    let districts = districts_with_ranks(scenario, &formulas);
    nested_shares(&districts, &scenario.formula, &scenario.formula_levels)
}

/// The scenario's districts with the `rank_<theme>` indicators the given
/// formulas read filled in from the delegates where a district lacks them.
pub fn districts_with_ranks(scenario: &Scenario, formulas: &[&Formula]) -> Vec<District> {
    let mut wanted: Vec<String> = formulas
        .iter()
        .flat_map(|f| f.indicators())
        .filter(|i| i.starts_with("rank_"))
        .filter(|i| {
            scenario
                .districts
                .iter()
                .any(|d| !d.indicators.contains_key(i))
        })
        .collect();
    wanted.sort();
    wanted.dedup();
    let mut districts = scenario.districts.clone();
    if wanted.is_empty() {
        return districts;
    }
    let themes: Vec<String> = wanted
        .iter()
        .map(|i| i.trim_start_matches("rank_").to_string())
        .collect();
    let ranks = theme_ranks(scenario, &themes);
    for (t, col) in themes.iter().zip(&ranks) {
        for (d, r) in districts.iter_mut().zip(col) {
            d.indicators.entry(format!("rank_{t}")).or_insert(*r);
        }
    }
    districts
}

/// The rank each district's assembly gives each theme, derived from its
/// delegates: a theme's points in a district are the points (scenario scoring
/// rule) its delegates gave proposals of that category; themes are ranked by
/// points, best = 1, ties by the order of `themes`; a theme with no points is
/// unranked (0). Returns one column per theme.
pub fn theme_ranks(scenario: &Scenario, themes: &[String]) -> Vec<Vec<f64>> {
    let nd = scenario.districts.len();
    let mut points = vec![vec![0.0; themes.len()]; nd];
    for del in &scenario.delegates {
        for (p, pts) in ranking_points(scenario.settings.scoring, &del.ranking) {
            let cat = &scenario.proposals[p].category;
            if let Some(t) = themes.iter().position(|t| t == cat) {
                points[del.district][t] += pts;
            }
        }
    }
    let mut ranks = vec![vec![0.0; nd]; themes.len()];
    for (d, row) in points.iter().enumerate() {
        let mut order: Vec<usize> = (0..themes.len()).filter(|&t| row[t] > 0.0).collect();
        order.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then(a.cmp(&b)));
        for (pos, &t) in order.iter().enumerate() {
            ranks[t][d] = (pos + 1) as f64;
        }
    }
    ranks
}

/// Districts from a CSV/Parquet table for `participa entitlements`: `id`,
/// `population`, an optional `parent` (nested councils) and any numeric
/// indicator columns. Problems carry the file, line and column.
pub fn districts_from_table(
    t: &crate::io::table::TextTable,
) -> Result<Vec<District>, Vec<crate::Problem>> {
    let table = DistrictTable::from_text_table(t)?;
    let mut districts: Vec<District> = (0..table.len())
        .map(|i| District {
            id: table.ids[i].clone(),
            name: table.ids[i].clone(),
            population: table.population[i],
            indicators: table
                .indicators
                .iter()
                .map(|(k, col)| (k.clone(), col[i]))
                .collect(),
            group_shares: BTreeMap::new(),
            parent: None,
        })
        .collect();
    let mut problems = Vec::new();
    for r in 0..t.rows() {
        if let Some(pid) = t.get(r, "parent") {
            match districts.iter().position(|d| d.id == pid) {
                Some(p) if p != r => districts[r].parent = Some(p),
                _ => problems.push(t.problem(
                    r,
                    "parent",
                    format!("parent `{pid}` is not another district of the table"),
                    "name the id of the region this district belongs to, or leave the cell empty",
                )),
            }
        }
    }
    // Cycles would loop forever when splitting top down.
    for i in 0..districts.len() {
        let mut cur = districts[i].parent;
        let mut steps = 0;
        while let Some(p) = cur {
            steps += 1;
            if steps > districts.len() {
                problems.push(t.problem(
                    i,
                    "parent",
                    "the parents form a cycle",
                    "every chain of parents must end at a district with no parent",
                ));
                break;
            }
            cur = districts[p].parent;
        }
    }
    if problems.is_empty() {
        Ok(districts)
    } else {
        Err(problems)
    }
}
