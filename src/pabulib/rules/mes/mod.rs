//! The Method of Equal Shares, as pabutools 1.2.x computes it
//! (`method_of_equal_shares`, resolute, lexicographic tie-breaking).
//!
//! Every voter starts with an equal share of the budget. Round after round,
//! each project still affordable by its supporters gets its *affordability*
//! ρ: the smallest factor such that supporters paying `min(budget, ρ × their
//! satisfaction)` cover its cost. The project with the smallest ρ is funded
//! (ties: smallest project id), its supporters pay, and the rounds stop when
//! no project can be paid for.
//!
//! With a voter budget increment, the whole run is repeated with each voter's
//! share raised by the increment until the outcome is exhaustive (nothing
//! else fits the budget: pabutools' stop) or no longer fits (then the
//! previous outcome is returned). Without the exhaustive stop, the loop only
//! stops when the outcome no longer fits or funds every project someone
//! supports (Wieliczka 2023's official "add1-comparison" result).
//!
//! Most increments change nothing: on Budapest 2024 the share rises 22,002
//! times and the outcome changes 123 times. So shares are skipped in
//! growing jumps, each *certified* to change nothing in between (see
//! [`Compiled::certifies`]): with the same winners in the same order at
//! shares `a < b`, every voter's money at every round lies between its values
//! at `a` and at `b` (more share, less paid for the same project), so every
//! project's affordability lies between too. If at `b` every rival of each
//! round's winner is further from it than the winner's affordability at `a`
//! (its worst case), no share between can pick another winner. When the two
//! ends alone are too far apart for that, the stretch is split at its middle
//! ([`scan::Bridge`]), whose run is cheap because `b`'s bounds let it skip most
//! rivals; a jump whose ends fund different projects, or that needs too many
//! splits, is halved, down to single increments, so the outcome is that of
//! the step-by-step loop ([`equal_shares_stepwise`] keeps it for tests).
//! The increments are walked in fixed chunks, in parallel (see [`scan`]).
//!
//! Known gap in the certificates: a project whose supporters' money is
//! below its cost by less than [`TIE_TOLERANCE`] (relative) counts as
//! affordable at ρ = the largest budget / satisfaction among them (everyone
//! pays all), which, unlike every other affordability, can be *lower* at a
//! smaller share. If a rival sits in that window only at shares strictly
//! between two runs, the certificate (and a bound borrowed from the larger
//! share) may miss it. It needs money within a billionth of a cost without
//! being equal to it (exact equality is safe); on every test instance the
//! jumping loop's selections and increments equal the one-by-one loop's.
//!
//! Arithmetic: voters' budgets and ρ are `f64`; two projects whose ρ agree
//! within [`TIE_TOLERANCE`] (relative) are treated as tied and resolved by id,
//! as pabutools resolves exact ties of its fractions. Costs, budgets and the
//! stop tests are exact (scaled integers). In each round projects are
//! examined in order of a lower bound on their affordability (budgets only
//! shrink, so earlier rounds' values remain bounds), and the scan stops as
//! soon as that bound exceeds the best ρ found. Once a best exists (or a
//! followed run says where the winner's ρ is at most), a rival is asked
//! about the round's horizon: one pass over its supporters shows most of
//! them above it, and settles the rich of the rest, so that only the winner
//! and near-ties are solved exactly, over the few supporters left open (see
//! [`Compiled::affordability`]).
//! The exact solve carries the open supporters' total satisfaction by
//! subtraction across its passes (as the loop it replaced did): summing it
//! afresh in every pass cost 15% of Budapest's time. The drift is about one
//! rounding (1e-16) per pass relative to the starting total, so it nears the
//! 1e-12 slack the certificate and the screen leave only if the supporters
//! left rich hold under ~1/1000 of it after ~10 passes; on every test
//! instance the selections equal the one-by-one loop's and pabutools'.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use num_rational::BigRational;
use num_traits::ToPrimitive;

use super::Money;
use crate::pabulib::Election;
use crate::pabulib::satisfaction::SatProfile;
use scan::{Increments, Walk};

mod scan;

/// Relative difference below which two affordabilities are a tie, and by
/// which supporters' money may fall short of a cost and still be counted as
/// covering it (the float counterpart of pabutools' exact equality).
pub const TIE_TOLERANCE: f64 = 1e-9;

/// Rounding slack on top of the tie tolerance in certificates, so that a
/// comparison certified at the two ends cannot flip by a float rounding in
/// between.
const CERTIFY_SLACK: f64 = 1e-12;

/// A rival with a smaller id must stay above the winner's ρ times this.
const CERTIFY_UP: f64 = 1.0 + TIE_TOLERANCE + CERTIFY_SLACK;

/// Any other rival's ρ times this must stay at or above the winner's.
const CERTIFY_DOWN: f64 = 1.0 + TIE_TOLERANCE - CERTIFY_SLACK;

/// How to run equal shares.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MesOptions {
    /// Raise every voter's share by this much and rerun (absent: one run).
    pub voter_budget_increment: Option<BigRational>,
    /// Stop at the first exhaustive outcome (pabutools' behaviour). When
    /// false, keep raising while the outcome fits the budget.
    pub exhaustive_stop: bool,
}

impl MesOptions {
    /// Plain equal shares (one run, each voter gets budget / voters).
    pub fn plain() -> Self {
        MesOptions {
            voter_budget_increment: None,
            exhaustive_stop: true,
        }
    }

    /// The "add1" variant cities use: increment 1, stop at the first exhaustive outcome.
    pub fn add1() -> Self {
        MesOptions {
            voter_budget_increment: Some(BigRational::from_integer(1.into())),
            exhaustive_stop: true,
        }
    }
}

/// What an equal-shares computation ended with.
#[derive(Debug, Clone, PartialEq)]
pub struct MesResult {
    /// Project indices in the order they were funded (free projects first).
    pub selected: Vec<usize>,
    /// The per-voter share of the returned outcome.
    pub voter_budget: BigRational,
    /// How many times the share was raised to reach it.
    pub increments: u64,
    /// How many runs (complete or stopped early) the walk needed, up to the
    /// increment where it stopped: the same on any number of threads (work
    /// a thread did past that point, then cancelled, is not counted).
    pub runs: u64,
}

/// The projects equal shares can fund, compiled for fast runs.
struct Compiled {
    /// Election project index of each eligible project.
    project: Vec<usize>,
    cost: Vec<f64>,
    /// Supporters of eligible project `e`: `groups[offsets[e]..offsets[e + 1]]`
    /// with their satisfaction alongside.
    offsets: Vec<usize>,
    groups: Vec<u32>,
    sats: Vec<f64>,
    /// The satisfaction every supporter of `e` draws from it, when they all
    /// draw the same (cost and cardinality satisfaction of approval
    /// ballots): the passes then stream the supporters' group ids alone.
    uniform: Vec<Option<f64>>,
    total_sat: Vec<f64>,
    weights: Vec<f64>,
    /// Id rank (lexicographic order) of each eligible project, for ties.
    id_rank: Vec<usize>,
}

fn compile(election: &Election, profile: &SatProfile) -> (Compiled, Vec<usize>) {
    let times_cost = profile.satisfaction.times_cost();
    let mut c = Compiled {
        project: vec![],
        cost: vec![],
        offsets: vec![0],
        groups: vec![],
        sats: vec![],
        uniform: vec![],
        total_sat: vec![],
        weights: profile.weights.iter().map(|&w| w as f64).collect(),
        id_rank: vec![],
    };
    let mut free = vec![];
    for (p, project) in election.projects.iter().enumerate() {
        let cost = project.cost.to_f64().unwrap_or(f64::INFINITY);
        let unit = if times_cost { cost } else { 1.0 };
        let (gs, fs) = profile.supporters(p);
        let positive = fs.iter().any(|&f| f > 0);
        if !positive {
            continue;
        }
        if cost <= 0.0 {
            free.push(p);
            continue;
        }
        let mut total = 0.0;
        for (&g, &f) in gs.iter().zip(fs) {
            if f > 0 {
                let s = f as f64 * unit;
                c.groups.push(g);
                c.sats.push(s);
                total += c.weights[g as usize] * s;
            }
        }
        let sats = &c.sats[c.offsets[c.offsets.len() - 1]..];
        c.uniform.push(
            Some(sats[0]).filter(|&first| sats.iter().all(|s| s.to_bits() == first.to_bits())),
        );
        c.offsets.push(c.groups.len());
        c.project.push(p);
        c.cost.push(cost);
        c.total_sat.push(total);
    }
    let mut by_id: Vec<usize> = (0..c.project.len()).collect();
    by_id.sort_by(|&a, &b| {
        election.projects[c.project[a]]
            .id
            .cmp(&election.projects[c.project[b]].id)
    });
    c.id_rank = vec![0; c.project.len()];
    for (rank, &e) in by_id.iter().enumerate() {
        c.id_rank[e] = rank;
    }
    free.sort_by(|&a, &b| election.projects[a].id.cmp(&election.projects[b].id));
    (c, free)
}

/// Reused buffers of one run.
#[derive(Default)]
struct Scratch {
    purses: Vec<Purse>,
    alive: Vec<bool>,
    stale: Vec<f64>,
    queue: BinaryHeap<Reverse<Pending>>,
    items: Vec<Breakpoint>,
    /// Which supporters a pass left open (see [`sum_supporters`]).
    slots: Vec<u32>,
    cand: Vec<(usize, f64)>,
    /// Set when an affordability came from the everyone-pays-all branch,
    /// where it grows with the voters' money and certification is unsound.
    degenerate: bool,
}

/// A project waiting to be examined in a round, by the lower bound on its
/// affordability (ties: by index, so the order is fixed).
#[derive(Debug, Clone, Copy)]
struct Pending {
    bound: f64,
    e: usize,
}

impl Pending {
    fn new(bound: f64, e: usize) -> Reverse<Pending> {
        Reverse(Pending { bound, e })
    }
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pending {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bound
            .total_cmp(&other.bound)
            .then(self.e.cmp(&other.e))
    }
}

/// The decisions of one run: the winners in order and the affordability
/// each was funded at, and what the run learnt about the others.
#[derive(Debug, Clone, Default)]
struct Trace {
    winners: Vec<usize>,
    rhos: Vec<f64>,
    degenerate: bool,
    /// Round by round (one row of `n` per round, the last row for the round
    /// that found nothing affordable), a lower bound on every project's
    /// affordability at that round: exact where evaluated, a screen's bound
    /// or an earlier round's value otherwise, infinite once unaffordable or
    /// funded.
    floors: Vec<f64>,
    /// False when the run stopped early, on leaving the trace it followed.
    complete: bool,
}

/// One group of identical ballots' money: each voter's budget, and how
/// many voters cast the ballot. Side by side, so that a pass over a
/// project's supporters gathers both from one place.
#[derive(Debug, Clone, Copy)]
struct Purse {
    budget: f64,
    weight: f64,
}

/// What one pass over a project's supporters settles (see
/// [`Compiled::affordability`]).
#[derive(Default)]
struct Sums {
    /// All the supporters' money.
    avail: f64,
    /// The surely poor's money.
    poor_money: f64,
    /// The satisfaction of those rich at the cap.
    rich_sat: f64,
    /// The money and satisfaction of those in between.
    open_money: f64,
    open_sat: f64,
    any_poor: bool,
    /// How many are in between.
    open: usize,
}

/// Whether supporters holding `avail` in all cannot pay `cost`: short by more
/// than the tie tolerance (within it, float sums of an exact tie).
fn cannot_pay(avail: f64, cost: f64) -> bool {
    avail < cost * (1.0 - TIE_TOLERANCE)
}

/// What [`Compiled::affordability`] found out about a project.
enum Afford {
    /// Its supporters cannot pay for it.
    Unaffordable,
    /// Its affordability is above the cap it was asked about, and at least this.
    Above(f64),
    /// Its affordability.
    Exact(f64),
}

/// One supporter's say in a project's affordability: the ρ at which they
/// run out of money (`b / s`), their money and satisfaction (times weight).
#[derive(Debug, Clone, Copy)]
struct Breakpoint {
    at: f64,
    money: f64,
    sat: f64,
}

/// Moves the breakpoints whose `at` satisfies `below` to the front, in one
/// pass that also sums their money and satisfaction: (how many, money, satisfaction).
fn partition_sums(items: &mut [Breakpoint], below: impl Fn(f64) -> bool) -> (usize, f64, f64) {
    let (mut front, mut money, mut sat) = (0, 0.0, 0.0);
    for k in 0..items.len() {
        if below(items[k].at) {
            money += items[k].money;
            sat += items[k].sat;
            items.swap(front, k);
            front += 1;
        }
    }
    (front, money, sat)
}

/// The median breakpoint of the first, middle and last item: a pivot that
/// keeps sorted and reverse-sorted runs from degrading to quadratic work.
fn median_of_three(items: &[Breakpoint]) -> f64 {
    let (a, b, c) = (
        items[0].at,
        items[items.len() / 2].at,
        items[items.len() - 1].at,
    );
    a.max(b).min(a.min(b).max(c))
}

/// `x` if `keep`, else zero, without a branch.
#[inline(always)]
fn kept(keep: bool, x: f64) -> f64 {
    f64::from_bits(x.to_bits() & u64::from(keep).wrapping_neg())
}

/// One pass over a project's supporters (`groups`, `sat(k)` the
/// satisfaction of the `k`-th): their money, and who is surely poor (runs
/// out before ρ0), rich at the cap, or open in between; the open ones are
/// the first `open` of `slots` (their positions among `groups`, for the
/// caller to read again if it goes on to the exact solve). Generic over `sat` so that a
/// project whose supporters all draw the same satisfaction streams nothing
/// but their group ids.
///
/// Without a branch: on Budapest 39% of the supporters met are poor, 53%
/// rich and 9% open, in no order a predictor can learn, and every miss
/// stalled the budget loads behind it. So each class's sums take the value
/// or a zero by masking, and every supporter's position is written to the
/// next of `slots`, which only an open one keeps (Budapest add1 on one thread:
/// 1.80 -> 1.23 s, and 1.27 -> 1.09 s writing positions instead of whole
/// breakpoints; the same with branches, or a second pass collecting the open
/// ones, 1.75-2.0 s).
#[inline(always)]
fn sum_supporters(
    groups: &[u32],
    purses: &[Purse],
    sat: impl Fn(usize) -> f64,
    rho0: f64,
    cap: f64,
    slots: &mut Vec<u32>,
) -> Sums {
    let mut sums = Sums::default();
    if slots.len() < groups.len() {
        slots.resize(groups.len(), 0);
    }
    let mut len = 0;
    for (k, &g) in groups.iter().enumerate() {
        let Purse {
            budget: b,
            weight: w,
        } = purses[g as usize];
        let sat = sat(k);
        let (money, weighted) = (w * b, w * sat);
        // Exclusive: b < ρ0·s <= cap·s.
        let poor = b < rho0 * sat;
        let rich = b >= cap * sat;
        let open = !(poor | rich);
        sums.avail += money;
        sums.any_poor |= poor;
        sums.poor_money += kept(poor, money);
        sums.rich_sat += kept(rich, weighted);
        sums.open_money += kept(open, money);
        sums.open_sat += kept(open, weighted);
        slots[len] = k as u32;
        len += usize::from(open);
    }
    sums.open = len;
    sums
}

/// Each supporter (`groups`) pays `due(k)`, or all they have if less.
#[inline(always)]
fn pay(groups: &[u32], purses: &mut [Purse], due: impl Fn(usize) -> f64) {
    for (k, &g) in groups.iter().enumerate() {
        let purse = &mut purses[g as usize];
        purse.budget -= due(k).min(purse.budget);
    }
}

impl Compiled {
    /// Affordability of eligible project `e` with the voters' `purses`, if at most
    /// `cap` (infinite: whatever it is); above it, a lower bound.
    ///
    /// ρ solves `f(ρ) = Σ w·min(b, ρ·s) = cost`, an increasing concave
    /// piecewise linear function with a breakpoint at each supporter's
    /// `b / s`. One pass settles who is surely poor (breakpoint below ρ0 =
    /// cost / total satisfaction, a lower bound on ρ) and who is rich at the
    /// cap, and tells whether ρ is above the cap: f(cap) < cost. If so, the
    /// tangent at the cap bounds f from above, so its root, cap + (cost −
    /// f(cap)) / f'(cap), is a lower bound on ρ (one Newton step) that later
    /// rounds use to skip the project. Rivals of a round's best are asked
    /// with the round's horizon as cap, so most are dismissed in that one
    /// pass and the rich of the others never enter the exact solve.
    ///
    /// The breakpoints left open are then narrowed down quickselect-style
    /// rather than by iterating "the poor pay all they have, recompute ρ" (one
    /// pass over the rich per iteration, and Budapest's dense breakpoints
    /// take dozens): each pivot settles every open breakpoint on one side of
    /// it as poor or rich, so the expected work is a few passes over the open
    /// ones, whatever their density.
    fn affordability(
        &self,
        e: usize,
        purses: &[Purse],
        items: &mut Vec<Breakpoint>,
        slots: &mut Vec<u32>,
        degenerate: &mut bool,
        cap: f64,
    ) -> Afford {
        let range = self.offsets[e]..self.offsets[e + 1];
        let cost = self.cost[e];
        let rho0 = cost / self.total_sat[e];
        // ρ >= ρ0: a lower cap is answered as if it were ρ0 (a bound above it).
        let cap = cap.max(rho0);
        // Settled: the poor's money and the rich's satisfaction; open: the
        // breakpoints between ρ0 and the cap, with their money and satisfaction.
        let (groups, sats) = (&self.groups[range.clone()], &self.sats[range.clone()]);
        let sums = match self.uniform[e] {
            Some(sat) => sum_supporters(groups, purses, |_| sat, rho0, cap, slots),
            None => sum_supporters(groups, purses, |k| sats[k], rho0, cap, slots),
        };
        let Sums {
            avail,
            mut poor_money,
            mut rich_sat,
            open_money,
            mut open_sat,
            any_poor,
            ..
        } = sums;
        if cannot_pay(avail, cost) {
            return Afford::Unaffordable;
        }
        if !any_poor {
            return Afford::Exact(rho0);
        }
        if cap.is_finite() {
            // Everyone open runs out of money before the cap.
            let at_cap = poor_money + open_money + cap * rich_sat;
            if at_cap < cost {
                // ρ > cap. Below the cost, supporters pay everything (the
                // flagged case below) and near the cap the bound is no
                // use: both are left to the exact solve, without the cap.
                if avail >= cost && at_cap < cost * (1.0 - 1e-12) && rich_sat > 0.0 {
                    return Afford::Above(cap + (cost - at_cap) / rich_sat);
                }
                return self.affordability(e, purses, items, slots, degenerate, f64::INFINITY);
            }
        }
        items.clear();
        items.extend(slots[..sums.open].iter().map(|&k| {
            let k = k as usize;
            let Purse { budget, weight } = purses[groups[k] as usize];
            let sat = self.uniform[e].unwrap_or(sats[k]);
            Breakpoint {
                at: budget / sat,
                money: weight * budget,
                sat: weight * sat,
            }
        }));
        let mut lo = rho0;
        let mut open = &mut items[..];
        while !open.is_empty() {
            // Newton step: with every open supporter rich, ρ would be `newton`;
            // f(ρ) <= poor_money + ρ (rich_sat + open_sat) for every ρ, so
            // newton <= ρ and whoever runs out of money by then is poor.
            let newton = (cost - poor_money) / (rich_sat + open_sat);
            let len = open.len();
            let (below, money_below, sat_below) = partition_sums(open, |at| at <= newton.max(lo));
            if below == 0 && newton >= lo {
                // Nobody open is poor at `newton`, so it solves f(ρ) = cost.
                return Afford::Exact(newton);
            }
            poor_money += money_below;
            open_sat -= sat_below;
            lo = lo.max(newton);
            open = &mut std::mem::take(&mut open)[below..];
            if open.is_empty() || 2 * below >= len {
                continue;
            }
            // The Newton step settled little (breakpoints dense near ρ):
            // halve the open set around a median-of-three pivot as well.
            let pivot = median_of_three(open);
            let (below, money_below, sat_below) = partition_sums(open, |at| at <= pivot);
            let sat_above = open_sat - sat_below;
            if poor_money + money_below + pivot * (rich_sat + sat_above) >= cost {
                // ρ <= pivot: everyone at or above the pivot is rich.
                let rest = &mut std::mem::take(&mut open)[..below];
                let strictly_below = partition_sums(rest, |at| at < pivot).0;
                let at_pivot: f64 = rest[strictly_below..].iter().map(|x| x.sat).sum();
                rich_sat += sat_above + at_pivot;
                open_sat = sat_below - at_pivot;
                open = &mut rest[..strictly_below];
            } else {
                // ρ > pivot: everyone at or below it is poor.
                poor_money += money_below;
                open_sat -= sat_below;
                lo = lo.max(pivot);
                open = &mut std::mem::take(&mut open)[below..];
            }
        }
        if rich_sat <= 0.0 {
            // Everyone pays everything (their money covers the cost within
            // tolerance): ρ is the last breakpoint. This ρ grows with the
            // supporters' money, unlike every other case: the run is flagged
            // so that no certificate or borrowed bound relies on it. Known
            // gap (see the module docs): a *rival* whose money falls in this
            // window at a share between two runs that never evaluated it so
            // is not detected.
            *degenerate = true;
            let highest = range
                .map(|i| purses[self.groups[i] as usize].budget / self.sats[i])
                .fold(0.0f64, f64::max);
            return Afford::Exact(highest);
        }
        Afford::Exact((cost - poor_money) / rich_sat)
    }

    /// One run of equal shares with every voter holding `share`.
    ///
    /// `follow`: a run at a smaller share whose winners this run is expected
    /// to repeat. Each round then evaluates rivals up to that run's winner's
    /// affordability (so that [`Compiled::certifies`] can compare the two),
    /// and the run stops as soon as it funds another project than `follow`
    /// did (`complete` is then false: something changes in between).
    ///
    /// `floor`: a run at a larger share. While this run has funded the same
    /// projects as `floor` so far, every voter holds at most what they hold
    /// there (see [`Compiled::certifies`]), so `floor`'s bounds for the
    /// round are bounds here too: projects they place above the horizon are
    /// never scanned. The result is the same run, computed with less work.
    fn run(
        &self,
        share: f64,
        s: &mut Scratch,
        follow: Option<&Trace>,
        floor: Option<&Trace>,
    ) -> Trace {
        let n = self.project.len();
        s.purses.clear();
        s.purses.extend(self.weights.iter().map(|&weight| Purse {
            budget: share,
            weight,
        }));
        s.alive.clear();
        s.alive.resize(n, true);
        s.stale.clear();
        s.stale
            .extend((0..n).map(|e| self.cost[e] / self.total_sat[e]));
        s.degenerate = false;
        let mut trace = Trace {
            complete: true,
            ..Trace::default()
        };
        let floor = floor.filter(|f| !f.degenerate);
        loop {
            let round = trace.winners.len();
            // `floor` has funded what this run has, so far (prefix equal).
            if let Some(f) = floor.filter(|f| f.winners.get(..round) == Some(&trace.winners[..])) {
                if let Some(row) = f.floors.get(round * n..(round + 1) * n) {
                    for ((alive, stale), &bound) in s.alive.iter_mut().zip(&mut s.stale).zip(row) {
                        if *alive {
                            if bound.is_infinite() {
                                *alive = false;
                            } else {
                                *stale = stale.max(bound);
                            }
                        }
                    }
                }
            }
            // The followed run's winner's affordability: rivals are examined
            // up to it, so that their bounds say whether they stay clear.
            let threshold = follow.and_then(|f| f.rhos.get(round).copied());
            // Projects come out by their bound, lowest first; usually only a
            // few are examined before the bound passes the horizon, so a heap
            // (built in linear time) beats sorting them all every round
            // (Toulouse 2022's ~60 rounds of 199 projects: most of its time).
            let mut queue = std::mem::take(&mut s.queue).into_vec();
            queue.clear();
            queue.extend(
                (0..n)
                    .filter(|&e| s.alive[e])
                    .map(|e| Pending::new(s.stale[e], e)),
            );
            let mut queue = BinaryHeap::from(queue);
            let mut best = f64::INFINITY;
            s.cand.clear();
            // The cap of projects set aside before any best was known (the
            // followed winner's), if any was: they are not looked at again.
            let mut set_aside: Option<f64> = None;
            while let Some(Reverse(Pending { bound, e })) = queue.pop() {
                // Every project left has ρ >= its stale bound: none can win,
                // and none can threaten the certificate past `threshold`.
                let horizon =
                    (best * (1.0 + TIE_TOLERANCE)).max(threshold.unwrap_or(0.0) * CERTIFY_UP);
                if bound > horizon {
                    break;
                }
                // A rival only has to be shown above the horizon, which one
                // pass decides; its exact ρ is needed only if not. The first
                // project of a run that follows another is asked against
                // that run's winner, whose ρ here is at most its ρ there.
                let cap = if best.is_finite() {
                    horizon * (1.0 + 1e-12)
                } else {
                    threshold.map_or(f64::INFINITY, |t| t * CERTIFY_UP * (1.0 + 1e-12))
                };
                match self.affordability(
                    e,
                    &s.purses,
                    &mut s.items,
                    &mut s.slots,
                    &mut s.degenerate,
                    cap,
                ) {
                    Afford::Unaffordable => s.alive[e] = false,
                    Afford::Exact(rho) if rho <= cap => {
                        s.stale[e] = rho;
                        best = best.min(rho);
                        s.cand.push((e, rho));
                    }
                    // Above the cap (an exact ρ there comes from the
                    // everyone-pays-all case): no candidate.
                    Afford::Above(bound) | Afford::Exact(bound) => {
                        s.stale[e] = bound;
                        if best.is_infinite() {
                            set_aside = Some(cap);
                        }
                    }
                }
            }
            s.queue = queue;
            trace.floors.extend((0..n).map(|e| {
                if s.alive[e] {
                    s.stale[e]
                } else {
                    f64::INFINITY
                }
            }));
            let chosen = s
                .cand
                .iter()
                .filter(|c| c.1 <= best * (1.0 + TIE_TOLERANCE))
                .min_by_key(|c| self.id_rank[c.0])
                .copied();
            // Left the followed run: something changes in between. So too
            // when the best came out at or near the followed winner's cap: a
            // project set aside against it might tie or win (with the same
            // winners so far the followed winner's ρ here is at most its ρ
            // there, below the cap; only the everyone-pays-all case or
            // rounding lands here), and counting the share as changed only
            // costs a closer look.
            let unsure = set_aside.is_some_and(|cap| best * (1.0 + TIE_TOLERANCE) >= cap);
            if unsure
                || follow.is_some_and(|f| f.winners.get(round).copied() != chosen.map(|c| c.0))
            {
                trace.complete = false;
                trace.degenerate = s.degenerate;
                return trace;
            }
            let Some((winner, rho)) = chosen else {
                trace.degenerate = s.degenerate;
                return trace;
            };
            let range = self.offsets[winner]..self.offsets[winner + 1];
            let groups = &self.groups[range.clone()];
            match self.uniform[winner] {
                Some(sat) => pay(groups, &mut s.purses, |_| rho * sat),
                None => {
                    let sats = &self.sats[range];
                    pay(groups, &mut s.purses, |k| rho * sats[k]);
                }
            }
            s.alive[winner] = false;
            trace.winners.push(winner);
            trace.rhos.push(rho);
        }
    }

    /// Whether every share between those of `lo` and `hi` (complete runs at
    /// shares `a < b` that funded the same projects in the same order) is
    /// certain to fund them too.
    ///
    /// With the same winners at both ends, every voter's money at every
    /// round is larger at `b` than at `a` (by induction over the rounds: more
    /// money means a lower affordability, so each winner costs its payers
    /// less), and every share in between that has funded the same projects
    /// so far lies between the two. So at every such share the round's winner
    /// is affordable at most at its `a` value, and every rival at least at
    /// its `b` bound: if each rival's `b` bound stays clear of the winner's
    /// `a` value (beyond the tie band, by id), no share in between picks
    /// another project, round after round; and what was unaffordable at `b`
    /// is unaffordable below it.
    fn certifies(&self, lo: &Trace, hi: &Trace) -> bool {
        let n = self.project.len();
        if lo.degenerate
            || hi.degenerate
            || !lo.complete
            || !hi.complete
            || lo.winners != hi.winners
        {
            return false;
        }
        lo.winners.iter().enumerate().all(|(round, &w)| {
            let t = lo.rhos[round];
            let Some(row) = hi.floors.get(round * n..(round + 1) * n) else {
                return false;
            };
            (0..n).all(|e| {
                e == w
                    || if self.id_rank[e] < self.id_rank[w] {
                        // Must never come within the tolerance of the winner.
                        row[e] > t * CERTIFY_UP
                    } else {
                        // Must never push the winner out of the tie band.
                        t <= row[e] * CERTIFY_DOWN
                    }
            })
        })
    }

    /// The outcome of a run: the free projects, then the election's
    /// project indices the trace funded.
    fn outcome(&self, free: &[usize], trace: &Trace) -> Vec<usize> {
        let mut v = free.to_vec();
        v.extend(trace.winners.iter().map(|&e| self.project[e]));
        v
    }
}

/// Equal shares on `election` under `profile`'s satisfaction.
pub fn equal_shares(
    election: &Election,
    profile: &SatProfile,
    money: &Money,
    options: &MesOptions,
) -> MesResult {
    equal_shares_with(election, profile, money, options, Walk::DEFAULT)
}

/// Equal shares computing every increment one by one, as pabutools does:
/// the reference the jumping [`equal_shares`] is tested against.
pub fn equal_shares_stepwise(
    election: &Election,
    profile: &SatProfile,
    money: &Money,
    options: &MesOptions,
) -> MesResult {
    equal_shares_with(election, profile, money, options, Walk::Stepwise)
}

/// Equal shares with jumps, its increments cut into chunks of
/// `first_chunk` (growing as [`equal_shares`]' do): for tests of the seams
/// between chunks, which the default size rarely reaches on small elections.
#[doc(hidden)]
pub fn equal_shares_chunked(
    election: &Election,
    profile: &SatProfile,
    money: &Money,
    options: &MesOptions,
    first_chunk: u64,
) -> MesResult {
    let walk = Walk::Jumping {
        first_chunk: first_chunk.max(1),
    };
    equal_shares_with(election, profile, money, options, walk)
}

fn equal_shares_with(
    election: &Election,
    profile: &SatProfile,
    money: &Money,
    options: &MesOptions,
    walk: Walk,
) -> MesResult {
    let n = profile.n_voters;
    if n == 0 {
        return MesResult {
            selected: vec![],
            voter_budget: BigRational::from_integer(0.into()),
            increments: 0,
            runs: 0,
        };
    }
    let (compiled, free) = compile(election, profile);
    let start = &election.budget / BigRational::from_integer(n.into());
    let Some(increment) = &options.voter_budget_increment else {
        let share = start.to_f64().unwrap_or(0.0);
        let trace = compiled.run(share, &mut Scratch::default(), None, None);
        return MesResult {
            selected: compiled.outcome(&free, &trace),
            voter_budget: start,
            increments: 0,
            runs: 1,
        };
    };
    let increments = Increments {
        compiled: &compiled,
        free: &free,
        money,
        options,
        start: start.to_f64().unwrap_or(0.0),
        increment: increment.to_f64().unwrap_or(0.0),
    };
    let (selected, k, runs) = increments.walk(walk);
    MesResult {
        selected,
        voter_budget: &start + increment * BigRational::from_integer(k.into()),
        increments: k,
        runs,
    }
}
