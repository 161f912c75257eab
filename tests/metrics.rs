//! Equity metrics against published and hand-worked values.
//!
//! PySAL values come from `tests/reference/pysal_reference.py` (PySAL
//! `inequality` 1.1.2; the command is in the script's docstring); WHO values
//! from the `healthequal` 1.0.1 reference pages (whoequity.github.io/healthequal,
//! `aci` and `rci` examples on the `OrderedSample` data set).

use std::path::Path;

use ndarray::{Array1, ArrayView1, array};
use participa::io::table::TextTable;
use participa::metrics::*;

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (tolerance {tol})"
    );
}

fn ones(n: usize) -> Array1<f64> {
    Array1::ones(n)
}

/// A numeric column of a fixture.
fn column(file: &str, name: &str) -> Array1<f64> {
    let t = TextTable::read(&Path::new("tests/fixtures").join(file)).expect("fixture");
    (0..t.rows())
        .map(|r| t.get(r, name).unwrap().parse::<f64>().unwrap())
        .collect()
}

fn text_column(file: &str, name: &str) -> Vec<String> {
    let t = TextTable::read(&Path::new("tests/fixtures").join(file)).expect("fixture");
    (0..t.rows())
        .map(|r| t.get(r, name).unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------------------
// Mexico 1940 per-capita GDP by state (libpysal example `mexico.csv`),
// unweighted, against PySAL.

#[test]
fn mexico_theil_matches_pysal_docstrings() {
    // PySAL docs, inequality.theil.Theil / TheilD on mexico.csv, regimes
    // `hanson98`, first column (1940): T 0.20894344, bg 0.0345889, wg 0.17435454.
    let y = column("mexico_1940.csv", "pcgdp1940");
    let g = text_column("mexico_1940.csv", "hanson98");
    let w = ones(y.len());
    close(theil_t(y.view(), w.view()).unwrap(), 0.20894344, 1e-8, "T");
    let d = theil_t_decomposition(y.view(), w.view(), &g).unwrap();
    close(d.total, 0.20894344, 1e-8, "T total");
    close(d.between, 0.0345889, 1e-7, "between");
    close(d.within, 0.17435454, 1e-8, "within");
    close(d.between + d.within, d.total, 1e-14, "T = between + within");
}

#[test]
fn mexico_other_indices_match_pysal() {
    // tests/reference/pysal_reference.py, "mexico 1940 by hanson98".
    let y = column("mexico_1940.csv", "pcgdp1940");
    let w = ones(y.len());
    let (y, w) = (y.view(), w.view());
    close(
        gini(y).unwrap(),
        0.353723711735,
        1e-11,
        "Gini (PySAL Gini.g)",
    );
    close(
        gini_weighted(y, w).unwrap(),
        0.353723711735,
        1e-11,
        "Gini, unit weights",
    );
    close(
        theil_l(y, w).unwrap(),
        0.202948913799,
        1e-11,
        "Theil L (numpy ln(mean/geomean))",
    );
    close(
        atkinson(y, w, 0.5).unwrap(),
        0.098432223988,
        1e-11,
        "Atkinson 0.5",
    );
    close(
        atkinson(y, w, 1.0).unwrap(),
        0.183680056955,
        1e-11,
        "Atkinson 1",
    );
    close(
        atkinson(y, w, 2.0).unwrap(),
        0.31559805802,
        1e-10,
        "Atkinson 2",
    );
    close(
        hoover(y, w).unwrap(),
        0.260037190386,
        1e-11,
        "Hoover (PySAL Schutz.distance)",
    );
    close(
        weighted_median(y, w).unwrap(),
        5256.0,
        1e-9,
        "median (numpy)",
    );
    // PySAL wolfson 0.188781087983 omits Wolfson's factor 2.
    close(
        wolfson(y, w).unwrap(),
        2.0 * 0.188781087983,
        1e-11,
        "Wolfson",
    );
}

// ---------------------------------------------------------------------------
// PySAL docstring examples.

#[test]
fn atkinson_pysal_docstring() {
    // inequality.atkinson docstring: incomes 10..50, 0.06315 (e = 0.5), 0.13161 (e = 1).
    let y = array![10.0, 20.0, 30.0, 40.0, 50.0];
    let w = ones(5);
    close(
        atkinson(y.view(), w.view(), 0.5).unwrap(),
        0.06315,
        5e-6,
        "A(0.5)",
    );
    close(
        atkinson(y.view(), w.view(), 1.0).unwrap(),
        0.13161,
        5e-6,
        "A(1)",
    );
    close(atkinson(y.view(), w.view(), 0.0).unwrap(), 0.0, 0.0, "A(0)");
}

#[test]
fn wolfson_pysal_docstrings_and_by_hand() {
    // inequality.wolfson docstring: 0.2013 for these incomes; ours is twice that.
    let income = array![
        20000.0, 25000.0, 27000.0, 30000.0, 35000.0, 45000.0, 60000.0, 75000.0, 80000.0, 120000.0
    ];
    close(
        wolfson(income.view(), ones(10).view()).unwrap(),
        2.0 * 0.20125,
        1e-12,
        "income",
    );
    // [6, 6, 8, 8, 10, 10, 12, 12] (docstring 0.0833), by hand: mean 9, median 9,
    // L(0.5) = 28/72, Gini = (2 sum i y_(i) - (n+1) sum y) / (n sum y) = (728 - 648) / 576 = 5/36,
    // W = 2 (9/9) (1 - 56/72 - 5/36) = 2 x 1/12 = 1/6.
    let y = array![6.0, 6.0, 8.0, 8.0, 10.0, 10.0, 12.0, 12.0];
    close(gini(y.view()).unwrap(), 5.0 / 36.0, 1e-15, "Gini");
    close(
        wolfson(y.view(), ones(8).view()).unwrap(),
        1.0 / 6.0,
        1e-15,
        "Wolfson",
    );
}

#[test]
fn lorenz_pysal_docstring() {
    // inequality.wolfson.lorenz_curve docstring: population [0, 0.1, ...],
    // income share [0, 0.03868472, ...] (0.08704062 third, from the script).
    let income = array![
        20000.0, 25000.0, 27000.0, 30000.0, 35000.0, 45000.0, 60000.0, 75000.0, 80000.0, 120000.0
    ];
    let l = lorenz(income.view(), ones(10).view()).unwrap();
    assert_eq!(l.len(), 11);
    close(l[1][0], 0.1, 1e-15, "P1");
    close(l[1][1], 0.03868472, 1e-8, "L1");
    close(l[2][1], 0.08704061895551257, 1e-15, "L2");
    assert_eq!(l[10], [1.0, 1.0]);
}

#[test]
fn hoover_pysal_schutz_docstring() {
    // inequality.schutz docstring: Y = 1000, 2000, 1500, 3000, 2500 -> distance 0.15.
    // By hand: shares .1 .2 .15 .3 .25 against .2 each: (.1 + 0 + .05 + .1 + .05) / 2 = 0.15.
    let y = array![1000.0, 2000.0, 1500.0, 3000.0, 2500.0];
    close(
        hoover(y.view(), ones(5).view()).unwrap(),
        0.15,
        1e-15,
        "Hoover",
    );
}

// ---------------------------------------------------------------------------
// Weighted = replicated: tests/fixtures/districts_small.csv has integer
// populations; PySAL on its rows repeated `population` times is the reference
// ("districts_small replicated by population" in the script).

#[test]
fn weighted_metrics_equal_pysal_on_replicated_rows() {
    let y = column("districts_small.csv", "per_capita");
    let w = column("districts_small.csv", "population");
    let g = text_column("districts_small.csv", "region");
    let (y, w) = (y.view(), w.view());
    close(gini_weighted(y, w).unwrap(), 0.336842105263, 1e-12, "Gini");
    close(theil_t(y, w).unwrap(), 0.197219016611, 1e-12, "Theil T");
    close(theil_l(y, w).unwrap(), 0.225965577836, 1e-12, "Theil L");
    let d = theil_t_decomposition(y, w, &g).unwrap();
    close(d.between, 0.0111265445438, 1e-12, "between");
    close(d.within, 0.186092472067, 1e-12, "within");
    close(
        atkinson(y, w, 0.5).unwrap(),
        0.100774664514,
        1e-12,
        "A(0.5)",
    );
    close(atkinson(y, w, 1.0).unwrap(), 0.202254438679, 1e-12, "A(1)");
    close(atkinson(y, w, 2.0).unwrap(), 0.38080495356, 1e-11, "A(2)");
    close(hoover(y, w).unwrap(), 0.242105263158, 1e-12, "Hoover");
    close(weighted_median(y, w).unwrap(), 20.0, 0.0, "median");
    close(wolfson(y, w).unwrap(), 2.0 * 0.13, 1e-12, "Wolfson");
}

#[test]
fn tiny_per_capita_gini_by_hand() {
    // tiny.toml, optimal: per capita north 35, centre 22.5, south 30; population
    // shares 1/4, 1/2, 1/4; mean 27.5. sum_ij p_i p_j |y_i - y_j| =
    // 2 (1/8 x 12.5 + 1/16 x 5 + 1/8 x 7.5) = 5.625, Gini = 5.625 / 55 = 9/88.
    let y = array![35.0, 22.5, 30.0];
    let w = array![10_000.0, 20_000.0, 10_000.0];
    close(
        gini_weighted(y.view(), w.view()).unwrap(),
        9.0 / 88.0,
        1e-15,
        "weighted",
    );
    // Unweighted, n = 3: (|35-22.5| + |35-30| + |30-22.5|) x 2 / (2 x 9 x 29.1667) = 50 / 525 = 2/21.
    close(gini(y.view()).unwrap(), 2.0 / 21.0, 1e-15, "unweighted");
    // Lorenz: 22.5 x 0.5 / 27.5 = 9/22 at P = 1/2, then + 30 x 0.25 / 27.5 = 6/22.
    let l = lorenz(y.view(), w.view()).unwrap();
    assert_eq!(l.len(), 4);
    close(l[1][0], 0.5, 1e-15, "P");
    close(l[1][1], 9.0 / 22.0, 1e-15, "L(1/2)");
    close(l[2][1], 15.0 / 22.0, 1e-15, "L(3/4)");
}

#[test]
fn theil_l_and_atkinson_by_hand() {
    // y = 1, 4: mean 2.5, geometric mean 2. L = ln(2.5 / 2) = ln 1.25;
    // T = (0.4 ln 0.4 + 1.6 ln 1.6) / 2; Atkinson(1) = 1 - 2 / 2.5 = 0.2 = 1 - exp(-L);
    // Atkinson(2): harmonic mean 2 / (1 + 1/4) = 1.6, A = 1 - 1.6 / 2.5 = 0.36.
    let y = array![1.0, 4.0];
    let w = ones(2);
    close(
        theil_l(y.view(), w.view()).unwrap(),
        1.25_f64.ln(),
        1e-15,
        "L",
    );
    let t = (0.4 * 0.4_f64.ln() + 1.6 * 1.6_f64.ln()) / 2.0;
    close(theil_t(y.view(), w.view()).unwrap(), t, 1e-15, "T");
    close(
        atkinson(y.view(), w.view(), 1.0).unwrap(),
        0.2,
        1e-15,
        "A(1)",
    );
    close(
        atkinson(y.view(), w.view(), 2.0).unwrap(),
        0.36,
        1e-15,
        "A(2)",
    );
}

#[test]
fn zeros_theil_t_and_atkinson_limits() {
    // y = 0, 2: T = 0.5 x 2 ln 2 = ln 2 (0 ln 0 = 0); the geometric mean is 0,
    // so A(1) = A(2) = 1; A(0.5) = 1 - (0.5 sqrt 2)^2 / 1 = 0.5.
    let y = array![0.0, 2.0];
    let w = ones(2);
    close(theil_t(y.view(), w.view()).unwrap(), 2_f64.ln(), 1e-15, "T");
    close(atkinson(y.view(), w.view(), 1.0).unwrap(), 1.0, 0.0, "A(1)");
    close(atkinson(y.view(), w.view(), 2.0).unwrap(), 1.0, 0.0, "A(2)");
    close(
        atkinson(y.view(), w.view(), 0.5).unwrap(),
        0.5,
        1e-15,
        "A(0.5)",
    );
}

#[test]
fn zero_weight_rows_are_ignored() {
    let y = array![35.0, 22.5, 30.0, 1000.0];
    let w = array![1.0, 2.0, 1.0, 0.0];
    close(
        gini_weighted(y.view(), w.view()).unwrap(),
        9.0 / 88.0,
        1e-15,
        "Gini",
    );
    let l = lorenz(y.view(), w.view()).unwrap();
    assert_eq!(l.len(), 4, "{l:?}");
}

// ---------------------------------------------------------------------------
// Concentration.

#[test]
fn concentration_indices_match_who_healthequal() {
    // healthequal reference pages, OrderedSample (births attended by skilled
    // personnel by wealth quintile): aci 4.30052, rci 0.0469506.
    let y = column("who_quintiles.csv", "estimate");
    let w = column("who_quintiles.csv", "population");
    let o = column("who_quintiles.csv", "subgroup_order");
    close(
        absolute_concentration_index(y.view(), w.view(), o.view()).unwrap(),
        4.30052,
        5e-6,
        "ACI",
    );
    close(
        concentration_index(y.view(), w.view(), o.view()).unwrap(),
        0.0469506,
        5e-8,
        "RCI",
    );
}

#[test]
fn concentration_index_by_hand() {
    // districts_small.csv ranked by poverty, highest first (order = -poverty):
    // d (y 5, p .2), a (10, .2), b (20, .4), c (40, .2); mean 19.
    // Fractional ranks .1, .3, .6, .9;
    // ACI = sum p (2R - 1) y = .2(-.8)5 + .2(-.4)10 + .4(.2)20 + .2(.8)40 = 6.4; C = 6.4 / 19.
    let y = column("districts_small.csv", "per_capita");
    let w = column("districts_small.csv", "population");
    let o = -column("districts_small.csv", "poverty");
    close(
        absolute_concentration_index(y.view(), w.view(), o.view()).unwrap(),
        6.4,
        1e-14,
        "ACI",
    );
    close(
        concentration_index(y.view(), w.view(), o.view()).unwrap(),
        6.4 / 19.0,
        1e-15,
        "C",
    );
    // Ranking a value by itself gives its Gini.
    let self_ranked = concentration_index(y.view(), w.view(), y.view()).unwrap();
    close(
        self_ranked,
        gini_weighted(y.view(), w.view()).unwrap(),
        1e-15,
        "C(y by y) = Gini",
    );
    // The curve: shares of 95 (= 19 x 5 people): 5, 15, 55, 95.
    let c = concentration_curve(y.view(), w.view(), o.view()).unwrap();
    let want = [
        [0.0, 0.0],
        [0.2, 5.0 / 95.0],
        [0.4, 15.0 / 95.0],
        [0.8, 55.0 / 95.0],
        [1.0, 1.0],
    ];
    for (g, w) in c.iter().zip(want) {
        close(g[0], w[0], 1e-15, "curve P");
        close(g[1], w[1], 1e-15, "curve C");
    }
}

#[test]
fn ties_in_the_ranking_share_a_rank() {
    // Two rows with the same order are one group: both at rank 1/2, so the
    // index is 0 whatever their values.
    let y = array![1.0, 9.0];
    let c = concentration_index(y.view(), ones(2).view(), array![3.0, 3.0].view()).unwrap();
    close(c, 0.0, 1e-15, "tied ranking");
}

#[test]
fn suits_by_hand() {
    // Base (income) 10, 30, 60, ranked poorest first; amounts 2, 3, 5.
    // Cumulative base shares .1, .4, 1; amount shares .2, .5, 1.
    // Area = .1 x .2 / 2 + .3 x (.2 + .5) / 2 + .6 x (.5 + 1) / 2 = .01 + .105 + .45 = .565;
    // S = 1 - 2 x .565 = -0.13 (tilted toward the poorest beyond their base).
    let base = array![10.0, 30.0, 60.0];
    let order = array![1.0, 2.0, 3.0];
    close(
        suits(array![2.0, 3.0, 5.0].view(), base.view(), order.view()).unwrap(),
        -0.13,
        1e-15,
        "S",
    );
    // Amounts proportional to the base: 0.
    close(
        suits(array![1.0, 3.0, 6.0].view(), base.view(), order.view()).unwrap(),
        0.0,
        1e-15,
        "proportional",
    );
    // With population as the base it is the concentration index of per-capita amounts.
    let y = column("districts_small.csv", "per_capita");
    let w = column("districts_small.csv", "population");
    let o = -column("districts_small.csv", "poverty");
    close(
        suits((&y * &w).view(), w.view(), o.view()).unwrap(),
        concentration_index(y.view(), w.view(), o.view()).unwrap(),
        1e-15,
        "Suits with population base = C",
    );
}

#[test]
fn poorest_quintile_splits_the_boundary_district() {
    // tiny.toml, optimal: poorest first north (poverty .6, 10,000 residents,
    // 35 per capita), south (.4), centre (.2); 40,000 residents, the poorest
    // fifth is 8,000 of north's 10,000: 0.8 x 350,000 = 280,000 of 1,100,000.
    let y = array![35.0, 22.5, 30.0];
    let w = array![10_000.0, 20_000.0, 10_000.0];
    let o = -array![0.6, 0.2, 0.4];
    close(
        bottom_share(y.view(), w.view(), o.view(), 0.2).unwrap(),
        280.0 / 1100.0,
        1e-15,
        "quintile",
    );
    // The poorest 60%: north, south and 4,000 of centre's 20,000:
    // (350,000 + 300,000 + 0.2 x 450,000) / 1,100,000.
    close(
        bottom_share(y.view(), w.view(), o.view(), 0.6).unwrap(),
        740.0 / 1100.0,
        1e-15,
        "60%",
    );
    close(
        bottom_share(y.view(), w.view(), o.view(), 1.0).unwrap(),
        1.0,
        1e-15,
        "everyone",
    );
    // Equal poverty everywhere: one group, split pro rata -> exactly 20%.
    let flat = array![0.3, 0.3, 0.3];
    close(
        bottom_share(y.view(), w.view(), flat.view(), 0.2).unwrap(),
        0.2,
        1e-15,
        "tied",
    );
}

// ---------------------------------------------------------------------------
// Need.

#[test]
fn correlation_by_hand() {
    // x 1, 2, 3; y 2, 4, 7; weights 1, 1, 2 (shares .25 .25 .5).
    // mean x 2.25, mean y 5; cov = (3.75 + 0.25 + 3) / 4 = 1.75;
    // var x = 2.75 / 4 = 0.6875; var y = 18 / 4 = 4.5; r = 1.75 / sqrt(3.09375).
    let r = correlation(
        array![1.0, 2.0, 3.0].view(),
        array![2.0, 4.0, 7.0].view(),
        array![1.0, 1.0, 2.0].view(),
    )
    .unwrap();
    close(r, 1.75 / 3.09375_f64.sqrt(), 1e-15, "r");
    // A linear relation is +-1 whatever the weights.
    let x = array![1.0, 5.0, 2.0, 8.0];
    let w = array![3.0, 1.0, 7.0, 2.0];
    close(
        correlation(x.view(), (&x * -2.0 + 1.0).view(), w.view()).unwrap(),
        -1.0,
        1e-15,
        "-1",
    );
}

#[test]
fn coverage_by_hand() {
    // tiny.toml, optimal: north 350,000 of 700,000, centre 450,000 of 400,000,
    // south 300,000 of 400,000: 0.5, 1.125, 0.75; mean 2.375 / 3.
    let c = coverage(
        array![350e3, 450e3, 300e3].view(),
        array![700e3, 400e3, 400e3].view(),
    )
    .unwrap();
    close(c.min, 0.5, 1e-15, "min");
    close(c.mean, 2.375 / 3.0, 1e-15, "mean");
    close(c.max, 1.125, 1e-15, "max");
}

#[test]
fn group_means_by_hand() {
    let m = group_means(array![1.0, 0.5, 0.0, 0.25].view(), &["a", "b", "a", "b"]).unwrap();
    close(m["a"], 0.5, 0.0, "a");
    close(m["b"], 0.375, 0.0, "b");
}

// ---------------------------------------------------------------------------
// Errors: never NaN.

#[test]
fn bad_inputs_are_errors() {
    let e = Array1::<f64>::zeros(0);
    assert!(matches!(gini(e.view()), Err(MetricError::Empty { .. })));
    assert!(matches!(
        gini_weighted(array![1.0, 2.0].view(), array![1.0].view()),
        Err(MetricError::LengthMismatch {
            what: "weights",
            expected: 2,
            got: 1,
            ..
        })
    ));
    assert!(matches!(
        theil_t(array![1.0, f64::NAN].view(), ones(2).view()),
        Err(MetricError::NotFinite {
            what: "values",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        hoover(array![1.0, -2.0].view(), ones(2).view()),
        Err(MetricError::Negative {
            what: "values",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        hoover(array![1.0, 2.0].view(), array![1.0, -1.0].view()),
        Err(MetricError::Negative {
            what: "weights",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        gini(array![0.0, 0.0].view()),
        Err(MetricError::ZeroTotal { what: "values", .. })
    ));
    assert!(matches!(
        gini_weighted(array![1.0, 2.0].view(), array![0.0, 0.0].view()),
        Err(MetricError::ZeroTotal {
            what: "weights",
            ..
        })
    ));
    assert!(matches!(
        theil_l(array![3.0, 0.0].view(), ones(2).view()),
        Err(MetricError::NotPositive { index: 1, .. })
    ));
    assert!(matches!(
        wolfson(array![0.0, 0.0, 5.0].view(), ones(3).view()),
        Err(MetricError::Undefined { .. })
    ));
    assert!(matches!(
        atkinson(array![1.0].view(), ones(1).view(), -0.5),
        Err(MetricError::InvalidParameter { .. })
    ));
    assert!(matches!(
        concentration_index(array![1.0, 2.0].view(), ones(2).view(), array![1.0].view()),
        Err(MetricError::LengthMismatch { what: "order", .. })
    ));
    assert!(matches!(
        concentration_index(
            array![1.0, 2.0].view(),
            ones(2).view(),
            array![1.0, f64::NAN].view()
        ),
        Err(MetricError::NotFinite {
            what: "order",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        bottom_share(array![1.0].view(), ones(1).view(), ones(1).view(), 0.0),
        Err(MetricError::InvalidParameter { .. })
    ));
    assert!(matches!(
        suits(
            array![1.0, 2.0].view(),
            array![0.0, 0.0].view(),
            ones(2).view()
        ),
        Err(MetricError::ZeroTotal { what: "base", .. })
    ));
    assert!(matches!(
        correlation(
            array![1.0, 1.0].view(),
            array![1.0, 2.0].view(),
            ones(2).view()
        ),
        Err(MetricError::Undefined { .. })
    ));
    assert!(matches!(
        coverage(array![1.0, 2.0].view(), array![1.0, 0.0].view()),
        Err(MetricError::OutOfRange {
            what: "entitlement",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        theil_t_decomposition(array![1.0, 2.0].view(), ones(2).view(), &["a"]),
        Err(MetricError::LengthMismatch { what: "groups", .. })
    ));
}

// ---------------------------------------------------------------------------
// Properties.

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Every metric of (values, weights, order), in a fixed order.
    fn all(y: ArrayView1<f64>, w: ArrayView1<f64>, o: ArrayView1<f64>) -> Vec<f64> {
        let groups: Vec<bool> = o.iter().map(|v| *v > 50.0).collect();
        let d = theil_t_decomposition(y, w, &groups).unwrap();
        let mut out = vec![
            gini_weighted(y, w).unwrap(),
            theil_t(y, w).unwrap(),
            theil_l(y, w).unwrap(),
            d.between,
            d.within,
            atkinson(y, w, 0.5).unwrap(),
            atkinson(y, w, 1.0).unwrap(),
            atkinson(y, w, 2.0).unwrap(),
            hoover(y, w).unwrap(),
            wolfson(y, w).unwrap(),
            concentration_index(y, w, o).unwrap(),
            suits((&y * &w).view(), w, o).unwrap(),
            bottom_share(y, w, o, 0.2).unwrap(),
        ];
        out.extend(lorenz(y, w).unwrap().into_iter().flatten());
        out
    }

    fn same(a: &[f64], b: &[f64], tol: f64) -> std::result::Result<(), TestCaseError> {
        prop_assert_eq!(a.len(), b.len());
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            prop_assert!(
                (x - y).abs() <= tol * (1.0 + x.abs()),
                "metric {}: {} vs {}",
                i,
                x,
                y
            );
        }
        Ok(())
    }

    fn rows() -> impl Strategy<Value = Vec<(f64, f64, f64)>> {
        // (value > 0, weight > 0, order with ties: integers 0..100)
        prop::collection::vec(
            (
                0.01..1000.0f64,
                0.1..100.0f64,
                (0..100u8).prop_map(f64::from),
            ),
            2..25,
        )
    }

    fn split(rows: &[(f64, f64, f64)]) -> (Array1<f64>, Array1<f64>, Array1<f64>) {
        (
            rows.iter().map(|r| r.0).collect(),
            rows.iter().map(|r| r.1).collect(),
            rows.iter().map(|r| r.2).collect(),
        )
    }

    proptest! {
        #[test]
        fn invariant_to_row_order((rows, shuffled) in rows().prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle()))) {
            let (y, w, o) = split(&rows);
            let (y2, w2, o2) = split(&shuffled);
            same(&all(y.view(), w.view(), o.view()), &all(y2.view(), w2.view(), o2.view()), 1e-9)?;
            let a = absolute_concentration_index(y.view(), w.view(), o.view()).unwrap();
            let b = absolute_concentration_index(y2.view(), w2.view(), o2.view()).unwrap();
            prop_assert!((a - b).abs() <= 1e-9 * (1.0 + a.abs()));
        }

        #[test]
        fn scaling_values_changes_only_the_scale(rows in rows(), c in 0.001..1000.0f64) {
            let (y, w, o) = split(&rows);
            let scaled = &y * c;
            same(&all(y.view(), w.view(), o.view()), &all(scaled.view(), w.view(), o.view()), 1e-9)?;
            // The absolute concentration index is in the value's units.
            let a = absolute_concentration_index(y.view(), w.view(), o.view()).unwrap();
            let b = absolute_concentration_index(scaled.view(), w.view(), o.view()).unwrap();
            prop_assert!((b - c * a).abs() <= 1e-9 * (1.0 + (c * a).abs()));
        }

        #[test]
        fn scaling_weights_changes_nothing(rows in rows(), c in 0.001..1000.0f64) {
            let (y, w, o) = split(&rows);
            let scaled = &w * c;
            same(&all(y.view(), w.view(), o.view()), &all(y.view(), scaled.view(), o.view()), 1e-9)?;
        }

        #[test]
        fn indices_stay_in_range(rows in rows()) {
            let (y, w, o) = split(&rows);
            let g = gini_weighted(y.view(), w.view()).unwrap();
            prop_assert!((0.0..1.0).contains(&g));
            let c = concentration_index(y.view(), w.view(), o.view()).unwrap();
            prop_assert!((-1.0..=1.0).contains(&c));
            prop_assert!(c.abs() <= g + 1e-12, "|C| <= Gini");
            let h = hoover(y.view(), w.view()).unwrap();
            prop_assert!(h <= g + 1e-12, "Hoover <= Gini");
            let d = theil_t_decomposition(y.view(), w.view(), &o.to_vec().iter().map(|v| *v as i64 % 3).collect::<Vec<_>>()).unwrap();
            prop_assert!((d.between + d.within - d.total).abs() <= 1e-12 * (1.0 + d.total));
            let a = [0.5, 1.0, 2.0].map(|e| atkinson(y.view(), w.view(), e).unwrap());
            prop_assert!(a[0] <= a[1] + 1e-12 && a[1] <= a[2] + 1e-12, "Atkinson grows with epsilon");
        }
    }
}
