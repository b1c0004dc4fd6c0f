//! Evidence of success and failure, from tool results and git. OWNER: measure helper.
//!
//! Evidence is read from what the tools returned (exit codes, runner summaries,
//! git output) and from what the person typed, never from the agent's own
//! claims: "all tests pass" written by the agent after a failing run is not a
//! pass. One detector per module:
//!
//! - [`tests`]: detects test runs and their verdicts
//! - [`build`]: detects builds
//! - [`git`]: detects commits and pushes that succeeded
//! - [`pr`]: detects pull requests opened
//! - [`deploy`]: detects deploy / release commands
//! - [`final_error`]: detects the session ended on an error nothing recovered
//! - [`user_feedback`]: detects explicit affirmation or complaint in later prompts
//!
//! All detectors read one shared, borrowed view of the main session's tool
//! calls ([`Call`]), built once per session.

pub mod build;
pub mod command;
pub mod deploy;
pub mod final_error;
pub mod git;
pub mod pr;
pub mod tests;
pub mod user_feedback;

use crate::session::{Session, ToolKind, Turn};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;

/// One piece of evidence, for reasons ("pytest: 41 passed after the last edit").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// Detector name: "test", "build", "commit", "push", "pr", "deploy", "final_error", "affirmation", "complaint".
    pub kind: String,
    /// Index of the turn it came from.
    pub turn: usize,
    /// Positive (success) or negative (failure) evidence.
    pub positive: bool,
    /// Short description without prompt text.
    pub detail: String,
}

impl EvidenceItem {
    fn new(kind: &str, turn: usize, positive: bool, detail: impl Into<String>) -> Self {
        EvidenceItem {
            kind: kind.to_string(),
            turn,
            positive,
            detail: detail.into(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub test_runs: u32,
    pub test_runs_failed: u32,
    /// Result of the last test run (None: no tests ran).
    pub tests_pass_at_end: Option<bool>,
    /// The last test run came after the last edit and passed.
    pub tests_pass_after_last_edit: bool,
    pub builds: u32,
    pub build_ok_at_end: Option<bool>,
    pub commits: u32,
    pub pushes: u32,
    pub prs: u32,
    pub deploys: u32,
    /// The session ended on a tool error that no later success recovered.
    pub final_error_unrecovered: bool,
    pub user_affirmation: bool,
    pub user_complaint: bool,
    pub items: Vec<EvidenceItem>,
    // --- additive fields (not in the record) ---
    /// Builds that failed.
    #[serde(default)]
    pub builds_failed: u32,
    /// Deploy commands that failed.
    #[serde(default)]
    pub deploys_failed: u32,
    /// `git commit` calls that never got a result (interrupted, or the
    /// transcript was saved before the result): not evidence of a commit.
    #[serde(default)]
    pub commit_attempts_unanswered: u32,
    /// `gh pr merge` (or equivalent) that succeeded.
    #[serde(default)]
    pub prs_merged: u32,
    /// Distinct PR URLs seen as opened (for the classifier; repository URLs, no prompt text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pr_urls: Vec<String>,
    /// Messages of the commits that succeeded (user repository text: for the
    /// classifier only, never copied into the record).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commit_messages: Vec<String>,
    /// Index (1-based, in human-prompt order) of the prompts that carried an
    /// affirmation / a complaint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affirmation_prompts: Vec<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub complaint_prompts: Vec<usize>,
}

impl Evidence {
    /// The hard success signals present (STUDY.md measure 7: a commit, a PR,
    /// tests passing on the change, a command completing as intended, an
    /// explicit affirmation), as short names for reasons and signal levels.
    pub fn success_signals(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.commits > 0 {
            v.push("commit");
        }
        if self.prs > 0 || self.prs_merged > 0 {
            v.push("pr");
        }
        if self.tests_pass_after_last_edit {
            v.push("tests pass after the last edit");
        }
        if self.deploys > 0 && self.deploys_failed == 0 {
            v.push("deploy succeeded");
        }
        if self.build_ok_at_end == Some(true) && self.builds_failed > 0 {
            // A build that failed and was brought to success by the session.
            v.push("build fixed");
        }
        if self.user_affirmation {
            v.push("user affirmation");
        }
        v
    }

    /// The hard failure signals present (STUDY.md measure 8: an unrecovered
    /// final error, tests failing at the end, an explicit complaint).
    pub fn failure_signals(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.final_error_unrecovered {
            v.push("unrecovered final error");
        }
        if self.tests_pass_at_end == Some(false) {
            v.push("tests failing at the end");
        }
        if self.build_ok_at_end == Some(false) {
            v.push("build failing at the end");
        }
        if self.user_complaint {
            v.push("user complaint");
        }
        v
    }
}

/// A tool result as the detectors see it.
#[derive(Debug, Clone, Copy)]
pub struct Res<'a> {
    pub turn: usize,
    pub is_error: bool,
    pub exit_code: Option<i32>,
    pub output: &'a str,
}

impl Res<'_> {
    /// The exit code: recorded by ingest, else read from the head of the
    /// output ("Exit code 2" as Claude Code writes it for failed Bash calls,
    /// "Exit code: 1" / "Process exited with code 1" as Codex does).
    pub fn exit(&self) -> Option<i32> {
        self.exit_code
            .or_else(|| command::exit_code_in_output(self.output))
    }
    /// The call failed: non-zero exit when known, else the error flag.
    pub fn failed(&self) -> bool {
        match self.exit() {
            Some(c) => c != 0,
            None => self.is_error,
        }
    }
    /// The harness refused or the person rejected/cancelled the call: not an
    /// error of the work itself.
    pub fn rejected(&self) -> bool {
        self.is_error && command::is_rejection(self.output)
    }
}

/// One tool call of the main session, with its paired result.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// Index of the ToolCall turn.
    pub turn: usize,
    pub name: &'a str,
    pub kind: ToolKind,
    pub input: &'a serde_json::Value,
    /// Shell command text, for shell calls.
    pub command: Option<Cow<'a, str>>,
    pub result: Option<Res<'a>>,
}

/// The answered, not rejected shell calls that `matcher` recognises (by one
/// segment of their command), as (turn, tool name, succeeded), in order. The
/// build and deploy detectors share this walk.
pub fn command_runs<'c>(
    calls: &'c [Call<'c>],
    matcher: fn(&str) -> Option<&'static str>,
) -> impl Iterator<Item = (usize, &'static str, bool)> + 'c {
    calls.iter().filter_map(move |c| {
        let cmd = c.command.as_deref()?;
        let name = command::segments(cmd)
            .iter()
            .find_map(|s| matcher(s.text))?;
        let r = c.result?;
        (!r.rejected()).then(|| (c.turn, name, !r.failed()))
    })
}

impl Call<'_> {
    pub fn ok(&self) -> bool {
        self.result.is_some_and(|r| !r.failed())
    }
    pub fn failed(&self) -> bool {
        self.result.is_some_and(|r| r.failed())
    }
    pub fn output(&self) -> &str {
        self.result.map_or("", |r| r.output)
    }
    /// Edits files (edit/write kinds, or a patch); plan files the harness
    /// keeps for itself do not count.
    pub fn is_edit(&self) -> bool {
        let harness = ["file_path", "path"]
            .iter()
            .filter_map(|k| self.input.get(k).and_then(|v| v.as_str()))
            .any(crate::measure::telemetry::harness_file);
        if harness {
            return false;
        }
        matches!(self.kind, ToolKind::Edit | ToolKind::Write)
            || self.name.eq_ignore_ascii_case("apply_patch")
            || self
                .command
                .as_deref()
                .is_some_and(|c| c.contains("*** Begin Patch"))
    }
}

/// Builds the call view of the main session (sub-agents excluded).
pub fn calls(session: &Session) -> Vec<Call<'_>> {
    let mut results: HashMap<&str, Res<'_>> = HashMap::new();
    for (i, t) in session.turns.iter().enumerate() {
        if let Turn::ToolResult {
            id,
            is_error,
            exit_code,
            output,
            ..
        } = t
        {
            // The first result for an id wins (duplicates come from resumes).
            results.entry(id.as_str()).or_insert(Res {
                turn: i,
                is_error: *is_error,
                exit_code: *exit_code,
                output,
            });
        }
    }
    let mut out = Vec::new();
    for (i, t) in session.turns.iter().enumerate() {
        if let Turn::ToolCall {
            id,
            name,
            kind,
            input,
            ..
        } = t
        {
            out.push(Call {
                turn: i,
                name,
                kind: *kind,
                input,
                command: command::shell_command(name, *kind, input),
                result: results.get(id.as_str()).copied(),
            });
        }
    }
    out
}

/// Turn index of the last file edit (edit/write/patch) that did not fail.
pub fn last_edit_turn(calls: &[Call]) -> Option<usize> {
    calls
        .iter()
        .rev()
        .find(|c| c.is_edit() && !c.failed())
        .map(|c| c.turn)
}

pub fn detect(session: &Session) -> Evidence {
    let calls = calls(session);
    let mut ev = Evidence::default();
    tests::detect(&calls, &mut ev);
    build::detect(&calls, &mut ev);
    git::detect(&calls, &mut ev);
    pr::detect(session, &calls, &mut ev);
    deploy::detect(&calls, &mut ev);
    final_error::detect(session, &calls, &mut ev);
    user_feedback::detect(session, &mut ev);
    ev
}

/// Small builders for hand-written sessions in unit tests.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::session::{Agent, Session, SystemKind, ToolKind, Turn};
    use serde_json::{json, Value};

    pub struct B {
        pub s: Session,
        n: usize,
    }

    impl B {
        pub fn new() -> Self {
            B {
                s: Session::new("fixture", Agent::ClaudeCode),
                n: 0,
            }
        }
        pub fn human(mut self, text: &str) -> Self {
            self.s.turns.push(Turn::Human {
                text: text.into(),
                ts: None,
                queued: false,
            });
            self
        }
        pub fn agent(mut self, text: &str) -> Self {
            self.s.turns.push(Turn::Agent {
                text: text.into(),
                ts: None,
            });
            self
        }
        pub fn system(mut self, kind: SystemKind) -> Self {
            self.s.turns.push(Turn::System {
                kind,
                text: String::new(),
                ts: None,
            });
            self
        }
        /// A call and its result.
        pub fn call(
            mut self,
            name: &str,
            kind: ToolKind,
            input: Value,
            is_error: bool,
            exit_code: Option<i32>,
            output: &str,
        ) -> Self {
            self.n += 1;
            let id = format!("t{}", self.n);
            self.s.turns.push(Turn::ToolCall {
                id: id.clone(),
                name: name.into(),
                kind,
                input,
                ts: None,
            });
            self.s.turns.push(Turn::ToolResult {
                id,
                is_error,
                exit_code,
                output: output.into(),
                ts: None,
            });
            self
        }
        /// A call with no result (interrupted).
        pub fn call_only(mut self, name: &str, kind: ToolKind, input: Value) -> Self {
            self.n += 1;
            self.s.turns.push(Turn::ToolCall {
                id: format!("t{}", self.n),
                name: name.into(),
                kind,
                input,
                ts: None,
            });
            self
        }
        /// A Claude Code Bash call: `exit` 0 is a plain result, anything else
        /// an error result starting with "Exit code N".
        pub fn bash(self, cmd: &str, exit: i32, output: &str) -> Self {
            if exit == 0 {
                self.call(
                    "Bash",
                    ToolKind::Shell,
                    json!({ "command": cmd }),
                    false,
                    None,
                    output,
                )
            } else {
                let out = format!("Exit code {exit}\n{output}");
                self.call(
                    "Bash",
                    ToolKind::Shell,
                    json!({ "command": cmd }),
                    true,
                    None,
                    &out,
                )
            }
        }
        /// A Codex shell call with an explicit exit code.
        pub fn codex_shell(self, cmd: &str, exit: i32, output: &str) -> Self {
            self.call(
                "shell",
                ToolKind::Shell,
                json!({ "command": ["bash", "-lc", cmd] }),
                false,
                Some(exit),
                output,
            )
        }
        pub fn edit(self, path: &str, old: &str, new: &str) -> Self {
            self.call(
                "Edit",
                ToolKind::Edit,
                json!({ "file_path": path, "old_string": old, "new_string": new }),
                false,
                None,
                "The file has been updated.",
            )
        }
        pub fn write(self, path: &str, content: &str) -> Self {
            self.call(
                "Write",
                ToolKind::Write,
                json!({ "file_path": path, "content": content }),
                false,
                None,
                "File created successfully",
            )
        }
        pub fn read(self, path: &str) -> Self {
            self.call(
                "Read",
                ToolKind::Read,
                json!({ "file_path": path }),
                false,
                None,
                "     1\tfn main() {}",
            )
        }
        pub fn build(self) -> Session {
            self.s
        }
    }
}

#[cfg(test)]
mod signal_tests {
    use super::detect;
    use super::fixture::B;

    #[test]
    fn signals_name_the_hard_evidence() {
        let s = B::new()
            .human("fix and commit")
            .bash(
                "cargo test",
                101,
                "test result: FAILED. 1 passed; 1 failed;",
            )
            .edit("src/lib.rs", "a", "b")
            .bash("cargo test", 0, "test result: ok. 2 passed; 0 failed;")
            .bash(
                "git commit -am fix",
                0,
                "[main 1234567] fix\n 1 file changed",
            )
            .human("perfect, thanks")
            .build();
        let e = detect(&s);
        assert_eq!(
            e.success_signals(),
            vec![
                "commit",
                "tests pass after the last edit",
                "user affirmation"
            ]
        );
        assert!(e.failure_signals().is_empty());
        let s = B::new()
            .human("fix")
            .bash(
                "cargo test",
                101,
                "test result: FAILED. 1 passed; 1 failed;",
            )
            .human("still broken")
            .build();
        let e = detect(&s);
        assert!(e.success_signals().is_empty());
        assert_eq!(
            e.failure_signals(),
            vec![
                "unrecovered final error",
                "tests failing at the end",
                "user complaint"
            ]
        );
    }
}
