//! Fonts, colours and sizes shared by every chart.

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

/// The font family every chart uses.
pub const FAMILY: &str = "sans-serif";

static FONTS: Once = Once::new();

/// Registers the bundled DejaVu Sans (regular and bold) as `sans-serif`.
pub fn register_fonts() {
    FONTS.call_once(|| {
        // The bytes are the bundled fonts; they parse (tested), so errors cannot happen.
        let _ = register_font(
            FAMILY,
            FontStyle::Normal,
            include_bytes!("../../../assets/fonts/DejaVuSans.ttf"),
        );
        let _ = register_font(
            FAMILY,
            FontStyle::Bold,
            include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf"),
        );
    });
}

/// Okabe & Ito (2008) colour-universal-design palette, black first dropped
/// (it is kept for axes): orange, sky blue, bluish green, yellow, blue,
/// vermillion, reddish purple, grey.
pub const PALETTE: [(u8, u8, u8); 8] = [
    (230, 159, 0),
    (86, 180, 233),
    (0, 158, 115),
    (240, 228, 66),
    (0, 114, 178),
    (213, 94, 0),
    (204, 121, 167),
    (120, 120, 120),
];

/// The i-th palette colour (cycling).
pub fn color(i: usize) -> RGBColor {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    RGBColor(r, g, b)
}

/// Font sizes at scale 1.
pub const TITLE: f64 = 24.0;
pub const AXIS: f64 = 16.0;
pub const LABEL: f64 = 13.0;

pub fn font(size: f64, scale: f64) -> TextStyle<'static> {
    (FAMILY, size * scale).into_font().color(&BLACK)
}

pub fn bold(size: f64, scale: f64) -> TextStyle<'static> {
    (FAMILY, size * scale, FontStyle::Bold)
        .into_font()
        .color(&BLACK)
}

pub fn px(v: f64, scale: f64) -> u32 {
    (v * scale).round() as u32
}
