//! Crash safety of the store: the real binary is killed with SIGKILL in the
//! middle of a run (several times, at different points), then run again; the
//! store must pass SQLite's integrity check and hold every session exactly
//! once, with the right content, and keep every record committed before the
//! kill. Two runs on one store at the same time must both finish and leave
//! the same consistent store.

mod common;

use agentcensus::session::{Agent, Session, ToolKind, Turn};
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SESSIONS: usize = 1500;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ac-crash-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Session `i` ends `i` seconds after a fixed start: its record says which
/// content it was made from.
fn corpus(dir: &Path) -> BTreeMap<String, String> {
    let t0 = agentcensus::time::parse_rfc3339("2026-01-05T08:00:00Z").unwrap();
    let mut want = BTreeMap::new();
    for i in 0..SESSIONS {
        let id = format!("crash-{i:05}");
        let mut s = Session::new(&id, Agent::ClaudeCode);
        s.set_cwd("/src/tally");
        for k in 0..12 {
            s.turns.push(Turn::Human {
                text: format!("step {k} of the refactor"),
                ts: Some(t0),
                queued: false,
            });
            s.turns.push(Turn::ToolCall {
                id: format!("t{k}"),
                name: "Edit".into(),
                kind: ToolKind::Edit,
                input: serde_json::json!({"file_path": "src/a.rs", "old_string": "a", "new_string": "b\nc"}),
                ts: Some(t0),
            });
            s.turns.push(Turn::ToolResult {
                id: format!("t{k}"),
                is_error: false,
                exit_code: None,
                output: "updated".into(),
                ts: None,
            });
        }
        let end = t0 + (i as i64 + 1) * 1000;
        s.note_ts(Some(t0));
        s.note_ts(Some(end));
        want.insert(id.clone(), agentcensus::time::format_rfc3339(end));
        let sub = dir.join(format!("p{}", i % 20));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            sub.join(format!("{id}.jsonl")),
            serde_json::to_string(&s).unwrap() + "\n",
        )
        .unwrap();
    }
    want
}

fn import(store: &Path, data: &Path) -> Command {
    let mut c = Command::new(common::bin());
    c.args(["--quiet", "--store"])
        .arg(store)
        .args(["import", "--user", "crash-test"])
        .arg(data)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn stored(store: &Path) -> Vec<(String, String)> {
    let c = Connection::open(store).unwrap();
    c.busy_timeout(Duration::from_secs(30)).unwrap();
    let mut st = c
        .prepare("SELECT session_id, \"end\" FROM records")
        .unwrap();
    let v = st
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            ))
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    v
}

fn count(store: &Path) -> usize {
    if !store.exists() {
        return 0;
    }
    let Ok(c) = Connection::open(store) else {
        return 0;
    };
    let _ = c.busy_timeout(Duration::from_secs(5));
    c.query_row("SELECT COUNT(*) FROM records", [], |r| r.get::<_, i64>(0))
        .map(|n| n as usize)
        .unwrap_or(0)
}

fn check_consistent(store: &Path, want: &BTreeMap<String, String>) {
    let c = Connection::open(store).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let rows = stored(store);
    let ids: BTreeSet<&String> = rows.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), rows.len(), "duplicate records");
    for (id, end) in &rows {
        assert_eq!(
            want.get(id),
            Some(end),
            "record {id} does not match its file"
        );
    }
    // Every file row belongs to a unit, every record to a unit.
    let orphans: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM records WHERE unit_id NOT IN (SELECT id FROM units)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
}

#[test]
fn killed_runs_lose_nothing_and_duplicate_nothing() {
    let dir = tmp("kill");
    let data = dir.join("data");
    let want = corpus(&data);
    let store = dir.join("store.sqlite");
    let mut kills = 0;
    let mut before_kill: BTreeSet<String> = BTreeSet::new();
    // Kill at growing amounts of progress: as soon as the first batch is
    // committed, then after later ones.
    for target in [1usize, SESSIONS / 3, 2 * SESSIONS / 3] {
        let start = count(&store);
        if start >= SESSIONS {
            break;
        }
        let mut child = import(&store, &data).spawn().unwrap();
        let t = Instant::now();
        let mut finished = false;
        loop {
            if let Some(_st) = child.try_wait().unwrap() {
                finished = true;
                break;
            }
            if count(&store) >= target.max(start + 1) || t.elapsed() > Duration::from_secs(120) {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if !finished {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            kills += 1;
        }
        check_consistent(&store, &want);
        // Everything committed so far must survive the next run.
        before_kill.extend(stored(&store).into_iter().map(|(id, _)| id));
    }
    eprintln!(
        "killed {kills} runs; {} records committed before the last kill",
        before_kill.len()
    );
    assert!(
        kills >= 1,
        "the run finished before it could be killed; raise SESSIONS"
    );
    assert!(!before_kill.is_empty());
    let out = import(&store, &data).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_consistent(&store, &want);
    let ids: BTreeSet<String> = stored(&store).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), SESSIONS);
    assert!(before_kill.is_subset(&ids));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_runs_on_one_store_both_finish_consistently() {
    let dir = tmp("two");
    let data = dir.join("data");
    let want = corpus(&data);
    let store = dir.join("store.sqlite");
    let a = import(&store, &data).spawn().unwrap();
    let b = import(&store, &data).spawn().unwrap();
    let (oa, ob) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(
        oa.status.success(),
        "{}",
        String::from_utf8_lossy(&oa.stderr)
    );
    assert!(
        ob.status.success(),
        "{}",
        String::from_utf8_lossy(&ob.stderr)
    );
    check_consistent(&store, &want);
    assert_eq!(stored(&store).len(), SESSIONS);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same with generated Claude Code sessions and the `report` command:
/// after kills and a final run, the store holds exactly the records of an
/// uninterrupted run.
#[test]
fn killed_reports_end_with_the_records_of_an_uninterrupted_run() {
    let dir = tmp("report");
    let data = dir.join("data");
    agentcensus::commands::generate::generate(&data, 400, 4, 77, true).unwrap();
    let report = |store: &Path| {
        let mut c = Command::new(common::bin());
        c.args(["--quiet", "--store"])
            .arg(store)
            .args(["report", "--no-html", "--users-by-folder"])
            .arg(&data)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        c
    };
    let reference = dir.join("reference.sqlite");
    let out = report(&reference).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = {
        let mut v = agentcensus::store::Store::open(&reference)
            .unwrap()
            .all_records()
            .unwrap();
        v.sort_by(|a, b| a.session_id.cmp(&b.session_id));
        v
    };
    assert_eq!(want.len(), 400);

    let store = dir.join("store.sqlite");
    let mut kills = 0;
    for target in [1usize, 150, 300] {
        let start = count(&store);
        let mut child = report(&store).spawn().unwrap();
        let t = Instant::now();
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if count(&store) >= target.max(start + 1) || t.elapsed() > Duration::from_secs(120) {
                child.kill().unwrap();
                kills += 1;
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        child.wait().unwrap();
        let c = Connection::open(&store).unwrap();
        let ok: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }
    eprintln!("killed {kills} report runs");
    assert!(kills >= 1);
    let out = report(&store).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got = agentcensus::store::Store::open(&store)
        .unwrap()
        .all_records()
        .unwrap();
    got.sort_by(|a, b| a.session_id.cmp(&b.session_id));
    assert_eq!(got.len(), want.len(), "no duplicate or lost records");
    assert_eq!(got, want);
    let _ = std::fs::remove_dir_all(&dir);
}
