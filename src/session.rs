//! The normalized session model: every ingest format produces it, every later
//! stage reads only it. Versioned (`SESSION_SCHEMA_VERSION`) and importable /
//! exportable as JSONL (one `Session` per line) so any tool can feed agentcensus.

use crate::time::Millis;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Bump when a field changes meaning or is removed (adding optional fields is fine).
pub const SESSION_SCHEMA_VERSION: u32 = 1;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum Agent {
    ClaudeCode,
    Codex,
    Gemini,
    Aider,
    Copilot,
    OpenHands,
    SweAgent,
    #[default]
    Other,
}

impl Agent {
    pub fn as_str(self) -> &'static str {
        match self {
            Agent::ClaudeCode => "claude-code",
            Agent::Codex => "codex",
            Agent::Gemini => "gemini",
            Agent::Aider => "aider",
            Agent::Copilot => "copilot",
            Agent::OpenHands => "openhands",
            Agent::SweAgent => "swe-agent",
            Agent::Other => "other",
        }
    }
}

/// Where the session ran. The study keeps cli, desktop and web; IDE sessions
/// are interactive but outside its scope; sdk and headless runs are not interactive.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum Surface {
    Cli,
    Desktop,
    Web,
    Ide,
    Sdk,
    Headless,
    #[default]
    Unknown,
}

impl Surface {
    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Cli => "cli",
            Surface::Desktop => "desktop",
            Surface::Web => "web",
            Surface::Ide => "ide",
            Surface::Sdk => "sdk",
            Surface::Headless => "headless",
            Surface::Unknown => "unknown",
        }
    }
    /// Surfaces the study sampled (unknown is treated as cli: older Claude Code
    /// versions did not record an entrypoint).
    pub fn in_study_scope(self) -> bool {
        matches!(
            self,
            Surface::Cli | Surface::Desktop | Surface::Web | Surface::Unknown
        )
    }
    /// Surfaces where a person drives the session.
    pub fn is_interactive_surface(self) -> bool {
        !matches!(self, Surface::Sdk | Surface::Headless)
    }
}

/// Normalized tool kinds (DESIGN.md).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum ToolKind {
    Read,
    Edit,
    Write,
    Shell,
    Search,
    Web,
    Task,
    Plan,
    #[default]
    Other,
}

impl ToolKind {
    pub const ALL: [ToolKind; 9] = [
        ToolKind::Read,
        ToolKind::Edit,
        ToolKind::Write,
        ToolKind::Shell,
        ToolKind::Search,
        ToolKind::Web,
        ToolKind::Task,
        ToolKind::Plan,
        ToolKind::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ToolKind::Read => "read",
            ToolKind::Edit => "edit",
            ToolKind::Write => "write",
            ToolKind::Shell => "shell",
            ToolKind::Search => "search",
            ToolKind::Web => "web",
            ToolKind::Task => "task",
            ToolKind::Plan => "plan",
            ToolKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SystemKind {
    /// Context was compacted / summarised (the summary text is not a human prompt).
    Compaction,
    /// The model API returned an error.
    ApiError,
    /// The user interrupted the agent ("[Request interrupted by user]").
    Interruption,
    /// Context injected by the harness: system reminders, CLAUDE.md / AGENTS.md,
    /// environment context, IDE notices.
    InjectedContext,
    /// Output of a local slash command (not sent by the person as a prompt).
    LocalCommand,
    /// Hook output.
    Hook,
    /// Feedback typed into a tool-rejection dialog.
    Rejection,
    #[default]
    Other,
}

/// One model call (an API response), counted once per message id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelCall {
    pub message_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<Millis>,
    #[serde(default)]
    pub input_tokens: u64,
    #[serde(default)]
    pub output_tokens: u64,
    #[serde(default)]
    pub cache_read_tokens: u64,
    #[serde(default)]
    pub cache_creation_tokens: u64,
}

/// One entry of the ordered conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Turn {
    /// A prompt a person typed (including slash commands that carry a request
    /// and messages queued while the agent worked).
    Human {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ts: Option<Millis>,
        /// Typed while the agent was working (queue operation).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        queued: bool,
    },
    /// Visible text the agent wrote (not thinking).
    Agent {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ts: Option<Millis>,
    },
    /// An action: one tool call.
    ToolCall {
        id: String,
        /// The raw tool name as the agent wrote it.
        name: String,
        kind: ToolKind,
        /// The raw input (arguments) of the call.
        #[serde(default)]
        input: serde_json::Value,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ts: Option<Millis>,
    },
    /// The result of a tool call, paired by `id`.
    ToolResult {
        id: String,
        #[serde(default)]
        is_error: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        /// Output text, possibly shortened in the middle by ingest (see `OUTPUT_KEEP`).
        #[serde(default)]
        output: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ts: Option<Millis>,
    },
    /// Harness events that are neither the person nor the agent.
    System {
        kind: SystemKind,
        #[serde(default)]
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ts: Option<Millis>,
    },
}

impl Turn {
    pub fn ts(&self) -> Option<Millis> {
        match self {
            Turn::Human { ts, .. }
            | Turn::Agent { ts, .. }
            | Turn::ToolCall { ts, .. }
            | Turn::ToolResult { ts, .. }
            | Turn::System { ts, .. } => *ts,
        }
    }
}

/// How much of a tool output ingest keeps: head and tail, with a marker in
/// between. Test summaries sit at the end of outputs, so the tail is longer.
pub const OUTPUT_KEEP_HEAD: usize = 8 * 1024;
pub const OUTPUT_KEEP_TAIL: usize = 24 * 1024;

/// Shortens `s` to its head and tail (char-boundary safe) with a marker.
pub fn keep_head_tail(s: &str, head: usize, tail: usize) -> String {
    if s.len() <= head + tail {
        return s.to_string();
    }
    let mut h = head;
    while !s.is_char_boundary(h) {
        h -= 1;
    }
    let mut t = s.len() - tail;
    while !s.is_char_boundary(t) {
        t += 1;
    }
    format!(
        "{}\n[... {} bytes omitted ...]\n{}",
        &s[..h],
        t - h,
        &s[t..]
    )
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    #[serde(default = "schema_version")]
    pub schema: u32,
    /// Session id (Claude Code: the session uuid / file stem; Codex: the uuid
    /// at the end of the rollout name).
    pub id: String,
    pub agent: Agent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_version: Option<String>,
    #[serde(default)]
    pub surface: Surface,
    /// Raw entrypoint / originator / source as the agent recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// Project name (last component of the working directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Millis>,
    /// Models used, in order of first use.
    #[serde(default)]
    pub models: Vec<String>,
    #[serde(default)]
    pub model_calls: Vec<ModelCall>,
    #[serde(default)]
    pub turns: Vec<Turn>,
    /// Sub-agent sessions started by this one (never counted as its prompts or actions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subagents: Vec<Session>,
    /// For a sub-agent: the parent session id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// PR URLs the harness itself recorded (Claude Code `pr-link`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pr_links: Vec<String>,
    /// Source files the session was read from.
    #[serde(default)]
    pub files: Vec<PathBuf>,
    /// The person this session belongs to (input root name; pseudonymised later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Input records ingest did not understand (unknown types), kept as a count.
    #[serde(default)]
    pub other_records: u64,
}

fn schema_version() -> u32 {
    SESSION_SCHEMA_VERSION
}

impl Session {
    pub fn new(id: impl Into<String>, agent: Agent) -> Self {
        Session {
            schema: SESSION_SCHEMA_VERSION,
            id: id.into(),
            agent,
            ..Default::default()
        }
    }

    pub fn human_prompts(&self) -> impl Iterator<Item = &str> {
        self.turns.iter().filter_map(|t| match t {
            Turn::Human { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }

    pub fn tool_calls(&self) -> impl Iterator<Item = &Turn> {
        self.turns
            .iter()
            .filter(|t| matches!(t, Turn::ToolCall { .. }))
    }

    /// At least one human prompt, on a surface where a person drives. A
    /// sub-agent session is never interactive: its "prompt" was written by
    /// the parent agent.
    pub fn interactive(&self) -> bool {
        self.parent_id.is_none()
            && self.surface.is_interactive_surface()
            && self.human_prompts().next().is_some()
    }

    /// Sets project from cwd (last path component, either separator).
    pub fn set_cwd(&mut self, cwd: &str) {
        if self.cwd.is_none() && !cwd.is_empty() {
            self.cwd = Some(cwd.to_string());
            let name = cwd
                .trim_end_matches(['/', '\\'])
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("");
            if !name.is_empty() {
                self.project = Some(name.to_string());
            }
        }
    }

    pub fn note_model(&mut self, model: &str) {
        if !model.is_empty() && !model.starts_with('<') && !self.models.iter().any(|m| m == model) {
            self.models.push(model.to_string());
        }
    }

    /// Extends start/end with a timestamp.
    pub fn note_ts(&mut self, ts: Option<Millis>) {
        if let Some(t) = ts {
            self.start = Some(self.start.map_or(t, |s| s.min(t)));
            self.end = Some(self.end.map_or(t, |e| e.max(t)));
        }
    }
}
