//! One Monte Carlo run: a city drawn from `(seed, run)`, then for each year,
//! each need-weighting formula and each safeguard the assemblies, the mandates as an ordinary
//! [`Scenario`], the ordinary solve, and the metrics as tidy rows.
//!
//! **Capture metric.** `funds_share.G` is the share of the funded money that
//! reaches group G's priorities, measured against what each group *really*
//! wants, not against what its delegates said: each proposal's funding is
//! split among the groups that have it in their true top `quorums.top_k` in
//! its district (noise-free preferences), in proportion to their residents
//! there; a proposal in nobody's top k is split by residents. A process that
//! represents everyone gives each group about its population share.
//!
//! **Dynamics** (each (formula, safeguard) has its own city from year 2 on): funding f in
//! an infrastructure category closes f / (population x
//! `gap_cost_per_resident`) of the district's gap; need falls by half as
//! much (assumed); populations grow by `population_growth` plus noise; new
//! proposals and taste shocks are drawn each year (the same draws for every
//! safeguard).

use std::collections::BTreeMap;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::SimulateError;
use super::assembly::{AssemblyDraws, AssemblyOutcome, AssemblyRules, order_desc, run_assembly};
use super::city::{City, DrawnProposal, draw_proposals};
use super::config::{Safeguard, Simulation};
use super::synthetic::normal;
use crate::metrics::allocation_metrics;
use crate::model::{
    Constraints, Delegate, District, Group, Pool, Proposal, Quorum, Ranking, RuleName, Scenario,
    Settings,
};
use crate::scoring::formula::Formula;
use crate::solve::{Allocation, Backend, SolveSettings, solve};

/// The generator of one unit of work: ChaCha8 seeded from the study seed,
/// the run index and a stream tag, mixed by SplitMix64 so neighbouring runs
/// get unrelated streams. Independent of threads and shards by construction.
pub fn rng_for(seed: u64, run: u64, stream: u64) -> ChaCha8Rng {
    let mut x = seed;
    for v in [run, stream] {
        x = splitmix(x ^ splitmix(v.wrapping_add(0x9E37_79B9_7F4A_7C15)));
    }
    ChaCha8Rng::seed_from_u64(x)
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Tidy rows of one run: (year, formula, safeguard, district, metric,
/// value), the formula as its index in the study's list; the run index is
/// added by the writer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunRows {
    pub year: Vec<u32>,
    pub formula: Vec<u32>,
    pub safeguard: Vec<&'static str>,
    pub district: Vec<String>,
    pub metric: Vec<String>,
    pub value: Vec<Option<f64>>,
}

impl RunRows {
    fn push(
        &mut self,
        (year, formula, s): (u32, usize, Safeguard),
        district: &str,
        metric: &str,
        v: Option<f64>,
    ) {
        self.year.push(year);
        self.formula.push(formula as u32);
        self.safeguard.push(s.as_str());
        self.district.push(district.to_string());
        self.metric.push(metric.to_string());
        self.value.push(v.filter(|x| x.is_finite()));
    }
    pub fn len(&self) -> usize {
        self.year.len()
    }
    pub fn is_empty(&self) -> bool {
        self.year.is_empty()
    }
}

/// The draws of one year, shared by every safeguard.
struct YearDraws {
    proposals: Vec<DrawnProposal>,
    assemblies: Vec<AssemblyDraws>,
    growth: Vec<f64>,
}

fn draw_year(sim: &Simulation, rng: &mut ChaCha8Rng) -> YearDraws {
    let proposals = draw_proposals(sim, rng);
    let nd = sim.districts;
    let ng = sim.groups.len();
    let nc = sim.city.categories.len();
    let seats = sim.assembly.seats;
    let assemblies = (0..nd)
        .map(|d| {
            let nj = proposals.iter().filter(|p| p.district == d).count();
            AssemblyDraws {
                taste: (0..ng)
                    .map(|_| (0..nc).map(|_| normal(rng)).collect())
                    .collect(),
                caucus: (0..ng)
                    .map(|_| (0..nj).map(|_| normal(rng)).collect())
                    .collect(),
                seat_u: (0..seats).map(|_| rng.random_range(0.0..1.0)).collect(),
                drift: (0..seats)
                    .map(|_| (0..nj).map(|_| normal(rng)).collect())
                    .collect(),
            }
        })
        .collect();
    let growth = (0..nd).map(|_| normal(rng)).collect();
    YearDraws {
        proposals,
        assemblies,
        growth,
    }
}

/// Everything one (year, formula, safeguard) produced, for tests and tools.
#[derive(Debug, Clone)]
pub struct YearResult {
    pub year: u32,
    /// Index into the study's formulas.
    pub formula: usize,
    pub safeguard: Safeguard,
    pub scenario: Scenario,
    pub allocation: Allocation,
    pub assemblies: Vec<AssemblyOutcome>,
    /// Share of funded money reaching each group's true priorities.
    pub funds_share: Vec<f64>,
    /// City-wide population share of each group.
    pub population_share: Vec<f64>,
}

/// Settings of every solve: clarabel, one interior-point solve that also gives
/// the shadow prices (the default path would add a simplex solve on top).
pub fn solve_settings() -> SolveSettings {
    SolveSettings {
        backend: Some(Backend::Clarabel),
        ..Default::default()
    }
}

/// The scenario the assemblies mandate, under a safeguard.
#[allow(clippy::too_many_arguments)]
fn build_scenario(
    sim: &Simulation,
    name: &str,
    seed: u64,
    year: u32,
    city: &City,
    props: &[DrawnProposal],
    outcomes: &[AssemblyOutcome],
    local: &[Vec<usize>],
    formula: &Formula,
    safeguard: Safeguard,
) -> Scenario {
    let pop_share = city.population_shares(sim.groups.len());
    let districts: Vec<District> = city
        .districts
        .iter()
        .map(|d| District {
            id: d.id.clone(),
            name: d.id.clone(),
            population: d.population,
            indicators: [
                ("need".to_string(), d.need),
                ("poverty".to_string(), d.poverty),
                ("infrastructure_gap".to_string(), d.infrastructure_gap),
            ]
            .into_iter()
            .collect(),
            group_shares: sim
                .groups
                .iter()
                .zip(&d.group_shares)
                .map(|(g, s)| (g.id.clone(), *s))
                .collect(),
            parent: None,
        })
        .collect();
    let proposals: Vec<Proposal> = props
        .iter()
        .enumerate()
        .map(|(i, p)| Proposal {
            id: format!("y{year}-p{i:04}"),
            title: format!(
                "{} in {}",
                sim.city.categories[p.category], city.districts[p.district].id
            ),
            district: Some(p.district),
            category: sim.city.categories[p.category].clone(),
            cost: p.cost,
            divisible: true,
            min_share: None,
        })
        .collect();
    let mut delegates = Vec::new();
    for (d, o) in outcomes.iter().enumerate() {
        for (k, (g, ranking)) in o.delegates.iter().enumerate() {
            delegates.push(Delegate {
                id: format!("{}-{k}", city.districts[d].id),
                district: d,
                group: Some(*g),
                ranking: Ranking {
                    tiers: ranking
                        .iter()
                        .take(sim.assembly.ranking_length)
                        .map(|&j| vec![local[d][j]])
                        .collect(),
                },
            });
        }
    }
    let total: f64 = props.iter().map(|p| p.cost).sum();
    let quorums = if safeguard == Safeguard::FundingQuorum {
        sim.groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.under_represented)
            .map(|(g, _)| Quorum {
                group: g,
                top_k: sim.quorums.top_k,
                min_share: (sim.quorums.funding_ratio * pop_share[g]).min(1.0),
            })
            .collect()
    } else {
        Vec::new()
    };
    let nd = districts.len();
    Scenario {
        name: name.to_string(),
        description: format!("simulated year {year}, safeguard {}", safeguard.as_str()),
        source: None,
        pool: Pool {
            amount: (sim.pool_share * total).round(),
            currency: sim.currency.clone(),
        },
        sources: Vec::new(),
        districts,
        proposals,
        delegates,
        groups: sim
            .groups
            .iter()
            .zip(&pop_share)
            .map(|(g, s)| Group {
                id: g.id.clone(),
                name: g.id.clone(),
                population_share: Some(*s),
                turnout_share: None,
            })
            .collect(),
        formula: formula.clone(),
        formula_levels: BTreeMap::new(),
        settings: Settings {
            scoring: sim.scoring,
            reweight_groups: safeguard == Safeguard::Reweighting,
            rule: RuleName::Optimal,
            need_weighted_objective: false,
        },
        constraints: Constraints {
            entitlement_floor: sim.entitlement_floor,
            district_floors: vec![None; nd],
            district_caps: vec![None; nd],
            categories: Vec::new(),
            quorums,
        },
        seed,
    }
}

/// Share of funded money reaching each group's true priorities (module docs).
fn funds_shares(
    sim: &Simulation,
    city: &City,
    props: &[DrawnProposal],
    local: &[Vec<usize>],
    draws: &[AssemblyDraws],
    a: &Allocation,
) -> Vec<f64> {
    let ng = sim.groups.len();
    let mut funds = vec![0.0; ng];
    for (d, ids) in local.iter().enumerate() {
        let dp: Vec<&DrawnProposal> = ids.iter().map(|&i| &props[i]).collect();
        let shares = &city.districts[d].group_shares;
        let mut stake = vec![vec![0.0; ids.len()]; ng];
        for (g, row) in stake.iter_mut().enumerate() {
            let u = super::assembly::utilities(sim, &dp, &draws[d], g, 0.0);
            for &j in order_desc(&u).iter().take(sim.quorums.top_k) {
                row[j] = shares[g];
            }
        }
        for (j, &i) in ids.iter().enumerate() {
            let f = a.proposals[i].funded_amount;
            let s: f64 = (0..ng).map(|g| stake[g][j]).sum();
            for g in 0..ng {
                funds[g] += f * if s > 0.0 { stake[g][j] / s } else { shares[g] };
            }
        }
    }
    let total: f64 = funds.iter().sum();
    funds
        .iter()
        .map(|f| if total > 0.0 { f / total } else { 0.0 })
        .collect()
}

/// Runs one Monte Carlo run; `emit` gets every (year, formula, safeguard)
/// result in order (years outer, then formulas, safeguards inner).
pub fn simulate_run(
    sim: &Simulation,
    name: &str,
    seed: u64,
    run: u64,
    years: usize,
    mut emit: impl FnMut(&YearResult),
) -> Result<(), SimulateError> {
    let city0 = City::generate(sim, &mut rng_for(seed, run, 0));
    // One city per (formula, safeguard): each shapes its own future.
    let ns = sim.safeguards.len();
    let mut cities: Vec<City> = vec![city0; sim.formulas.len() * ns];
    for year in 1..=years as u32 {
        let draws = draw_year(sim, &mut rng_for(seed, run, u64::from(year)));
        let local: Vec<Vec<usize>> = (0..sim.districts)
            .map(|d| {
                (0..draws.proposals.len())
                    .filter(|&i| draws.proposals[i].district == d)
                    .collect()
            })
            .collect();
        for (fi, variant) in sim.formulas.iter().enumerate() {
            // The plain allocation of this year, when the first safeguard is `none`
            // and another safeguard ends up with the very same scenario.
            let mut plain: Option<(Scenario, Allocation)> = None;
            for (si, &safeguard) in sim.safeguards.iter().enumerate() {
                let city = &cities[fi * ns + si];
                let rules = AssemblyRules {
                    attendance_quorum: safeguard == Safeguard::AttendanceQuorum,
                    reserved_seats: safeguard == Safeguard::ReservedSeats,
                };
                let outcomes: Vec<AssemblyOutcome> = (0..sim.districts)
                    .map(|d| {
                        let dp: Vec<&DrawnProposal> =
                            local[d].iter().map(|&i| &draws.proposals[i]).collect();
                        run_assembly(sim, &city.districts[d], &dp, &draws.assemblies[d], rules)
                    })
                    .collect();
                let scenario = build_scenario(
                    sim,
                    name,
                    seed,
                    year,
                    city,
                    &draws.proposals,
                    &outcomes,
                    &local,
                    &variant.formula,
                    safeguard,
                );
                // A safeguard that changed nothing gets the same allocation without a
                // second solve (the same scenario gives the same allocation).
                let same = plain.as_ref().and_then(|(s, a)| {
                    let mut probe = scenario.clone();
                    probe.description.clone_from(&s.description);
                    probe.constraints.quorums.clear();
                    probe.settings.reweight_groups = s.settings.reweight_groups;
                    let unchanged = probe == *s
                        && (scenario.settings.reweight_groups == s.settings.reweight_groups
                            || reweighting_is_identity(&scenario))
                        && quorums_met(&scenario, a);
                    unchanged.then(|| a.clone())
                });
                let allocation = match same {
                    Some(a) => a,
                    None => solve(&scenario, &solve_settings())?.deterministic(),
                };
                if safeguard == Safeguard::None && plain.is_none() {
                    plain = Some((scenario.clone(), allocation.clone()));
                }
                let funds_share = funds_shares(
                    sim,
                    city,
                    &draws.proposals,
                    &local,
                    &draws.assemblies,
                    &allocation,
                );
                let result = YearResult {
                    year,
                    formula: fi,
                    safeguard,
                    population_share: city.population_shares(sim.groups.len()),
                    scenario,
                    allocation,
                    assemblies: outcomes,
                    funds_share,
                };
                emit(&result);
                if year < years as u32 {
                    cities[fi * ns + si] = next_year(sim, city, &result, &draws);
                }
            }
        }
    }
    Ok(())
}

/// Re-weighting changes nothing when every group's delegates already hold
/// exactly its population share of the seats.
fn reweighting_is_identity(s: &Scenario) -> bool {
    crate::scoring::delegate_weights(s)
        .iter()
        .all(|w| (w - 1.0).abs() < 1e-12)
}

/// Whether an allocation already meets every group quorum of `s` (then adding
/// them cannot change the optimum).
fn quorums_met(s: &Scenario, a: &Allocation) -> bool {
    s.constraints.quorums.iter().all(|q| {
        let members = crate::solve::constraints::quorum_members(s, q.group, q.top_k);
        let funded: f64 = members.iter().map(|&p| a.proposals[p].funded_amount).sum();
        funded >= q.min_share * s.pool.amount * (1.0 - 1e-9)
    })
}

/// The next year's city under one safeguard (module docs).
fn next_year(sim: &Simulation, city: &City, r: &YearResult, draws: &YearDraws) -> City {
    let mut infra = vec![0.0; city.districts.len()];
    for (p, res) in r.scenario.proposals.iter().zip(&r.allocation.proposals) {
        if let Some(d) = p.district {
            if sim.dynamics.infrastructure_categories.contains(&p.category) {
                infra[d] += res.funded_amount;
            }
        }
    }
    let mut next = city.clone();
    for (d, st) in next.districts.iter_mut().enumerate() {
        let closed = (infra[d] / (st.population * sim.dynamics.gap_cost_per_resident))
            .min(st.infrastructure_gap);
        st.infrastructure_gap -= closed;
        st.need = (st.need - 0.5 * closed).max(0.0);
        st.population = (st.population
            * (1.0
                + sim.dynamics.population_growth
                + sim.dynamics.population_noise * draws.growth[d]))
            .round()
            .max(1.0);
    }
    next
}

/// The rows of one (year, formula, safeguard) result.
pub fn rows_of(sim: &Simulation, r: &YearResult, rows: &mut RunRows) -> Result<(), SimulateError> {
    let m = allocation_metrics(&r.scenario, &r.allocation)?;
    let key = (r.year, r.formula, r.safeguard);
    let a = &r.allocation;
    let mut city = |metric: &str, v: Option<f64>| rows.push(key, "all", metric, v);
    city("funded_total", Some(a.funded_total));
    city(
        "shortfall_total",
        Some(a.shortfalls.iter().map(|x| x.shortfall).sum()),
    );
    city("gini", m.gini);
    city("concentration_index", m.concentration_index);
    city("poorest_quintile_share", m.poorest_quintile_share);
    city("satisfaction_mean", m.satisfaction.mean);
    // The residents' mean infrastructure gap at the start of the year: what
    // the dynamics close year after year, and formulas race to close.
    let ds = &r.scenario.districts;
    let residents: f64 = ds.iter().map(|d| d.population).sum();
    city(
        "infrastructure_gap_mean",
        Some(
            ds.iter()
                .map(|d| d.population * d.infrastructure_gap())
                .sum::<f64>()
                / residents,
        ),
    );
    let ng = sim.groups.len();
    let mut att = vec![0.0; ng];
    let mut seats = vec![0.0; ng];
    for o in &r.assemblies {
        for (a, x) in att.iter_mut().zip(&o.attendance) {
            *a += x;
        }
        for (g, _) in &o.delegates {
            seats[*g] += 1.0;
        }
    }
    let att_total: f64 = att.iter().sum();
    let seat_total: f64 = seats.iter().sum();
    let dissimilarity = 0.5
        * (0..ng)
            .map(|g| (att[g] / att_total - r.population_share[g]).abs())
            .sum::<f64>();
    city("representation_gap", Some(dissimilarity));
    let meetings: usize = r.assemblies.iter().map(|o| o.meetings).sum();
    let channel_cost: f64 = sim.channels.iter().map(|c| c.cost_per_district).sum();
    city("participation_cost", Some(meetings as f64 * channel_cost));
    city(
        "reconvened",
        Some(r.assemblies.iter().filter(|o| o.meetings > 1).count() as f64),
    );
    city(
        "quorum_failed",
        Some(r.assemblies.iter().filter(|o| o.quorum_failed).count() as f64),
    );
    city(
        "recalls",
        Some(r.assemblies.iter().map(|o| o.recalls).sum::<usize>() as f64),
    );
    for (g, gp) in sim.groups.iter().enumerate() {
        let id = &gp.id;
        city(&format!("funds_share.{id}"), Some(r.funds_share[g]));
        city(
            &format!("population_share.{id}"),
            Some(r.population_share[g]),
        );
        city(&format!("attendance_share.{id}"), Some(att[g] / att_total));
        city(&format!("delegate_share.{id}"), Some(seats[g] / seat_total));
        city(
            &format!("satisfaction.{id}"),
            m.satisfaction.by_group.get(id).copied(),
        );
        // The LP quorum's own measure: funded money in the top k of the group's
        // delegates, as a share of the pool.
        let members = crate::solve::constraints::quorum_members(&r.scenario, g, sim.quorums.top_k);
        let funded: f64 = members.iter().map(|&p| a.proposals[p].funded_amount).sum();
        city(&format!("quorum_funds.{id}"), Some(funded / a.pool));
    }
    for (d, res) in a.districts.iter().enumerate() {
        let st = &r.scenario.districts[d];
        let o = &r.assemblies[d];
        let total: f64 = o.attendance.iter().sum();
        let under: f64 = sim
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.under_represented)
            .map(|(g, _)| o.attendance[g])
            .sum();
        rows.push(
            key,
            &res.id,
            "funded_per_capita",
            Some(res.funded_per_capita),
        );
        rows.push(key, &res.id, "coverage", Some(res.coverage));
        rows.push(
            key,
            &res.id,
            "infrastructure_gap",
            Some(st.infrastructure_gap()),
        );
        rows.push(key, &res.id, "population", Some(st.population));
        rows.push(
            key,
            &res.id,
            "attendance_share_under_represented",
            Some(under / total),
        );
    }
    Ok(())
}
