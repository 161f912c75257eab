//! Rules that choose which projects of a pabulib [`Election`] are funded,
//! selecting exactly what pabutools 1.2.x selects (checked against its output
//! on real files by `tests/pabulib_rules.rs`), plus the official rules cities
//! applied as pabulib's META `rule` names them.

pub mod greedy;
pub mod maxwelfare;
pub mod mes;
pub mod official;
pub mod report;

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};

use super::Election;
use super::satisfaction::{SatProfile, Satisfaction};
pub use mes::MesOptions;

/// A rule could not be applied to an election.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuleError {
    /// The satisfaction measure does not fit the ballots.
    #[error("{0}")]
    Satisfaction(String),
    /// The file lacks what the rule needs (e.g. META `rule`).
    #[error("{file}: {message}\n    fix: {fix}")]
    Unsupported {
        file: String,
        message: String,
        fix: String,
    },
    /// Costs or budget too large for exact integer arithmetic.
    #[error("{0}")]
    Money(String),
}

/// Costs and budget as integers (all scaled by one common factor), so that
/// "does it fit" is exact and fast.
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    pub costs: Vec<i128>,
    pub budget: i128,
    /// What every amount was multiplied by.
    pub scale: BigInt,
}

impl Money {
    pub fn new(election: &Election) -> Result<Self, RuleError> {
        let mut scale = BigInt::one();
        for c in election
            .projects
            .iter()
            .map(|p| &p.cost)
            .chain(std::iter::once(&election.budget))
        {
            scale = scale.lcm(c.denom());
        }
        let to_int = |r: &BigRational| -> Result<i128, RuleError> {
            // Whole amounts under a scale of 1 (the usual case) need no rational product.
            let scaled = if scale.is_one() && r.is_integer() {
                r.numer().clone()
            } else {
                (r * BigRational::from_integer(scale.clone())).to_integer()
            };
            scaled.to_i128().ok_or_else(|| {
                RuleError::Money(format!(
                    "{}: amount {r} is too large for exact arithmetic",
                    election.source.display()
                ))
            })
        };
        let costs = election
            .projects
            .iter()
            .map(|p| to_int(&p.cost))
            .collect::<Result<Vec<_>, _>>()?;
        // Sums of all costs must not overflow either.
        let total: Option<i128> = costs.iter().try_fold(0i128, |a, &c| a.checked_add(c));
        if total.is_none() {
            return Err(RuleError::Money(format!(
                "{}: total cost too large for exact arithmetic",
                election.source.display()
            )));
        }
        Ok(Money {
            budget: to_int(&election.budget)?,
            costs,
            scale,
        })
    }

    pub fn spent(&self, selected: &[usize]) -> i128 {
        selected.iter().map(|&p| self.costs[p]).sum()
    }

    /// A scaled integer back as an exact amount.
    pub fn amount(&self, scaled: i128) -> BigRational {
        BigRational::new(BigInt::from(scaled), self.scale.clone())
    }
}

/// Zero, exactly.
pub fn zero() -> BigRational {
    BigRational::zero()
}

/// A decimal amount (`1`, `0.5`, `2500.00`) or a fraction (`1/3`), exactly.
pub fn parse_amount(s: &str) -> Option<BigRational> {
    let s = s.trim();
    if let Some((n, d)) = s.split_once('/') {
        let n: BigInt = n.trim().parse().ok()?;
        let d: BigInt = d.trim().parse().ok()?;
        return (!d.is_zero()).then(|| BigRational::new(n, d));
    }
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let mantissa: BigInt = format!("{int}{frac}").parse().ok()?;
    let scale = num_traits::pow(BigInt::from(10), frac.len());
    let r = BigRational::new(mantissa, scale);
    Some(if neg { -r } else { r })
}

/// Which rule to apply.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// pabutools' greedy utilitarian welfare.
    Greedy,
    /// Method of Equal Shares, optionally completed greedily.
    EqualShares {
        options: MesOptions,
        /// Greedy completion (same satisfaction) when the result is not exhaustive.
        greedy_completion: bool,
    },
    /// An outcome of maximum utilitarian welfare (exact knapsack).
    MaxWelfare,
    /// pabulib's `greedy-no-skip`: by score, stop at the first that does not fit.
    GreedyNoSkip,
    /// pabulib's `greedy-threshold`: greedy by score over projects whose score
    /// reaches META `min_project_score_threshold`.
    GreedyThreshold,
    /// pabulib's official `greedy`: by the file's `score` (else `votes`) column.
    OfficialGreedy,
    /// The rule named by META `rule`.
    Official,
}

impl Rule {
    /// Official rules ignore the satisfaction measure.
    pub fn uses_satisfaction(&self) -> bool {
        matches!(
            self,
            Rule::Greedy | Rule::EqualShares { .. } | Rule::MaxWelfare
        )
    }
}

/// What a rule funded.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The rule, as pabulib would name it (e.g. `equalshares/add1`).
    pub rule: String,
    pub satisfaction: Satisfaction,
    /// Project indices in the order they were funded.
    pub selected: Vec<usize>,
    /// Total satisfaction of all voters under `satisfaction`, exact.
    pub welfare: BigRational,
    /// Money spent, exact.
    pub spent: BigRational,
    /// For equal shares: the per-voter share of the returned run.
    pub voter_budget: Option<BigRational>,
    /// For equal shares with an increment: complete runs computed.
    pub runs: Option<u64>,
}

impl Outcome {
    pub fn is_selected(&self, p: usize) -> bool {
        self.selected.contains(&p)
    }
}

/// Applies `rule` to `election`; `satisfaction` defaults by vote type.
pub fn apply(
    election: &Election,
    rule: &Rule,
    satisfaction: Option<Satisfaction>,
) -> Result<Outcome, RuleError> {
    let satisfaction = satisfaction.unwrap_or(Satisfaction::default_for(election.vote_type));
    let money = Money::new(election)?;
    if let Rule::Official = rule {
        let resolved = official::resolve(election)?;
        let mut out = apply(
            election,
            &resolved,
            Some(official::satisfaction_of(&resolved, election)),
        )?;
        out.rule = election.meta("rule").unwrap_or("official").to_string();
        return Ok(out);
    }
    let sat_for = if rule.uses_satisfaction() {
        satisfaction
    } else {
        official::satisfaction_of(rule, election)
    };
    let profile = SatProfile::new(election, sat_for).map_err(RuleError::Satisfaction)?;
    let mut voter_budget = None;
    let mut runs = None;
    let (name, selected) = match rule {
        Rule::Greedy => (
            "greedy".to_string(),
            greedy::greedy(election, &profile, &money, &[]),
        ),
        Rule::EqualShares {
            options,
            greedy_completion,
        } => {
            let r = mes::equal_shares(election, &profile, &money, options);
            voter_budget = Some(r.voter_budget);
            runs = Some(r.runs);
            let mut selected = r.selected;
            let spent = money.spent(&selected);
            let exhaustive = (0..election.projects.len())
                .all(|p| selected.contains(&p) || spent + money.costs[p] > money.budget);
            if *greedy_completion && !exhaustive {
                selected = greedy::greedy(election, &profile, &money, &selected);
            }
            let mut name = match &options.voter_budget_increment {
                None => "equalshares".to_string(),
                Some(i) if i.is_one() => "equalshares/add1".to_string(),
                Some(i) => format!("equalshares/add{i}"),
            };
            if !options.exhaustive_stop {
                name.push_str("-no-exhaustive-stop");
            }
            if *greedy_completion {
                name.push_str("+greedy");
            }
            (name, selected)
        }
        Rule::MaxWelfare => (
            "max-welfare".to_string(),
            maxwelfare::max_welfare(election, &profile, &money)?,
        ),
        Rule::GreedyNoSkip | Rule::GreedyThreshold | Rule::OfficialGreedy => {
            official::official_greedy(election, &money, rule)?
        }
        Rule::Official => unreachable!("resolved above"),
    };
    let welfare = profile.welfare(election, &selected);
    let spent = money.amount(money.spent(&selected));
    debug_assert!(spent <= election.budget || election.budget < BigRational::zero());
    Ok(Outcome {
        rule: name,
        satisfaction: sat_for,
        selected,
        welfare,
        spent,
        voter_budget,
        runs,
    })
}

#[cfg(test)]
pub(crate) mod tests;
