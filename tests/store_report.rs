//! The store through the real `report` command: a second run over unchanged
//! sessions parses nothing (and reads no file: planning uses the store), a
//! grown session is parsed again, a deleted one stays in the report.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ac-report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The store's summary line on stderr.
fn report(store: &Path, data: &Path) -> String {
    let out = Command::new(common::bin())
        .arg("--store")
        .arg(store)
        .args(["report", "--no-html", "--scope", "all", "--users-by-folder"])
        .arg(data)
        .env("AGENTCENSUS_TIMING", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8(out.stderr).unwrap();
    err.lines()
        .filter(|l| l.starts_with("store:") || l.starts_with("timing: planned"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn report_runs_are_incremental() {
    let dir = tmp("incr");
    let data = dir.join("data");
    agentcensus::commands::generate::generate(&data, 25, 2, 5, true).unwrap();
    let store = dir.join("s.sqlite");
    let first = report(&store, &data);
    assert!(
        first.contains("store: 25 sessions; 0 of 25 units unchanged, 25 parsed"),
        "{first}"
    );
    let second = report(&store, &data);
    assert!(
        second.contains("store: 25 sessions; 25 of 25 units unchanged, 0 parsed"),
        "{second}"
    );

    let manifest = agentcensus::commands::generate::read_manifest(&data).unwrap();
    // A session that grew is parsed again.
    let grown = data.join(&manifest[0].path);
    let mut text = std::fs::read_to_string(&grown).unwrap();
    text.push_str(&format!(
        "{{\"type\":\"user\",\"sessionId\":\"{}\",\"uuid\":\"0b9d3c52-77a1-4c1e-9a43-5f0e2d1c3b4a\",\"timestamp\":\"2026-04-30T23:00:00.000Z\",\"message\":{{\"role\":\"user\",\"content\":\"one more thing: update the changelog\"}}}}\n",
        manifest[0].session_id
    ));
    std::fs::write(&grown, text).unwrap();
    // A deleted session stays.
    std::fs::remove_file(data.join(&manifest[1].path)).unwrap();
    let third = report(&store, &data);
    assert!(
        third.contains(
            "store: 25 sessions; 23 of 24 units unchanged, 1 parsed, 1 kept from deleted files"
        ),
        "{third}"
    );
    let fourth = report(&store, &data);
    assert!(
        fourth.contains(
            "store: 25 sessions; 24 of 24 units unchanged, 0 parsed, 1 kept from deleted files"
        ),
        "{fourth}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
