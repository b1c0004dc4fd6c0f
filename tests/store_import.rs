//! `agentcensus import` and `agentcensus sessions --normalized`: a Session
//! written as normalized JSONL and imported gives the same record as the
//! direct path (ingest skipped), and `sessions --normalized` writes sessions
//! that read back equal.

mod common;

use agentcensus::classify::{Backend, Input};
use agentcensus::measure;
use agentcensus::privacy::pseudonym::pseudonym;
use agentcensus::record::SessionRecord;
use agentcensus::session::{Agent, Session, SystemKind, ToolKind, Turn};
use agentcensus::store::Store;
use std::path::PathBuf;
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ac-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn sessions() -> Vec<Session> {
    let t = agentcensus::time::parse_rfc3339("2026-02-11T09:30:00Z").unwrap();
    let mut out = Vec::new();
    for i in 0..4i64 {
        let mut s = Session::new(format!("imp-{i}"), Agent::Codex);
        s.agent_version = Some("0.61.0".into());
        s.set_cwd("/srv/ledger-api");
        s.git_branch = Some("main".into());
        s.note_model("gpt-5-codex");
        s.turns.push(Turn::Human {
            text: "the import test fails on empty files, fix it".into(),
            ts: Some(t + i * 86_400_000),
            queued: false,
        });
        s.turns.push(Turn::ToolCall {
            id: "c1".into(),
            name: "shell".into(),
            kind: ToolKind::Shell,
            input: serde_json::json!({"command": ["bash", "-lc", "pytest -q"]}),
            ts: Some(t + i * 86_400_000 + 5_000),
        });
        s.turns.push(Turn::ToolResult {
            id: "c1".into(),
            is_error: i % 2 == 1,
            exit_code: Some((i % 2) as i32),
            output: if i % 2 == 1 {
                "1 failed, 9 passed in 0.4s"
            } else {
                "10 passed in 0.3s"
            }
            .into(),
            ts: Some(t + i * 86_400_000 + 9_000),
        });
        s.turns.push(Turn::ToolCall {
            id: "c2".into(),
            name: "apply_patch".into(),
            kind: ToolKind::Edit,
            input: serde_json::json!({"input": "*** Begin Patch\n*** Update File: app/io.py\n@@\n-    return None\n+    return []\n*** End Patch"}),
            ts: Some(t + i * 86_400_000 + 20_000),
        });
        s.turns.push(Turn::System {
            kind: SystemKind::Interruption,
            text: String::new(),
            ts: None,
        });
        s.turns.push(Turn::Agent {
            text: "Empty files now return an empty list.".into(),
            ts: Some(t + i * 86_400_000 + 30_000),
        });
        s.note_ts(Some(t + i * 86_400_000));
        s.note_ts(Some(t + i * 86_400_000 + 30_000));
        out.push(s);
    }
    out
}

fn direct(s: &Session, user: &str) -> SessionRecord {
    let m = measure::measure(s);
    let labels = agentcensus::classify::builtin::Builtin
        .classify(&Input {
            session: s,
            measured: &m,
        })
        .unwrap();
    SessionRecord::build(s, &m, &labels, &pseudonym(user))
}

fn write(path: &std::path::Path, ss: &[Session]) {
    let text: String = ss
        .iter()
        .map(|s| serde_json::to_string(s).unwrap() + "\n")
        .collect();
    std::fs::write(path, text).unwrap();
}

#[test]
fn imported_sessions_give_the_direct_records() {
    let dir = tmp("direct");
    let ss = sessions();
    let file = dir.join("sessions.jsonl");
    write(&file, &ss);
    let store = dir.join("s.sqlite");
    let out = Command::new(common::bin())
        .arg("--store")
        .arg(&store)
        .args(["import", "--user", "dana"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 4 sessions"));
    let mut got = Store::open(&store).unwrap().all_records().unwrap();
    got.sort_by(|a, b| a.session_id.cmp(&b.session_id));
    let want: Vec<SessionRecord> = ss.iter().map(|s| direct(s, "dana")).collect();
    assert_eq!(got, want);

    // Importing again changes nothing (no duplicates).
    let out = Command::new(common::bin())
        .arg("--store")
        .arg(&store)
        .args(["import", "--user", "dana"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 session units read, 1 unchanged"));
    assert_eq!(Store::open(&store).unwrap().counts().unwrap().0, 4);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sessions_normalized_round_trips() {
    let dir = tmp("normalized");
    let ss = sessions();
    let root = dir.join("erin");
    std::fs::create_dir_all(&root).unwrap();
    write(&root.join("a.jsonl"), &ss[..2]);
    write(&root.join("b.jsonl"), &ss[2..]);
    let out = Command::new(common::bin())
        .args(["--no-store", "sessions", "--normalized"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut back: Vec<Session> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    back.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(back.len(), ss.len());
    for (b, s) in back.iter().zip(&ss) {
        assert_eq!(b.user.as_deref(), Some("erin"));
        let mut b = b.clone();
        b.user = None;
        b.files.clear();
        assert_eq!(&b, s);
    }
    // And the normalized output imports to the records of the direct path.
    let file = dir.join("out.jsonl");
    write(&file, &back);
    let store = dir.join("s.sqlite");
    let st = Command::new(common::bin())
        .args(["--quiet", "--store"])
        .arg(&store)
        .arg("import")
        .arg(&file)
        .status()
        .unwrap();
    assert!(st.success());
    let mut got = Store::open(&store).unwrap().all_records().unwrap();
    got.sort_by(|a, b| a.session_id.cmp(&b.session_id));
    let want: Vec<SessionRecord> = ss.iter().map(|s| direct(s, "erin")).collect();
    assert_eq!(got, want);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Generated Claude Code sessions -> `sessions --normalized` -> `import`
/// give exactly the records `report` stores from the Claude Code files.
#[test]
fn claude_code_sessions_round_trip_through_normalized_jsonl() {
    let dir = tmp("cc");
    let data = dir.join("data");
    agentcensus::commands::generate::generate(&data, 30, 3, 11, true).unwrap();
    let norm = Command::new(common::bin())
        .args([
            "--no-store",
            "sessions",
            "--normalized",
            "--users-by-folder",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert!(norm.status.success());
    let file = dir.join("norm.jsonl");
    std::fs::write(&file, &norm.stdout).unwrap();
    assert_eq!(String::from_utf8_lossy(&norm.stdout).lines().count(), 30);
    let (a, b) = (dir.join("a.sqlite"), dir.join("b.sqlite"));
    let st = Command::new(common::bin())
        .args(["-q", "--store"])
        .arg(&a)
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    assert!(st.status.success());
    let st = Command::new(common::bin())
        .args(["-q", "--store"])
        .arg(&b)
        .args(["report", "--no-html", "--users-by-folder"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let read = |p: &std::path::Path| {
        let mut v = Store::open(p).unwrap().all_records().unwrap();
        v.sort_by(|x, y| x.session_id.cmp(&y.session_id));
        v
    };
    let (ra, rb) = (read(&a), read(&b));
    assert_eq!(rb.len(), 30);
    assert_eq!(ra, rb);
    let _ = std::fs::remove_dir_all(&dir);
}
