//! Solver backends (through good_lp), chosen explicitly, never by good_lp's
//! `default_solver`.
//!
//! | backend  | pure Rust | integers | duals | notes |
//! |----------|-----------|----------|-------|-------|
//! | clarabel | yes       | no       | yes   | interior point; fastest pure-Rust LP at scale |
//! | microlp  | yes       | yes      | no    | simplex + branch and bound; small MILPs only |
//! | highs    | no (C++)  | yes      | yes   | feature `highs`; large MILPs |

use good_lp::solvers::{ResolutionError, SolutionStatus};
use good_lp::{
    Constraint, DualValues, Expression, ProblemVariables, Solution, SolutionWithDual, SolverModel,
    Variable, WithInitialSolution, WithMipGap, WithTimeLimit, constraint::ConstraintReference,
    variable,
};
use serde::{Deserialize, Serialize};

use super::program::Program;

/// A solver backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Clarabel,
    Microlp,
    Highs,
}

/// Pure LPs up to this many variables go to microlp by default (simplex gives
/// vertex solutions: whole proposals where possible, no splitting of ties);
/// larger ones to clarabel, which is many times faster there.
pub const MICROLP_LP_LIMIT: usize = 5_000;

/// Above this many integer variables microlp rarely proves optimality within a
/// minute (measured: no solution above ~150 in 60 s without a warm start).
pub const MICROLP_INTEGER_LIMIT: usize = 150;

impl Backend {
    pub const ALL: [Backend; 3] = [Backend::Clarabel, Backend::Microlp, Backend::Highs];

    pub fn name(self) -> &'static str {
        match self {
            Backend::Clarabel => "clarabel",
            Backend::Microlp => "microlp",
            Backend::Highs => "highs",
        }
    }

    /// Whether this build includes the backend.
    pub fn is_compiled(self) -> bool {
        match self {
            Backend::Clarabel | Backend::Microlp => true,
            Backend::Highs => cfg!(feature = "highs"),
        }
    }

    pub fn supports_integers(self) -> bool {
        !matches!(self, Backend::Clarabel)
    }

    pub fn supports_duals(self) -> bool {
        !matches!(self, Backend::Microlp)
    }

    /// The backends compiled into this build.
    pub fn compiled() -> Vec<Backend> {
        Self::ALL.into_iter().filter(|b| b.is_compiled()).collect()
    }

    /// The default for a program: HiGHS when compiled in; otherwise microlp for
    /// MILPs and small LPs, clarabel for large LPs.
    pub fn default_for(program: &Program) -> Backend {
        if Backend::Highs.is_compiled() {
            Backend::Highs
        } else if program.integer_count() > 0 || program.vars.len() <= MICROLP_LP_LIMIT {
            Backend::Microlp
        } else {
            Backend::Clarabel
        }
    }

    /// The default backend for dual values (LP relaxations).
    pub fn default_for_duals() -> Backend {
        if Backend::Highs.is_compiled() {
            Backend::Highs
        } else {
            Backend::Clarabel
        }
    }
}

impl std::str::FromStr for Backend {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "clarabel" => Ok(Backend::Clarabel),
            "microlp" => Ok(Backend::Microlp),
            "highs" => Ok(Backend::Highs),
            other => Err(format!(
                "unknown solver `{other}`; the solvers are clarabel, microlp and highs"
            )),
        }
    }
}

/// How to run one solve.
#[derive(Debug, Clone, Default)]
pub struct SolveOptions {
    /// Seconds; `None` for no limit.
    pub time_limit: Option<f64>,
    /// Relative MIP gap at which to stop.
    pub mip_gap: f64,
    /// A feasible starting point (one value per variable), for MILPs.
    pub initial: Option<Vec<f64>>,
    /// For MILPs: the objective value of a known solution. The solver may
    /// discard every solution that is not better (HiGHS prunes with it from
    /// the first node), and then reports the program infeasible: the caller
    /// keeps its own solution.
    pub cutoff: Option<f64>,
    /// The cutoff comes from a local search as thorough as HiGHS's feasibility
    /// jump heuristic, which is then skipped (measured on the 200-proposal
    /// benchmark MILP: 20 ms with it, 10 ms without). Above the search's size
    /// limit, where it only adds what fits, the heuristic stays on: at 5,000
    /// proposals it still pays (0.8 s with it, 1.6 s without).
    pub searched: bool,
    pub want_duals: bool,
}

/// How a backend's solve ended, when it has values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawStatus {
    Optimal,
    /// Stopped at the time limit with a feasible point.
    TimeLimit,
    /// Stopped within the requested MIP gap.
    GapLimit,
}

/// Values (and duals) from a backend.
#[derive(Debug, Clone)]
pub struct RawSolution {
    pub values: Vec<f64>,
    /// Per row: the change in objective per unit increase of the row's active bound.
    pub duals: Option<Vec<f64>>,
    pub status: RawStatus,
}

/// A backend could not give values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BackendError {
    #[error("the program is infeasible")]
    Infeasible,
    #[error("the program is unbounded")]
    Unbounded,
    #[error("the time limit was reached before any feasible point was found")]
    NoSolutionInTime,
    #[error("{0}")]
    Other(String),
}

impl From<ResolutionError> for BackendError {
    fn from(e: ResolutionError) -> Self {
        match e {
            ResolutionError::Infeasible => BackendError::Infeasible,
            ResolutionError::Unbounded => BackendError::Unbounded,
            // HiGHS (through good_lp) says "NoSolutionFound" when it stops at a
            // limit with nothing feasible, e.g. at the time limit with nothing
            // beating the cutoff.
            ResolutionError::Other(s)
                if s.contains("Time limit")
                    || s.contains("time limit")
                    || s == "NoSolutionFound" =>
            {
                BackendError::NoSolutionInTime
            }
            other => BackendError::Other(other.to_string()),
        }
    }
}

/// Solves `program` with `backend`.
pub fn solve(
    program: &Program,
    backend: Backend,
    opts: &SolveOptions,
) -> Result<RawSolution, BackendError> {
    if program.integer_count() > 0 && !backend.supports_integers() {
        return Err(BackendError::Other(format!(
            "{} has no integer variables; use microlp or highs, or relax the program",
            backend.name()
        )));
    }
    match backend {
        Backend::Clarabel => solve_clarabel(program, opts),
        Backend::Microlp => solve_microlp(program, opts),
        Backend::Highs => solve_highs(program, opts),
    }
}

struct Built {
    vars: Vec<Variable>,
    problem: good_lp::variable::UnsolvedProblem,
}

fn build(program: &Program) -> Built {
    let mut pv = ProblemVariables::new();
    let vars: Vec<Variable> = program
        .vars
        .iter()
        .map(|v| {
            let mut d = variable().min(v.lower).max(v.upper);
            if v.integer {
                d = d.integer();
            }
            pv.add(d)
        })
        .collect();
    let mut obj = Expression::with_capacity(program.vars.len());
    for (j, v) in program.vars.iter().enumerate() {
        if v.objective != 0.0 {
            obj.add_mul(v.objective, vars[j]);
        }
    }
    let problem = if program.maximize {
        pv.maximise(obj)
    } else {
        pv.minimise(obj)
    };
    Built { vars, problem }
}

/// Row `i` as one or two constraints: `(row, is_lower_side, constraint)`.
fn constraints(program: &Program, vars: &[Variable]) -> Vec<(usize, Constraint)> {
    let mut out = Vec::with_capacity(program.rows.len());
    for (i, r) in program.rows.iter().enumerate() {
        let mut e = Expression::with_capacity(r.coeffs.len());
        for &(j, a) in &r.coeffs {
            e.add_mul(a, vars[j]);
        }
        // Bounds are copied, not computed: exact equality is what is meant.
        #[allow(clippy::float_cmp)]
        let equality = r.upper.is_finite() && r.lower.is_finite() && r.upper == r.lower;
        if equality {
            out.push((i, e.eq(r.upper)));
            continue;
        }
        if r.upper.is_finite() {
            out.push((i, e.clone().leq(r.upper)));
        }
        if r.lower.is_finite() {
            out.push((i, e.geq(r.lower)));
        }
    }
    out
}

fn add_all<M: SolverModel>(
    model: &mut M,
    cons: Vec<(usize, Constraint)>,
) -> Vec<(usize, ConstraintReference)> {
    cons.into_iter()
        .map(|(i, c)| (i, model.add_constraint(c)))
        .collect()
}

fn duals_of<D: DualValues>(d: &D, refs: &[(usize, ConstraintReference)], rows: usize) -> Vec<f64> {
    let mut out = vec![0.0; rows];
    for (i, r) in refs {
        out[*i] += d.dual(r.clone());
    }
    out
}

fn raw_status(s: SolutionStatus) -> RawStatus {
    match s {
        SolutionStatus::Optimal => RawStatus::Optimal,
        SolutionStatus::TimeLimit => RawStatus::TimeLimit,
        SolutionStatus::GapLimit => RawStatus::GapLimit,
    }
}

fn solve_clarabel(program: &Program, opts: &SolveOptions) -> Result<RawSolution, BackendError> {
    let Built { vars, problem } = build(program);
    let mut model = problem.using(good_lp::solvers::clarabel::clarabel);
    if let Some(t) = opts.time_limit {
        model.settings().time_limit(t.max(0.001));
    }
    let cons = constraints(program, &vars);
    let refs = add_all(&mut model, cons);
    let mut sol = model.solve()?;
    let values = vars.iter().map(|&v| sol.value(v)).collect();
    let duals = if opts.want_duals {
        Some(duals_of(&sol.compute_dual(), &refs, program.rows.len()))
    } else {
        None
    };
    Ok(RawSolution {
        values,
        duals,
        status: RawStatus::Optimal,
    })
}

fn solve_microlp(program: &Program, opts: &SolveOptions) -> Result<RawSolution, BackendError> {
    let Built { vars, problem } = build(program);
    let mut model = problem.using(good_lp::solvers::microlp::microlp);
    if let Some(t) = opts.time_limit {
        model = model.with_time_limit(t.max(0.001));
    }
    if program.integer_count() > 0 {
        model = model
            .with_mip_gap(opts.mip_gap as f32)
            .map_err(|e| BackendError::Other(e.to_string()))?;
        if let Some(init) = &opts.initial {
            model = model.with_initial_solution(vars.iter().copied().zip(init.iter().copied()));
        }
    }
    let cons = constraints(program, &vars);
    add_all(&mut model, cons);
    let sol = model.solve()?;
    Ok(RawSolution {
        values: vars.iter().map(|&v| sol.value(v)).collect(),
        duals: None,
        status: raw_status(sol.status()),
    })
}

#[cfg(feature = "highs")]
fn solve_highs(program: &Program, opts: &SolveOptions) -> Result<RawSolution, BackendError> {
    let Built { vars, problem } = build(program);
    let mut model = problem.using(good_lp::solvers::highs::highs);
    if let Some(t) = opts.time_limit {
        model = model.set_time_limit(t.max(0.001));
    }
    // One thread: HiGHS is then deterministic and does not compete with a sweep's workers.
    model = model.set_threads(1);
    // Presolve off: on the benchmark cities (20 floors, a quorum, a cap: few
    // rows, many knapsack-like columns) it costs more than it saves. Integer
    // programs: HiGHS 1.16 proves the 1e-4 gap 12x faster without it (20,000
    // proposals: 1.4 s against 18 s; 5,000: 1.0 s against 2.9 s). Linear
    // programs, same optimum: 200 proposals 1.5 -> 1.1 ms, 1,000 2.9 -> 1.3
    // ms, 5,000 17 -> 7-12 ms, 20,000 110 -> 54 ms (see BENCHMARKS.md).
    model = model.set_option("presolve", "off");
    if program.integer_count() > 0 {
        // No starting point: with one (good_lp passes it to Highs_setSolution),
        // HiGHS 1.16 has returned a worse solution flagged optimal (found by
        // tests/brute_force.rs, seed 367). Its own heuristics find incumbents fast.
        model = model
            .set_mip_rel_gap(opts.mip_gap as f32)
            .map_err(|e| BackendError::Other(e.to_string()))?;
        if let Some(c) = opts.cutoff {
            // HiGHS minimises internally: a maximisation's cutoff is negated.
            // The margin keeps a solution worth exactly `c` admissible.
            let margin = 1e-9 * c.abs().max(1.0);
            let bound = if program.maximize {
                margin - c
            } else {
                c + margin
            };
            model = model.set_option("objective_bound", bound);
            if opts.searched {
                model = model.set_option("mip_heuristic_run_feasibility_jump", false);
            }
        }
    }
    let cons = constraints(program, &vars);
    let refs = add_all(&mut model, cons);
    let mut sol = model.solve()?;
    let values = vars.iter().map(|&v| sol.value(v)).collect();
    let status = raw_status(sol.status());
    let duals = if opts.want_duals && program.integer_count() == 0 {
        Some(duals_of(&sol.compute_dual(), &refs, program.rows.len()))
    } else {
        None
    };
    Ok(RawSolution {
        values,
        duals,
        status,
    })
}

#[cfg(not(feature = "highs"))]
fn solve_highs(_: &Program, _: &SolveOptions) -> Result<RawSolution, BackendError> {
    Err(BackendError::Other(
        "HiGHS is not compiled into this build; rebuild with `cargo build --release --features highs` (needs cmake and libclang-dev)".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// max 3x + 2y  s.t.  x + y <= 4,  x + 3y <= 9,  x <= 3 (as a row), x, y >= 0.
    /// Optimum x = 3, y = 1, objective 11; the second row is slack (6 < 9). Duals by
    /// complementary slackness on the binding rows: y's column 2 = y1, x's column
    /// 3 = y1 + y3, so y1 = 2, y3 = 1, y2 = 0.
    fn textbook() -> Program {
        let mut p = Program {
            maximize: true,
            ..Default::default()
        };
        let x = p.add_var("x", 0.0, f64::INFINITY, false, 3.0);
        let y = p.add_var("y", 0.0, f64::INFINITY, false, 2.0);
        p.add_row("a", vec![(x, 1.0), (y, 1.0)], f64::NEG_INFINITY, 4.0);
        p.add_row("b", vec![(x, 1.0), (y, 3.0)], f64::NEG_INFINITY, 9.0);
        p.add_row("c", vec![(x, 1.0)], f64::NEG_INFINITY, 3.0);
        p
    }

    fn check_backend(b: Backend) {
        if !b.is_compiled() {
            return;
        }
        let p = textbook();
        let opts = SolveOptions {
            want_duals: true,
            ..Default::default()
        };
        let s = solve(&p, b, &opts).unwrap();
        // Interior-point backends converge to ~1e-8.
        assert!((s.values[0] - 3.0).abs() < 1e-6, "{b:?} {:?}", s.values);
        assert!((s.values[1] - 1.0).abs() < 1e-6, "{b:?} {:?}", s.values);
        if b.supports_duals() {
            let d = s.duals.unwrap();
            for (got, want) in d.iter().zip([2.0, 0.0, 1.0]) {
                assert!((got - want).abs() < 1e-6, "{b:?} duals {d:?}");
            }
        }
    }

    #[test]
    fn clarabel_textbook() {
        check_backend(Backend::Clarabel);
    }
    #[test]
    fn microlp_textbook() {
        check_backend(Backend::Microlp);
    }
    #[test]
    fn highs_textbook() {
        check_backend(Backend::Highs);
    }

    /// A knapsack: max 5a + 4b + 3c s.t. 2a + 2b + 2c <= 4, binary: the optimum
    /// takes a and b (9). With a cutoff at 9, HiGHS may return that optimum or
    /// report that nothing beats it; with a cutoff above 9 nothing qualifies;
    /// with one below it, the optimum comes back.
    #[test]
    fn highs_cutoff_prunes_what_is_not_better() {
        if !Backend::Highs.is_compiled() {
            return;
        }
        let mut p = Program {
            maximize: true,
            ..Default::default()
        };
        let v: Vec<usize> = [5.0, 4.0, 3.0]
            .iter()
            .enumerate()
            .map(|(i, &w)| p.add_var(format!("x{i}"), 0.0, 1.0, true, w))
            .collect();
        p.add_row(
            "budget",
            v.iter().map(|&j| (j, 2.0)).collect(),
            f64::NEG_INFINITY,
            4.0,
        );
        let with = |cutoff: f64| {
            solve(
                &p,
                Backend::Highs,
                &SolveOptions {
                    cutoff: Some(cutoff),
                    searched: true,
                    ..Default::default()
                },
            )
        };
        let nine = |s: RawSolution| (p.objective_value(&s.values) - 9.0).abs() < 1e-6;
        assert!(nine(with(8.0).unwrap()));
        match with(9.0) {
            Ok(s) => assert!(nine(s)),
            Err(e) => assert_eq!(e, BackendError::Infeasible),
        }
        assert_eq!(with(9.5).unwrap_err(), BackendError::Infeasible);
    }

    /// HiGHS stopping at a limit with nothing feasible (good_lp's
    /// "NoSolutionFound") is a timeout, which the caller answers with its own
    /// allocation, not an error.
    #[test]
    fn highs_without_a_solution_is_a_timeout() {
        let e = BackendError::from(ResolutionError::Other("NoSolutionFound"));
        assert_eq!(e, BackendError::NoSolutionInTime);
        let other = BackendError::from(ResolutionError::Other("Unknown"));
        assert!(matches!(other, BackendError::Other(_)), "{other:?}");
    }

    /// A >= row in a maximisation: max x + y s.t. x + y <= 2, x >= 1.5 (row), y <= 1 (row),
    /// objective gains x + y = 2 whatever the split, so the >= row is not binding... use
    /// max -x + y: x as small as the floor allows: x = 1.5, y = 0.5; duals: budget +1,
    /// floor: raising it by 1 costs 2 (x up 1, y down 1) -> -2.
    #[test]
    fn geq_row_dual_sign_is_objective_per_unit() {
        for b in [Backend::Clarabel, Backend::Highs] {
            if !b.is_compiled() {
                continue;
            }
            let mut p = Program {
                maximize: true,
                ..Default::default()
            };
            let x = p.add_var("x", 0.0, f64::INFINITY, false, -1.0);
            let y = p.add_var("y", 0.0, f64::INFINITY, false, 1.0);
            p.add_row("budget", vec![(x, 1.0), (y, 1.0)], f64::NEG_INFINITY, 2.0);
            p.add_row("floor", vec![(x, 1.0)], 1.5, f64::INFINITY);
            let s = solve(
                &p,
                b,
                &SolveOptions {
                    want_duals: true,
                    ..Default::default()
                },
            )
            .unwrap();
            let d = s.duals.unwrap();
            assert!((d[0] - 1.0).abs() < 1e-6, "{b:?} {d:?}");
            assert!((d[1] + 2.0).abs() < 1e-6, "{b:?} {d:?}");
        }
    }
}
