//! An [`Election`] back in pabulib's text form: its META pairs and its
//! PROJECTS and VOTES sections as header and rows of text cells.
//!
//! `participa import` stores the sections as tables next to a scenario, and
//! reading the scenario back joins them into `.pb` text for the one parser
//! ([`super::parse`]), so an imported election is read by exactly the code
//! that reads the original file. Parsing the text of a parsed election gives
//! the same election (tested on every shared file).

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

use super::Election;

/// One section of a `.pb` file as text cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextSection {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The three sections of a `.pb` file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sections {
    pub meta: Vec<(String, String)>,
    pub projects: TextSection,
    pub votes: TextSection,
}

/// An exact decimal: pabulib amounts are decimals, so their denominators are
/// products of 2s and 5s. Anything else (never produced by the parser) is
/// written as `numerator/denominator`.
pub fn decimal(r: &BigRational) -> String {
    let (numer, denom) = (r.numer(), r.denom());
    let mut d = denom.clone();
    let (two, five) = (BigInt::from(2), BigInt::from(5));
    let (mut twos, mut fives) = (0usize, 0usize);
    while d.is_even() {
        d /= &two;
        twos += 1;
    }
    while (&d % &five).is_zero() {
        d /= &five;
        fives += 1;
    }
    if d != BigInt::from(1) {
        return format!("{numer}/{denom}");
    }
    let places = twos.max(fives);
    let scaled = numer * BigInt::from(10).pow(places as u32) / denom;
    let negative = scaled < BigInt::zero();
    let digits = scaled.magnitude().to_string();
    let text = if places == 0 {
        digits
    } else {
        let padded = format!("{digits:0>width$}", width = places + 1);
        let (int, frac) = padded.split_at(padded.len() - places);
        format!("{int}.{frac}")
    };
    if negative { format!("-{text}") } else { text }
}

/// The election's sections, with only the optional columns some row fills.
pub fn sections(e: &Election) -> Sections {
    let ps = &e.projects;
    let mut header: Vec<String> = vec!["project_id".into(), "cost".into()];
    let mut rows: Vec<Vec<String>> = ps
        .iter()
        .map(|p| vec![p.id.clone(), decimal(&p.cost)])
        .collect();
    let mut column = |name: &str, cells: Vec<Option<String>>| {
        if cells.iter().any(Option::is_some) {
            header.push(name.to_string());
            for (row, cell) in rows.iter_mut().zip(cells) {
                row.push(cell.unwrap_or_default());
            }
        }
    };
    column("name", ps.iter().map(|p| p.name.clone()).collect());
    column(
        "category",
        ps.iter()
            .map(|p| (!p.categories.is_empty()).then(|| p.categories.join(",")))
            .collect(),
    );
    column("district", ps.iter().map(|p| p.district.clone()).collect());
    column(
        "votes",
        ps.iter().map(|p| p.votes.map(|v| v.to_string())).collect(),
    );
    column(
        "score",
        ps.iter().map(|p| p.score.map(|s| s.to_string())).collect(),
    );
    column(
        "selected",
        ps.iter()
            .map(|p| p.selected.map(|s| if s { "1" } else { "0" }.to_string()))
            .collect(),
    );
    // Extra columns, in the order of the first project (every project has
    // the same ones: they come from one header).
    if let Some(first) = ps.first() {
        for (k, (name, _)) in first.extra.iter().enumerate() {
            header.push(name.clone());
            for (row, p) in rows.iter_mut().zip(ps) {
                row.push(p.extra.get(k).map(|x| x.1.clone()).unwrap_or_default());
            }
        }
    }
    let projects = TextSection { header, rows };

    let b = &e.ballots;
    let mut header: Vec<String> = vec!["voter_id".into(), "vote".into()];
    if b.points.is_some() {
        header.push("points".into());
    }
    header.extend(b.extra.iter().map(|(name, _)| name.clone()));
    let rows = (0..b.len())
        .map(|v| {
            let ids: Vec<&str> = b
                .ballot(v)
                .iter()
                .map(|&p| ps[p as usize].id.as_str())
                .collect();
            let mut row = vec![b.voter_ids[v].to_string(), ids.join(",")];
            if let Some(points) = b.points_of(v) {
                let pts: Vec<String> = points.iter().map(i64::to_string).collect();
                row.push(pts.join(","));
            }
            row.extend(b.extra.iter().map(|(_, values)| values[v].to_string()));
            row
        })
        .collect();
    Sections {
        meta: e.meta.clone(),
        projects,
        votes: TextSection { header, rows },
    }
}

/// A field as the parser reads it back: quoted when it holds `;` or starts
/// with `"` (a quote inside is doubled).
fn field(s: &str) -> String {
    if s.contains(';') || s.starts_with('"') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn line(out: &mut String, cells: impl IntoIterator<Item = impl AsRef<str>>) {
    let cells: Vec<String> = cells.into_iter().map(|c| field(c.as_ref())).collect();
    out.push_str(&cells.join(";"));
    out.push('\n');
}

/// The `.pb` text of the sections.
pub fn to_pb_text(s: &Sections) -> String {
    let mut out = String::from("META\nkey;value\n");
    for (k, v) in &s.meta {
        line(&mut out, [k, v]);
    }
    for (name, section) in [("PROJECTS", &s.projects), ("VOTES", &s.votes)] {
        out.push_str(name);
        out.push('\n');
        line(&mut out, &section.header);
        for row in &section.rows {
            line(&mut out, row);
        }
    }
    out
}

/// An amount for places that take a float (the scenario's pool and costs).
pub fn approx(r: &BigRational) -> f64 {
    r.to_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        let r = |n: i64, d: i64| BigRational::new(n.into(), d.into());
        assert_eq!(decimal(&r(4000, 1)), "4000");
        assert_eq!(decimal(&r(2500050, 100)), "25000.5");
        assert_eq!(decimal(&r(1, 8)), "0.125");
        assert_eq!(decimal(&r(-3, 20)), "-0.15");
        assert_eq!(decimal(&r(1, 3)), "1/3");
    }

    #[test]
    fn fields_with_separators_are_quoted() {
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("\"x\" y"), "\"\"\"x\"\" y\"");
        assert_eq!(field("plain \"inner\""), "plain \"inner\"");
    }
}
