//! `agentcensus generate` writes Claude Code sessions that the Claude Code
//! parser reads into the intended counts: prompts, actions, sub-agents and
//! their actions, interruptions, compactions, one session per file, each
//! person a folder.

use agentcensus::commands::generate::{generate, read_manifest, Intended};
use agentcensus::diag::Diagnostics;
use agentcensus::discover::Request;
use agentcensus::pipeline;
use agentcensus::session::{Session, Surface, SystemKind, Turn};
use std::collections::BTreeMap;

fn counts(s: &Session) -> (u32, u32, u32, u32, u32, u32) {
    let prompts = s
        .turns
        .iter()
        .filter(|t| matches!(t, Turn::Human { .. }))
        .count() as u32;
    let actions = s.tool_calls().count() as u32;
    let sys = |k: SystemKind| {
        s.turns
            .iter()
            .filter(|t| matches!(t, Turn::System { kind, .. } if *kind == k))
            .count() as u32
    };
    let sub_actions = s
        .subagents
        .iter()
        .map(|a| a.tool_calls().count() as u32)
        .sum();
    (
        prompts,
        actions,
        s.subagents.len() as u32,
        sub_actions,
        sys(SystemKind::Interruption),
        sys(SystemKind::Compaction),
    )
}

#[test]
fn generated_sessions_parse_into_the_intended_counts() {
    let dir = std::env::temp_dir().join(format!("ac-genparse-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    generate(&dir, 300, 6, 2026, true).unwrap();
    let manifest: BTreeMap<String, Intended> = read_manifest(&dir)
        .unwrap()
        .into_iter()
        .map(|m| (m.session_id.clone(), m))
        .collect();
    assert_eq!(manifest.len(), 300);

    let diag = Diagnostics::new(true);
    let paths = vec![dir.clone()];
    let plan = pipeline::plan(
        &Request {
            paths: &paths,
            users: &[],
            users_by_folder: true,
        },
        &diag,
    );
    assert_eq!(plan.discovered.roots.len(), 6, "one root per person");
    assert!(plan.unknown_files.is_empty(), "{:?}", plan.unknown_files);
    let mut seen = 0;
    let mut bad = Vec::new();
    for unit in &plan.units {
        let person = &plan.discovered.roots[unit.root].name;
        for s in agentcensus::ingest::parse_unit(unit, &diag) {
            let m = manifest
                .get(&s.id)
                .unwrap_or_else(|| panic!("unknown session {}", s.id));
            seen += 1;
            assert_eq!(&m.person, person);
            let got = counts(&s);
            let want = (
                m.prompts,
                m.actions,
                m.subagents,
                m.subagent_actions,
                m.interruptions,
                m.compactions,
            );
            if got != want {
                bad.push(format!("{} ({}): got {got:?}, want {want:?}", s.id, m.path));
            }
            let month = s.start.map(agentcensus::time::month);
            assert_eq!(month.as_deref(), Some(m.month.as_str()), "{}", s.id);
            assert_eq!(
                s.surface == Surface::Headless || s.surface == Surface::Sdk,
                m.headless,
                "{}: {:?}",
                s.id,
                s.surface
            );
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {seen} differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert_eq!(seen, 300);
    assert_eq!(diag.count(), 0, "{:?}", diag.snapshot());
    let _ = std::fs::remove_dir_all(&dir);
}
