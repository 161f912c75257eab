//! District assemblies: who turns out (per group and channel), the
//! attendance quorum with reconvening, seats for delegates (proportional,
//! reserved or by sortition), mandates and recall.
//!
//! **Preferences.** An attendee of group g values proposal p (category c, in
//! district d) at `quality_p + interest_g[c] + group_noise x taste_{d,g,c} +
//! preference_noise x e`, with e their own standard normal noise. A group's
//! attendees form a caucus; the caucus's mean utility has the own noise
//! averaged down to `preference_noise / sqrt(n_g)` (exactly the distribution of
//! a mean of n_g draws, so no attendee is simulated one by one).
//!
//! **Mandates.** Seats go to groups (in proportion to attendance, to
//! population with reserved seats, or seat by seat to a random attendee with
//! sortition); a delegate carries the mandate of the caucus that elected them:
//! its ranking of the district's proposals. A delegate strays by
//! `delegate_drift` noise; one who strays further than `recall_threshold`
//! (normalised Spearman footrule) is recalled and replaced by a delegate who
//! carries the mandate.

use super::city::{DistrictState, DrawnProposal};
use super::config::Simulation;

/// Random draws of one district-year, shared by every safeguard (common
/// random numbers: safeguards differ only by what they do, not by luck).
#[derive(Debug, Clone)]
pub struct AssemblyDraws {
    /// taste[g][c]: standard normal taste shock of group g for category c.
    pub taste: Vec<Vec<f64>>,
    /// caucus[g][j]: standard normal noise of group g's caucus on the
    /// district's j-th proposal.
    pub caucus: Vec<Vec<f64>>,
    /// seat_u[k]: uniform draw of seat k (sortition).
    pub seat_u: Vec<f64>,
    /// drift[k][j]: standard normal drift of seat k's delegate on proposal j.
    pub drift: Vec<Vec<f64>>,
}

/// What the assembly of a district produced.
#[derive(Debug, Clone, PartialEq)]
pub struct AssemblyOutcome {
    /// Attendees per group (expected counts; they need not be whole).
    pub attendance: Vec<f64>,
    /// Meetings held (1 + reconvenings).
    pub meetings: usize,
    /// The attendance quorum was still not met after the last meeting.
    pub quorum_failed: bool,
    /// (group, ranking of the district's proposals as local indices, best first).
    pub delegates: Vec<(usize, Vec<usize>)>,
    pub recalls: usize,
}

/// How the assembly is run under a safeguard.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AssemblyRules {
    pub attendance_quorum: bool,
    pub reserved_seats: bool,
}

/// Expected attendance of each group with turnout multipliers `mult`: the
/// sum over channels of residents x rate x relative^bias x mult, at most the
/// group's residents.
pub fn attendance(sim: &Simulation, d: &DistrictState, mult: &[f64]) -> Vec<f64> {
    sim.groups
        .iter()
        .enumerate()
        .map(|(g, gp)| {
            let residents = d.population * d.group_shares[g];
            let rate: f64 = sim
                .channels
                .iter()
                .map(|c| {
                    let rel = c.relative.get(&gp.id).copied().unwrap_or(1.0);
                    c.rate * rel.powf(sim.assembly.turnout_bias)
                })
                .sum();
            (residents * rate * mult[g]).min(residents)
        })
        .collect()
}

/// Whether under-represented groups' share of attendees reaches
/// `attendance_ratio` of their share of residents.
pub fn quorum_met(sim: &Simulation, d: &DistrictState, att: &[f64]) -> bool {
    let total: f64 = att.iter().sum();
    if total <= 0.0 {
        return false;
    }
    let (mut a, mut p) = (0.0, 0.0);
    for (g, gp) in sim.groups.iter().enumerate() {
        if gp.under_represented {
            a += att[g];
            p += d.group_shares[g];
        }
    }
    // The tolerance absorbs rounding when turnout is unbiased (a / total = p exactly in reals).
    a / total >= sim.quorums.attendance_ratio * p - 1e-9
}

/// Seats per group by largest remainder on `weights`; ties go to the lower
/// group index. Quotas are rounded to 1e-9 first so that proportional weights
/// computed along different paths give the same seats.
pub fn largest_remainder(weights: &[f64], seats: usize) -> Vec<usize> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        let mut out = vec![0; weights.len()];
        if let Some(first) = out.first_mut() {
            *first = seats;
        }
        return out;
    }
    let quotas: Vec<f64> = weights
        .iter()
        .map(|w| ((w / total * seats as f64) * 1e9).round() / 1e9)
        .collect();
    let mut out: Vec<usize> = quotas.iter().map(|q| q.floor() as usize).collect();
    let mut left = seats.saturating_sub(out.iter().sum());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = quotas[a] - quotas[a].floor();
        let rb = quotas[b] - quotas[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for g in order {
        if left == 0 {
            break;
        }
        out[g] += 1;
        left -= 1;
    }
    out
}

/// Indices sorted by decreasing value, ties by index.
pub fn order_desc(values: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    idx
}

/// Normalised Spearman footrule between two full orders of the same items:
/// sum |pos_a - pos_b| over the maximum, floor(n^2 / 2); 0 equal, 1 reversed.
pub fn footrule(a: &[usize], b: &[usize]) -> f64 {
    let n = a.len();
    if n < 2 {
        return 0.0;
    }
    let mut pos_b = vec![0usize; n];
    for (i, &x) in b.iter().enumerate() {
        pos_b[x] = i;
    }
    let s: usize = a
        .iter()
        .enumerate()
        .map(|(i, &x)| i.abs_diff(pos_b[x]))
        .sum();
    s as f64 / (n * n / 2) as f64
}

/// Utility of group g for the district's proposals, `noise` times its
/// caucus noise (0 for the group's true preferences).
pub fn utilities(
    sim: &Simulation,
    props: &[&DrawnProposal],
    draws: &AssemblyDraws,
    g: usize,
    noise: f64,
) -> Vec<f64> {
    let gp = &sim.groups[g];
    props
        .iter()
        .enumerate()
        .map(|(j, p)| {
            let cat = &sim.city.categories[p.category];
            p.quality
                + gp.interests.get(cat).copied().unwrap_or(0.0)
                + sim.assembly.group_noise * draws.taste[g][p.category]
                + noise * draws.caucus[g][j]
        })
        .collect()
}

/// Runs one district's assembly.
pub fn run_assembly(
    sim: &Simulation,
    d: &DistrictState,
    props: &[&DrawnProposal],
    draws: &AssemblyDraws,
    rules: AssemblyRules,
) -> AssemblyOutcome {
    let ng = sim.groups.len();
    let mut mult = vec![1.0; ng];
    let mut att = attendance(sim, d, &mult);
    let mut meetings = 1;
    let mut quorum_failed = false;
    if rules.attendance_quorum {
        while !quorum_met(sim, d, &att) {
            if meetings >= sim.quorums.max_tries {
                quorum_failed = true;
                break;
            }
            meetings += 1;
            for (g, gp) in sim.groups.iter().enumerate() {
                if gp.under_represented {
                    mult[g] *= sim.quorums.outreach;
                }
            }
            att = attendance(sim, d, &mult);
        }
    }
    let seats = sim.assembly.seats;
    let seat_groups: Vec<usize> = if rules.reserved_seats {
        expand(&largest_remainder(&d.group_shares, seats))
    } else {
        match sim.assembly.selection {
            super::config::Selection::Proportional => expand(&largest_remainder(&att, seats)),
            super::config::Selection::Sortition => {
                let total: f64 = att.iter().sum();
                draws
                    .seat_u
                    .iter()
                    .map(|&u| {
                        let mut acc = 0.0;
                        for (g, a) in att.iter().enumerate() {
                            acc += a / total.max(f64::MIN_POSITIVE);
                            if u < acc {
                                return g;
                            }
                        }
                        ng - 1
                    })
                    .collect()
            }
        }
    };
    let mut recalls = 0;
    let mandates: Vec<Option<Vec<f64>>> = (0..ng)
        .map(|g| {
            seat_groups.contains(&g).then(|| {
                let n = att[g].max(1.0);
                utilities(
                    sim,
                    props,
                    draws,
                    g,
                    sim.assembly.preference_noise / n.sqrt(),
                )
            })
        })
        .collect();
    let delegates = seat_groups
        .iter()
        .enumerate()
        .map(|(k, &g)| {
            let u = mandates[g]
                .as_ref()
                .expect("a mandate for every seated group");
            let mandate = order_desc(u);
            let strayed: Vec<f64> = u
                .iter()
                .zip(&draws.drift[k])
                .map(|(x, e)| x + sim.assembly.delegate_drift * e)
                .collect();
            let own = order_desc(&strayed);
            let ranking = if footrule(&own, &mandate) > sim.assembly.recall_threshold {
                recalls += 1;
                mandate
            } else {
                own
            };
            (g, ranking)
        })
        .collect();
    AssemblyOutcome {
        attendance: att,
        meetings,
        quorum_failed,
        delegates,
        recalls,
    }
}

fn expand(counts: &[usize]) -> Vec<usize> {
    counts
        .iter()
        .enumerate()
        .flat_map(|(g, &n)| std::iter::repeat_n(g, n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_by_hand() {
        // 4 seats, 45 : 55 -> quotas 1.8, 2.2 -> 1 + 1 (remainder 0.8), 2.
        assert_eq!(largest_remainder(&[45.0, 55.0], 4), vec![2, 2]);
        // 4 seats, 20 : 80 -> 0.8, 3.2 -> 1, 3.
        assert_eq!(largest_remainder(&[20.0, 80.0], 4), vec![1, 3]);
        // A tie goes to the first group.
        assert_eq!(largest_remainder(&[1.0, 1.0], 3), vec![2, 1]);
    }

    #[test]
    fn footrule_by_hand() {
        assert!(footrule(&[0, 1, 2, 3], &[0, 1, 2, 3]).abs() < 1e-12);
        // Reversal of 4: |0-3| + |1-2| + |2-1| + |3-0| = 8 = floor(16 / 2).
        assert!((footrule(&[0, 1, 2, 3], &[3, 2, 1, 0]) - 1.0).abs() < 1e-12);
        // One swap of neighbours: 2 / 8.
        assert!((footrule(&[1, 0, 2, 3], &[0, 1, 2, 3]) - 0.25).abs() < 1e-12);
    }
}
