//! SWE-agent and mini-swe-agent trajectories: one JSON document per task run.
//!
//! These are automated runs: a harness hands the agent one task statement
//! and the agent works until it submits. Sessions are `headless` (never
//! interactive); the task statement is kept as the one human prompt so that
//! the work can still be classified.
//!
//! SWE-agent (`<instance>.traj`): `trajectory` steps (`action` command,
//! `observation`, `thought`, `state` with the working directory) give the tool
//! calls, their results and the agent's text; `history` gives the task (the
//! first non-demonstration user message); `info.exit_status` and
//! `info.model_stats`; the model name from `replay_config` when present.
//! Demonstration files with only a `history` are read from its assistant
//! `action`s and the observations that follow them.
//!
//! mini-swe-agent (`<instance>.traj.json`, `trajectory_format`
//! `mini-swe-agent-*`): `messages` (system, the task as the first user
//! message, assistant messages with `tool_calls` or a fenced bash block,
//! `tool` / user observations with `<returncode>`), harness feedback (format
//! errors) as system events, `extra.response` for model calls, tokens and
//! timestamps, `info.config.model.model_name`, `info.mini_version`.
//!
//! SWE-agent classic writes no timestamps: those sessions have no start/end.
//! Exit codes exist only in mini-swe-agent observations.

use super::Format;
use crate::diag::Diagnostics;
use crate::session::{
    keep_head_tail, Agent, ModelCall, Session, Surface, SystemKind, ToolKind, Turn,
    OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL,
};
use crate::time::{from_epoch_seconds, Millis};
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub struct SweAgent;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Classic,
    Mini,
}

fn flavor_of_value(v: &Value) -> Option<Flavor> {
    let o = v.as_object()?;
    if o.get("trajectory_format")
        .and_then(Value::as_str)
        .is_some_and(|f| f.starts_with("mini-swe-agent"))
        || (o.contains_key("messages")
            && o.contains_key("info")
            && o.get("info")
                .is_some_and(|i| i.get("model_stats").is_some()))
    {
        return Some(Flavor::Mini);
    }
    let steps = o
        .get("trajectory")
        .and_then(Value::as_array)
        .is_some_and(|t| t.first().is_none_or(|s| s.get("action").is_some()));
    let history = o
        .get("history")
        .and_then(Value::as_array)
        .is_some_and(|h| h.iter().take(3).any(|m| m.get("role").is_some()));
    (steps && (history || o.contains_key("info")) || (history && o.len() <= 3))
        .then_some(Flavor::Classic)
}

/// From raw bytes, for files longer than the sniffed head.
fn flavor_of_head(head: &[u8]) -> Option<Flavor> {
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start();
    if !t.starts_with('{') {
        return None;
    }
    let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if squeezed.contains("\"trajectory_format\":\"mini-swe-agent")
        || squeezed.starts_with("{\"info\":{\"model_stats\":{\"instance_cost\"")
    {
        return Some(Flavor::Mini);
    }
    if squeezed.contains("\"trajectory\":[{\"action\":")
        || squeezed.starts_with("{\"history\":[{\"role\":\"system\"")
    {
        return Some(Flavor::Classic);
    }
    None
}

fn flavor(head: &[u8]) -> Option<Flavor> {
    match serde_json::from_slice::<Value>(head) {
        Ok(v) => flavor_of_value(&v),
        Err(_) => flavor_of_head(head),
    }
}

fn run_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for ext in [".traj.json", ".traj", ".json"] {
        if let Some(s) = name.strip_suffix(ext) {
            return s.to_string();
        }
    }
    name
}

impl Format for SweAgent {
    fn name(&self) -> &'static str {
        "swe-agent"
    }
    fn agent(&self) -> Agent {
        Agent::SweAgent
    }
    fn sniff(&self, _path: &Path, head: &[u8]) -> bool {
        flavor(head).is_some()
    }
    fn unit_key(&self, path: &Path, _head: &[u8]) -> String {
        path.display().to_string()
    }
    fn parse(&self, files: &[PathBuf], diag: &Diagnostics) -> Vec<Session> {
        files.iter().filter_map(|f| parse_file(f, diag)).collect()
    }
}

fn parse_file(path: &Path, diag: &Diagnostics) -> Option<Session> {
    let v = super::json_file::read(path, diag)?;
    let mut s = Session::new(run_id(path), Agent::SweAgent);
    s.surface = Surface::Headless;
    s.files.push(path.to_path_buf());
    match flavor_of_value(&v) {
        Some(Flavor::Classic) => classic(&mut s, v, path, diag),
        Some(Flavor::Mini) => mini(&mut s, v, path, diag),
        None => {
            diag.warn(path, None, "not a SWE-agent trajectory; skipped");
            return None;
        }
    }
    Some(s)
}

/// Normalized kind of a SWE-agent command line (its first word; for the
/// `str_replace_editor` tool, its sub-command).
pub fn command_kind(action: &str) -> (String, ToolKind) {
    let mut words = action.split_whitespace();
    let first = words.next().unwrap_or("").to_string();
    let kind = match first.as_str() {
        "open" | "goto" | "scroll_up" | "scroll_down" | "cat" | "head" | "tail" => ToolKind::Read,
        "edit" | "insert" | "append" | "str_replace" => ToolKind::Edit,
        "create" => ToolKind::Write,
        "find_file" | "search_dir" | "search_file" | "grep" | "find" | "ls" | "rg" => {
            ToolKind::Search
        }
        "str_replace_editor" | "edit_file" => match words.next().unwrap_or("") {
            "view" => ToolKind::Read,
            "create" => ToolKind::Write,
            _ => ToolKind::Edit,
        },
        "submit" | "exit_forfeit" | "skip" => ToolKind::Other,
        "decompile"
        | "disassemble"
        | "debug_start"
        | "debug_add_breakpoint"
        | "debug_continue"
        | "debug_step"
        | "debug_exec"
        | "debug_stop"
        | "connect_start"
        | "connect_sendline"
        | "connect_exec"
        | "connect_stop" => ToolKind::Other,
        "set_cursors" => ToolKind::Other,
        "" => ToolKind::Other,
        _ => ToolKind::Shell,
    };
    let name = if kind == ToolKind::Shell {
        "bash".to_string()
    } else {
        first
    };
    (name, kind)
}

/// Observations that say the harness refused or failed the command.
fn looks_failed(obs: &str) -> bool {
    let head = obs.trim_start();
    head.starts_with("Error:")
        || head.starts_with("Usage:")
        || head.contains("command not found")
        || head.starts_with("Your proposed edit has introduced new syntax error")
        || head.starts_with("Your edit was not applied")
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `state` is a JSON object or a string holding one.
fn working_dir(state: &Value) -> Option<String> {
    let obj = match state {
        Value::String(s) => serde_json::from_str::<Value>(s).ok()?,
        v => v.clone(),
    };
    obj.get("working_dir")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn exit_event(s: &mut Session, status: &str, ts: Option<Millis>) {
    if status.is_empty() {
        return;
    }
    let lower = status.to_ascii_lowercase();
    let kind = if lower.contains("error") || lower.contains("exception") {
        SystemKind::ApiError
    } else {
        SystemKind::Other
    };
    s.turns.push(Turn::System {
        kind,
        text: format!("exit status: {status}"),
        ts,
    });
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Step {
    action: String,
    observation: Value,
    thought: String,
    response: String,
    state: Value,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HistoryMessage {
    role: String,
    content: Value,
    is_demo: bool,
    message_type: Option<String>,
    action: Option<String>,
    thought: Option<String>,
}

fn classic(s: &mut Session, v: Value, path: &Path, diag: &Diagnostics) {
    let Value::Object(mut o) = v else { return };
    if let Some(env) = o.get("environment").and_then(Value::as_str) {
        s.entrypoint = Some(env.to_string());
    }
    if let Some(cfg) = o.get("replay_config").and_then(Value::as_str) {
        if let Ok(c) = serde_json::from_str::<Value>(cfg) {
            let model = c
                .pointer("/agent/model/name")
                .or_else(|| c.pointer("/agent/model/model_name"))
                .and_then(Value::as_str);
            if let Some(m) = model.filter(|m| *m != "replay") {
                s.note_model(m);
            }
        }
    }
    let history: Vec<HistoryMessage> = match o.remove("history") {
        Some(h) => serde_json::from_value(h).unwrap_or_else(|e| {
            diag.warn(
                path,
                None,
                format!("unexpected SWE-agent history shape: {e}"),
            );
            Vec::new()
        }),
        None => Vec::new(),
    };
    let task = history.iter().find(|m| {
        m.role == "user" && !m.is_demo && m.message_type.as_deref() != Some("demonstration")
    });
    if let Some(t) = task {
        let text = as_text(&t.content);
        if !text.trim().is_empty() {
            s.turns.push(Turn::Human {
                text,
                ts: None,
                queued: false,
            });
        }
    }
    let steps: Vec<Step> = match o.remove("trajectory") {
        Some(t) => serde_json::from_value(t).unwrap_or_else(|e| {
            diag.warn(
                path,
                None,
                format!("unexpected SWE-agent trajectory shape: {e}"),
            );
            Vec::new()
        }),
        None => Vec::new(),
    };
    let mut steps = steps;
    if steps.is_empty() {
        // Demonstrations: assistant actions followed by their observations.
        let mut it = history
            .iter()
            .skip_while(|m| !std::ptr::eq(*m, task.unwrap_or(*m)))
            .skip(1)
            .peekable();
        while let Some(m) = it.next() {
            if m.role != "assistant" {
                continue;
            }
            let Some(action) = m.action.clone() else {
                continue;
            };
            let observation = match it.peek() {
                Some(n) if n.role != "assistant" => it.next().map(|n| n.content.clone()),
                _ => None,
            };
            steps.push(Step {
                action,
                observation: observation.unwrap_or(Value::Null),
                thought: m.thought.clone().unwrap_or_default(),
                ..Default::default()
            });
        }
    }
    for (i, st) in steps.into_iter().enumerate() {
        let thought = if st.thought.trim().is_empty() {
            st.response
        } else {
            st.thought
        };
        if !thought.trim().is_empty() {
            s.turns.push(Turn::Agent {
                text: thought.trim().to_string(),
                ts: None,
            });
        }
        s.model_calls.push(ModelCall {
            message_id: format!("step-{}", i + 1),
            model: s.models.first().cloned(),
            ..Default::default()
        });
        if let Some(d) = working_dir(&st.state) {
            s.set_cwd(&d);
        }
        let action = st.action.trim().to_string();
        if action.is_empty() {
            continue;
        }
        let (name, kind) = command_kind(&action);
        let id = format!("step-{}", i + 1);
        s.turns.push(Turn::ToolCall {
            id: id.clone(),
            name,
            kind,
            input: serde_json::json!({ "command": action }),
            ts: None,
        });
        let out = as_text(&st.observation);
        s.turns.push(Turn::ToolResult {
            id,
            is_error: looks_failed(&out),
            exit_code: None,
            output: keep_head_tail(&out, OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL),
            ts: None,
        });
    }
    if let Some(info) = o.get("info") {
        let status = info
            .get("exit_status")
            .and_then(Value::as_str)
            .unwrap_or("");
        exit_event(s, status, None);
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MiniMessage {
    role: String,
    content: Value,
    tool_calls: Value,
    tool_call_id: Option<String>,
    extra: Value,
}

/// `<returncode>N</returncode>` at the start of a mini-swe-agent observation.
fn returncode(obs: &str) -> Option<i32> {
    let i = obs.find("<returncode>")? + "<returncode>".len();
    let j = obs[i..].find("</returncode>")? + i;
    obs[i..j].trim().parse().ok()
}

/// The command in the one fenced bash block of an assistant message.
fn fenced_command(text: &str) -> Option<String> {
    let start = text.find("```bash").or_else(|| text.find("```sh"))?;
    let body_start = text[start..].find('\n')? + start + 1;
    let end = text[body_start..].find("```")? + body_start;
    let cmd = text[body_start..end].trim();
    (!cmd.is_empty()).then(|| cmd.to_string())
}

fn mini(s: &mut Session, v: Value, path: &Path, diag: &Diagnostics) {
    let Value::Object(mut o) = v else { return };
    let info = o.remove("info").unwrap_or(Value::Null);
    if let Some(ver) = info.get("mini_version").and_then(Value::as_str) {
        s.agent_version = Some(ver.to_string());
    }
    if let Some(f) = o.get("trajectory_format").and_then(Value::as_str) {
        s.entrypoint = Some(f.to_string());
    }
    if let Some(id) = o.get("instance_id").and_then(Value::as_str) {
        s.title = Some(id.to_string());
    }
    let configured_model = info
        .pointer("/config/model/model_name")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(m) = &configured_model {
        s.note_model(m);
    }
    let messages: Vec<MiniMessage> = match o.remove("messages") {
        Some(m) => serde_json::from_value(m).unwrap_or_else(|e| {
            diag.warn(
                path,
                None,
                format!("unexpected mini-swe-agent messages shape: {e}"),
            );
            Vec::new()
        }),
        None => Vec::new(),
    };
    let mut seen_task = false;
    let mut pending: Option<String> = None; // fenced command awaiting its output
    let mut last_ts: Option<Millis> = None;
    let mut n_calls = 0usize;
    for m in messages {
        let ts = m
            .extra
            .get("timestamp")
            .and_then(Value::as_f64)
            .map(from_epoch_seconds)
            .or(last_ts);
        s.note_ts(ts);
        last_ts = ts;
        let text = as_text(&m.content);
        match m.role.as_str() {
            "system" => {}
            "user" if !seen_task => {
                seen_task = true;
                s.turns.push(Turn::Human {
                    text,
                    ts,
                    queued: false,
                });
            }
            "assistant" => {
                let resp = m.extra.get("response");
                let model = resp
                    .and_then(|r| r.get("model"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| configured_model.clone());
                let usage = resp.and_then(|r| r.get("usage"));
                let tok = |k: &str| {
                    usage
                        .and_then(|u| u.get(k))
                        .and_then(Value::as_u64)
                        .unwrap_or(0)
                };
                let n = s.model_calls.len() + 1;
                s.model_calls.push(ModelCall {
                    message_id: resp
                        .and_then(|r| r.get("id"))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("response-{n}")),
                    model,
                    ts,
                    input_tokens: tok("prompt_tokens"),
                    output_tokens: tok("completion_tokens"),
                    ..Default::default()
                });
                if !text.trim().is_empty() {
                    s.turns.push(Turn::Agent {
                        text: text.trim().to_string(),
                        ts,
                    });
                }
                let calls = m.tool_calls.as_array().cloned().unwrap_or_default();
                if calls.is_empty() {
                    if let Some(cmd) = fenced_command(&text) {
                        n_calls += 1;
                        let id = format!("call-{n_calls}");
                        s.turns.push(Turn::ToolCall {
                            id: id.clone(),
                            name: "bash".into(),
                            kind: ToolKind::Shell,
                            input: serde_json::json!({ "command": cmd }),
                            ts,
                        });
                        pending = Some(id);
                    }
                }
                for c in calls {
                    n_calls += 1;
                    let id = c
                        .get("id")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("call-{n_calls}"));
                    let name = c
                        .pointer("/function/name")
                        .and_then(Value::as_str)
                        .unwrap_or("bash")
                        .to_string();
                    let args = c.pointer("/function/arguments");
                    let input = match args {
                        Some(Value::String(a)) => {
                            serde_json::from_str(a).unwrap_or(Value::String(a.clone()))
                        }
                        Some(v) => v.clone(),
                        None => Value::Null,
                    };
                    let kind = if name == "bash" {
                        ToolKind::Shell
                    } else {
                        ToolKind::Other
                    };
                    s.turns.push(Turn::ToolCall {
                        id,
                        name,
                        kind,
                        input,
                        ts,
                    });
                }
            }
            "tool" => {
                let id = m.tool_call_id.clone().unwrap_or_default();
                let code = returncode(&text);
                s.turns.push(Turn::ToolResult {
                    id,
                    is_error: code.is_some_and(|c| c != 0),
                    exit_code: code,
                    output: keep_head_tail(&text, OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL),
                    ts,
                });
            }
            "user" => match (pending.take(), returncode(&text)) {
                (Some(id), Some(code)) => s.turns.push(Turn::ToolResult {
                    id,
                    is_error: code != 0,
                    exit_code: Some(code),
                    output: keep_head_tail(&text, OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL),
                    ts,
                }),
                _ => s.turns.push(Turn::System {
                    kind: SystemKind::Other,
                    text,
                    ts,
                }),
            },
            "exit" => {
                let status = m
                    .extra
                    .get("exit_status")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                exit_event(s, status, ts);
            }
            _ => s.other_records += 1,
        }
    }
    if !s
        .turns
        .iter()
        .any(|t| matches!(t, Turn::System { text, .. } if text.starts_with("exit status:")))
    {
        let status = info
            .get("exit_status")
            .and_then(Value::as_str)
            .unwrap_or("");
        exit_event(s, status, last_ts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_kinds() {
        assert_eq!(command_kind("open src/a.py 40").1, ToolKind::Read);
        assert_eq!(command_kind("edit 10:12\nx\nend_of_edit").1, ToolKind::Edit);
        assert_eq!(command_kind("create repro.py").1, ToolKind::Write);
        assert_eq!(command_kind("search_dir foo").1, ToolKind::Search);
        assert_eq!(command_kind("str_replace_editor view /a").1, ToolKind::Read);
        assert_eq!(
            command_kind("python repro.py"),
            ("bash".into(), ToolKind::Shell)
        );
        assert_eq!(command_kind("submit").1, ToolKind::Other);
    }

    #[test]
    fn mini_helpers() {
        assert_eq!(
            returncode("<returncode>2</returncode>\n<output>x</output>"),
            Some(2)
        );
        assert_eq!(returncode("no code"), None);
        assert_eq!(
            fenced_command("THOUGHT: look\n\n```bash\nls -la\n```\n").as_deref(),
            Some("ls -la")
        );
    }

    #[test]
    fn flavors() {
        assert_eq!(
            flavor(b"{\n  \"environment\": \"swe_main\",\n  \"trajectory\": [\n    {\n      \"action\": \"ls\","),
            Some(Flavor::Classic)
        );
        assert_eq!(
            flavor(b"{\n  \"info\": {\n    \"model_stats\": {\n      \"instance_cost\": 0.1,"),
            Some(Flavor::Mini)
        );
        assert_eq!(
            flavor(br#"{"trajectory":[],"info":{}}"#),
            Some(Flavor::Classic)
        );
        assert_eq!(flavor(br#"{"type":"user","sessionId":"x"}"#), None);
        assert_eq!(
            flavor(br#"[{"id":0,"source":"user","action":"message"}]"#),
            None
        );
    }
}
