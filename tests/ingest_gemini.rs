//! Gemini CLI chat ingest on hand-written fixtures (tests/fixtures/gemini/),
//! and on the shared corpus when present.

mod common;

use agentcensus::diag::Diagnostics;
use agentcensus::ingest::{self, gemini::Gemini, Format, SNIFF_BYTES};
use agentcensus::session::{SystemKind, ToolKind, Turn};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gemini/garden-planner/chats")
        .join(name)
}

#[test]
fn chat_session_turns_tools_and_tokens() {
    let f = fixture("session-2026-02-10T09-12-4c1d2e3f.json");
    let head = ingest::jsonl::head(&f, SNIFF_BYTES).unwrap();
    assert!(Gemini.sniff(&f, &head));
    assert_eq!(
        Gemini.unit_key(&f, &head),
        "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
    );
    let diag = Diagnostics::new(true);
    let s = Gemini.parse(&[f], &diag);
    assert_eq!(diag.count(), 0);
    assert_eq!(s.len(), 1);
    let s = &s[0];
    assert_eq!(s.id, "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
    assert_eq!(s.project.as_deref(), Some("garden-planner"));
    assert_eq!(
        s.title.as_deref(),
        Some("Add frost dates to the sowing calendar")
    );
    assert_eq!(
        s.human_prompts().collect::<Vec<_>>(),
        vec![
            "the sowing calendar ignores frost dates; add a last-frost field per region and use it",
            "don't overwrite calendar.py, edit the sow_after function only",
            "try again"
        ]
    );
    let kinds: Vec<ToolKind> = s
        .turns
        .iter()
        .filter_map(|t| match t {
            Turn::ToolCall { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ToolKind::Read,
            ToolKind::Edit,
            ToolKind::Shell,
            ToolKind::Write,
            ToolKind::Shell
        ]
    );
    let results: Vec<(bool, Option<i32>)> = s
        .turns
        .iter()
        .filter_map(|t| match t {
            Turn::ToolResult {
                is_error,
                exit_code,
                ..
            } => Some((*is_error, *exit_code)),
            _ => None,
        })
        .collect();
    assert_eq!(
        results,
        vec![
            (false, None),
            (false, None),
            (true, Some(1)), // status success, but the command exited 1
            (true, None),    // cancelled by the user
            (false, Some(0)),
        ]
    );
    let systems: Vec<SystemKind> = s
        .turns
        .iter()
        .filter_map(|t| match t {
            Turn::System { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect();
    assert_eq!(
        systems,
        vec![SystemKind::Interruption, SystemKind::ApiError]
    );
    assert_eq!(s.turns.len(), 3 + 2 + 10 + 2);
    assert_eq!(s.models, vec!["gemini-2.5-pro", "gemini-2.5-flash"]);
    assert_eq!(s.model_calls.len(), 3);
    let out: u64 = s.model_calls.iter().map(|c| c.output_tokens).sum();
    assert_eq!(out, (40 + 300) + (120 + 80) + 60);
    assert_eq!(
        s.end,
        agentcensus::time::parse_rfc3339("2026-02-10T09:20:40.000Z")
    );
    assert!(s.interactive());
}

#[test]
fn cut_off_file_is_reported_and_skipped() {
    let f = fixture("session-2026-02-11T10-00-77aa88bb.json");
    let diag = Diagnostics::new(true);
    let s = Gemini.parse(&[f], &diag);
    assert!(s.is_empty());
    let w = diag.take();
    assert_eq!(w.len(), 1);
    assert!(w[0].to_string().contains("cut off"), "{}", w[0]);
}

#[test]
fn corpus_gemini_chats_parse_and_keep_every_user_message() {
    let Some(corpus) = common::corpus_or_skip("corpus_gemini") else {
        return;
    };
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out)
            } else {
                out.push(p)
            }
        }
    }
    let mut files = Vec::new();
    walk(&corpus.join("gemini"), &mut files);
    files.sort();
    let mut chats = 0;
    for f in &files {
        let head = ingest::jsonl::head(f, SNIFF_BYTES).unwrap();
        let is_chat = f.parent().is_some_and(|p| p.ends_with("chats"));
        assert_eq!(Gemini.sniff(f, &head), is_chat, "{}", f.display());
        if !is_chat {
            continue;
        }
        chats += 1;
        let diag = Diagnostics::new(true);
        let s = Gemini.parse(std::slice::from_ref(f), &diag);
        assert_eq!(s.len(), 1, "{}", f.display());
        // Independent count: user messages with text; slash commands may be
        // interface commands rather than prompts.
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        let texts: Vec<String> = doc["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["type"] == "user")
            .map(|m| match &m["content"] {
                serde_json::Value::String(t) => t.clone(),
                serde_json::Value::Array(a) => a
                    .iter()
                    .filter_map(|p| p["text"].as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => String::new(),
            })
            .filter(|t| !t.trim().is_empty())
            .collect();
        let slash = texts.iter().filter(|t| t.trim().starts_with('/')).count();
        let prompts = s[0].human_prompts().count();
        assert!(
            prompts <= texts.len() && prompts + slash >= texts.len(),
            "{}: {prompts} prompts, {} user messages ({slash} slash)",
            f.display(),
            texts.len()
        );
    }
    eprintln!("gemini: {chats} chat files of {} files", files.len());
    assert!(chats > 0);
}
