//! Charts: each SVG names its title, axis labels and every series; each PNG
//! is twice the SVG size and not blank.

use participa::report::charts::{
    BarChart, Chart, LineChart, ReferenceLine, SIZE, Series, SeriesKind, render_png, render_svg,
};

/// The text content of every `<text>` element of an SVG.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        rest = &rest[i..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let Some(close) = rest.find("</text>") else {
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

fn check_png(png: &[u8]) {
    let img = image::load_from_memory(png).expect("a PNG").to_rgb8();
    assert_eq!((img.width(), img.height()), (SIZE.0 * 2, SIZE.1 * 2));
    // Not blank: a good share of pixels differ from white, and luminance varies.
    let px: Vec<f64> = img
        .pixels()
        .map(|p| (p[0] as f64 + p[1] as f64 + p[2] as f64) / 3.0)
        .collect();
    let mean = px.iter().sum::<f64>() / px.len() as f64;
    let var = px.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / px.len() as f64;
    let non_white = px.iter().filter(|v| **v < 250.0).count() as f64 / px.len() as f64;
    assert!(var > 100.0, "pixel variance {var}");
    assert!(non_white > 0.02, "non-white share {non_white}");
}

fn check<C: Chart>(chart: &C, expected: &[&str], name: &str) {
    let svg = render_svg(chart).unwrap();
    let texts = svg_texts(&svg);
    for want in expected {
        assert!(
            texts.iter().any(|t| t == want),
            "{name}: `{want}` not among the SVG texts {texts:?}"
        );
    }
    let png = render_png(chart).unwrap();
    check_png(&png);
    if let Ok(dir) = std::env::var("PARTICIPA_CHART_DIR") {
        std::fs::write(format!("{dir}/{name}.svg"), &svg).unwrap();
        std::fs::write(format!("{dir}/{name}.png"), &png).unwrap();
    }
}

#[test]
fn grouped_bars() {
    let chart = BarChart {
        title: "Funding per resident by district".into(),
        value_label: "funding per resident (EUR)".into(),
        category_label: "district (poorest first)".into(),
        categories: vec!["North hills".into(), "South flats".into(), "Centre".into()],
        series: vec![
            ("need formula".into(), vec![35.0, 30.0, 22.5]),
            ("population".into(), vec![20.0, 28.0, 45.0]),
        ],
        reference: Some(ReferenceLine {
            value: 27.5,
            label: "city average".into(),
        }),
    };
    check(
        &chart,
        &[
            "Funding per resident by district",
            "funding per resident (EUR)",
            "district (poorest first)",
            "North hills",
            "Centre",
            "need formula",
            "population",
            "city average",
        ],
        "bars",
    );
}

#[test]
fn lorenz_lines() {
    let chart = LineChart {
        title: "Lorenz curves of funding per resident".into(),
        x_label: "share of population".into(),
        y_label: "share of funding".into(),
        series: vec![
            Series {
                label: "A (Gini 0.12)".into(),
                points: vec![(0.0, 0.0), (0.25, 0.2), (0.5, 0.45), (1.0, 1.0)],
                kind: SeriesKind::Line,
                band: None,
            },
            Series {
                label: "B (Gini 0.30)".into(),
                points: vec![(0.0, 0.0), (0.5, 0.2), (1.0, 1.0)],
                kind: SeriesKind::Line,
                band: None,
            },
        ],
        x_range: Some((0.0, 1.0)),
        y_range: Some((0.0, 1.0)),
        diagonal: Some("equality".into()),
        percent_axes: true,
    };
    check(
        &chart,
        &[
            "Lorenz curves of funding per resident",
            "share of population",
            "share of funding",
            "A (Gini 0.12)",
            "B (Gini 0.30)",
            "equality",
        ],
        "lorenz",
    );
}

#[test]
fn scatter_with_fit_and_fan() {
    let chart = LineChart {
        title: "Funding per resident against need".into(),
        x_label: "need index".into(),
        y_label: "funding per resident (BRL)".into(),
        series: vec![Series {
            label: "optimal".into(),
            points: vec![(0.2, 10.0), (0.5, 30.0), (0.8, 41.0)],
            kind: SeriesKind::PointsWithFit,
            band: Some(vec![(0.2, 5.0, 15.0), (0.5, 25.0, 35.0), (0.8, 35.0, 45.0)]),
        }],
        x_range: None,
        y_range: None,
        diagonal: None,
        percent_axes: false,
    };
    check(
        &chart,
        &[
            "Funding per resident against need",
            "need index",
            "funding per resident (BRL)",
            "optimal",
        ],
        "scatter",
    );
}
