//! The store through `pipeline::collect_records`: incremental runs, grown and
//! touched files, deleted transcripts, another backend, filters, and equality
//! with the in-memory path. Inputs are normalized session JSONL files written
//! here (no dependency on any agent's parser).

use agentcensus::classify::{Backend, Input, Labels};
use agentcensus::cli::{Cli, Global};
use agentcensus::diag::Diagnostics;
use agentcensus::discover::Request;
use agentcensus::pipeline::{self, Filter};
use agentcensus::record::SessionRecord;
use agentcensus::session::{Agent, Session, ToolKind, Turn};
use agentcensus::store::{incremental, Store};
use clap::Parser;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ac-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn session(id: &str, day: u32, prompts: u32, actions: u32) -> Session {
    let mut s = Session::new(id, Agent::ClaudeCode);
    let t0 = agentcensus::time::parse_rfc3339(&format!(
        "2026-0{}-{:02}T10:00:00Z",
        1 + day % 4,
        1 + day % 27
    ))
    .unwrap();
    s.set_cwd("/home/someone/code/tally");
    for p in 0..prompts {
        s.turns.push(Turn::Human {
            text: format!("please do step {p}"),
            ts: Some(t0 + p as i64 * 60_000),
            queued: false,
        });
        for a in 0..actions {
            s.turns.push(Turn::ToolCall {
                id: format!("t{p}-{a}"),
                name: "Read".into(),
                kind: ToolKind::Read,
                input: serde_json::json!({"file_path": "src/lib.rs"}),
                ts: Some(t0 + p as i64 * 60_000 + a as i64 * 1000),
            });
            s.turns.push(Turn::ToolResult {
                id: format!("t{p}-{a}"),
                is_error: false,
                exit_code: None,
                output: "fn main() {}".into(),
                ts: None,
            });
        }
    }
    s.note_ts(Some(t0));
    s.note_ts(Some(t0 + prompts as i64 * 60_000));
    s
}

fn write_jsonl(path: &Path, sessions: &[Session]) {
    let mut s = String::new();
    for x in sessions {
        s.push_str(&serde_json::to_string(x).unwrap());
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

fn global(store: &Path) -> Global {
    Cli::parse_from([
        "agentcensus",
        "--quiet",
        "--store",
        store.to_str().unwrap(),
        "sessions",
    ])
    .global
}

struct Named(&'static str);
impl Backend for Named {
    fn name(&self) -> &str {
        self.0
    }
    fn classify(&self, _input: &Input) -> anyhow::Result<Labels> {
        Ok(Labels {
            backend: self.0.into(),
            rubric_version: "test".into(),
            ..Default::default()
        })
    }
}

fn run(
    store: &Store,
    root: &Path,
    backend: &dyn Backend,
    filter: &Filter,
) -> (Vec<SessionRecord>, incremental::Stats) {
    let diag = Diagnostics::new(true);
    let paths = vec![root.to_path_buf()];
    let plan = pipeline::plan(
        &Request {
            paths: &paths,
            users: &[],
            users_by_folder: false,
        },
        &diag,
    );
    incremental::collect(store, &plan, backend, filter, &diag, true).unwrap()
}

fn ids(rs: &[SessionRecord]) -> Vec<String> {
    let mut v: Vec<String> = rs.iter().map(|r| r.session_id.clone()).collect();
    v.sort();
    v
}

#[test]
fn second_run_parses_nothing_and_changes_are_picked_up() {
    let dir = tmp("incr");
    let root = dir.join("alice");
    std::fs::create_dir_all(&root).unwrap();
    for i in 0..6 {
        write_jsonl(
            &root.join(format!("s{i}.jsonl")),
            &[session(&format!("s{i}"), i, 1 + i % 3, 2 + i)],
        );
    }
    let store = Store::open(&dir.join("store.sqlite")).unwrap();
    let b = Named("builtin-test");
    let (r1, st1) = run(&store, &root, &b, &Filter::default());
    assert_eq!((st1.units, st1.parsed, st1.unchanged), (6, 6, 0));
    assert_eq!(r1.len(), 6);

    // Unchanged corpus: nothing parsed, the same records.
    let (r2, st2) = run(&store, &root, &b, &Filter::default());
    assert_eq!((st2.parsed, st2.unchanged), (0, 6));
    assert_eq!(r2, r1);

    // A file that grew is read again, its records replaced (not duplicated).
    write_jsonl(
        &root.join("s1.jsonl"),
        &[session("s1", 1, 3, 3), session("s1b", 1, 1, 1)],
    );
    let (r3, st3) = run(&store, &root, &b, &Filter::default());
    assert_eq!((st3.parsed, st3.unchanged), (1, 5));
    assert_eq!(r3.len(), 7);
    let s1_old = r1.iter().find(|r| r.session_id == "s1").unwrap();
    let s1 = r3.iter().find(|r| r.session_id == "s1").unwrap();
    assert_eq!(s1_old.end.as_deref(), Some("2026-02-02T10:02:00Z"));
    assert_eq!(
        s1.end.as_deref(),
        Some("2026-02-02T10:03:00Z"),
        "the new content was read"
    );
    assert_eq!(store.counts().unwrap().0, 7);

    // A new mtime with the same content: not parsed.
    let f = std::fs::File::options()
        .append(true)
        .open(root.join("s2.jsonl"))
        .unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(f);
    let (r4, st4) = run(&store, &root, &b, &Filter::default());
    assert_eq!((st4.parsed, st4.touched), (0, 1));
    assert_eq!(ids(&r4), ids(&r3));
    let (_, st4b) = run(&store, &root, &b, &Filter::default());
    assert_eq!(
        (st4b.parsed, st4b.touched),
        (0, 0),
        "the new mtime was recorded"
    );

    // Planning knows unchanged files without reading them, and only those.
    {
        let diag = Diagnostics::new(true);
        let paths = vec![root.clone()];
        let d = agentcensus::discover::discover(
            &Request {
                paths: &paths,
                users: &[],
                users_by_folder: false,
            },
            &diag,
        );
        let cache = incremental::PlanCache::from_store(&store, &d).unwrap();
        let f0 = root.join("s0.jsonl");
        let k = cache.known(&f0, 0).expect("known");
        assert_eq!(k.0, "agentcensus-session");
        assert_eq!(k.2, std::fs::metadata(&f0).unwrap().len());
        write_jsonl(&f0, &[session("s0", 0, 2, 2)]);
        assert!(
            cache.known(&f0, 0).is_none(),
            "a changed file is sniffed again"
        );
        let (_, st) = run(&store, &root, &b, &Filter::default());
        assert_eq!(st.parsed, 1);
    }

    // A deleted transcript keeps its records in the report.
    std::fs::remove_file(root.join("s3.jsonl")).unwrap();
    let (r5, st5) = run(&store, &root, &b, &Filter::default());
    assert_eq!((st5.units, st5.parsed, st5.from_deleted), (5, 0, 1));
    assert_eq!(ids(&r5), ids(&r3));
    let s3 = r5.iter().find(|r| r.session_id == "s3").unwrap();
    assert_eq!(s3, r3.iter().find(|r| r.session_id == "s3").unwrap());

    // ... but not in a report over another root.
    let other = dir.join("bob");
    std::fs::create_dir_all(&other).unwrap();
    write_jsonl(&other.join("b0.jsonl"), &[session("b0", 2, 1, 1)]);
    let (r6, _) = run(&store, &other, &b, &Filter::default());
    assert_eq!(ids(&r6), vec!["b0".to_string()]);

    // Filters apply to stored records as they do to parsed sessions.
    let f = Filter {
        since: Some("2026-02".into()),
        until: Some("2026-03".into()),
        ..Default::default()
    };
    let (r7, st7) = run(&store, &root, &b, &f);
    assert_eq!(st7.parsed, 0);
    assert!(!r7.is_empty() && r7.len() < r5.len());
    assert!(r7
        .iter()
        .all(|r| r.month.as_deref() == Some("2026-02") || r.month.as_deref() == Some("2026-03")));

    // Another backend reclassifies (re-parses) every unit still present;
    // the deleted one keeps the labels it had.
    let (r8, st8) = run(&store, &root, &Named("other-backend"), &Filter::default());
    assert_eq!((st8.parsed, st8.from_deleted), (5, 1));
    assert_eq!(r8.len(), 7);
    for r in &r8 {
        let want = if r.session_id == "s3" {
            "builtin-test"
        } else {
            "other-backend"
        };
        assert_eq!(r.backend, want, "{}", r.session_id);
    }
    let (_, st9) = run(&store, &root, &Named("other-backend"), &Filter::default());
    assert_eq!(st9.parsed, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn collect_records_with_a_store_equals_the_in_memory_path() {
    let dir = tmp("equal");
    let root = dir.join("carol");
    std::fs::create_dir_all(&root).unwrap();
    for i in 0..5 {
        write_jsonl(
            &root.join(format!("c{i}.jsonl")),
            &[session(&format!("c{i}"), i * 7, 1 + i, i)],
        );
    }
    let diag = Diagnostics::new(true);
    let paths = vec![root.clone()];
    let plan = pipeline::plan(
        &Request {
            paths: &paths,
            users: &[],
            users_by_folder: false,
        },
        &diag,
    );
    let backend = agentcensus::classify::builtin::Builtin;
    let f = Filter::default();
    let mut g = global(&dir.join("s.sqlite"));
    let cold = pipeline::collect_records(&plan, &backend, &f, &diag, &g).unwrap();
    let warm = pipeline::collect_records(&plan, &backend, &f, &diag, &g).unwrap();
    g.no_store = true;
    let mem = pipeline::collect_records(&plan, &backend, &f, &diag, &g).unwrap();
    assert_eq!(ids(&cold), ids(&mem));
    let sort = |mut v: Vec<SessionRecord>| {
        v.sort_by(|a, b| a.session_id.cmp(&b.session_id));
        v
    };
    assert_eq!(sort(cold.clone()), sort(mem.clone()));
    assert_eq!(sort(warm), sort(cold.clone()));
    // Without reasons: the same records, reasons left out (store and memory).
    let lean_mem =
        pipeline::collect_records_without_reasons(&plan, &backend, &f, &diag, &g).unwrap();
    g.no_store = false;
    let lean = pipeline::collect_records_without_reasons(&plan, &backend, &f, &diag, &g).unwrap();
    let strip = |v: Vec<SessionRecord>| {
        sort(v)
            .into_iter()
            .map(|mut r| {
                r.reasons_json = String::new();
                r
            })
            .collect::<Vec<_>>()
    };
    assert!(cold.iter().all(|r| !r.reasons_json.is_empty()));
    assert_eq!(sort(lean), strip(cold.clone()));
    assert_eq!(sort(lean_mem), strip(cold));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_reported_by_person_does_not_count_sessions_twice() {
    let dir = tmp("split");
    let team = dir.join("team");
    for (p, n) in [("ann", 2), ("ben", 3)] {
        std::fs::create_dir_all(team.join(p)).unwrap();
        for i in 0..n {
            write_jsonl(
                &team.join(p).join(format!("{p}{i}.jsonl")),
                &[session(&format!("{p}{i}"), i, 1, 1)],
            );
        }
    }
    let store = Store::open(&dir.join("store.sqlite")).unwrap();
    let b = Named("builtin-test");
    let (all, _) = run(&store, &team, &b, &Filter::default());
    assert_eq!(all.len(), 5);
    // The same files, now with one root per person.
    let diag = Diagnostics::new(true);
    let paths = vec![team.clone()];
    let plan = pipeline::plan(
        &Request {
            paths: &paths,
            users: &[],
            users_by_folder: true,
        },
        &diag,
    );
    let (split, st) =
        incremental::collect(&store, &plan, &b, &Filter::default(), &diag, true).unwrap();
    assert_eq!(split.len(), 5, "{st:?}");
    assert_eq!(st.pruned, 5, "{st:?}");
    let users: std::collections::BTreeSet<_> = split.iter().map(|r| r.user.clone()).collect();
    assert_eq!(users.len(), 2);
    assert_eq!(store.counts().unwrap().0, 5);
    let _ = std::fs::remove_dir_all(&dir);
}
