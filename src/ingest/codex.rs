//! Codex rollouts (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`).
//!
//! Two layouts exist:
//! - legacy (mid 2025): the first line is a bare session header
//!   `{id, timestamp, instructions, git?}`, followed by bare response items
//!   (`{type: message | function_call | function_call_output | reasoning, ...}`)
//!   and `{record_type: "state"}` markers;
//! - current: every line is `{timestamp, type, payload}` with `type` one of
//!   `session_meta`, `response_item`, `event_msg`, `turn_context`, `compacted`.
//!
//! Human prompts come from user messages, with the context the harness
//! injects (environment context, AGENTS.md / user instructions, permission
//! notes, abort markers) turned into system turns. The current layout records
//! most prompts twice (a `response_item` user message and an `event_msg`
//! `user_message`); each pair is counted once. Agent messages likewise.
//!
//! Also: tool calls are paired with their outputs by `call_id`, with exit
//! codes from the JSON, text or `exec_command_end` forms; one model call per
//! new `token_count`; the surface from `originator` / `source`; sub-agent
//! rollouts (`source.subagent.thread_spawn.parent_thread_id`) nested under
//! their parent when both are read; a fork (`forked_from_id`) does not count
//! the history it copied; `/review` counts as a prompt.

use super::Format;
use crate::diag::Diagnostics;
use crate::session::{
    keep_head_tail, Agent, ModelCall, Session, Surface, SystemKind, ToolKind, Turn,
    OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL,
};
use crate::time::{parse_rfc3339, Millis};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct Codex;

/// Record types of the current layout.
const CURRENT_TYPES: [&str; 5] = [
    "session_meta",
    "response_item",
    "event_msg",
    "turn_context",
    "compacted",
];

/// Item types of the legacy layout (bare response items).
const LEGACY_ITEM_TYPES: [&str; 8] = [
    "message",
    "function_call",
    "function_call_output",
    "reasoning",
    "custom_tool_call",
    "custom_tool_call_output",
    "local_shell_call",
    "web_search_call",
];

impl Format for Codex {
    fn name(&self) -> &'static str {
        "codex"
    }
    fn agent(&self) -> Agent {
        Agent::Codex
    }
    fn sniff(&self, _path: &Path, head: &[u8]) -> bool {
        sniff_head(head)
    }
    /// A sub-agent rollout (spawned by another session) joins its parent's
    /// unit so that it can be nested under it; every other rollout is its own.
    fn unit_key(&self, path: &Path, head: &[u8]) -> String {
        if let Some(parent) = parent_in_head(head) {
            return parent;
        }
        own_id(path, head).unwrap_or_else(|| path.display().to_string())
    }
    fn parse(&self, files: &[PathBuf], diag: &Diagnostics) -> Vec<Session> {
        // Files of one session id are read together (a copy of a rollout
        // counts once); different ids are different sessions.
        let mut groups: std::collections::BTreeMap<String, Vec<&PathBuf>> = Default::default();
        for f in files {
            let id = id_from_file_name(f)
                .or_else(|| {
                    let head = super::jsonl::head(f, super::SNIFF_BYTES).unwrap_or_default();
                    own_id(f, &head)
                })
                .unwrap_or_else(|| f.display().to_string());
            groups.entry(id).or_default().push(f);
        }
        let mut sessions: Vec<Session> = groups
            .into_values()
            .filter_map(|mut g| {
                g.sort();
                parse_group(&g, diag)
            })
            .collect();
        nest_subagents(&mut sessions);
        sessions
    }
}

/// Reads the files of one session id into one session.
fn parse_group(files: &[&PathBuf], diag: &Diagnostics) -> Option<Session> {
    let id = files
        .iter()
        .find_map(|f| id_from_file_name(f))
        .unwrap_or_default();
    let mut p = Parser::new(id);
    let dedupe_lines = files.len() > 1;
    let mut seen_lines: std::collections::HashSet<u64> = Default::default();
    for f in files {
        p.session.files.push((*f).clone());
        super::jsonl::for_each_line(f, diag, |n, line| {
            if dedupe_lines && !seen_lines.insert(hash_str(line)) {
                return; // the same record copied into another file
            }
            p.line(line, f, n, diag);
        });
    }
    let r = p.finish();
    if r.is_none() {
        if let Some(f) = files.first() {
            diag.warn(f, None, "no Codex records found; file skipped");
        }
    }
    r
}

/// Moves sub-agent sessions under their parent when the parent is among
/// `sessions` (its actions then count as sub-agent work, not the parent's).
fn nest_subagents(sessions: &mut Vec<Session>) {
    if sessions.len() < 2 {
        return;
    }
    let ids: std::collections::HashSet<String> = sessions
        .iter()
        .filter(|s| s.parent_id.is_none())
        .map(|s| s.id.clone())
        .collect();
    let (children, mut top): (Vec<Session>, Vec<Session>) = std::mem::take(sessions)
        .into_iter()
        .partition(|s| s.parent_id.as_ref().is_some_and(|p| ids.contains(p)));
    for c in children {
        if let Some(parent) = top.iter_mut().find(|t| Some(&t.id) == c.parent_id.as_ref()) {
            parent.subagents.push(c);
        }
    }
    *sessions = top;
}

/// The session's own id: the rollout uuid in the file name, else the header id.
fn own_id(path: &Path, head: &[u8]) -> Option<String> {
    id_from_file_name(path).or_else(|| super::first_json_line(head).as_ref().and_then(meta_id))
}

/// `"parent_thread_id":"<id>"` in the header line (sub-agent rollouts).
fn parent_in_head(head: &[u8]) -> Option<String> {
    let line_end = memchr::memchr(b'\n', head).unwrap_or(head.len());
    let first = &head[..line_end];
    let key = b"\"parent_thread_id\":\"";
    let i = memchr::memmem::find(first, key)? + key.len();
    let rest = &first[i..];
    let end = memchr::memchr(b'"', rest)?;
    let id = std::str::from_utf8(&rest[..end]).ok()?;
    (!id.is_empty()).then(|| id.to_string())
}

fn hash_str(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Recognises a rollout from its first lines (never from the file name).
fn sniff_head(head: &[u8]) -> bool {
    if head.starts_with(b"{\"schema\":") {
        return false; // agentcensus' own normalized sessions
    }
    let lines = super::json_lines(head, 5);
    if let Some(first) = lines.first().or(super::first_json_line(head).as_ref()) {
        return looks_like_rollout(first, &lines);
    }
    // The first line is longer than the sniffed head (the session header can
    // carry long instructions): decide from its opening bytes.
    let start = &head[..head.len().min(600)];
    let has = |needle: &[u8]| memchr::memmem::find(start, needle).is_some();
    (has(b"\"payload\"")
        && CURRENT_TYPES
            .iter()
            .any(|t| has(format!("\"type\":\"{t}\"").as_bytes())))
        || (start.starts_with(b"{\"id\":\"")
            && has(b"\"timestamp\":\"")
            && has(b"\"instructions\":"))
}

fn looks_like_rollout(first: &Value, lines: &[Value]) -> bool {
    let Some(obj) = first.as_object() else {
        return false;
    };
    if obj.contains_key("sessionId") || obj.contains_key("turns") || obj.contains_key("schema") {
        return false;
    }
    let current = |v: &Value| {
        v.get("payload").is_some()
            && v.get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| CURRENT_TYPES.contains(&t))
    };
    if current(first) {
        return true;
    }
    // Legacy: a bare header, then bare items.
    let header = obj.get("id").is_some_and(Value::is_string)
        && obj.get("timestamp").is_some_and(Value::is_string)
        && (obj.contains_key("instructions") || obj.contains_key("git"))
        && !obj.contains_key("type");
    if !header {
        return false;
    }
    lines.iter().skip(1).all(|v| {
        v.get("record_type").is_some()
            || v.get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| LEGACY_ITEM_TYPES.contains(&t))
    })
}

/// The uuid at the end of `rollout-<date>-<uuid>.jsonl`.
pub fn id_from_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    if !stem.starts_with("rollout-") || stem.len() < 36 + 8 {
        return None;
    }
    // `get`: a renamed file may have a multi-byte character where the
    // uuid should start.
    let tail = stem.get(stem.len() - 36..)?;
    is_uuid(tail).then(|| tail.to_string())
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn meta_id(v: &Value) -> Option<String> {
    let p = if v.get("type").and_then(Value::as_str) == Some("session_meta") {
        v.get("payload")?
    } else {
        v
    };
    p.get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Which record a prompt or agent message came from (for the pairing below).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Item,
    Event,
}

/// A recent prompt or agent message still waiting for its twin.
struct Pending {
    key: u64,
    tail: u64,
    source: Source,
}

/// Pairs the two copies (response item + event) of one message: a message
/// whose twin from the other source is waiting is dropped. Twins normally
/// have the same text; failing that, the same ending (one copy may carry a
/// prefix the other lacks, such as attachment markers).
#[derive(Default)]
struct Pairing {
    pending: Vec<Pending>,
}

impl Pairing {
    const WINDOW: usize = 16;

    /// True when `text` from `source` is new (should be recorded).
    fn admit(&mut self, text: &str, source: Source) -> bool {
        let (key, tail) = (text_key(text), tail_key(text));
        let twin = self
            .pending
            .iter()
            .position(|p| p.key == key && p.source != source)
            .or_else(|| {
                self.pending
                    .iter()
                    .position(|p| tail != 0 && p.tail == tail && p.source != source)
            });
        if let Some(i) = twin {
            self.pending.remove(i);
            return false;
        }
        if self.pending.len() >= Self::WINDOW {
            self.pending.remove(0);
        }
        self.pending.push(Pending { key, tail, source });
        true
    }
}

/// Identity of the last 24 non-whitespace bytes (0 when the text has fewer:
/// too short to pair on its ending).
fn tail_key(s: &str) -> u64 {
    const N: usize = 24;
    let bytes: Vec<u8> = s
        .bytes()
        .rev()
        .filter(|b| !b.is_ascii_whitespace())
        .take(N)
        .collect();
    if bytes.len() < N {
        return 0;
    }
    let mut h: u64 = 0x8422_2325_cbf2_9ce4;
    for b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h | 1
}

/// The IDE extension puts open files and selections before the request
/// ("# Context from my IDE setup: ... ## My request for Codex: ..."): keep
/// what the person wrote.
fn ide_request(t: &str) -> &str {
    let head = t.trim_start();
    if !(head.starts_with("# Context from my IDE setup")
        || head.starts_with("# Files mentioned by the user"))
    {
        return t;
    }
    match t.rfind("## My request for Codex:") {
        Some(i) => t[i + "## My request for Codex:".len()..].trim(),
        None => t,
    }
}

/// Removes the `<image ...>` / `</image>` markers Codex wraps around pasted
/// images (the event copy of a prompt has none).
fn strip_image_tags(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("<image") && !s.contains("</image>") {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let open = rest.find("<image ").or_else(|| rest.find("<image>"));
        let close = rest.find("</image>");
        let next = match (open, close) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => break,
        };
        out.push_str(&rest[..next]);
        match rest[next..].find('>') {
            Some(e) => rest = &rest[next + e + 1..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Whitespace-insensitive identity of a message text (FNV-1a over the bytes
/// that are not ASCII whitespace).
fn text_key(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes().filter(|b| !b.is_ascii_whitespace()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Lines that carry nothing this parser keeps but their time: reasoning
/// (often long encrypted blobs). Recognised from their opening bytes so the
/// JSON is not parsed at all; anything unusual takes the normal path.
fn skippable(line: &str) -> Option<Option<Millis>> {
    let head = &line.as_bytes()[..line.len().min(160)];
    let has = |n: &[u8]| head_has(head, n);
    if !(has(b"\"payload\":{\"type\":\"reasoning\"")
        || has(b"\"payload\":{\"type\":\"agent_reasoning\"")
        || head.starts_with(b"{\"type\":\"reasoning\""))
    {
        return None;
    }
    let ts = line
        .strip_prefix("{\"timestamp\":\"")
        .and_then(|r| r.split('"').next())
        .and_then(parse_rfc3339);
    Some(ts)
}

/// Substring test for short haystacks (no searcher set-up per call).
fn head_has(head: &[u8], needle: &[u8]) -> bool {
    head.windows(needle.len()).any(|w| w == needle)
}

/// The fields of a `turn_context` line this parser uses (the rest, often
/// long instructions and policies, is skipped without allocation).
#[derive(serde::Deserialize)]
struct TurnContextLine<'a> {
    #[serde(borrow, default)]
    timestamp: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    payload: TurnContext<'a>,
}

#[derive(serde::Deserialize)]
struct TurnContext<'a> {
    #[serde(borrow, default)]
    model: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    cwd: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    user_instructions: Option<std::borrow::Cow<'a, str>>,
}

struct Parser {
    session: Session,
    /// Turn index of each tool call and tool result, by call id.
    calls: HashMap<String, usize>,
    results: HashMap<String, usize>,
    humans: Pairing,
    agents: Pairing,
    /// Text the harness injects as a user message (instructions), trimmed.
    injected: Vec<String>,
    originator: Option<String>,
    source: Option<Value>,
    model: Option<String>,
    last_total_tokens: Option<u64>,
    synthetic_ids: u64,
    saw_records: bool,
    /// Set for a forked rollout (`forked_from_id` in the header): when the
    /// fork was made. Codex starts a fork by copying the original
    /// conversation with fresh timestamps; those copies belong to the
    /// original session and are skipped here.
    forked_at: Option<Millis>,
    seen_meta: bool,
}

/// Records of a forked rollout written within this time of its header are
/// the copied history (written in one burst when the fork is created).
const FORK_COPY_WINDOW_MS: i64 = 2_000;

impl Parser {
    fn new(id: String) -> Self {
        Parser {
            session: Session::new(id, Agent::Codex),
            calls: HashMap::new(),
            results: HashMap::new(),
            humans: Pairing::default(),
            agents: Pairing::default(),
            injected: Vec::new(),
            originator: None,
            source: None,
            model: None,
            last_total_tokens: None,
            synthetic_ids: 0,
            saw_records: false,
            forked_at: None,
            seen_meta: false,
        }
    }

    /// One line of a rollout.
    fn line(&mut self, line: &str, f: &Path, n: u64, diag: &Diagnostics) {
        if let Some(ts) = skippable(line) {
            self.saw_records = true;
            self.session.note_ts(ts);
            return;
        }
        if head_has(
            &line.as_bytes()[..line.len().min(80)],
            b"\"type\":\"turn_context\"",
        ) {
            if let Ok(tc) = serde_json::from_str::<TurnContextLine>(line) {
                self.saw_records = true;
                self.session
                    .note_ts(tc.timestamp.as_deref().and_then(parse_rfc3339));
                self.turn_context(
                    tc.payload.model.as_deref(),
                    tc.payload.cwd.as_deref(),
                    tc.payload.user_instructions.as_deref(),
                );
                return;
            }
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v) => self.record(v),
            Err(e) => {
                let what = if e.is_eof() {
                    "line is cut off (incomplete JSON); skipped"
                } else {
                    "not valid JSON; skipped"
                };
                diag.warn(f, Some(n), format!("{what}: {e}"));
            }
        }
    }

    fn next_id(&mut self, prefix: &str) -> String {
        self.synthetic_ids += 1;
        format!("{prefix}-{}", self.synthetic_ids)
    }

    fn record(&mut self, v: Value) {
        let Value::Object(mut obj) = v else {
            self.session.other_records += 1;
            return;
        };
        let ts = obj
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(parse_rfc3339);
        let kind = obj.get("type").and_then(Value::as_str).map(str::to_string);
        if let (Some(f), Some(t)) = (self.forked_at, ts) {
            if t <= f + FORK_COPY_WINDOW_MS {
                return; // copied from the original session
            }
        }
        match (kind.as_deref(), obj.remove("payload")) {
            (Some(t), Some(payload)) => {
                self.saw_records = true;
                self.session.note_ts(ts);
                match t {
                    "session_meta" => self.meta(&payload),
                    "response_item" => self.item(payload, ts),
                    "event_msg" => self.event(payload, ts),
                    "turn_context" => {
                        let s = |k: &str| payload.get(k).and_then(Value::as_str);
                        self.turn_context(s("model"), s("cwd"), s("user_instructions"))
                    }
                    "compacted" => {
                        let text = payload.get("message").and_then(Value::as_str).unwrap_or("");
                        self.compaction(text, ts);
                    }
                    _ => self.session.other_records += 1,
                }
            }
            (Some(_), None) => {
                // Legacy bare item.
                self.saw_records = true;
                self.item(Value::Object(obj), None);
            }
            (None, _) if obj.contains_key("record_type") => {
                self.saw_records = true; // legacy state marker
            }
            (None, _) if obj.contains_key("id") && obj.contains_key("timestamp") => {
                self.saw_records = true;
                self.session.note_ts(ts);
                self.meta(&Value::Object(obj));
            }
            _ => self.session.other_records += 1,
        }
    }

    fn meta(&mut self, p: &Value) {
        let s = |k: &str| p.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
        if !self.seen_meta {
            self.seen_meta = true;
            if s("forked_from_id").is_some() {
                self.forked_at = s("timestamp").and_then(parse_rfc3339);
            }
        }
        if self.session.id.is_empty() {
            if let Some(id) = s("id") {
                self.session.id = id.to_string();
            }
        }
        if let Some(t) = s("timestamp").and_then(parse_rfc3339) {
            self.session.note_ts(Some(t));
        }
        if let Some(cwd) = s("cwd") {
            self.session.set_cwd(cwd);
        }
        if self.session.agent_version.is_none() {
            self.session.agent_version = s("cli_version").map(str::to_string);
        }
        if self.originator.is_none() {
            self.originator = s("originator").map(str::to_string);
        }
        if self.source.is_none() {
            self.source = p.get("source").filter(|v| !v.is_null()).cloned();
        }
        if self.session.git_branch.is_none() {
            self.session.git_branch = p
                .get("git")
                .and_then(|g| g.get("branch"))
                .and_then(Value::as_str)
                .filter(|b| !b.is_empty())
                .map(str::to_string);
        }
        if let Some(instr) = s("instructions") {
            self.note_injected(instr);
        }
        if let Some(m) = s("model") {
            self.set_model(m);
        }
    }

    fn turn_context(&mut self, model: Option<&str>, cwd: Option<&str>, instr: Option<&str>) {
        if let Some(m) = model {
            self.set_model(m);
        }
        if let Some(cwd) = cwd {
            self.session.set_cwd(cwd);
        }
        if let Some(u) = instr {
            self.note_injected(u);
        }
    }

    fn set_model(&mut self, m: &str) {
        if m.is_empty() {
            return;
        }
        self.session.note_model(m);
        if self.model.as_deref() != Some(m) {
            self.model = Some(m.to_string());
        }
    }

    fn note_injected(&mut self, text: &str) {
        let t = text.trim();
        if !t.is_empty() && !self.injected.iter().any(|x| x == t) {
            self.injected.push(t.to_string());
        }
    }

    fn push(&mut self, turn: Turn) -> usize {
        self.session.turns.push(turn);
        self.session.turns.len() - 1
    }

    /// A harness event. Compactions and interruptions are often announced by
    /// several records (a `compacted` record, a `compaction` item and a
    /// `context_compacted` event; a `turn_aborted` event and a
    /// `<turn_aborted>` message): consecutive markers of the same kind with
    /// nothing but system turns in between count once.
    fn system(&mut self, kind: SystemKind, text: &str, ts: Option<Millis>) {
        if matches!(kind, SystemKind::Compaction | SystemKind::Interruption) {
            let repeated = self
                .session
                .turns
                .iter()
                .rev()
                .take_while(|t| matches!(t, Turn::System { .. }))
                .any(|t| matches!(t, Turn::System { kind: k, .. } if *k == kind));
            if repeated {
                return;
            }
        }
        self.push(Turn::System {
            kind,
            text: keep_head_tail(text, 1024, 1024),
            ts,
        });
    }

    fn compaction(&mut self, text: &str, ts: Option<Millis>) {
        self.system(SystemKind::Compaction, text, ts);
    }

    fn item(&mut self, p: Value, ts: Option<Millis>) {
        let Value::Object(mut p) = p else {
            self.session.other_records += 1;
            return;
        };
        let t = str_field(&p, "type").to_string();
        match t.as_str() {
            "message" => self.message(&p, ts),
            "reasoning" => {}
            "function_call" => {
                let name = str_field(&p, "name").to_string();
                let call_id = self.call_id(&p);
                let args = match p.remove("arguments") {
                    Some(Value::String(s)) => {
                        serde_json::from_str::<Value>(&s).unwrap_or(Value::String(s))
                    }
                    Some(v) => v,
                    None => Value::Null,
                };
                self.tool_call(call_id, name, args, ts);
            }
            "custom_tool_call" => {
                let name = str_field(&p, "name").to_string();
                let call_id = self.call_id(&p);
                let input = p.remove("input").unwrap_or(Value::Null);
                let args = match input {
                    Value::String(s) if name == "apply_patch" => json!({ "patch": s }),
                    Value::String(s) => json!({ "input": s }),
                    v => v,
                };
                self.tool_call(call_id, name, args, ts);
            }
            "local_shell_call" => {
                let call_id = self.call_id(&p);
                let action = p.remove("action").unwrap_or(Value::Null);
                self.tool_call(call_id, "local_shell".to_string(), action, ts);
            }
            "web_search_call" => {
                let call_id = self.call_id(&p);
                let failed = str_field(&p, "status") == "failed";
                let action = p.remove("action").unwrap_or(Value::Null);
                self.tool_call(call_id.clone(), "web_search".to_string(), action, ts);
                // No output record follows a built-in web search.
                self.tool_output(&call_id, None, failed, ts);
            }
            "function_call_output" | "custom_tool_call_output" => {
                let call_id = str_field(&p, "call_id").to_string();
                let out = p.remove("output").unwrap_or(Value::Null);
                let parsed = parse_output(&out);
                self.tool_output(&call_id, Some(parsed), false, ts);
            }
            "compaction" | "compaction_summary" => self.compaction("", ts),
            "ghost_snapshot" => {}
            _ => self.session.other_records += 1,
        }
    }

    fn call_id(&mut self, p: &Map<String, Value>) -> String {
        let id = str_field(p, "call_id");
        let id = if id.is_empty() {
            str_field(p, "id")
        } else {
            id
        };
        if id.is_empty() {
            self.next_id("codex-call")
        } else {
            id.to_string()
        }
    }

    fn message(&mut self, p: &Map<String, Value>, ts: Option<Millis>) {
        let role = str_field(p, "role");
        let parts: Vec<(&str, &str)> = match p.get("content") {
            Some(Value::Array(a)) => a
                .iter()
                .map(|c| {
                    (
                        c.get("type").and_then(Value::as_str).unwrap_or(""),
                        c.get("text").and_then(Value::as_str).unwrap_or(""),
                    )
                })
                .collect(),
            Some(Value::String(s)) => vec![("input_text", s.as_str())],
            _ => Vec::new(),
        };
        match role {
            "user" => {
                let images = parts.iter().filter(|(k, _)| k.contains("image")).count();
                let stripped: Vec<(&str, std::borrow::Cow<str>)> = parts
                    .iter()
                    .map(|(k, t)| (*k, strip_image_tags(t)))
                    .collect();
                let parts: Vec<(&str, &str)> =
                    stripped.iter().map(|(k, t)| (*k, t.as_ref())).collect();
                let raw: String = parts.iter().map(|(_, t)| *t).collect();
                self.user_text(&parts, &raw, images, Source::Item, ts);
            }
            "assistant" => {
                let text: Vec<&str> = parts
                    .iter()
                    .filter(|(k, t)| !k.contains("image") && !t.is_empty())
                    .map(|(_, t)| *t)
                    .collect();
                let text = text.join("\n");
                self.agent_text(text, Source::Item, ts);
            }
            _ => {
                // developer / system: instructions from the harness.
                let text: Vec<&str> = parts.iter().map(|(_, t)| *t).collect();
                self.system(SystemKind::InjectedContext, &text.join("\n"), ts);
            }
        }
    }

    /// A user message (from either record). `parts` are (kind, text) pieces;
    /// `raw` is their concatenation, used to pair the two copies.
    fn user_text(
        &mut self,
        parts: &[(&str, &str)],
        raw: &str,
        images: usize,
        source: Source,
        ts: Option<Millis>,
    ) {
        let mut typed: Vec<&str> = Vec::new();
        let mut system: Option<(SystemKind, &str)> = None;
        for (kind, text) in parts {
            if kind.contains("image") || text.trim().is_empty() {
                continue;
            }
            match self.injected_kind(text) {
                Some(k) => {
                    // The body of an AGENTS.md block may be repeated later
                    // as a part of a prompt: recognise it there too.
                    if let Some(body) = tag_value(text, "INSTRUCTIONS") {
                        let body = body.to_string();
                        self.note_injected(&body);
                    }
                    if system.is_none() {
                        system = Some((k, text));
                    }
                }
                None => typed.push(text),
            }
        }
        if typed.is_empty() && images == 0 {
            if let Some((kind, text)) = system {
                if kind == SystemKind::InjectedContext && self.session.cwd.is_none() {
                    if let Some(cwd) = tag_value(text, "cwd") {
                        let cwd = cwd.to_string();
                        self.session.set_cwd(&cwd);
                    }
                }
                // Event copies of injected context are dropped; the item is kept.
                if source == Source::Item {
                    self.system(kind, text, ts);
                }
            }
            return;
        }
        if !self.humans.admit(raw, source) {
            return;
        }
        let mut text = typed
            .iter()
            .map(|t| ide_request(t))
            .collect::<Vec<_>>()
            .join("\n");
        if text.is_empty() {
            text = "[image]".to_string();
        }
        self.push(Turn::Human {
            text,
            ts,
            queued: false,
        });
    }

    fn agent_text(&mut self, text: String, source: Source, ts: Option<Millis>) {
        if text.trim().is_empty() || !self.agents.admit(&text, source) {
            return;
        }
        self.push(Turn::Agent { text, ts });
    }

    /// Is this user-message text context the harness added (not typed)?
    fn injected_kind(&self, text: &str) -> Option<SystemKind> {
        let t = text.trim();
        if let Some(k) = injected_prefix(t) {
            return Some(k);
        }
        // The harness's instructions, or a long piece of them, repeated as a
        // part of a user message (a short typed text never matches).
        if self
            .injected
            .iter()
            .any(|x| x == t || (t.len() >= 200 && x.contains(t)))
        {
            return Some(SystemKind::InjectedContext);
        }
        None
    }

    fn tool_call(&mut self, id: String, name: String, args: Value, ts: Option<Millis>) {
        let (kind, input) = normalize_call(&name, args);
        let i = self.push(Turn::ToolCall {
            id: id.clone(),
            name,
            kind,
            input,
            ts,
        });
        self.calls.insert(id, i);
    }

    /// Records (or completes) the result of a call. `out` = None for a result
    /// that carries no output (a built-in web search).
    fn tool_output(&mut self, id: &str, out: Option<Output>, failed: bool, ts: Option<Millis>) {
        let out = out.unwrap_or_default();
        if let Some(&i) = self.results.get(id) {
            if let Some(Turn::ToolResult {
                is_error,
                exit_code,
                output,
                ..
            }) = self.session.turns.get_mut(i)
            {
                if exit_code.is_none() {
                    *exit_code = out.exit_code;
                }
                if !out.text.is_empty() {
                    *output = keep_head_tail(&out.text, OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL);
                }
                *is_error =
                    *is_error || out.is_error || failed || exit_code.is_some_and(|c| c != 0);
            }
            return;
        }
        let is_error = out.is_error || failed || out.exit_code.is_some_and(|c| c != 0);
        let i = self.push(Turn::ToolResult {
            id: id.to_string(),
            is_error,
            exit_code: out.exit_code,
            output: keep_head_tail(&out.text, OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL),
            ts,
        });
        self.results.insert(id.to_string(), i);
    }

    fn event(&mut self, p: Value, ts: Option<Millis>) {
        let Value::Object(p) = p else {
            self.session.other_records += 1;
            return;
        };
        match str_field(&p, "type") {
            "user_message" => {
                let kind = str_field(&p, "kind");
                if !kind.is_empty() && kind != "plain" {
                    return; // injected context announced as such
                }
                let msg = strip_image_tags(str_field(&p, "message"));
                let msg = msg.as_ref();
                let images = ["images", "local_images"]
                    .iter()
                    .filter_map(|k| p.get(*k).and_then(Value::as_array))
                    .map(Vec::len)
                    .sum();
                self.user_text(&[("input_text", msg)], msg, images, Source::Event, ts);
            }
            "agent_message" => {
                let msg = str_field(&p, "message").to_string();
                self.agent_text(msg, Source::Event, ts);
            }
            "token_count" => self.token_count(&p, ts),
            "turn_aborted" => {
                let reason = str_field(&p, "reason");
                let kind = if reason == "interrupted" || reason.is_empty() {
                    SystemKind::Interruption
                } else {
                    SystemKind::Other
                };
                self.system(kind, &format!("turn aborted: {reason}"), ts);
            }
            "context_compacted" => self.compaction("", ts),
            "error" | "stream_error" => {
                let msg = str_field(&p, "message");
                self.system(SystemKind::ApiError, msg, ts);
            }
            "exec_command_end" => {
                let call_id = str_field(&p, "call_id").to_string();
                let code = p.get("exit_code").and_then(Value::as_i64).map(|c| c as i32);
                let text = ["aggregated_output", "formatted_output", "stdout"]
                    .iter()
                    .map(|k| str_field(&p, k))
                    .find(|s| !s.is_empty())
                    .unwrap_or("");
                let out = Output {
                    text: text.to_string(),
                    exit_code: code,
                    is_error: code.is_some_and(|c| c != 0),
                };
                self.tool_output(&call_id, Some(out), false, ts);
            }
            "patch_apply_end" => {
                let call_id = str_field(&p, "call_id").to_string();
                let ok = p.get("success").and_then(Value::as_bool).unwrap_or(true);
                let text = if ok {
                    str_field(&p, "stdout")
                } else {
                    str_field(&p, "stderr")
                };
                let out = Output {
                    text: text.to_string(),
                    exit_code: None,
                    is_error: !ok,
                };
                self.tool_output(&call_id, Some(out), false, ts);
            }
            "entered_review_mode" => {
                // The person asked for a review (`/review`); the review itself
                // runs in a separate thread.
                let hint = ["user_facing_hint", "prompt"]
                    .iter()
                    .map(|k| str_field(&p, k))
                    .find(|s| !s.is_empty())
                    .unwrap_or("");
                let text = format!("/review {hint}").trim_end().to_string();
                self.push(Turn::Human {
                    text,
                    ts,
                    queued: false,
                });
            }
            "agent_reasoning"
            | "agent_reasoning_raw_content"
            | "task_started"
            | "task_complete"
            | "exited_review_mode"
            | "undo_completed" => {}
            _ => self.session.other_records += 1,
        }
    }

    /// One model call per new `token_count` (repeats with an unchanged total
    /// are rate-limit updates, not calls).
    fn token_count(&mut self, p: &Map<String, Value>, ts: Option<Millis>) {
        let Some(info) = p.get("info").filter(|i| i.is_object()) else {
            return;
        };
        let total = info
            .get("total_token_usage")
            .and_then(|t| t.get("total_tokens"))
            .and_then(Value::as_u64);
        if total.is_some() && total == self.last_total_tokens {
            return;
        }
        self.last_total_tokens = total;
        let Some(last) = info.get("last_token_usage").filter(|l| l.is_object()) else {
            return;
        };
        let n = |k: &str| last.get(k).and_then(Value::as_u64).unwrap_or(0);
        let cached = n("cached_input_tokens");
        let id = self.next_id("codex-turn");
        self.session.model_calls.push(ModelCall {
            message_id: id,
            model: self.model.clone(),
            ts,
            input_tokens: n("input_tokens").saturating_sub(cached),
            output_tokens: n("output_tokens"),
            cache_read_tokens: cached,
            cache_creation_tokens: 0,
        });
    }

    fn finish(mut self) -> Option<Session> {
        if !self.saw_records {
            return None;
        }
        self.session.surface = surface(self.originator.as_deref(), self.source.as_ref());
        let source = match &self.source {
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) if v.is_object() => v.as_object().and_then(|o| o.keys().next().cloned()),
            _ => None,
        };
        self.session.entrypoint = match (self.originator.take(), source) {
            (Some(o), Some(s)) => Some(format!("{o}/{s}")),
            (Some(o), None) => Some(o),
            (None, Some(s)) => Some(s),
            (None, None) => None,
        };
        if let Some(Value::Object(o)) = &self.source {
            // A sub-agent thread spawned by another session:
            // {"subagent": {"thread_spawn": {"parent_thread_id": ...}}}.
            if let Some(parent) = o
                .get("subagent")
                .and_then(|s| s.get("thread_spawn"))
                .and_then(|t| t.get("parent_thread_id"))
                .and_then(Value::as_str)
            {
                self.session.parent_id = Some(parent.to_string());
            }
        }
        Some(self.session)
    }
}

fn str_field<'a>(p: &'a Map<String, Value>, k: &str) -> &'a str {
    p.get(k).and_then(Value::as_str).unwrap_or("")
}

/// Context the harness wraps in recognisable markers.
fn injected_prefix(t: &str) -> Option<SystemKind> {
    const CONTEXT: [&str; 12] = [
        "<environment_context>",
        "<user_instructions>",
        "<permissions instructions>",
        "<permissions_instructions>",
        "# AGENTS.md instructions for",
        "<INSTRUCTIONS>",
        "<developer_instructions>",
        "<model_switch>",
        "<collaboration_mode>",
        "<skills_instructions>",
        "<personality_spec>",
        "<user_context>",
    ];
    if CONTEXT.iter().any(|p| t.starts_with(p)) {
        return Some(SystemKind::InjectedContext);
    }
    if t.starts_with("<turn_aborted>") {
        return Some(SystemKind::Interruption);
    }
    if t.starts_with("<user_shell_command>") {
        return Some(SystemKind::LocalCommand);
    }
    // Any message wholly wrapped in one snake_case tag is harness context.
    if let Some(rest) = t.strip_prefix('<') {
        if let Some(end) = rest.find('>') {
            let tag = &rest[..end];
            if !tag.is_empty()
                && tag.len() <= 40
                && tag.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                && tag.contains('_')
                && t.ends_with(&format!("</{tag}>"))
            {
                return Some(SystemKind::InjectedContext);
            }
        }
    }
    None
}

/// The text between `<tag>` and `</tag>`.
fn tag_value<'a>(text: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let a = text.find(&open)? + open.len();
    let b = text[a..].find(&close)? + a;
    Some(text[a..b].trim())
}

/// A tool output, with the exit code when the text carries one.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Output {
    pub text: String,
    pub exit_code: Option<i32>,
    pub is_error: bool,
}

/// Reads a `function_call_output` / `custom_tool_call_output` payload:
/// a string (often JSON `{"output", "metadata": {"exit_code"}}`, or text with
/// "Exit code: N" / "Process exited with code N"), or an object / array of
/// content items.
pub fn parse_output(v: &Value) -> Output {
    match v {
        Value::String(s) => {
            if s.starts_with('{') {
                if let Ok(Value::Object(o)) = serde_json::from_str::<Value>(s) {
                    if o.contains_key("output") || o.contains_key("metadata") {
                        let text = match o.get("output") {
                            Some(Value::String(t)) => t.clone(),
                            Some(other) => other.to_string(),
                            None => String::new(),
                        };
                        let code = o
                            .get("metadata")
                            .and_then(|m| m.get("exit_code"))
                            .and_then(Value::as_i64)
                            .map(|c| c as i32)
                            .or_else(|| exit_code_in_text(&text));
                        let is_error =
                            code.is_some_and(|c| c != 0) || (code.is_none() && says_failed(&text));
                        return Output {
                            text,
                            exit_code: code,
                            is_error,
                        };
                    }
                }
            }
            text_output(s.clone())
        }
        Value::Object(o) => {
            let mut out = match o.get("content") {
                Some(c) => parse_output(c),
                None => text_output(v.to_string()),
            };
            if o.get("success").and_then(Value::as_bool) == Some(false) {
                out.is_error = true;
            }
            out
        }
        Value::Array(items) => {
            let text: Vec<&str> = items
                .iter()
                .filter_map(|i| i.get("text").and_then(Value::as_str))
                .collect();
            text_output(text.join("\n"))
        }
        Value::Null => Output::default(),
        other => text_output(other.to_string()),
    }
}

fn text_output(text: String) -> Output {
    let code = exit_code_in_text(&text);
    let is_error = code.is_some_and(|c| c != 0) || (code.is_none() && says_failed(&text));
    Output {
        text,
        exit_code: code,
        is_error,
    }
}

/// "Exit code: N", "Process exited with code N" or "... exit code: N" near the
/// start of an output.
fn exit_code_in_text(text: &str) -> Option<i32> {
    let mut end = text.len().min(600);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    for marker in [
        "Process exited with code ",
        "Exit code: ",
        "exit code: ",
        "exit_code: ",
    ] {
        if let Some(i) = head.find(marker) {
            let rest = &head[i + marker.len()..];
            let digits: String = rest
                .chars()
                .enumerate()
                .take_while(|(k, c)| c.is_ascii_digit() || (*k == 0 && *c == '-'))
                .map(|(_, c)| c)
                .collect();
            if let Ok(n) = digits.parse::<i32>() {
                return Some(n);
            }
        }
    }
    None
}

/// Outputs that say the call failed without giving an exit code.
fn says_failed(text: &str) -> bool {
    let t = text.trim_start();
    let lower: String = t.chars().take(60).collect::<String>().to_lowercase();
    [
        // The person declined the approval prompt (or a reviewer model did).
        "exec command rejected",
        "patch rejected",
        "rejected by user",
        "this action was rejected",
        "error:",
        "failed in sandbox",
        "execution error",
        "sandbox error",
        "aborted",
        "apply_patch verification failed",
        "command timed out",
        "failed to parse function arguments",
        "unsupported call",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Normalized kind and input of a call. Shell inputs get a `command` string
/// (the script that ran); patch inputs keep the patch text under `patch`.
fn normalize_call(name: &str, args: Value) -> (ToolKind, Value) {
    match name {
        "shell" | "container.exec" | "exec_command" | "local_shell" | "shell_command"
        | "unified_exec" => {
            let mut obj = match args {
                Value::Object(o) => o,
                Value::String(s) => {
                    let mut o = Map::new();
                    o.insert("command".into(), Value::String(s));
                    o
                }
                other => {
                    let mut o = Map::new();
                    o.insert("arguments".into(), other);
                    o
                }
            };
            let (script, argv0) = shell_script(&obj);
            if let Some(patch) = patch_in_command(&script, argv0.as_deref(), &obj) {
                obj.insert("patch".into(), Value::String(patch));
                if let Some(old) = obj.remove("command") {
                    obj.insert("argv".into(), old);
                }
                obj.insert("command".into(), Value::String("apply_patch".into()));
                return (ToolKind::Edit, Value::Object(obj));
            }
            if let Some(old) = obj.get("command") {
                if !old.is_string() {
                    let old = old.clone();
                    obj.insert("argv".into(), old);
                }
            }
            obj.insert("command".into(), Value::String(script));
            (ToolKind::Shell, Value::Object(obj))
        }
        "write_stdin" => (ToolKind::Shell, args),
        "apply_patch" => {
            let input = match args {
                Value::Object(mut o) => {
                    if !o.contains_key("patch") {
                        if let Some(Value::String(s)) = o.remove("input") {
                            o.insert("patch".into(), Value::String(s));
                        }
                    }
                    Value::Object(o)
                }
                Value::String(s) => json!({ "patch": s }),
                other => other,
            };
            (ToolKind::Edit, input)
        }
        "update_plan" => (ToolKind::Plan, args),
        "web_search" | "web_search_call" => (ToolKind::Web, args),
        "view_image" | "read_file" => (ToolKind::Read, args),
        "list_dir" | "grep_files" => (ToolKind::Search, args),
        "spawn_agent" => (ToolKind::Task, args),
        _ => (ToolKind::Other, args),
    }
}

/// The script a shell call runs: `["bash", "-lc", "X"]` -> "X", other argv
/// joined with spaces, `cmd` / `command` strings as they are. Also returns argv[0].
fn shell_script(obj: &Map<String, Value>) -> (String, Option<String>) {
    let cmd = obj.get("command").or_else(|| obj.get("cmd"));
    match cmd {
        Some(Value::String(s)) => (s.clone(), None),
        Some(Value::Array(a)) => {
            let argv: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
            let argv0 = argv.first().map(|s| s.to_string());
            let is_shell = argv.first().is_some_and(|s| {
                let base = s.rsplit('/').next().unwrap_or(s);
                matches!(
                    base,
                    "bash" | "sh" | "zsh" | "dash" | "fish" | "pwsh" | "powershell"
                )
            });
            if is_shell && argv.len() >= 3 && argv[1].starts_with('-') && argv[1].contains('c') {
                (argv[2..].join(" "), argv0)
            } else {
                (argv.join(" "), argv0)
            }
        }
        _ => (String::new(), None),
    }
}

/// The patch text when a shell call runs `apply_patch`.
fn patch_in_command(script: &str, argv0: Option<&str>, obj: &Map<String, Value>) -> Option<String> {
    if matches!(argv0, Some("apply_patch" | "applypatch")) {
        if let Some(Value::Array(a)) = obj.get("command") {
            return a.get(1).and_then(Value::as_str).map(str::to_string);
        }
    }
    let t = script.trim_start();
    if !(t.starts_with("apply_patch") || t.starts_with("applypatch")) {
        return None;
    }
    let begin = t.find("*** Begin Patch")?;
    let end = t[begin..]
        .find("*** End Patch")
        .map(|e| begin + e + "*** End Patch".len())
        .unwrap_or(t.len());
    Some(t[begin..end].to_string())
}

/// Surface from the session header. `originator` names the client
/// ("codex_cli_rs", "codex_exec", "codex_vscode", desktop apps, SDKs) and
/// `source` how the session was started ("cli", "vscode", "exec", "mcp", or
/// an object for sub-agent and internal threads). The desktop app records
/// source "vscode", so a desktop originator wins over the source.
pub fn surface(originator: Option<&str>, source: Option<&Value>) -> Surface {
    let o = originator.unwrap_or("").to_ascii_lowercase();
    let src = match source {
        Some(Value::String(s)) => s.to_ascii_lowercase(),
        // {"subagent": ...} and {"internal": ...}: no person drives them.
        Some(Value::Object(m)) if m.contains_key("subagent") || m.contains_key("internal") => {
            return Surface::Headless
        }
        // {"custom": "<product>"}: decided by the originator.
        _ => String::new(),
    };
    if o.contains("desktop") {
        Surface::Desktop
    } else if o.contains("exec") || src == "exec" {
        Surface::Headless
    } else if matches!(src.as_str(), "vscode" | "ide" | "jetbrains")
        || o.contains("vscode")
        || o.contains("jetbrains")
        || o.contains("_ide")
    {
        Surface::Ide
    } else if matches!(src.as_str(), "mcp" | "sdk" | "app_server" | "app-server")
        || o.contains("sdk")
        || o.contains("mcp")
    {
        Surface::Sdk
    } else if matches!(src.as_str(), "cli" | "tui") || o.contains("cli") || o.contains("tui") {
        Surface::Cli
    } else {
        Surface::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_from_the_forms_codex_writes() {
        let j = Value::String(
            r#"{"output":"ok\n","metadata":{"exit_code":2,"duration_seconds":0.1}}"#.into(),
        );
        let o = parse_output(&j);
        assert_eq!(
            (o.text.as_str(), o.exit_code, o.is_error),
            ("ok\n", Some(2), true)
        );
        let t = parse_output(&Value::String(
            "Chunk ID: 1a\nWall time: 0.1 seconds\nProcess exited with code 0\nOutput:\nfine"
                .into(),
        ));
        assert_eq!((t.exit_code, t.is_error), (Some(0), false));
        let t = parse_output(&Value::String(
            "Exit code: 127\nWall time: 0 seconds\nOutput:\nnot found".into(),
        ));
        assert_eq!((t.exit_code, t.is_error), (Some(127), true));
        let t = parse_output(&Value::String(
            "failed in sandbox Seatbelt with execution error: denied, exit code: 1, stdout: x"
                .into(),
        ));
        assert_eq!((t.exit_code, t.is_error), (Some(1), true));
        let t = parse_output(&Value::String(
            "error: Failed to find expected lines in a.py".into(),
        ));
        assert_eq!((t.exit_code, t.is_error), (None, true));
        let t = parse_output(&Value::String("exec command rejected by user".into()));
        assert_eq!((t.exit_code, t.is_error), (None, true));
        let t = parse_output(&Value::String("Plan updated".into()));
        assert_eq!((t.exit_code, t.is_error), (None, false));
        let t = parse_output(&json!({"content": "boom", "success": false}));
        assert!(t.is_error);
    }

    #[test]
    fn twins_pair_once_even_when_one_copy_has_image_markers() {
        let item = strip_image_tags(
            "<image name=[Image #1] path=\"/t/a.png\">\n</image>\nwhy is this button grey?",
        );
        assert_eq!(item.trim(), "why is this button grey?");
        let mut p = Pairing::default();
        assert!(p.admit(&item, Source::Item));
        assert!(!p.admit("why is this button grey?", Source::Event));
        // A prefix only one copy has: paired by the ending.
        assert!(p.admit(
            "Files mentioned: a.png\nplease crop the header image",
            Source::Item
        ));
        assert!(!p.admit("please crop the header image", Source::Event));
        // Two real prompts in a row from the same record kind both count.
        assert!(p.admit("yes", Source::Item));
        assert!(p.admit("yes", Source::Item));
        assert!(!p.admit("yes", Source::Event));
        assert!(!p.admit("yes", Source::Event));
        assert!(p.admit("yes", Source::Event));
        // Short texts never pair on their ending alone.
        assert!(p.admit("no, do b", Source::Item));
        assert!(p.admit("do b", Source::Event));
    }

    #[test]
    fn ide_context_is_cut_from_the_prompt_text() {
        let t = "# Context from my IDE setup:\n\n## Open tabs:\n- a.rs\n\n## My request for Codex:\nrename foo to bar\n";
        assert_eq!(ide_request(t), "rename foo to bar");
        assert_eq!(ide_request("plain request"), "plain request");
    }

    #[test]
    fn odd_shapes_are_tolerated() {
        let lines = [
            r#"{"type":"session_meta","payload":null}"#,
            r#"{"type":"session_meta","payload":{"id":5,"source":[1],"git":"x"}}"#,
            r#"{"type":"response_item","payload":[]}"#,
            r#"{"type":"response_item","payload":{"type":"message","role":"user","content":5}}"#,
            r#"{"type":"response_item","payload":{"type":"message","role":"user","content":[5,{"type":7}]}}"#,
            r#"{"type":"response_item","payload":{"type":"function_call","arguments":5}}"#,
            r#"{"type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{"command":7}"}}"#,
            r#"{"type":"response_item","payload":{"type":"function_call_output","output":{"content":[1]}}}"#,
            r#"{"type":"response_item","payload":{"type":"custom_tool_call","name":"apply_patch","input":null}}"#,
            r#"{"type":"response_item","payload":{"type":"local_shell_call","action":"x"}}"#,
            r#"{"type":"event_msg","payload":{"type":"token_count","info":{"last_token_usage":5}}}"#,
            r#"{"type":"event_msg","payload":{"type":"exec_command_end","exit_code":"x"}}"#,
            r#"{"type":"event_msg","payload":{"type":"user_message","message":null,"images":5}}"#,
            r#"{"type":"turn_context","payload":{"model":5}}"#,
            r#"{"timestamp":"not a time","type":"compacted","payload":{}}"#,
            r#"[1,2,3]"#,
            r#""just a string""#,
            r#"{"record_type":"state"}"#,
            r#"{"type":"message","role":"user","content":[{"type":"input_text","text":"<image"}]}"#,
        ];
        let diag = Diagnostics::new(true);
        let mut p = Parser::new("x".into());
        for (n, l) in lines.iter().enumerate() {
            p.line(l, Path::new("odd.jsonl"), n as u64 + 1, &diag);
        }
        let s = p.finish().expect("records were seen");
        assert_eq!(s.id, "x");
        assert!(s.other_records > 0);
    }

    #[test]
    fn injected_context_is_recognised() {
        assert_eq!(
            injected_prefix("<environment_context>\n  <cwd>/w</cwd>\n</environment_context>"),
            Some(SystemKind::InjectedContext)
        );
        assert_eq!(
            injected_prefix("# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>x</INSTRUCTIONS>"),
            Some(SystemKind::InjectedContext)
        );
        assert_eq!(
            injected_prefix("<turn_aborted>\nThe user interrupted.\n</turn_aborted>"),
            Some(SystemKind::Interruption)
        );
        assert_eq!(
            injected_prefix("<some_new_block>\nx\n</some_new_block>"),
            Some(SystemKind::InjectedContext)
        );
        assert_eq!(injected_prefix("<div> is not closing here"), None);
        assert_eq!(injected_prefix("fix the login bug"), None);
    }

    #[test]
    fn shell_calls_get_a_command_string_and_patches_become_edits() {
        let (k, i) = normalize_call(
            "shell",
            json!({"command": ["bash", "-lc", "cargo test -q"]}),
        );
        assert_eq!(k, ToolKind::Shell);
        assert_eq!(i["command"], "cargo test -q");
        assert_eq!(i["argv"][0], "bash");
        let (k, i) = normalize_call("exec_command", json!({"cmd": "rg -n foo src"}));
        assert_eq!(
            (k, i["command"].as_str()),
            (ToolKind::Shell, Some("rg -n foo src"))
        );
        let p = "*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch";
        let (k, i) = normalize_call("shell", json!({"command": ["apply_patch", p]}));
        assert_eq!((k, i["patch"].as_str()), (ToolKind::Edit, Some(p)));
        let heredoc = format!("apply_patch <<'EOF'\n{p}\nEOF\n");
        let (k, i) = normalize_call("shell", json!({"command": ["bash", "-lc", heredoc]}));
        assert_eq!((k, i["patch"].as_str()), (ToolKind::Edit, Some(p)));
        assert_eq!(normalize_call("update_plan", json!({})).0, ToolKind::Plan);
        assert_eq!(normalize_call("view_image", json!({})).0, ToolKind::Read);
        assert_eq!(normalize_call("mcp__thing", json!({})).0, ToolKind::Other);
    }

    #[test]
    fn surfaces() {
        assert_eq!(
            surface(Some("codex_cli_rs"), Some(&json!("cli"))),
            Surface::Cli
        );
        assert_eq!(
            surface(Some("codex_cli_rs"), Some(&json!("unknown"))),
            Surface::Cli
        );
        assert_eq!(surface(Some("codex_exec"), None), Surface::Headless);
        assert_eq!(
            surface(Some("codex_cli_rs"), Some(&json!("exec"))),
            Surface::Headless
        );
        assert_eq!(
            surface(Some("codex_vscode"), Some(&json!("vscode"))),
            Surface::Ide
        );
        assert_eq!(surface(None, None), Surface::Unknown);
        assert_eq!(
            surface(Some("codex_exec"), Some(&json!("cli"))),
            Surface::Headless
        );
        assert_eq!(
            surface(Some("codex_work_desktop"), Some(&json!("vscode"))),
            Surface::Desktop
        );
        assert_eq!(
            surface(
                Some("codex_cli_rs"),
                Some(&json!({"subagent": {"thread_spawn": {"parent_thread_id": "p", "depth": 1}}}))
            ),
            Surface::Headless
        );
        assert_eq!(surface(None, Some(&json!("unknown"))), Surface::Unknown);
    }

    #[test]
    fn session_id_from_rollout_name() {
        let p =
            Path::new("x/rollout-2025-09-01T10-00-00-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000.jsonl");
        assert_eq!(
            id_from_file_name(p).as_deref(),
            Some("0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000")
        );
        assert_eq!(id_from_file_name(Path::new("notes.jsonl")), None);
        assert_eq!(
            id_from_file_name(Path::new(
                "rollout-é199f0a1-2b3c-7d4e-8f50-6a7b8c9d0e1f.jsonl"
            )),
            None
        );
    }

    #[test]
    fn sniff_accepts_both_layouts_and_rejects_others() {
        let cur = b"{\"timestamp\":\"2025-10-01T10:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"x\"}}\n";
        assert!(sniff_head(cur));
        let legacy = b"{\"id\":\"x\",\"timestamp\":\"2025-08-01T10:00:00Z\",\"instructions\":null}\n{\"record_type\":\"state\"}\n{\"type\":\"message\",\"role\":\"user\",\"content\":[]}\n";
        assert!(sniff_head(legacy));
        let cc = b"{\"type\":\"user\",\"sessionId\":\"s\",\"uuid\":\"u\",\"message\":{}}\n";
        assert!(!sniff_head(cc));
        let norm = b"{\"schema\":1,\"id\":\"x\",\"agent\":\"codex\",\"turns\":[]}\n";
        assert!(!sniff_head(norm));
        // A header line longer than the sniffed head.
        let mut long = b"{\"timestamp\":\"2025-10-01T10:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"x\",\"instructions\":\"".to_vec();
        long.extend(std::iter::repeat_n(b'a', 1000));
        assert!(sniff_head(&long));
    }
}
