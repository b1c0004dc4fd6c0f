//! The session ended on an error that nothing recovered.
//!
//! A recovered intermediate error is not a failure (the final state counts),
//! so this looks only at the end of the session: the agent's last stretch of
//! work (the calls after the last human prompt that was followed by calls),
//! and in it the last [`TAIL`] tool calls that returned a result. Is there a
//! significant failed call that no later call with the same key (same
//! command, or same tool on the same file) redid successfully? A failure the
//! person answered with a new prompt and the agent then moved past is not
//! the end of the session.
//!
//! The session also ends on an unrecovered error when its last event is an
//! API error (usage limit, overloaded, ...) with no agent text or tool work
//! after it.
//!
//! Not significant: calls the person rejected or the harness cancelled, and
//! failures that are answers rather than errors: searches and reads (a grep
//! with no match exits 1, a missing file is information), and shell lookups
//! such as `grep`, `ls`, `cat`, `which`, `test`, `diff`, `git status/diff/log`,
//! and outputs that report a state ("nothing to commit", "Already up to date").

use super::command;
use super::{Call, Evidence, EvidenceItem};
use crate::session::{Session, SystemKind, ToolKind, Turn};

/// How many of the last result-bearing calls count as "the end".
pub const TAIL: usize = 3;

/// Shell programs whose non-zero exit is an answer, not a failure.
const LOOKUPS: &[&str] = &[
    "grep", "rg", "ag", "ls", "cat", "find", "fd", "which", "whereis", "type", "command", "test",
    "[", "[[", "head", "tail", "stat", "file", "diff", "cmp", "pgrep", "pidof", "wc", "echo",
    "readlink", "realpath", "tree", "less", "more", "jq", "ps", "lsof", "id", "getent", "printenv",
];

/// The identity of a call for recovery: program + subcommand for shell,
/// tool name + target for the rest.
fn key(c: &Call) -> String {
    if let Some(cmd) = c.command.as_deref() {
        let segs = command::segments(cmd);
        let seg = segs
            .iter()
            .find(|s| {
                !matches!(
                    command::program(s.text),
                    "cd" | "source" | "." | "export" | "set" | "pushd" | "popd" | "true"
                )
            })
            .map(|s| s.text)
            .unwrap_or("");
        let mut w = seg.split_whitespace().filter(|w| !w.starts_with('-'));
        let prog = w
            .next()
            .map(|p| p.rsplit('/').next().unwrap_or(p))
            .unwrap_or("");
        let sub = w.next().unwrap_or("");
        return format!("sh:{prog} {sub}");
    }
    let target = ["file_path", "path", "notebook_path", "url", "pattern"]
        .iter()
        .find_map(|k| c.input.get(k).and_then(|v| v.as_str()))
        .unwrap_or("");
    format!("{}:{}", c.name, target)
}

/// Outputs that report a state, not a failure ("nothing to commit").
fn benign_output(out: &str) -> bool {
    let head = &out[..command::floor_boundary(out, 2000)];
    head.contains("nothing to commit")
        || head.contains("No changes to make")
        || head.contains("no changes added to commit")
        || head.contains("Everything up-to-date")
        || head.contains("Already up to date")
}

fn significant(c: &Call) -> bool {
    if matches!(c.kind, ToolKind::Search | ToolKind::Read | ToolKind::Plan) {
        return false;
    }
    if benign_output(c.output()) {
        return false;
    }
    if let Some(cmd) = c.command.as_deref() {
        let segs = command::segments(cmd);
        // The line's exit code is the last segment's (pipes aside).
        if let Some(last) = segs.iter().rev().find(|s| !s.piped).or(segs.last()) {
            let p = command::program(last.text);
            if LOOKUPS.contains(&p) {
                return false;
            }
            if p == "git" {
                let sub = last.text.split_whitespace().nth(1).unwrap_or("");
                if matches!(
                    sub,
                    "status"
                        | "diff"
                        | "log"
                        | "show"
                        | "rev-parse"
                        | "ls-files"
                        | "grep"
                        | "branch"
                        | "remote"
                        | "config"
                ) {
                    return false;
                }
            }
        }
    }
    true
}

/// Turn index where the agent's last stretch of work starts.
fn last_stretch_start(session: &Session, calls: &[Call]) -> usize {
    let Some(last_call) = calls.last().map(|c| c.turn) else {
        return 0;
    };
    session.turns[..last_call]
        .iter()
        .rposition(|t| matches!(t, Turn::Human { .. }))
        .map_or(0, |h| h + 1)
}

/// The last event that is work or an API error is an API error.
fn ends_on_api_error(session: &Session) -> Option<usize> {
    for (i, t) in session.turns.iter().enumerate().rev() {
        match t {
            Turn::System {
                kind: SystemKind::ApiError,
                ..
            } => return Some(i),
            Turn::Agent { .. } | Turn::ToolCall { .. } | Turn::ToolResult { .. } => return None,
            Turn::Human { .. } => return None,
            Turn::System { .. } => {}
        }
    }
    None
}

pub fn detect(session: &Session, calls: &[Call], ev: &mut Evidence) {
    if let Some(turn) = ends_on_api_error(session) {
        ev.final_error_unrecovered = true;
        ev.items.push(EvidenceItem::new(
            "final_error",
            turn,
            false,
            "session ended on an API error",
        ));
        return;
    }
    let from = last_stretch_start(session, calls);
    let with_result: Vec<&Call> = calls
        .iter()
        .filter(|c| c.turn >= from && c.result.is_some_and(|r| !r.rejected()))
        .collect();
    let start = with_result.len().saturating_sub(TAIL);
    for (i, c) in with_result.iter().enumerate().skip(start) {
        if !c.failed() || !significant(c) {
            continue;
        }
        let k = key(c);
        let recovered = with_result[i + 1..]
            .iter()
            .any(|later| later.ok() && key(later) == k);
        if !recovered {
            ev.final_error_unrecovered = true;
            let what = match c.command.as_deref() {
                Some(_) => {
                    let k = k.trim_start_matches("sh:").trim();
                    format!("shell ({k})")
                }
                None => c.kind.as_str().to_string(),
            };
            ev.items.push(EvidenceItem::new(
                "final_error",
                c.turn,
                false,
                format!("unrecovered error at the end: {what}"),
            ));
            return;
        }
    }
}

#[cfg(test)]
mod unit_tests {
    use super::super::fixture::B;
    use super::super::{calls, Evidence};
    use super::*;
    use serde_json::json;

    fn ev(s: &crate::session::Session) -> Evidence {
        let mut e = Evidence::default();
        detect(s, &calls(s), &mut e);
        e
    }

    #[test]
    fn final_failure_is_unrecovered() {
        let s = B::new()
            .human("build")
            .bash("cargo build", 0, "Finished")
            .edit("src/a.rs", "a", "b")
            .bash("cd app && cargo build --release", 101, "error[E0425]")
            .build();
        let e = ev(&s);
        assert!(e.final_error_unrecovered);
        assert_eq!(
            e.items[0].detail,
            "unrecovered error at the end: shell (cargo build)"
        );
    }

    #[test]
    fn recovered_error_is_not_final() {
        let s = B::new()
            .human("build")
            .bash("cargo build", 101, "error[E0425]")
            .edit("src/a.rs", "a", "b")
            .bash("cargo build", 0, "Finished")
            .build();
        assert!(!ev(&s).final_error_unrecovered);
    }

    #[test]
    fn early_errors_and_lookups_do_not_count() {
        let s = B::new()
            .human("go")
            .bash("make deploy", 2, "make: *** [deploy] Error 1")
            .bash("ls", 0, "a")
            .bash("ls", 0, "a")
            .bash("ls", 0, "a")
            .bash("grep -r TODO src", 1, "")
            .call(
                "Read",
                ToolKind::Read,
                json!({"file_path": "/nope"}),
                true,
                None,
                "File does not exist.",
            )
            .build();
        assert!(!ev(&s).final_error_unrecovered);
    }

    #[test]
    fn error_answered_by_a_new_prompt_and_later_work_is_not_final() {
        let s = B::new()
            .human("write the spec")
            .bash("make docs", 2, "make: *** [docs] Error 2")
            .human("continue")
            .bash("sed -n '1,20p' docs/status.md", 0, "# Status")
            .build();
        assert!(!ev(&s).final_error_unrecovered);
    }

    #[test]
    fn session_ending_on_an_api_error() {
        let s = B::new()
            .human("refactor")
            .edit("a.kt", "x", "y")
            .system(SystemKind::ApiError)
            .system(SystemKind::LocalCommand)
            .build();
        let e = ev(&s);
        assert!(e.final_error_unrecovered);
        assert_eq!(e.items[0].detail, "session ended on an API error");
        let s = B::new()
            .human("refactor")
            .system(SystemKind::ApiError)
            .agent("Retrying worked; done.")
            .build();
        assert!(!ev(&s).final_error_unrecovered);
    }

    #[test]
    fn rejection_is_not_an_error() {
        let s = B::new()
            .human("go")
            .call(
                "Bash",
                ToolKind::Shell,
                json!({"command": "rm -rf build"}),
                true,
                None,
                "The user doesn't want to proceed with this tool use.",
            )
            .build();
        assert!(!ev(&s).final_error_unrecovered);
    }

    #[test]
    fn failed_edit_recovered_by_edit_of_same_file() {
        let s = B::new()
            .human("go")
            .call(
                "Edit",
                ToolKind::Edit,
                json!({"file_path": "a.py", "old_string": "x", "new_string": "y"}),
                true,
                None,
                "<tool_use_error>String to replace not found in file.</tool_use_error>",
            )
            .edit("a.py", "z", "y")
            .build();
        assert!(!ev(&s).final_error_unrecovered);
    }
}
