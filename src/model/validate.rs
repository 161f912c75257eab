//! Validation: a [`ScenarioFile`] (plus any CSV/Parquet tables it names)
//! becomes a [`Scenario`], or every problem found is reported at once, each
//! naming its file, place, field and fix.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::file::{DelegateFile, ProposalFile, RankEntry, ScenarioFile};
use super::load::parse_ranking_text;
use super::location::{FieldPath, SourceMap};
use super::{
    BudgetSource, CategoryLimit, Constraints, Delegate, District, Group, Pool, Proposal, Quorum,
    Ranking, RuleName, Scenario, Settings, SourceKind,
};
use crate::error::Problem;
use crate::io::table::TextTable;
use crate::scoring::ScoringRule;
use crate::scoring::formula::Formula;

/// The id that marks a proposal as not belonging to any district.
pub const CITYWIDE: &str = "citywide";

/// Tolerance for shares that must sum to at most 1.
const SHARE_SUM_TOLERANCE: f64 = 1e-9;

/// Where a record came from: a TOML table or a row of a CSV/Parquet table.
enum Origin<'t> {
    Toml(FieldPath),
    Row(&'t TextTable, usize),
}

struct Checker<'a> {
    map: &'a SourceMap,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn at(&mut self, path: FieldPath, message: impl Into<String>, fix: impl Into<String>) {
        let (file, lc) = self.map.locate(&path);
        let mut p = Problem::new(file, path.to_string(), message, fix);
        if let Some((l, c)) = lc {
            p = p.at(l, Some(c));
        }
        self.problems.push(p);
    }

    fn field(
        &mut self,
        o: &Origin,
        field: &str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        match o {
            Origin::Toml(path) => self.at(path.key(field), message, fix),
            Origin::Row(t, row) => self.problems.push(t.problem(*row, field, message, fix)),
        }
    }

    /// `v` must be finite and within [lo, hi].
    fn in_range(&mut self, o: &Origin, field: &str, v: f64, lo: f64, hi: f64, fix: &str) -> bool {
        if !v.is_finite() {
            self.field(o, field, format!("{v} is not a finite number"), fix);
            false
        } else if v < lo || v > hi {
            self.field(o, field, format!("{v} is outside [{lo}, {hi}]"), fix);
            false
        } else {
            true
        }
    }

    /// `v` must be finite and > 0.
    fn positive(&mut self, o: &Origin, field: &str, v: f64, fix: &str) -> bool {
        if !v.is_finite() || v <= 0.0 {
            self.field(
                o,
                field,
                format!("must be a positive number, found {v}"),
                fix,
            );
            false
        } else {
            true
        }
    }
}

fn root() -> FieldPath {
    FieldPath::root()
}

pub(super) fn validate(file: ScenarioFile, map: &SourceMap) -> Result<Scenario, Vec<Problem>> {
    let mut ck = Checker {
        map,
        problems: Vec::new(),
    };
    let main = map.main_path();

    // Tables named by the scenario are read first: their rows join the TOML records.
    let proposal_table =
        read_optional_table(&mut ck, file.proposals_file.as_deref(), "proposals_file");
    let delegate_table =
        read_optional_table(&mut ck, file.delegates_file.as_deref(), "delegates_file");

    // Budget sources, then the pool: its fixed part plus what the sources move.
    let sources = check_sources(&mut ck, &file);
    let moved: f64 = sources.iter().map(|s| s.moved).sum();
    let pool = match &file.pool {
        None => {
            ck.at(
                root(),
                "the scenario has no [pool]",
                "add a [pool] table with `amount = 1000000` and `currency = \"EUR\"`",
            );
            Pool {
                amount: 0.0,
                currency: String::new(),
            }
        }
        Some(p) => {
            let o = Origin::Toml(root().key("pool"));
            match (p.amount, sources.is_empty()) {
                (None, true) => ck.field(&o, "amount", "the pool has no amount", "add `amount = 1000000`, or [[budget.sources]] lines that move money into the pool"),
                (Some(a), true) => {
                    ck.positive(&o, "amount", a, "the pool must be a positive amount of money");
                }
                (Some(a), false) if !a.is_finite() || a < 0.0 => ck.field(&o, "amount", format!("{a} is not an amount >= 0"), "with budget sources, `amount` is the fixed part of the pool (0 or more)"),
                (_, false) if p.amount.unwrap_or(0.0) + moved <= 0.0 => ck.at(root().key("budget").key("sources"), "nothing moves into the pool: it would be 0", "set `to_pool` (a share) or `to_pool_amount` on at least one source, or a fixed `amount` in [pool]"),
                _ => {}
            }
            if p.currency.trim().is_empty() {
                ck.field(
                    &o,
                    "currency",
                    "currency is empty",
                    "write a currency code such as \"EUR\" or \"BRL\"",
                );
            }
            Pool {
                amount: p.amount.unwrap_or(0.0) + moved,
                currency: p.currency.trim().to_string(),
            }
        }
    };

    // Groups.
    let mut group_index: HashMap<String, usize> = HashMap::new();
    let mut groups = Vec::new();
    for (i, g) in file.groups.iter().enumerate() {
        let o = Origin::Toml(root().key("groups").index(i));
        check_id(&mut ck, &o, &g.id, &mut group_index, i, "group");
        for (field, v) in [
            ("population_share", g.population_share),
            ("turnout_share", g.turnout_share),
        ] {
            if let Some(v) = v {
                ck.in_range(
                    &o,
                    field,
                    v,
                    0.0,
                    1.0,
                    "a share is a number between 0 and 1",
                );
            }
        }
        groups.push(Group {
            id: g.id.clone(),
            name: g.name.clone().unwrap_or_else(|| g.id.clone()),
            population_share: g.population_share,
            turnout_share: g.turnout_share,
        });
    }

    // Districts.
    if file.districts.is_empty() {
        ck.at(root().key("districts"), "the scenario has no districts", "add at least one [[districts]] table with id, population, need, poverty and infrastructure_gap");
    }
    let mut district_index: HashMap<String, usize> = HashMap::new();
    let mut districts = Vec::new();
    for (i, d) in file.districts.iter().enumerate() {
        let o = Origin::Toml(root().key("districts").index(i));
        check_id(&mut ck, &o, &d.id, &mut district_index, i, "district");
        if d.id == CITYWIDE {
            ck.field(
                &o,
                "id",
                "`citywide` is reserved for proposals that belong to no district",
                "choose another district id",
            );
        }
        ck.positive(
            &o,
            "population",
            d.population,
            "population is the number of residents, a positive number",
        );
        let mut indicators = BTreeMap::new();
        for (name, v) in [
            ("need", d.need),
            ("poverty", d.poverty),
            ("infrastructure_gap", d.infrastructure_gap),
        ] {
            ck.in_range(
                &o,
                name,
                v,
                0.0,
                1.0,
                "standard indices are shares between 0 and 1 (e.g. 0.35 for 35%)",
            );
            indicators.insert(name.to_string(), v);
        }
        for (name, v) in &d.indicators {
            let io = Origin::Toml(root().key("districts").index(i).key("indicators"));
            if !v.is_finite() {
                ck.field(
                    &io,
                    name,
                    format!("{v} is not a finite number"),
                    "write a finite number",
                );
            }
            if indicators.contains_key(name) || name == "population" {
                ck.field(
                    &io,
                    name,
                    format!("`{name}` is a standard field of the district"),
                    "set it as a district field, not under indicators",
                );
            }
            indicators.entry(name.clone()).or_insert(*v);
        }
        let go = Origin::Toml(root().key("districts").index(i).key("groups"));
        for (gid, share) in &d.groups {
            if !group_index.contains_key(gid) {
                ck.field(
                    &go,
                    gid,
                    format!("unknown group `{gid}`"),
                    known_list(
                        "declare it in a [[groups]] table, or use one of",
                        group_index.keys(),
                    ),
                );
            }
            ck.in_range(
                &go,
                gid,
                *share,
                0.0,
                1.0,
                "a group share is between 0 and 1",
            );
        }
        let total: f64 = d.groups.values().sum();
        if total > 1.0 + SHARE_SUM_TOLERANCE {
            ck.field(
                &o,
                "groups",
                format!("group shares sum to {total}, above 1"),
                "shares of residents per group must not sum above 1",
            );
        }
        districts.push(District {
            id: d.id.clone(),
            name: d.name.clone().unwrap_or_else(|| d.id.clone()),
            population: d.population,
            indicators,
            group_shares: d.groups.clone(),
            parent: None,
        });
    }

    // Nested councils: parents must exist and form no cycle.
    for (i, d) in file.districts.iter().enumerate() {
        let Some(pid) = &d.parent else { continue };
        let o = Origin::Toml(root().key("districts").index(i));
        match district_index.get(pid) {
            Some(&p) if p != i => districts[i].parent = Some(p),
            Some(_) => ck.field(
                &o,
                "parent",
                "a district cannot be its own parent",
                "name the region this district belongs to, or remove `parent`",
            ),
            None => ck.field(
                &o,
                "parent",
                format!("unknown parent district `{pid}`"),
                known_list("use one of the district ids:", district_index.keys()),
            ),
        }
    }
    for i in 0..districts.len() {
        let mut seen = vec![false; districts.len()];
        let mut cur = districts[i].parent;
        while let Some(p) = cur {
            if seen[p] {
                ck.at(root().key("districts").index(i).key("parent"), format!("the parents of district `{}` form a cycle", districts[i].id), "every chain of parents must end at a top-level district (one without `parent`)");
                districts[i].parent = None;
                break;
            }
            seen[p] = true;
            cur = districts[p].parent;
        }
    }

    // Proposals: TOML records, then table rows.
    let mut records: Vec<(ProposalFile, Origin)> = file
        .proposals
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), Origin::Toml(root().key("proposals").index(i))))
        .collect();
    if let Some(t) = &proposal_table {
        records.extend(proposals_from_table(&mut ck, t));
    }
    if records.is_empty() {
        ck.at(
            root().key("proposals"),
            "the scenario has no proposals",
            "add [[proposals]] tables or a proposals_file",
        );
    }
    let mut proposal_index: HashMap<String, usize> = HashMap::new();
    let mut proposals = Vec::new();
    for (i, (p, o)) in records.iter().enumerate() {
        check_id(&mut ck, o, &p.id, &mut proposal_index, i, "proposal");
        let district = if p.district == CITYWIDE {
            None
        } else {
            match district_index.get(&p.district) {
                Some(&d) => Some(d),
                None => {
                    ck.field(
                        o,
                        "district",
                        format!("unknown district `{}`", p.district),
                        known_list(
                            "use `citywide` or one of the district ids:",
                            district_index.keys(),
                        ),
                    );
                    None
                }
            }
        };
        if p.category.trim().is_empty() {
            ck.field(
                o,
                "category",
                "category is empty",
                "name a category such as sanitation, paving, housing, health or education",
            );
        }
        if !(p.cost.is_nan() && matches!(o, Origin::Row(..))) {
            ck.positive(
                o,
                "cost",
                p.cost,
                "cost is the full price of the proposal, a positive amount",
            );
        }
        if let Some(m) = p.min_share {
            if !m.is_finite() || m <= 0.0 || m > 1.0 {
                ck.field(o, "min_share", format!("{m} is outside (0, 1]"), "min_share is the smallest fundable share, e.g. 0.5; remove it to allow any share");
            } else if !p.divisible {
                ck.field(
                    o,
                    "min_share",
                    "min_share is set on an indivisible proposal",
                    "set `divisible = true` or remove min_share",
                );
            }
        }
        proposals.push(Proposal {
            id: p.id.clone(),
            title: p.title.clone().unwrap_or_else(|| p.id.clone()),
            district,
            category: p.category.trim().to_string(),
            cost: p.cost,
            divisible: p.divisible,
            min_share: p.min_share,
        });
    }

    // Delegates.
    let mut drecords: Vec<(DelegateFile, Origin)> = file
        .delegates
        .iter()
        .enumerate()
        .map(|(i, d)| (d.clone(), Origin::Toml(root().key("delegates").index(i))))
        .collect();
    if let Some(t) = &delegate_table {
        drecords.extend(delegates_from_table(&mut ck, t));
    }
    if drecords.is_empty() {
        ck.at(
            root().key("delegates"),
            "the scenario has no delegates, so nothing ranks the proposals",
            "add [[delegates]] tables with a ranking each, or a delegates_file",
        );
    }
    let mut delegate_index: HashMap<String, usize> = HashMap::new();
    let mut delegates = Vec::new();
    for (i, (d, o)) in drecords.iter().enumerate() {
        check_id(&mut ck, o, &d.id, &mut delegate_index, i, "delegate");
        let district = match district_index.get(&d.district) {
            Some(&x) => x,
            None => {
                ck.field(
                    o,
                    "district",
                    format!("unknown district `{}`", d.district),
                    known_list(
                        "a delegate belongs to one of the district ids:",
                        district_index.keys(),
                    ),
                );
                0
            }
        };
        let group = d.group.as_ref().and_then(|g| match group_index.get(g) {
            Some(&x) => Some(x),
            None => {
                ck.field(
                    o,
                    "group",
                    format!("unknown group `{g}`"),
                    known_list("declare it in [[groups]] or use one of", group_index.keys()),
                );
                None
            }
        });
        let ranking = check_ranking(&mut ck, o, &d.ranking, &proposal_index);
        delegates.push(Delegate {
            id: d.id.clone(),
            district,
            group,
            ranking,
        });
    }

    // Group population shares not given are derived from district shares.
    let total_pop: f64 = districts.iter().map(|d| d.population).sum();
    for g in &mut groups {
        if g.population_share.is_none()
            && districts.iter().any(|d| d.group_shares.contains_key(&g.id))
            && total_pop > 0.0
        {
            let pop: f64 = districts
                .iter()
                .map(|d| d.population * d.group_shares.get(&g.id).copied().unwrap_or(0.0))
                .sum();
            g.population_share = Some(pop / total_pop);
        }
    }

    // Formulas.
    let formula = file.formula.clone().unwrap_or_default();
    check_formula(&mut ck, &formula, root().key("formula"), &districts);
    let mut formula_levels = BTreeMap::new();
    for (key, f) in &file.formula_levels {
        let path = root().key("formula_levels").key(key);
        match key.parse::<usize>() {
            Ok(level) if level >= 1 => {
                check_formula(&mut ck, f, path, &districts);
                formula_levels.insert(level, f.clone());
            }
            _ => ck.at(
                path,
                format!("`{key}` is not a level number"),
                "key formula_levels by level: \"1\" is the top, \"2\" the districts inside it, ...",
            ),
        }
    }

    // Scoring.
    let scoring = match file.scoring.rule.as_deref().unwrap_or("borda") {
        "borda" => ScoringRule::Borda,
        "dowdall" => ScoringRule::Dowdall,
        "top-k" => match file.scoring.k {
            Some(k) if k >= 1 => ScoringRule::TopK { k },
            _ => {
                ck.at(
                    root().key("scoring").key("k"),
                    "the top-k rule needs k >= 1",
                    "add `k = 3` (how many top positions count) to [scoring]",
                );
                ScoringRule::Borda
            }
        },
        other => {
            ck.at(
                root().key("scoring").key("rule"),
                format!("unknown scoring rule `{other}`"),
                "use \"borda\", \"dowdall\" or \"top-k\"",
            );
            ScoringRule::Borda
        }
    };
    if file.scoring.reweight_groups {
        if let Some((i, _)) = delegates
            .iter()
            .enumerate()
            .find(|(_, d)| d.group.is_none())
        {
            ck.at(
                root().key("scoring").key("reweight_groups"),
                format!(
                    "re-weighting by group needs every delegate's group; delegate `{}` has none",
                    delegates[i].id
                ),
                "give every delegate a `group`, or set reweight_groups = false",
            );
        }
        for g in &groups {
            if g.population_share.is_none() {
                ck.at(
                    root().key("scoring").key("reweight_groups"),
                    format!("group `{}` has no population share", g.id),
                    "set population_share in [[groups]] or group shares in the districts",
                );
            }
        }
    }

    // Constraints.
    let constraints = check_constraints(
        &mut ck,
        &file,
        &district_index,
        &group_index,
        &proposals,
        &delegates,
    );

    if !ck.problems.is_empty() {
        return Err(ck.problems);
    }
    let name = file.name.clone().unwrap_or_else(|| {
        main.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".into())
    });
    Ok(Scenario {
        name,
        description: file.description.clone().unwrap_or_default(),
        source: Some(main),
        pool,
        sources,
        districts,
        proposals,
        delegates,
        groups,
        formula,
        formula_levels,
        settings: Settings {
            scoring,
            reweight_groups: file.scoring.reweight_groups,
            rule: file.allocation.rule.unwrap_or(RuleName::Optimal),
            need_weighted_objective: file.allocation.need_weighted_objective,
        },
        constraints,
        seed: file.seed.unwrap_or(0),
    })
}

/// Budget sources: names unique, amounts positive, one way of saying what moves,
/// and nothing moved out of an essential line.
fn check_sources(ck: &mut Checker, file: &ScenarioFile) -> Vec<BudgetSource> {
    let Some(budget) = &file.budget else {
        return Vec::new();
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, line) in budget.sources.iter().enumerate() {
        let o = Origin::Toml(root().key("budget").key("sources").index(i));
        if line.name.trim().is_empty() {
            ck.field(
                &o,
                "name",
                "source name is empty",
                "name the budget line, e.g. \"Enterprise zone tax abatements\"",
            );
        } else if let Some(first) = seen.get(&line.name) {
            ck.field(
                &o,
                "name",
                format!(
                    "duplicate source `{}` (also source #{})",
                    line.name,
                    first + 1
                ),
                "source names must be unique",
            );
        } else {
            seen.insert(line.name.clone(), i);
        }
        let ok_amount = ck.positive(
            &o,
            "amount",
            line.amount,
            "the line's yearly amount, a positive number",
        );
        let moved = match (line.to_pool, line.to_pool_amount) {
            (Some(_), Some(_)) => {
                ck.field(
                    &o,
                    "to_pool_amount",
                    "both `to_pool` and `to_pool_amount` are set",
                    "give the share moved (to_pool) or the amount moved (to_pool_amount), not both",
                );
                0.0
            }
            (Some(share), None) => {
                if ck.in_range(
                    &o,
                    "to_pool",
                    share,
                    0.0,
                    1.0,
                    "to_pool is the share of the line moved into the pool, 0..1",
                ) {
                    share * line.amount
                } else {
                    0.0
                }
            }
            (None, Some(a)) => {
                if !a.is_finite() || a < 0.0 || (ok_amount && a > line.amount) {
                    ck.field(
                        &o,
                        "to_pool_amount",
                        format!("{a} is outside [0, {}]", line.amount),
                        "the amount moved is at most the line's amount",
                    );
                    0.0
                } else {
                    a
                }
            }
            (None, None) => 0.0,
        };
        if line.kind == SourceKind::Essential && moved > 0.0 {
            ck.field(&o, if line.to_pool.is_some() { "to_pool" } else { "to_pool_amount" }, format!("moves money out of `{}`, an essential line (services that must not be cut)", line.name), "set to_pool = 0 for essential lines, or mark the line regressive or neutral if it may be cut");
        }
        out.push(BudgetSource {
            name: line.name.clone(),
            kind: line.kind,
            amount: line.amount,
            moved,
            source: line.source.clone(),
        });
    }
    out
}

/// A formula's own checks, and every indicator it reads present in every
/// district (`rank_<theme>` columns are derived from the delegates when absent).
fn check_formula(ck: &mut Checker, formula: &Formula, path: FieldPath, districts: &[District]) {
    if let Err(e) = formula.check() {
        ck.at(
            path.clone(),
            e.to_string(),
            "see `participa formulas` and `participa formulas show NAME` for the fields",
        );
    }
    for name in formula.indicators() {
        if name == "population" || name.starts_with("rank_") {
            continue;
        }
        if let Some(d) = districts.iter().find(|d| !d.indicators.contains_key(&name)) {
            ck.at(path.clone(), format!("the formula reads indicator `{name}`, which district `{}` does not have", d.id), format!("add `{name}` under [districts.indicators] for every district, or change the formula"));
        }
    }
}

fn known_list<'a>(lead: &str, keys: impl Iterator<Item = &'a String>) -> String {
    let mut k: Vec<&String> = keys.collect();
    k.sort();
    if k.is_empty() {
        return lead.trim_end_matches(':').to_string();
    }
    let shown: Vec<&str> = k.iter().take(12).map(|s| s.as_str()).collect();
    let more = if k.len() > 12 {
        format!(", ... ({} in all)", k.len())
    } else {
        String::new()
    };
    format!("{lead} {}{more}", shown.join(", "))
}

fn check_id(
    ck: &mut Checker,
    o: &Origin,
    id: &str,
    seen: &mut HashMap<String, usize>,
    i: usize,
    what: &str,
) {
    if id.trim().is_empty() {
        ck.field(
            o,
            "id",
            format!("{what} id is empty"),
            format!("give every {what} a unique, non-empty id"),
        );
    } else if let Some(first) = seen.get(id) {
        ck.field(
            o,
            "id",
            format!(
                "duplicate {what} id `{id}` (also used by {what} #{})",
                first + 1
            ),
            format!("{what} ids must be unique; rename one of them"),
        );
    } else {
        seen.insert(id.to_string(), i);
    }
}

fn check_ranking(
    ck: &mut Checker,
    o: &Origin,
    entries: &[RankEntry],
    proposals: &HashMap<String, usize>,
) -> Ranking {
    if entries.is_empty() {
        ck.field(
            o,
            "ranking",
            "the ranking is empty",
            "list at least one proposal id, best first",
        );
    }
    let mut seen: HashMap<usize, ()> = HashMap::new();
    let mut tiers = Vec::new();
    for e in entries {
        let ids: Vec<&String> = match e {
            RankEntry::One(s) => vec![s],
            RankEntry::Tied(v) => v.iter().collect(),
        };
        if ids.is_empty() {
            ck.field(
                o,
                "ranking",
                "a tie group is empty",
                "write tied proposals as [\"a\", \"b\"], or remove the empty list",
            );
            continue;
        }
        let mut tier = Vec::new();
        for id in ids {
            match proposals.get(id) {
                None => ck.field(
                    o,
                    "ranking",
                    format!("ranks unknown proposal `{id}`"),
                    "rank only proposal ids declared in the scenario",
                ),
                Some(&p) => {
                    if seen.insert(p, ()).is_some() {
                        ck.field(o, "ranking", format!("ranks proposal `{id}` more than once"), "each proposal appears once in a ranking; tie proposals with [\"a\", \"b\"] instead");
                    } else {
                        tier.push(p);
                    }
                }
            }
        }
        if !tier.is_empty() {
            tiers.push(tier);
        }
    }
    Ranking { tiers }
}

fn check_constraints(
    ck: &mut Checker,
    file: &ScenarioFile,
    district_index: &HashMap<String, usize>,
    group_index: &HashMap<String, usize>,
    proposals: &[Proposal],
    delegates: &[Delegate],
) -> Constraints {
    let c = &file.constraints;
    let o = Origin::Toml(root().key("constraints"));
    let floor = c.entitlement_floor.unwrap_or(0.0);
    ck.in_range(
        &o,
        "entitlement_floor",
        floor,
        0.0,
        1.0,
        "the floor is the guaranteed fraction of each district's entitlement, 0..1 (0 = no floors)",
    );
    let mut caps = vec![c.district_cap; district_index.len()];
    if let Some(v) = c.district_cap {
        if !v.is_finite() || v <= 0.0 || v > 1.0 {
            ck.field(
                &o,
                "district_cap",
                format!("{v} is outside (0, 1]"),
                "a cap is a share of the pool, e.g. 0.25",
            );
        }
    }
    let co = Origin::Toml(root().key("constraints").key("district_caps"));
    for (id, v) in &c.district_caps {
        match district_index.get(id) {
            Some(&d) => caps[d] = Some(*v),
            None => ck.field(
                &co,
                id,
                format!("unknown district `{id}`"),
                known_list("use one of", district_index.keys()),
            ),
        }
        if !v.is_finite() || *v <= 0.0 || *v > 1.0 {
            ck.field(
                &co,
                id,
                format!("{v} is outside (0, 1]"),
                "a cap is a share of the pool, e.g. 0.25",
            );
        }
    }
    let mut floors = vec![None; district_index.len()];
    let fo = Origin::Toml(root().key("constraints").key("district_floors"));
    for (id, v) in &c.district_floors {
        match district_index.get(id) {
            Some(&d) => floors[d] = Some(*v),
            None => ck.field(
                &fo,
                id,
                format!("unknown district `{id}`"),
                known_list("use one of", district_index.keys()),
            ),
        }
        if !v.is_finite() || *v < 0.0 {
            ck.field(
                &fo,
                id,
                format!("{v} is not an amount >= 0"),
                "an explicit floor is an amount of money, e.g. 250000",
            );
        }
    }
    let mut categories = Vec::new();
    let mut min_total = 0.0;
    let known: Vec<String> = {
        let mut k: Vec<String> = proposals.iter().map(|p| p.category.clone()).collect();
        k.sort();
        k.dedup();
        k
    };
    for (i, cat) in c.categories.iter().enumerate() {
        let o = Origin::Toml(root().key("constraints").key("categories").index(i));
        if !known.contains(&cat.category) {
            ck.field(
                &o,
                "category",
                format!("no proposal has category `{}`", cat.category),
                known_list("use one of the proposals' categories:", known.iter()),
            );
        }
        for (field, v) in [("min_share", cat.min_share), ("max_share", cat.max_share)] {
            if let Some(v) = v {
                ck.in_range(
                    &o,
                    field,
                    v,
                    0.0,
                    1.0,
                    "category limits are shares of the pool, 0..1",
                );
            }
        }
        if let (Some(lo), Some(hi)) = (cat.min_share, cat.max_share) {
            if lo > hi {
                ck.field(
                    &o,
                    "min_share",
                    format!("min_share {lo} is above max_share {hi}"),
                    "the minimum must not exceed the cap",
                );
            }
        }
        min_total += cat.min_share.unwrap_or(0.0);
        categories.push(CategoryLimit {
            category: cat.category.clone(),
            min_share: cat.min_share,
            max_share: cat.max_share,
        });
    }
    if min_total > 1.0 + SHARE_SUM_TOLERANCE {
        ck.at(
            root().key("constraints").key("categories"),
            format!(
                "category minimums sum to {:.1}% of the pool, above 100%",
                min_total * 100.0
            ),
            "lower the min_share values so they sum to at most 1",
        );
    }
    let mut quorums = Vec::new();
    for (i, q) in c.quorums.iter().enumerate() {
        let o = Origin::Toml(root().key("constraints").key("quorums").index(i));
        let group = match group_index.get(&q.group) {
            Some(&g) => {
                if !delegates.iter().any(|d| d.group == Some(g)) {
                    ck.field(
                        &o,
                        "group",
                        format!(
                            "group `{}` has no delegates, so no proposal is in its top {}",
                            q.group, q.top_k
                        ),
                        "give some delegates this group, or remove the quorum",
                    );
                }
                g
            }
            None => {
                ck.field(
                    &o,
                    "group",
                    format!("unknown group `{}`", q.group),
                    known_list("declare it in [[groups]] or use one of", group_index.keys()),
                );
                0
            }
        };
        if q.top_k == 0 {
            ck.field(
                &o,
                "top_k",
                "top_k is 0",
                "top_k is how many of each delegate's first choices count, at least 1",
            );
        }
        ck.in_range(
            &o,
            "min_share",
            q.min_share,
            0.0,
            1.0,
            "a quorum is a share of the pool, 0..1",
        );
        quorums.push(Quorum {
            group,
            top_k: q.top_k,
            min_share: q.min_share,
        });
    }
    Constraints {
        entitlement_floor: floor,
        district_floors: floors,
        district_caps: caps,
        categories,
        quorums,
    }
}

fn read_optional_table(ck: &mut Checker, path: Option<&str>, field: &str) -> Option<TextTable> {
    let path = path?;
    match TextTable::read(Path::new(path)) {
        Ok(t) => Some(t),
        Err(mut p) => {
            let (file, lc) = ck.map.locate(&root().key(field));
            p.message = format!(
                "{} (named by `{field}` in {}{})",
                p.message,
                file.display(),
                lc.map(|(l, _)| format!(":{l}")).unwrap_or_default()
            );
            ck.problems.push(p);
            None
        }
    }
}

const PROPOSAL_COLUMNS: [&str; 7] = [
    "id",
    "title",
    "district",
    "category",
    "cost",
    "divisible",
    "min_share",
];
const DELEGATE_COLUMNS: [&str; 4] = ["id", "district", "group", "ranking"];

fn proposals_from_table<'t>(ck: &mut Checker, t: &'t TextTable) -> Vec<(ProposalFile, Origin<'t>)> {
    let bad = t.check_columns(&["id", "district", "category", "cost"], &PROPOSAL_COLUMNS);
    if !bad.is_empty() {
        ck.problems.extend(bad);
        return Vec::new();
    }
    (0..t.rows())
        .map(|r| {
            let p = &mut ck.problems;
            let rec = ProposalFile {
                id: t.text(r, "id", p),
                title: t.get(r, "title").map(str::to_string),
                district: t.text(r, "district", p),
                category: t.text(r, "category", p),
                // NaN marks a cost already reported (bad cell) or missing.
                cost: t.number(r, "cost", p).unwrap_or_else(|| {
                    if t.get(r, "cost").is_none() {
                        p.push(t.problem(r, "cost", "empty cell", "fill in the proposal's cost"));
                    }
                    f64::NAN
                }),
                divisible: t.boolean(r, "divisible", p).unwrap_or(false),
                min_share: t.number(r, "min_share", p),
            };
            (rec, Origin::Row(t, r))
        })
        .collect()
}

fn delegates_from_table<'t>(ck: &mut Checker, t: &'t TextTable) -> Vec<(DelegateFile, Origin<'t>)> {
    let bad = t.check_columns(&["id", "district", "ranking"], &DELEGATE_COLUMNS);
    if !bad.is_empty() {
        ck.problems.extend(bad);
        return Vec::new();
    }
    (0..t.rows())
        .map(|r| {
            let p = &mut ck.problems;
            let rec = DelegateFile {
                id: t.text(r, "id", p),
                district: t.text(r, "district", p),
                group: t.get(r, "group").map(str::to_string),
                ranking: parse_ranking_text(t.get(r, "ranking").unwrap_or("")),
            };
            (rec, Origin::Row(t, r))
        })
        .collect()
}
