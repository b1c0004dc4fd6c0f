//! Claude Code ingest over the hand-written fixtures in
//! tests/fixtures/claude_code/ (invented content in Claude Code's shape).

mod common;
use common::files_under;

use agentcensus::diag::Diagnostics;
use agentcensus::ingest::{self, claude_code::ClaudeCode, Format};
use agentcensus::session::{Session, Surface, SystemKind, ToolKind, Turn};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/claude_code")
}

/// Plans units over one fixture folder and parses them, as the pipeline does.
fn load(sub: &str) -> (Vec<Session>, Vec<String>) {
    let diag = Diagnostics::new(true);
    let files: Vec<(PathBuf, usize)> = files_under(&fixtures().join(sub))
        .into_iter()
        .map(|p| (p, 0))
        .collect();
    let (units, _unknown) = ingest::plan_units(&files, &diag);
    let mut sessions = Vec::new();
    for u in &units {
        assert_eq!(u.format, "claude-code");
        sessions.extend(ingest::parse_unit(u, &diag));
    }
    sessions.sort_by(|a, b| a.id.cmp(&b.id));
    let warnings = diag.take().into_iter().map(|w| w.to_string()).collect();
    (sessions, warnings)
}

fn prompts(s: &Session) -> Vec<&str> {
    s.human_prompts().collect()
}

fn systems(s: &Session, kind: SystemKind) -> usize {
    s.turns
        .iter()
        .filter(|t| matches!(t, Turn::System { kind: k, .. } if *k == kind))
        .count()
}

fn tool_results(s: &Session) -> Vec<(&str, bool, Option<i32>)> {
    s.turns
        .iter()
        .filter_map(|t| match t {
            Turn::ToolResult {
                id,
                is_error,
                exit_code,
                ..
            } => Some((id.as_str(), *is_error, *exit_code)),
            _ => None,
        })
        .collect()
}

#[test]
fn full_session_prompts_tools_and_events() {
    let (ss, warnings) = load("full");
    assert_eq!(ss.len(), 1);
    let s = &ss[0];
    assert_eq!(s.id, "5d1c0a7e-3b2f-4c11-9e80-2f6a1b7c9d01");
    assert_eq!(
        prompts(s),
        vec![
            "the rate limiter test fails on CI, can you fix it?",
            "it only fails when the window is zero",
            "great, now also add a test for a zero window",
            "and commit when done",
            "/init",
            "push it please",
        ]
    );
    let queued = s
        .turns
        .iter()
        .filter(|t| matches!(t, Turn::Human { queued: true, .. }))
        .count();
    assert_eq!(queued, 2);

    // Tool calls, one per tool_use block, with normalized kinds.
    let kinds: Vec<ToolKind> = s
        .tool_calls()
        .map(|t| match t {
            Turn::ToolCall { kind, .. } => *kind,
            _ => unreachable!(),
        })
        .collect();
    use ToolKind::*;
    assert_eq!(
        kinds,
        vec![Read, Shell, Edit, Edit, Shell, Write, Shell, Other, Shell]
    );
    let results = tool_results(s);
    assert_eq!(results.len(), 9);
    assert_eq!(results.iter().filter(|r| r.1).count(), 3);
    assert_eq!(results[1], ("toolu_02", true, Some(101)));
    assert_eq!(results[4], ("toolu_05", false, Some(0)));
    assert_eq!(results[8], ("toolu_09", true, Some(1)));
    assert_eq!(results[0].2, None, "a read has no exit code");

    // Agent text blocks only (thinking is not a turn).
    let agent = s
        .turns
        .iter()
        .filter(|t| matches!(t, Turn::Agent { .. }))
        .count();
    assert_eq!(agent, 4);

    // Model calls: one per message id; usage of split lines counted once;
    // the synthetic API error message is not a model call.
    assert_eq!(s.model_calls.len(), 10);
    let out: u64 = s.model_calls.iter().map(|c| c.output_tokens).sum();
    assert_eq!(out, 95 + 9 * 180);
    assert_eq!(s.models, vec!["claude-sonnet-4-6".to_string()]);

    assert_eq!(systems(s, SystemKind::Interruption), 1);
    // The compact_boundary and the summary after it are one compaction.
    assert_eq!(systems(s, SystemKind::Compaction), 1);
    assert!(s.turns.iter().any(|t| matches!(t,
        Turn::System { kind: SystemKind::Compaction, text, .. }
            if text.starts_with("This session is being continued"))));
    assert_eq!(systems(s, SystemKind::ApiError), 2);
    assert_eq!(systems(s, SystemKind::LocalCommand), 2);
    assert_eq!(systems(s, SystemKind::InjectedContext), 3);
    assert_eq!(systems(s, SystemKind::Rejection), 1);
    assert!(s.turns.iter().any(|t| matches!(t,
        Turn::System { kind: SystemKind::Rejection, text, .. }
            if text == "guard against zero in the constructor instead")));

    assert_eq!(s.other_records, 1, "the unknown record type is counted");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("5d1c0a7e-3b2f-4c11-9e80-2f6a1b7c9d01.jsonl:21: invalid JSON"),
        "{warnings:?}"
    );

    assert_eq!(s.surface, Surface::Cli);
    assert_eq!(s.entrypoint.as_deref(), Some("cli"));
    assert_eq!(s.agent_version.as_deref(), Some("2.1.42"));
    assert_eq!(s.project.as_deref(), Some("tidepool"));
    assert_eq!(s.git_branch.as_deref(), Some("main"));
    assert_eq!(s.title.as_deref(), Some("limiter zero window"));
    assert_eq!(
        s.pr_links,
        vec!["https://github.com/example/tidepool/pull/7".to_string()]
    );
    assert!(s.start.is_some() && s.end > s.start);
    assert!(s.subagents.is_empty());
    assert!(s.interactive());
}

#[test]
fn resumed_records_count_once() {
    let (ss, warnings) = load("resumed");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(ss.len(), 1);
    let s = &ss[0];
    assert_eq!(
        prompts(s),
        vec![
            "list the largest files in this repo",
            "can you add it to .gitattributes for LFS?"
        ]
    );
    assert_eq!(s.tool_calls().count(), 2);
    assert_eq!(tool_results(s).len(), 2);
    assert_eq!(s.model_calls.len(), 3);
    assert_eq!(s.title.as_deref(), Some("Largest files in repo"));
    assert_eq!(s.surface, Surface::Unknown, "no entrypoint recorded");
}

#[test]
fn inline_sidechain_becomes_a_subagent() {
    let (ss, _) = load("inline");
    assert_eq!(ss.len(), 1);
    let s = &ss[0];
    assert_eq!(
        prompts(s),
        vec!["find where we parse the config file and explain the precedence rules"]
    );
    assert_eq!(s.tool_calls().count(), 1);
    assert_eq!(s.model_calls.len(), 2);
    assert_eq!(s.subagents.len(), 1);
    let a = &s.subagents[0];
    assert_eq!(a.parent_id.as_deref(), Some(s.id.as_str()));
    assert_eq!(a.tool_calls().count(), 1);
    assert_eq!(a.model_calls.len(), 2);
    assert_eq!(a.git_branch.as_deref(), Some("feature/search"));
}

#[test]
fn flat_agent_file_joins_its_parent() {
    let (ss, _) = load("flat");
    assert_eq!(ss.len(), 1, "one unit: main file + flat agent file");
    let s = &ss[0];
    assert_eq!(s.id, "c4a81f27-93e5-4b0c-8d6f-1e2a3b4c5d34");
    assert_eq!(prompts(s).len(), 1);
    assert_eq!(s.tool_calls().count(), 1);
    assert_eq!(s.subagents.len(), 1);
    let a = &s.subagents[0];
    assert_eq!(a.id, "agent-7f3e2a1");
    assert_eq!(a.parent_id.as_deref(), Some(s.id.as_str()));
    assert_eq!(a.tool_calls().count(), 2);
    assert_eq!(tool_results(a).iter().filter(|r| r.1).count(), 1);
    assert_eq!(a.models, vec!["claude-haiku-4-5-20251001".to_string()]);
}

#[test]
fn subagents_folder_joins_its_parent() {
    let (ss, _) = load("nested");
    assert_eq!(ss.len(), 1);
    let s = &ss[0];
    assert_eq!(s.id, "e9d3c2b1-47a6-4f58-9b0e-3d4c5b6a7f45");
    assert_eq!(prompts(s).len(), 1);
    assert_eq!(s.subagents.len(), 1);
    let a = &s.subagents[0];
    assert_eq!(a.id, "agent-a5b6c7d8e9f0a1b2c");
    assert_eq!(a.parent_id.as_deref(), Some(s.id.as_str()));
    assert_eq!(tool_results(a), vec![("toolu_5s1", false, Some(0))]);
}

#[test]
fn orphan_subagent_is_kept_as_its_own_session() {
    let (ss, _) = load("orphan");
    assert_eq!(ss.len(), 1);
    let a = &ss[0];
    assert_eq!(a.id, "agent-a0f1e2d3c4b5a6978");
    assert_eq!(
        a.parent_id.as_deref(),
        Some("f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e56")
    );
    assert_eq!(a.tool_calls().count(), 1);
    assert_eq!(a.model_calls.len(), 2);
}

#[test]
fn empty_file_and_invalid_utf8() {
    let (ss, warnings) = load("edge");
    assert_eq!(ss.len(), 1, "the empty file yields no session");
    let s = &ss[0];
    assert_eq!(prompts(s), vec!["rename the draft caf\u{FFFD} notes file"]);
    assert_eq!(s.model_calls.len(), 1);
    assert!(
        warnings.iter().any(|w| w.contains("empty file")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("7a7b7c7d-2222-4333-8444-555566667777.jsonl:1: invalid UTF-8")),
        "{warnings:?}"
    );
}

#[test]
fn sniff_decides_from_content() {
    let f = ClaudeCode;
    let p = Path::new("x.jsonl");
    let claude = br#"{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":"hi"},"uuid":"u1","sessionId":"s1"}
"#;
    assert!(f.sniff(p, claude));
    assert!(f.sniff(
        p,
        b"{\"type\":\"summary\",\"summary\":\"Notes\",\"leafUuid\":\"u9\"}\n"
    ));
    let codex = br#"{"timestamp":"2025-09-01T10:00:00.000Z","type":"session_meta","payload":{"id":"abc","cwd":"/tmp"}}
"#;
    assert!(!f.sniff(p, codex));
    let normalized = br#"{"schema":1,"id":"s1","agent":"claude-code","turns":[]}
"#;
    assert!(!f.sniff(p, normalized));
    assert!(!f.sniff(p, b"{\"role\":\"user\",\"content\":\"plain chat log\"}\n"));
    // A first line longer than the sniffed head is judged from its bytes.
    let mut long = br#"{"parentUuid":null,"isSidechain":false,"sessionId":"s1","type":"user","message":{"role":"user","content":""#.to_vec();
    long.extend(std::iter::repeat_n(b'x', 1000));
    assert!(f.sniff(p, &long));
    // 2.1.x writes sessionId after the message: a huge first prompt hides it.
    let mut long = br#"{"parentUuid":null,"isSidechain":false,"promptId":"p1","type":"user","message":{"role":"user","content":""#.to_vec();
    long.extend(std::iter::repeat_n(b'x', 1000));
    assert!(f.sniff(p, &long));
    let mut long = br#"{"type":"file-history-snapshot","messageId":"m1","snapshot":{"trackedFileBackups":{"a":""#.to_vec();
    long.extend(std::iter::repeat_n(b'x', 1000));
    assert!(f.sniff(p, &long));
    let mut long =
        br#"{"timestamp":"2025-09-01T10:00:00.000Z","type":"response_item","payload":{"content":""#
            .to_vec();
    long.extend(std::iter::repeat_n(b'x', 1000));
    assert!(!f.sniff(p, &long));
}

#[test]
fn unit_keys_group_subagents_with_their_parent() {
    let f = ClaudeCode;
    let head = br#"{"parentUuid":null,"isSidechain":true,"agentId":"7f3e2a1","sessionId":"c4a81f27-93e5-4b0c-8d6f-1e2a3b4c5d34","type":"user"}
"#;
    assert_eq!(
        f.unit_key(Path::new("p/agent-7f3e2a1.jsonl"), head),
        "c4a81f27-93e5-4b0c-8d6f-1e2a3b4c5d34"
    );
    assert_eq!(
        f.unit_key(Path::new("p/e9d3/subagents/agent-a5.jsonl"), b""),
        "e9d3"
    );
    assert_eq!(f.unit_key(Path::new("p/e9d3.jsonl"), b""), "e9d3");
}

#[test]
fn shipped_claude_examples_parse_as_realistic_sessions() {
    let dir = std::env::temp_dir().join(format!("agentcensus-cc-examples-{}", std::process::id()));
    let mut n_files = 0;
    for (rel, content) in agentcensus::examples::EXAMPLES {
        if !rel.starts_with("claude-code/") {
            continue;
        }
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        n_files += 1;
    }
    assert!(n_files >= 6, "{n_files} example files");
    let diag = Diagnostics::new(true);
    let files: Vec<(PathBuf, usize)> = files_under(&dir).into_iter().map(|p| (p, 0)).collect();
    let (units, unknown) = ingest::plan_units(&files, &diag);
    assert!(unknown.is_empty(), "{unknown:?}");
    let mut sessions = Vec::new();
    for u in &units {
        assert_eq!(u.format, "claude-code");
        sessions.extend(ingest::parse_unit(u, &diag));
    }
    let _ = std::fs::remove_dir_all(&dir);
    let warnings = diag.take();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!((6..=10).contains(&sessions.len()), "{}", sessions.len());
    let mut months = std::collections::BTreeSet::new();
    for s in &sessions {
        assert!(s.parent_id.is_none(), "{} has no parent file", s.id);
        assert!(s.interactive(), "{}", s.id);
        assert_eq!(s.surface, Surface::Cli);
        assert!(s.tool_calls().count() >= 1, "{}", s.id);
        // Every tool call has its result.
        let results = tool_results(s).len();
        assert_eq!(results, s.tool_calls().count(), "{}", s.id);
        months.insert(agentcensus::time::month(s.start.unwrap()));
    }
    assert_eq!(months.len(), 3, "{months:?}");
    assert_eq!(
        sessions.iter().map(|s| s.subagents.len()).sum::<usize>(),
        1,
        "one example delegates to a sub-agent"
    );
}

#[test]
fn origin_kind_hooks_and_ide_wrappers() {
    let (ss, warnings) = load("origin");
    assert!(warnings.is_empty(), "{warnings:?}");
    let s = &ss[0];
    assert_eq!(
        prompts(s),
        vec![
            "why does the importer skip empty rows?",
            "make that a warning instead",
            "also add a test",
        ]
    );
    assert_eq!(systems(s, SystemKind::InjectedContext), 1, "peer message");
    assert_eq!(systems(s, SystemKind::Hook), 1);
    assert_eq!(s.surface, Surface::Ide);
    assert!(s.surface.is_interactive_surface() && !s.surface.in_study_scope());
}

/// Cutting a transcript anywhere (a crash mid-write, a partial copy) must never
/// panic, and every complete line before the cut is still read.
#[test]
fn truncated_transcripts_never_panic() {
    let src = fixtures().join("full/5d1c0a7e-3b2f-4c11-9e80-2f6a1b7c9d01.jsonl");
    let data = std::fs::read(&src).unwrap();
    let dir = std::env::temp_dir().join(format!("agentcensus-cc-trunc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("5d1c0a7e-3b2f-4c11-9e80-2f6a1b7c9d01.jsonl");
    let full_prompts = {
        let diag = Diagnostics::new(true);
        let s = &ClaudeCode.parse(std::slice::from_ref(&src), &diag)[0];
        s.human_prompts().count()
    };
    let mut last = 0;
    for cut in (0..data.len()).step_by(97).chain([data.len()]) {
        std::fs::write(&path, &data[..cut]).unwrap();
        let diag = Diagnostics::new(true);
        let ss = ClaudeCode.parse(std::slice::from_ref(&path), &diag);
        let n = ss.first().map_or(0, |s| s.human_prompts().count());
        assert!(
            n >= last,
            "cut at {cut}: prompts never disappear as the cut moves on"
        );
        assert!(n <= full_prompts, "cut at {cut}: {n} prompts");
        last = n;
    }
    assert_eq!(last, full_prompts);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn session_continued_in_a_new_file_is_one_session() {
    let (ss, warnings) = load("continued");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        ss.len(),
        1,
        "{:?}",
        ss.iter().map(|s| &s.id).collect::<Vec<_>>()
    );
    let s = &ss[0];
    assert_eq!(
        s.id, "9f8e7d6c-5b4a-4392-8172-6a5b4c3d2e02",
        "the latest file names it"
    );
    assert_eq!(s.files.len(), 2);
    assert_eq!(
        prompts(s),
        vec![
            "set up a Makefile with build and test targets",
            "add a lint target using golangci-lint"
        ]
    );
    assert_eq!(s.tool_calls().count(), 3);
    assert_eq!(s.model_calls.len(), 4);
    assert_eq!(s.subagents.len(), 1);
    assert_eq!(s.subagents[0].parent_id.as_deref(), Some(s.id.as_str()));
}
