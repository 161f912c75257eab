//! `participa report`: one self-contained HTML page a council can open
//! offline: the scenarios in plain words, what was funded and why not, the
//! binding constraints and their prices, the equity metrics explained, and the
//! charts inlined as SVG. No scripts, no external fonts, images or styles; a
//! Content-Security-Policy forbids the page any request, should one creep in.

use std::fmt::Write as _;

use super::charts::{Chart, render_svg};
use super::compare::{Comparison, Run};
use super::explain::{METRICS, constraint_sentences, proposal_reasons};
use super::format_amount;
use crate::error::OutputError;
use crate::model::Scenario;
use crate::scoring::formula::Formula;

const STYLE: &str = r#"
:root { --ink: #1a1a1a; --muted: #555; --line: #ddd; --accent: #0072b2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 62rem; padding: 1rem; line-height: 1.5; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; } h2 { border-bottom: 2px solid var(--accent); padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { margin-bottom: 0.3rem; } .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; margin: 0.5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
.scroll { overflow-x: auto; }
figure { margin: 1.5rem 0; page-break-inside: avoid; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 0.9rem; }
.funded { color: #00734d; } .unfunded { color: #a33b00; }
@media (max-width: 40rem) { body { padding: 0.5rem; } table { font-size: 0.8rem; } }
@media print { body { max-width: none; } h2 { page-break-before: always; break-before: page; } h2:first-of-type { page-break-before: avoid; break-before: avoid; }
               a { color: inherit; text-decoration: none; } }
"#;

/// HTML-escapes text.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn pct(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |x| format!("{:.1}%", x * 100.0))
}

fn num(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |x| format!("{x:.3}"))
}

/// The formula in a sentence.
fn formula_words(f: &Formula) -> String {
    match f {
        Formula::Population => "in proportion to population".into(),
        Formula::WeightedSum {
            weights,
            population,
            ..
        } => {
            let total: f64 = weights.values().sum();
            let parts: Vec<String> = weights
                .iter()
                .map(|(k, w)| format!("{:.0}% {}", 100.0 * w / total, k.replace('_', " ")))
                .collect();
            format!(
                "{}a weighted sum of need indices ({})",
                if *population {
                    "by population times "
                } else {
                    "by "
                },
                parts.join(", ")
            )
        }
        Formula::PortoAlegre(p) => format!(
            "by the Porto Alegre grade system ({}), theme by theme",
            p.criteria
                .iter()
                .map(|c| format!("{} x{}", c.name, c.weight))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Formula::Multiplicative { .. } => "by population times a product of need indices".into(),
        Formula::InverseIndex { index, .. } => format!("by population divided by {index}"),
        Formula::BasePlus { base, then } => format!(
            "{:.0}% equally, the rest {}",
            base * 100.0,
            formula_words(then)
        ),
        Formula::Capped { then, .. } => format!("{}, capped per district", formula_words(then)),
    }
}

/// A scenario in plain words.
fn scenario_words(s: &Scenario) -> String {
    let cur = &s.pool.currency;
    let residents: f64 = s.total_population();
    let whole = s.proposals.iter().filter(|p| !p.divisible).count();
    let mut t = format!(
        "{} {cur} to share among {} districts ({} residents). {} proposals ({} can only be funded whole) are ranked by {} delegates ({} count). Each district's entitlement is set {}.",
        format_amount(s.pool.amount),
        s.districts.len(),
        format_amount(residents),
        s.proposals.len(),
        whole,
        s.delegates.len(),
        s.settings.scoring.label(),
        formula_words(&s.formula)
    );
    let c = &s.constraints;
    if c.entitlement_floor > 0.0 {
        let _ = write!(
            t,
            " Every district is guaranteed {:.0}% of its entitlement.",
            c.entitlement_floor * 100.0
        );
    }
    for cat in &c.categories {
        if let Some(m) = cat.min_share {
            let _ = write!(
                t,
                " At least {:.0}% of the pool goes to {}.",
                m * 100.0,
                cat.category
            );
        }
        if let Some(m) = cat.max_share {
            let _ = write!(t, " At most {:.0}% goes to {}.", m * 100.0, cat.category);
        }
    }
    for q in &c.quorums {
        let _ = write!(
            t,
            " Proposals that {} delegates put in their top {} receive at least {:.0}% of the pool.",
            s.groups[q.group].name,
            q.top_k,
            q.min_share * 100.0
        );
    }
    if !s.sources.is_empty() {
        let moved: Vec<String> = s
            .sources
            .iter()
            .filter(|b| b.moved > 0.0)
            .map(|b| format!("{} {cur} from {}", format_amount(b.moved), b.name))
            .collect();
        let _ = write!(
            t,
            " The pool is built from the budget: {}.",
            moved.join("; ")
        );
    }
    t
}

fn run_section(out: &mut String, run: &Run) {
    let a = &run.allocation;
    let cur = &a.currency;
    let _ = write!(
        out,
        "<h3>{}</h3><p>Rule <b>{}</b>, status <b>{}</b>: {} {cur} funded of {} ({} unspent).</p>",
        esc(&run.label),
        run.rule.as_str(),
        a.status.as_str(),
        format_amount(a.funded_total),
        format_amount(a.pool),
        format_amount(a.unspent)
    );
    let reasons = proposal_reasons(run);
    out.push_str("<div class=\"scroll\"><table><thead><tr><th>district</th><th>proposal</th><th class=\"num\">cost</th><th class=\"num\">funded</th><th>why</th></tr></thead><tbody>");
    // Districts in the scenario's order (citywide last), funded proposals first.
    let sc = &run.scenario;
    let order = |i: usize| sc.proposals[i].district.unwrap_or(usize::MAX);
    let mut idx: Vec<usize> = (0..a.proposals.len()).collect();
    idx.sort_by(|&x, &y| {
        order(x).cmp(&order(y)).then(
            a.proposals[y]
                .funded_share
                .total_cmp(&a.proposals[x].funded_share),
        )
    });
    for i in idx {
        let p = &a.proposals[i];
        let district = sc.proposals[i]
            .district
            .map_or("citywide", |d| sc.districts[d].name.as_str());
        let class = if p.funded_share > 0.0 {
            "funded"
        } else {
            "unfunded"
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num {class}\">{}</td><td>{}</td></tr>",
            esc(district),
            esc(&p.title),
            format_amount(p.cost),
            format_amount(p.funded_amount),
            esc(&reasons[i])
        );
    }
    out.push_str("</tbody></table></div>");
    if !a.shortfalls.is_empty() {
        out.push_str("<p><b>Guarantees not met:</b></p><ul>");
        for s in &a.shortfalls {
            let _ = write!(
                out,
                "<li>{}: {} {cur} required, {} achieved, short by {}.</li>",
                esc(&s.constraint),
                format_amount(s.required),
                format_amount(s.achieved),
                format_amount(s.shortfall)
            );
        }
        for d in &a.diagnosis {
            let _ = write!(out, "<li class=\"muted\">{}</li>", esc(d));
        }
        out.push_str("</ul>");
    }
    let sentences = constraint_sentences(run);
    if !sentences.is_empty() {
        out.push_str("<p><b>Binding constraints and what they cost</b> (from the linear relaxation):</p><ul>");
        for s in sentences {
            let _ = write!(out, "<li>{}</li>", esc(&s));
        }
        out.push_str("</ul>");
    }
}

fn figure<C: Chart>(
    out: &mut String,
    id: &str,
    chart: &C,
    caption: &str,
) -> Result<(), OutputError> {
    let svg = render_svg(chart)?;
    let _ = write!(
        out,
        "<figure id=\"chart-{id}\" class=\"chart\">{svg}<figcaption>{}</figcaption></figure>",
        esc(caption)
    );
    Ok(())
}

/// A sweep to show in the report: its plan and runs.
pub struct SweepSection<'a> {
    pub plan: &'a crate::sweep::SweepPlan,
    pub runs: &'a [crate::sweep::PointRun],
}

fn sweep_section(out: &mut String, s: &SweepSection) -> Result<(), OutputError> {
    let axis = &s.plan.axes[0].path;
    let cur = s
        .runs
        .first()
        .map(|r| r.allocation.currency.clone())
        .unwrap_or_default();
    let _ = write!(
        out,
        "<h2 id=\"sweep\">What if: {}</h2><p>The first scenario, run for every value of <code>{}</code>.</p>",
        esc(axis),
        esc(axis)
    );
    out.push_str("<div class=\"scroll\"><table><thead><tr><th class=\"num\">value</th><th>rule</th><th class=\"num\">pool</th><th class=\"num\">poorest fifth, per resident</th><th class=\"num\">Gini</th><th class=\"num\">min coverage</th></tr></thead><tbody>");
    for r in s.runs {
        let _ = write!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{} {cur}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            r.values
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            r.rule.as_str(),
            format_amount(r.allocation.pool),
            crate::sweep::poorest_quintile_per_capita(r)
                .map_or("n/a".into(), |v| format!("{v:.2} {cur}")),
            num(r.metrics.gini),
            pct(r.metrics.coverage.as_ref().map(|c| c.min)),
        );
    }
    out.push_str("</tbody></table></div>");
    for (stem, chart) in crate::sweep::sweep_charts(s.plan, s.runs) {
        figure(out, stem, &chart, &format!("Against {axis}."))?;
    }
    Ok(())
}

/// The whole report page, with an optional sweep ("what if") section.
pub fn report_html(cmp: &Comparison, sweep: Option<SweepSection>) -> Result<String, OutputError> {
    let title = cmp
        .runs
        .iter()
        .map(|r| r.label.as_str())
        .collect::<Vec<_>>()
        .join(" vs ");
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"><title>Participatory budget: {}</title><style>{STYLE}</style></head><body>",
        esc(&title)
    );
    let _ = write!(
        out,
        "<header><h1>Participatory budget: who gets what, and why</h1><p class=\"muted\">{} &middot; participa {}</p></header>",
        esc(&title),
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("<h2 id=\"scenarios\">The scenarios</h2>");
    let mut seen = Vec::new();
    for r in &cmp.runs {
        if seen.contains(&r.scenario.name) {
            continue;
        }
        seen.push(r.scenario.name.clone());
        let _ = write!(out, "<h3>{}</h3>", esc(&r.scenario.name));
        if !r.scenario.description.is_empty() {
            let _ = write!(out, "<p><i>{}</i></p>", esc(&r.scenario.description));
        }
        let _ = write!(out, "<p>{}</p>", esc(&scenario_words(&r.scenario)));
    }
    out.push_str("<h2 id=\"allocations\">What is funded, and why not</h2>");
    for r in &cmp.runs {
        run_section(&mut out, r);
    }
    out.push_str(
        "<h2 id=\"equity\">Equity</h2><div class=\"scroll\"><table><thead><tr><th>metric</th>",
    );
    for r in &cmp.runs {
        let _ = write!(out, "<th class=\"num\">{}</th>", esc(&r.label));
    }
    out.push_str("<th>how to read it</th></tr></thead><tbody>");
    for (name, help) in METRICS {
        let _ = write!(out, "<tr><td>{name}</td>");
        for r in &cmp.runs {
            let m = &r.metrics;
            let v = match name {
                "Gini (per resident)" => num(m.gini),
                "Concentration index (by poverty)" => num(m.concentration_index),
                "Poorest 20% of residents" => pct(m.poorest_quintile_share),
                "Theil T" => num(m.theil_t),
                "Atkinson (epsilon 1)" => num(m.atkinson.get("1")),
                "Hoover" => num(m.hoover),
                "Correlation with need" => num(m.need_correlation),
                "Minimum need coverage" => pct(m.coverage.as_ref().map(|c| c.min)),
                _ => pct(m.satisfaction.mean),
            };
            let _ = write!(out, "<td class=\"num\">{v}</td>");
        }
        let _ = write!(out, "<td class=\"muted\">{help}</td></tr>");
    }
    out.push_str("</tbody></table></div>");
    out.push_str("<h2 id=\"charts\">Charts</h2>");
    figure(
        &mut out,
        "per_capita",
        &cmp.per_capita_chart(),
        "Funding per resident in each district, poorest district first.",
    )?;
    figure(
        &mut out,
        "lorenz",
        &cmp.lorenz_chart(),
        "The further a curve sags below the equality line, the more unequal funding per resident is.",
    )?;
    figure(
        &mut out,
        "need_scatter",
        &cmp.need_scatter_chart(),
        "Each point is a district; a rising line means funding follows need.",
    )?;
    figure(
        &mut out,
        "coverage",
        &cmp.coverage_chart(),
        "Funding as a share of each district's need-weighted entitlement.",
    )?;
    figure(
        &mut out,
        "satisfaction",
        &cmp.satisfaction_chart(),
        "How much of their delegates' top three choices each group sees funded.",
    )?;
    figure(
        &mut out,
        "shadow_prices",
        &cmp.shadow_price_chart(),
        "Priority score given up for each further million guaranteed by a floor or quorum.",
    )?;
    for (stem, w) in cmp.waterfalls() {
        figure(
            &mut out,
            &stem,
            &w,
            "How the pool is built from the budget: what each line gives, and what it keeps.",
        )?;
    }
    if let Some(sw) = &sweep {
        sweep_section(&mut out, sw)?;
    }
    out.push_str("<footer class=\"muted\"><p>Made with participa. Scores are delegates' rankings counted by the scenario's rule; shadow prices come from the linear relaxation of the allocation program.</p></footer></body></html>\n");
    Ok(out)
}
