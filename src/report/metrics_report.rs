//! Equity metrics as text for the terminal: the `metrics` of a solve and the
//! report of `participa inequality`.

use super::text::Grid;
use crate::metrics::{AllocationMetrics, InequalitySummary, lorenz_ordinate};

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.4}"))
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{:.1}%", v * 100.0))
}

fn metric_grid() -> Grid {
    Grid::new(&[("metric", false), ("value", true), ("reading", false)])
}

/// The equity and satisfaction section of `participa solve`'s table output.
pub fn render_metrics_table(m: &AllocationMetrics, currency: &str) -> String {
    let mut g = metric_grid();
    let mut row = |name: &str, value: String, reading: &str| {
        g.row(vec![name.into(), value, reading.into()]);
    };
    row(
        "mean per capita",
        m.mean_per_capita
            .map_or_else(|| "-".into(), |v| format!("{v:.2} {currency}")),
        "district funding / population",
    );
    row(
        "gini",
        num(m.gini),
        "0 = equal per resident, 1 = one district has all",
    );
    row(
        "gini (districts unweighted)",
        num(m.gini_unweighted),
        "each district counts once",
    );
    row("theil T", num(m.theil_t), "sensitive to the best funded");
    row("theil L", num(m.theil_l), "sensitive to the least funded");
    for (eps, a) in &m.atkinson.0 {
        row(
            &format!("atkinson e={eps}"),
            num(Some(*a)),
            "share of funding lost to inequality",
        );
    }
    row("hoover", pct(m.hoover), "funding to move to equalise");
    row("wolfson", num(m.wolfson), "bipolarisation, 0..1");
    row(
        "concentration index",
        num(m.concentration_index),
        "by poverty: negative = toward the poorest",
    );
    row(
        "suits vs entitlement",
        num(m.suits_vs_entitlement),
        "0 = in proportion to entitlement",
    );
    row(
        "need correlation",
        num(m.need_correlation),
        "per capita vs entitlement per capita",
    );
    row(
        "poorest quintile share",
        pct(m.poorest_quintile_share),
        "of district funding; 20% = equal",
    );
    if let Some(c) = &m.coverage {
        row(
            "coverage min / mean / max",
            format!(
                "{} / {} / {}",
                pct(Some(c.min)),
                pct(Some(c.mean)),
                pct(Some(c.max))
            ),
            "funded / entitlement",
        );
    }
    let s = &m.satisfaction;
    row(
        "delegate satisfaction",
        pct(s.mean),
        &format!("share of each delegate's top {} funded", s.top_k),
    );
    for (group, v) in &s.by_group {
        row(&format!("  {group}"), pct(Some(*v)), "group mean");
    }
    let mut out = format!(
        "\nEquity across districts (per capita, population-weighted)\n{}",
        g.render()
    );
    for n in &m.notes {
        out.push_str(&format!("  undefined: {n}\n"));
    }
    out
}

/// `participa inequality`'s table output.
pub fn render_inequality_table(s: &InequalitySummary, title: &str) -> String {
    let mut g = metric_grid();
    let mut row = |name: &str, value: String, reading: &str| {
        g.row(vec![name.into(), value, reading.into()]);
    };
    row("n", s.n.to_string(), "rows");
    row("mean", format!("{:.4}", s.mean), "weighted mean");
    row("gini", num(Some(s.gini)), "0 = equal, 1 = one holds all");
    row("theil T", num(Some(s.theil_t)), "sensitive to the top");
    if let (Some(b), Some(w)) = (s.theil_between, s.theil_within) {
        row(
            "  between groups",
            num(Some(b)),
            "T if all had their group's mean",
        );
        row("  within groups", num(Some(w)), "T - between");
    }
    row("theil L", num(s.theil_l), "sensitive to the bottom");
    for (eps, a) in &s.atkinson.0 {
        row(
            &format!("atkinson e={eps}"),
            num(Some(*a)),
            "welfare lost to inequality",
        );
    }
    row("hoover", num(Some(s.hoover)), "share to move to equalise");
    row("wolfson", num(s.wolfson), "bipolarisation, 0..1");
    if let (Some(c), Some(a)) = (s.concentration_index, s.absolute_concentration_index) {
        row(
            "concentration index",
            num(Some(c)),
            "negative = toward the disadvantaged",
        );
        row(
            "absolute concentration",
            num(Some(a)),
            "mean x concentration index",
        );
    }
    for p in [0.2, 0.4, 0.5, 0.6, 0.8] {
        if let Ok(l) = lorenz_ordinate(&s.lorenz, p) {
            row(
                &format!("lorenz {:.0}%", p * 100.0),
                pct(Some(l)),
                &format!("held by the lowest {:.0}%", p * 100.0),
            );
        }
    }
    format!("{title}\n{}", g.render())
}
