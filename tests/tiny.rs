//! The tiny scenario worked by hand (README, "A worked example").

use std::path::Path;

use participa::scoring::{self, ScoringRule};
use participa::solve::{Backend, Prepared, SolveSettings, Status};
use participa::{load_scenario, solve};

fn tiny() -> participa::Scenario {
    load_scenario(Path::new("scenarios/tiny.toml")).expect("tiny.toml is valid")
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (tolerance {tol})"
    );
}

#[test]
fn borda_scores_by_hand() {
    // Rankings (3 proposals each; Borda gives 3, 2, 1; a tie shares the average):
    //   d1: n-sewer > n-school > city-bus
    //   d2: c-park > c-clinic > city-bus
    //   d3: [c-clinic = c-park] > city-bus      -> 2.5 each, city-bus 1
    //   d4: s-paving > city-bus > n-sewer
    // n-sewer 3 + 1 = 4; n-school 2; c-park 3 + 2.5 = 5.5; c-clinic 2 + 2.5 = 4.5;
    // s-paving 3; city-bus 1 + 1 + 1 + 2 = 5.
    let s = tiny();
    let scores = scoring::priority_scores(&s);
    assert_eq!(scores, vec![4.0, 2.0, 5.5, 4.5, 3.0, 5.0]);
}

#[test]
fn dowdall_scores_by_hand() {
    // Dowdall gives 1, 1/2, 1/3; the d3 tie shares (1 + 1/2) / 2 = 3/4.
    // n-sewer 1 + 1/3 = 4/3; n-school 1/2; c-park 1 + 3/4 = 7/4; c-clinic 1/2 + 3/4 = 5/4;
    // s-paving 1; city-bus 1/3 + 1/3 + 1/3 + 1/2 = 3/2.
    let mut s = tiny();
    s.settings.scoring = ScoringRule::Dowdall;
    let scores = scoring::priority_scores(&s);
    let want = [4.0 / 3.0, 0.5, 1.75, 1.25, 1.0, 1.5];
    for (g, w) in scores.iter().zip(want) {
        close(*g, w, 1e-12, "dowdall");
    }
}

#[test]
fn entitlements_by_hand() {
    // north 10,000 x 0.7 = 7,000; centre 20,000 x 0.2 = 4,000; south 10,000 x 0.4 = 4,000.
    let s = tiny();
    let prep = Prepared::new(&s).unwrap();
    for (g, w) in prep.shares.iter().zip([7.0 / 15.0, 4.0 / 15.0, 4.0 / 15.0]) {
        close(*g, w, 1e-12, "share");
    }
}

#[test]
fn optimal_allocation_by_hand() {
    // Score per million: c-park 13.75, city-bus 12.5, s-paving 10, c-clinic 9,
    // n-school 8, n-sewer 6.67. Without floors the north would get nothing. Its
    // floor is 0.5 x 700,000 = 350,000: the school (250,000, indivisible, the better
    // ratio) plus 100,000 of the sewer (1/6). The rest by ratio: park, bus, paving,
    // and 50,000 of the clinic (1/10). Objective 5.5 + 5 + 3 + 2 + 4/6 + 0.45.
    for backend in Backend::compiled()
        .into_iter()
        .filter(|b| b.supports_integers())
    {
        let settings = SolveSettings {
            backend: Some(backend),
            ..Default::default()
        };
        let a = solve(&tiny(), &settings).unwrap();
        assert_eq!(a.status, Status::Optimal, "{backend:?}");
        let shares: Vec<f64> = a.proposals.iter().map(|p| p.funded_share).collect();
        for (g, w) in shares.iter().zip([1.0 / 6.0, 1.0, 1.0, 0.1, 1.0, 1.0]) {
            close(*g, w, 1e-6, &format!("{backend:?} shares {shares:?}"));
        }
        close(
            a.objective,
            5.5 + 5.0 + 3.0 + 2.0 + 4.0 / 6.0 + 0.45,
            1e-5,
            "objective",
        );
        close(a.funded_total, 1_500_000.0, 1e-3, "funded");
        let north = &a.districts[0];
        close(north.funded, 350_000.0, 1e-2, "north funded");
        close(north.funded_per_capita, 35.0, 1e-6, "north per capita");
        assert!(a.shortfalls.is_empty());
    }
}

#[test]
fn shadow_price_of_the_north_floor_by_hand() {
    // In the LP relaxation the clinic and the sewer are fractional. One more euro of
    // pool buys clinic: +4.5 / 500,000 = 9e-6 score per euro (the budget's price).
    // One more euro of north floor moves a euro from clinic to sewer:
    // 4 / 600,000 - 4.5 / 500,000 = -(7/3)e-6 score per euro.
    let a = solve(&tiny(), &SolveSettings::default()).unwrap();
    let price = |id: &str| {
        a.shadow_prices
            .iter()
            .find(|p| p.constraint == id)
            .unwrap_or_else(|| panic!("no shadow price for {id}"))
            .shadow_price
    };
    // Interior-point duals are accurate to ~1e-8 of the scaled objective.
    close(price("budget"), 9e-6, 1e-10, "budget price");
    close(
        price("floor:north"),
        -7.0 / 3.0 * 1e-6,
        1e-10,
        "north floor price",
    );
    close(price("floor:south"), 0.0, 1e-10, "south floor price");
}

#[test]
fn greedy_by_hand() {
    // By score: c-park 5.5 (400k), city-bus 5 (400k), c-clinic 4.5 (500k) = 1.3M;
    // n-sewer (600k), s-paving (300k), n-school (250k) do not fit in the 200k left.
    let settings = SolveSettings {
        rule: Some(participa::model::RuleName::Greedy),
        ..Default::default()
    };
    let a = solve(&tiny(), &settings).unwrap();
    let funded: Vec<&str> = a
        .proposals
        .iter()
        .filter(|p| p.funded_share > 0.0)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(funded, vec!["c-park", "c-clinic", "city-bus"]);
    close(a.unspent, 200_000.0, 1e-9, "unspent");
    // It misses the north and south floors and the renters' quorum (150,000) entirely.
    let short: Vec<(&str, f64)> = a
        .shortfalls
        .iter()
        .map(|s| (s.constraint.as_str(), s.shortfall))
        .collect();
    assert_eq!(
        short,
        vec![
            ("floor:north", 350_000.0),
            ("floor:south", 200_000.0),
            ("quorum:renters", 150_000.0)
        ]
    );
}
