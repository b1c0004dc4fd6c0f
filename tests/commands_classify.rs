//! `agentcensus eval` and `agentcensus show` end to end on the hand-written
//! fixtures (no shared folder needed).

mod common;

use std::path::PathBuf;
use std::process::Command;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classify")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(common::bin())
        .args(["-q", "--no-store"])
        .args(args)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn eval_matches_by_session_id_and_skips_non_interactive() {
    let labels = fixtures().join("labels.jsonl");
    let dir = fixtures();
    let (code, out, err) = run(&[
        "eval",
        "--json",
        "--labels",
        labels.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["references"], 4);
    assert_eq!(v["matched"], 3);
    assert_eq!(v["unmatched"], serde_json::json!(["no-such-session"]));
    assert_eq!(v["skipped_not_interactive"], 1);
    // The non-interactive reference counts for interactive agreement only
    // (the fixture session is interactive, so that one disagrees).
    assert_eq!(v["interactive"]["n"], 3);
    let wm = v["facets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["facet"] == "work_mode")
        .unwrap();
    assert_eq!(
        wm["n"], 2,
        "work mode compared on the interactive references only"
    );
    assert_eq!(wm["exact"], 1.0);
    // The text report names every facet and the confusion matrices.
    let (code, out, _) = run(&[
        "eval",
        "--labels",
        labels.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("work_mode confusion"));
    assert!(out.contains("within-1"));
    // Without PATHs the sessions come from the label file's `file` entries,
    // relative to the label file's parent's parent.
    let (code, out, _) = run(&["eval", "--json", "--labels", labels.to_str().unwrap()]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["matched"], 3);
}

#[test]
fn show_finds_a_session_by_unique_prefix() {
    let dir = fixtures();
    let (code, out, err) = run(&["show", "deploy-00", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("deploy-0008-staging"));
    assert!(out.contains("work_mode"));
    assert!(out.contains("confidence"));
    let (code, out, _) = run(&["show", "--json", "fix-0001", dir.to_str().unwrap()]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["record"]["session_id"], "fix-0001-keyerror");
    assert!(!v["labels"]["work_mode"]["reasons"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(v["evidence"]["items"].is_array());
}

#[test]
fn show_says_when_a_prefix_is_ambiguous_or_unknown() {
    let dir = fixtures();
    // "e" starts both expert-... and explore-...
    let (code, _, err) = run(&["show", "e", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "ambiguous prefix is a usage error");
    assert!(err.contains("matches 2 sessions"), "{err}");
    let (code, _, err) = run(&["show", "zzz", dir.to_str().unwrap()]);
    assert_eq!(code, 3, "unknown id: nothing to show");
    assert!(err.contains("no session id starts with"), "{err}");
}
