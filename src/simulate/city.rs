//! Synthetic cities: districts whose need, poverty and infrastructure gap
//! come from a Gaussian copula with chosen correlations (so "poorer districts
//! lack more infrastructure" is a parameter, not an accident), log-normal
//! populations, resident groups whose shares follow poverty, and each year's
//! proposals with log-normal costs.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::config::{Correlations, Simulation};
use super::synthetic::normal;

/// One district's state (it changes over the years).
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictState {
    pub id: String,
    pub population: f64,
    pub need: f64,
    pub poverty: f64,
    pub infrastructure_gap: f64,
    /// The copula's normal score of poverty (drives group shares).
    pub poverty_z: f64,
    /// Share of residents per group (indexed like `Simulation::groups`), sums to 1.
    pub group_shares: Vec<f64>,
}

/// A synthetic city.
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    pub districts: Vec<DistrictState>,
}

/// A proposal drawn for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnProposal {
    pub district: usize,
    /// Index into `city.categories`.
    pub category: usize,
    pub cost: f64,
    /// Common quality: what every resident sees in it, beyond group interests.
    pub quality: f64,
}

/// Lower Cholesky factor of the 3x3 correlation matrix (need, poverty, gap);
/// `None` when it is not positive definite.
pub fn cholesky3(c: &Correlations) -> Option<[[f64; 3]; 3]> {
    let m = [
        [1.0, c.need_poverty, c.need_gap],
        [c.need_poverty, 1.0, c.poverty_gap],
        [c.need_gap, c.poverty_gap, 1.0],
    ];
    let mut l = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = m[i][i] - s;
                if d <= 1e-12 {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (m[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}

/// Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7: far
/// below anything an index in 0..1 needs).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

fn lerp((lo, hi): (f64, f64), u: f64) -> f64 {
    lo + (hi - lo) * u
}

/// Group shares of a district with poverty score `z`.
pub fn group_shares(sim: &Simulation, z: f64) -> Vec<f64> {
    let raw: Vec<f64> = sim
        .groups
        .iter()
        .map(|g| g.share * (g.poverty_slope * z).exp())
        .collect();
    let total: f64 = raw.iter().sum();
    raw.iter().map(|r| r / total).collect()
}

impl City {
    /// Draws a city: per district three correlated normals (need, poverty,
    /// gap) = L z, each mapped to a uniform by the normal CDF and onto its
    /// range; then the population.
    pub fn generate(sim: &Simulation, rng: &mut ChaCha8Rng) -> City {
        let l = cholesky3(&sim.city.correlation).unwrap_or([
            [1.0, 0.0, 0.0],
            [0.0, 1.0, 0.0],
            [0.0, 0.0, 1.0],
        ]);
        let districts = (0..sim.districts)
            .map(|d| {
                let e = [normal(rng), normal(rng), normal(rng)];
                let z: Vec<f64> = (0..3)
                    .map(|i| (0..=i).map(|k| l[i][k] * e[k]).sum())
                    .collect();
                let population = (sim.city.population_median
                    * (sim.city.population_sigma * normal(rng)).exp())
                .round()
                .max(1.0);
                DistrictState {
                    id: format!("d{:02}", d + 1),
                    population,
                    need: lerp(sim.city.need, normal_cdf(z[0])),
                    poverty: lerp(sim.city.poverty, normal_cdf(z[1])),
                    infrastructure_gap: lerp(sim.city.infrastructure_gap, normal_cdf(z[2])),
                    poverty_z: z[1],
                    group_shares: group_shares(sim, z[1]),
                }
            })
            .collect();
        City { districts }
    }

    /// Residents of each group, city-wide, as shares.
    pub fn population_shares(&self, groups: usize) -> Vec<f64> {
        let mut out = vec![0.0; groups];
        let mut total = 0.0;
        for d in &self.districts {
            for (g, s) in d.group_shares.iter().enumerate() {
                out[g] += d.population * s;
            }
            total += d.population;
        }
        out.iter().map(|x| x / total).collect()
    }
}

/// A year's proposals: dealt round-robin to districts (district of proposal
/// p is p mod N), uniform category, log-normal cost rounded to thousands, a
/// standard normal quality.
pub fn draw_proposals(sim: &Simulation, rng: &mut ChaCha8Rng) -> Vec<DrawnProposal> {
    let nd = sim.districts.max(1);
    (0..sim.proposals)
        .map(|p| {
            let category = rng.random_range(0..sim.city.categories.len());
            let cost = ((sim.city.cost_median * (sim.city.cost_sigma * normal(rng)).exp())
                / 1_000.0)
                .round()
                .max(1.0)
                * 1_000.0;
            DrawnProposal {
                district: p % nd,
                category,
                cost,
                quality: normal(rng),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn cholesky_reproduces_the_matrix() {
        let c = Correlations {
            need_poverty: 0.7,
            need_gap: 0.6,
            poverty_gap: 0.5,
        };
        let l = cholesky3(&c).unwrap();
        let m = |i: usize, j: usize| (0..3).map(|k| l[i][k] * l[j][k]).sum::<f64>();
        assert!((m(0, 1) - 0.7).abs() < 1e-12);
        assert!((m(0, 2) - 0.6).abs() < 1e-12);
        assert!((m(1, 2) - 0.5).abs() < 1e-12);
        assert!((m(2, 2) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn normal_cdf_matches_tables() {
        // Phi(0) = 0.5, Phi(1.96) = 0.975002, Phi(-1) = 0.158655.
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.975_002).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-6);
    }

    #[test]
    fn copula_correlation_shows_in_a_large_city() {
        let sim = Simulation {
            districts: 4000,
            proposals: 4000,
            ..Default::default()
        };
        let city = City::generate(&sim, &mut ChaCha8Rng::seed_from_u64(3));
        let pov: Vec<f64> = city.districts.iter().map(|d| d.poverty).collect();
        let gap: Vec<f64> = city
            .districts
            .iter()
            .map(|d| d.infrastructure_gap)
            .collect();
        let r = crate::metrics::correlation(
            ndarray::Array1::from(pov).view(),
            ndarray::Array1::from(gap).view(),
            ndarray::Array1::from(vec![1.0; 4000]).view(),
        )
        .unwrap();
        // Uniform marginals of a Gaussian copula with rho = 0.5 have Pearson
        // correlation (6 / pi) asin(rho / 2) = 0.4826.
        assert!((r - 0.4826).abs() < 0.03, "r = {r}");
    }
}
