//! Hand-checkable elections; the expected outcomes were also confirmed with
//! pabutools 1.2.3 (`method_of_equal_shares`, `greedy_utilitarian_welfare`,
//! `Cost_Sat`) on the same instances.

use num_rational::BigRational;

use super::*;
use crate::pabulib::{Ballots, Election, Project, VoteType};

fn int(n: i64) -> BigRational {
    BigRational::from_integer(n.into())
}

pub(crate) fn election(
    vote_type: VoteType,
    budget: i64,
    costs: &[(&str, i64)],
    ballots: &[&[&str]],
    points: Option<&[&[i64]]>,
) -> Election {
    let projects: Vec<Project> = costs
        .iter()
        .map(|(id, c)| Project {
            id: id.to_string(),
            cost: int(*c),
            name: None,
            categories: vec![],
            district: None,
            votes: None,
            score: None,
            selected: None,
            extra: vec![],
        })
        .collect();
    let index = |id: &str| projects.iter().position(|p| p.id == id).unwrap() as u32;
    let mut b = Ballots {
        offsets: vec![0],
        ..Default::default()
    };
    for (v, ballot) in ballots.iter().enumerate() {
        b.voter_ids.push(&v.to_string());
        b.projects.extend(ballot.iter().map(|id| index(id)));
        b.offsets.push(b.projects.len() as u32);
    }
    if let Some(points) = points {
        b.points = Some(points.iter().flat_map(|p| p.iter().copied()).collect());
    }
    Election {
        source: "hand.pb".into(),
        meta: vec![],
        vote_type,
        budget: int(budget),
        projects,
        ballots: b,
    }
}

/// A small deterministic generator for random test elections.
pub(crate) fn lcg(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

/// The sizes of a random approval election for property tests: each is
/// `base + draw % span` from a `(base, span)` pair (a span of 0: `base`,
/// without a draw), and each voter approves each project with chance
/// `1 / approve_one_in`.
pub(crate) struct ToyShape {
    pub projects: (u64, u64),
    pub cost: (u64, u64),
    pub voters: (u64, u64),
    pub approve_one_in: u64,
    pub budget: (u64, u64),
}

/// A random approval election drawn for a [`ToyShape`].
pub(crate) struct Toy {
    /// Project ids (`p0`, `p1`, ...) and costs.
    pub costs: Vec<(String, i64)>,
    pub ballots: Vec<Vec<String>>,
    pub budget: i64,
}

impl Toy {
    /// Draws, in this order: the project count, each cost, the voter count,
    /// each voter's approvals, the budget.
    pub(crate) fn draw(state: &mut u64, shape: &ToyShape) -> Toy {
        fn size(state: &mut u64, (base, span): (u64, u64)) -> u64 {
            if span == 0 {
                base
            } else {
                base + lcg(state) % span
            }
        }
        let m = size(state, shape.projects);
        let costs: Vec<(String, i64)> = (0..m)
            .map(|i| (format!("p{i}"), size(state, shape.cost) as i64))
            .collect();
        let n = size(state, shape.voters);
        let ballots = (0..n)
            .map(|_| {
                costs
                    .iter()
                    .filter(|_| lcg(state) % shape.approve_one_in == 0)
                    .map(|(id, _)| id.clone())
                    .collect()
            })
            .collect();
        let budget = size(state, shape.budget) as i64;
        Toy {
            costs,
            ballots,
            budget,
        }
    }

    pub(crate) fn election(&self) -> Election {
        let costs: Vec<(&str, i64)> = self.costs.iter().map(|(id, c)| (id.as_str(), *c)).collect();
        let ballots: Vec<Vec<&str>> = self
            .ballots
            .iter()
            .map(|b| b.iter().map(String::as_str).collect())
            .collect();
        let refs: Vec<&[&str]> = ballots.iter().map(|b| b.as_slice()).collect();
        election(VoteType::Approval, self.budget, &costs, &refs, None)
    }
}

fn ids(e: &Election, o: &Outcome) -> Vec<String> {
    o.selected
        .iter()
        .map(|&p| e.projects[p].id.clone())
        .collect()
}

fn mes(options: MesOptions, completion: bool) -> Rule {
    Rule::EqualShares {
        options,
        greedy_completion: completion,
    }
}

#[test]
fn greedy_ties_follow_python_string_order() {
    // Three projects with density 1 each: "10" < "9" < "c" as strings, so
    // "10" and "9" are funded (10 of 10) and "c" no longer fits.
    let e = election(
        VoteType::Approval,
        10,
        &[("9", 5), ("10", 5), ("c", 6)],
        &[&["9"], &["10"], &["c"]],
        None,
    );
    let o = apply(&e, &Rule::Greedy, None).unwrap();
    assert_eq!(ids(&e, &o), ["10", "9"]);
    assert_eq!(o.welfare, int(10));
    assert_eq!(o.spent, int(10));
}

#[test]
fn equal_shares_tie_resolved_by_id() {
    // Shares of 10. A (voters 1, 2) and B (voters 2, 3) each cost 20 = 10 + 10:
    // the same affordability 1/2, tie -> A. Voters 1 and 2 are then empty, B is
    // unaffordable, and voter 3 alone buys C (10).
    let e = election(
        VoteType::Approval,
        30,
        &[("A", 20), ("B", 20), ("C", 10)],
        &[&["A"], &["A", "B"], &["B", "C"]],
        None,
    );
    let o = apply(&e, &mes(MesOptions::plain(), false), None).unwrap();
    assert_eq!(ids(&e, &o), ["A", "C"]);
    assert_eq!(o.voter_budget, Some(int(10)));
    // Welfare under cost satisfaction: A pleases 2 voters (2 x 20), C one (10).
    assert_eq!(o.welfare, int(50));
}

#[test]
fn equal_shares_increment_raises_shares_until_exhaustive() {
    // Shares of 10: A (24) has two supporters holding 20, so only B (6) is
    // bought and 24 of 30 are left: not exhaustive. At shares of 12 the two
    // supporters hold 24 and both are funded.
    let e = election(
        VoteType::Approval,
        30,
        &[("A", 24), ("B", 6)],
        &[&["A"], &["A"], &["B"]],
        None,
    );
    let plain = apply(&e, &mes(MesOptions::plain(), false), None).unwrap();
    assert_eq!(ids(&e, &plain), ["B"]);
    let add1 = apply(&e, &mes(MesOptions::add1(), false), None).unwrap();
    assert_eq!(ids(&e, &add1), ["A", "B"]);
    assert_eq!(add1.voter_budget, Some(int(12)));
    // Runs at shares 10, 11 (certified unchanged: A still unaffordable),
    // 13 (a jump of two: A and B, so not certified) and 12.
    assert_eq!(add1.runs, Some(4));
    // Greedy completion after plain MES funds A with the money left.
    let completed = apply(&e, &mes(MesOptions::plain(), true), None).unwrap();
    assert_eq!(ids(&e, &completed), ["B", "A"]);
}

#[test]
fn equal_shares_without_exhaustive_stop_goes_on_while_it_fits() {
    // Budget 40, shares of 10 for 4 voters: Y (30) costs its three
    // supporters 10 each (affordability 1/3), X (10) costs voter 1 all of it
    // (affordability 1). {Y, X} spends 40 and funds every supported project,
    // so both variants stop at the first run.
    let e = election(
        VoteType::Approval,
        40,
        &[("X", 10), ("Y", 30)],
        &[&["X"], &["Y"], &["Y"], &["Y"]],
        None,
    );
    for stop in [true, false] {
        let options = MesOptions {
            exhaustive_stop: stop,
            ..MesOptions::add1()
        };
        let o = apply(&e, &mes(options, false), None).unwrap();
        assert_eq!(ids(&e, &o), ["Y", "X"]);
        assert_eq!(o.runs, Some(1));
    }
}

#[test]
fn borda_gives_the_last_ranked_project_zero() {
    // Rankings of length 3 score 2, 1, 0 (a `points` column would be ignored).
    let e = election(
        VoteType::Ordinal,
        100,
        &[("x", 10), ("y", 10), ("z", 10)],
        &[&["x", "y", "z"], &["y", "x", "z"]],
        None,
    );
    let profile = SatProfile::new(&e, Satisfaction::AdditiveBorda).unwrap();
    assert_eq!(profile.total_factor(0), 3); // x: 2 + 1
    assert_eq!(profile.total_factor(1), 3); // y: 1 + 2
    assert_eq!(profile.total_factor(2), 0); // z: last twice
    let o = apply(&e, &Rule::Greedy, None).unwrap();
    assert_eq!(o.satisfaction, Satisfaction::AdditiveBorda);
    // x and y tie at 3/10 (x first by id); z has density 0 but still fits.
    assert_eq!(ids(&e, &o), ["x", "y", "z"]);
    assert_eq!(o.welfare, int(6));
}

#[test]
fn cumulative_points_are_the_default_satisfaction() {
    let e = election(
        VoteType::Cumulative,
        10,
        &[("p", 10), ("q", 5)],
        &[&["p", "q"], &["q"]],
        Some(&[&[3, 1], &[2]]),
    );
    let o = apply(&e, &Rule::Greedy, None).unwrap();
    // Densities: p 3/10, q 3/5 -> q first; p no longer fits.
    assert_eq!(ids(&e, &o), ["q"]);
    assert_eq!(o.welfare, int(3));
    assert!(SatProfile::new(&e, Satisfaction::AdditiveBorda).is_err());
}

#[test]
fn cardinal_satisfaction_is_refused_on_approval_ballots() {
    let e = election(VoteType::Approval, 10, &[("p", 1)], &[&["p"]], None);
    let err = apply(&e, &Rule::Greedy, Some(Satisfaction::AdditiveCardinal)).unwrap_err();
    assert!(err.to_string().contains("needs points"), "{err}");
}

#[test]
fn max_welfare_matches_brute_force() {
    let mut s = 7u64;
    let shape = ToyShape {
        projects: (1, 9),
        cost: (1, 40),
        voters: (6, 0),
        approve_one_in: 3,
        budget: (0, 100),
    };
    for _ in 0..200 {
        let toy = Toy::draw(&mut s, &shape);
        let Toy {
            costs,
            ballots,
            budget,
        } = &toy;
        let (m, budget) = (costs.len(), *budget);
        let e = toy.election();
        for sat in [Satisfaction::Cost, Satisfaction::Cardinality] {
            let o = apply(&e, &Rule::MaxWelfare, Some(sat)).unwrap();
            let profile = SatProfile::new(&e, sat).unwrap();
            let mut best = int(0);
            for mask in 0u32..(1 << m) {
                let set: Vec<usize> = (0..m).filter(|i| mask >> i & 1 == 1).collect();
                let cost: i64 = set.iter().map(|&i| costs[i].1).sum();
                if cost <= budget {
                    best = best.max(profile.welfare(&e, &set));
                }
            }
            assert_eq!(o.welfare, best, "{costs:?} {ballots:?} budget {budget}");
            assert!(o.spent <= int(budget));
        }
    }
}

#[test]
fn official_greedy_no_skip_stops_at_the_first_misfit() {
    let mut e = election(
        VoteType::Choose1,
        10,
        &[("a", 6), ("b", 5), ("c", 4)],
        &[&["a"], &["a"], &["a"], &["b"], &["b"], &["c"]],
        None,
    );
    for (p, v) in e.projects.iter_mut().zip([3, 2, 1]) {
        p.votes = Some(v);
    }
    e.meta.push(("rule".into(), "greedy-no-skip".into()));
    let o = apply(&e, &Rule::Official, None).unwrap();
    // a (6) fits, b (5) does not: stop, although c (4) would fit.
    assert_eq!(ids(&e, &o), ["a"]);
    assert_eq!(o.rule, "greedy-no-skip");
    let skip = apply(&e, &Rule::OfficialGreedy, None).unwrap();
    assert_eq!(ids(&e, &skip), ["a", "c"]);
}

#[test]
fn equal_shares_jumps_land_where_single_increments_land() {
    // Random approval elections whose budgets are large against the voters'
    // count, so the share is raised hundreds of times: the jumping loop must
    // end on the same outcome, share and increment count as the loop that
    // computes every increment, with fewer runs overall; so must the loop
    // cut into small chunks walked in parallel.
    use crate::pabulib::satisfaction::{SatProfile, Satisfaction};
    let mut s = 7u64;
    let (mut jumped_runs, mut stepped_runs) = (0, 0);
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    };
    let (one_thread, three_threads) = (pool(1), pool(3));
    let shape = ToyShape {
        projects: (2, 7),
        cost: (50, 950),
        voters: (2, 6),
        approve_one_in: 3,
        budget: (200, 3000),
    };
    for case in 0..300 {
        let toy = Toy::draw(&mut s, &shape);
        let Toy {
            costs,
            ballots,
            budget,
        } = &toy;
        let e = toy.election();
        let money = Money::new(&e).unwrap();
        for sat in [Satisfaction::Cost, Satisfaction::Cardinality] {
            let profile = SatProfile::new(&e, sat).unwrap();
            for exhaustive_stop in [true, false] {
                let options = MesOptions {
                    exhaustive_stop,
                    ..MesOptions::add1()
                };
                let fast = mes::equal_shares(&e, &profile, &money, &options);
                let slow = mes::equal_shares_stepwise(&e, &profile, &money, &options);
                let label = format!(
                    "case {case} {sat:?} stop={exhaustive_stop}: {costs:?} {ballots:?} budget {budget}"
                );
                assert_eq!(fast.selected, slow.selected, "{label}");
                assert_eq!(fast.increments, slow.increments, "{label}");
                assert_eq!(fast.voter_budget, slow.voter_budget, "{label}");
                // Chunks of 1, 3 and 10 increments (doubling every 8): seams
                // everywhere, where the default 256 rarely reaches.
                // Walked by one thread and by three, every result (run
                // count included) must be the same.
                for first_chunk in [1, 3, 10] {
                    let chunked = |pool: &rayon::ThreadPool| {
                        pool.install(|| {
                            mes::equal_shares_chunked(&e, &profile, &money, &options, first_chunk)
                        })
                    };
                    let (alone, together) = (chunked(&one_thread), chunked(&three_threads));
                    let label = format!("{label} chunks of {first_chunk}");
                    assert_eq!(alone, together, "{label}");
                    assert_eq!(alone.selected, slow.selected, "{label}");
                    assert_eq!(alone.increments, slow.increments, "{label}");
                    assert_eq!(alone.voter_budget, slow.voter_budget, "{label}");
                }
                jumped_runs += fast.runs;
                stepped_runs += slow.runs;
            }
        }
    }
    assert!(
        jumped_runs * 3 < stepped_runs,
        "jumping computed {jumped_runs} runs, single increments {stepped_runs}"
    );
}
