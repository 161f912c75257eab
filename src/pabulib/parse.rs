//! Reading pabulib `.pb` files (<https://pabulib.org/format>) into an [`Election`].
//!
//! A file has three sections, in this order:
//!
//! ```text
//! META                      <- section line
//! key;value                 <- header
//! budget;4000.0             <- required: budget, vote_type
//! vote_type;approval
//! PROJECTS
//! project_id;cost;name      <- required columns: project_id, cost
//! 1;1000;"Park; phase 2"
//! VOTES
//! voter_id;vote             <- required: voter_id, vote (+ points for cumulative/scoring)
//! v1;1,2
//! ```
//!
//! Fields are separated by `;` and may be quoted with `"` (a quoted field may
//! hold `;`, and `""` inside it is one `"`), as Python's `csv` module writes
//! them: pabulib's own tools do. CRLF line ends and a UTF-8 byte-order mark are
//! accepted; blank lines are skipped.
//!
//! The reader streams: it holds one line at a time and writes ballots straight
//! into the compact arrays of [`Ballots`], so memory is the size of the parsed
//! election, never of the text. Because `.pb` files come from the internet,
//! every count the file declares (`num_votes`, `num_projects`) and every count
//! it actually holds is checked against [`Limits`] *before* anything is
//! allocated for it, and any byte sequence gives a located error, never a panic
//! ([`parse_bytes`] is the entry point for fuzzing).
//!
//! The first problem stops the parse: later lines are read relative to earlier
//! ones (the header, the project table), so further problems would mostly be
//! echoes. Each problem names the file, the line (and column where a field is
//! at fault), the field, what is wrong and how to fix it.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use foldhash::{HashMap, HashMapExt};
use num_bigint::BigInt;
use num_rational::BigRational;

use super::{Ballots, Election, Project, Texts, VoteType};
use crate::error::{PabulibError, Problem};

/// Upper bounds on what a `.pb` file may make the reader allocate. The defaults
/// are far above every published election (the largest pabulib file has about
/// 150,000 voters; Wrocław 2019 has 80,298 and 91 projects) and far below what
/// would exhaust a laptop: a hostile or corrupted header such as
/// `num_votes;1000000000000` is refused before any memory is reserved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Voters (rows of VOTES, and META `num_votes`). Default 20,000,000
    /// (about 1-2 GB of ballots). CLI: `--max-voters N`.
    pub max_voters: usize,
    /// Projects (rows of PROJECTS, and META `num_projects`). Default 100,000.
    /// CLI: `--max-projects N`.
    pub max_projects: usize,
    /// Projects named on one ballot. Default 100,000 (a ballot cannot name a
    /// project twice, so it never exceeds the project count anyway).
    pub max_ballot_length: usize,
    /// Bytes in one line. Default 16 MiB: a line is held whole while it is parsed.
    pub max_line_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_voters: 20_000_000,
            max_projects: 100_000,
            max_ballot_length: 100_000,
            max_line_bytes: 16 << 20,
        }
    }
}

/// At most this many voters or projects are reserved from a declared count:
/// beyond it the arrays grow as rows actually arrive, so a header that lies
/// (under limits raised by the user) costs nothing up front.
const MAX_RESERVE: usize = 1 << 20;

/// Reads the `.pb` file at `path` with the default [`Limits`].
pub fn read_election(path: &Path) -> crate::Result<Election> {
    read_election_with(path, &Limits::default())
}

/// Reads the `.pb` file at `path`, refusing anything above `limits`.
pub fn read_election_with(path: &Path, limits: &Limits) -> crate::Result<Election> {
    let file = File::open(path).map_err(|e| {
        PabulibError::Invalid(Problem::new(
            path,
            "",
            format!("cannot open the file: {e}"),
            "check the path and that the file is readable",
        ))
    })?;
    parse_election(BufReader::with_capacity(1 << 16, file), path, limits)
}

/// Parses `.pb` text from memory; `<bytes>` names it in messages. Never
/// panics, whatever the bytes: the entry point for fuzzing.
pub fn parse_bytes(bytes: &[u8], limits: &Limits) -> crate::Result<Election> {
    parse_election(bytes, Path::new("<bytes>"), limits)
}

/// Parses `.pb` text from any reader; `source` names it in messages and is
/// stored in [`Election::source`].
pub fn parse_election<R: BufRead>(
    reader: R,
    source: &Path,
    limits: &Limits,
) -> crate::Result<Election> {
    Parser::new(reader, source, limits)
        .run()
        .map_err(|p| PabulibError::Invalid(p).into())
}

impl VoteType {
    /// The name pabulib writes in META `vote_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            VoteType::Approval => "approval",
            VoteType::Ordinal => "ordinal",
            VoteType::Cumulative => "cumulative",
            VoteType::Scoring => "scoring",
            VoteType::Choose1 => "choose-1",
        }
    }

    /// The vote type META `vote_type` names (ASCII case ignored).
    pub fn from_name(name: &str) -> Option<VoteType> {
        [
            VoteType::Approval,
            VoteType::Ordinal,
            VoteType::Cumulative,
            VoteType::Scoring,
            VoteType::Choose1,
        ]
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(name))
    }
}

impl Election {
    /// One line for `participa validate`: vote type, projects, voters, budget
    /// and the rule META names.
    pub fn summary(&self) -> String {
        let name = self.source.file_name().map_or_else(
            || self.source.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let count = |n: usize| crate::report::format_amount(n as f64);
        let budget = self
            .meta("budget")
            .and_then(|b| b.parse::<f64>().ok())
            .map_or_else(String::new, crate::report::format_amount);
        let currency = self
            .meta("currency")
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        format!(
            "{name}: {}, {} projects, {} voters, budget {budget}{currency}, rule {}",
            self.vote_type.as_str(),
            count(self.projects.len()),
            count(self.ballots.len()),
            self.meta("rule").unwrap_or("not stated")
        )
    }
}

/// A plain decimal number as pabulib writes money: optional sign, digits,
/// optional `.` and digits (`4000`, `4000.0`, `-2.5`). No exponent, no
/// thousands separator, at most 100 characters. Exact.
pub fn parse_decimal(s: &str) -> Option<BigRational> {
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    let (negative, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int.is_empty() && frac.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut numer: BigInt = if frac.is_empty() && int.len() <= 18 {
        // Fits a u64: skips the general big-integer parser.
        BigInt::from(int.parse::<u64>().ok()?)
    } else if frac.is_empty() {
        int.parse().ok()?
    } else {
        format!("{int}{frac}").parse().ok()?
    };
    if negative {
        numer = -numer;
    }
    if frac.bytes().all(|b| b == b'0') {
        // A whole amount (`4000`, `4000.00`): no fraction to reduce, and
        // reducing one (a gcd of big integers) was a tenth of a small file's parse.
        return Some(BigRational::from_integer(
            numer / num_traits_pow10(frac.len()),
        ));
    }
    let denom = num_traits_pow10(frac.len());
    Some(BigRational::new(numer, denom))
}

fn num_traits_pow10(n: usize) -> BigInt {
    let mut d = BigInt::from(1u8);
    for _ in 0..n {
        d *= 10u8;
    }
    d
}

/// Byte offset of the first `sep` (an ASCII byte) in `s` at or after `from`.
/// `str::find` with a `char` pattern confirms each match with a `memcmp`
/// call, which was a fifth of parsing a small file.
fn find_byte(s: &str, from: usize, sep: u8) -> Option<usize> {
    s.as_bytes()[from..]
        .iter()
        .position(|&b| b == sep)
        .map(|r| from + r)
}

/// `s.trim()`, skipping the Unicode whitespace tables in the usual case of
/// a field that starts and ends with a printable ASCII character.
fn trim_fast(s: &str) -> &str {
    let b = s.as_bytes();
    if b.first().is_some_and(u8::is_ascii_graphic) && b.last().is_some_and(u8::is_ascii_graphic) {
        s
    } else {
        s.trim()
    }
}

/// `s.split(sep)` for an ASCII separator, by bytes (see [`find_byte`]).
fn split_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        match find_byte(s, from, sep) {
            Some(end) => {
                start = Some(end + 1);
                Some(&s[from..end])
            }
            None => {
                start = None;
                Some(&s[from..])
            }
        }
    })
}

/// One field of a line: its text (unquoted) and the byte where it starts.
struct Field<'a> {
    text: Cow<'a, str>,
    start: usize,
}

/// Splits `line` on `;` the way Python's `csv` module reads it (pabulib files
/// are written with it): a field that starts with `"` is quoted, `""` inside is
/// one `"`, and text after the closing quote is kept; a `"` elsewhere is an
/// ordinary character. Returns the byte of an unclosed quote as the error.
fn split_fields<'a>(line: &'a str, out: &mut Vec<Field<'a>>) -> Result<(), usize> {
    out.clear();
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        if bytes.get(i) == Some(&b'"') {
            let mut text = String::new();
            let mut j = i + 1;
            loop {
                let Some(quote) = find_byte(line, j, b'"') else {
                    return Err(start);
                };
                text.push_str(&line[j..quote]);
                j = quote + 1;
                if bytes.get(j) == Some(&b'"') {
                    text.push('"');
                    j += 1;
                } else {
                    break;
                }
            }
            // Python keeps what follows the closing quote, up to the separator.
            let end = find_byte(line, j, b';').unwrap_or(line.len());
            text.push_str(&line[j..end]);
            out.push(Field {
                text: Cow::Owned(text),
                start,
            });
            i = end;
        } else {
            let end = find_byte(line, i, b';').unwrap_or(line.len());
            out.push(Field {
                text: Cow::Borrowed(&line[i..end]),
                start,
            });
            i = end;
        }
        if i >= line.len() {
            return Ok(());
        }
        i += 1; // the `;`
        if i == line.len() {
            out.push(Field {
                text: Cow::Borrowed(""),
                start: i,
            });
            return Ok(());
        }
    }
}

/// An emptied vector of fields, ready for the next line: the same
/// allocation, with the lifetime of the next line.
// `filter_map` with no output is the point: it turns the vector's element
// lifetime into a new one while keeping its allocation (in-place collect).
#[allow(clippy::unnecessary_filter_map)]
fn recycle<'b>(mut v: Vec<Field<'_>>) -> Vec<Field<'b>> {
    v.clear();
    // Empty, so the closure never runs; collecting in place keeps the buffer.
    v.into_iter().filter_map(|_| None).collect()
}

/// Which section a line names, if it is a section line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Meta,
    Projects,
    Votes,
}

impl Section {
    fn of(line: &str) -> Option<Section> {
        let t = trim_fast(line);
        if t.eq_ignore_ascii_case("META") {
            Some(Section::Meta)
        } else if t.eq_ignore_ascii_case("PROJECTS") {
            Some(Section::Projects)
        } else if t.eq_ignore_ascii_case("VOTES") {
            Some(Section::Votes)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Section::Meta => "META",
            Section::Projects => "PROJECTS",
            Section::Votes => "VOTES",
        }
    }
}

/// What the parser knows of a table header.
struct Header {
    names: Vec<String>,
    line: usize,
}

impl Header {
    fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

struct Parser<'l, R> {
    reader: R,
    source: PathBuf,
    limits: &'l Limits,
    raw: Vec<u8>,
    line: String,
    /// 1-based number of the line in `line`.
    line_no: usize,
    /// Whether the line in `line` ended with `\n` (a file cut short does not).
    ended: bool,
}

type PResult<T> = Result<T, Problem>;

impl<'l, R: BufRead> Parser<'l, R> {
    fn new(reader: R, source: &Path, limits: &'l Limits) -> Self {
        Parser {
            reader,
            source: source.to_path_buf(),
            limits,
            raw: Vec::new(),
            line: String::new(),
            line_no: 0,
            ended: true,
        }
    }

    /// A problem on the current line.
    fn here(
        &self,
        column: Option<usize>,
        field: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Problem {
        let mut message = message.into();
        let mut fix = fix.into();
        if !self.ended {
            message.push_str(
                " (this is the last line and it has no line end: the file looks truncated)",
            );
            fix = format!("download or export the whole file again; if it is complete: {fix}");
        }
        Problem::new(&self.source, field, message, fix).at(self.line_no, column)
    }

    /// A problem at a given line (not the current one).
    fn at(
        &self,
        line: usize,
        field: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Problem {
        Problem::new(&self.source, field, message, fix).at(line, None)
    }

    /// Reads the next line into `self.line`, without its line end. `false` at
    /// the end of the file.
    fn next_line(&mut self) -> PResult<bool> {
        self.raw.clear();
        let cap = self.limits.max_line_bytes.saturating_add(1) as u64;
        let n = (&mut self.reader)
            .take(cap)
            .read_until(b'\n', &mut self.raw)
            .map_err(|e| {
                Problem::new(
                    &self.source,
                    "",
                    format!("cannot read line {}: {e}", self.line_no + 1),
                    "check that the file is readable",
                )
            })?;
        if n == 0 {
            return Ok(false);
        }
        self.line_no += 1;
        self.ended = self.raw.last() == Some(&b'\n');
        if self.ended {
            self.raw.pop();
        } else if self.raw.len() > self.limits.max_line_bytes {
            self.ended = true;
            return Err(self.here(
                None,
                "",
                format!(
                    "the line is longer than {} bytes (Limits::max_line_bytes)",
                    self.limits.max_line_bytes
                ),
                "a .pb line holds one project or one ballot: check that the file is a pabulib file with line ends",
            ));
        }
        if self.raw.last() == Some(&b'\r') {
            self.raw.pop();
        }
        let mut bytes = &self.raw[..];
        if self.line_no == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                self.line.clear();
                self.line.push_str(s);
                Ok(true)
            }
            Err(e) => {
                let good = &bytes[..e.valid_up_to()];
                let column = std::str::from_utf8(good).map_or(0, |s| s.chars().count()) + 1;
                let byte = bytes.get(e.valid_up_to()).copied().unwrap_or_default();
                Err(self.here(
                    Some(column),
                    "",
                    format!("the line is not valid UTF-8 (byte 0x{byte:02X})"),
                    "save the file as UTF-8 (pabulib files are UTF-8)",
                ))
            }
        }
    }

    /// The next line that is not blank; `false` at the end of the file.
    fn next_content(&mut self) -> PResult<bool> {
        while self.next_line()? {
            if !trim_fast(&self.line).is_empty() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn split<'s>(&self, line: &'s str, out: &mut Vec<Field<'s>>) -> PResult<()> {
        split_fields(line, out).map_err(|byte| {
            self.here(
                Some(column(line, byte)),
                "",
                "a quoted field is not closed on this line",
                "close the quote with `\"` before the end of the line (write a `\"` inside a quoted field as `\"\"`)",
            )
        })
    }

    /// Reads a table header after a section line.
    fn header(&mut self, section: Section, required: &[&str]) -> PResult<Header> {
        let name = section.name();
        if !self.next_content()? {
            return Err(self.truncated(&format!(
                "the file ends right after the {name} section line, before its header"
            )));
        }
        if Section::of(&self.line).is_some() {
            return Err(self.here(
                None,
                name,
                format!("the {name} section has no header line"),
                format!(
                    "add the header line after `{name}`, naming the columns (at least {})",
                    required.join(", ")
                ),
            ));
        }
        let line = std::mem::take(&mut self.line);
        let mut fields = Vec::new();
        self.split(&line, &mut fields)?;
        let mut names: Vec<String> = Vec::with_capacity(fields.len());
        for f in &fields {
            let n = f.text.trim().to_string();
            if names.contains(&n) {
                return Err(self.here(
                    Some(column(&line, f.start)),
                    format!("{name}.{n}"),
                    format!("the {name} header names column `{n}` twice"),
                    "remove or rename one of the two columns",
                ));
            }
            names.push(n);
        }
        for r in required {
            if !names.iter().any(|n| n == r) {
                let msg = format!(
                    "the {name} header has no `{r}` column (it has: {})",
                    names.join(", ")
                );
                return Err(self.here(
                    None,
                    format!("{name}.{r}"),
                    msg,
                    format!("add a `{r}` column to the {name} header and to every row"),
                ));
            }
        }
        self.line = line;
        Ok(Header {
            names,
            line: self.line_no,
        })
    }

    fn truncated(&self, what: &str) -> Problem {
        let mut p = Problem::new(
            &self.source,
            "",
            format!("{what}: the file looks truncated"),
            "a .pb file has META, PROJECTS and VOTES sections in this order; download or export the whole file again",
        );
        if self.line_no > 0 {
            p = p.at(self.line_no, None);
        }
        p
    }

    fn wrong_count(&self, section: Section, got: usize, header: &Header) -> Problem {
        let name = section.name();
        self.here(
            None,
            name,
            format!(
                "this {name} row has {got} field{}, the header (line {}) has {}",
                if got == 1 { "" } else { "s" },
                header.line,
                header.names.len()
            ),
            "give every row one value per header column, separated by `;`; quote a value that contains `;` (\"a;b\")",
        )
    }

    fn run(mut self) -> PResult<Election> {
        // One field vector for every line (its allocation is reused).
        let mut spare: Vec<Field<'static>> = Vec::new();
        // ---- META
        if !self.next_content()? {
            return Err(Problem::new(
                &self.source,
                "",
                "the file is empty",
                "a .pb file starts with a `META` line; export the election again from pabulib.org",
            ));
        }
        match Section::of(&self.line) {
            Some(Section::Meta) => {}
            other => {
                let found = other.map_or_else(
                    || format!("`{}`", truncate(&self.line, 40)),
                    |s| format!("the {} section", s.name()),
                );
                return Err(self.here(
                    None,
                    "META",
                    format!("expected the `META` section line first, found {found}"),
                    "start the file with a line `META`, then `key;value`, then the budget and vote_type rows",
                ));
            }
        }
        let meta_line = self.line_no;
        if !self.next_content()? {
            return Err(self.truncated("the file ends right after the META line"));
        }
        {
            let line = std::mem::take(&mut self.line);
            let mut fields = recycle(std::mem::take(&mut spare));
            self.split(&line, &mut fields)?;
            let is_header = fields.len() == 2
                && fields[0].text.trim() == "key"
                && fields[1].text.trim() == "value";
            if !is_header {
                return Err(self.here(
                    None,
                    "META",
                    format!(
                        "expected the META header `key;value`, found `{}`",
                        truncate(&line, 40)
                    ),
                    "add the line `key;value` right after `META`",
                ));
            }
            spare = recycle(fields);
            self.line = line;
        }
        let mut meta: Vec<(String, String)> = Vec::new();
        let mut meta_lines: Vec<usize> = Vec::new();
        loop {
            if !self.next_content()? {
                return Err(self.truncated("the file ends in the META section, before PROJECTS"));
            }
            match Section::of(&self.line) {
                Some(Section::Projects) => break,
                Some(s) => {
                    return Err(self.here(
                        None,
                        s.name(),
                        format!("found the {} section inside META", s.name()),
                        match s {
                            Section::Meta => {
                                "remove the second META section (merge its rows into the first)"
                            }
                            _ => "the PROJECTS section must come after META and before VOTES",
                        },
                    ));
                }
                None => {}
            }
            let line = std::mem::take(&mut self.line);
            let mut fields = recycle(std::mem::take(&mut spare));
            self.split(&line, &mut fields)?;
            if fields.len() != 2 {
                return Err(self.here(
                    None,
                    "META",
                    format!(
                        "a META row has 2 fields (key;value), this one has {}",
                        fields.len()
                    ),
                    "write `key;value`; quote a value that contains `;` (\"a;b\")",
                ));
            }
            let key = fields[0].text.trim().to_string();
            let value = fields[1].text.trim().to_string();
            if let Some(i) = meta.iter().position(|(k, _)| *k == key) {
                return Err(self.here(
                    None,
                    format!("META.{key}"),
                    format!(
                        "META key `{key}` appears twice (first on line {})",
                        meta_lines[i]
                    ),
                    "keep one of the two rows",
                ));
            }
            meta.push((key, value));
            meta_lines.push(self.line_no);
            spare = recycle(fields);
            self.line = line;
        }
        let meta_value = |key: &str| {
            meta.iter()
                .position(|(k, _)| k == key)
                .map(|i| (meta[i].1.as_str(), meta_lines[i]))
        };
        let Some((budget_text, budget_line)) = meta_value("budget") else {
            return Err(self.at(
                meta_line,
                "META.budget",
                "META has no `budget`",
                "add a row `budget;AMOUNT` to META (e.g. `budget;1000000`)",
            ));
        };
        let budget = match parse_decimal(budget_text) {
            Some(b) if b > BigRational::from_integer(0.into()) => b,
            Some(_) => {
                return Err(self.at(
                    budget_line,
                    "META.budget",
                    format!("the budget must be positive, found `{budget_text}`"),
                    "write the amount available, e.g. `budget;1000000`",
                ));
            }
            None => {
                return Err(self.at(
                    budget_line,
                    "META.budget",
                    format!("the budget must be a plain decimal number, found `{budget_text}`"),
                    "write digits with an optional `.` and decimals, no exponent or thousands separator (e.g. `budget;1000000` or `budget;1000000.0`)",
                ));
            }
        };
        let Some((vt_text, vt_line)) = meta_value("vote_type") else {
            return Err(self.at(
                meta_line,
                "META.vote_type",
                "META has no `vote_type`",
                "add a row `vote_type;approval` (or ordinal, cumulative, scoring, choose-1) to META",
            ));
        };
        let vote_type = match VoteType::from_name(vt_text) {
            Some(t) => t,
            None => {
                return Err(self.at(
                    vt_line,
                    "META.vote_type",
                    format!("unknown vote_type `{vt_text}`"),
                    "use one of approval, ordinal, cumulative, scoring, choose-1",
                ));
            }
        };
        let declared_projects = self.declared(
            meta_value("num_projects"),
            "num_projects",
            self.limits.max_projects,
            "projects",
            "--max-projects",
        )?;
        let declared_votes = self.declared(
            meta_value("num_votes"),
            "num_votes",
            self.limits.max_voters,
            "voters",
            "--max-voters",
        )?;

        // ---- PROJECTS
        let header = self.header(Section::Projects, &["project_id", "cost"])?;
        let col = |n: &str| header.find(n);
        let c_id = col("project_id").unwrap_or_default();
        let c_cost = col("cost").unwrap_or_default();
        let c_name = col("name");
        let c_category = col("category");
        let c_district = col("district").or_else(|| col("subunit"));
        let c_votes = col("votes");
        let c_score = col("score");
        let c_selected = col("selected");
        let known = [
            Some(c_id),
            Some(c_cost),
            c_name,
            c_category,
            c_district,
            c_votes,
            c_score,
            c_selected,
        ];
        let project_extra: Vec<usize> = (0..header.names.len())
            .filter(|i| !known.contains(&Some(*i)))
            .collect();
        let mut projects: Vec<Project> =
            Vec::with_capacity(declared_projects.unwrap_or(0).min(MAX_RESERVE));
        let mut index: HashMap<String, u32> = HashMap::with_capacity(projects.capacity());
        let mut project_lines: Vec<usize> = Vec::new();
        let zero = BigRational::from_integer(0.into());
        loop {
            if !self.next_content()? {
                return Err(
                    self.truncated("the file ends in the PROJECTS section, with no VOTES section")
                );
            }
            match Section::of(&self.line) {
                Some(Section::Votes) => break,
                Some(s) => {
                    return Err(self.here(
                        None,
                        s.name(),
                        format!("found a second {} section inside PROJECTS", s.name()),
                        "a .pb file has one META, one PROJECTS and one VOTES section, in this order",
                    ));
                }
                None => {}
            }
            let line = std::mem::take(&mut self.line);
            let mut fields = recycle(std::mem::take(&mut spare));
            self.split(&line, &mut fields)?;
            if fields.len() != header.names.len() {
                return Err(self.wrong_count(Section::Projects, fields.len(), &header));
            }
            if projects.len() >= self.limits.max_projects {
                return Err(self.here(
                    None,
                    "PROJECTS",
                    format!(
                        "the file has more than {} projects (Limits::max_projects)",
                        self.limits.max_projects
                    ),
                    "if the file is genuine, raise the limit with --max-projects N",
                ));
            }
            let fcol = |i: usize| Some(column(&line, fields[i].start));
            let id = fields[c_id].text.trim().to_string();
            if id.is_empty() {
                return Err(self.here(
                    fcol(c_id),
                    "PROJECTS.project_id",
                    "the project id is empty",
                    "give every project a unique id",
                ));
            }
            let cost_text = fields[c_cost].text.trim();
            let cost = match parse_decimal(cost_text) {
                Some(c) if c > zero => c,
                Some(_) => {
                    return Err(self.here(
                        fcol(c_cost),
                        "PROJECTS.cost",
                        format!("project `{id}` has cost `{cost_text}`; a cost must be positive"),
                        "write the project's cost in the budget's currency, e.g. `25000`",
                    ));
                }
                None => {
                    return Err(self.here(
                        fcol(c_cost),
                        "PROJECTS.cost",
                        format!(
                            "project `{id}` has cost `{cost_text}`, which is not a plain decimal number"
                        ),
                        "write digits with an optional `.` and decimals, no currency sign, exponent or thousands separator (e.g. `25000` or `25000.50`)",
                    ));
                }
            };
            let opt_text = |c: Option<usize>| {
                c.map(|i| fields[i].text.trim())
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
            };
            let votes = match c_votes
                .map(|i| fields[i].text.trim())
                .filter(|t| !t.is_empty())
            {
                None => None,
                Some(t) => Some(t.parse::<u64>().map_err(|_| {
                    self.here(
                        c_votes.and_then(fcol),
                        "PROJECTS.votes",
                        format!("project `{id}` has votes `{t}`, which is not a whole number >= 0"),
                        "write the number of ballots naming the project, or leave it empty",
                    )
                })?),
            };
            let score = match c_score
                .map(|i| fields[i].text.trim())
                .filter(|t| !t.is_empty())
            {
                None => None,
                Some(t) => match t.parse::<f64>() {
                    Ok(s) if s.is_finite() => Some(s),
                    _ => {
                        return Err(self.here(
                            c_score.and_then(fcol),
                            "PROJECTS.score",
                            format!("project `{id}` has score `{t}`, which is not a number"),
                            "write the project's score as a number, or leave it empty",
                        ));
                    }
                },
            };
            let selected = match c_selected
                .map(|i| fields[i].text.trim())
                .filter(|t| !t.is_empty())
            {
                None => None,
                Some("1") => Some(true),
                Some("0") => Some(false),
                Some(t) => {
                    return Err(self.here(
                        c_selected.and_then(fcol),
                        "PROJECTS.selected",
                        format!("project `{id}` has selected `{t}`; expected 1 or 0"),
                        "write 1 for a selected project, 0 otherwise, or leave it empty",
                    ));
                }
            };
            let categories = c_category
                .map(|i| {
                    fields[i]
                        .text
                        .split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let extra = project_extra
                .iter()
                .map(|&i| (header.names[i].clone(), fields[i].text.to_string()))
                .collect();
            let n = projects.len() as u32;
            match index.entry(id.clone()) {
                Entry::Occupied(e) => {
                    let first = project_lines[*e.get() as usize];
                    return Err(self.here(
                        fcol(c_id),
                        "PROJECTS.project_id",
                        format!("project id `{id}` appears twice (first on line {first})"),
                        "give every project a unique id",
                    ));
                }
                Entry::Vacant(v) => {
                    v.insert(n);
                }
            }
            project_lines.push(self.line_no);
            projects.push(Project {
                id,
                cost,
                name: opt_text(c_name),
                categories,
                district: opt_text(c_district),
                votes,
                score,
                selected,
                extra,
            });
            spare = recycle(fields);
            self.line = line;
        }
        if projects.is_empty() {
            return Err(self.here(
                None,
                "PROJECTS",
                "the PROJECTS section lists no project",
                "add one row per project (project_id;cost;...) between the PROJECTS header and VOTES",
            ));
        }

        // ---- VOTES
        let needs_points = matches!(vote_type, VoteType::Cumulative | VoteType::Scoring);
        let mut required = vec!["voter_id", "vote"];
        if needs_points {
            required.push("points");
        }
        let header = self.header(Section::Votes, &required)?;
        let v_id = header.find("voter_id").unwrap_or_default();
        let v_vote = header.find("vote").unwrap_or_default();
        let v_points = if needs_points {
            header.find("points")
        } else {
            None
        };
        let voter_extra: Vec<usize> = (0..header.names.len())
            .filter(|&i| i != v_id && i != v_vote && Some(i) != v_points)
            .collect();
        let reserve = declared_votes.unwrap_or(0).min(MAX_RESERVE);
        let mut ballots = Ballots {
            voter_ids: Texts::with_capacity(reserve),
            offsets: Vec::with_capacity(reserve + 1),
            projects: Vec::with_capacity(reserve),
            points: needs_points.then(|| Vec::with_capacity(reserve)),
            extra: voter_extra
                .iter()
                .map(|&i| (header.names[i].clone(), Texts::with_capacity(reserve)))
                .collect(),
        };
        ballots.offsets.push(0);
        let mut voters: HashMap<u64, (usize, usize)> = HashMap::with_capacity(reserve);
        let hasher = foldhash::fast::RandomState::default();
        // Stamp per project: the 1-based voter that last named it (repeats within a ballot).
        let mut seen: Vec<usize> = vec![0; projects.len()];
        let mut seen_pos: Vec<usize> = vec![0; projects.len()];
        let mut ballot_points: Vec<i64> = Vec::new();
        while self.next_content()? {
            if let Some(s) = Section::of(&self.line) {
                return Err(self.here(
                    None,
                    s.name(),
                    format!("found a second {} section inside VOTES", s.name()),
                    "a .pb file has one META, one PROJECTS and one VOTES section, in this order",
                ));
            }
            let line = std::mem::take(&mut self.line);
            let mut fields = recycle(std::mem::take(&mut spare));
            self.split(&line, &mut fields)?;
            if fields.len() != header.names.len() {
                return Err(self.wrong_count(Section::Votes, fields.len(), &header));
            }
            let voter = ballots.voter_ids.len();
            if voter >= self.limits.max_voters {
                return Err(self.here(
                    None,
                    "VOTES",
                    format!(
                        "the file has more than {} voters (Limits::max_voters)",
                        self.limits.max_voters
                    ),
                    "if the file is genuine, raise the limit with --max-voters N",
                ));
            }
            let fcol = |i: usize| Some(column(&line, fields[i].start));
            let id = trim_fast(&fields[v_id].text);
            if id.is_empty() {
                return Err(self.here(
                    fcol(v_id),
                    "VOTES.voter_id",
                    "the voter id is empty",
                    "give every voter a unique id",
                ));
            }
            // Duplicate ids: a map from the id's 64-bit hash (no second copy
            // of every id); a hash shared by two different ids falls back to
            // a scan, so the check is exact.
            let hash = hasher.hash_one(id);
            let first = match voters.entry(hash) {
                Entry::Vacant(v) => {
                    v.insert((voter, self.line_no));
                    None
                }
                Entry::Occupied(e) => {
                    let (index, line) = *e.get();
                    if &ballots.voter_ids[index] == id {
                        Some(format!("first on line {line}"))
                    } else {
                        ballots
                            .voter_ids
                            .iter()
                            .position(|v| v == id)
                            .map(|k| format!("first as voter number {}", k + 1))
                    }
                }
            };
            if let Some(first) = first {
                return Err(self.here(
                    fcol(v_id),
                    "VOTES.voter_id",
                    format!("voter id `{id}` appears twice ({first})"),
                    "give every voter a unique id (remove the duplicated ballot if it was counted twice)",
                ));
            }
            let vote_text = trim_fast(&fields[v_vote].text);
            // Points first (cardinal ballots): a repeated project adds its points.
            ballot_points.clear();
            if let Some(c) = v_points {
                let text = trim_fast(&fields[c].text);
                if !text.is_empty() {
                    for p in split_byte(text, b',') {
                        let p = trim_fast(p);
                        let Ok(value) = p.parse::<i64>() else {
                            return Err(self.here(
                                fcol(c),
                                "VOTES.points",
                                format!("voter `{id}` gives `{p}` points, which is not a whole number"),
                                "write whole numbers separated by commas, one per project in `vote`",
                            ));
                        };
                        ballot_points.push(value);
                    }
                }
                let len = if vote_text.is_empty() {
                    0
                } else {
                    vote_text.bytes().filter(|&b| b == b',').count() + 1
                };
                let count = ballot_points.len();
                if count != len {
                    return Err(self.here(
                        fcol(c),
                        "VOTES.points",
                        format!(
                            "voter `{id}` names {len} project{} but gives {count} point value{}",
                            if len == 1 { "" } else { "s" },
                            if count == 1 { "" } else { "s" }
                        ),
                        "give one point value per project in `vote`, in the same order",
                    ));
                }
            }
            let start = ballots.projects.len();
            if !vote_text.is_empty() {
                for (pos, pid) in split_byte(vote_text, b',').enumerate() {
                    let pid = trim_fast(pid);
                    let Some(&p) = index.get(pid) else {
                        return Err(self.here(
                            fcol(v_vote),
                            "VOTES.vote",
                            format!("voter `{id}` votes for project `{pid}`, which is not in PROJECTS"),
                            format!(
                                "correct the project id, or add project `{pid}` to the PROJECTS section"
                            ),
                        ));
                    };
                    let stamp = voter + 1;
                    if seen[p as usize] == stamp {
                        let first = seen_pos[p as usize];
                        if let Some(points) = ballots.points.as_mut() {
                            // Cumulative: points given in several entries add up
                            // (the file's own `score` column counts them so).
                            let slot = start + first;
                            points[slot] = points[slot].checked_add(ballot_points[pos]).ok_or_else(|| {
                                self.here(
                                    fcol(v_vote),
                                    "VOTES.points",
                                    format!("voter `{id}` gives project `{pid}` more points than fit in 64 bits"),
                                    "correct the points",
                                )
                            })?;
                            continue;
                        }
                        return Err(self.here(
                            fcol(v_vote),
                            "VOTES.vote",
                            format!(
                                "voter `{id}` names project `{pid}` twice (positions {} and {})",
                                first + 1,
                                pos + 1
                            ),
                            "name each project at most once per ballot",
                        ));
                    }
                    let len = ballots.projects.len() - start;
                    if len >= self.limits.max_ballot_length {
                        return Err(self.here(
                            fcol(v_vote),
                            "VOTES.vote",
                            format!(
                                "voter `{id}` names more than {} projects (Limits::max_ballot_length)",
                                self.limits.max_ballot_length
                            ),
                            "if the file is genuine, raise Limits::max_ballot_length",
                        ));
                    }
                    seen[p as usize] = stamp;
                    seen_pos[p as usize] = len;
                    ballots.projects.push(p);
                    if let Some(points) = ballots.points.as_mut() {
                        points.push(ballot_points[pos]);
                    }
                }
            }
            let end = u32::try_from(ballots.projects.len()).map_err(|_| {
                self.here(
                    None,
                    "VOTES",
                    "the ballots name more than 4,294,967,295 projects in total",
                    "split the file: the compact ballot store indexes them with 32 bits",
                )
            })?;
            ballots.offsets.push(end);
            ballots.voter_ids.push(id);
            for (k, &i) in voter_extra.iter().enumerate() {
                ballots.extra[k].1.push(&fields[i].text);
            }
            spare = recycle(fields);
            self.line = line;
        }
        if ballots.is_empty() {
            return Err(self.truncated("the VOTES section holds no ballot"));
        }

        // ---- declared counts
        if let (Some(n), Some((_, line))) = (declared_projects, meta_value("num_projects")) {
            if n != projects.len() {
                return Err(self.at(
                    line,
                    "META.num_projects",
                    format!(
                        "META says num_projects {n} but the PROJECTS section lists {}",
                        projects.len()
                    ),
                    "correct num_projects, or restore the missing projects",
                ));
            }
        }
        if let (Some(n), Some((_, line))) = (declared_votes, meta_value("num_votes")) {
            if n != ballots.len() {
                let hint = if n > ballots.len() {
                    if !self.ended {
                        " (the last line has no line end: the file looks truncated)"
                    } else {
                        " (ballots are missing: was the file cut short?)"
                    }
                } else {
                    ""
                };
                return Err(self.at(
                    line,
                    "META.num_votes",
                    format!(
                        "META says num_votes {n} but the VOTES section holds {} ballots{hint}",
                        ballots.len()
                    ),
                    "download or export the whole file again, or correct num_votes",
                ));
            }
        }
        Ok(Election {
            source: self.source,
            meta,
            vote_type,
            budget,
            projects,
            ballots,
        })
    }

    /// A count META declares (`num_votes`, `num_projects`), checked against
    /// its limit before anything is allocated for it.
    fn declared(
        &self,
        entry: Option<(&str, usize)>,
        key: &str,
        limit: usize,
        what: &str,
        flag: &str,
    ) -> PResult<Option<usize>> {
        let Some((text, line)) = entry else {
            return Ok(None);
        };
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.at(
                line,
                format!("META.{key}"),
                format!("{key} must be a whole number, found `{text}`"),
                format!(
                    "write the number of {what} the file holds, digits only, or remove the row"
                ),
            ));
        }
        match text.parse::<usize>() {
            Ok(n) if n <= limit => Ok(Some(n)),
            _ => Err(self.at(
                line,
                format!("META.{key}"),
                format!(
                    "the file declares {text} {what}, above the limit of {} (refused before reading further)",
                    crate::report::format_amount(limit as f64)
                ),
                format!("if the file is genuine, raise the limit with {flag} N"),
            )),
        }
    }
}

/// The 1-based character column of byte `byte` of `line`.
fn column(line: &str, byte: usize) -> usize {
    line.get(..byte).map_or(byte, |s| s.chars().count()) + 1
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(n).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        split_fields(line, &mut out).unwrap();
        out.into_iter().map(|f| f.text.into_owned()).collect()
    }

    #[test]
    fn splits_like_python_csv() {
        assert_eq!(fields("a;b;c"), ["a", "b", "c"]);
        assert_eq!(fields("a;;"), ["a", "", ""]);
        assert_eq!(fields(""), [""]);
        assert_eq!(fields("\"x;y\";z"), ["x;y", "z"]);
        assert_eq!(fields("\"say \"\"hi\"\"\";2"), ["say \"hi\"", "2"]);
        assert_eq!(fields("\"\"\"K\"\"\""), ["\"K\""]);
        // A quote inside an unquoted field is an ordinary character.
        assert_eq!(fields("a \"Orlik\";1"), ["a \"Orlik\"", "1"]);
        // Text after a closing quote is kept, as Python does.
        assert_eq!(fields("\"ab\"cd;e"), ["abcd", "e"]);
        let mut out = Vec::new();
        assert_eq!(split_fields("a;\"open", &mut out).err(), Some(2));
    }

    #[test]
    fn decimals_are_exact_and_plain() {
        let r = |n: i64, d: i64| BigRational::new(n.into(), d.into());
        assert_eq!(parse_decimal("4000.0"), Some(r(4000, 1)));
        assert_eq!(parse_decimal("0.1"), Some(r(1, 10)));
        assert_eq!(parse_decimal("-2.50"), Some(r(-5, 2)));
        assert_eq!(parse_decimal("7."), Some(r(7, 1)));
        assert_eq!(parse_decimal(".5"), Some(r(1, 2)));
        for bad in [
            "", ".", "1e6", "1,000", "1 000", "$5", "NaN", "inf", "--1", "1.2.3",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
        assert_eq!(parse_decimal(&"9".repeat(101)), None);
    }
}
