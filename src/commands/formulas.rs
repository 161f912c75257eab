//! `participa formulas` and `participa entitlements`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use participa::error::Problems;
use participa::io::output::csv_bytes;
use participa::io::table::TextTable;
use participa::report::format_amount;
use participa::report::text::Grid;
use participa::scoring::formula::{DistrictTable, Formula, parse_formula_table, preset, presets};
use participa::scoring::{districts_from_table, districts_with_ranks, nested_shares};
use polars::prelude::*;

use crate::cli::{EntitlementsArgs, FormulasAction, RowsFormat};

pub fn formulas(action: Option<FormulasAction>) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match action {
        None => {
            for p in presets() {
                writeln!(
                    out,
                    "{}\n    {}\n    {}\n",
                    p.name,
                    wrap(p.summary, 88).join("\n    "),
                    p.math
                )?;
            }
            writeln!(
                out,
                "Print one as TOML to copy into a scenario: participa formulas show NAME"
            )?;
        }
        Some(FormulasAction::Show { name }) => {
            let p = preset(&name).with_context(|| {
                format!(
                    "no built-in formula `{name}`; the built-ins are: {}",
                    names()
                )
            })?;
            write!(out, "{}", p.to_toml())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn names() -> String {
    presets()
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        if !last.is_empty() && last.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// A preset name, or a TOML file with a formula (at the top level or under `[formula]`).
fn formula_arg(arg: &str) -> anyhow::Result<Formula> {
    if let Some(p) = preset(arg) {
        return Ok(p.formula);
    }
    let path = Path::new(arg);
    if !path.exists() {
        bail!(
            "`{arg}` is neither a built-in formula ({}) nor a file",
            names()
        );
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {arg}"))?;
    let has_table = text
        .parse::<toml::Table>()
        .map(|t| t.contains_key("formula"))
        .unwrap_or(false);
    let parsed = if has_table {
        parse_formula_table(&text)
    } else {
        toml::from_str::<Formula>(&text)
    };
    let f = parsed.map_err(|e| {
        anyhow::anyhow!(
            "{arg}: not a formula: {e}(see `participa formulas show NAME` for examples)"
        )
    })?;
    f.check()
        .with_context(|| format!("{arg}: invalid formula"))?;
    Ok(f)
}

pub fn entitlements(args: &EntitlementsArgs) -> anyhow::Result<ExitCode> {
    // Districts, pool, formula and deeper levels, from a table or a scenario.
    let (districts, pool, formula, levels, what) = match (&args.districts, &args.scenario) {
        (Some(path), _) => {
            let pool = args.pool.context("--pool is required with --districts")?;
            let formula = formula_arg(args.formula.as_deref().unwrap_or("weighted-sum"))?;
            let table =
                TextTable::read(path).map_err(|p| anyhow::anyhow!("{}", Problems(vec![p])))?;
            let districts =
                districts_from_table(&table).map_err(|p| anyhow::anyhow!("{}", Problems(p)))?;
            (
                districts,
                pool,
                formula,
                Default::default(),
                path.display().to_string(),
            )
        }
        (None, Some(path)) => {
            let sc = participa::load_scenario(path)?;
            let (formula, levels) = match &args.formula {
                Some(f) => (formula_arg(f)?, Default::default()),
                None => (sc.formula.clone(), sc.formula_levels.clone()),
            };
            let formulas: Vec<&Formula> =
                std::iter::once(&formula).chain(levels.values()).collect();
            let districts = districts_with_ranks(&sc, &formulas);
            (
                districts,
                args.pool.unwrap_or(sc.pool.amount),
                formula,
                levels,
                path.display().to_string(),
            )
        }
        (None, None) => bail!("give --districts FILE or --scenario FILE"),
    };
    if !(pool.is_finite() && pool > 0.0) {
        bail!("--pool must be a positive amount, got {pool}");
    }
    let shares = nested_shares(&districts, &formula, &levels)
        .with_context(|| format!("formula `{}` on {what}", formula.kind()))?;
    let ids: Vec<&str> = districts.iter().map(|d| d.id.as_str()).collect();
    let amounts: Vec<f64> = shares.iter().map(|s| s * pool).collect();
    let breakdown = match (&formula, args.explain) {
        (Formula::PortoAlegre(pa), true) => {
            let refs: Vec<_> = districts.iter().collect();
            Some(pa.breakdown(&DistrictTable::from_district_refs(&refs))?)
        }
        _ => None,
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        RowsFormat::Json => {
            let rows: Vec<serde_json::Value> = ids
                .iter()
                .zip(&shares)
                .zip(&amounts)
                .map(|((id, s), a)| serde_json::json!({ "id": id, "share": s, "amount": a }))
                .collect();
            let doc = match &breakdown {
                Some(b) => serde_json::json!({ "entitlements": rows, "themes": b.themes }),
                None => serde_json::Value::Array(rows),
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
            return Ok(ExitCode::SUCCESS);
        }
        RowsFormat::Csv => {
            let df =
                df!("id" => ids.clone(), "share" => shares.clone(), "amount" => amounts.clone())?;
            out.write_all(&csv_bytes(&df)?)?;
        }
        RowsFormat::Table => {
            let mut g = Grid::new(&[("id", false), ("share", true), ("amount", true)]);
            for ((id, s), a) in ids.iter().zip(&shares).zip(&amounts) {
                g.row(vec![
                    id.to_string(),
                    format!("{:.4}%", s * 100.0),
                    format_amount(*a),
                ]);
            }
            write!(out, "{}", g.render())?;
        }
    }
    if args.explain {
        match &breakdown {
            Some(b) => {
                for t in &b.themes {
                    writeln!(
                        out,
                        "\ntheme {}: city-wide priority points {}, {:.2}% of the pool",
                        t.theme,
                        t.citywide_points,
                        t.share * 100.0
                    )?;
                    let names: Vec<String> = t
                        .regions
                        .first()
                        .map(|r| r.grades.keys().cloned().collect())
                        .unwrap_or_default();
                    let mut cols: Vec<(&str, bool)> = vec![("region", false), ("rank", true)];
                    cols.extend(names.iter().map(|n| (n.as_str(), true)));
                    cols.extend([("points", true), ("share of theme", true)]);
                    let mut g = Grid::new(&cols);
                    for r in &t.regions {
                        let mut row = vec![r.id.clone(), format!("{}", r.rank)];
                        row.extend(names.iter().map(|n| format!("{}", r.grades[n])));
                        row.extend([format!("{}", r.points), format!("{:.2}%", r.share * 100.0)]);
                        g.row(row);
                    }
                    write!(out, "{}", g.render())?;
                }
            }
            None => writeln!(
                out,
                "\n--explain shows the grades of porto-alegre; `{}` has none: its math is in `participa formulas`",
                formula.kind()
            )?,
        }
    }
    Ok(ExitCode::SUCCESS)
}
