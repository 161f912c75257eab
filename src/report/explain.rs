//! Plain-language explanations for the report: why a proposal was not funded,
//! what a binding constraint costs, what each metric means.

use super::compare::Run;
use super::format_amount;
use crate::model::RuleName;
use crate::solve::ConstraintKind;

/// Per proposal (in scenario order): "funded", or why not (fully).
pub fn proposal_reasons(run: &Run) -> Vec<String> {
    let a = &run.allocation;
    let cur = &a.currency;
    let tol = 1e-7 * a.pool;
    let budget_price = a
        .shadow_prices
        .iter()
        .find(|p| p.kind == ConstraintKind::Budget)
        .map(|p| p.shadow_price);
    // Greedy: replay the queue to know what was left when each proposal's turn came.
    let mut left_at_turn = vec![0.0; a.proposals.len()];
    if run.rule == RuleName::Greedy {
        let mut order: Vec<usize> = (0..a.proposals.len()).collect();
        order.sort_by(|&x, &y| {
            a.proposals[y]
                .score
                .total_cmp(&a.proposals[x].score)
                .then_with(|| a.proposals[x].id.cmp(&a.proposals[y].id))
        });
        let mut left = a.pool;
        for p in order {
            left_at_turn[p] = left;
            left -= a.proposals[p].funded_amount;
        }
    }
    a.proposals
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if p.funded_share >= 1.0 - 1e-9 {
                return "funded".to_string();
            }
            let partly = if p.funded_share > 0.0 { format!("partly funded ({:.0}%): ", p.funded_share * 100.0) } else { String::new() };
            // A cap that this proposal would push over.
            let cap = a.shadow_prices.iter().find(|c| {
                matches!(c.kind, ConstraintKind::DistrictCap | ConstraintKind::CategoryCap)
                    && run_constraint_counts(run, &c.constraint, i)
                    && c.activity + p.cost * (1.0 - p.funded_share) > c.bound + tol
            });
            if let Some(c) = cap {
                return format!("{partly}the cap {} ({} {cur}) is reached", c.constraint, format_amount(c.bound));
            }
            match run.rule {
                RuleName::Greedy => format!(
                    "{partly}did not fit: it costs {} {cur} and {} {cur} was left when its turn came (by score, {:.2})",
                    format_amount(p.cost),
                    format_amount(left_at_turn[i]),
                    p.score
                ),
                RuleName::Optimal => {
                    let ratio = p.weight / p.cost * 1e6;
                    match budget_price {
                        Some(lambda) if ratio < lambda * 1e6 - 1e-9 => format!(
                            "{partly}lower priority per {cur}: {ratio:.2} points per million against {:.2} for the last money spent",
                            lambda * 1e6
                        ),
                        _ if !p.divisible => format!("{partly}indivisible: funding it whole would displace more priority (or a guarantee) elsewhere"),
                        _ => format!("{partly}the money went to guarantees (floors, quorums) and proposals with more priority per {cur}"),
                    }
                }
            }
        })
        .collect()
}

/// Whether constraint `id` counts proposal `p` (caps name a district or category).
fn run_constraint_counts(run: &Run, id: &str, p: usize) -> bool {
    let prop = &run.allocation.proposals[p];
    if let Some(d) = id.strip_prefix("cap:") {
        // District caps count nested districts too.
        let sc = &run.scenario;
        return match (sc.district_index(d), sc.proposals[p].district) {
            (Some(di), Some(pd)) => sc.is_within(pd, di),
            _ => false,
        };
    }
    if let Some(c) = id.strip_prefix("category-cap:") {
        return prop.category == c;
    }
    false
}

/// Binding constraints with a price, in words.
pub fn constraint_sentences(run: &Run) -> Vec<String> {
    let cur = &run.allocation.currency;
    run.allocation
        .shadow_prices
        .iter()
        .filter(|p| p.binding || p.shadow_price.abs() > 1e-12)
        .map(|p| {
            let per_million = p.shadow_price * 1e6;
            let what = match p.kind {
                ConstraintKind::Budget => return format!("The pool ({} {cur}) is spent: each further 1,000,000 {cur} would buy {per_million:.3} points of priority score.", format_amount(p.bound)),
                ConstraintKind::DistrictFloor => format!("The floor of district {} ({} {cur})", p.subject, format_amount(p.bound)),
                ConstraintKind::DistrictCap => format!("The cap on district {} ({} {cur})", p.subject, format_amount(p.bound)),
                ConstraintKind::CategoryMin => format!("The minimum for {} ({} {cur})", p.subject, format_amount(p.bound)),
                ConstraintKind::CategoryCap => format!("The cap on {} ({} {cur})", p.subject, format_amount(p.bound)),
                ConstraintKind::Quorum => format!("The quorum of {} ({} {cur} for their delegates' top choices)", p.subject, format_amount(p.bound)),
            };
            if p.kind.is_floor() {
                format!("{what} binds: each further 1,000,000 {cur} it guarantees costs {:.3} points of priority score.", -per_million)
            } else {
                format!("{what} binds: raising it by 1,000,000 {cur} would gain {per_million:.3} points of priority score.")
            }
        })
        .collect()
}

/// (name, how to read it) for each metric the report shows.
pub const METRICS: [(&str, &str); 9] = [
    (
        "Gini (per resident)",
        "0 = every resident's district receives the same per resident; 1 = one district receives everything.",
    ),
    (
        "Concentration index (by poverty)",
        "Below 0 = funding concentrated in the poorest districts; above 0 = in the richest.",
    ),
    (
        "Poorest 20% of residents",
        "Share of district funding reaching the poorest fifth of residents (20% would be proportional).",
    ),
    (
        "Theil T",
        "Inequality that can be split between and within groups of districts; 0 = equal.",
    ),
    (
        "Atkinson (epsilon 1)",
        "Share of funding that could be given up for equal per-resident funding with the same welfare.",
    ),
    (
        "Hoover",
        "Share of funding that would have to move between districts to equalise funding per resident.",
    ),
    (
        "Correlation with need",
        "Between funding per resident and entitlement per resident: 1 = funding follows need exactly.",
    ),
    (
        "Minimum need coverage",
        "The lowest funding over need-weighted entitlement of any district (100% = fully covered).",
    ),
    (
        "Delegate satisfaction",
        "Mean share of each delegate's top 3 proposals that is funded.",
    ),
];
