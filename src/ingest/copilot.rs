//! GitHub Copilot CLI sessions (`~/.copilot/session-state/<session-id>/events.jsonl`).
//!
//! One JSON event per line: `{"type": "<kind>", "data": {...}, "id", "timestamp",
//! "parentId"}` with dotted kinds. What is mapped:
//! - `session.start` / `session.resume`: session id, CLI version, cwd, git branch;
//! - `session.model_change` and each message's `model`: models;
//! - `user.message`: a human prompt (`content`, what the person typed; the
//!   harness's expanded `transformedContent` is not the prompt);
//! - `assistant.message`: agent text, one model call (`messageId`, output
//!   tokens), and its `toolRequests` as tool calls;
//! - `tool.execution_start`: a tool call not already announced by a message;
//! - `tool.execution_complete`: the result (`success`, output, exit code when
//!   a shell tool printed one);
//! - `abort` -> interruption; `session.error` -> API error (model errors) or
//!   other; compaction events -> compaction; a permission denied by the person
//!   -> rejection, and an error result for the call (once, whether or not a
//!   completion follows).
//!
//! Hooks, permission requests, turn boundaries, info notices and the shutdown
//! summary carry nothing we measure. The CLI records no entrypoint: sessions
//! are `cli`; a person typed every `user.message`.

use super::Format;
use crate::diag::Diagnostics;
use crate::session::{
    keep_head_tail, Agent, ModelCall, Session, Surface, SystemKind, ToolKind, Turn,
    OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL,
};
use crate::time::{parse_rfc3339, Millis};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub struct Copilot;

/// One line of `events.jsonl`.
#[derive(Deserialize)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    data: serde_json::Value,
    #[serde(default)]
    timestamp: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Context {
    cwd: Option<String>,
    branch: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct SessionStart {
    session_id: Option<String>,
    copilot_version: Option<String>,
    producer: Option<String>,
    start_time: Option<String>,
    context: Option<Context>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct UserMessage {
    content: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ToolRequest {
    tool_call_id: Option<String>,
    name: Option<String>,
    arguments: serde_json::Value,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct AssistantMessage {
    message_id: Option<String>,
    model: Option<String>,
    content: Option<String>,
    tool_requests: Vec<ToolRequest>,
    output_tokens: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ToolStart {
    tool_call_id: Option<String>,
    tool_name: Option<String>,
    arguments: serde_json::Value,
    model: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ToolResultBody {
    content: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ToolComplete {
    tool_call_id: Option<String>,
    success: Option<bool>,
    result: Option<ToolResultBody>,
    error: serde_json::Value,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ErrorBody {
    error_type: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PermissionResult {
    kind: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PermissionCompleted {
    tool_call_id: Option<String>,
    result: Option<PermissionResult>,
}

/// Normalized kind of a Copilot CLI tool name.
pub fn tool_kind(name: &str) -> ToolKind {
    match name {
        "view" | "read" | "read_file" | "show_file" => ToolKind::Read,
        "edit" | "str_replace" | "str_replace_editor" | "apply_patch" | "insert" => ToolKind::Edit,
        "create" | "write" | "write_file" => ToolKind::Write,
        "bash" | "shell" | "powershell" | "read_bash" | "write_bash" | "stop_bash"
        | "read_powershell" | "write_powershell" | "stop_powershell" => ToolKind::Shell,
        "glob" | "grep" | "rg" | "search" | "list_dir" => ToolKind::Search,
        "web_fetch" | "fetch" | "web_search" => ToolKind::Web,
        "task" | "subagent" | "delegate" => ToolKind::Task,
        "report_intent" | "update_todo" | "todo" | "plan" => ToolKind::Plan,
        _ => ToolKind::Other,
    }
}

/// Exit code a shell tool wrote in its output: `<... completed with exit code N>`
/// or `exit code N` / `Exit code: N` anywhere in the last lines.
pub fn exit_code_in_output(out: &str) -> Option<i32> {
    let tail_start = out.len().saturating_sub(400);
    let mut t = tail_start;
    while !out.is_char_boundary(t) {
        t += 1;
    }
    let tail = out[t..].to_ascii_lowercase();
    let i = tail.rfind("exit code")? + "exit code".len();
    let rest = tail[i..].trim_start_matches([':', ' ']);
    let end = rest
        .char_indices()
        .find(|(k, c)| !(c.is_ascii_digit() || (*k == 0 && *c == '-')))
        .map(|(k, _)| k)
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn is_copilot_event(v: &serde_json::Value) -> bool {
    let Some(o) = v.as_object() else { return false };
    let Some(t) = o.get("type").and_then(|t| t.as_str()) else {
        return false;
    };
    o.contains_key("data")
        && !o.contains_key("payload")
        && t.contains('.')
        && [
            "session.",
            "user.",
            "assistant.",
            "tool.",
            "system.",
            "hook.",
        ]
        .iter()
        .any(|p| t.starts_with(p))
}

/// Session id from the layout `<id>/events.jsonl`, else the file stem.
fn id_from_path(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "events" {
        if let Some(d) = path.parent().and_then(|p| p.file_name()) {
            return d.to_string_lossy().into_owned();
        }
    }
    stem
}

impl Format for Copilot {
    fn name(&self) -> &'static str {
        "copilot-cli"
    }
    fn agent(&self) -> Agent {
        Agent::Copilot
    }
    fn sniff(&self, _path: &Path, head: &[u8]) -> bool {
        let lines = super::json_lines(head, 3);
        if let Some(first) = lines.first() {
            return is_copilot_event(first);
        }
        // First line longer than the sniffed head.
        head.starts_with(b"{\"type\":\"session.start\",\"data\":")
            || head.starts_with(b"{\"type\":\"user.message\",\"data\":")
    }
    fn unit_key(&self, path: &Path, _head: &[u8]) -> String {
        path.display().to_string()
    }
    fn parse(&self, files: &[PathBuf], diag: &Diagnostics) -> Vec<Session> {
        files.iter().filter_map(|f| parse_file(f, diag)).collect()
    }
}

/// Builds one session from one `events.jsonl`.
struct Builder {
    s: Session,
    calls: HashSet<String>,
    /// Calls that already have a result (a denial is the call's result; the
    /// CLI may or may not write a completion after it).
    resulted: HashSet<String>,
    model: Option<String>,
    events: u64,
}

impl Builder {
    fn tool_call(
        &mut self,
        id: Option<String>,
        name: &str,
        input: serde_json::Value,
        ts: Option<Millis>,
    ) {
        let id = id.unwrap_or_else(|| format!("call-{}", self.calls.len() + 1));
        if !self.calls.insert(id.clone()) {
            return; // announced by its message already
        }
        self.s.turns.push(Turn::ToolCall {
            id,
            name: name.to_string(),
            kind: tool_kind(name),
            input,
            ts,
        });
    }

    fn apply(&mut self, ev: Event, path: &Path, line: u64, diag: &Diagnostics) {
        let ts = ev.timestamp.as_deref().and_then(parse_rfc3339);
        self.s.note_ts(ts);
        self.events += 1;
        macro_rules! data {
            ($t:ty) => {
                match serde_json::from_value::<$t>(ev.data) {
                    Ok(d) => d,
                    Err(e) => {
                        diag.warn(
                            path,
                            Some(line),
                            format!("unexpected {} event shape: {e}", ev.kind),
                        );
                        self.s.other_records += 1;
                        return;
                    }
                }
            };
        }
        match ev.kind.as_str() {
            "session.start" | "session.resume" => {
                let d = data!(SessionStart);
                if let Some(id) = d.session_id.filter(|i| !i.is_empty()) {
                    self.s.id = id;
                }
                if self.s.agent_version.is_none() {
                    self.s.agent_version = d.copilot_version;
                }
                if self.s.entrypoint.is_none() {
                    self.s.entrypoint = d.producer;
                }
                self.s
                    .note_ts(d.start_time.as_deref().and_then(parse_rfc3339));
                if let Some(c) = d.context {
                    if let Some(cwd) = c.cwd {
                        self.s.set_cwd(&cwd);
                    }
                    if self.s.git_branch.is_none() {
                        self.s.git_branch = c.branch.filter(|b| !b.is_empty());
                    }
                }
            }
            "session.model_change" => {
                if let Some(m) = ev.data.get("newModel").and_then(|m| m.as_str()) {
                    self.s.note_model(m);
                    self.model = Some(m.to_string());
                }
            }
            "user.message" => {
                let d = data!(UserMessage);
                let text = d.content.unwrap_or_default();
                if !text.trim().is_empty() {
                    self.s.turns.push(Turn::Human {
                        text,
                        ts,
                        queued: false,
                    });
                }
            }
            "assistant.message" => {
                let d = data!(AssistantMessage);
                if let Some(m) = d.model.as_deref() {
                    self.s.note_model(m);
                }
                let n = self.s.model_calls.len() + 1;
                self.s.model_calls.push(ModelCall {
                    message_id: d.message_id.unwrap_or_else(|| format!("message-{n}")),
                    model: d.model.or_else(|| self.model.clone()),
                    ts,
                    output_tokens: d.output_tokens.unwrap_or(0),
                    ..Default::default()
                });
                if let Some(text) = d.content.filter(|c| !c.trim().is_empty()) {
                    self.s.turns.push(Turn::Agent { text, ts });
                }
                for r in d.tool_requests {
                    let name = r.name.unwrap_or_default();
                    self.tool_call(r.tool_call_id, &name, r.arguments, ts);
                }
            }
            "tool.execution_start" => {
                let d = data!(ToolStart);
                if let Some(m) = d.model.as_deref() {
                    self.s.note_model(m);
                }
                let name = d.tool_name.unwrap_or_default();
                self.tool_call(d.tool_call_id, &name, d.arguments, ts);
            }
            "tool.execution_complete" => {
                let d = data!(ToolComplete);
                let mut output = d.result.and_then(|r| r.content).unwrap_or_default();
                if output.is_empty() {
                    output = match &d.error {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Object(o) => o
                            .get("message")
                            .and_then(|m| m.as_str())
                            .unwrap_or_default()
                            .to_string(),
                        _ => String::new(),
                    };
                }
                let id = d.tool_call_id.unwrap_or_default();
                if !id.is_empty() && !self.resulted.insert(id.clone()) {
                    return; // denied earlier: that was its result
                }
                let exit_code = exit_code_in_output(&output);
                let is_error = d.success == Some(false)
                    || (d.success.is_none() && !d.error.is_null())
                    || exit_code.is_some_and(|c| c != 0);
                self.s.turns.push(Turn::ToolResult {
                    id,
                    is_error,
                    exit_code,
                    output: keep_head_tail(&output, OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL),
                    ts,
                });
            }
            "abort" => self.s.turns.push(Turn::System {
                kind: SystemKind::Interruption,
                text: ev
                    .data
                    .get("reason")
                    .and_then(|r| r.as_str())
                    .unwrap_or_default()
                    .to_string(),
                ts,
            }),
            "session.error" => {
                let d = data!(ErrorBody);
                let kind = match d.error_type.as_deref() {
                    Some("mcp") | Some("authentication") | Some("config") => SystemKind::Other,
                    _ => SystemKind::ApiError,
                };
                self.s.turns.push(Turn::System {
                    kind,
                    text: d.message.unwrap_or_default(),
                    ts,
                });
            }
            "session.compaction_start" | "session.truncation" => {}
            "session.compaction_complete" => self.s.turns.push(Turn::System {
                kind: SystemKind::Compaction,
                text: String::new(),
                ts,
            }),
            "permission.completed" => {
                let d = data!(PermissionCompleted);
                let kind = d.result.and_then(|r| r.kind).unwrap_or_default();
                if kind.starts_with("denied") && kind.contains("user") {
                    self.s.turns.push(Turn::System {
                        kind: SystemKind::Rejection,
                        text: String::new(),
                        ts,
                    });
                    if let Some(id) = d.tool_call_id.filter(|i| self.calls.contains(i)) {
                        if self.resulted.insert(id.clone()) {
                            self.s.turns.push(Turn::ToolResult {
                                id,
                                is_error: true,
                                exit_code: None,
                                output: format!("permission {kind}"),
                                ts,
                            });
                        }
                    }
                }
            }
            "system.message" => {} // the harness's system prompt
            k if k.starts_with("hook.")
                || k.starts_with("permission.")
                || k.starts_with("assistant.")
                || k.starts_with("session.") =>
            {
                // turn boundaries, deltas, usage, hooks, info notices, shutdown
            }
            _ => self.s.other_records += 1,
        }
    }
}

fn parse_file(path: &Path, diag: &Diagnostics) -> Option<Session> {
    let mut b = Builder {
        s: Session::new(id_from_path(path), Agent::Copilot),
        calls: HashSet::new(),
        resulted: HashSet::new(),
        model: None,
        events: 0,
    };
    b.s.surface = Surface::Cli;
    b.s.files.push(path.to_path_buf());
    super::jsonl::for_each_line(path, diag, |n, line| {
        match serde_json::from_str::<Event>(line) {
            Ok(ev) => b.apply(ev, path, n, diag),
            Err(e) => {
                diag.warn(path, Some(n), format!("invalid event: {e}; line skipped"));
            }
        }
    });
    if b.events == 0 {
        diag.warn(path, None, "no Copilot CLI events; no session");
        return None;
    }
    Some(b.s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        assert_eq!(
            exit_code_in_output("ok\n<shellId: 3 completed with exit code 2>"),
            Some(2)
        );
        assert_eq!(exit_code_in_output("Exit code: 0"), Some(0));
        assert_eq!(exit_code_in_output("no code here"), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(tool_kind("view"), ToolKind::Read);
        assert_eq!(tool_kind("bash"), ToolKind::Shell);
        assert_eq!(tool_kind("create"), ToolKind::Write);
        assert_eq!(tool_kind("glob"), ToolKind::Search);
        assert_eq!(tool_kind("something_new"), ToolKind::Other);
    }
}
