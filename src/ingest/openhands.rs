//! OpenHands conversations, in the layouts OpenHands has written:
//! - V0 per-event files: `sessions/<id>/events/<n>.json` (one event each) and
//!   `sessions/<id>/metadata.json` (repository, branch, trigger, title);
//! - V0 trajectories: one JSON array of the same events (exported from the
//!   GUI, or written by evaluation runs);
//! - V1 (software-agent-sdk) events: typed by `kind` (`MessageEvent`,
//!   `ActionEvent`, `ObservationEvent`, ...), as one array (`events.json`) or
//!   one file per event (`<id>/events/event-*.json`), with the conversation's
//!   base state beside them (`base_state.json`, or a `trajectory.json` holding
//!   it under `baseState`).
//!
//! Files of one conversation folder form one unit (unit key = the folder).
//! What is mapped: user messages -> prompts (harness `recall` lookups and the
//! system prompt are not); agent messages, thoughts written alongside actions
//! and the final message of `finish` -> agent text; actions -> tool calls
//! (run / terminal -> shell, read / view -> read, edit -> edit or write for
//! `create`, browse -> web, delegate -> task, think / task tracker -> plan, MCP
//! tools -> other); observations -> results (paired by `cause` in V0 and by
//! `tool_call_id` in V1, with exit codes of commands); malformed-call errors,
//! agent errors -> error results or API errors; condensation -> compaction;
//! user rejections -> rejection. Surface from `metadata.json`'s trigger
//! (`gui`, `suggested_task` ... -> web; `cli` -> cli; `resolver`, API
//! triggers -> headless); otherwise unknown. Timestamps have no zone: UTC.

use super::Format;
use crate::diag::Diagnostics;
use crate::session::{
    keep_head_tail, Agent, ModelCall, Session, Surface, SystemKind, ToolKind, Turn,
    OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL,
};
use crate::time::{parse_rfc3339, Millis};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub struct OpenHands;

/// What one file of a unit holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// An array of events.
    Events,
    /// One event.
    Event,
    /// V0 `metadata.json`.
    Metadata,
    /// V1 conversation state (`base_state.json`, or wrapped in `baseState`).
    BaseState,
}

fn looks_like_event(o: &serde_json::Map<String, Value>) -> bool {
    let v0 = o.contains_key("source")
        && (o.get("action").is_some_and(Value::is_string)
            || o.get("observation").is_some_and(Value::is_string));
    let v1 = o.contains_key("source")
        && o.get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k.ends_with("Event") || k == "Condensation");
    v0 || v1
}

fn role_of_value(v: &Value) -> Option<Role> {
    match v {
        Value::Array(a) => match a.first() {
            Some(Value::Object(o)) if looks_like_event(o) => Some(Role::Events),
            _ => None,
        },
        Value::Object(o) => {
            if looks_like_event(o) {
                Some(Role::Event)
            } else if o.contains_key("conversation_id")
                && (o.contains_key("selected_repository") || o.contains_key("trigger"))
            {
                Some(Role::Metadata)
            } else if o.contains_key("baseState")
                || (o.contains_key("agent")
                    && o.contains_key("workspace")
                    && o.contains_key("execution_status"))
            {
                Some(Role::BaseState)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Role from the first bytes when the file is longer than the sniffed head.
fn role_of_head(head: &[u8]) -> Option<Role> {
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start();
    let has = |k: &str| t.contains(&format!("\"{k}\":")) || t.contains(&format!("\"{k}\" :"));
    // V1 conversations start with the system prompt event, whose `kind`
    // comes after a long prompt text.
    let event_like = has("source")
        && (has("action") || has("observation") || has("system_prompt") || t.contains("Event\""));
    if let Some(rest) = t.strip_prefix('[') {
        return (rest.trim_start().starts_with('{') && event_like).then_some(Role::Events);
    }
    if !t.starts_with('{') {
        return None;
    }
    if has("baseState") {
        Some(Role::BaseState)
    } else if has("conversation_id") && has("trigger") {
        Some(Role::Metadata)
    } else if event_like && (has("timestamp")) {
        Some(Role::Event)
    } else {
        None
    }
}

fn role(head: &[u8]) -> Option<Role> {
    match serde_json::from_slice::<Value>(head) {
        Ok(v) => role_of_value(&v),
        Err(_) => role_of_head(head),
    }
}

/// The conversation folder of a per-event file (`<conv>/events/<n>.json`).
fn conversation_dir(path: &Path) -> Option<&Path> {
    let parent = path.parent()?;
    if parent.file_name().is_some_and(|n| n == "events") {
        parent.parent()
    } else {
        None
    }
}

impl Format for OpenHands {
    fn name(&self) -> &'static str {
        "openhands"
    }
    fn agent(&self) -> Agent {
        Agent::OpenHands
    }
    fn sniff(&self, _path: &Path, head: &[u8]) -> bool {
        role(head).is_some()
    }
    fn unit_key(&self, path: &Path, head: &[u8]) -> String {
        let parent = path.parent().unwrap_or(Path::new(""));
        if let Some(conv) = conversation_dir(path) {
            return conv.display().to_string();
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match role(head) {
            Some(Role::Metadata) | Some(Role::BaseState) => parent.display().to_string(),
            Some(Role::Events) if stem == "events" => parent.display().to_string(),
            _ => path.display().to_string(),
        }
    }
    fn parse(&self, files: &[PathBuf], diag: &Diagnostics) -> Vec<Session> {
        parse_unit(files, diag)
    }
}

/// Number in a per-event file name (`12.json`, `event-00012-<uuid>.json`).
fn event_order(path: &Path) -> (u64, String) {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let digits: String = name
        .trim_start_matches("event-")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.parse().unwrap_or(u64::MAX), name)
}

fn parse_unit(files: &[PathBuf], diag: &Diagnostics) -> Vec<Session> {
    let mut arrays: Vec<(PathBuf, Vec<Value>)> = Vec::new();
    let mut singles: Vec<(PathBuf, Value)> = Vec::new();
    let mut meta: Option<(PathBuf, Value)> = None;
    let mut base: Option<(PathBuf, Value)> = None;
    for f in files {
        let Some(v) = super::json_file::read(f, diag) else {
            continue;
        };
        match role_of_value(&v) {
            Some(Role::Events) => {
                if let Value::Array(a) = v {
                    arrays.push((f.clone(), a));
                }
            }
            Some(Role::Event) => singles.push((f.clone(), v)),
            Some(Role::Metadata) => meta = Some((f.clone(), v)),
            Some(Role::BaseState) => {
                let v = match v {
                    Value::Object(mut o) if o.contains_key("baseState") => {
                        let inner = o.remove("baseState").unwrap_or(Value::Null);
                        // The wrapper's own id/model describe the same conversation.
                        let mut inner = match inner {
                            Value::Object(i) => i,
                            _ => serde_json::Map::new(),
                        };
                        for k in ["id", "model"] {
                            if let Some(x) = o.remove(k) {
                                inner.entry(k.to_string()).or_insert(x);
                            }
                        }
                        Value::Object(inner)
                    }
                    other => other,
                };
                base = Some((f.clone(), v));
            }
            None => diag.warn(f, None, "not an OpenHands event file; skipped"),
        }
    }
    singles.sort_by_key(|(p, _)| event_order(p));

    let mut out = Vec::new();
    // Each array is a conversation of its own, unless it shares a folder with
    // per-event files (then the per-event files win: the array is a copy).
    let shared_dir = |b: &mut Builder| {
        if let Some((p, m)) = &meta {
            b.metadata(m);
            b.s.files.push(p.clone());
        }
        if let Some((p, s)) = &base {
            b.base_state(s);
            b.s.files.push(p.clone());
        }
    };
    if !singles.is_empty() || arrays.is_empty() {
        let first = singles
            .first()
            .map(|(p, _)| p.clone())
            .or_else(|| meta.as_ref().map(|(p, _)| p.clone()))
            .or_else(|| base.as_ref().map(|(p, _)| p.clone()));
        let Some(first) = first else {
            return out;
        };
        let id = conversation_dir(&first)
            .or_else(|| first.parent())
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut b = Builder::new(id);
        shared_dir(&mut b);
        for (p, v) in singles {
            b.s.files.push(p.clone());
            b.event(v, &p, diag);
        }
        for (p, _) in &arrays {
            b.s.files.push(p.clone());
        }
        out.push(b.finish());
    } else {
        for (p, events) in arrays {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let id = if stem == "events" {
                p.parent()
                    .and_then(|d| d.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or(stem)
            } else {
                stem
            };
            let mut b = Builder::new(id);
            shared_dir(&mut b);
            b.s.files.push(p.clone());
            for v in events {
                b.event(v, &p, diag);
            }
            out.push(b.finish());
        }
    }
    out
}

/// V0 event (`action` / `observation` are names) and V1 event (`kind`, with
/// `action` / `observation` objects) in one lenient shape.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawEvent {
    id: Value,
    timestamp: Option<String>,
    source: Option<String>,
    message: Option<String>,
    kind: Option<String>,
    action: Value,
    observation: Value,
    args: Value,
    content: Value,
    extras: Value,
    cause: Value,
    tool_call_metadata: Value,
    // V1
    llm_message: Value,
    thought: Value,
    tool_name: Option<String>,
    tool_call_id: Option<String>,
    llm_response_id: Option<String>,
    code: Option<String>,
    detail: Option<String>,
    error: Option<String>,
}

fn id_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Text of a V1 content list (`[{"type":"text","text":...}]`) or a string.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// Normalized kind of a V0 action name (with its arguments).
fn v0_kind(action: &str, args: &Value) -> Option<(String, ToolKind)> {
    let command = args.get("command").and_then(Value::as_str).unwrap_or("");
    let k = match action {
        "run" | "run_ipython" => ToolKind::Shell,
        "read" => ToolKind::Read,
        "write" => ToolKind::Write,
        "edit" => match command {
            "create" => ToolKind::Write,
            "view" => ToolKind::Read,
            _ => ToolKind::Edit,
        },
        "browse" | "browse_interactive" => ToolKind::Web,
        "delegate" => ToolKind::Task,
        "think" | "task_tracking" => ToolKind::Plan,
        "call_tool_mcp" => ToolKind::Other,
        _ => return None,
    };
    let name = match action {
        "call_tool_mcp" => args
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(action)
            .to_string(),
        _ => action.to_string(),
    };
    Some((name, k))
}

/// Normalized kind of a V1 action (`action.kind`).
fn v1_kind(kind: &str, action: &Value) -> ToolKind {
    let command = action.get("command").and_then(Value::as_str).unwrap_or("");
    match kind {
        "TerminalAction" | "ExecuteBashAction" | "BashAction" => ToolKind::Shell,
        "FileEditorAction" | "StrReplaceEditorAction" | "PlanningFileEditorAction" => match command
        {
            "view" => ToolKind::Read,
            "create" => ToolKind::Write,
            _ => ToolKind::Edit,
        },
        "GlobAction" | "GrepAction" => ToolKind::Search,
        "ThinkAction" | "TaskTrackerAction" => ToolKind::Plan,
        "DelegateAction" | "TaskAction" => ToolKind::Task,
        k if k.starts_with("Browser") => ToolKind::Web,
        _ => ToolKind::Other,
    }
}

fn surface_of_trigger(t: &str) -> Surface {
    match t {
        "gui" | "suggested_task" | "microagent_management" | "web" => Surface::Web,
        "cli" => Surface::Cli,
        "resolver" | "openhands_api" | "remote_api_key" | "api" => Surface::Headless,
        "slack" | "jira" | "jira_dc" | "linear" => Surface::Web,
        _ => Surface::Unknown,
    }
}

struct Builder {
    s: Session,
    calls: HashSet<String>,
    responses: HashSet<String>,
}

impl Builder {
    fn new(id: String) -> Self {
        Builder {
            s: Session::new(id, Agent::OpenHands),
            calls: HashSet::new(),
            responses: HashSet::new(),
        }
    }

    fn metadata(&mut self, m: &Value) {
        let str_of = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
        if let Some(id) = str_of("conversation_id") {
            self.s.id = id;
        }
        if let Some(t) = str_of("trigger") {
            self.s.surface = surface_of_trigger(&t);
            self.s.entrypoint = Some(t);
        }
        self.s.title = str_of("title");
        self.s.git_branch = str_of("selected_branch");
        if let Some(repo) = str_of("selected_repository") {
            if self.s.project.is_none() {
                self.s.project = repo.rsplit('/').next().map(str::to_string);
            }
        }
        if let Some(m) = str_of("llm_model") {
            self.s.note_model(&m);
        }
        self.s
            .note_ts(str_of("created_at").as_deref().and_then(parse_rfc3339));
    }

    fn base_state(&mut self, b: &Value) {
        if let Some(id) = b.get("id").and_then(Value::as_str) {
            self.s.id = id.to_string();
        }
        let model = b
            .pointer("/agent/llm/model")
            .or_else(|| b.get("model"))
            .and_then(Value::as_str);
        if let Some(m) = model {
            self.s.note_model(m);
        }
        if let Some(d) = b.pointer("/workspace/working_dir").and_then(Value::as_str) {
            self.s.set_cwd(d);
        }
    }

    fn push(&mut self, t: Turn) {
        self.s.turns.push(t);
    }

    fn agent_text(&mut self, text: &str, ts: Option<Millis>) {
        let t = text.trim();
        if !t.is_empty() {
            self.push(Turn::Agent {
                text: t.to_string(),
                ts,
            });
        }
    }

    fn result(
        &mut self,
        id: String,
        is_error: bool,
        exit_code: Option<i32>,
        out: &str,
        ts: Option<Millis>,
    ) {
        self.push(Turn::ToolResult {
            id,
            is_error: is_error || exit_code.is_some_and(|c| c != 0),
            exit_code,
            output: keep_head_tail(out, OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL),
            ts,
        });
    }

    /// One model call per response id, with the token usage the response
    /// carries (V0 `tool_call_metadata.model_response.usage`).
    fn model_response(
        &mut self,
        id: Option<&str>,
        model: Option<&str>,
        usage: Option<&Value>,
        ts: Option<Millis>,
    ) {
        if let Some(m) = model {
            self.s.note_model(m);
        }
        let tok = |p: &str| {
            usage
                .and_then(|u| u.pointer(p))
                .and_then(Value::as_u64)
                .unwrap_or(0)
        };
        if let Some(id) = id.filter(|i| !i.is_empty()) {
            if self.responses.insert(id.to_string()) {
                self.s.model_calls.push(ModelCall {
                    message_id: id.to_string(),
                    model: model.map(str::to_string),
                    ts,
                    input_tokens: tok("/prompt_tokens"),
                    output_tokens: tok("/completion_tokens"),
                    cache_read_tokens: tok("/prompt_tokens_details/cached_tokens"),
                    ..Default::default()
                });
            }
        }
    }

    fn event(&mut self, v: Value, path: &Path, diag: &Diagnostics) {
        let e: RawEvent = match serde_json::from_value(v) {
            Ok(e) => e,
            Err(err) => {
                diag.warn(
                    path,
                    None,
                    format!("unexpected OpenHands event shape: {err}"),
                );
                self.s.other_records += 1;
                return;
            }
        };
        let ts = e.timestamp.as_deref().and_then(parse_rfc3339);
        self.s.note_ts(ts);
        if e.kind.is_some() {
            self.v1(e, ts);
        } else {
            self.v0(e, ts);
        }
    }

    fn v0(&mut self, e: RawEvent, ts: Option<Millis>) {
        let source = e.source.as_deref().unwrap_or("");
        let meta = &e.tool_call_metadata;
        let resp_model = meta
            .pointer("/model_response/model")
            .and_then(Value::as_str);
        let resp_id = meta.pointer("/model_response/id").and_then(Value::as_str);
        let resp_usage = meta.pointer("/model_response/usage");
        if let Some(action) = e.action.as_str() {
            let args = &e.args;
            let thought = args.get("thought").and_then(Value::as_str).unwrap_or("");
            match (source, action) {
                ("user", "message") => {
                    let text = args
                        .get("content")
                        .and_then(Value::as_str)
                        .or(e.message.as_deref())
                        .unwrap_or("");
                    if !text.trim().is_empty() {
                        self.push(Turn::Human {
                            text: text.to_string(),
                            ts,
                            queued: false,
                        });
                    }
                }
                ("agent", "message") => {
                    self.model_response(resp_id, resp_model, resp_usage, ts);
                    let text = args
                        .get("content")
                        .and_then(Value::as_str)
                        .or(e.message.as_deref())
                        .unwrap_or("");
                    self.agent_text(text, ts);
                }
                ("agent", "finish") => {
                    self.model_response(resp_id, resp_model, resp_usage, ts);
                    self.agent_text(thought, ts);
                    let fin = args
                        .get("final_thought")
                        .and_then(Value::as_str)
                        .or(e.message.as_deref())
                        .unwrap_or("");
                    self.agent_text(fin, ts);
                }
                ("agent", "system") => {
                    if let Some(v) = args.get("openhands_version").and_then(Value::as_str) {
                        self.s.agent_version.get_or_insert_with(|| v.to_string());
                    }
                }
                ("agent", "condensation") => self.push(Turn::System {
                    kind: SystemKind::Compaction,
                    text: String::new(),
                    ts,
                }),
                (_, "recall") | (_, "change_agent_state") | (_, "null") => {}
                ("agent", a) => match v0_kind(a, args) {
                    Some((name, kind)) => {
                        self.model_response(resp_id, resp_model, resp_usage, ts);
                        self.agent_text(thought, ts);
                        let id = id_string(&e.id)
                            .unwrap_or_else(|| format!("call-{}", self.calls.len() + 1));
                        self.calls.insert(id.clone());
                        let mut input = args.clone();
                        if let Value::Object(o) = &mut input {
                            o.remove("thought");
                        }
                        self.push(Turn::ToolCall {
                            id,
                            name,
                            kind,
                            input,
                            ts,
                        });
                    }
                    None => self.s.other_records += 1,
                },
                _ => self.s.other_records += 1,
            }
            return;
        }
        let Some(obs) = e.observation.as_str() else {
            self.s.other_records += 1;
            return;
        };
        let cause = id_string(&e.cause).filter(|c| self.calls.contains(c));
        let content = text_of(&e.content);
        match obs {
            "agent_state_changed" => {
                let state = e
                    .extras
                    .get("agent_state")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if state == "error" {
                    let reason = e.extras.get("reason").and_then(Value::as_str).unwrap_or("");
                    self.push(Turn::System {
                        kind: SystemKind::ApiError,
                        text: reason.to_string(),
                        ts,
                    });
                }
            }
            "user_rejected" => {
                self.push(Turn::System {
                    kind: SystemKind::Rejection,
                    text: String::new(),
                    ts,
                });
                if let Some(c) = cause {
                    self.result(c, true, None, &content, ts);
                }
            }
            "error" => match cause {
                Some(c) => self.result(c, true, None, &content, ts),
                None => self.push(Turn::System {
                    kind: SystemKind::Other,
                    text: content,
                    ts,
                }),
            },
            "recall" | "null" | "agent_condensation" => {}
            _ => {
                if obs == "run" || obs == "run_ipython" {
                    if let Some(d) = e
                        .extras
                        .pointer("/metadata/working_dir")
                        .and_then(Value::as_str)
                    {
                        self.s.set_cwd(d);
                    }
                }
                match cause {
                    Some(c) => {
                        let exit = e
                            .extras
                            .pointer("/metadata/exit_code")
                            .or_else(|| e.extras.get("exit_code"))
                            .and_then(Value::as_i64)
                            .filter(|&x| x != -1)
                            .map(|x| x as i32);
                        let is_error = e
                            .extras
                            .get("error")
                            .is_some_and(|x| x.as_bool() == Some(true));
                        self.result(c, is_error, exit, &content, ts);
                    }
                    None => self.s.other_records += 1,
                }
            }
        }
    }

    fn v1(&mut self, e: RawEvent, ts: Option<Millis>) {
        let source = e.source.as_deref().unwrap_or("");
        match e.kind.as_deref().unwrap_or("") {
            "MessageEvent" => {
                let text = text_of(e.llm_message.get("content").unwrap_or(&Value::Null));
                if source == "user" {
                    if !text.trim().is_empty() {
                        self.push(Turn::Human {
                            text,
                            ts,
                            queued: false,
                        });
                    }
                } else {
                    self.agent_text(&text, ts);
                }
            }
            "ActionEvent" => {
                self.model_response(e.llm_response_id.as_deref(), None, None, ts);
                self.agent_text(&text_of(&e.thought), ts);
                let akind = e.action.get("kind").and_then(Value::as_str).unwrap_or("");
                if akind == "FinishAction" {
                    let msg = e
                        .action
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    self.agent_text(msg, ts);
                    return;
                }
                let id = e
                    .tool_call_id
                    .clone()
                    .or_else(|| id_string(&e.id))
                    .unwrap_or_else(|| format!("call-{}", self.calls.len() + 1));
                self.calls.insert(id.clone());
                let name = e.tool_name.clone().unwrap_or_else(|| akind.to_string());
                let mut input = e.action.clone();
                if let Value::Object(o) = &mut input {
                    o.remove("kind");
                }
                self.push(Turn::ToolCall {
                    id,
                    name,
                    kind: v1_kind(akind, &e.action),
                    input,
                    ts,
                });
            }
            "ObservationEvent" | "AgentErrorEvent" | "UserRejectObservation" => {
                let id = e.tool_call_id.clone().unwrap_or_default();
                if !self.calls.contains(&id) {
                    return; // the result of a finish (or an unknown call)
                }
                let o = &e.observation;
                let kind = e.kind.as_deref().unwrap_or("");
                if kind == "UserRejectObservation" {
                    self.push(Turn::System {
                        kind: SystemKind::Rejection,
                        text: String::new(),
                        ts,
                    });
                }
                let out = if kind == "ObservationEvent" {
                    text_of(o.get("content").unwrap_or(&Value::Null))
                } else {
                    e.error.clone().or(e.detail.clone()).unwrap_or_default()
                };
                let exit = o
                    .get("exit_code")
                    .or_else(|| o.pointer("/metadata/exit_code"))
                    .and_then(Value::as_i64)
                    .filter(|&x| x != -1)
                    .map(|x| x as i32);
                let is_error = kind != "ObservationEvent"
                    || o.get("is_error").and_then(Value::as_bool) == Some(true);
                if let Some(d) = o.pointer("/metadata/working_dir").and_then(Value::as_str) {
                    self.s.set_cwd(d);
                }
                self.result(id, is_error, exit, &out, ts);
            }
            "ConversationErrorEvent" => self.push(Turn::System {
                kind: SystemKind::ApiError,
                text: e.detail.clone().or(e.code.clone()).unwrap_or_default(),
                ts,
            }),
            "Condensation" | "CondensationSummaryEvent" => self.push(Turn::System {
                kind: SystemKind::Compaction,
                text: String::new(),
                ts,
            }),
            "PauseEvent" => self.push(Turn::System {
                kind: SystemKind::Interruption,
                text: String::new(),
                ts,
            }),
            "SystemPromptEvent" | "ConversationStateUpdateEvent" | "CondensationRequest" => {}
            _ => self.s.other_records += 1,
        }
    }

    fn finish(self) -> Session {
        self.s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_from_heads() {
        assert_eq!(
            role(br#"[{"id":0,"source":"user","action":"message","args":{}}]"#),
            Some(Role::Events)
        );
        assert_eq!(
            role(br#"{"id":3,"timestamp":"2025-01-01T00:00:00","source":"agent","observation":"run","content":"x"}"#),
            Some(Role::Event)
        );
        assert_eq!(
            role(b"[\n  {\n    \"id\": 0,\n    \"timestamp\": \"2025-01-01T00:00:00\",\n    \"source\": \"user\",\n    \"action\": \"message\", \"args\": {\"content\": \"cut"),
            Some(Role::Events)
        );
        assert_eq!(
            role(br#"{"conversation_id":"x","trigger":"gui"}"#),
            Some(Role::Metadata)
        );
        assert_eq!(role(br#"{"type":"user","sessionId":"x"}"#), None);
        assert_eq!(role(b"# notes"), None);
    }
}
