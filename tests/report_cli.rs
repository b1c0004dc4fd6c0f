//! `agentcensus report` end to end: with no agent history it falls back to the
//! example sessions and says so; `--json` is JSON; the HTML file is written
//! where asked and its path printed.

mod common;

use std::path::PathBuf;
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A command with an empty HOME, so no real agent history is found.
fn report_cmd(dir: &PathBuf) -> Command {
    let mut c = Command::new(common::bin());
    c.current_dir(dir)
        .env("HOME", dir)
        .env_remove("CLAUDE_CONFIG_DIR")
        .env_remove("CODEX_HOME")
        .env("AGENTCENSUS_STORE", dir.join("store.sqlite"))
        .env("NO_COLOR", "1")
        .args(["--no-store", "-q", "report"]);
    c
}

#[test]
fn no_history_falls_back_to_examples_and_writes_html() {
    let dir = tmp("fallback");
    let out = report_cmd(&dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("example sessions"), "{stderr}");
    assert!(stdout.contains("EXAMPLE SESSIONS"), "{stdout}");
    // Headline table first, then the rest; the path printed at the end.
    let head = stdout
        .find("Outcomes and work per prompt by expertise")
        .unwrap();
    let basics = stdout.find("The basics").unwrap();
    assert!(head < basics);
    let html = dir.join("agentcensus-report.html");
    assert!(html.exists());
    assert!(stdout.trim_end().ends_with(&format!(
        "{}",
        std::fs::canonicalize(&html).unwrap().display()
    )));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("EXAMPLE SESSIONS"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no network references"
    );
    assert!(!stdout.contains('\u{1b}'), "no colour codes");
}

#[test]
fn json_output_and_csv_tables() {
    let dir = tmp("json");
    let out = report_cmd(&dir)
        .args(["--examples", "--json", "--no-html", "--csv"])
        .arg(dir.join("csv"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(v["examples"], true);
    assert!(v["headline"]["rows"].as_array().unwrap().len() >= 8);
    assert!(v["comparison"].as_array().unwrap().len() > 20);
    assert!(!dir.join("agentcensus-report.html").exists());
    let csv = std::fs::read_to_string(dir.join("csv").join("headline.csv")).unwrap();
    assert!(csv.starts_with("Expertise,Sessions,"));
}

#[test]
fn bad_scope_is_a_usage_error() {
    let dir = tmp("scope");
    let out = report_cmd(&dir)
        .args(["--examples", "--scope", "everything"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn corpus_report_covers_several_people_without_names() {
    let Some(corpus) = common::corpus_or_skip("corpus_report_covers_several_people_without_names")
    else {
        return;
    };
    let dir = tmp("corpus");
    let out = report_cmd(&dir)
        .args(["--users-by-folder", "--json", "-o"])
        .arg(dir.join("r.html"))
        .arg(corpus.join("claude-code"))
        .arg(corpus.join("codex"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["people"].as_u64().unwrap() > 1);
    assert_eq!(v["thresholds"]["active"], true);
    assert!(
        v["sessions"].is_null(),
        "no per-session detail for several people"
    );
    let page = std::fs::read_to_string(dir.join("r.html")).unwrap();
    // Input-root names (the corpus folders are <owner>__<repo>) never appear.
    for entry in std::fs::read_dir(corpus.join("claude-code"))
        .unwrap()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().to_string();
        assert!(!page.contains(&name), "folder name {name} printed");
    }
}
