//! Horizontal grouped bars: one row per category (district, constraint,
//! scenario), one bar per series. Horizontal so that long district names stay
//! readable.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Chart;
use super::style::{AXIS, LABEL, TITLE, bold, color, font, px};

/// A vertical line across the bars (e.g. 100% coverage).
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceLine {
    pub value: f64,
    pub label: String,
}

/// Grouped horizontal bars.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    /// Axis description of the values, with units.
    pub value_label: String,
    /// Axis description of the categories.
    pub category_label: String,
    /// Top to bottom.
    pub categories: Vec<String>,
    /// (label, one value per category).
    pub series: Vec<(String, Vec<f64>)>,
    pub reference: Option<ReferenceLine>,
}

impl Chart for BarChart {
    fn title(&self) -> &str {
        &self.title
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: f64,
    ) -> Result<(), String> {
        let e = |x: &dyn std::fmt::Display| x.to_string();
        area.fill(&WHITE).map_err(|x| e(&x))?;
        let n = self.categories.len().max(1);
        let values = self
            .series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .chain(self.reference.iter().map(|r| r.value));
        let (mut lo, mut hi) = values.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
        if hi - lo <= 0.0 {
            hi = 1.0;
        }
        let pad = (hi - lo) * 0.05;
        lo = if lo < 0.0 { lo - pad } else { 0.0 };
        // Room on the right for the legend, clear of the bars.
        hi += pad + (hi - lo) * 0.25;
        let longest = self
            .categories
            .iter()
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(4) as f64;
        let label_area = (longest * 0.62 * LABEL + 20.0).clamp(60.0, 320.0);
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, bold(TITLE, s))
            .margin(px(16.0, s))
            .x_label_area_size(px(48.0, s))
            .y_label_area_size(px(label_area, s))
            .build_cartesian_2d(lo..hi, -0.5..(n as f64 - 0.5))
            .map_err(|x| e(&x))?;
        let cats = self.categories.clone();
        let label_of = move |y: &f64| {
            let j = y.round();
            if (y - j).abs() > 1e-6 || j < 0.0 || j as usize >= cats.len() {
                return String::new();
            }
            cats[cats.len() - 1 - j as usize].clone()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(&self.value_label)
            .y_desc(&self.category_label)
            .axis_desc_style(font(AXIS, s))
            .label_style(font(LABEL, s))
            .y_labels(n + 1)
            .y_label_formatter(&label_of)
            .x_label_formatter(&|v: &f64| crate::report::format_short(*v))
            .x_labels(8)
            .draw()
            .map_err(|x| e(&x))?;
        let k = self.series.len().max(1) as f64;
        let band = 0.8 / k;
        for (si, (label, vals)) in self.series.iter().enumerate() {
            let c = color(si);
            // The first series is the top bar of each group, as in the legend.
            let bars = vals.iter().enumerate().map(move |(i, v)| {
                let y0 = (n - 1 - i) as f64 + 0.4 - band * (si + 1) as f64;
                Rectangle::new([(0.0, y0), (*v, y0 + band * 0.92)], c.filled())
            });
            chart
                .draw_series(bars)
                .map_err(|x| e(&x))?
                .label(label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled()));
        }
        if let Some(r) = &self.reference {
            let style = ShapeStyle::from(&BLACK).stroke_width(px(2.0, s));
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(r.value, -0.5), (r.value, n as f64 - 0.5)],
                    style,
                )))
                .map_err(|x| e(&x))?
                .label(&r.label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], style));
        }
        chart
            .configure_series_labels()
            .label_font(font(LABEL, s))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(|x| e(&x))?;
        Ok(())
    }
}
