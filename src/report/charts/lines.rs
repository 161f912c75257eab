//! Lines and points on numeric axes: Lorenz curves (with the equality line),
//! scatter plots with fitted lines, trajectories and fans (a median line with
//! a shaded 10-90% band).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Chart;
use super::style::{AXIS, LABEL, TITLE, bold, color, font, px};

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    Line,
    Points,
    /// Points and their least-squares line.
    PointsWithFit,
}

/// A shaded band: (x, low, high).
pub type Band = Vec<(f64, f64, f64)>;

/// One series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub kind: SeriesKind,
    pub band: Option<Band>,
}

/// A chart of series on numeric axes.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// Fixed ranges (e.g. 0..1 for a Lorenz curve); otherwise fitted to the data.
    pub x_range: Option<(f64, f64)>,
    pub y_range: Option<(f64, f64)>,
    /// Draw the line y = x with this label (Lorenz: "equality").
    pub diagonal: Option<String>,
    /// Format tick labels as percentages.
    pub percent_axes: bool,
}

/// Least-squares line through `points`: (intercept, slope); `None` for fewer
/// than two distinct x values.
pub fn least_squares(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let b = sxy / sxx;
    Some((my - b * mx, b))
}

fn fitted(range: Option<(f64, f64)>, values: impl Iterator<Item = f64>) -> (f64, f64) {
    if let Some(r) = range {
        return r;
    }
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.05).max(1e-9);
    (lo - pad, hi + pad)
}

impl Chart for LineChart {
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
        let xs = self
            .series
            .iter()
            .flat_map(|se| se.points.iter().map(|p| p.0));
        let ys = self.series.iter().flat_map(|se| {
            se.points
                .iter()
                .map(|p| p.1)
                .chain(se.band.iter().flatten().flat_map(|b| [b.1, b.2]))
        });
        let (x0, x1) = fitted(self.x_range, xs);
        let (y0, y1) = fitted(self.y_range, ys);
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, bold(TITLE, s))
            .margin(px(16.0, s))
            .x_label_area_size(px(48.0, s))
            .y_label_area_size(px(80.0, s))
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(|x| e(&x))?;
        let pct = self.percent_axes;
        let fmt = move |v: &f64| {
            if pct {
                format!("{:.0}%", v * 100.0)
            } else {
                crate::report::format_short(*v)
            }
        };
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .axis_desc_style(font(AXIS, s))
            .label_style(font(LABEL, s))
            .x_label_formatter(&fmt)
            .y_label_formatter(&fmt)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|x| e(&x))?;
        let stroke = px(2.5, s);
        if let Some(label) = &self.diagonal {
            let st = ShapeStyle::from(&BLACK.mix(0.6)).stroke_width(px(1.5, s));
            let lo = x0.max(y0);
            let hi = x1.min(y1);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(lo, lo), (hi, hi)],
                    st,
                )))
                .map_err(|x| e(&x))?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], st));
        }
        for (i, se) in self.series.iter().enumerate() {
            let c = color(i);
            if let Some(band) = &se.band {
                let mut poly: Vec<(f64, f64)> = band.iter().map(|b| (b.0, b.2)).collect();
                poly.extend(band.iter().rev().map(|b| (b.0, b.1)));
                chart
                    .draw_series(std::iter::once(Polygon::new(poly, c.mix(0.25).filled())))
                    .map_err(|x| e(&x))?;
            }
            let line = ShapeStyle::from(&c).stroke_width(stroke);
            let r = px(4.0, s);
            let anno = match se.kind {
                SeriesKind::Line => {
                    chart.draw_series(std::iter::once(PathElement::new(se.points.clone(), line)))
                }
                SeriesKind::Points | SeriesKind::PointsWithFit => chart.draw_series(
                    se.points
                        .iter()
                        .map(move |&p| Circle::new(p, r, c.filled())),
                ),
            }
            .map_err(|x| e(&x))?;
            anno.label(&se.label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], c.filled()));
            if se.kind == SeriesKind::PointsWithFit {
                if let Some((a, b)) = least_squares(&se.points) {
                    let dashed = ShapeStyle::from(&c).stroke_width(px(2.0, s));
                    let fit = plotters::element::DashedPathElement::new(
                        vec![(x0, a + b * x0), (x1, a + b * x1)],
                        px(8.0, s) as i32,
                        px(6.0, s) as i32,
                        dashed,
                    );
                    chart
                        .draw_series(std::iter::once(fit))
                        .map_err(|x| e(&x))?
                        .label(format!("{} (fitted line)", se.label))
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], dashed));
                }
            }
        }
        chart
            .configure_series_labels()
            .label_font(font(LABEL, s))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(|x| e(&x))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_by_hand() {
        // y = 1 + 2x exactly.
        let (a, b) = least_squares(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]).unwrap();
        assert!((a - 1.0).abs() < 1e-12 && (b - 2.0).abs() < 1e-12);
        assert!(least_squares(&[(1.0, 1.0), (1.0, 2.0)]).is_none());
    }
}
