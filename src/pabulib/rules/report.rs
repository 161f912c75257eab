//! An [`Outcome`] as a JSON document, a CSV table and a text table.

use num_traits::ToPrimitive;
use serde_json::{Value, json};

use super::Outcome;
use crate::pabulib::Election;

fn exact(r: &num_rational::BigRational) -> Value {
    Value::String(r.to_string())
}

/// The outcome as one JSON document: `rule`, `satisfaction`, `selected` (ids
/// as written in the file, in funding order), `welfare` (exact string) and
/// `welfare_f64`, money, and a per-project table.
pub fn to_json(election: &Election, outcome: &Outcome) -> Value {
    let order: Vec<Option<usize>> = (0..election.projects.len())
        .map(|p| outcome.selected.iter().position(|&q| q == p))
        .collect();
    let projects: Vec<Value> = election
        .projects
        .iter()
        .enumerate()
        .map(|(p, project)| {
            json!({
                "id": project.id,
                "name": project.name,
                "district": project.district,
                "categories": project.categories,
                "cost": exact(&project.cost),
                "selected": order[p].is_some(),
                "funding_order": order[p].map(|i| i + 1),
                "votes": project.votes,
                "score": project.score,
                "official_selected": project.selected,
            })
        })
        .collect();
    json!({
        "file": election.source.display().to_string(),
        "rule": outcome.rule,
        "satisfaction": outcome.satisfaction.name(),
        "vote_type": crate::pabulib::satisfaction::vote_type_name(election.vote_type),
        "budget": exact(&election.budget),
        "spent": exact(&outcome.spent),
        "spent_f64": outcome.spent.to_f64(),
        "selected": outcome.selected.iter().map(|&p| election.projects[p].id.clone()).collect::<Vec<_>>(),
        "welfare": exact(&outcome.welfare),
        "welfare_f64": outcome.welfare.to_f64(),
        "voter_budget": outcome.voter_budget.as_ref().map(exact),
        "runs": outcome.runs,
        "voters": election.ballots.len(),
        "projects": projects,
    })
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One row per project: id, name, cost, selected (0/1), funding order.
pub fn to_csv(election: &Election, outcome: &Outcome) -> String {
    let mut s = String::from("project_id,name,cost,selected,funding_order\n");
    for (p, project) in election.projects.iter().enumerate() {
        let order = outcome.selected.iter().position(|&q| q == p);
        s.push_str(&format!(
            "{},{},{},{},{}\n",
            csv_field(&project.id),
            csv_field(project.name.as_deref().unwrap_or("")),
            project.cost,
            u8::from(order.is_some()),
            order.map(|i| (i + 1).to_string()).unwrap_or_default()
        ));
    }
    s
}

/// What is funded, in funding order, and the spend.
pub fn to_table(election: &Election, outcome: &Outcome) -> String {
    let mut s = format!(
        "{}: rule {}, satisfaction {}, {} voters, {} projects\n\n",
        election.source.display(),
        outcome.rule,
        outcome.satisfaction,
        election.ballots.len(),
        election.projects.len()
    );
    let idw = outcome
        .selected
        .iter()
        .map(|&p| election.projects[p].id.chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    s.push_str(&format!(
        "{:>3}  {:<idw$}  {:>14}  name\n",
        "#", "id", "cost"
    ));
    for (i, &p) in outcome.selected.iter().enumerate() {
        let project = &election.projects[p];
        let name: String = project
            .name
            .as_deref()
            .unwrap_or("")
            .chars()
            .take(60)
            .collect();
        s.push_str(&format!(
            "{:>3}  {:<idw$}  {:>14}  {}\n",
            i + 1,
            project.id,
            project.cost.to_string(),
            name
        ));
    }
    let pct = |a: &num_rational::BigRational| {
        let b = election.budget.to_f64().unwrap_or(f64::NAN);
        100.0 * a.to_f64().unwrap_or(f64::NAN) / b
    };
    s.push_str(&format!(
        "\nfunded {} of {} projects; spent {} of {} ({:.1}%); welfare {} ({:.6e})\n",
        outcome.selected.len(),
        election.projects.len(),
        outcome.spent,
        election.budget,
        pct(&outcome.spent),
        outcome.welfare,
        outcome.welfare.to_f64().unwrap_or(f64::NAN)
    ));
    if let Some(b) = &outcome.voter_budget {
        s.push_str(&format!(
            "per-voter share of the returned run: {} ({:.4}); runs computed: {}\n",
            b,
            b.to_f64().unwrap_or(f64::NAN),
            outcome.runs.unwrap_or(0)
        ));
    }
    s
}
