//! Charts with plotters, rendered to SVG (text as `<text>` elements, so a
//! browser's fonts draw it and tests can read it) and to PNG at twice the size
//! for print. The PNG text uses the bundled DejaVu Sans (registered with
//! plotters' `ab_glyph` support), so it renders on any machine, with or
//! without system fonts. Colours are the Okabe-Ito colour-blind-safe palette.

mod bars;
mod lines;
mod style;
mod waterfall;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use bars::{BarChart, ReferenceLine};
pub use lines::{Band, LineChart, Series, SeriesKind};
pub use style::{PALETTE, color};
pub use waterfall::Waterfall;

use crate::error::OutputError;

/// Width and height of a chart in SVG pixels; the PNG is twice as large.
pub const SIZE: (u32, u32) = (1000, 620);

/// A chart that can draw itself at a scale (1 = SVG size, 2 = print PNG).
pub trait Chart {
    fn title(&self) -> &str;
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        scale: f64,
    ) -> Result<(), String>;
}

fn chart_err(name: &str) -> impl FnOnce(String) -> OutputError + '_ {
    move |message| OutputError::Table {
        name: format!("chart {name}"),
        message,
    }
}

/// The chart as an SVG document.
pub fn render_svg<C: Chart>(chart: &C) -> Result<String, OutputError> {
    style::register_fonts();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, SIZE).into_drawing_area();
        chart.draw(&root, 1.0).map_err(chart_err(chart.title()))?;
        root.present()
            .map_err(|e| chart_err(chart.title())(e.to_string()))?;
    }
    Ok(buf)
}

/// The chart as a PNG image, twice the SVG size.
pub fn render_png<C: Chart>(chart: &C) -> Result<Vec<u8>, OutputError> {
    style::register_fonts();
    let (w, h) = (SIZE.0 * 2, SIZE.1 * 2);
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        chart.draw(&root, 2.0).map_err(chart_err(chart.title()))?;
        root.present()
            .map_err(|e| chart_err(chart.title())(e.to_string()))?;
    }
    let img = image::RgbImage::from_raw(w, h, rgb)
        .ok_or_else(|| chart_err(chart.title())("bad buffer".into()))?;
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| chart_err(chart.title())(e.to_string()))?;
    Ok(png)
}

/// Writes `<stem>.svg` and `<stem>.png` into `dir`.
pub fn write_chart<C: Chart>(
    chart: &C,
    dir: &std::path::Path,
    stem: &str,
) -> Result<(), OutputError> {
    let svg = render_svg(chart)?;
    let svg_path = dir.join(format!("{stem}.svg"));
    std::fs::write(&svg_path, svg).map_err(|source| OutputError::Io {
        path: svg_path,
        source,
    })?;
    let png_path = dir.join(format!("{stem}.png"));
    std::fs::write(&png_path, render_png(chart)?).map_err(|source| OutputError::Io {
        path: png_path,
        source,
    })?;
    Ok(())
}
