//! Turns Claude Code records into one normalized [`Session`].

use super::raw::{Block, Content, Record, Str};
use super::text::{self, UserText};
use crate::session::{
    keep_head_tail, ModelCall, Session, Surface, SystemKind, ToolKind, Turn, OUTPUT_KEEP_HEAD,
    OUTPUT_KEEP_TAIL,
};
use crate::time::{parse_rfc3339, Millis};
use std::collections::HashMap;

/// Surface from the recorded `entrypoint`.
pub fn surface(entrypoint: &str) -> Surface {
    match entrypoint {
        "cli" => Surface::Cli,
        "claude-desktop" | "desktop" => Surface::Desktop,
        "claude.ai" | "web" | "remote" | "claude-web" => Surface::Web,
        "sdk-cli" => Surface::Headless,
        "sdk-ts" | "sdk-py" | "sdk" => Surface::Sdk,
        "claude-vscode" | "claude-jetbrains" | "jetbrains" | "vscode" | "ide" => Surface::Ide,
        "" => Surface::Unknown,
        e if e.starts_with("sdk") => Surface::Sdk,
        e if e.contains("vscode") || e.contains("jetbrains") || e.contains("cursor") => {
            Surface::Ide
        }
        _ => Surface::Unknown,
    }
}

fn s<'a>(o: &'a Option<Str<'_>>) -> &'a str {
    o.as_ref().map(|x| x.as_str()).unwrap_or("")
}

/// Builds one session from its records, in file order.
pub struct Builder {
    pub s: Session,
    calls: HashMap<String, usize>,
    tool_kinds: HashMap<String, ToolKind>,
    /// Queued prompts (enqueue records) not yet seen again: (turn index, text).
    pending_queue: Vec<(usize, String)>,
    drop_turns: Vec<usize>,
    custom_title: Option<String>,
    ai_title: Option<String>,
    summary_title: Option<String>,
    /// The last turn is a compaction boundary still waiting for its summary.
    last_was_boundary: bool,
}

impl Builder {
    pub fn new(id: impl Into<String>) -> Self {
        Builder {
            s: Session::new(id, crate::session::Agent::ClaudeCode),
            calls: HashMap::new(),
            tool_kinds: HashMap::new(),
            pending_queue: Vec::new(),
            drop_turns: Vec::new(),
            custom_title: None,
            ai_title: None,
            summary_title: None,
            last_was_boundary: false,
        }
    }

    fn push(&mut self, t: Turn) {
        self.last_was_boundary = false;
        self.s.turns.push(t);
    }

    fn system(&mut self, kind: SystemKind, text: impl Into<String>, ts: Option<Millis>) {
        self.push(Turn::System {
            kind,
            text: text.into(),
            ts,
        });
    }

    /// Notes session-level metadata carried on a record.
    fn meta(&mut self, r: &Record<'_>, ts: Option<Millis>) {
        self.s.note_ts(ts);
        if self.s.agent_version.is_none() && !s(&r.version).is_empty() {
            self.s.agent_version = Some(s(&r.version).to_string());
        }
        let cwd = s(&r.cwd);
        if !cwd.is_empty() {
            self.s.set_cwd(cwd);
        }
        if self.s.git_branch.is_none() {
            let b = s(&r.git_branch);
            if !b.is_empty() && b != "HEAD" {
                self.s.git_branch = Some(b.to_string());
            }
        }
        if self.s.entrypoint.is_none() {
            let e = s(&r.entrypoint);
            if !e.is_empty() {
                self.s.entrypoint = Some(e.to_string());
                self.s.surface = surface(e);
            }
        }
    }

    /// Applies one record. Returns false for a record type we do not know.
    pub fn apply(&mut self, r: &mut Record<'_>) -> bool {
        let ts = r.timestamp.as_ref().and_then(|t| parse_rfc3339(t.as_str()));
        match s(&r.ty) {
            "user" => {
                self.meta(r, ts);
                self.user(r, ts);
            }
            "assistant" => {
                self.meta(r, ts);
                self.assistant(r, ts);
            }
            "system" => {
                self.meta(r, ts);
                self.system_record(r, ts);
            }
            "attachment" => {
                self.meta(r, ts);
                if let Some(a) = &r.attachment {
                    if s(&a.ty) == "queued_command" {
                        let mode = s(&a.command_mode);
                        let by_person = a
                            .origin
                            .as_ref()
                            .is_none_or(|o| human_origin(o.kind.as_str()));
                        if (mode.is_empty() || mode == "prompt") && by_person {
                            if let Some(p) = queued_prompt(s(&a.prompt).trim()) {
                                self.queued_seen_again(&p, ts);
                            }
                        }
                    }
                }
            }
            "queue-operation" => {
                self.s.note_ts(ts);
                match s(&r.operation) {
                    "enqueue" => {
                        let c = s(&r.content).trim();
                        if let Some(p) = queued_prompt(c) {
                            self.pending_queue.push((self.s.turns.len(), p.clone()));
                            self.push(Turn::Human {
                                text: p,
                                ts,
                                queued: true,
                            });
                        }
                    }
                    "popAll" => {
                        // Queued messages pulled back into the input box to be
                        // edited: not sent (if sent later they come back as a
                        // user record).
                        let c = s(&r.content);
                        let mut k = 0;
                        while k < self.pending_queue.len() {
                            if c.contains(self.pending_queue[k].1.as_str()) {
                                let (idx, _) = self.pending_queue.remove(k);
                                self.drop_turns.push(idx);
                            } else {
                                k += 1;
                            }
                        }
                    }
                    _ => {}
                }
            }
            "summary" => {
                let t = s(&r.summary).trim();
                if !t.is_empty() {
                    self.summary_title = Some(t.to_string());
                }
            }
            "custom-title" => {
                let t = s(&r.custom_title).trim();
                if !t.is_empty() {
                    self.custom_title = Some(t.to_string());
                }
            }
            "ai-title" => {
                let t = [s(&r.ai_title), s(&r.title)]
                    .into_iter()
                    .find(|t| !t.trim().is_empty())
                    .unwrap_or("")
                    .trim();
                if !t.is_empty() {
                    self.ai_title = Some(t.to_string());
                }
            }
            "pr-link" => {
                self.s.note_ts(ts);
                let u = s(&r.pr_url).trim();
                if !u.is_empty() && !self.s.pr_links.iter().any(|x| x == u) {
                    self.s.pr_links.push(u.to_string());
                }
            }
            "progress"
            | "file-history-snapshot"
            | "file-history-delta"
            | "permission-mode"
            | "mode"
            | "last-prompt"
            | "agent-name"
            | "tag" => {}
            _ => return false,
        }
        true
    }

    /// A queued prompt seen again as an attachment: keep one copy.
    fn queued_seen_again(&mut self, text: &str, ts: Option<Millis>) {
        if let Some(k) = self.pending_queue.iter().position(|(_, t)| t == text) {
            self.pending_queue.remove(k);
        } else {
            self.push(Turn::Human {
                text: text.to_string(),
                ts,
                queued: true,
            });
        }
    }

    fn prompt(&mut self, text: String, ts: Option<Millis>) {
        let mut queued = false;
        // A queued message sent later as a normal prompt (possibly with more
        // typed or pasted after it) is the same prompt: keep the later copy.
        if let Some(k) = self
            .pending_queue
            .iter()
            .position(|(_, t)| text.starts_with(t.as_str()))
        {
            let (idx, _) = self.pending_queue.remove(k);
            self.drop_turns.push(idx);
            queued = true;
        }
        self.push(Turn::Human { text, ts, queued });
    }

    fn user(&mut self, r: &Record<'_>, ts: Option<Millis>) {
        let Some(m) = &r.message else { return };
        let mut texts: Vec<&str> = Vec::new();
        let mut images = 0usize;
        match &m.content {
            Some(Content::Text(t)) => texts.push(t.as_str()),
            Some(Content::Blocks(blocks)) => {
                for b in blocks {
                    match b.kind() {
                        "tool_result" => self.tool_result(b, r, ts),
                        "text" => texts.push(s(&b.text)),
                        "image" | "document" => images += 1,
                        _ => {}
                    }
                }
            }
            None => {}
        }
        if texts.is_empty() && images == 0 {
            return;
        }
        let mut joined = texts.join("\n");
        if images > 0 && texts.iter().all(|t| t.trim().is_empty()) {
            joined = "[image]".repeat(images);
        }
        if r.is_compact_summary.0 {
            self.compaction_summary(joined, ts);
            return;
        }
        if r.is_meta.0 {
            self.system(SystemKind::InjectedContext, joined, ts);
            return;
        }
        if let Some(o) = &r.origin {
            let k = o.kind.as_str();
            if !human_origin(k) {
                let kind = if k.contains("hook") {
                    SystemKind::Hook
                } else if k.contains("command") {
                    SystemKind::LocalCommand
                } else {
                    SystemKind::InjectedContext
                };
                self.system(kind, joined, ts);
                return;
            }
        }
        match text::classify_user_text(&joined) {
            UserText::Prompt(p) => {
                if r.is_visible_in_transcript_only.0 {
                    self.system(SystemKind::InjectedContext, p, ts);
                } else {
                    self.prompt(p, ts);
                }
            }
            UserText::System(SystemKind::Compaction, t) => self.compaction_summary(t, ts),
            UserText::System(k, t) => self.system(k, t, ts),
            UserText::Empty => {}
        }
    }

    /// The summary written after a compaction. Newer versions first write a
    /// `compact_boundary` record: the two are one compaction event.
    fn compaction_summary(&mut self, text: String, ts: Option<Millis>) {
        if let Some(Turn::System {
            kind: SystemKind::Compaction,
            text: t,
            ..
        }) = self.s.turns.last_mut()
        {
            if self.last_was_boundary {
                *t = text;
                self.last_was_boundary = false;
                return;
            }
        }
        self.system(SystemKind::Compaction, text, ts);
    }

    fn tool_result(&mut self, b: &Block<'_>, r: &Record<'_>, ts: Option<Millis>) {
        let id = s(&b.tool_use_id).to_string();
        let mut out = b.content.as_ref().map(|c| c.0.as_str()).unwrap_or("");
        let tur = r.tool_use_result.as_ref();
        if out.is_empty() {
            if let Some(t) = tur.and_then(|t| t.text.as_ref()) {
                out = t.as_str();
            }
        }
        let is_error = b.is_error.0;
        let kind = self.tool_kinds.get(&id).copied();
        let exit_code = tur
            .and_then(|t| t.exit_code)
            .map(|c| c as i32)
            .or_else(|| text::exit_code_in_text(out))
            .or_else(|| {
                let t = tur?;
                (kind == Some(ToolKind::Shell) && t.has_stdout && !is_error && !t.interrupted)
                    .then_some(0)
            });
        let feedback = if is_error {
            text::rejection_feedback(out)
        } else {
            None
        };
        self.push(Turn::ToolResult {
            id,
            is_error,
            exit_code,
            output: keep_head_tail(out, OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL),
            ts,
        });
        if let Some(fb) = feedback {
            self.system(SystemKind::Rejection, fb, ts);
        }
    }

    fn assistant(&mut self, r: &mut Record<'_>, ts: Option<Millis>) {
        let api_error = r.is_api_error_message.0;
        let error_text = s(&r.error).to_string();
        let uuid = s(&r.uuid).to_string();
        let Some(m) = &mut r.message else { return };
        let model = s(&m.model).to_string();
        let model = model.as_str();
        if model == "<synthetic>" || api_error {
            let mut t = String::new();
            match &m.content {
                Some(Content::Text(x)) => t.push_str(x.as_str()),
                Some(Content::Blocks(bs)) => {
                    for b in bs {
                        if let Some(x) = &b.text {
                            if !t.is_empty() {
                                t.push('\n');
                            }
                            t.push_str(x.as_str());
                        }
                    }
                }
                None => {}
            }
            if t.is_empty() {
                t = error_text;
            }
            // The harness's placeholder when no model call was made is not an error.
            let kind = if t.trim() == "No response requested." {
                SystemKind::Other
            } else {
                SystemKind::ApiError
            };
            self.system(kind, t, ts);
            return;
        }
        self.s.note_model(model);
        let mid = match s(&m.id) {
            "" => uuid.as_str(),
            x => x,
        }
        .to_string();
        let mid = mid.as_str();
        if !mid.is_empty() {
            let u = m.usage.unwrap_or_default();
            match self.calls.get(mid) {
                Some(&i) => {
                    // The same message split over several lines repeats its
                    // usage (sometimes growing while streaming): keep the max.
                    let c = &mut self.s.model_calls[i];
                    c.input_tokens = c.input_tokens.max(u.input_tokens.u());
                    c.output_tokens = c.output_tokens.max(u.output_tokens.u());
                    c.cache_read_tokens = c.cache_read_tokens.max(u.cache_read_input_tokens.u());
                    c.cache_creation_tokens = c
                        .cache_creation_tokens
                        .max(u.cache_creation_input_tokens.u());
                }
                None => {
                    self.calls.insert(mid.to_string(), self.s.model_calls.len());
                    self.s.model_calls.push(ModelCall {
                        message_id: mid.to_string(),
                        model: (!model.is_empty()).then(|| model.to_string()),
                        ts,
                        input_tokens: u.input_tokens.u(),
                        output_tokens: u.output_tokens.u(),
                        cache_read_tokens: u.cache_read_input_tokens.u(),
                        cache_creation_tokens: u.cache_creation_input_tokens.u(),
                    });
                }
            }
        }
        match &mut m.content {
            Some(Content::Text(x)) if !x.as_str().trim().is_empty() => {
                self.push(Turn::Agent {
                    text: x.as_str().to_string(),
                    ts,
                });
            }
            Some(Content::Blocks(bs)) => {
                for b in bs.iter_mut() {
                    match b.kind() {
                        "text" => {
                            let t = s(&b.text);
                            if !t.trim().is_empty() {
                                self.push(Turn::Agent {
                                    text: t.to_string(),
                                    ts,
                                });
                            }
                        }
                        "tool_use" | "server_tool_use" => {
                            let name = s(&b.name).to_string();
                            let kind = text::tool_kind(&name);
                            let id = s(&b.id).to_string();
                            self.tool_kinds.insert(id.clone(), kind);
                            self.push(Turn::ToolCall {
                                id,
                                name,
                                kind,
                                input: b.input.take().unwrap_or(serde_json::Value::Null),
                                ts,
                            });
                        }
                        _ => {}
                    }
                }
            }
            Some(Content::Text(_)) | None => {}
        }
    }

    fn system_record(&mut self, r: &Record<'_>, ts: Option<Millis>) {
        let content = s(&r.content);
        let sub = s(&r.subtype);
        match sub {
            "compact_boundary" | "microcompact_boundary" => {
                let t = if content.is_empty() { sub } else { content };
                self.system(SystemKind::Compaction, t, ts);
                self.last_was_boundary = true;
            }
            "api_error" => {
                let t = if content.is_empty() {
                    s(&r.error)
                } else {
                    content
                };
                self.system(SystemKind::ApiError, t, ts)
            }
            "local_command" => self.system(SystemKind::LocalCommand, content, ts),
            "stop_hook_summary" => self.system(SystemKind::Hook, content, ts),
            x if x.contains("hook") => self.system(SystemKind::Hook, content, ts),
            "turn_duration" => {}
            _ => {
                if !content.trim().is_empty() {
                    self.system(SystemKind::Other, content, ts)
                }
            }
        }
    }

    /// Finishes the session: removes queued copies seen again, sets the title.
    pub fn finish(mut self) -> Session {
        if !self.drop_turns.is_empty() {
            self.drop_turns.sort_unstable();
            let mut k = 0;
            let drop = std::mem::take(&mut self.drop_turns);
            let mut i = 0usize;
            self.s.turns.retain(|_| {
                let keep = !(k < drop.len() && drop[k] == i);
                if !keep {
                    k += 1;
                }
                i += 1;
                keep
            });
        }
        self.s.title = self.custom_title.or(self.ai_title).or(self.summary_title);
        self.s
    }
}

/// `origin.kind` of a record a person typed (absent or empty: decide by content).
fn human_origin(kind: &str) -> bool {
    matches!(
        kind,
        "" | "human" | "user" | "prompt" | "typed" | "keyboard"
    )
}

/// The prompt in a queued message, unless it is a local slash command
/// (`/clear`) or harness text (task notifications) rather than a prompt.
fn queued_prompt(c: &str) -> Option<String> {
    if c.is_empty() {
        return None;
    }
    if let Some(rest) = c.strip_prefix('/') {
        // Measured from the trimmed text: `name` starts there, so its end is
        // a char boundary even after leading (multi-byte) whitespace.
        let rest = rest.trim_start();
        let name = rest.split_whitespace().next().unwrap_or("");
        let args = rest[name.len()..].trim();
        let wrapped =
            format!("<command-name>/{name}</command-name><command-args>{args}</command-args>");
        return match text::classify_user_text(&wrapped) {
            UserText::Prompt(p) => Some(p),
            _ => None,
        };
    }
    match text::classify_user_text(c) {
        UserText::Prompt(p) => Some(p),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entrypoints_map_to_surfaces() {
        assert_eq!(surface("cli"), Surface::Cli);
        assert_eq!(surface("claude-desktop"), Surface::Desktop);
        assert_eq!(surface("desktop"), Surface::Desktop);
        assert_eq!(surface("claude.ai"), Surface::Web);
        assert_eq!(surface("remote"), Surface::Web);
        assert_eq!(surface("sdk-cli"), Surface::Headless);
        assert_eq!(surface("sdk-ts"), Surface::Sdk);
        assert_eq!(surface("sdk-py"), Surface::Sdk);
        assert_eq!(surface("claude-vscode"), Surface::Ide);
        assert_eq!(surface("jetbrains"), Surface::Ide);
        assert_eq!(surface(""), Surface::Unknown);
        assert_eq!(surface("something-new"), Surface::Unknown);
    }

    #[test]
    fn queued_text_rules() {
        assert_eq!(
            queued_prompt("fix the typo too"),
            Some("fix the typo too".into())
        );
        assert_eq!(queued_prompt("/clear"), None);
        assert_eq!(
            queued_prompt("/review the parser"),
            Some("/review the parser".into())
        );
        assert_eq!(
            queued_prompt("<task-notification>done</task-notification>"),
            None
        );
        assert_eq!(queued_prompt(""), None);
        // Multi-byte whitespace or text right after the slash (no panic).
        assert!(queued_prompt("/\u{3000}é").is_some());
        assert!(queued_prompt("/ é").is_some());
    }
}
