//! `participa inequality`: every metric that applies to one column of a table.

use std::io::Write;
use std::process::ExitCode;

use anyhow::anyhow;
use ndarray::Array1;
use participa::error::{Problem, Problems};
use participa::io::table::{TableFormat, TextTable};
use participa::metrics::{InequalityInput, MetricError, summarise};
use participa::report::render_inequality_table;

use crate::cli::{InequalityArgs, SummaryFormat};

pub fn inequality(args: &InequalityArgs) -> anyhow::Result<ExitCode> {
    let epsilons = parse_epsilons(&args.epsilon)?;
    let table = TextTable::read(&args.table).map_err(|p| invalid(vec![p]))?;
    let mut problems = missing_columns(&table, args);
    if problems.is_empty() && table.rows() == 0 {
        problems.push(Problem::new(
            &table.path,
            "",
            "the table has a header but no rows",
            "add one row per person, household or district",
        ));
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let values = numbers(&table, &args.value, &mut problems);
    let weights = match &args.weight {
        Some(c) => numbers(&table, c, &mut problems),
        None => Array1::ones(table.rows()),
    };
    let groups: Option<Vec<String>> = args.group.as_ref().map(|c| {
        (0..table.rows())
            .map(|r| table.text(r, c, &mut problems))
            .collect()
    });
    let order = args.order.as_ref().map(|c| {
        let o = numbers(&table, c, &mut problems);
        if args.descending { -o } else { o }
    });
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let summary = summarise(&InequalityInput {
        values: values.view(),
        weights: weights.view(),
        groups: groups.as_deref(),
        order: order.as_ref().map(|o| o.view()),
        epsilons,
    })
    .map_err(|e| invalid(vec![locate(&e, &table, args)]))?;
    for e in &summary.undefined {
        eprintln!("note: a metric is null: {}", locate(e, &table, args));
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        SummaryFormat::Json => {
            writeln!(stdout, "{}", serde_json::to_string_pretty(&summary)?)?;
        }
        SummaryFormat::Table => {
            let title = format!(
                "Inequality of `{}` in {} ({} rows, {})",
                args.value,
                table.path.display(),
                summary.n,
                args.weight.as_ref().map_or_else(
                    || "unweighted".to_string(),
                    |w| format!("weighted by `{w}`")
                )
            );
            write!(stdout, "{}", render_inequality_table(&summary, &title))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn invalid(problems: Vec<Problem>) -> anyhow::Error {
    anyhow!("{}", Problems(problems))
}

/// `--epsilon 0.5,1,2`: each a number >= 0, kept as written for the JSON keys.
fn parse_epsilons(raw: &[String]) -> anyhow::Result<Vec<(String, f64)>> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for s in raw.iter().map(|s| s.trim()) {
        match s.parse::<f64>() {
            Ok(e) if e.is_finite() && e >= 0.0 => {
                if !out.iter().any(|(k, _)| k == s) {
                    out.push((s.to_string(), e));
                }
            }
            _ => anyhow::bail!(
                "--epsilon: `{s}` is not a number >= 0; write the inequality aversions separated by commas, e.g. --epsilon 0.5,1,2"
            ),
        }
    }
    Ok(out)
}

/// A problem for each option naming a column the table lacks, at the header line.
fn missing_columns(table: &TextTable, args: &InequalityArgs) -> Vec<Problem> {
    let header_line = (TableFormat::of(&table.path) == Some(TableFormat::Csv)).then_some(1);
    [
        ("--value", Some(&args.value)),
        ("--weight", args.weight.as_ref()),
        ("--group", args.group.as_ref()),
        ("--order", args.order.as_ref()),
    ]
    .into_iter()
    .filter_map(|(flag, col)| col.filter(|c| !table.has(c)).map(|c| (flag, c)))
    .map(|(flag, col)| {
        let p = Problem::new(
            &table.path,
            col,
            format!("{flag} names column `{col}`, which the table does not have"),
            format!(
                "use one of the table's columns: {} (names are case-sensitive)",
                table.columns.join(", ")
            ),
        );
        match header_line {
            Some(line) => p.at(line, None),
            None => p,
        }
    })
    .collect()
}

/// A required number in every row of `column`; each bad or empty cell is a problem.
fn numbers(table: &TextTable, column: &str, problems: &mut Vec<Problem>) -> Array1<f64> {
    (0..table.rows())
        .map(|r| match table.get(r, column) {
            None => {
                problems.push(table.problem(
                    r,
                    column,
                    "empty cell",
                    "write a number, or remove the row",
                ));
                f64::NAN
            }
            Some(_) => table.number(r, column, problems).unwrap_or(f64::NAN),
        })
        .collect()
}

/// A metric error located at its cell when it names one, with a fix.
fn locate(e: &MetricError, table: &TextTable, args: &InequalityArgs) -> Problem {
    let column = |what: &str| match what {
        "weights" => args.weight.clone(),
        "order" => args.order.clone(),
        "groups" => args.group.clone(),
        _ => Some(args.value.clone()),
    };
    let (message, fix) = match e {
        MetricError::Negative {
            what: "weights",
            value,
            ..
        } => (
            format!("weight {value} is negative"),
            "a weight counts people: use a number >= 0",
        ),
        MetricError::Negative { value, .. } => (
            format!("{value} is negative; inequality metrics need values >= 0"),
            "they compare shares of a total of non-negative levels: correct or drop the row",
        ),
        MetricError::NotPositive { metric, .. } => (
            format!("the value is zero, and {metric} takes the logarithm of every value"),
            "only this metric is left null; the others are computed",
        ),
        MetricError::Undefined { .. } => (
            e.to_string(),
            "only this metric is left null; the others are computed",
        ),
        MetricError::ZeroTotal {
            what: "weights", ..
        } => (e.to_string(), "give at least one row a positive weight"),
        MetricError::ZeroTotal { .. } => (
            e.to_string(),
            "every value is zero: there is no distribution to measure",
        ),
        _ => (e.to_string(), "check the column"),
    };
    match e
        .cell()
        .and_then(|(what, row)| column(what).map(|c| (c, row)))
    {
        Some((col, row)) => table.problem(row, &col, message, fix),
        None => {
            let what = match e {
                MetricError::ZeroTotal { what, .. } => column(what),
                _ => None,
            };
            Problem::new(&table.path, what.unwrap_or_default(), message, fix)
        }
    }
}
