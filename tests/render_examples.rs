//! The study-style rendering of shipped example sessions (invented content),
//! as snapshots: any change in what the LLM backends would send shows up as a
//! reviewed diff.

use agentcensus::classify::render::{render, RenderOptions};
use agentcensus::diag::Diagnostics;
use agentcensus::session::Session;
use std::path::{Path, PathBuf};

fn sessions(rel: &str) -> Vec<Session> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let diag = Diagnostics::new(true);
    let paths = vec![PathBuf::from(&root)];
    let req = agentcensus::discover::Request {
        paths: &paths,
        users: &[],
        users_by_folder: false,
    };
    let plan = agentcensus::pipeline::plan(&req, &diag);
    let mut out: Vec<Session> = plan
        .units
        .iter()
        .flat_map(|u| agentcensus::ingest::parse_unit(u, &diag))
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn rendered(rel: &str, id: &str) -> String {
    let s = sessions(rel)
        .into_iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("example session {id} not found under {rel}"));
    let r = render(&s, &RenderOptions::default());
    format!(
        "truncated: {}  turns cut: {}  chars: {}\n\n{}",
        r.truncated, r.turns_cut, r.chars, r.text
    )
}

#[test]
fn claude_code_example_fix_session() {
    insta::assert_snapshot!(rendered(
        "examples/sessions/claude-code/-home-mira-code-ledgerly",
        "3f1a9c2e-7b4d-4e8a-9c61-0d2e5f7a8b01"
    ));
}

#[test]
fn codex_example_session() {
    insta::assert_snapshot!(rendered(
        "examples/sessions/codex",
        "019cd7a2-41b0-7e21-9c3d-5a6b7c8d9e01"
    ));
}

/// A short limit forces both cuts on a real example.
#[test]
fn example_cut_to_a_small_budget() {
    let s = sessions("examples/sessions/claude-code/-home-mira-code-ledgerly")
        .into_iter()
        .find(|s| s.id == "3f1a9c2e-7b4d-4e8a-9c61-0d2e5f7a8b01")
        .unwrap();
    let r = render(
        &s,
        &RenderOptions {
            turn_chars: 200,
            transcript_chars: 1500,
        },
    );
    assert!(r.truncated && r.turns_cut > 0 && r.chars <= 1500);
    insta::assert_snapshot!(r.text);
}
