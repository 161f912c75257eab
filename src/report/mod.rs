//! Results as tables (polars DataFrames written to CSV / Parquet), JSON and
//! plain-text tables for the terminal.

/// A compact number for axis ticks: 1,250,000 -> "1.25M", 34,000 -> "34k",
/// 0.25 -> "0.25", 0.00233 -> "0.00233" (three significant digits below 1).
pub fn format_short(v: f64) -> String {
    let a = v.abs();
    let (x, suffix) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let decimals = if a >= 1.0 || a <= 0.0 {
        2
    } else {
        (2 - a.log10().floor() as i32).clamp(2, 12) as usize
    };
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    format!("{s}{suffix}")
}

/// An amount with thousands separators and no decimals when it is whole:
/// `1234567.5` -> `1,234,567.50`, `1000000` -> `1,000,000`.
pub fn format_amount(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let neg = v < 0.0;
    let a = v.abs();
    let cents = (a * 100.0).round() as u128;
    let whole = cents / 100;
    let frac = cents % 100;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if frac != 0 {
        out.push_str(&format!(".{frac:02}"));
    }
    if neg && (whole > 0 || frac > 0) {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn amounts() {
        assert_eq!(format_amount(1_234_567.5), "1,234,567.50");
        assert_eq!(format_amount(1_000_000.0), "1,000,000");
        assert_eq!(format_amount(999.0), "999");
        assert_eq!(format_amount(-1500.0), "-1,500");
        assert_eq!(format_amount(0.004), "0");
        assert_eq!(format_short(1_250_000.0), "1.25M");
        assert_eq!(format_short(34_000.0), "34k");
        assert_eq!(format_short(0.25), "0.25");
        assert_eq!(format_short(-3.0), "-3");
        assert_eq!(format_short(0.0023333), "0.00233");
        assert_eq!(format_short(0.0), "0");
    }
}

pub mod charts;
pub mod compare;
pub mod explain;
pub mod html;
mod metrics_report;
mod solve_report;
pub mod tables;
pub mod text;

pub use metrics_report::{render_inequality_table, render_metrics_table};
pub use solve_report::{ResultDocument, render_solve_table, write_solve_outputs};
