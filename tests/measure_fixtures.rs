//! Snapshot tests of the measure stage on hand-written sessions
//! (tests/fixtures/measure/*.json, normalized `Session` JSON). A change in
//! what a detector finds shows up as a reviewed snapshot diff.

use agentcensus::measure::{self, Measured};
use agentcensus::session::Session;
use std::path::PathBuf;

fn load(name: &str) -> Session {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/measure")
        .join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn run(name: &str) -> Measured {
    measure::measure(&load(name))
}

#[test]
fn test_runs_pass_after_the_last_edit() {
    let m = run("test_runs.json");
    assert_eq!(m.evidence.tests_pass_at_end, Some(true));
    assert!(m.evidence.tests_pass_after_last_edit);
    assert!(m.evidence.user_affirmation);
    insta::assert_json_snapshot!("test_runs", m);
}

#[test]
fn claimed_pass_after_failing_run_is_a_failure() {
    let m = run("claimed_pass.json");
    assert_eq!(m.evidence.tests_pass_at_end, Some(false));
    assert!(m.evidence.user_complaint);
    insta::assert_json_snapshot!("claimed_pass", m);
}

#[test]
fn git_commit_push_and_pr() {
    let m = run("git_pr.json");
    assert_eq!(
        (m.evidence.commits, m.evidence.pushes, m.evidence.prs),
        (1, 1, 1)
    );
    insta::assert_json_snapshot!("git_pr", m);
}

#[test]
fn build_then_deploy() {
    let m = run("build_deploy.json");
    assert_eq!(m.evidence.build_ok_at_end, Some(true));
    assert_eq!(m.evidence.deploys, 1);
    insta::assert_json_snapshot!("build_deploy", m);
}

#[test]
fn final_error_and_complaint() {
    let m = run("final_error.json");
    assert!(m.evidence.final_error_unrecovered);
    assert!(m.evidence.user_complaint);
    insta::assert_json_snapshot!("final_error", m);
}

#[test]
fn multilingual_feedback() {
    let m = run("feedback_multilingual.json");
    assert!(m.evidence.user_complaint);
    assert!(m.evidence.user_affirmation);
    assert_eq!(m.evidence.complaint_prompts, vec![2]);
    assert_eq!(m.evidence.affirmation_prompts, vec![4]);
    insta::assert_json_snapshot!("feedback_multilingual", m);
}
