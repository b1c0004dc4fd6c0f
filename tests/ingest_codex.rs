//! Codex ingest on hand-written fixtures (tests/fixtures/codex/): both layouts,
//! injected context, patch calls, failing commands, exec and IDE sources, an
//! invalid line and a cut-off last line.

use agentcensus::diag::Diagnostics;
use agentcensus::ingest::{self, codex::Codex, Format, SNIFF_BYTES};
use agentcensus::session::{Session, Surface, SystemKind, ToolKind, Turn};
use std::path::PathBuf;

const CURRENT: &str = "rollout-2025-11-04T09-15-02-0199f0a1-2b3c-7d4e-8f50-6a7b8c9d0e1f.jsonl";
const LEGACY: &str = "rollout-2025-08-21T16-40-11-5f3c2a10-7b4d-4e8f-9a01-b2c3d4e5f607.jsonl";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("codex")
        .join(name)
}

fn parse(name: &str) -> (Session, Vec<String>) {
    let diag = Diagnostics::new(true);
    let mut s = Codex.parse(&[fixture(name)], &diag);
    assert_eq!(s.len(), 1, "{name}: one session per rollout");
    let warnings = diag.take().into_iter().map(|w| w.to_string()).collect();
    (s.remove(0), warnings)
}

fn prompts(s: &Session) -> Vec<&str> {
    s.human_prompts().collect()
}

fn kinds(s: &Session) -> Vec<ToolKind> {
    s.turns
        .iter()
        .filter_map(|t| match t {
            Turn::ToolCall { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect()
}

fn results(s: &Session) -> Vec<(bool, Option<i32>)> {
    s.turns
        .iter()
        .filter_map(|t| match t {
            Turn::ToolResult {
                is_error,
                exit_code,
                ..
            } => Some((*is_error, *exit_code)),
            _ => None,
        })
        .collect()
}

fn systems(s: &Session) -> Vec<SystemKind> {
    s.turns
        .iter()
        .filter_map(|t| match t {
            Turn::System { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect()
}

fn agent_texts(s: &Session) -> usize {
    s.turns
        .iter()
        .filter(|t| matches!(t, Turn::Agent { .. }))
        .count()
}

#[test]
fn current_layout_counts_each_prompt_once_and_drops_injected_context() {
    let (s, w) = parse(CURRENT);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(s.id, "0199f0a1-2b3c-7d4e-8f50-6a7b8c9d0e1f");
    assert_eq!(
        prompts(&s),
        vec![
            "add a --units flag to the tides command so heights can be shown in feet or metres",
            "ok",
            "ok",
            "/review current changes"
        ]
    );
    // Agent messages also come twice (item + event): once each.
    assert_eq!(agent_texts(&s), 2);
    assert_eq!(
        systems(&s),
        vec![
            SystemKind::InjectedContext, // developer permissions
            SystemKind::InjectedContext, // AGENTS.md
            SystemKind::InjectedContext, // environment context
            SystemKind::Interruption,    // event + marker message, once
            SystemKind::Compaction,      // record + event, once
        ]
    );
    assert_eq!(s.turns.len(), 4 + 2 + 5 + 8 + 8);
}

#[test]
fn current_layout_tools_results_and_exit_codes() {
    let (s, _) = parse(CURRENT);
    assert_eq!(
        kinds(&s),
        vec![
            ToolKind::Plan,
            ToolKind::Shell, // a read through the shell stays shell
            ToolKind::Edit,  // custom_tool_call apply_patch
            ToolKind::Shell,
            ToolKind::Edit, // shell ["apply_patch", ...]
            ToolKind::Shell,
            ToolKind::Read, // view_image
            ToolKind::Web,  // web_search_call
        ]
    );
    assert_eq!(
        results(&s),
        vec![
            (false, None),
            (false, Some(0)),
            (false, Some(0)),
            (true, Some(2)),
            (false, Some(0)),
            (false, Some(0)),
            (false, None),
            (false, None),
        ]
    );
    // Patch text kept for line counts; shell calls carry a command string.
    let inputs: Vec<&serde_json::Value> = s
        .turns
        .iter()
        .filter_map(|t| match t {
            Turn::ToolCall { input, .. } => Some(input),
            _ => None,
        })
        .collect();
    assert!(inputs[2]["patch"]
        .as_str()
        .unwrap()
        .contains("+    parser.add_argument(\"--units\""));
    assert!(inputs[4]["patch"]
        .as_str()
        .unwrap()
        .starts_with("*** Begin Patch\n*** Update File: tidepool/convert.py"));
    assert_eq!(inputs[1]["command"], "sed -n '1,80p' tidepool/cli.py");
    assert_eq!(inputs[3]["command"], "make check");
}

#[test]
fn current_layout_metadata_and_tokens() {
    let (s, _) = parse(CURRENT);
    assert_eq!(s.surface, Surface::Cli);
    assert_eq!(s.agent_version.as_deref(), Some("0.52.0"));
    assert_eq!(s.entrypoint.as_deref(), Some("codex_cli_rs/cli"));
    assert_eq!(s.project.as_deref(), Some("tidepool"));
    assert_eq!(s.git_branch.as_deref(), Some("feature/units"));
    assert_eq!(s.models, vec!["gpt-5-codex", "gpt-5.1-codex"]);
    // Four token_count events, one a repeat with the same total: three calls.
    assert_eq!(s.model_calls.len(), 3);
    let out: u64 = s.model_calls.iter().map(|c| c.output_tokens).sum();
    assert_eq!(out, 410 + 490 + 200);
    let fresh: u64 = s.model_calls.iter().map(|c| c.input_tokens).sum();
    assert_eq!(fresh, (8200 - 3000) + (8800 - 5000) + (9000 - 8000));
    assert_eq!(
        s.model_calls[2].model.as_deref(),
        Some("gpt-5-codex"),
        "the model in effect when the call was made"
    );
    assert_eq!(
        s.start,
        agentcensus::time::parse_rfc3339("2025-11-04T09:15:02.100Z")
    );
    assert_eq!(
        s.end,
        agentcensus::time::parse_rfc3339("2025-11-04T09:18:40.000Z")
    );
    assert!(s.interactive());
}

#[test]
fn legacy_layout() {
    let (s, w) = parse(LEGACY);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(s.id, "5f3c2a10-7b4d-4e8f-9a01-b2c3d4e5f607");
    assert_eq!(
        prompts(&s),
        vec![
            "why does count_species return 0 for the march survey?",
            "make the lookup case-insensitive"
        ]
    );
    assert_eq!(
        kinds(&s),
        vec![ToolKind::Shell, ToolKind::Shell, ToolKind::Edit]
    );
    assert_eq!(
        results(&s),
        vec![(false, Some(0)), (true, Some(1)), (false, Some(0))]
    );
    assert_eq!(agent_texts(&s), 2);
    assert_eq!(
        systems(&s),
        vec![SystemKind::InjectedContext, SystemKind::InjectedContext]
    );
    assert_eq!(s.turns.len(), 2 + 3 + 3 + 2 + 2);
    // No originator in the legacy header.
    assert_eq!(s.surface, Surface::Unknown);
    assert_eq!(s.project.as_deref(), Some("birdcount")); // from <cwd>
    assert_eq!(s.git_branch.as_deref(), Some("main"));
    assert!(s.model_calls.is_empty());
}

#[test]
fn exec_source_is_headless_and_exec_end_events_fill_exit_codes() {
    let (s, w) = parse("exec-run.jsonl");
    assert!(w.is_empty(), "{w:?}");
    // No rollout uuid in the file name: the header id.
    assert_eq!(s.id, "019bb2c4-0d1e-7f20-8a31-c4d5e6f70819");
    assert_eq!(s.surface, Surface::Headless);
    assert!(!s.interactive());
    assert_eq!(prompts(&s).len(), 1);
    assert_eq!(kinds(&s), vec![ToolKind::Shell, ToolKind::Shell]);
    // The second call's output text has no code; the end event gives 1.
    assert_eq!(results(&s), vec![(false, Some(0)), (true, Some(1))]);
    assert_eq!(s.turns.len(), 1 + 1 + 2 + 2 + 1);
}

#[test]
fn bad_lines_are_reported_with_file_and_line_and_the_rest_is_read() {
    let (s, w) = parse("broken.jsonl");
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].contains("broken.jsonl:5: not valid JSON"), "{w:?}");
    assert!(w[1].contains("broken.jsonl:9: line is cut off"), "{w:?}");
    assert_eq!(s.surface, Surface::Ide);
    assert_eq!(s.project.as_deref(), Some("quilt"));
    assert_eq!(
        prompts(&s),
        vec![
            "rename the Panel class to Patch everywhere",
            "[Image #1] also the tests"
        ]
    );
    assert_eq!(kinds(&s), vec![ToolKind::Shell]);
    assert_eq!(results(&s), vec![(false, Some(0))]);
    assert_eq!(s.turns.len(), 4);
}

#[test]
fn sniffing_finds_every_fixture_as_codex_and_nothing_else_claims_them() {
    let dir = fixture("");
    let mut files: Vec<(PathBuf, usize)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| (e.path(), 0))
        .collect();
    files.sort();
    let diag = Diagnostics::new(true);
    let (units, unknown) = ingest::plan_units(&files, &diag);
    assert!(unknown.is_empty(), "{unknown:?}");
    assert_eq!(units.len(), 5);
    assert!(units.iter().all(|u| u.format == "codex"));
    // Codex does not claim a Claude Code transcript line.
    let cc = br#"{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":"hi"},"uuid":"u1","timestamp":"2025-10-01T10:00:00Z","sessionId":"s1"}
"#;
    assert!(!Codex.sniff(&dir.join("s1.jsonl"), cc));
    let head = ingest::jsonl::head(&fixture(CURRENT), SNIFF_BYTES).unwrap();
    assert!(Codex.sniff(&fixture(CURRENT), &head));
}

#[test]
fn shipped_codex_examples_parse_as_interactive_cli_sessions() {
    let codex: Vec<_> = agentcensus::examples::EXAMPLES
        .iter()
        .filter(|(rel, _)| rel.starts_with("codex/"))
        .collect();
    assert_eq!(codex.len(), 2);
    let dir = std::env::temp_dir().join(format!("agentcensus-codex-ex-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut prompts = Vec::new();
    for (rel, content) in codex {
        let p = dir.join(rel.rsplit('/').next().unwrap());
        std::fs::write(&p, content).unwrap();
        let head = ingest::jsonl::head(&p, SNIFF_BYTES).unwrap();
        assert!(Codex.sniff(&p, &head));
        let diag = Diagnostics::new(true);
        let s = Codex.parse(&[p], &diag);
        assert_eq!(diag.count(), 0);
        assert_eq!(s[0].surface, Surface::Cli);
        assert!(s[0].interactive());
        prompts.push(s[0].human_prompts().count());
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(prompts, vec![2, 2]);
}

#[test]
fn spawned_subagent_rollout_is_nested_under_its_parent() {
    const CHILD: &str = "rollout-2025-11-04T09-16-10-0199f0a2-7777-7abc-8def-0123456789ab.jsonl";
    let child = fixture(CHILD);
    let head = ingest::jsonl::head(&child, SNIFF_BYTES).unwrap();
    // Same unit as the parent rollout.
    assert_eq!(
        Codex.unit_key(&child, &head),
        "0199f0a1-2b3c-7d4e-8f50-6a7b8c9d0e1f"
    );
    let diag = Diagnostics::new(true);
    let s = Codex.parse(&[child.clone(), fixture(CURRENT)], &diag);
    assert_eq!(diag.count(), 0);
    assert_eq!(s.len(), 1);
    let parent = &s[0];
    assert_eq!(parent.id, "0199f0a1-2b3c-7d4e-8f50-6a7b8c9d0e1f");
    assert_eq!(
        parent.tool_calls().count(),
        8,
        "the child's call is not the parent's"
    );
    assert_eq!(parent.human_prompts().count(), 4);
    assert_eq!(parent.subagents.len(), 1);
    let sub = &parent.subagents[0];
    assert_eq!(sub.id, "0199f0a2-7777-7abc-8def-0123456789ab");
    assert_eq!(sub.parent_id.as_deref(), Some(parent.id.as_str()));
    assert_eq!(sub.surface, Surface::Headless);
    assert_eq!(sub.tool_calls().count(), 1);
    // Alone (parent not given), the child stays a separate, non-interactive session.
    let alone = Codex.parse(&[child], &diag);
    assert_eq!(alone.len(), 1);
    assert!(!alone[0].interactive());
}

#[test]
fn a_fork_does_not_count_the_history_it_copied() {
    let (s, w) = parse("rollout-2025-11-05T08-00-00-0199f5b0-1111-7222-8333-944455556666.jsonl");
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(s.id, "0199f5b0-1111-7222-8333-944455556666");
    assert_eq!(
        prompts(&s),
        vec!["now make feet the default for the us region"]
    );
    assert_eq!(kinds(&s), vec![ToolKind::Edit]);
    assert_eq!(agent_texts(&s), 1);
    assert_eq!(s.turns.len(), 4);
}
