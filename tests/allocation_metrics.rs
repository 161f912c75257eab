//! The `metrics` of a solve, worked by hand on `scenarios/tiny.toml`
//! (README, "A worked example").

use std::path::Path;

use participa::metrics::{AllocationMetrics, allocation_metrics};
use participa::model::RuleName;
use participa::{SolveSettings, load_scenario, solve};

fn close(got: Option<f64>, want: f64, tol: f64, what: &str) {
    let got = got.unwrap_or_else(|| panic!("{what} is null"));
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (tolerance {tol})"
    );
}

fn metrics_of(rule: RuleName) -> AllocationMetrics {
    let s = load_scenario(Path::new("scenarios/tiny.toml")).expect("tiny.toml is valid");
    let settings = SolveSettings {
        rule: Some(rule),
        ..Default::default()
    };
    let a = solve(&s, &settings).expect("solves");
    allocation_metrics(&s, &a).expect("metrics")
}

#[test]
fn optimal_by_hand() {
    // District funding (citywide bus excluded): north 350,000 / 10,000 = 35,
    // centre 450,000 / 20,000 = 22.5, south 300,000 / 10,000 = 30 per resident;
    // population shares 1/4, 1/2, 1/4; mean 1,100,000 / 40,000 = 27.5.
    let m = metrics_of(RuleName::Optimal);
    assert_eq!(m.districts, 3);
    close(m.mean_per_capita, 27.5, 1e-9, "mean");
    // Gini over residents: sum_ij p_i p_j |y_i - y_j| / (2 mu)
    // = 2 (1/8 x 12.5 + 1/16 x 5 + 1/8 x 7.5) / 55 = 5.625 / 55 = 9/88.
    close(m.gini, 9.0 / 88.0, 1e-9, "gini");
    // Districts once each: 2 (12.5 + 5 + 7.5) / (2 x 9 x 175/6) = 2/21.
    close(m.gini_unweighted, 2.0 / 21.0, 1e-9, "gini unweighted");
    // Hoover: (1/4 x 7.5 + 1/2 x 5 + 1/4 x 2.5) / (2 x 27.5) = 5 / 55 = 1/11.
    close(m.hoover, 1.0 / 11.0, 1e-9, "hoover");
    // Poverty ranks north (.6), south (.4), centre (.2); fractional ranks
    // 1/8, 3/8, 3/4: C = 2/27.5 (1/4 x 1/8 x 35 + 1/4 x 3/8 x 30 + 1/2 x 3/4 x 22.5) - 1
    // = 24.6875 / 27.5 - 1 = -9/88 (the poorest get the most: the ranking by
    // poverty is exactly the reverse of per-capita funding, so C = -Gini).
    close(m.concentration_index, -9.0 / 88.0, 1e-9, "concentration");
    close(
        m.absolute_concentration_index,
        -27.5 * 9.0 / 88.0,
        1e-7,
        "absolute concentration",
    );
    // Poorest fifth: 8,000 of north's 10,000 residents: 0.8 x 350,000 / 1,100,000.
    close(
        m.poorest_quintile_share,
        280.0 / 1100.0,
        1e-9,
        "poorest quintile",
    );
    // Suits against entitlements (north 7/15, south 4/15, centre 4/15 of the
    // base; funding 350, 300, 450 of 1,100): curve (7/15, 7/22), (11/15, 13/22), (1, 1);
    // area = 7/15 x 7/44 + 4/15 x 20/44 + 4/15 x 35/44 = (49 + 80 + 140) / 660 = 269/660;
    // S = 1 - 538/660 = 122/660.
    close(m.suits_vs_entitlement, 122.0 / 660.0, 1e-9, "suits");
    // Entitlement per capita 70, 20, 40 (mean 37.5); funding per capita 35, 22.5, 30.
    // cov = 1/4 x 7.5 x 32.5 + 1/2 x (-5)(-17.5) + 1/4 x 2.5 x 2.5 = 106.25;
    // var = 28.125 and 418.75; r = 106.25 / sqrt(28.125 x 418.75).
    close(
        m.need_correlation,
        106.25 / (28.125_f64 * 418.75).sqrt(),
        1e-9,
        "need correlation",
    );
    let c = m.coverage.expect("coverage");
    close(Some(c.min), 0.5, 1e-9, "coverage min");
    close(
        Some(c.mean),
        (0.5 + 1.125 + 0.75) / 3.0,
        1e-9,
        "coverage mean",
    );
    close(Some(c.max), 1.125, 1e-9, "coverage max");
    // Satisfaction, top 3: d1 sewer 1/6, school 1, bus 1 -> 13/18; d2 park 1,
    // clinic 1/10, bus 1 -> 0.7; d3 [clinic = park], bus -> 0.7; d4 paving 1,
    // bus 1, sewer 1/6 -> 13/18. Renters d1, d4; owners d2, d3.
    let s = &m.satisfaction;
    let by_id: Vec<(&str, f64)> = s
        .delegates
        .iter()
        .map(|d| (d.id.as_str(), d.satisfaction))
        .collect();
    for ((id, got), (want_id, want)) in by_id.iter().zip([
        ("d1", 13.0 / 18.0),
        ("d2", 0.7),
        ("d3", 0.7),
        ("d4", 13.0 / 18.0),
    ]) {
        assert_eq!(*id, want_id);
        close(Some(*got), want, 1e-9, id);
    }
    close(
        s.by_group.get("renters").copied(),
        13.0 / 18.0,
        1e-9,
        "renters",
    );
    close(s.by_group.get("owners").copied(), 0.7, 1e-9, "owners");
    close(s.mean, (13.0 / 9.0 + 1.4) / 4.0, 1e-9, "mean satisfaction");
    assert!(m.notes.is_empty(), "{:?}", m.notes);
}

#[test]
fn greedy_leaves_the_north_with_nothing() {
    // greedy funds park, bus and clinic: centre 900,000 (45 per resident),
    // north and south 0. Mean 22.5; half the residents hold everything.
    let m = metrics_of(RuleName::Greedy);
    // Gini = 2 x (1/4 x 1/2 x 45) x 2 / (2 x 22.5) = 0.5; Theil T = ln 2.
    close(m.gini, 0.5, 1e-12, "gini");
    close(m.theil_t, 2_f64.ln(), 1e-12, "theil T");
    // Theil L needs every district funded: null, and the note names the district.
    assert_eq!(m.theil_l, None);
    assert!(
        m.notes
            .iter()
            .any(|n| n.contains("theil_l") && n.contains("`north`")),
        "{:?}",
        m.notes
    );
    // Atkinson: geometric mean 0 -> A(1) = A(2) = 1; A(0.5) = 1 - (1/2 sqrt 45)^2 / 22.5 = 0.5.
    close(m.atkinson.get("1"), 1.0, 0.0, "A(1)");
    close(m.atkinson.get("2"), 1.0, 0.0, "A(2)");
    close(m.atkinson.get("0.5"), 0.5, 1e-12, "A(0.5)");
    // Median (0 + 45) / 2 = 22.5 = mean; L(0.5) = 0: W = 2 (1 - 0 - 0.5) = 1, full bipolarisation.
    close(m.wolfson, 1.0, 1e-12, "wolfson");
    close(m.poorest_quintile_share, 0.0, 0.0, "poorest quintile");
    // Ranks north 1/8, south 3/8, centre 3/4: ACI = 1/2 x (2 x 3/4 - 1) x 45 = 11.25; C = 0.5.
    close(m.concentration_index, 0.5, 1e-12, "concentration");
    close(
        m.absolute_concentration_index,
        11.25,
        1e-9,
        "absolute concentration",
    );
    // d1 and d4 get only the bus of their top 3; d2 and d3 everything.
    close(
        m.satisfaction.by_group.get("renters").copied(),
        1.0 / 3.0,
        1e-12,
        "renters",
    );
    close(
        m.satisfaction.by_group.get("owners").copied(),
        1.0,
        1e-12,
        "owners",
    );
}

#[test]
fn nested_councils_are_measured_across_top_level_regions() {
    // tests/fixtures/nested.toml, optimal: R1 (n1, n2) funded 600,000 for
    // 30,000 residents (20 each), R2 (n3, n4) 400,000 for 10,000 (40).
    // Shares 3/4 and 1/4, mean 25: Gini = 2 (3/4 x 1/4 x 20) / 50 = 0.15.
    let s = load_scenario(Path::new("tests/fixtures/nested.toml")).unwrap();
    let a = solve(&s, &SolveSettings::default()).unwrap();
    let m = allocation_metrics(&s, &a).unwrap();
    assert_eq!(m.districts, 2);
    close(m.mean_per_capita, 25.0, 1e-9, "mean");
    close(m.gini, 0.15, 1e-9, "gini");
    // Poverty R2 .5 > R1 .3: the poorest fifth is 8,000 of R2's 10,000: 0.8 x 400,000 / 1,000,000.
    close(m.poorest_quintile_share, 0.32, 1e-9, "poorest quintile");
    // Level 1 splits by population: entitlement per capita is 25 in both regions,
    // so correlation with need is undefined, and says why.
    assert_eq!(m.need_correlation, None);
    assert!(
        m.notes.iter().any(|n| n.starts_with("need_correlation")),
        "{:?}",
        m.notes
    );
    // Coverage over all six districts: R1 .8, R2 1.6, n1 .8, n2 .8, n3 2.4, n4 .8.
    let c = m.coverage.unwrap();
    close(Some(c.min), 0.8, 1e-9, "min");
    close(Some(c.mean), 7.2 / 6.0, 1e-9, "mean");
    close(Some(c.max), 2.4, 1e-9, "max");
}

#[test]
fn metrics_of_another_scenario_are_refused() {
    let tiny = load_scenario(Path::new("scenarios/tiny.toml")).unwrap();
    let other = load_scenario(Path::new("scenarios/porto-alegre-16.toml")).unwrap();
    let a = solve(
        &tiny,
        &SolveSettings {
            rule: Some(RuleName::Greedy),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(allocation_metrics(&other, &a).is_err());
}
