//! The outputs of `participa solve`: the JSON document, the output folder and
//! the terminal report.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::format_amount;
use super::tables::{allocation_frame, districts_frame};
use super::text::Grid;
use crate::error::OutputError;
use crate::io::output::{OutputDir, write_csv, write_parquet, write_text};
use crate::metrics::{AllocationMetrics, MetricError, allocation_metrics};
use crate::model::Scenario;
use crate::solve::Allocation;

/// The whole result of a solve as written to `result.json` and by
/// `--format json`. Fields are only ever added, never renamed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultDocument {
    /// participa version that produced it.
    pub participa: String,
    #[serde(flatten)]
    pub allocation: Allocation,
    /// Equity across districts and delegates' satisfaction.
    pub metrics: AllocationMetrics,
}

impl ResultDocument {
    /// The document of an allocation of `scenario`, with its metrics.
    pub fn new(scenario: &Scenario, allocation: Allocation) -> Result<Self, MetricError> {
        Ok(ResultDocument {
            participa: env!("CARGO_PKG_VERSION").to_string(),
            metrics: allocation_metrics(scenario, &allocation)?,
            allocation,
        })
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

/// Writes `allocation.csv/.parquet`, `districts.csv/.parquet` and `result.json`
/// (`json`, the document's [`ResultDocument::to_json`], which the caller
/// may print as well) into `dir`, atomically. (Writing the proposals' tables
/// on a second thread was slower: 13.5 -> 15.5 ms for 1,000 proposals.)
pub fn write_solve_outputs(
    doc: &ResultDocument,
    json: &str,
    dir: &Path,
    force: bool,
) -> Result<PathBuf, OutputError> {
    let out = OutputDir::create(dir, force)?;
    let alloc = allocation_frame(&doc.allocation)?;
    let districts = districts_frame(&doc.allocation)?;
    write_csv(&alloc, &out.path("allocation.csv"))?;
    write_parquet(&alloc, &out.path("allocation.parquet"))?;
    write_csv(&districts, &out.path("districts.csv"))?;
    write_parquet(&districts, &out.path("districts.parquet"))?;
    write_text(json, &out.path("result.json"))?;
    out.commit()
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// A readable report of an allocation for the terminal.
pub fn render_solve_table(a: &Allocation) -> String {
    let cur = &a.currency;
    let mut s = String::new();
    s.push_str(&format!(
        "{} - rule {} ({}), status {}\n",
        a.scenario,
        a.rule,
        a.solver.as_deref().unwrap_or("no solver"),
        a.status.as_str()
    ));
    s.push_str(&format!(
        "pool {} {cur}, funded {} {cur} ({}), unspent {} {cur}; objective {:.4}",
        format_amount(a.pool),
        format_amount(a.funded_total),
        pct(a.funded_total / a.pool),
        format_amount(a.unspent),
        a.objective
    ));
    if let Some(g) = a.gap.filter(|g| *g > 0.0) {
        s.push_str(&format!(", gap to LP bound {:.3}%", g * 100.0));
    }
    s.push_str("\n\nProposals\n");
    let mut g = Grid::new(&[
        ("id", false),
        ("district", false),
        ("category", false),
        ("cost", true),
        ("score", true),
        ("funded", true),
        ("amount", true),
    ]);
    for p in &a.proposals {
        g.row(vec![
            p.id.clone(),
            p.district.clone(),
            p.category.clone(),
            format_amount(p.cost),
            format!("{:.2}", p.score),
            if p.funded_share > 0.0 {
                pct(p.funded_share)
            } else {
                "-".into()
            },
            format_amount(p.funded_amount),
        ]);
    }
    s.push_str(&g.render());
    s.push_str(&format!("\nDistricts ({cur})\n"));
    let mut g = Grid::new(&[
        ("id", false),
        ("population", true),
        ("entitlement", true),
        ("floor", true),
        ("funded", true),
        ("per capita", true),
        ("coverage", true),
    ]);
    for d in &a.districts {
        g.row(vec![
            d.id.clone(),
            format_amount(d.population),
            format_amount(d.entitlement),
            format_amount(d.floor),
            format_amount(d.funded),
            format!("{:.2}", d.funded_per_capita),
            pct(d.coverage),
        ]);
    }
    s.push_str(&g.render());
    if a.citywide_funded > 0.0 {
        s.push_str(&format!(
            "citywide proposals: {} {cur}\n",
            format_amount(a.citywide_funded)
        ));
    }
    if !a.shortfalls.is_empty() {
        s.push_str(&format!("\nShortfalls ({cur})\n"));
        let mut g = Grid::new(&[
            ("constraint", false),
            ("required", true),
            ("achieved", true),
            ("short by", true),
        ]);
        for f in &a.shortfalls {
            g.row(vec![
                f.constraint.clone(),
                format_amount(f.required),
                format_amount(f.achieved),
                format_amount(f.shortfall),
            ]);
        }
        s.push_str(&g.render());
        for d in &a.diagnosis {
            s.push_str(&format!("  why: {d}\n"));
        }
    }
    let priced: Vec<_> = a
        .shadow_prices
        .iter()
        .filter(|p| p.binding || p.shadow_price.abs() > 1e-12)
        .collect();
    if !priced.is_empty() {
        s.push_str(&format!(
            "\nBinding constraints and shadow prices (priority score per 1,000,000 {cur} more of the bound, LP relaxation)\n"
        ));
        let mut g = Grid::new(&[
            ("constraint", false),
            ("bound", true),
            ("used", true),
            ("binding", false),
            ("price per 1M", true),
        ]);
        for p in priced {
            g.row(vec![
                p.constraint.clone(),
                format_amount(p.bound),
                format_amount(p.activity),
                if p.binding { "yes".into() } else { "no".into() },
                format!("{:.4}", p.shadow_price * 1e6),
            ]);
        }
        s.push_str(&g.render());
    }
    for n in &a.notes {
        s.push_str(&format!("\nnote: {n}"));
    }
    if !a.notes.is_empty() {
        s.push('\n');
    }
    s
}
