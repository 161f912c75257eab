//! Every class of bad scenario: exit code 1, a message naming the file, the
//! place, the field and the fix, and no output folder.

mod common;

use common::*;

/// (file in tests/bad_inputs, expected "file:line" prefix of the first problem, field, message fragment)
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "duplicate_district_id.toml",
        "duplicate_district_id.toml:19:6",
        "districts[1].id",
        "duplicate district id `a`",
    ),
    (
        "duplicate_proposal_id.toml",
        "duplicate_proposal_id.toml:32:6",
        "proposals[1].id",
        "duplicate proposal id `p1`",
    ),
    (
        "duplicate_delegate_id.toml",
        "duplicate_delegate_id.toml:45:6",
        "delegates[1].id",
        "duplicate delegate id `v1`",
    ),
    (
        "unknown_district_in_proposal.toml",
        "unknown_district_in_proposal.toml:33:12",
        "proposals[1].district",
        "unknown district `zz`",
    ),
    (
        "unknown_district_in_delegate.toml",
        "unknown_district_in_delegate.toml:40:12",
        "delegates[0].district",
        "unknown district `nowhere`",
    ),
    (
        "unknown_proposal_in_ranking.toml",
        "unknown_proposal_in_ranking.toml:42:11",
        "delegates[0].ranking",
        "ranks unknown proposal `p9`",
    ),
    (
        "repeated_proposal_in_ranking.toml",
        "repeated_proposal_in_ranking.toml:42:11",
        "delegates[0].ranking",
        "ranks proposal `p1` more than once",
    ),
    (
        "negative_cost.toml",
        "negative_cost.toml:35:8",
        "proposals[1].cost",
        "must be a positive number, found -5",
    ),
    (
        "nan_cost.toml",
        "nan_cost.toml:35:8",
        "proposals[1].cost",
        "found NaN",
    ),
    (
        "zero_population.toml",
        "zero_population.toml:20:14",
        "districts[1].population",
        "must be a positive number, found 0",
    ),
    (
        "index_out_of_range.toml",
        "index_out_of_range.toml:22:11",
        "districts[1].poverty",
        "1.5 is outside [0, 1]",
    ),
    (
        "min_share_out_of_range.toml",
        "min_share_out_of_range.toml:37:13",
        "proposals[1].min_share",
        "1.5 is outside (0, 1]",
    ),
    (
        "min_share_on_indivisible.toml",
        "min_share_on_indivisible.toml:30:13",
        "proposals[0].min_share",
        "indivisible",
    ),
    (
        "empty_districts.toml",
        "empty_districts.toml",
        "districts",
        "the scenario has no districts",
    ),
    (
        "pool_not_positive.toml",
        "pool_not_positive.toml:5:10",
        "pool.amount",
        "must be a positive number, found 0",
    ),
    (
        "syntax_error.toml",
        "syntax_error.toml:34:14",
        "",
        "TOML syntax error",
    ),
    (
        "unknown_field.toml",
        "unknown_field.toml:35:8",
        "proposals[1].cots",
        "unknown field `cots`",
    ),
    (
        "missing_field.toml",
        "missing_field.toml:31:1",
        "proposals[1]",
        "missing field `cost`",
    ),
    (
        "wrong_type.toml",
        "wrong_type.toml:20:14",
        "districts[1].population",
        "expected f64",
    ),
    (
        "empty_ranking.toml",
        "empty_ranking.toml:42:11",
        "delegates[0].ranking",
        "the ranking is empty",
    ),
    (
        "category_minimums_above_100.toml",
        "category_minimums_above_100.toml:8:1",
        "constraints.categories",
        "sum to 130.0% of the pool",
    ),
    (
        "quorum_unknown_group.toml",
        "quorum_unknown_group.toml:9:9",
        "constraints.quorums[0].group",
        "unknown group `youth`",
    ),
    (
        "cycle_a.toml",
        "cycle_b.toml:2:11",
        "extends",
        "forms a cycle",
    ),
    (
        "missing_base.toml",
        "missing_base.toml:2:11",
        "extends",
        "no_such_base.toml cannot be read",
    ),
    ("not_utf8.toml", "not_utf8.toml:2:10", "", "not valid UTF-8"),
    (
        "essential_line_moved.toml",
        "essential_line_moved.toml:12:11",
        "budget.sources[0].to_pool",
        "an essential line",
    ),
    (
        "bad_table_cell.toml",
        "bad_table.csv:3:4",
        "cost",
        "`12O` is not a number",
    ),
];

#[test]
fn every_bad_input_is_refused_with_place_field_and_fix() {
    let base = root().join("tests/bad_inputs");
    for (file, place, field, fragment) in CASES {
        let path = path_str(&base.join(file));
        let o = run(&["validate", &path]);
        assert_eq!(o.status.code(), Some(1), "{file}: {}", stderr(&o));
        let err = stderr(&o);
        let first = err.lines().nth(1).unwrap_or_default().trim().to_string();
        assert!(
            first.contains(&format!("{place}:")) || first.contains(&format!("{place}: ")),
            "{file}: expected {place} in\n{err}"
        );
        if !field.is_empty() {
            assert!(
                first.contains(&format!("`{field}`")),
                "{file}: field {field} not in\n{first}"
            );
        }
        assert!(
            first.contains(fragment),
            "{file}: `{fragment}` not in\n{first}"
        );
        assert_fix_line(file, &err);
        // And solve writes nothing.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let o = run(&["solve", &path, "--out", &path_str(&out)]);
        assert_eq!(o.status.code(), Some(1), "{file}");
        assert!(!out.exists(), "{file}: output folder written");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{file}: leftovers"
        );
    }
}

#[test]
fn validation_reports_every_problem_at_once() {
    // duplicate_district_id.toml also leaves proposal p2 with an unknown district.
    let o = run(&[
        "validate",
        &path_str(&root().join("tests/bad_inputs/duplicate_district_id.toml")),
    ]);
    let err = stderr(&o);
    assert!(err.contains("2 problems found"), "{err}");
    assert!(err.contains("unknown district `b`"), "{err}");
}

/// The whole message of every bad input, as the user sees it, pinned with
/// insta (tests/snapshots/). Paths are made relative to the crate root.
#[test]
fn bad_input_messages_are_pinned() {
    let base = root().join("tests/bad_inputs");
    let mut files: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "pb"))
        .collect();
    files.sort();
    let root_str = format!("{}/", root().canonicalize().unwrap().display());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Every bad input has an expectation in CASES (or in the pb catalogue).
        assert!(
            CASES.iter().any(|c| c.0 == name) || name == "cycle_b.toml" || name.ends_with(".pb"),
            "{name} has no case in CASES"
        );
        let o = run(&["validate", &path_str(&path)]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        let text = stderr(&o)
            .replace(&root_str, "")
            .replace(&format!("{}/", root().display()), "");
        insta::assert_snapshot!(name.replace('.', "_"), text);
    }
}
