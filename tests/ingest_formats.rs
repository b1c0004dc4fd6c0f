//! Ingest of the other agents' formats over hand-written fixtures in
//! tests/fixtures/<format>/ (invented content in each format's shape).

mod common;
use common::files_under;

use agentcensus::diag::Diagnostics;
use agentcensus::ingest;
use agentcensus::session::{Agent, Session, Surface, SystemKind, ToolKind, Turn};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Plans units over one fixture folder and parses them, as the pipeline does;
/// every unit must be of `format`. Returns sessions (sorted by id) and warnings.
fn load(sub: &str, format: &str) -> (Vec<Session>, Vec<String>) {
    let diag = Diagnostics::new(true);
    let files: Vec<(PathBuf, usize)> = files_under(&fixtures().join(sub))
        .into_iter()
        .map(|p| (p, 0))
        .collect();
    let (units, unknown) = ingest::plan_units(&files, &diag);
    assert!(unknown.is_empty(), "not recognised: {unknown:?}");
    let mut sessions = Vec::new();
    for u in &units {
        assert_eq!(u.format, format, "{:?}", u.files);
        sessions.extend(ingest::parse_unit(u, &diag));
    }
    sessions.sort_by(|a, b| a.id.cmp(&b.id));
    let warnings = diag.take().into_iter().map(|w| w.to_string()).collect();
    (sessions, warnings)
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

fn results(s: &Session) -> Vec<(String, bool, Option<i32>)> {
    s.turns
        .iter()
        .filter_map(|t| match t {
            Turn::ToolResult {
                id,
                is_error,
                exit_code,
                ..
            } => Some((id.clone(), *is_error, *exit_code)),
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

fn agent_texts(s: &Session) -> Vec<&str> {
    s.turns
        .iter()
        .filter_map(|t| match t {
            Turn::Agent { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn copilot_session() {
    let (sessions, warnings) = load("copilot", "copilot-cli");
    assert_eq!(sessions.len(), 1);
    let s = &sessions[0];
    assert_eq!(s.agent, Agent::Copilot);
    assert_eq!(s.id, "5b0c2d1e-7a44-4c3b-9e21-0f6a8d3c9b10");
    assert_eq!(s.agent_version.as_deref(), Some("1.0.42"));
    assert_eq!(s.surface, Surface::Cli);
    assert_eq!(s.cwd.as_deref(), Some("/home/dev/src/kettle"));
    assert_eq!(s.project.as_deref(), Some("kettle"));
    assert_eq!(s.git_branch.as_deref(), Some("feature/timer"));
    assert_eq!(s.models, vec!["gpt-5.1".to_string()]);
    assert_eq!(s.model_calls.len(), 3);
    assert_eq!(s.model_calls[0].output_tokens, 80);
    assert!(s.interactive());
    assert_eq!(
        s.human_prompts().collect::<Vec<_>>(),
        vec![
            "the boil timer test is flaky, find out why",
            "don't change the timeout, mock the clock instead"
        ]
    );
    assert_eq!(
        agent_texts(s),
        vec![
            "I'll look at the test and run it.",
            "Switching the test to a fake clock."
        ]
    );
    // Announced by the message and started later: counted once.
    assert_eq!(
        kinds(s),
        vec![
            ToolKind::Read,
            ToolKind::Shell,
            ToolKind::Edit,
            ToolKind::Edit
        ]
    );
    assert_eq!(
        results(s),
        vec![
            ("call_a".into(), false, None),
            ("call_b".into(), true, Some(1)),
            ("call_c".into(), true, None),
            ("call_d".into(), false, None),
        ]
    );
    assert_eq!(
        systems(s),
        vec![
            SystemKind::Rejection,
            SystemKind::Interruption,
            SystemKind::ApiError
        ]
    );
    assert_eq!(s.other_records, 1); // subagent.selected: not understood
    assert_eq!(
        s.start,
        agentcensus::time::parse_rfc3339("2026-03-02T09:00:00.000Z")
    );
    assert_eq!(
        s.end,
        agentcensus::time::parse_rfc3339("2026-03-02T09:01:30.000Z")
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("events.jsonl:20:"), "{warnings:?}");
}

#[test]
fn aider_runs() {
    let (sessions, warnings) = load("aider", "aider");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(sessions.len(), 2);
    let s = &sessions[0];
    assert_eq!(s.agent, Agent::Aider);
    assert_eq!(s.id, "birdfeeder@2025-04-10T08:15:02");
    assert_eq!(s.agent_version.as_deref(), Some("0.82.0"));
    assert_eq!(s.models, vec!["anthropic/claude-sonnet-4".to_string()]);
    assert_eq!(s.project.as_deref(), Some("birdfeeder"));
    assert_eq!(
        s.start,
        agentcensus::time::parse_rfc3339("2025-04-10T08:15:02Z")
    );
    assert!(s.interactive());
    assert_eq!(
        s.human_prompts().collect::<Vec<_>>(),
        vec![
            "the feeding schedule skips sundays.\nplease fix it and add a test",
            "/ask why was it range(6) in the first place?",
            "now make the seed amount configurable",
        ]
    );
    let replies = agent_texts(s);
    assert_eq!(replies.len(), 3, "{replies:#?}");
    // A heading and fenced lines stay inside the reply.
    assert!(replies[0].contains("#### Fix") && replies[0].contains("#### neither is this"));
    assert!(replies[0].contains("> this quoted line is code"));
    assert_eq!(
        kinds(s),
        vec![
            ToolKind::Edit,
            ToolKind::Write,
            ToolKind::Shell,
            ToolKind::Shell,
            ToolKind::Edit, // the created file, edited again later
            ToolKind::Edit
        ]
    );
    let r: Vec<bool> = results(s).into_iter().map(|(_, err, _)| err).collect();
    assert_eq!(r, vec![false, false, false, false, true]);
    let commit = s.turns.iter().find_map(|t| match t {
        Turn::ToolCall { name, input, .. } if name == "commit" => Some(input.clone()),
        _ => None,
    });
    assert_eq!(
        commit.unwrap()["command"],
        "git commit -m \"fix: include sunday in the feeding schedule\""
    );
    assert_eq!(s.model_calls.len(), 3);
    assert_eq!(
        (
            s.model_calls[0].input_tokens,
            s.model_calls[0].output_tokens
        ),
        (3100, 1200)
    );
    assert_eq!(
        systems(s),
        vec![
            SystemKind::LocalCommand, // the person's pending changes committed first
            SystemKind::LocalCommand, // /add
            SystemKind::LocalCommand, // /run
            SystemKind::LocalCommand, // /tokens
            SystemKind::LocalCommand, // its output
            SystemKind::ApiError,
            SystemKind::Interruption,
        ]
    );
    // A run with only commands: a session, not interactive.
    let quit = &sessions[1];
    assert_eq!(quit.id, "birdfeeder@2025-04-10T09:02:40");
    assert_eq!(quit.human_prompts().count(), 0);
    assert!(!quit.interactive());
    assert_eq!(quit.models, vec!["gpt-4o".to_string()]);
    // Consecutive commands are separate messages.
    assert_eq!(
        systems(quit),
        vec![SystemKind::LocalCommand, SystemKind::LocalCommand]
    );
}

/// Markdown must not be claimed by JSON formats, nor JSON by Markdown ones.
#[test]
fn sniffing_keeps_markdown_and_json_apart() {
    let fmts = ingest::formats();
    let claim = |name: &str, head: &[u8]| -> Vec<&'static str> {
        fmts.iter()
            .filter(|f| f.sniff(Path::new(name), head))
            .map(|f| f.name())
            .collect()
    };
    let aider = std::fs::read(fixtures().join("aider/birdfeeder/.aider.chat.history.md")).unwrap();
    assert_eq!(claim(".aider.chat.history.md", &aider), vec!["aider"]);
    let copilot =
        std::fs::read(fixtures().join("copilot/5b0c2d1e-7a44-4c3b-9e21-0f6a8d3c9b10/events.jsonl"))
            .unwrap();
    assert_eq!(claim("events.jsonl", &copilot), vec!["copilot-cli"]);
    assert!(claim("notes.md", b"# Notes\n\nsome text\n").is_empty());
}

fn per_id() -> &'static str {
    "ab12cd34-ef56-47a8-b9c0-d1e2f3a4b5c6"
}

#[test]
fn openhands_conversations() {
    let (sessions, warnings) = load("openhands", "openhands");
    assert!(warnings.is_empty(), "{warnings:?}");
    let ids: Vec<&str> = sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
            "ab12cd34-ef56-47a8-b9c0-d1e2f3a4b5c6",
            "c0ffee00aa11bb22cc33dd44ee55ff66",
            "run-42"
        ]
    );
    // V1 one file per event + base_state.json: one session, events in order.
    let per = &sessions[1];
    assert_eq!(per.files.len(), 5);
    assert_eq!(per.cwd.as_deref(), Some("/home/dev/quilt"));
    assert_eq!(per.human_prompts().count(), 1);
    assert_eq!(kinds(per), vec![ToolKind::Shell]);
    assert_eq!(results(per), vec![("t1".into(), true, Some(2))]);
    assert_eq!(agent_texts(per), vec!["There is no patterns folder here."]);
    let sessions: Vec<Session> = sessions.into_iter().filter(|s| s.id != per_id()).collect();

    // V1: base state + events array.
    let v1 = &sessions[0];
    assert_eq!(v1.agent, Agent::OpenHands);
    assert_eq!(v1.files.len(), 2);
    assert_eq!(v1.cwd.as_deref(), Some("/home/dev/tidepool"));
    assert_eq!(v1.models, vec!["anthropic/claude-sonnet-4-5".to_string()]);
    assert_eq!(
        v1.human_prompts().collect::<Vec<_>>(),
        vec!["why does the tide table skip leap days?"]
    );
    assert_eq!(kinds(v1), vec![ToolKind::Shell, ToolKind::Read]);
    assert_eq!(
        results(v1),
        vec![("tc_1".into(), false, Some(0)), ("tc_2".into(), true, None)]
    );
    assert_eq!(
        agent_texts(v1),
        vec![
            "I'll search for the date handling.",
            "The year length is hard-coded to 365 days in src/tide.py."
        ]
    );
    assert_eq!(systems(v1), vec![SystemKind::ApiError]);
    assert_eq!(v1.model_calls.len(), 3);
    assert_eq!(v1.surface, Surface::Unknown);

    // V0 per-event files + metadata: one session over 15 files, in event order.
    let v0 = &sessions[1];
    assert_eq!(v0.files.len(), 15);
    assert_eq!(v0.surface, Surface::Web);
    assert_eq!(v0.entrypoint.as_deref(), Some("gui"));
    assert_eq!(v0.title.as_deref(), Some("Fix the dimmer rounding"));
    assert_eq!(v0.git_branch.as_deref(), Some("main"));
    assert_eq!(v0.agent_version.as_deref(), Some("0.58.0"));
    assert_eq!(v0.cwd.as_deref(), Some("/workspace/lantern"));
    assert_eq!(v0.models, vec!["litellm_proxy/gpt-5", "gpt-5"]);
    assert!(v0.interactive());
    assert_eq!(
        v0.human_prompts().collect::<Vec<_>>(),
        vec![
            "the dimmer rounds 0.5 down, it should round up",
            "thanks, leave it there"
        ]
    );
    assert_eq!(
        kinds(v0),
        vec![ToolKind::Shell, ToolKind::Edit, ToolKind::Shell]
    );
    assert_eq!(
        results(v0),
        vec![
            ("5".into(), false, Some(0)),
            ("7".into(), false, None),
            ("9".into(), true, Some(1)),
        ]
    );
    assert_eq!(
        agent_texts(v0),
        vec![
            "Let me find the rounding code.",
            "The fix is in; one unrelated test still fails."
        ]
    );
    assert_eq!(systems(v0), vec![SystemKind::Other, SystemKind::ApiError]);
    assert_eq!(v0.model_calls.len(), 4);
    let first = &v0.model_calls[0];
    assert_eq!(
        (
            first.input_tokens,
            first.output_tokens,
            first.cache_read_tokens
        ),
        (5200, 64, 4096)
    );
    assert_eq!(
        v0.start,
        agentcensus::time::parse_rfc3339("2025-09-01T10:00:00Z")
    );

    // V0 trajectory array: a file of its own.
    let t = &sessions[2];
    assert_eq!(kinds(t), vec![ToolKind::Write]);
    assert_eq!(t.human_prompts().count(), 1);
    assert_eq!(agent_texts(t), vec!["Creating the file.", "Done."]);
}

#[test]
fn swe_agent_runs() {
    let (sessions, warnings) = load("swe_agent", "swe-agent");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(sessions.len(), 2);

    let classic = &sessions[0];
    assert_eq!(classic.id, "acme__widgets-17");
    assert_eq!(classic.agent, Agent::SweAgent);
    assert_eq!(classic.surface, Surface::Headless);
    assert!(!classic.interactive());
    assert_eq!(
        classic.human_prompts().collect::<Vec<_>>(),
        vec!["ISSUE:\nWidget.double() triples the size instead of doubling it."]
    );
    assert_eq!(
        kinds(classic),
        vec![
            ToolKind::Search,
            ToolKind::Read,
            ToolKind::Edit,
            ToolKind::Shell,
            ToolKind::Other
        ]
    );
    let errs: Vec<bool> = results(classic).into_iter().map(|r| r.1).collect();
    assert_eq!(errs, vec![false, false, true, false, false]);
    // Thought, else the response when the thought is empty.
    assert_eq!(agent_texts(classic).len(), 5);
    assert_eq!(agent_texts(classic)[1], "Open it near the size method.");
    assert_eq!(classic.cwd.as_deref(), Some("/acme__widgets"));
    assert_eq!(classic.model_calls.len(), 5);
    assert_eq!(classic.start, None); // SWE-agent writes no timestamps
    assert_eq!(systems(classic), vec![SystemKind::Other]);

    let mini = &sessions[1];
    assert_eq!(mini.id, "acme__widgets-18");
    assert_eq!(mini.agent_version.as_deref(), Some("2.1.0"));
    assert_eq!(mini.models, vec!["openai/gpt-5-mini".to_string()]);
    assert!(!mini.interactive());
    assert_eq!(mini.human_prompts().count(), 1);
    assert_eq!(kinds(mini), vec![ToolKind::Shell, ToolKind::Shell]);
    assert_eq!(
        results(mini),
        vec![
            ("call_g1".into(), false, Some(0)),
            ("call-2".into(), true, Some(1))
        ]
    );
    assert_eq!(mini.model_calls.len(), 3);
    assert_eq!(mini.model_calls[0].output_tokens, 20);
    assert_eq!(mini.start, Some(1_767_225_600_000));
    assert_eq!(mini.end, Some(1_767_225_610_000));
    // The format-error nudge is the harness, not a person; then the exit.
    assert_eq!(systems(mini), vec![SystemKind::Other, SystemKind::Other]);
}

#[test]
fn specstory_exports() {
    let (sessions, warnings) = load("specstory", "specstory");
    assert!(warnings.is_empty(), "{warnings:?}");
    let ids: Vec<&str> = sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f",
            "5e6f7a8b-1c2d-4e3f-9a0b-112233445566",
            "legacy-export"
        ]
    );
    // Project: the folder holding .specstory/.
    assert!(sessions
        .iter()
        .all(|s| s.project.as_deref() == Some("specstory")));

    // Claude Code through SpecStory.
    let cc = &sessions[0];
    assert_eq!(cc.agent, Agent::ClaudeCode);
    assert_eq!(cc.surface, Surface::Cli);
    assert_eq!(cc.models, vec!["claude-sonnet-4-20250514".to_string()]);
    assert_eq!(
        cc.start,
        agentcensus::time::parse_rfc3339("2025-08-10T14:02:30Z")
    );
    assert_eq!(
        cc.human_prompts().collect::<Vec<_>>(),
        vec![
            "add a /health endpoint to the api that returns ok",
            "return json instead"
        ]
    );
    assert_eq!(
        kinds(cc),
        vec![
            ToolKind::Plan,
            ToolKind::Task,
            ToolKind::Edit,
            ToolKind::Shell,
            ToolKind::Edit
        ]
    );
    let errs: Vec<bool> = results(cc).into_iter().map(|r| r.1).collect();
    assert_eq!(errs, vec![false, false, true, false]);
    assert_eq!(systems(cc), vec![SystemKind::Interruption]);
    // The sidechain is a sub-agent, not the person's prompt or the main actions.
    assert_eq!(cc.subagents.len(), 1);
    let sub = &cc.subagents[0];
    assert_eq!(sub.parent_id.as_deref(), Some(cc.id.as_str()));
    assert!(!sub.interactive());
    assert_eq!(kinds(sub), vec![ToolKind::Search]);
    assert_eq!(
        agent_texts(sub),
        vec!["Routes are registered in api/routes.ts."]
    );

    // Cursor (SpecStory v2 tool-use elements, per-prompt times).
    let cur = &sessions[1];
    assert_eq!(cur.agent, Agent::Cursor);
    assert_eq!(cur.surface, Surface::Ide);
    assert_eq!(cur.title.as_deref(), Some("Tidy the config loader"));
    assert_eq!(cur.models, vec!["gpt-5".to_string()]);
    assert_eq!(cur.human_prompts().count(), 2);
    assert_eq!(
        kinds(cur),
        vec![ToolKind::Read, ToolKind::Edit, ToolKind::Shell]
    );
    assert_eq!(results(cur).len(), 1);
    assert_eq!(
        agent_texts(cur),
        vec![
            "The loader now opens the file once and caches the parsed result.",
            "You're welcome."
        ]
    );
    assert_eq!(
        cur.end,
        agentcensus::time::parse_rfc3339("2026-02-03T09:21:00Z")
    );

    // Older export without a session marker.
    let old = &sessions[2];
    assert_eq!(old.agent, Agent::Other);
    assert_eq!(old.surface, Surface::Ide);
    assert_eq!(old.title.as_deref(), Some("Speed up the importer"));
    assert_eq!(
        old.start,
        agentcensus::time::parse_rfc3339("2025-03-04T17:06:07Z")
    );
    assert_eq!(old.human_prompts().count(), 2);
    // A part holding only a diff is an applied edit.
    assert_eq!(
        kinds(old),
        vec![
            ToolKind::Read,
            ToolKind::Search,
            ToolKind::Shell,
            ToolKind::Edit
        ]
    );
    // The search's details table and the command's output.
    assert_eq!(results(old).len(), 2);
    // A code block inside the reply's prose is a proposal: it stays text.
    assert!(agent_texts(old).iter().any(|t| t.contains("HEADER = None")));
}
