//! The pabulib `.pb` reader on the 18 real elections in the shared data folder
//! (their counts checked against META and against the table in its
//! SOURCES.md), on a hand-written file with quoted fields, and on the bad
//! files of tests/bad_inputs (each refused with its line, field and fix).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use num_rational::BigRational;
use participa::pabulib::{Election, Limits, VoteType, parse_bytes, read_election};

/// The shared pabulib folder: `$PABULIB_DIR`, else `../shared/data/pabulib`
/// next to the crate. `None` (and the tests that need it print why and pass)
/// where neither exists, e.g. a CI clone without the shared data.
fn pabulib_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("PABULIB_DIR").map(PathBuf::from),
        Some(root().join("../shared/data/pabulib")),
    ];
    let found = candidates.into_iter().flatten().find(|d| d.is_dir());
    if found.is_none() {
        eprintln!(
            "skipped: no pabulib folder (set PABULIB_DIR, or place the files in ../shared/data/pabulib)"
        );
    }
    found
}

/// (file, vote type, projects, voters, budget), the table of SOURCES.md.
const FILES: &[(&str, VoteType, usize, usize, i64)] = &[
    (
        "Netherlands_Assen_2024.pb",
        VoteType::Approval,
        14,
        84,
        100_000,
    ),
    (
        "US_Stanford_Dataset_2022_Jersey_City_Ward_B_vote_knapsacks.pb",
        VoteType::Approval,
        7,
        127,
        50_000,
    ),
    (
        "US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb",
        VoteType::Ordinal,
        8,
        100,
        40_000,
    ),
    (
        "Switzerland_Zurich_D10.pb",
        VoteType::Cumulative,
        24,
        180,
        60_000,
    ),
    (
        "Poland_Zabrze_2020_Centrum_Poludnie.pb",
        VoteType::Choose1,
        9,
        2_157,
        300_000,
    ),
    (
        "Poland_Swiecie_2023.pb",
        VoteType::Approval,
        22,
        2_553,
        1_070_000,
    ),
    (
        "France_Toulouse_2019.pb",
        VoteType::Cumulative,
        30,
        1_494,
        1_000_000,
    ),
    (
        "Poland_Wieliczka_2023_Green_Budget.pb",
        VoteType::Approval,
        64,
        6_586,
        1_000_000,
    ),
    (
        "France_Toulouse_2022.pb",
        VoteType::Approval,
        199,
        4_532,
        8_000_000,
    ),
    (
        "Poland_Krakow_2020_Podgorze.pb",
        VoteType::Ordinal,
        31,
        5_248,
        1_740_100,
    ),
    (
        "Netherlands_Amsterdam_645.pb",
        VoteType::Approval,
        38,
        3_908,
        254_200,
    ),
    (
        "US_Stanford_Dataset_PB_Cambridge_2019_vote_approvals.pb",
        VoteType::Approval,
        20,
        6_447,
        1_000_000,
    ),
    (
        "Poland_Czestochowa_2020.pb",
        VoteType::Cumulative,
        90,
        16_978,
        2_367_122,
    ),
    (
        "Poland_Warszawa_2020_Praga-Poludnie.pb",
        VoteType::Approval,
        134,
        14_897,
        5_900_907,
    ),
    (
        "Hungary_Budapest_2024.pb",
        VoteType::Approval,
        175,
        28_943,
        1_000_000_000,
    ),
    (
        "Poland_Katowice_2020.pb",
        VoteType::Cumulative,
        46,
        38_903,
        2_999_999,
    ),
    (
        "Poland_Krakow_2021.pb",
        VoteType::Ordinal,
        99,
        51_229,
        7_000_000,
    ),
    (
        "Poland_Wroclaw_2019.pb",
        VoteType::Choose1,
        91,
        80_298,
        16_000_000,
    ),
];

fn load(dir: &Path, name: &str) -> Election {
    read_election(&dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The message `parse_bytes` refuses `text` with.
fn parse_error(text: &str, limits: &Limits) -> String {
    parse_bytes(text.as_bytes(), limits)
        .unwrap_err()
        .to_string()
}

#[test]
fn every_shared_file_parses_with_the_counts_of_sources_md_and_meta() {
    let Some(dir) = pabulib_dir() else { return };
    let on_disk = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pb")
        })
        .count();
    assert_eq!(on_disk, FILES.len(), "SOURCES.md lists every .pb file");
    for &(name, vote_type, projects, voters, budget) in FILES {
        let e = load(&dir, name);
        assert_eq!(e.vote_type, vote_type, "{name}");
        assert_eq!(e.projects.len(), projects, "{name}");
        assert_eq!(e.ballots.len(), voters, "{name}");
        assert_eq!(e.budget, BigRational::from_integer(budget.into()), "{name}");
        assert_eq!(
            e.meta("num_projects"),
            Some(projects.to_string().as_str()),
            "{name}"
        );
        assert_eq!(
            e.meta("num_votes"),
            Some(voters.to_string().as_str()),
            "{name}"
        );
        // The CSR arrays are consistent.
        assert_eq!(e.ballots.offsets.len(), voters + 1, "{name}");
        assert_eq!(
            *e.ballots.offsets.last().unwrap() as usize,
            e.ballots.projects.len()
        );
        assert!(e.ballots.projects.iter().all(|&p| (p as usize) < projects));
        assert_eq!(
            e.ballots.points.as_ref().map(Vec::len),
            matches!(vote_type, VoteType::Cumulative | VoteType::Scoring)
                .then_some(e.ballots.projects.len()),
            "{name}"
        );
        for (col, values) in &e.ballots.extra {
            assert_eq!(values.len(), voters, "{name}: {col}");
        }
        // Where the file states each project's vote count, the ballots agree
        // (Budapest's counts include paper votes that are not in the file;
        // Częstochowa is checked below).
        if name != "Hungary_Budapest_2024.pb" && name != "Poland_Czestochowa_2020.pb" {
            let mut counted = vec![0u64; projects];
            for &p in &e.ballots.projects {
                counted[p as usize] += 1;
            }
            for (p, c) in e.projects.iter().zip(&counted) {
                if let Some(v) = p.votes {
                    assert_eq!(v, *c, "{name}: votes of project {}", p.id);
                }
            }
        }
    }
}

#[test]
fn wroclaw_choose_1_with_project_and_voter_districts() {
    let Some(dir) = pabulib_dir() else { return };
    let e = load(&dir, "Poland_Wroclaw_2019.pb");
    assert_eq!(e.ballots.len(), 80_298);
    assert_eq!(e.projects.len(), 91);
    assert!((0..e.ballots.len()).all(|v| e.ballots.ballot(v).len() == 1));
    // The first project row: 5;2000000;6364;Park HENRYKOWSKI ...;greenery/recreation;1;Polanowice-Poświętne-Ligota
    let p = &e.projects[0];
    assert_eq!(p.id, "5");
    assert_eq!(p.cost, BigRational::from_integer(2_000_000.into()));
    assert_eq!(p.votes, Some(6364));
    assert_eq!(p.selected, Some(true));
    assert_eq!(p.categories, ["greenery/recreation"]);
    assert_eq!(p.district.as_deref(), Some("Polanowice-Poświętne-Ligota"));
    assert!(p.name.as_deref().unwrap().starts_with("Park HENRYKOWSKI"));
    assert!(p.extra.is_empty());
    let cols: Vec<&str> = e.ballots.extra.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(cols, ["age", "sex", "voting_method", "district"]);
    assert_eq!(e.meta("rule"), Some("greedy-no-skip"));
    // A quoted name with doubled quotes: 52;2000000;323;"""MUŻEMUND - miasteczko rowerowe nad Ślęzą.""";...
    let p52 = e.projects.iter().find(|p| p.id == "52").unwrap();
    assert_eq!(
        p52.name.as_deref(),
        Some("\"MUŻEMUND - miasteczko rowerowe nad Ślęzą.\"")
    );
    assert_eq!(p52.district.as_deref(), Some("Tarnogaj"));
}

#[test]
fn krakow_2021_ranks_exactly_three_and_keeps_its_points_column() {
    let Some(dir) = pabulib_dir() else { return };
    let e = load(&dir, "Poland_Krakow_2021.pb");
    assert!((0..e.ballots.len()).all(|v| e.ballots.ballot(v).len() == 3));
    // Ordinal: the `points` column (3,2,1) is not a cardinal ballot; it is kept as text.
    assert!(e.ballots.points.is_none());
    let points = &e
        .ballots
        .extra
        .iter()
        .find(|(c, _)| c == "points")
        .unwrap()
        .1;
    assert_eq!(&points[0], "3,2,1");
    // First ballot: 0;98,42,20;3,2,1;internet;BIEŻANÓW-PROKOCIM
    assert_eq!(&e.ballots.voter_ids[0], "0");
    let ids: Vec<&str> = e
        .ballots
        .ballot(0)
        .iter()
        .map(|&p| e.projects[p as usize].id.as_str())
        .collect();
    assert_eq!(ids, ["98", "42", "20"]);
}

#[test]
fn zurich_points_sum_to_at_most_ten() {
    let Some(dir) = pabulib_dir() else { return };
    let e = load(&dir, "Switzerland_Zurich_D10.pb");
    assert_eq!(e.meta("max_sum_points"), Some("10"));
    for v in 0..e.ballots.len() {
        let pts = e.ballots.points_of(v).unwrap();
        assert!(pts.iter().all(|&p| p > 0), "voter {v}");
        assert!(pts.iter().sum::<i64>() <= 10, "voter {v}");
    }
    // First ballot: QGVT6BFJ;9,3,13;4,3,3;...
    let ids: Vec<&str> = e
        .ballots
        .ballot(0)
        .iter()
        .map(|&p| e.projects[p as usize].id.as_str())
        .collect();
    assert_eq!(ids, ["9", "3", "13"]);
    assert_eq!(e.ballots.points_of(0), Some(&[4i64, 3, 3][..]));
    // The project `district` column.
    assert!(e.projects.iter().all(|p| p.district.is_some()));
}

#[test]
fn toulouse_2019_subunit_is_the_district() {
    let Some(dir) = pabulib_dir() else { return };
    let e = load(&dir, "France_Toulouse_2019.pb");
    assert!(e.projects.iter().all(|p| p.district.is_some()));
    let extra: Vec<&str> = e.projects[0]
        .extra
        .iter()
        .map(|(c, _)| c.as_str())
        .collect();
    assert_eq!(extra, ["proposer", "public_id"]);
}

/// A small file written by hand: quoted fields with `;` and `""`, CRLF, a BOM,
/// a blank line, an unknown META key, decimal costs, extra columns.
const HAND: &str = "\u{feff}META\r\nkey;value\r\ndescription;\"Tiny; hand-written\"\r\nnum_projects;3\r\nnum_votes;2\r\nbudget;1000.50\r\nvote_type;cumulative\r\nunit;Testville\r\n\r\nPROJECTS\r\nproject_id;cost;name;category;subunit;votes;score;selected;colour\r\np1;400.25;\"Park \"\"Green\"\"; phase 2\";nature,transport;North;2;5;1;green\r\np2;600;Library;culture;;1;1.5;0;\r\np3;100.0;\"\";;South;;;;blue\r\nVOTES\r\nvoter_id;vote;points;age\r\nv1;p1,p2;4,1;31\r\nv2; p1 ;3;\r\n";

#[test]
fn a_hand_written_file_field_by_field() {
    let e = parse_bytes(HAND.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(
        e.meta,
        [
            ("description", "Tiny; hand-written"),
            ("num_projects", "3"),
            ("num_votes", "2"),
            ("budget", "1000.50"),
            ("vote_type", "cumulative"),
            ("unit", "Testville"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    );
    assert_eq!(e.vote_type, VoteType::Cumulative);
    assert_eq!(e.budget, BigRational::new(2001.into(), 2.into()));
    let [p1, p2, p3] = &e.projects[..] else {
        panic!("3 projects")
    };
    assert_eq!(p1.id, "p1");
    assert_eq!(p1.cost, BigRational::new(1601.into(), 4.into()));
    assert_eq!(p1.name.as_deref(), Some("Park \"Green\"; phase 2"));
    assert_eq!(p1.categories, ["nature", "transport"]);
    assert_eq!(p1.district.as_deref(), Some("North"));
    assert_eq!(p1.votes, Some(2));
    assert_eq!(p1.score, Some(5.0));
    assert_eq!(p1.selected, Some(true));
    assert_eq!(p1.extra, [("colour".to_string(), "green".to_string())]);
    assert_eq!(p2.cost, BigRational::from_integer(600.into()));
    assert_eq!(p2.district, None);
    assert_eq!(p2.score, Some(1.5));
    assert_eq!(p2.selected, Some(false));
    assert_eq!(p2.extra, [("colour".to_string(), String::new())]);
    assert_eq!(p3.cost, BigRational::from_integer(100.into()));
    assert_eq!(p3.name, None);
    assert!(p3.categories.is_empty());
    assert_eq!((p3.votes, p3.score, p3.selected), (None, None, None));
    let b = &e.ballots;
    assert_eq!(b.voter_ids.iter().collect::<Vec<_>>(), ["v1", "v2"]);
    assert_eq!(b.offsets, [0, 2, 3]);
    assert_eq!(b.projects, [0, 1, 0]);
    assert_eq!(b.points, Some(vec![4, 1, 3]));
    assert_eq!(b.extra.len(), 1);
    assert_eq!(b.extra[0].0, "age");
    assert_eq!(b.extra[0].1.iter().collect::<Vec<_>>(), ["31", ""]);
}

#[test]
fn declared_counts_above_the_limits_are_refused_before_reading_on() {
    let text = HAND.replace("num_votes;2", "num_votes;1000000000000");
    let e = parse_error(&text, &Limits::default());
    assert!(e.contains("<bytes>:5: `META.num_votes`"), "{e}");
    assert!(
        e.contains("declares 1000000000000 voters, above the limit of 20,000,000"),
        "{e}"
    );
    assert!(e.contains("--max-voters N"), "{e}");
    // A count beyond u64 is above the limit too, not "not a number".
    let text = HAND.replace("num_projects;3", "num_projects;99999999999999999999999");
    let e = parse_error(&text, &Limits::default());
    assert!(e.contains("above the limit of 100,000"), "{e}");
    // The actual count is checked while streaming, with or without META counts.
    let small = Limits {
        max_voters: 1,
        ..Limits::default()
    };
    let text = HAND.replace("num_votes;2\r\n", "");
    let e = parse_error(&text, &small);
    assert!(
        e.contains("<bytes>:17: `VOTES`: the file has more than 1 voters"),
        "{e}"
    );
    let small = Limits {
        max_projects: 2,
        ..Limits::default()
    };
    let text = HAND.replace("num_projects;3\r\n", "");
    let e = parse_error(&text, &small);
    assert!(
        e.contains("more than 2 projects (Limits::max_projects)"),
        "{e}"
    );
    assert!(e.contains("--max-projects N"), "{e}");
}

/// (file in tests/bad_inputs, "file:line" of the problem, field, message fragment)
const BAD: &[(&str, &str, &str, &str)] = &[
    ("pb_empty.pb", "pb_empty.pb", "", "the file is empty"),
    (
        "pb_unknown_project.pb",
        "pb_unknown_project.pb:15:4",
        "VOTES.vote",
        "voter `v2` votes for project `p9`, which is not in PROJECTS",
    ),
    (
        "pb_num_votes_mismatch.pb",
        "pb_num_votes_mismatch.pb:4",
        "META.num_votes",
        "META says num_votes 5 but the VOTES section holds 3 ballots",
    ),
    (
        "pb_truncated_no_votes.pb",
        "pb_truncated_no_votes.pb:10",
        "",
        "the file ends in the PROJECTS section, with no VOTES section: the file looks truncated",
    ),
    (
        "pb_truncated_last_line.pb",
        "pb_truncated_last_line.pb:16:4",
        "VOTES.vote",
        "the file looks truncated",
    ),
    (
        "pb_huge_header.pb",
        "pb_huge_header.pb:4",
        "META.num_votes",
        "declares 1000000000000 voters, above the limit of 20,000,000",
    ),
    (
        "pb_not_utf8.pb",
        "pb_not_utf8.pb:9:11",
        "",
        "not valid UTF-8 (byte 0xE9)",
    ),
    (
        "pb_wrong_field_count.pb",
        "pb_wrong_field_count.pb:10",
        "PROJECTS",
        "this PROJECTS row has 2 fields, the header (line 8) has 3",
    ),
    (
        "pb_missing_cost.pb",
        "pb_missing_cost.pb:8",
        "PROJECTS.cost",
        "the PROJECTS header has no `cost` column (it has: project_id, name)",
    ),
    (
        "pb_bad_cost.pb",
        "pb_bad_cost.pb:10:4",
        "PROJECTS.cost",
        "project `p2` has cost `1e5`, which is not a plain decimal number",
    ),
    (
        "pb_zero_cost.pb",
        "pb_zero_cost.pb:9:4",
        "PROJECTS.cost",
        "a cost must be positive",
    ),
    (
        "pb_repeated_project.pb",
        "pb_repeated_project.pb:14:4",
        "VOTES.vote",
        "voter `v1` names project `p1` twice (positions 1 and 3)",
    ),
    (
        "pb_points_count.pb",
        "pb_points_count.pb:15:10",
        "VOTES.points",
        "voter `v2` names 2 projects but gives 1 point value",
    ),
    (
        "pb_duplicate_voter.pb",
        "pb_duplicate_voter.pb:15:1",
        "VOTES.voter_id",
        "voter id `v1` appears twice (first on line 14)",
    ),
    (
        "pb_duplicate_project.pb",
        "pb_duplicate_project.pb:10:1",
        "PROJECTS.project_id",
        "project id `p1` appears twice (first on line 9)",
    ),
    (
        "pb_no_meta.pb",
        "pb_no_meta.pb:1",
        "META",
        "expected the `META` section line first, found the PROJECTS section",
    ),
    (
        "pb_duplicate_section.pb",
        "pb_duplicate_section.pb:12",
        "PROJECTS",
        "found a second PROJECTS section inside PROJECTS",
    ),
    (
        "pb_unknown_vote_type.pb",
        "pb_unknown_vote_type.pb:6",
        "META.vote_type",
        "unknown vote_type `approvals`",
    ),
];

#[test]
fn every_bad_file_is_refused_with_line_field_and_fix() {
    let base = root().join("tests/bad_inputs");
    let on_disk: Vec<String> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pb"))
        .collect();
    for name in &on_disk {
        assert!(BAD.iter().any(|c| c.0 == name), "{name} has no case in BAD");
    }
    for (file, place, field, fragment) in BAD {
        let path = base.join(file);
        // The library...
        let e = read_election(&path).unwrap_err();
        let participa::Error::Pabulib(pe) = &e else {
            panic!("{file}: not a pabulib error: {e}")
        };
        let p = pe.problem();
        assert_eq!(p.field, *field, "{file}");
        assert!(
            p.message.contains(fragment),
            "{file}: `{fragment}` not in {}",
            p.message
        );
        assert!(!p.fix.is_empty(), "{file}: no fix");
        // ...and the command line: exit 1, the place on the second line, the fix on the third.
        let o = run(&["validate", &path_str(&path)]);
        assert_eq!(o.status.code(), Some(1), "{file}");
        let err = stderr(&o);
        let first = err.lines().nth(1).unwrap_or_default().trim();
        assert!(
            first.contains(&format!("{place}:")),
            "{file}: expected {place} in\n{err}"
        );
        if !field.is_empty() {
            assert!(first.contains(&format!("`{field}`")), "{file}: {err}");
        }
        assert_fix_line(file, &err);
    }
}

/// Częstochowa 2020, line 11740: `13026;579,579,579,579;1,1,1,1;` -- four
/// single points on one project. They add up to one entry of 4 points: the
/// file's own `score` for project 579 (5,437) is the sum of all its points so
/// counted, while its `votes` (704) counts the four entries separately.
#[test]
fn czestochowa_repeated_cumulative_entries_add_up() {
    let Some(dir) = pabulib_dir() else { return };
    let e = load(&dir, "Poland_Czestochowa_2020.pb");
    let v = e
        .ballots
        .voter_ids
        .iter()
        .position(|id| id == "13026")
        .unwrap();
    let p579 = e.projects.iter().position(|p| p.id == "579").unwrap() as u32;
    assert_eq!(e.ballots.ballot(v), [p579]);
    assert_eq!(e.ballots.points_of(v), Some(&[4i64][..]));
    let (mut named, mut points) = (0u64, 0i64);
    for v in 0..e.ballots.len() {
        for (p, x) in e
            .ballots
            .ballot(v)
            .iter()
            .zip(e.ballots.points_of(v).unwrap())
        {
            if *p == p579 {
                named += 1;
                points += x;
            }
        }
    }
    let project = &e.projects[p579 as usize];
    assert_eq!(project.score, Some(5437.0));
    assert_eq!(points, 5437);
    assert_eq!(project.votes, Some(704));
    assert_eq!(named, 704 - 3);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Arbitrary bytes: an error or an election, never a panic.
        #[test]
        fn on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_bytes(&bytes, &Limits::default());
        }

        /// The hand-written file with bytes overwritten or cut: every prefix
        /// and mutation either parses consistently or is refused.
        #[test]
        fn on_mutated_files(cut in 0usize..HAND.len(), at in 0usize..HAND.len(), byte in any::<u8>()) {
            let mut bytes = HAND.as_bytes().to_vec();
            bytes[at] = byte;
            bytes.truncate(cut.max(1));
            if let Ok(e) = parse_bytes(&bytes, &Limits::default()) {
                prop_assert_eq!(e.ballots.offsets.len(), e.ballots.len() + 1);
                prop_assert!(e.ballots.projects.iter().all(|&p| (p as usize) < e.projects.len()));
            }
        }
    }

    #[test]
    fn on_huge_numbers_and_limits_raised_to_the_maximum() {
        let unlimited = Limits {
            max_voters: usize::MAX,
            max_projects: usize::MAX,
            max_ballot_length: usize::MAX,
            max_line_bytes: usize::MAX,
        };
        let text = HAND
            .replace("num_votes;2", "num_votes;18446744073709551615")
            .replace("budget;1000.50", &format!("budget;{}", "9".repeat(100)));
        let e = parse_error(&text, &unlimited);
        assert!(
            e.contains("META says num_votes 18446744073709551615 but the VOTES section holds 2"),
            "{e}"
        );
        let text = HAND.replace(
            "v1;p1,p2;4,1",
            "v1;p1,p2;9223372036854775807,99999999999999999999",
        );
        let e = parse_error(&text, &unlimited);
        assert!(
            e.contains("gives `99999999999999999999` points, which is not a whole number"),
            "{e}"
        );
        // Repeated cumulative entries whose sum overflows.
        let text = HAND.replace("v1;p1,p2;4,1", "v1;p1,p1;9223372036854775807,1");
        let e = parse_error(&text, &unlimited);
        assert!(e.contains("more points than fit in 64 bits"), "{e}");
    }
}
