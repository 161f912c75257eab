//! Command-line definitions (clap) only: parsing validates, it does not do the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Simulate and optimise participatory budgets.";

const LONG_ABOUT: &str = "\
Simulate and optimise participatory budgets.

participa turns delegate-ranked proposals plus district need, poverty and
infrastructure indices into a linear (or mixed-integer) program that allocates
a participatory pool, with district floors, category limits and group quorums,
and compares it with the rules cities use (greedy).

Start with:
  participa validate scenarios/tiny.toml
  participa solve scenarios/porto-alegre-16.toml
  participa solve scenarios/tiny.toml --format json
  participa solve scenarios/tiny.toml --out results/tiny
  participa inequality results/tiny/districts.csv --value funded_per_capita --weight population

Exit codes: 0 ok, 1 usage or input error, 2 infeasible in --strict mode.";

#[derive(Debug, Parser)]
#[command(name = "participa", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a scenario file: print a one-line summary, or every problem found (exit 1).
    #[command(after_long_help = VALIDATE_AFTER_HELP)]
    Validate {
        /// Scenario TOML file, or a pabulib `.pb` election.
        scenario: PathBuf,
        #[command(flatten)]
        limits: PbLimitsArgs,
    },
    /// Allocate a scenario's pool with one rule, or choose the projects of a pabulib `.pb` election (greedy, equal shares, ...).
    #[command(after_long_help = PB_SOLVE_AFTER_HELP)]
    Solve(SolveArgs),
    /// How a pabulib `.pb` outcome treats voters: satisfaction quantiles, Gini, EJR/PJR up to one.
    #[command(after_long_help = PB_ANALYZE_AFTER_HELP)]
    Analyze(PbAnalyzeArgs),
    /// Time the pabulib rules on every `.pb` file of a folder (parse included, and parse alone).
    #[command(after_long_help = PB_BENCH_AFTER_HELP)]
    Bench(PbBenchArgs),
    /// Turn a pabulib `.pb` election into a scenario folder (TOML + Parquet) that `solve` reads.
    #[command(after_long_help = IMPORT_AFTER_HELP)]
    Import(ImportArgs),
    /// Write a scenario's `optimal` program as MPS (for CBC, HiGHS, PuLP), or a synthetic city as TOML.
    Export(ExportArgs),
    /// Inequality metrics (Gini, Theil, Atkinson, concentration index, ...) of one column of any CSV or Parquet table.
    #[command(long_about = INEQUALITY_LONG_ABOUT)]
    Inequality(InequalityArgs),
    /// List the built-in need-weighting formulas, or print one as TOML (`formulas show NAME`).
    Formulas {
        #[command(subcommand)]
        action: Option<FormulasAction>,
    },
    /// Entitlement shares of a district table under a formula, without a scenario.
    Entitlements(EntitlementsArgs),
    /// Solve several scenarios (and rules) and write comparison tables and equity charts.
    Compare(CompareArgs),
    /// One self-contained HTML page for a council: scenarios in words, what is funded and why not, equity, charts.
    Report(ReportArgs),
    /// Run a scenario over a grid of values of any numeric field and write tidy rows and charts.
    Sweep(SweepArgs),
    /// Monte Carlo study of assemblies, turnout bias and safeguards: synthetic cities, mandates, the ordinary solve, tidy rows to Parquet.
    Simulate(SimulateArgs),
}

const VALIDATE_AFTER_HELP: &str = "\
Examples:
  participa validate scenarios/tiny.toml
  participa validate Poland_Wroclaw_2019.pb
  participa validate huge.pb --max-voters 50000000

A `.pb` file is read as a pabulib election (https://pabulib.org/format) and
summarised in one line (vote type, projects, voters, budget, the rule META
names); the first problem found is reported with its line, field and fix.";

/// Limits on what a pabulib `.pb` file may make participa allocate (a file's
/// header is checked against them before anything is reserved).
#[derive(Debug, Args, Clone)]
pub struct PbLimitsArgs {
    /// For .pb files: refuse files with more voters than this.
    #[arg(long, value_name = "N", default_value_t = participa::pabulib::Limits::default().max_voters)]
    pub max_voters: usize,
    /// For .pb files: refuse files with more projects than this.
    #[arg(long, value_name = "N", default_value_t = participa::pabulib::Limits::default().max_projects)]
    pub max_projects: usize,
}

impl PbLimitsArgs {
    pub fn limits(&self) -> participa::pabulib::Limits {
        participa::pabulib::Limits {
            max_voters: self.max_voters,
            max_projects: self.max_projects,
            ..Default::default()
        }
    }
}

const INEQUALITY_LONG_ABOUT: &str = "\
Inequality metrics of one column of any CSV or Parquet table.

Measures how unequally the --value column is spread over the rows, or over
the people they stand for with --weight (a row of weight 1,000 is 1,000
people with that value): Gini, Theil T and L, Atkinson, Hoover, Wolfson and
the Lorenz curve. With --group, Theil T is split into inequality between
and within the groups. With --order, the relative and absolute
concentration index say whether the value goes to the disadvantaged
(negative) or the advantaged (positive) end of that ranking.

Values must be numbers >= 0 (levels per person: income, funding per
capita). A bad column name or cell is reported with its file, line and
column. Formulas: `participa::metrics` (cargo doc) and the README.

Examples:
  # per-capita funding of a solve, over residents
  participa solve scenarios/tiny.toml --out results/tiny
  participa inequality results/tiny/districts.csv --value funded_per_capita --weight population

  # does spending reach the poor? districts ranked by poverty, highest first
  participa inequality districts.csv --value spending_per_capita --weight population \\
      --order poverty --descending --format json

  # income inequality within and between regions, more aversions
  participa inequality households.parquet --value income --group region --epsilon 0.5,1,2,3";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Aligned table for reading.
    Table,
    /// One JSON object (for `inequality`: n, mean, gini, theil_t, ...; for `compare`: every run).
    Json,
}

#[derive(Debug, Args)]
pub struct InequalityArgs {
    /// CSV or Parquet table with a header row.
    pub table: PathBuf,
    /// Column to measure: a level per person, >= 0 (income, funding per capita).
    #[arg(long, value_name = "COL")]
    pub value: String,
    /// Column of people per row (e.g. population) [default: every row weighs the same].
    #[arg(long, value_name = "COL")]
    pub weight: Option<String>,
    /// Column of group labels: adds theil_between and theil_within.
    #[arg(long, value_name = "COL")]
    pub group: Option<String>,
    /// Column ranking rows from the most disadvantaged (lowest) up: adds the concentration indices.
    #[arg(long, value_name = "COL")]
    pub order: Option<String>,
    /// Rank --order from its highest value (for a poverty rate, where higher is worse off).
    #[arg(long, requires = "order")]
    pub descending: bool,
    /// Atkinson inequality aversions, comma-separated, each >= 0; JSON keys as written.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "0.5,1,2",
        value_name = "E,E,..."
    )]
    pub epsilon: Vec<String>,
    /// What to print.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SummaryFormat,
}

#[derive(Debug, Subcommand)]
pub enum FormulasAction {
    /// Print a built-in formula as a `[formula]` TOML table to copy into a scenario and edit.
    Show {
        /// A name from `participa formulas`.
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RowsFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  participa entitlements --districts districts.csv --pool 1000000 --formula porto-alegre --explain\n  participa entitlements --scenario scenarios/compare/pa-grades.toml --explain --format json\n\nThe table needs `id` and `population` columns and the columns the formula reads\n(`participa formulas show NAME`); an optional `parent` column nests districts in regions."
)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["districts", "scenario"])))]
pub struct EntitlementsArgs {
    /// District table (CSV or Parquet): id, population, the formula's indicators, optional parent.
    #[arg(long, value_name = "FILE")]
    pub districts: Option<PathBuf>,
    /// Or a scenario: its districts (theme ranks derived from its delegates), pool and formula.
    #[arg(long, value_name = "FILE.toml")]
    pub scenario: Option<PathBuf>,
    /// The pool to split [default with --scenario: the scenario's pool].
    #[arg(long, value_name = "AMOUNT")]
    pub pool: Option<f64>,
    /// A built-in formula name (see `participa formulas`) or a TOML file holding a formula
    /// [default: the scenario's formula, else weighted-sum].
    #[arg(long, value_name = "NAME_OR_TOML")]
    pub formula: Option<String>,
    /// With --format json: an array of {id, share, amount}; with --explain, an object
    /// {entitlements: [...], themes: [...]} holding every grade.
    #[arg(long, value_enum, default_value = "table")]
    pub format: RowsFormat,
    /// For porto-alegre: also print every grade, point and theme share.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Scenario TOML file; or, with --synthetic, nothing.
    #[arg(required_unless_present = "synthetic")]
    pub scenario: Option<PathBuf>,
    /// Write the program here (free MPS; a maximisation is written negated, as MPS minimises).
    #[arg(long, value_name = "FILE", required_unless_present = "toml")]
    pub mps: Option<PathBuf>,
    /// Write the scenario itself as TOML (e.g. a synthetic city, to solve or compare it later).
    #[arg(long, value_name = "FILE")]
    pub toml: Option<PathBuf>,
    /// Make every variable continuous (the LP relaxation).
    #[arg(long)]
    pub relax: bool,
    /// Export a synthetic benchmark city with this many proposals instead of a scenario file.
    #[arg(long, value_name = "PROPOSALS")]
    pub synthetic: Option<usize>,
    /// Synthetic city: number of districts.
    #[arg(long, default_value_t = 20)]
    pub districts: usize,
    /// Synthetic city: share of indivisible proposals (0 = LP, 1 = MILP).
    #[arg(long, default_value_t = 1.0)]
    pub indivisible: f64,
    /// Synthetic city: seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Refuse synthetic cities with more proposals than this (memory grows with it).
    #[arg(long, default_value_t = 1_000_000, value_name = "N")]
    pub max_proposals: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned tables for reading.
    Table,
    /// The whole result as one JSON document (same as result.json).
    Json,
    /// The per-proposal allocation as CSV.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleArg {
    /// The LP/MILP with floors, caps and quorums.
    Optimal,
    /// Fund by score, highest first, skip what does not fit.
    Greedy,
}

/// `solve --rule`: the scenario rules, plus the rules for pabulib `.pb` elections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SolveRuleArg {
    /// Scenarios: the LP/MILP with floors, caps and quorums.
    Optimal,
    /// Scenarios: by score, skip what does not fit. `.pb`: pabutools' greedy utilitarian welfare.
    Greedy,
    /// `.pb`: Method of Equal Shares (with --voter-budget-increment, --completion).
    #[value(alias = "equalshares", alias = "mes")]
    EqualShares,
    /// `.pb`: equal shares, cost satisfaction, increment 1, stop at the first exhaustive outcome.
    #[value(name = "equalshares/add1")]
    EqualSharesAdd1,
    /// `.pb`: an outcome of maximum utilitarian welfare (exact knapsack).
    MaxWelfare,
    /// `.pb`: pabulib's official greedy by the `score` (else `votes`) column.
    GreedyOfficial,
    /// `.pb`: like greedy-official but stop at the first project that does not fit.
    GreedyNoSkip,
    /// `.pb`: greedy-official over projects scoring >= META `min_project_score_threshold`.
    GreedyThreshold,
    /// `.pb`: the rule the file's META `rule` names.
    Official,
}

impl SolveRuleArg {
    /// The scenario rule, if this is one.
    pub fn scenario_rule(self) -> Option<RuleArg> {
        match self {
            SolveRuleArg::Optimal => Some(RuleArg::Optimal),
            SolveRuleArg::Greedy => Some(RuleArg::Greedy),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionArg {
    /// Utilitarian greedy with the same satisfaction, on what is left.
    Greedy,
}

/// Options of the pabulib rules (`solve FILE.pb`, `analyze`).
#[derive(Debug, Args, Clone)]
pub struct PbRuleOptions {
    /// `.pb`: satisfaction measure: cost, cardinality, additive-cardinal,
    /// cardinal-score-times-cost, additive-borda, borda-times-cost
    /// [default: cost for approval and choose-1, additive-cardinal for cumulative
    /// and scoring, additive-borda for ordinal].
    #[arg(long, value_name = "NAME")]
    pub satisfaction: Option<String>,
    /// `.pb`, equal shares: raise every voter's share by this amount until the
    /// outcome is exhaustive (e.g. 1).
    #[arg(long, value_name = "AMOUNT")]
    pub voter_budget_increment: Option<String>,
    /// `.pb`, equal shares: complete a non-exhaustive outcome with this rule.
    #[arg(long, value_enum, value_name = "RULE")]
    pub completion: Option<CompletionArg>,
    /// `.pb`, equal shares with an increment: keep raising the shares while the
    /// outcome fits the budget, past the first exhaustive one.
    #[arg(long)]
    pub no_exhaustive_stop: bool,
}

const PB_SOLVE_AFTER_HELP: &str = "\
Examples (pabulib elections, https://pabulib.org/format):
  participa solve Poland_Wieliczka_2023_Green_Budget.pb --rule official
  participa solve Netherlands_Assen_2024.pb --rule equal-shares --voter-budget-increment 1
  participa solve Poland_Krakow_2021.pb --rule greedy --format json
  participa solve Hungary_Budapest_2024.pb --rule equal-shares --voter-budget-increment 1 \\
      --completion greedy --out results/budapest

A path ending in .pb is an election: the rules select exactly what pabutools
1.2.x selects (ties by project id). --format json prints rule, satisfaction,
selected (ids as in the file), welfare (exact, e.g. \"1234/7\") and
welfare_f64, and one row per project. --out DIR writes result.json and
projects.csv, whole or not at all. `optimal` is for scenarios: for a .pb use
max-welfare, or turn the election into a scenario with `participa import`.";

const PB_ANALYZE_AFTER_HELP: &str = "\
Examples:
  participa analyze Netherlands_Assen_2024.pb --rule equalshares/add1
  participa analyze Poland_Wieliczka_2023_Green_Budget.pb --rule greedy --format json

Reports, under the rule's satisfaction measure: voters' satisfaction quantiles,
the share of voters none of whose projects is funded, the Gini coefficient of
satisfaction (pabutools' formula), and for approval ballots EJR and PJR up to
one project (pabutools' definitions, cost satisfaction) with a witness group
and the project it lacks when violated.";

const PB_BENCH_AFTER_HELP: &str = "\
Examples:
  participa bench --pabulib-dir /work/shared/data/pabulib
  participa bench --rules greedy,equalshares/add1 --repeat 5

Prints the median time of each rule on each file, parse included, and of the
parse alone, after one untimed warm-up run when a run takes under a second.
Compare with pabutools: benches/compare_pabulib.sh.";

#[derive(Debug, Args)]
pub struct PbAnalyzeArgs {
    /// A pabulib `.pb` election, or a scenario made from one by `participa import`.
    pub file: PathBuf,
    /// The rule whose outcome to analyse [default: official, else greedy].
    #[arg(long, value_enum)]
    pub rule: Option<SolveRuleArg>,
    #[command(flatten)]
    pub pb: PbRuleOptions,
    /// What to print.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SummaryFormat,
    #[command(flatten)]
    pub limits: PbLimitsArgs,
}

#[derive(Debug, Args)]
pub struct PbBenchArgs {
    /// Folder of `.pb` files [default: $PABULIB_DIR, else ../shared/data/pabulib].
    #[arg(long, value_name = "DIR")]
    pub pabulib_dir: Option<PathBuf>,
    /// Rules to time, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "greedy,equal-shares,equalshares/add1,max-welfare"
    )]
    pub rules: Vec<SolveRuleArg>,
    /// Runs per (file, rule); the median is reported.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SolverArg {
    /// Pure-Rust interior point: fast LPs, duals, no integers.
    Clarabel,
    /// Pure-Rust simplex and branch and bound: small MILPs.
    Microlp,
    /// HiGHS (needs a build with --features highs): large MILPs.
    Highs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A pabulib `.pb` election.
    pub file: PathBuf,
    /// The scenario folder to write (scenario.toml and Parquet tables).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the --out folder if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub limits: PbLimitsArgs,
}

const IMPORT_AFTER_HELP: &str = "\
Examples:
  participa import Poland_Wroclaw_2019.pb --out wroclaw
  participa solve wroclaw/scenario.toml --rule equal-shares --voter-budget-increment 1
  participa solve wroclaw/scenario.toml --rule optimal

The folder holds scenario.toml, proposals.parquet and delegates.parquet (the
scenario the allocation program reads: one district per project district or
subunit, each voter a delegate ranking what they voted for), and the election
itself (META in scenario.toml's [pabulib] table, PROJECTS and VOTES as
pabulib-projects.parquet and pabulib-ballots.parquet) for the pabulib rules,
which select exactly what they select on the .pb file. Need, poverty and
infrastructure indices are not in pabulib files: they are written as 0, to be
filled in. The folder appears whole or not at all.";

#[derive(Debug, Args)]
pub struct SolveArgs {
    /// Scenario TOML file (one made by `participa import` too), or a pabulib `.pb` election.
    pub scenario: PathBuf,
    /// Allocation rule [default: the scenario's `[allocation] rule`, else optimal;
    /// for a .pb: the file's official rule if participa knows it, else greedy].
    #[arg(long, value_enum)]
    pub rule: Option<SolveRuleArg>,
    #[command(flatten)]
    pub pb: PbRuleOptions,
    /// Solver backend [default: highs if compiled in, else microlp (clarabel for LPs above 5,000 variables)].
    #[arg(long, value_enum)]
    pub solver: Option<SolverArg>,
    /// Fail with exit code 2 (and the shortfall report) if any floor or quorum cannot be met.
    #[arg(long)]
    pub strict: bool,
    /// Write allocation.csv/.parquet, districts.csv/.parquet and result.json into this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the --out folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Seconds the solver may take; the best allocation found is returned with its gap.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub time_limit: f64,
    /// Solve the LP relaxation and round down (for integer programs too large to prove optimal).
    #[arg(long)]
    pub relax: bool,
    /// Relative MIP gap at which an integer solve may stop (1e-4 is HiGHS's usual default).
    #[arg(long, default_value_t = 1e-6, value_name = "GAP")]
    pub mip_gap: f64,
    /// Zero the timings so that repeated runs give byte-identical output.
    #[arg(long)]
    pub deterministic: bool,
    #[command(flatten)]
    pub limits: PbLimitsArgs,
}

/// Options shared by commands that solve scenarios.
#[derive(Debug, Args, Clone)]
pub struct SolveOptionsArgs {
    /// Solver backend [default: highs if compiled in, else microlp].
    #[arg(long, value_enum)]
    pub solver: Option<SolverArg>,
    /// Seconds each solve may take.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub time_limit: f64,
    /// Solve LP relaxations and round down (integer programs too large to prove optimal).
    #[arg(long)]
    pub relax: bool,
    /// Relative MIP gap at which an integer solve may stop.
    #[arg(long, default_value_t = 1e-6, value_name = "GAP")]
    pub mip_gap: f64,
}

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  participa compare scenarios/porto-alegre-16.toml scenarios/pa-population.toml --out results/formulas\n  participa compare scenarios/tiny.toml --rules optimal,greedy --out results/tiny-rules\n\nWrites comparison.csv/.parquet (tidy: scenario, rule, run, district, metric, value),\ncomparison_wide.csv/.parquet (funding per resident, one column per run), metrics.csv\n(one row per run), comparison.json, and six charts as SVG and PNG: per_capita, lorenz,\nneed_scatter, coverage, satisfaction, shadow_prices."
)]
pub struct CompareArgs {
    /// Scenario files (a scenario may `extends` another and change a few fields).
    #[arg(required = true, num_args = 1..)]
    pub scenarios: Vec<PathBuf>,
    /// Rules to run on every scenario, comma-separated [default: each scenario's own rule].
    #[arg(long, value_enum, value_delimiter = ',')]
    pub rules: Vec<RuleArg>,
    /// Output folder for tables and charts.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SummaryFormat,
    #[command(flatten)]
    pub solve: SolveOptionsArgs,
}

#[derive(Debug, Args)]
#[command(
    after_long_help = "Example:\n  participa report scenarios/porto-alegre-16.toml scenarios/compare/pa-no-quorum.toml --out report.html\n\nThe page has no scripts and loads nothing from the network: it can be opened offline,\nsent by email and printed (a print stylesheet starts each section on a new page)."
)]
pub struct ReportArgs {
    /// Scenario files.
    #[arg(required = true, num_args = 1..)]
    pub scenarios: Vec<PathBuf>,
    /// Rules to run on every scenario, comma-separated [default: each scenario's own rule].
    #[arg(long, value_enum, value_delimiter = ',')]
    pub rules: Vec<RuleArg>,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE.html")]
    pub out: PathBuf,
    /// Add a "what if" section: the first scenario swept over PATH=START:STOP:STEP (see `participa sweep`).
    #[arg(long = "vary", value_name = "PATH=VALUES")]
    pub vary: Vec<String>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub solve: SolveOptionsArgs,
}

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  # what each 5% of the abatements moved into the pool buys\n  participa sweep scenarios/subsidy-reallocation.toml \\\n      --vary \"budget.sources.Property tax abatements.to_pool=0:0.5:0.05\" --out results/abatements\n\n  # a grid: a formula weight against the floor, two rules\n  participa sweep scenarios/porto-alegre-16.toml --vary formula.weights.poverty=0:1:0.25 \\\n      --vary constraints.entitlement_floor=0,0.5,0.8 --rules optimal,greedy --out results/grid\n\nA PATH walks the scenario's tables; in a list of tables ([[budget.sources]],\n[[districts]], ...) the next segment picks the element by its name or id.\nWrites sweep.csv/.parquet (point, one column per PATH, rule, district, metric, value;\ndistrict `all` for city metrics) and charts against the first PATH."
)]
pub struct SweepArgs {
    /// Scenario TOML file.
    pub scenario: PathBuf,
    /// PATH=START:STOP:STEP (STOP included) or PATH=V1,V2,...; repeat for a grid.
    #[arg(long = "vary", required = true, value_name = "PATH=VALUES")]
    pub vary: Vec<String>,
    /// Rules to run at every point, comma-separated [default: the scenario's rule].
    #[arg(long, value_enum, value_delimiter = ',')]
    pub rules: Vec<RuleArg>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Worker threads (0 = all cores); the output is the same for any number.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Refuse sweeps with more runs than this.
    #[arg(long, default_value_t = participa::sweep::DEFAULT_MAX_POINTS)]
    pub max_points: usize,
    #[command(flatten)]
    pub solve: SolveOptionsArgs,
}

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  # 200 runs of the bundled study, all safeguards compared\n  participa simulate scenarios/capture-and-quorums.toml --runs 200 --out results/capture\n\n  # ten years of dynamics (funded infrastructure closes gaps)\n  participa simulate scenarios/capture-and-quorums.toml --runs 100 --years 10 --out results/ten-years\n\n  # which need-weighting formula closes infrastructure gaps fastest ([[simulation.formulas]])\n  participa simulate scenarios/formulas-over-ten-years.toml --runs 200 --out results/formulas\n\n  # the same 10,000 runs on two machines; the shards' rows concatenate to the whole\n  participa simulate STUDY.toml --runs 10000 --seed 7 --shard 1/2 --out part1\n  participa simulate STUDY.toml --runs 10000 --seed 7 --shard 2/2 --out part2\n\nThe study file holds a [simulation] table (every parameter has a documented\ndefault; see the README, \"Simulating capture and quorums\").\nWrites simulation.parquet (run, year, formula, safeguard, district, metric, value;\ndistrict `all` for city metrics), summary.csv (mean, median, 10% and 90% over runs),\nstudy.json (the parameters used), capture.svg/png and, with --years > 1,\ntrajectory_*.svg/png. Run i of seed S always gives the same rows, at any\n--threads and in any shard."
)]
pub struct SimulateArgs {
    /// Study TOML file with a [simulation] table.
    pub scenario: PathBuf,
    /// Monte Carlo runs (each a fresh city).
    #[arg(long, default_value_t = 100)]
    pub runs: usize,
    /// Base seed [default: the study's `seed`].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Years of dynamics per run [default: the study's `simulation.years`].
    #[arg(long)]
    pub years: Option<usize>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Worker threads (0 = all cores); the output is the same for any number.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Run only the i-th of n equal slices of the runs (1-based: 1/4 ... 4/4).
    #[arg(long, value_name = "i/n")]
    pub shard: Option<String>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}
