//! A waterfall: how the pool is built, step by step. The first bar is the
//! existing (fixed) pool, each following bar floats from the running total and
//! adds what one budget line moves, the last bar is the whole pool.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Chart;
use super::style::{AXIS, LABEL, PALETTE, TITLE, bold, font, px};

/// The pool built from its sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Waterfall {
    pub title: String,
    pub value_label: String,
    /// The fixed part of the pool (label, amount).
    pub start: (String, f64),
    /// (label, amount moved) per source.
    pub steps: Vec<(String, f64)>,
    /// The label of the total.
    pub total_label: String,
}

impl Chart for Waterfall {
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
        let total = self.start.1 + self.steps.iter().map(|x| x.1).sum::<f64>();
        // Rows top to bottom: start, steps, total.
        let mut rows: Vec<(String, f64, f64, RGBColor)> = vec![(
            self.start.0.clone(),
            0.0,
            self.start.1,
            RGBColor(120, 120, 120),
        )];
        let mut cum = self.start.1;
        let (r, g, b) = PALETTE[0];
        for (label, amount) in &self.steps {
            rows.push((label.clone(), cum, cum + amount, RGBColor(r, g, b)));
            cum += amount;
        }
        let (r, g, b) = PALETTE[4];
        rows.push((self.total_label.clone(), 0.0, total, RGBColor(r, g, b)));
        let n = rows.len();
        let hi = if total > 0.0 { total * 1.08 } else { 1.0 };
        let longest = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(4) as f64;
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, bold(TITLE, s))
            .margin(px(16.0, s))
            .x_label_area_size(px(48.0, s))
            .y_label_area_size(px((longest * 0.62 * LABEL + 20.0).clamp(60.0, 420.0), s))
            .build_cartesian_2d(0.0..hi, -0.5..(n as f64 - 0.5))
            .map_err(|x| e(&x))?;
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let label_of = move |y: &f64| {
            let j = y.round();
            if (y - j).abs() > 1e-6 || j < 0.0 || j as usize >= labels.len() {
                return String::new();
            }
            labels[labels.len() - 1 - j as usize].clone()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(&self.value_label)
            .axis_desc_style(font(AXIS, s))
            .label_style(font(LABEL, s))
            .y_labels(n + 1)
            .y_label_formatter(&label_of)
            .x_label_formatter(&|v: &f64| crate::report::format_short(*v))
            .draw()
            .map_err(|x| e(&x))?;
        for (i, (_, from, to, c)) in rows.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(*from, y - 0.35), (*to, y + 0.35)],
                    c.filled(),
                )))
                .map_err(|x| e(&x))?;
            chart
                .draw_series(std::iter::once(Text::new(
                    crate::report::format_short(to - from),
                    (*to, y),
                    font(LABEL, s).pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Left,
                        plotters::style::text_anchor::VPos::Center,
                    )),
                )))
                .map_err(|x| e(&x))?;
        }
        Ok(())
    }
}
