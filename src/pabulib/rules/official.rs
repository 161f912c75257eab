//! The rules cities applied, as pabulib's META `rule` names them.
//!
//! pabulib's official greedy rules rank projects by the PROJECTS `score`
//! column where the file has one (points, e.g. Krakow's 3-2-1), else by
//! `votes`, highest first (ties by project id), and fund what fits. The
//! `equalshares/add1` rules are equal shares with cost satisfaction and a
//! per-voter increment of 1 (see [`super::mes`]).

use super::{MesOptions, Money, Rule, RuleError};
use crate::pabulib::Election;
use crate::pabulib::satisfaction::Satisfaction;

/// The META `rule` names [`resolve`] knows.
pub const OFFICIAL_RULES: [&str; 5] = [
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "equalshares/add1",
    "equalshares/add1-comparison",
];

/// The rule META `rule` names.
pub fn resolve(election: &Election) -> Result<Rule, RuleError> {
    let file = election.source.display().to_string();
    let Some(name) = election.meta("rule") else {
        return Err(RuleError::Unsupported {
            file,
            message: "META has no `rule` key, so there is no official rule".into(),
            fix: "choose a rule: --rule greedy, equal-shares or max-welfare".into(),
        });
    };
    Ok(match name {
        "greedy" => Rule::OfficialGreedy,
        "greedy-no-skip" => Rule::GreedyNoSkip,
        "greedy-threshold" => Rule::GreedyThreshold,
        "equalshares/add1" => Rule::EqualShares {
            options: MesOptions::add1(),
            greedy_completion: false,
        },
        // Wieliczka 2023: its published outcome is reproduced by raising the
        // share while the outcome fits, past the first exhaustive one.
        "equalshares/add1-comparison" => Rule::EqualShares {
            options: MesOptions {
                exhaustive_stop: false,
                ..MesOptions::add1()
            },
            greedy_completion: false,
        },
        other => {
            return Err(RuleError::Unsupported {
                file,
                message: format!("META rule `{other}` is not one participa implements"),
                fix: format!(
                    "choose a rule: --rule greedy, equal-shares or max-welfare (official rules known: {})",
                    OFFICIAL_RULES.join(", ")
                ),
            });
        }
    })
}

/// The satisfaction an official rule is computed (and reported) with.
pub fn satisfaction_of(rule: &Rule, election: &Election) -> Satisfaction {
    match rule {
        Rule::EqualShares { .. } => Satisfaction::Cost,
        _ => Satisfaction::default_for(election.vote_type),
    }
}

/// The value official greedy rules rank by: `score` if the file has the
/// column, else `votes`.
fn ranking(election: &Election) -> Result<(Vec<f64>, &'static str), RuleError> {
    let has_score = election.projects.iter().any(|p| p.score.is_some());
    if has_score {
        return Ok((
            election
                .projects
                .iter()
                .map(|p| p.score.unwrap_or(0.0))
                .collect(),
            "score",
        ));
    }
    if election.projects.iter().any(|p| p.votes.is_some()) {
        return Ok((
            election
                .projects
                .iter()
                .map(|p| p.votes.unwrap_or(0) as f64)
                .collect(),
            "votes",
        ));
    }
    Err(RuleError::Unsupported {
        file: election.source.display().to_string(),
        message: "official greedy rules rank by the PROJECTS `score` or `votes` column, and the file has neither".into(),
        fix: "use --rule greedy, which ranks by the ballots".into(),
    })
}

/// `greedy`, `greedy-no-skip` or `greedy-threshold` by the file's scores.
pub fn official_greedy(
    election: &Election,
    money: &Money,
    rule: &Rule,
) -> Result<(String, Vec<usize>), RuleError> {
    let (score, _) = ranking(election)?;
    let threshold = match rule {
        Rule::GreedyThreshold => {
            let raw = election
                .meta("min_project_score_threshold")
                .ok_or_else(|| RuleError::Unsupported {
                    file: election.source.display().to_string(),
                    message: "greedy-threshold needs META `min_project_score_threshold`".into(),
                    fix: "add the key to META, or use --rule greedy-official".into(),
                })?;
            Some(
                raw.trim()
                    .parse::<f64>()
                    .map_err(|_| RuleError::Unsupported {
                        file: election.source.display().to_string(),
                        message: format!(
                            "META `min_project_score_threshold` is `{raw}`, not a number"
                        ),
                        fix: "write a number, e.g. 200".into(),
                    })?,
            )
        }
        _ => None,
    };
    let mut order: Vec<usize> = (0..election.projects.len()).collect();
    order.sort_by(|&a, &b| {
        score[b]
            .total_cmp(&score[a])
            .then_with(|| election.projects[a].id.cmp(&election.projects[b].id))
    });
    let mut remaining = money.budget;
    let mut selected = vec![];
    for p in order {
        if threshold.is_some_and(|t| score[p] < t) {
            continue;
        }
        if money.costs[p] <= remaining {
            remaining -= money.costs[p];
            selected.push(p);
        } else if matches!(rule, Rule::GreedyNoSkip) {
            break;
        }
    }
    let name = match rule {
        Rule::GreedyNoSkip => "greedy-no-skip",
        Rule::GreedyThreshold => "greedy-threshold",
        _ => "greedy (official)",
    };
    Ok((name.to_string(), selected))
}
