//! Every Codex rollout in the shared corpus parses without panic, and the
//! human-prompt counts agree with the reference labels (dev.jsonl).
//! Skips with a visible message when ../shared/corpus is absent.

mod common;

use agentcensus::diag::Diagnostics;
use agentcensus::ingest::{codex::Codex, Format, SNIFF_BYTES};
use agentcensus::session::Turn;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn codex_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            codex_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "jsonl") {
            out.push(p);
        }
    }
}

/// session_id -> (human_prompts, tool_calls) for the codex labels.
fn labels(shared: &Path) -> HashMap<String, (u64, u64)> {
    let text = std::fs::read_to_string(shared.join("labels").join("dev.jsonl")).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["format"] == "codex")
        .filter_map(|v| {
            Some((
                v["session_id"].as_str()?.to_string(),
                (v["human_prompts"].as_u64()?, v["tool_calls"].as_u64()?),
            ))
        })
        .collect()
}

#[test]
fn every_codex_rollout_parses_and_prompt_counts_match_labels() {
    let Some(corpus) = common::corpus_or_skip("corpus_codex") else {
        return;
    };
    let shared = corpus.parent().unwrap().to_path_buf();
    let mut files = Vec::new();
    codex_files(&corpus.join("codex"), &mut files);
    files.sort();
    assert!(
        !files.is_empty(),
        "no codex files under {}",
        corpus.display()
    );

    let fmt = Codex;
    let labels = labels(&shared);
    let diag = Diagnostics::new(true);
    let (mut compared, mut prompts_ok, mut tools_ok) = (0, 0, 0);
    for f in &files {
        let head = agentcensus::ingest::jsonl::head(f, SNIFF_BYTES).unwrap();
        assert!(
            fmt.sniff(f, &head),
            "not recognised as codex: {}",
            f.display()
        );
        let sessions = fmt.parse(std::slice::from_ref(f), &diag);
        assert_eq!(sessions.len(), 1, "{}", f.display());
        let s = &sessions[0];
        assert!(!s.id.is_empty(), "{}", f.display());
        // Every result pairs with a call.
        let calls: std::collections::HashSet<&str> = s
            .turns
            .iter()
            .filter_map(|t| match t {
                Turn::ToolCall { id, .. } => Some(id.as_str()),
                _ => None,
            })
            .collect();
        for t in &s.turns {
            if let Turn::ToolResult { id, .. } = t {
                assert!(
                    calls.contains(id.as_str()),
                    "orphan result {id} in {}",
                    f.display()
                );
            }
        }
        let prompts = s.human_prompts().count() as u64;
        let tools = s.tool_calls().count() as u64;
        if let Some(&(want_p, want_t)) = labels.get(&s.id) {
            compared += 1;
            if prompts == want_p {
                prompts_ok += 1;
            } else {
                eprintln!("MISMATCH prompts {}: ours {prompts}, label {want_p}", s.id);
            }
            if tools == want_t {
                tools_ok += 1;
            } else {
                eprintln!("MISMATCH tool calls {}: ours {tools}, label {want_t}", s.id);
            }
        }
    }
    eprintln!(
        "codex: {} files; {compared} labelled; prompts agree {prompts_ok}/{compared}, tool calls agree {tools_ok}/{compared}",
        files.len()
    );
    if compared > 0 {
        // Reached on the dev labels (all agree); a regression drops below.
        assert!(
            prompts_ok * 10 >= compared * 9,
            "prompt counts agree on only {prompts_ok}/{compared}"
        );
        assert!(
            tools_ok * 10 >= compared * 9,
            "tool-call counts agree on only {tools_ok}/{compared}"
        );
    }
}
