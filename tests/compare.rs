//! `participa compare`: tables, metrics and the six charts.

mod common;

use common::*;

/// The text content of every `<text>` element of an SVG.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        rest = &rest[i..];
        let (Some(open_end), Some(close)) = (rest.find('>'), rest.find("</text>")) else {
            break;
        };
        out.push(
            rest[open_end + 1..close]
                .trim()
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">"),
        );
        rest = &rest[close..];
    }
    out
}

fn compare_tiny() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let o = run(&[
        "compare",
        &scenario("tiny.toml"),
        "--rules",
        "optimal,greedy",
        "--out",
        &path_str(&out),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["runs"].as_array().unwrap().len(), 2);
    (dir, out)
}

#[test]
fn tables_hold_every_run() {
    let (_dir, out) = compare_tiny();
    // Wide: one row per district, poorest first (north 0.6, south 0.4, centre 0.2),
    // one column per run; funding per resident by hand (README worked example):
    // optimal north 35, south 30, centre 22.5; greedy 0, 0, 45.
    let wide = std::fs::read_to_string(out.join("comparison_wide.csv")).unwrap();
    assert_eq!(
        wide.lines().next().unwrap(),
        "district,name,population,poverty,need,tiny (optimal),tiny (greedy)"
    );
    let t = participa::io::table::TextTable::read(&out.join("comparison_wide.csv")).unwrap();
    let cell = |r, c| t.get(r, c).unwrap().parse::<f64>().unwrap();
    let ids: Vec<&str> = (0..3).map(|r| t.get(r, "district").unwrap()).collect();
    assert_eq!(ids, vec!["north", "south", "centre"]);
    for (r, (opt, greedy)) in [(35.0, 0.0), (30.0, 0.0), (22.5, 45.0)]
        .into_iter()
        .enumerate()
    {
        assert!((cell(r, "tiny (optimal)") - opt).abs() < 1e-6, "{wide}");
        assert!((cell(r, "tiny (greedy)") - greedy).abs() < 1e-6, "{wide}");
    }
    // Tidy: 2 runs x 3 districts x 9 metrics.
    let tidy = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    assert_eq!(tidy.lines().count(), 1 + 2 * 3 * 9);
    assert!(tidy.starts_with("scenario,rule,run,district,metric,value\n"));
    assert!(
        tidy.contains("tiny,greedy,tiny (greedy),north,funded,0.0\n"),
        "{tidy}"
    );
    let t = participa::io::table::TextTable::read(&out.join("comparison.parquet")).unwrap();
    assert_eq!(t.rows(), 54);
    // Metrics: Gini of funding per resident, 9/88 optimal and 1/2 greedy (tests/allocation_metrics.rs).
    let metrics = participa::io::table::TextTable::read(&out.join("metrics.csv")).unwrap();
    assert_eq!(metrics.rows(), 2);
    let gini = |r| metrics.get(r, "gini").unwrap().parse::<f64>().unwrap();
    assert!((gini(0) - 9.0 / 88.0).abs() < 1e-9);
    assert!((gini(1) - 0.5).abs() < 1e-9);
    assert_eq!(metrics.get(1, "status"), Some("complete"));
    assert!(metrics.has("satisfaction_renters") && metrics.has("atkinson_0.5"));
}

#[test]
fn six_charts_with_titles_axes_and_a_series_per_run() {
    let (_dir, out) = compare_tiny();
    let expect: [(&str, &[&str]); 6] = [
        (
            "per_capita",
            &[
                "Funding per resident by district",
                "funding per resident (EUR)",
                "district (poorest first)",
                "North hills",
            ],
        ),
        (
            "lorenz",
            &[
                "Lorenz curves of funding per resident",
                "share of district funding",
                "equality",
            ],
        ),
        (
            "need_scatter",
            &[
                "Funding per resident against need",
                "need index of the district",
                "funding per resident (EUR)",
            ],
        ),
        (
            "coverage",
            &[
                "Need coverage: funding over need-weighted entitlement",
                "coverage (% of entitlement)",
                "100% of entitlement",
            ],
        ),
        (
            "satisfaction",
            &[
                "Delegate satisfaction: share of their top 3 funded",
                "satisfaction (%)",
                "renters delegates",
            ],
        ),
        (
            "shadow_prices",
            &[
                "What each equity guarantee costs (optimal runs)",
                "floor:north",
            ],
        ),
    ];
    for (stem, texts) in expect {
        let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).unwrap();
        let found = svg_texts(&svg);
        for t in texts {
            assert!(
                found.iter().any(|f| f == t),
                "{stem}: `{t}` missing from {found:?}"
            );
        }
        // One legend entry per run (the shadow-price chart shows only optimal runs).
        let runs: &[&str] = if stem == "shadow_prices" {
            &["tiny (optimal)"]
        } else {
            &["tiny (optimal)", "tiny (greedy)"]
        };
        for r in runs {
            assert!(
                found.iter().any(|f| f.starts_with(r)),
                "{stem}: no series for {r} in {found:?}"
            );
        }
        if stem == "satisfaction" {
            // The runs are the categories; every series is a group.
            continue;
        }
        let png = image::open(out.join(format!("{stem}.png")))
            .unwrap()
            .to_rgb8();
        assert_eq!((png.width(), png.height()), (2000, 1240), "{stem}");
        let non_white = png
            .pixels()
            .filter(|p| p[0] < 245 || p[1] < 245 || p[2] < 245)
            .count();
        assert!(non_white > 20_000, "{stem}: {non_white} non-white pixels");
    }
    // The Lorenz legend carries each run's Gini.
    let lorenz = svg_texts(&std::fs::read_to_string(out.join("lorenz.svg")).unwrap());
    assert!(
        lorenz.iter().any(|t| t == "tiny (optimal) (Gini 0.102)"),
        "{lorenz:?}"
    );
    assert!(
        lorenz.iter().any(|t| t == "tiny (greedy) (Gini 0.500)"),
        "{lorenz:?}"
    );
}

#[test]
fn comparison_examples_extend_the_bundled_city() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("q");
    let o = run(&[
        "compare",
        &scenario("porto-alegre-16.toml"),
        &scenario("compare/pa-no-quorum.toml"),
        "--out",
        &path_str(&out),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(
        s.contains("porto-alegre-16") && s.contains("no quorum"),
        "{s}"
    );
    // Without the quorum, renters' delegates see less of their top 3 funded.
    let m = participa::io::table::TextTable::read(&out.join("metrics.csv")).unwrap();
    let renters = |r| {
        m.get(r, "satisfaction_renters")
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    assert!(renters(0) > renters(1), "{} vs {}", renters(0), renters(1));
}
