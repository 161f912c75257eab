use proptest::prelude::*;

use super::*;

fn table() -> DistrictTable {
    DistrictTable {
        ids: vec!["a".into(), "b".into(), "c".into()],
        population: vec![100.0, 300.0, 600.0],
        indicators: [
            ("need".to_string(), vec![0.8, 0.4, 0.2]),
            ("poverty".to_string(), vec![0.5, 0.5, 0.1]),
            ("hdi".to_string(), vec![0.5, 0.8, 0.8]),
        ]
        .into_iter()
        .collect(),
    }
}

fn assert_shares(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-12, "got {got:?}, want {want:?}");
    }
}

#[test]
fn population_shares() {
    assert_shares(
        &Formula::Population.shares(&table()).unwrap(),
        &[0.1, 0.3, 0.6],
    );
}

#[test]
fn weighted_sum_by_hand() {
    // weights 3:1 -> 0.75 need + 0.25 poverty
    // a: 0.75*0.8 + 0.25*0.5 = 0.725 x 100 = 72.5
    // b: 0.75*0.4 + 0.25*0.5 = 0.425 x 300 = 127.5
    // c: 0.75*0.2 + 0.25*0.1 = 0.175 x 600 = 105        total 305
    let f = Formula::WeightedSum {
        weights: [("need".to_string(), 3.0), ("poverty".to_string(), 1.0)]
            .into_iter()
            .collect(),
        normalise: Normalise::None,
        population: true,
    };
    assert_shares(
        &f.shares(&table()).unwrap(),
        &[72.5 / 305.0, 127.5 / 305.0, 105.0 / 305.0],
    );
}

#[test]
fn weighted_sum_min_max_without_population() {
    // need min-max: (0.8-0.2)/0.6 = 1, (0.4-0.2)/0.6 = 1/3, 0 -> shares 3/4, 1/4, 0.
    let f = Formula::WeightedSum {
        weights: [("need".to_string(), 1.0)].into_iter().collect(),
        normalise: Normalise::MinMax,
        population: false,
    };
    assert_shares(&f.shares(&table()).unwrap(), &[0.75, 0.25, 0.0]);
    // mean normalisation divides by the mean (0.4667), which cancels in the shares:
    // 0.8 : 0.4 : 0.2 -> 4/7, 2/7, 1/7.
    let f = Formula::WeightedSum {
        weights: [("need".to_string(), 1.0)].into_iter().collect(),
        normalise: Normalise::Mean,
        population: false,
    };
    assert_shares(
        &f.shares(&table()).unwrap(),
        &[4.0 / 7.0, 2.0 / 7.0, 1.0 / 7.0],
    );
}

#[test]
fn multiplicative_by_hand() {
    // pop x need^1 x poverty^0.5: a 100 x 0.8 x 0.7071 = 56.569, b 300 x 0.4 x 0.7071 = 84.853,
    // c 600 x 0.2 x 0.3162 = 37.947.
    let f = Formula::Multiplicative {
        exponents: [("need".to_string(), 1.0), ("poverty".to_string(), 0.5)]
            .into_iter()
            .collect(),
        population: true,
    };
    let pts = [
        100.0 * 0.8 * 0.5f64.sqrt(),
        300.0 * 0.4 * 0.5f64.sqrt(),
        600.0 * 0.2 * 0.1f64.sqrt(),
    ];
    let total: f64 = pts.iter().sum();
    assert_shares(&f.shares(&table()).unwrap(), &pts.map(|p| p / total));
}

#[test]
fn inverse_index_by_hand() {
    // pop / hdi: 200, 375, 750 -> total 1325.
    let f = Formula::InverseIndex {
        index: "hdi".into(),
        population: true,
    };
    assert_shares(
        &f.shares(&table()).unwrap(),
        &[200.0 / 1325.0, 375.0 / 1325.0, 750.0 / 1325.0],
    );
}

#[test]
fn inverse_index_redistributes_less_than_one_minus_index() {
    // Per-capita share of a (hdi 0.5) relative to b (hdi 0.8):
    // inverse-index 0.8 / 0.5 = 1.6; population x (1 - hdi): 0.5 / 0.2 = 2.5.
    let t = table();
    let inv = Formula::InverseIndex {
        index: "hdi".into(),
        population: true,
    }
    .shares(&t)
    .unwrap();
    let mut t2 = t.clone();
    t2.indicators.insert(
        "lack".into(),
        t.indicators["hdi"].iter().map(|h| 1.0 - h).collect(),
    );
    let lin = Formula::WeightedSum {
        weights: [("lack".to_string(), 1.0)].into_iter().collect(),
        normalise: Normalise::None,
        population: true,
    }
    .shares(&t2)
    .unwrap();
    let ratio = |s: &[f64]| (s[0] / 100.0) / (s[1] / 300.0);
    assert!((ratio(&inv) - 1.6).abs() < 1e-12);
    assert!((ratio(&lin) - 2.5).abs() < 1e-12);
}

#[test]
fn base_plus_by_hand() {
    // 30% equally (0.1 each) + 70% by population (0.07, 0.21, 0.42).
    let f = Formula::BasePlus {
        base: 0.3,
        then: Box::new(Formula::Population),
    };
    assert_shares(&f.shares(&table()).unwrap(), &[0.17, 0.31, 0.52]);
}

#[test]
fn capped_by_hand() {
    // Population shares 0.1, 0.3, 0.6 capped at 0.45: c gives up 0.15, shared 1:3 -> 0.1375, 0.4125.
    let f = Formula::Capped {
        cap: Some(0.45),
        caps: BTreeMap::new(),
        then: Box::new(Formula::Population),
    };
    assert_shares(&f.shares(&table()).unwrap(), &[0.1375, 0.4125, 0.45]);
    // A per-district cap overrides `cap`: a at most 0.05, the others at most 0.6.
    // a 0.1 -> 0.05; b, c share 0.95 as 1:2 -> 0.3167, 0.6333 > 0.6 -> c 0.6, b 0.35.
    let f = Formula::Capped {
        cap: Some(0.6),
        caps: [("a".to_string(), 0.05)].into_iter().collect(),
        then: Box::new(Formula::Population),
    };
    assert_shares(&f.shares(&table()).unwrap(), &[0.05, 0.35, 0.6]);
    // Caps summing below the pool (0.05 + 0.45 + 0.45) cannot share it: an error.
    let f = Formula::Capped {
        cap: Some(0.45),
        caps: [("a".to_string(), 0.05)].into_iter().collect(),
        then: Box::new(Formula::Population),
    };
    assert!(f.shares(&table()).is_err());
}

#[test]
fn missing_indicator_is_named() {
    let f = Formula::InverseIndex {
        index: "gdp".into(),
        population: true,
    };
    let e = f.shares(&table()).unwrap_err();
    assert!(e.to_string().contains("gdp"), "{e}");
}

#[test]
fn every_preset_parses_and_checks() {
    for p in presets() {
        let text = p.to_toml();
        assert!(text.starts_with("# "), "{}", p.name);
        assert_eq!(parse_formula_table(&text).unwrap(), p.formula, "{}", p.name);
        p.formula.check().unwrap();
        assert_eq!(
            p.formula.kind(),
            p.name.trim_end_matches("-min-max"),
            "{}",
            p.name
        );
    }
    // The file and the code's preset agree.
    let themes = DEFAULT_THEMES.iter().map(|t| t.to_string()).collect();
    assert_eq!(
        preset("porto-alegre").unwrap().formula,
        Formula::PortoAlegre(PortoAlegre::preset_2000s(themes))
    );
    assert_eq!(preset("weighted-sum").unwrap().formula, Formula::default());
}

#[test]
fn a_formula_serialises_back_to_the_same_formula() {
    for p in presets() {
        let text = toml::to_string(&p.formula).unwrap();
        let back: Formula = toml::from_str(&text).unwrap();
        assert_eq!(back, p.formula, "{}", p.name);
    }
}

fn arb_table() -> impl Strategy<Value = DistrictTable> {
    // At least 4 districts: the capped preset (25% each) cannot share a pool among fewer.
    (4usize..12).prop_flat_map(|n| {
        (
            proptest::collection::vec(1.0f64..1e6, n),
            proptest::collection::vec(0.01f64..1.0, n),
            proptest::collection::vec(0.01f64..1.0, n),
            proptest::collection::vec(0.3f64..1.0, n),
        )
            .prop_map(move |(pop, need, pov, hdi)| DistrictTable {
                ids: (0..n).map(|i| format!("d{i}")).collect(),
                population: pop,
                indicators: [
                    ("need".to_string(), need),
                    ("poverty".to_string(), pov.clone()),
                    ("infrastructure_gap".to_string(), pov),
                    ("hdi".to_string(), hdi),
                ]
                .into_iter()
                .collect(),
            })
    })
}

proptest! {
    #[test]
    fn shares_sum_to_one_and_ignore_population_scale(t in arb_table(), scale in 0.01f64..100.0) {
        for p in presets().into_iter().filter(|p| p.name != "porto-alegre") {
            let s = p.formula.shares(&t).unwrap();
            prop_assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{}", p.name);
            prop_assert!(s.iter().all(|x| *x >= 0.0));
            let mut t2 = t.clone();
            for x in &mut t2.population {
                *x *= scale;
            }
            let s2 = p.formula.shares(&t2).unwrap();
            for (a, b) in s.iter().zip(&s2) {
                prop_assert!((a - b).abs() < 1e-9, "{}: {a} vs {b}", p.name);
            }
        }
    }

    #[test]
    fn shares_follow_the_districts_not_their_order(t in arb_table()) {
        let n = t.len();
        let perm: Vec<usize> = (0..n).rev().collect();
        let mut t2 = t.clone();
        t2.ids = perm.iter().map(|&i| t.ids[i].clone()).collect();
        t2.population = perm.iter().map(|&i| t.population[i]).collect();
        for (k, col) in &t.indicators {
            t2.indicators.insert(k.clone(), perm.iter().map(|&i| col[i]).collect());
        }
        for p in presets().into_iter().filter(|p| p.name != "porto-alegre") {
            let s = p.formula.shares(&t).unwrap();
            let s2 = p.formula.shares(&t2).unwrap();
            for (j, &i) in perm.iter().enumerate() {
                prop_assert!((s[i] - s2[j]).abs() < 1e-12, "{}", p.name);
            }
        }
    }
}
