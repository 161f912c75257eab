//! A linear (or mixed-integer) program as plain data: variables with bounds
//! and objective coefficients, and sparse rows `lower <= a.x <= upper`.
//! Rules build a [`Program`]; a backend solves it. Keeping the program as data
//! lets one model go to any backend, or out to an MPS file for other solvers.

use std::fmt::Write as _;

/// A decision variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    pub name: String,
    pub lower: f64,
    pub upper: f64,
    pub integer: bool,
    pub objective: f64,
}

/// A sparse row `lower <= sum coeffs <= upper` (one side may be infinite).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub name: String,
    pub coeffs: Vec<(usize, f64)>,
    pub lower: f64,
    pub upper: f64,
}

/// An optimisation problem: maximise (or minimise) `objective . x` subject to rows and bounds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Program {
    pub vars: Vec<Var>,
    pub rows: Vec<Row>,
    pub maximize: bool,
}

impl Program {
    pub fn add_var(
        &mut self,
        name: impl Into<String>,
        lower: f64,
        upper: f64,
        integer: bool,
        objective: f64,
    ) -> usize {
        self.vars.push(Var {
            name: name.into(),
            lower,
            upper,
            integer,
            objective,
        });
        self.vars.len() - 1
    }

    pub fn add_row(
        &mut self,
        name: impl Into<String>,
        coeffs: Vec<(usize, f64)>,
        lower: f64,
        upper: f64,
    ) -> usize {
        self.rows.push(Row {
            name: name.into(),
            coeffs,
            lower,
            upper,
        });
        self.rows.len() - 1
    }

    pub fn integer_count(&self) -> usize {
        self.vars.iter().filter(|v| v.integer).count()
    }

    /// The same program with every integer variable made continuous.
    pub fn relaxed(&self) -> Program {
        let mut p = self.clone();
        for v in &mut p.vars {
            v.integer = false;
        }
        p
    }

    pub fn objective_value(&self, x: &[f64]) -> f64 {
        self.vars.iter().zip(x).map(|(v, x)| v.objective * x).sum()
    }

    pub fn row_activity(&self, row: usize, x: &[f64]) -> f64 {
        self.rows[row].coeffs.iter().map(|&(j, a)| a * x[j]).sum()
    }

    /// Largest violation of any row or bound by `x` (0 when feasible).
    pub fn max_violation(&self, x: &[f64]) -> f64 {
        let mut worst: f64 = 0.0;
        for (j, v) in self.vars.iter().enumerate() {
            worst = worst.max(v.lower - x[j]).max(x[j] - v.upper);
        }
        for (i, r) in self.rows.iter().enumerate() {
            let a = self.row_activity(i, x);
            worst = worst.max(r.lower - a).max(a - r.upper);
        }
        worst
    }

    /// The program in free MPS format, readable by CBC, HiGHS, PuLP, SCIP and
    /// others. MPS minimises, so a maximisation is written with negated costs
    /// (`OBJSENSE MAX` is not read by every solver).
    // Bounds are copied, not computed: exact comparisons are what is meant.
    #[allow(clippy::float_cmp)]
    pub fn to_mps(&self, name: &str) -> String {
        let mut s = String::new();
        let sign = if self.maximize { -1.0 } else { 1.0 };
        let _ = writeln!(s, "NAME {}", sanitize(name));
        let _ = writeln!(s, "ROWS");
        let _ = writeln!(s, " N obj");
        // Ranged rows are written as E/L/G with a RANGES entry.
        let kinds: Vec<&str> = self
            .rows
            .iter()
            .map(|r| match (r.lower.is_finite(), r.upper.is_finite()) {
                (true, true) if r.lower == r.upper => "E",
                (_, true) => "L",
                (true, false) => "G",
                (false, false) => "N",
            })
            .collect();
        for (i, k) in kinds.iter().enumerate() {
            let _ = writeln!(s, " {k} r{i}");
        }
        // Column-major coefficients.
        let mut cols: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.vars.len()];
        for (i, r) in self.rows.iter().enumerate() {
            for &(j, a) in &r.coeffs {
                cols[j].push((i, a));
            }
        }
        let _ = writeln!(s, "COLUMNS");
        let mut in_int = false;
        for (j, v) in self.vars.iter().enumerate() {
            if v.integer != in_int {
                let marker = if v.integer { "'INTORG'" } else { "'INTEND'" };
                let _ = writeln!(s, " MARKER 'MARKER' {marker}");
                in_int = v.integer;
            }
            if v.objective != 0.0 {
                let _ = writeln!(s, " x{j} obj {}", fmt_num(sign * v.objective));
            }
            for &(i, a) in &cols[j] {
                let _ = writeln!(s, " x{j} r{i} {}", fmt_num(a));
            }
            if v.objective == 0.0 && cols[j].is_empty() {
                let _ = writeln!(s, " x{j} obj 0");
            }
        }
        if in_int {
            let _ = writeln!(s, " MARKER 'MARKER' 'INTEND'");
        }
        let _ = writeln!(s, "RHS");
        for (i, r) in self.rows.iter().enumerate() {
            let rhs = match kinds[i] {
                "G" => r.lower,
                "N" => continue,
                _ => r.upper,
            };
            if rhs != 0.0 {
                let _ = writeln!(s, " rhs r{i} {}", fmt_num(rhs));
            }
        }
        let ranged: Vec<usize> = (0..self.rows.len())
            .filter(|&i| kinds[i] == "L" && self.rows[i].lower.is_finite())
            .collect();
        if !ranged.is_empty() {
            let _ = writeln!(s, "RANGES");
            for i in ranged {
                let _ = writeln!(
                    s,
                    " rng r{i} {}",
                    fmt_num(self.rows[i].upper - self.rows[i].lower)
                );
            }
        }
        let _ = writeln!(s, "BOUNDS");
        for (j, v) in self.vars.iter().enumerate() {
            if v.integer && v.lower == 0.0 && v.upper == 1.0 {
                let _ = writeln!(s, " BV bnd x{j}");
                continue;
            }
            if v.lower == v.upper {
                let _ = writeln!(s, " FX bnd x{j} {}", fmt_num(v.lower));
                continue;
            }
            if v.lower == f64::NEG_INFINITY {
                let _ = writeln!(s, " MI bnd x{j}");
            } else if v.lower != 0.0 {
                let _ = writeln!(s, " LO bnd x{j} {}", fmt_num(v.lower));
            }
            if v.upper.is_finite() {
                let _ = writeln!(s, " UP bnd x{j} {}", fmt_num(v.upper));
            }
        }
        let _ = writeln!(s, "ENDATA");
        s
    }
}

fn fmt_num(v: f64) -> String {
    format!("{v:e}")
}

fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "participa".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mps_has_every_section_and_negates_a_maximisation() {
        let mut p = Program {
            maximize: true,
            ..Default::default()
        };
        let x = p.add_var("x", 0.0, 1.0, true, 3.0);
        let y = p.add_var("y", 0.0, 1.0, false, 2.0);
        p.add_row("budget", vec![(x, 0.5), (y, 0.5)], f64::NEG_INFINITY, 1.0);
        p.add_row("floor", vec![(y, 1.0)], 0.25, f64::INFINITY);
        let mps = p.to_mps("t");
        assert!(mps.contains(" L r0\n G r1\n"), "{mps}");
        assert!(mps.contains(" x0 obj -3e0\n"), "{mps}");
        assert!(mps.contains(" BV bnd x0\n"), "{mps}");
        assert!(mps.contains(" UP bnd x1 1e0\n"), "{mps}");
        assert!(mps.contains(" rhs r1 2.5e-1\n"), "{mps}");
        assert!(p.max_violation(&[1.0, 1.0]) <= 0.0);
        assert!((p.max_violation(&[1.0, 2.0]) - 1.0).abs() < 1e-12);
    }
}
