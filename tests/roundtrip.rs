//! A scenario written as TOML reads back to the same scenario.

use std::path::Path;

use participa::model::{load_scenario, load_scenario_str};
use participa::simulate::synthetic::BenchCity;

#[test]
fn bundled_and_synthetic_scenarios_round_trip() {
    let mut cases = vec![
        load_scenario(Path::new("scenarios/tiny.toml")).unwrap(),
        load_scenario(Path::new("scenarios/porto-alegre-16.toml")).unwrap(),
        load_scenario(Path::new("tests/fixtures/nested.toml")).unwrap(),
    ];
    cases.push(
        BenchCity {
            proposals: 300,
            districts: 12,
            indivisible: 0.5,
            seed: 3,
        }
        .scenario(),
    );
    for s in cases {
        let text = s.to_toml().unwrap();
        let mut back = load_scenario_str(&text, Path::new("written.toml"))
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", s.name));
        back.source = s.source.clone();
        assert_eq!(back, s, "{}", s.name);
    }
}
