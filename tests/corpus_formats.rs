//! The other agents' formats over the shared corpus (skipped when it is
//! absent): every file of each format is recognised as that format, parses
//! without panic and yields at least one session. Prints per-session counts
//! (`cargo test --test corpus_formats -- --nocapture`).

mod common;

use agentcensus::diag::Diagnostics;
use agentcensus::ingest;
use agentcensus::session::{Session, Turn};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, keep, out);
        } else if keep(&p) {
            out.push(p);
        }
    }
}

fn counts(s: &Session) -> (usize, usize, usize, usize) {
    let prompts = s.human_prompts().count();
    let actions = s.tool_calls().count();
    let results = s
        .turns
        .iter()
        .filter(|t| matches!(t, Turn::ToolResult { .. }))
        .count();
    let agent = s
        .turns
        .iter()
        .filter(|t| matches!(t, Turn::Agent { .. }))
        .count();
    (prompts, actions, results, agent)
}

/// Plans and parses every file under `dir` that `keep` selects; asserts each
/// is claimed by `format` and that each file contributes to a session.
fn check(test: &str, sub: &str, format: &str, keep: &dyn Fn(&Path) -> bool) -> Vec<Session> {
    let Some(corpus) = common::corpus_or_skip(test) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    files_under(&corpus.join(sub), keep, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no {format} files under {sub}");
    let diag = Diagnostics::new(true);
    let with_root: Vec<(PathBuf, usize)> = files.iter().map(|p| (p.clone(), 0)).collect();
    let (units, unknown) = ingest::plan_units(&with_root, &diag);
    assert!(unknown.is_empty(), "not recognised: {unknown:#?}");
    let mut sessions = Vec::new();
    let mut per_file: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for u in &units {
        assert_eq!(u.format, format, "{:?} sniffed as {}", u.files, u.format);
        let got = ingest::parse_unit(u, &diag);
        for s in &got {
            for f in &s.files {
                *per_file.entry(f.clone()).or_default() += 1;
            }
        }
        sessions.extend(got);
    }
    for f in &files {
        assert!(
            per_file.contains_key(f),
            "{} yielded no session",
            f.display()
        );
    }
    let internal: Vec<String> = diag
        .take()
        .into_iter()
        .map(|w| w.to_string())
        .filter(|w| w.contains("internal error") || w.contains("unexpected"))
        .collect();
    assert!(internal.is_empty(), "{internal:#?}");
    eprintln!(
        "{format}: {} files, {} sessions",
        files.len(),
        sessions.len()
    );
    for s in &sessions {
        let (p, a, r, m) = counts(s);
        let file = s
            .files
            .first()
            .map(|f| f.strip_prefix(&corpus).unwrap_or(f).display().to_string())
            .unwrap_or_default();
        eprintln!(
            "  {file} [{}] prompts={p} actions={a} results={r} agent_msgs={m} interactive={} surface={} models={:?}",
            s.id,
            s.interactive(),
            s.surface.as_str(),
            s.models
        );
    }
    sessions
}

#[test]
fn copilot_corpus_parses() {
    let sessions = check("copilot_corpus_parses", "other", "copilot-cli", &|p| {
        p.file_name().is_some_and(|n| n == "events.jsonl")
    });
    for s in &sessions {
        assert!(s.human_prompts().next().is_some(), "{}: no prompt", s.id);
        assert!(s.start.is_some() && s.cwd.is_some(), "{}", s.id);
    }
}

#[test]
fn aider_corpus_parses() {
    let sessions = check("aider_corpus_parses", "aider", "aider", &|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(".aider.chat.history.md"))
    });
    // Every run has a start time; most runs have a prompt.
    assert!(sessions.iter().all(|s| s.start.is_some()));
    let with_prompt = sessions.iter().filter(|s| s.interactive()).count();
    assert!(
        with_prompt * 2 > sessions.len(),
        "{with_prompt}/{}",
        sessions.len()
    );
}

#[test]
fn openhands_corpus_parses() {
    let sessions = check("openhands_corpus_parses", "openhands", "openhands", &|p| {
        p.extension().is_some_and(|x| x == "json")
    });
    assert!(sessions.iter().any(|s| s.interactive()));
    assert!(sessions.iter().all(|s| s.start.is_some()));
    let with_work = sessions
        .iter()
        .filter(|s| s.tool_calls().next().is_some())
        .count();
    assert!(with_work * 2 > sessions.len());
}

#[test]
fn swe_agent_corpus_parses() {
    let sessions = check("swe_agent_corpus_parses", "swe-agent", "swe-agent", &|p| {
        let n = p.to_string_lossy();
        n.ends_with(".traj") || n.ends_with(".json")
    });
    for s in &sessions {
        // Automated runs: a task statement, work, never interactive.
        assert!(!s.interactive(), "{}", s.id);
        assert_eq!(s.human_prompts().count(), 1, "{}", s.id);
        assert!(s.tool_calls().next().is_some(), "{}", s.id);
    }
}

#[test]
fn specstory_corpus_parses() {
    let sessions = check("specstory_corpus_parses", "specstory", "specstory", &|p| {
        p.extension().is_some_and(|x| x == "md")
    });
    assert!(sessions.iter().all(|s| s.start.is_some()));
    let with_prompt = sessions
        .iter()
        .filter(|s| s.human_prompts().next().is_some())
        .count();
    assert!(with_prompt * 2 > sessions.len());
}
