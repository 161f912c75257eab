//! The `optimal` rule: the allocation LP/MILP.
//!
//! Variables: `x_p` in [0, 1], the funded share of proposal p (binary when p is
//! indivisible; with a minimum share m_p a binary switch `z_p` makes it
//! semi-continuous: `m_p z_p <= x_p <= z_p`), and a slack `s_i >= 0` for each
//! floor and quorum i. With cost `c_p`, pool `B`, objective weight `w_p`:
//!
//! ```text
//! maximise   sum_p (w_p / W) x_p  -  M sum_i s_i                (W = sum_p w_p)
//! budget     sum_p (c_p / B) x_p                    <= 1
//! floor d    sum_{p in d} (c_p / B) x_p   + s_d     >= F_d / B   F_d = min(alpha B share_d, sum_{p in d} c_p)
//! cap d      sum_{p in d} (c_p / B) x_p             <= cap_d
//! cat min c  sum_{p in c} (c_p / B) x_p   + s_c     >= min_c
//! cat cap c  sum_{p in c} (c_p / B) x_p             <= max_c
//! quorum g   sum_{p in T_g} (c_p / B) x_p + s_g     >= q_g       T_g: top k of g's delegates
//! ```
//!
//! Rows are scaled by 1/B and the objective by 1/W so that magnitudes stay near
//! 1 whatever the currency. Floors and quorums are soft, and the solve is exact
//! lexicographically: a first program finds the smallest total shortfall S*
//! (minimise sum s_i; skipped when a greedy start already meets every floor),
//! a second maximises the score subject to sum s_i <= S*. So a shortfall is
//! reported only when the constraints truly cannot be met, and then it is the
//! smallest possible. (A single program with a big penalty M would need M to
//! dwarf every score difference, which wrecks branch and bound: measured, a
//! 50-proposal MILP took microlp 18 s that way and 3 s in two phases.) The
//! penalty M stays in the LP relaxation, where it caps the shadow price of a
//! floor that cannot be met.
//!
//! Before the score phase of an integer program, a local search
//! (`solve::incumbent`) improves the greedy (or phase-one) allocation; its
//! value is the solver's cutoff, and the solver's answer is kept only if it is
//! better. When nothing beats the cutoff (HiGHS then reports the program
//! infeasible), the search's allocation is the optimum.
//!
//! Shadow prices come from the LP relaxation (clarabel, or HiGHS when compiled
//! in): the change of the objective, in priority-score units, per currency unit
//! of each constraint's bound.

use std::time::Instant;

use super::backend::{
    self, Backend, BackendError, MICROLP_INTEGER_LIMIT, RawSolution, RawStatus, SolveOptions,
};
use super::greedy::{by_ratio, fill, warm_start};
use super::incumbent;
use super::program::Program;
use super::{AllocationRule, Outcome, Prepared, SolveSettings, Status};
use crate::error::SolveError;

/// Largest slack penalty (objective units per pool share); larger values hurt
/// the solvers' numerics, and the lexicographic phases make the result exact anyway.
const MAX_PENALTY: f64 = 1e6;

/// Slack (in pool shares) the score phase may add to the minimum total
/// shortfall: 1e-10 of the pool, below any amount of money that matters and
/// above the simplex's rounding.
const PHASE_TOLERANCE: f64 = 1e-10;

/// Values this close to 0 or 1 are snapped (interior-point and MIP tolerances).
const SNAP: f64 = 1e-7;

/// The LP/MILP allocation rule.
pub struct Optimal;

/// Where each part of the allocation lives in a [`Program`].
#[derive(Debug, Clone)]
pub struct Layout {
    /// Variable of each proposal's funded share.
    pub x: Vec<usize>,
    /// Switch variable of each semi-continuous proposal.
    pub z: Vec<Option<usize>>,
    /// Slack variable of each constraint spec that is a floor or quorum.
    pub slack: Vec<Option<usize>>,
    /// Row of each constraint spec.
    pub rows: Vec<usize>,
    /// W: the objective was divided by this.
    pub objective_scale: f64,
}

/// Builds the program of the `optimal` rule (see the module docs for the math).
pub fn build_program(prep: &Prepared) -> (Program, Layout) {
    let sc = prep.scenario;
    let pool = sc.pool.amount;
    let total: f64 = prep.weights.iter().sum();
    let scale = if total > 0.0 { total } else { 1.0 };
    let max_ratio = prep
        .weights
        .iter()
        .zip(&prep.costs)
        .map(|(w, c)| (w / scale) / (c / pool))
        .fold(0.0, f64::max);
    let penalty = (10.0 * max_ratio + 1.0).min(MAX_PENALTY);
    let mut prog = Program {
        maximize: true,
        ..Default::default()
    };
    let mut x = Vec::with_capacity(sc.proposals.len());
    let mut z = Vec::with_capacity(sc.proposals.len());
    for (p, prop) in sc.proposals.iter().enumerate() {
        x.push(prog.add_var(
            format!("x:{}", prop.id),
            0.0,
            1.0,
            !prop.divisible,
            prep.weights[p] / scale,
        ));
    }
    for (p, prop) in sc.proposals.iter().enumerate() {
        z.push(match (prop.divisible, prop.min_share) {
            (true, Some(m)) if m > 0.0 => {
                let zv = prog.add_var(format!("z:{}", prop.id), 0.0, 1.0, true, 0.0);
                prog.add_row(
                    format!("on:{}", prop.id),
                    vec![(x[p], 1.0), (zv, -1.0)],
                    f64::NEG_INFINITY,
                    0.0,
                );
                prog.add_row(
                    format!("min-share:{}", prop.id),
                    vec![(x[p], 1.0), (zv, -m)],
                    0.0,
                    f64::INFINITY,
                );
                Some(zv)
            }
            _ => None,
        });
    }
    let mut slack = Vec::with_capacity(prep.specs.len());
    let mut rows = Vec::with_capacity(prep.specs.len());
    for s in &prep.specs {
        let mut coeffs: Vec<(usize, f64)> = s
            .members
            .iter()
            .map(|&p| (x[p], prep.costs[p] / pool))
            .collect();
        let bound = s.bound / pool;
        if s.kind.is_floor() {
            let sv = prog.add_var(format!("slack:{}", s.id), 0.0, bound, false, -penalty);
            coeffs.push((sv, 1.0));
            slack.push(Some(sv));
            rows.push(prog.add_row(s.id.clone(), coeffs, bound, f64::INFINITY));
        } else {
            slack.push(None);
            rows.push(prog.add_row(s.id.clone(), coeffs, f64::NEG_INFINITY, bound));
        }
    }
    (
        prog,
        Layout {
            x,
            z,
            slack,
            rows,
            objective_scale: scale,
        },
    )
}

/// Every variable's value for funded shares `x` (switches on where funded,
/// slacks equal to the shortfalls).
fn full_vector(prep: &Prepared, prog: &Program, layout: &Layout, x: &[f64]) -> Vec<f64> {
    let pool = prep.scenario.pool.amount;
    let mut v = vec![0.0; prog.vars.len()];
    for (p, &j) in layout.x.iter().enumerate() {
        v[j] = x[p];
        if let Some(zj) = layout.z[p] {
            v[zj] = if x[p] > 0.0 { 1.0 } else { 0.0 };
        }
    }
    for (i, s) in prep.specs.iter().enumerate() {
        if let Some(sj) = layout.slack[i] {
            v[sj] = ((s.bound - s.activity(&prep.costs, x)) / pool).max(0.0);
        }
    }
    v
}

/// Funded shares from a backend's values: clamped, integers rounded, near-0/1
/// snapped, then trimmed so no cap or the budget is exceeded by rounding.
fn clean(prep: &Prepared, layout: &Layout, values: &[f64]) -> Vec<f64> {
    let props = &prep.scenario.proposals;
    let mut x: Vec<f64> = layout
        .x
        .iter()
        .zip(props)
        .map(|(&j, p)| {
            let v = values[j].clamp(0.0, 1.0);
            if !p.divisible || (v - v.round()).abs() < SNAP {
                v.round()
            } else if let Some(m) = p.min_share.filter(|&m| v < m) {
                if v < m / 2.0 { 0.0 } else { m }
            } else {
                v
            }
        })
        .collect();
    trim_to_caps(prep, &mut x);
    x
}

/// Reduces divisible proposals (lowest weight per cost first) where rounding
/// pushed the budget or a cap over its bound.
fn trim_to_caps(prep: &Prepared, x: &mut [f64]) {
    for s in prep.specs.iter().filter(|s| !s.kind.is_floor()) {
        let mut excess = s.activity(&prep.costs, x) - s.bound;
        if excess <= 0.0 {
            continue;
        }
        for p in by_ratio(prep, &s.members).into_iter().rev() {
            let prop = &prep.scenario.proposals[p];
            if !prop.divisible || x[p] <= 0.0 {
                continue;
            }
            let floor_share = prop.min_share.unwrap_or(0.0);
            let cut = (excess / prep.costs[p]).min(x[p] - floor_share).max(0.0);
            x[p] -= cut;
            excess -= cut * prep.costs[p];
            if excess <= 0.0 {
                break;
            }
        }
    }
}

fn remaining(deadline: Instant) -> f64 {
    deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64()
}

fn backend_err(b: Backend, e: BackendError) -> SolveError {
    SolveError::Backend {
        backend: b.name().into(),
        message: e.to_string(),
    }
}

impl AllocationRule for Optimal {
    fn name(&self) -> &'static str {
        "optimal"
    }

    fn allocate(&self, prep: &Prepared, settings: &SolveSettings) -> Result<Outcome, SolveError> {
        let deadline = Instant::now() + settings.time_limit;
        let pool = prep.scenario.pool.amount;
        let (prog, layout) = build_program(prep);
        let n_int = prog.integer_count();
        let relaxed = prog.relaxed();
        let backend = settings
            .backend
            .unwrap_or_else(|| Backend::default_for(if settings.relax { &relaxed } else { &prog }));
        if !backend.is_compiled() {
            return Err(SolveError::BackendUnavailable {
                backend: backend.name().into(),
                hint: "rebuild with `--features highs` (needs cmake and libclang-dev), or choose --solver microlp or clarabel".into(),
            });
        }
        if n_int > 0 && !settings.relax && !backend.supports_integers() {
            return Err(SolveError::Unsupported(format!(
                "{} cannot solve integer programs, and this scenario has {n_int} indivisible or minimum-share proposals: use --solver microlp (small programs) or highs, or pass --relax to round the LP relaxation",
                backend.name()
            )));
        }
        let mut notes = Vec::new();

        // LP relaxation: shadow prices and the bound for the gap.
        let dual_backend = if backend.supports_duals() {
            backend
        } else {
            Backend::default_for_duals()
        };
        let lp_opts = SolveOptions {
            time_limit: Some(remaining(deadline)),
            want_duals: true,
            ..Default::default()
        };
        let lp: Option<RawSolution> = match backend::solve(&relaxed, dual_backend, &lp_opts) {
            Ok(s) => Some(s),
            Err(e) => {
                notes.push(format!(
                    "LP relaxation ({}) failed: {e}; no shadow prices",
                    dual_backend.name()
                ));
                None
            }
        };
        let lp_bound_internal = lp.as_ref().map(|s| relaxed.objective_value(&s.values));
        let shadow_prices = lp.as_ref().and_then(|s| s.duals.as_ref()).map(|d| {
            layout
                .rows
                .iter()
                .map(|&r| d[r] * layout.objective_scale / pool)
                .collect()
        });

        let (x, status, solver) = if settings.relax {
            let lp = lp.as_ref().ok_or_else(|| {
                backend_err(
                    dual_backend,
                    BackendError::Other("no LP solution to round".into()),
                )
            })?;
            let mut x: Vec<f64> = layout
                .x
                .iter()
                .zip(&prep.scenario.proposals)
                .map(|(&j, p)| {
                    let v = lp.values[j].clamp(0.0, 1.0);
                    if v >= 1.0 - SNAP {
                        1.0
                    } else if !p.divisible || p.min_share.is_some_and(|m| v < m) {
                        0.0
                    } else {
                        v
                    }
                })
                .collect();
            trim_to_caps(prep, &mut x);
            let all: Vec<usize> = (0..x.len()).collect();
            fill(prep, &mut x, &by_ratio(prep, &all));
            notes.push("--relax: the LP relaxation was rounded down (fractional indivisible proposals dropped) and the freed money refilled greedily by score per cost".into());
            (
                x,
                Status::Rounded,
                format!("{} (relaxed)", dual_backend.name()),
            )
        } else if n_int == 0 && backend == dual_backend && lp.is_some() {
            let lp = lp.as_ref().map(|s| s.values.clone()).unwrap_or_default();
            let x = clean(prep, &layout, &lp);
            (x, Status::Optimal, backend.name().to_string())
        } else {
            let (x, st) = self.lexicographic(
                prep, &prog, &layout, backend, settings, deadline, &mut notes,
            )?;
            (x, st, backend.name().to_string())
        };

        if status == Status::TimeLimit
            && backend == Backend::Microlp
            && n_int > MICROLP_INTEGER_LIMIT
        {
            notes.push(format!(
                "microlp, the pure-Rust backend, cannot prove optimality for {n_int} integer variables in time: build with `--features highs` (HiGHS) or pass --relax"
            ));
        }
        let scale = layout.objective_scale;
        let final_obj = prog.objective_value(&full_vector(prep, &prog, &layout, &x));
        let gap = lp_bound_internal.map(|b| ((b - final_obj) / b.abs().max(1e-12)).max(0.0));
        Ok(Outcome {
            x,
            status: Some(status),
            solver: Some(solver),
            lp_bound: lp_bound_internal.map(|b| b * scale),
            // A proven optimum has no gap (beyond the MIP tolerance); otherwise the gap
            // is measured against the LP relaxation, an upper bound on the true gap.
            gap: if status == Status::Optimal {
                Some(0.0)
            } else {
                gap
            },
            shadow_prices,
            notes,
        })
    }
}

impl Optimal {
    /// The exact lexicographic solve: first the smallest total shortfall S*
    /// (skipped when the greedy start already meets every floor, as S* is then
    /// 0), then the best score among allocations within S*.
    #[allow(clippy::too_many_arguments)]
    fn lexicographic(
        &self,
        prep: &Prepared,
        prog: &Program,
        layout: &Layout,
        backend: Backend,
        settings: &SolveSettings,
        deadline: Instant,
        notes: &mut Vec<String>,
    ) -> Result<(Vec<f64>, Status), SolveError> {
        let run = |p: &Program, init: Vec<f64>, cutoff: Option<f64>, searched: bool| {
            backend::solve(
                p,
                backend,
                &SolveOptions {
                    time_limit: Some(remaining(deadline)),
                    mip_gap: settings.mip_gap,
                    initial: Some(init),
                    cutoff,
                    searched,
                    want_duals: false,
                },
            )
        };
        let timed_out = |notes: &mut Vec<String>| {
            notes.push(format!(
                "the time limit ({:.0} s) was reached; the best allocation found is returned",
                settings.time_limit.as_secs_f64()
            ));
        };
        let pool = prep.scenario.pool.amount;
        let slacks: Vec<usize> = layout.slack.iter().flatten().copied().collect();
        let total_slack = |v: &[f64]| slacks.iter().map(|&s| v[s]).sum::<f64>();
        let start = warm_start(prep);
        let v0 = full_vector(prep, prog, layout, &start);

        // Phase 1: the smallest total shortfall.
        let (x1, v1) = if total_slack(&v0) <= super::SHORTFALL_TOLERANCE {
            (start, v0)
        } else {
            let mut p1 = prog.clone();
            for v in &mut p1.vars {
                v.objective = 0.0;
            }
            for &s in &slacks {
                p1.vars[s].objective = -1.0;
            }
            match run(&p1, v0, None, false) {
                Ok(s) => {
                    let x1 = clean(prep, layout, &s.values);
                    if s.status == RawStatus::TimeLimit {
                        timed_out(notes);
                        return Ok((x1, Status::TimeLimit));
                    }
                    let v1 = full_vector(prep, prog, layout, &x1);
                    (x1, v1)
                }
                Err(BackendError::NoSolutionInTime) => {
                    timed_out(notes);
                    notes.push(
                        "no solution was found in time: the greedy starting point is returned"
                            .into(),
                    );
                    return Ok((start, Status::TimeLimit));
                }
                Err(e) => return Err(backend_err(backend, e)),
            }
        };
        let min_total = total_slack(&v1);

        // Phase 2: the best score with no more than that shortfall. Slack costs
        // nothing here (its total is bounded), which keeps the LP bound tight.
        let mut p2 = prog.clone();
        for &s in &slacks {
            p2.vars[s].objective = 0.0;
        }
        let tol = PHASE_TOLERANCE * (1.0 + min_total);
        p2.add_row(
            "total-shortfall",
            slacks.iter().map(|&s| (s, 1.0)).collect(),
            f64::NEG_INFINITY,
            min_total + tol,
        );
        // A near-optimal allocation within that shortfall, found by local
        // search: the solver's starting point and cutoff.
        let (inc, searched) = incumbent::improve(prep, x1, (min_total + tol) * pool, deadline);
        let v_inc = full_vector(prep, prog, layout, &inc);
        let inc_value = p2.objective_value(&v_inc);
        let cutoff = (prog.integer_count() > 0).then_some(inc_value);
        match run(&p2, v_inc, cutoff, searched) {
            Ok(s) => {
                let x2 = clean(prep, layout, &s.values);
                let st = if s.status == RawStatus::TimeLimit {
                    timed_out(notes);
                    Status::TimeLimit
                } else {
                    Status::Optimal
                };
                // The solver may return a solution no better than the cutoff
                // (within its gap): the better of the two is kept.
                let value = p2.objective_value(&full_vector(prep, prog, layout, &x2));
                Ok((if value >= inc_value { x2 } else { inc }, st))
            }
            Err(BackendError::NoSolutionInTime) => {
                timed_out(notes);
                Ok((inc, Status::TimeLimit))
            }
            // Nothing beats the cutoff: the search's allocation is optimal
            // (within the gap). Without a cutoff, rounding made the bound on
            // the total shortfall a hair too tight, and the search's allocation
            // (the same shortfall, maybe less score) is the answer.
            Err(BackendError::Infeasible) => {
                if cutoff.is_none() {
                    notes.push("the score-maximising phase found no allocation within the minimum shortfall (rounding); the minimum-shortfall allocation is returned".into());
                }
                Ok((inc, Status::Optimal))
            }
            Err(e) => Err(backend_err(backend, e)),
        }
    }
}
