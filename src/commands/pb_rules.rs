//! `participa solve FILE.pb`, `participa analyze` and `participa bench`: the
//! pabulib rules (`participa::pabulib::rules`) on the command line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use participa::io::output::OutputDir;
use participa::pabulib::Election;
use participa::pabulib::Limits;
use participa::pabulib::analyze::{analyze as analyze_outcome, summary_rows};
use participa::pabulib::import::{has_pabulib, read_imported};
use participa::pabulib::parse::read_election_with;
use participa::pabulib::rules::{self, MesOptions, Rule, official, report};
use participa::pabulib::satisfaction::{SatProfile, Satisfaction};

use crate::cli::{
    Format, PbAnalyzeArgs, PbBenchArgs, PbRuleOptions, SolveArgs, SolveRuleArg, SummaryFormat,
};

pub use super::pabulib::is_pb;

/// The election of a `.pb` file, or of a scenario `participa import` made.
fn load(path: &Path, limits: &Limits) -> anyhow::Result<Election> {
    if is_pb(path) {
        return read_election_with(path, limits)
            .with_context(|| format!("cannot read pabulib election {}", path.display()));
    }
    read_imported(path, limits)
        .with_context(|| format!("cannot read the election kept in {}", path.display()))?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{} is a scenario without a [pabulib] table, so it has no ballots for the pabulib rules: give a .pb file, or a scenario made by `participa import`",
                path.display()
            )
        })
}

/// `solve` runs the pabulib rules on a `.pb` file, and on an imported
/// scenario for every rule but `optimal` (the allocation program).
pub fn wants_pabulib_rules(args: &SolveArgs) -> bool {
    is_pb(&args.scenario)
        || args.rule.is_some_and(|r| r != SolveRuleArg::Optimal) && has_pabulib(&args.scenario)
}

/// The library rule the command line asks for.
fn rule_of(
    arg: Option<SolveRuleArg>,
    o: &PbRuleOptions,
    election: &Election,
) -> anyhow::Result<Rule> {
    let arg = arg.unwrap_or_else(|| {
        if election
            .meta("rule")
            .is_some_and(|r| official::OFFICIAL_RULES.contains(&r))
        {
            SolveRuleArg::Official
        } else {
            SolveRuleArg::Greedy
        }
    });
    let is_mes = matches!(
        arg,
        SolveRuleArg::EqualShares | SolveRuleArg::EqualSharesAdd1
    );
    if !is_mes
        && (o.voter_budget_increment.is_some() || o.completion.is_some() || o.no_exhaustive_stop)
    {
        bail!(
            "--voter-budget-increment, --completion and --no-exhaustive-stop apply to --rule equal-shares only"
        );
    }
    if o.satisfaction.is_some()
        && !matches!(
            arg,
            SolveRuleArg::Greedy | SolveRuleArg::EqualShares | SolveRuleArg::MaxWelfare
        )
    {
        bail!(
            "--satisfaction applies to --rule greedy, equal-shares and max-welfare (official rules have their own)"
        );
    }
    Ok(match arg {
        SolveRuleArg::Optimal => bail!(
            "--rule optimal is the scenario LP and does not apply to {}: use --rule max-welfare (the utilitarian optimum of the election), or turn the election into a scenario with `participa import`",
            election.source.display()
        ),
        SolveRuleArg::Greedy => Rule::Greedy,
        SolveRuleArg::MaxWelfare => Rule::MaxWelfare,
        SolveRuleArg::GreedyOfficial => Rule::OfficialGreedy,
        SolveRuleArg::GreedyNoSkip => Rule::GreedyNoSkip,
        SolveRuleArg::GreedyThreshold => Rule::GreedyThreshold,
        SolveRuleArg::Official => Rule::Official,
        SolveRuleArg::EqualShares | SolveRuleArg::EqualSharesAdd1 => {
            let default_inc = (arg == SolveRuleArg::EqualSharesAdd1).then(|| "1".to_string());
            let increment = match o.voter_budget_increment.clone().or(default_inc) {
                None => None,
                Some(s) => Some(rules::parse_amount(&s).filter(|x| *x > rules::zero()).ok_or_else(
                    || anyhow::anyhow!("--voter-budget-increment must be a positive number such as 1 or 0.5, got `{s}`"),
                )?),
            };
            if increment.is_none() && o.no_exhaustive_stop {
                bail!(
                    "--no-exhaustive-stop needs --voter-budget-increment (it changes when the increments stop)"
                );
            }
            Rule::EqualShares {
                options: MesOptions {
                    voter_budget_increment: increment,
                    exhaustive_stop: !o.no_exhaustive_stop,
                },
                greedy_completion: o.completion.is_some(),
            }
        }
    })
}

fn satisfaction_of(o: &PbRuleOptions) -> anyhow::Result<Option<Satisfaction>> {
    o.satisfaction
        .as_deref()
        .map(|s| {
            s.parse::<Satisfaction>()
                .map_err(|e| anyhow::anyhow!("--satisfaction: {e}"))
        })
        .transpose()
}

pub fn solve(args: &SolveArgs) -> anyhow::Result<ExitCode> {
    let election = load(&args.scenario, &args.limits.limits())?;
    let rule = rule_of(args.rule, &args.pb, &election)?;
    let outcome = rules::apply(&election, &rule, satisfaction_of(&args.pb)?)?;
    let doc = report::to_json(&election, &outcome);
    if let Some(dir) = &args.out {
        let out = OutputDir::create(dir, args.force)?;
        let json = serde_json::to_string_pretty(&doc)? + "\n";
        std::fs::write(out.path("result.json"), json)
            .with_context(|| format!("cannot write into {}", dir.display()))?;
        std::fs::write(
            out.path("projects.csv"),
            report::to_csv(&election, &outcome),
        )
        .with_context(|| format!("cannot write into {}", dir.display()))?;
        let written = out.commit()?;
        eprintln!("wrote {}", written.display());
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => write!(stdout, "{}", report::to_table(&election, &outcome))?,
        Format::Json => writeln!(stdout, "{}", serde_json::to_string_pretty(&doc)?)?,
        Format::Csv => write!(stdout, "{}", report::to_csv(&election, &outcome))?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn analyze(args: &PbAnalyzeArgs) -> anyhow::Result<ExitCode> {
    let election = load(&args.file, &args.limits.limits())?;
    let rule = rule_of(args.rule, &args.pb, &election)?;
    let outcome = rules::apply(&election, &rule, satisfaction_of(&args.pb)?)?;
    let profile = SatProfile::new(&election, outcome.satisfaction).map_err(anyhow::Error::msg)?;
    let analysis = analyze_outcome(&election, &profile, &outcome);
    let mut stdout = std::io::stdout().lock();
    match args.format {
        SummaryFormat::Json => {
            let doc = serde_json::json!({
                "outcome": report::to_json(&election, &outcome),
                "analysis": analysis,
            });
            writeln!(stdout, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        SummaryFormat::Table => {
            write!(stdout, "{}", report::to_table(&election, &outcome))?;
            writeln!(stdout)?;
            let rows = summary_rows(&analysis);
            let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
            for (k, v) in rows {
                writeln!(stdout, "{k:<w$}  {v}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 0.1 {
        // Small files take tens of microseconds: keep two significant digits.
        format!("{ms:.3}")
    } else if ms < 10.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.0}")
    }
}

/// `repeat` timings of `run`, after one warm-up run when that takes under a
/// second (a first, cold run of a tiny file costs twice a warm one; a slow
/// run is counted rather than repeated).
fn timed_runs(repeat: usize, mut run: impl FnMut()) -> Vec<Duration> {
    let t = Instant::now();
    run();
    let first = t.elapsed();
    let mut times = vec![];
    if first >= Duration::from_secs(1) {
        times.push(first);
    }
    while times.len() < repeat {
        let t = Instant::now();
        run();
        times.push(t.elapsed());
    }
    times
}

pub fn bench(args: &PbBenchArgs) -> anyhow::Result<ExitCode> {
    let dir = args
        .pabulib_dir
        .clone()
        .or_else(|| std::env::var_os("PABULIB_DIR").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("../shared/data/pabulib"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot list {} (pass --pabulib-dir)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_pb(p))
        .collect();
    if files.is_empty() {
        bail!("no .pb file in {}", dir.display());
    }
    files.sort_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0));
    let repeat = args.repeat.max(1);
    let names: Vec<String> = args
        .rules
        .iter()
        .map(|r| {
            clap::ValueEnum::to_possible_value(r)
                .map(|v| v.get_name().to_string())
                .unwrap_or_default()
        })
        .collect();
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "median of {repeat} run(s) after a warm-up, milliseconds, parse included (parse alone in its own column)\n"
    )?;
    writeln!(stdout, "| file | voters | parse | {} |", names.join(" | "))?;
    writeln!(stdout, "|---|---:|---:|{}", "---:|".repeat(names.len()))?;
    for file in &files {
        let election = load(file, &Limits::default())?;
        let parse = median(timed_runs(repeat, || {
            let _ = load(file, &Limits::default());
        }));
        let mut cells = vec![];
        for &arg in &args.rules {
            let none = PbRuleOptions {
                satisfaction: None,
                voter_budget_increment: None,
                completion: None,
                no_exhaustive_stop: false,
            };
            let cell = match rule_of(Some(arg), &none, &election) {
                Err(_) => "-".to_string(),
                Ok(rule) => {
                    let mut failed = false;
                    let times = timed_runs(repeat, || {
                        failed |= load(file, &Limits::default())
                            .map_err(|_| ())
                            .and_then(|e| rules::apply(&e, &rule, None).map_err(|_| ()))
                            .is_err();
                    });
                    if failed {
                        "-".to_string()
                    } else {
                        ms(median(times))
                    }
                }
            };
            cells.push(cell);
        }
        writeln!(
            stdout,
            "| {} | {} | {} | {} |",
            file.file_stem().unwrap_or_default().to_string_lossy(),
            election.ballots.len(),
            ms(parse),
            cells.join(" | ")
        )?;
        stdout.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}
