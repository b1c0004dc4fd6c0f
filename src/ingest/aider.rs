//! Aider chat history (`.aider.chat.history.md` in the project's git root).
//!
//! One Markdown file holds every chat run in that folder, each starting with
//! `# aider chat started at YYYY-MM-DD HH:MM:SS` (local time, no zone: read as
//! UTC). Each run is one session, id `<folder>@<start>`. Inside a run:
//! - `#### ` lines are what the person typed (consecutive lines are one
//!   message). Slash commands that send a request with text (`/ask`, `/code`,
//!   `/architect`, `/help`, `/context` with a question) are prompts; other
//!   commands (`/add`, `/model`, `/run`, `/undo`, ...) are local commands.
//! - `> ` lines are aider's own console output. From them: edits applied
//!   (`Applied edit to <file>`: an edit, or a write for a file aider asked to
//!   create), commits (`Commit <hash> <message>`), shell commands the agent
//!   proposed and the person let run (`Running <command>`; their output is not
//!   in the file), failed edits (edit-format errors, unmatched SEARCH blocks),
//!   interruptions (`^C`), model API errors, token counts (one model call per
//!   `Tokens:` line), the aider version, models and working directory.
//! - everything else is the model's reply. A `#### ` line right after reply
//!   text is a heading of that reply unless it carries aider's two-space line
//!   end (newer versions end every prompt line with it).
//!
//! Not in the file: per-message timestamps (only the run's start), command
//! output, exit codes, and prompts typed into confirmation questions.

use super::Format;
use crate::diag::Diagnostics;
use crate::session::{Agent, ModelCall, Session, Surface, SystemKind, ToolKind, Turn};
use crate::time::{parse_rfc3339, Millis};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub struct Aider;

const STARTED: &str = "# aider chat started at";

/// Commands that send their text to the model as a request.
const REQUEST_COMMANDS: &[&str] = &["ask", "code", "architect", "help", "context", "edit"];

impl Format for Aider {
    fn name(&self) -> &'static str {
        "aider"
    }
    fn agent(&self) -> Agent {
        Agent::Aider
    }
    fn sniff(&self, _path: &Path, head: &[u8]) -> bool {
        let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
        text.lines()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_start_matches('\u{feff}').starts_with(STARTED))
    }
    fn unit_key(&self, path: &Path, _head: &[u8]) -> String {
        path.display().to_string()
    }
    fn parse(&self, files: &[PathBuf], diag: &Diagnostics) -> Vec<Session> {
        files.iter().flat_map(|f| parse_file(f, diag)).collect()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    None,
    Prompt,
    Output,
    Reply,
}

struct Run {
    s: Session,
    block: Block,
    buf: Vec<String>,
    in_fence: bool,
    /// Files aider asked to create (the line before its question).
    created: HashSet<String>,
    prev_output: String,
    calls: usize,
    /// Problems already noted in the current output block.
    edit_failed: bool,
    interrupted: bool,
    api_error: bool,
    /// The last thing typed was a local command: plain text after it is the
    /// command's output (a repo map, a help text), not a model reply.
    after_local_command: bool,
    /// The next `Commit` line is the person's pending changes, committed
    /// before aider starts (not the agent's work).
    dirty_commit: bool,
}

impl Run {
    fn new(id: String, ts: Option<Millis>, path: &Path) -> Self {
        let mut s = Session::new(id, Agent::Aider);
        s.surface = Surface::Cli;
        s.files.push(path.to_path_buf());
        s.note_ts(ts);
        Run {
            s,
            block: Block::None,
            buf: Vec::new(),
            in_fence: false,
            created: HashSet::new(),
            prev_output: String::new(),
            calls: 0,
            edit_failed: false,
            interrupted: false,
            api_error: false,
            after_local_command: false,
            dirty_commit: false,
        }
    }

    fn flush(&mut self) {
        let lines = std::mem::take(&mut self.buf);
        match self.block {
            Block::Prompt => self.prompt(lines.join("\n").trim()),
            Block::Reply => {
                let text = lines.join("\n").trim().to_string();
                if text.is_empty() {
                } else if self.after_local_command {
                    self.system(SystemKind::LocalCommand, &text);
                } else {
                    self.s.turns.push(Turn::Agent { text, ts: None });
                }
            }
            Block::Output | Block::None => {}
        }
        if self.block == Block::Output {
            self.edit_failed = false;
            self.interrupted = false;
            self.api_error = false;
        }
        self.block = Block::None;
        self.in_fence = false;
    }

    fn prompt(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(cmd) = text.strip_prefix('/') {
            let (name, rest) = cmd.split_once(char::is_whitespace).unwrap_or((cmd, ""));
            if REQUEST_COMMANDS.contains(&name) && !rest.trim().is_empty() {
                self.after_local_command = false;
                self.s.turns.push(Turn::Human {
                    text: text.to_string(),
                    ts: None,
                    queued: false,
                });
            } else {
                if name == "model" {
                    self.s.note_model(rest.trim());
                }
                // Test, lint and run output can be sent on to the model,
                // which replies.
                self.after_local_command = !matches!(name, "test" | "lint" | "run");
                self.system(SystemKind::LocalCommand, text);
            }
            return;
        }
        if let Some(cmd) = text.strip_prefix('!') {
            self.after_local_command = false;
            self.system(SystemKind::LocalCommand, cmd.trim());
            return;
        }
        self.after_local_command = false;
        self.s.turns.push(Turn::Human {
            text: text.to_string(),
            ts: None,
            queued: false,
        });
    }

    fn system(&mut self, kind: SystemKind, text: &str) {
        self.s.turns.push(Turn::System {
            kind,
            text: text.to_string(),
            ts: None,
        });
    }

    fn call(&mut self, name: &str, kind: ToolKind, input: serde_json::Value) -> String {
        self.calls += 1;
        let id = format!("{}-{}", name, self.calls);
        self.s.turns.push(Turn::ToolCall {
            id: id.clone(),
            name: name.to_string(),
            kind,
            input,
            ts: None,
        });
        id
    }

    fn result(&mut self, id: String, is_error: bool, output: &str) {
        self.s.turns.push(Turn::ToolResult {
            id,
            is_error,
            exit_code: None,
            output: output.to_string(),
            ts: None,
        });
    }

    /// One line of aider's console output (prefix and line-end removed).
    fn output(&mut self, line: &str) {
        let l = line.trim();
        if let Some(path) = l.strip_prefix("Applied edit to ") {
            let path = path.trim();
            // Written when aider created it just before; later edits edit it.
            let kind = if self.created.remove(path) {
                ToolKind::Write
            } else {
                ToolKind::Edit
            };
            let id = self.call("edit", kind, serde_json::json!({ "path": path }));
            self.result(id, false, l);
        } else if l.starts_with("Commit before the chat proceeds")
            || (l.starts_with("Committing ") && l.ends_with("before applying edits."))
        {
            self.dirty_commit = true;
        } else if let Some((hash, msg)) = commit_line(l).filter(|_| self.dirty_commit) {
            self.dirty_commit = false;
            self.system(SystemKind::LocalCommand, &format!("Commit {hash} {msg}"));
        } else if let Some((hash, msg)) = commit_line(l) {
            let id = self.call(
                "commit",
                ToolKind::Shell,
                serde_json::json!({ "command": format!("git commit -m {msg:?}"), "hash": hash }),
            );
            self.result(id, false, l);
        } else if let Some(cmd) = l.strip_prefix("Running ") {
            self.call(
                "run",
                ToolKind::Shell,
                serde_json::json!({ "command": cmd.trim() }),
            );
        } else if l.starts_with("Create new file?") && l.ends_with(": y") {
            let p = self.prev_output.clone();
            self.created.insert(p);
        } else if l.contains("did not conform to the edit format")
            || (l.contains("SEARCH/REPLACE block") && l.contains("failed to match"))
        {
            if !self.edit_failed {
                self.edit_failed = true;
                let id = self.call("edit", ToolKind::Edit, serde_json::Value::Null);
                self.result(id, true, l);
            }
        } else if l.contains("KeyboardInterrupt") {
            if !self.interrupted {
                self.interrupted = true;
                self.system(SystemKind::Interruption, l);
            }
        } else if l.starts_with("litellm.") || l.starts_with("The API provider") {
            if !self.api_error {
                self.api_error = true;
                self.system(SystemKind::ApiError, l);
            }
        } else if let Some(t) = l.strip_prefix("Tokens: ") {
            let n = self.s.model_calls.len() + 1;
            let model = self.s.models.last().cloned();
            self.s.model_calls.push(ModelCall {
                message_id: format!("{}-{n}", self.s.id),
                model,
                ts: None,
                input_tokens: tokens_before(t, " sent").unwrap_or(0),
                output_tokens: tokens_before(t, " received").unwrap_or(0),
                cache_read_tokens: tokens_before(t, " cache hit").unwrap_or(0),
                cache_creation_tokens: tokens_before(t, " cache write").unwrap_or(0),
            });
        } else if let Some(v) = l.strip_prefix("Aider v") {
            if self.s.agent_version.is_none() {
                self.s.agent_version = Some(v.trim().to_string());
            }
        } else if let Some(m) = l
            .strip_prefix("Main model: ")
            .or_else(|| l.strip_prefix("Model: "))
        {
            let name = m.split(" with ").next().unwrap_or(m).trim();
            self.s.note_model(name);
        } else if let Some(d) = l.strip_prefix("Cur working dir: ") {
            self.s.cwd = None;
            self.s.project = None;
            self.s.set_cwd(d.trim());
        } else if let Some(d) = l.strip_prefix("Git working dir: ") {
            self.s.set_cwd(d.trim());
        }
        self.prev_output = l.to_string();
    }

    fn finish(mut self, fallback_cwd: Option<&str>) -> Session {
        self.flush();
        if let Some(c) = fallback_cwd {
            self.s.set_cwd(c);
        }
        self.s
    }
}

/// `Commit 1a2b3c4 message` -> (hash, message).
fn commit_line(l: &str) -> Option<(&str, &str)> {
    let rest = l.strip_prefix("Commit ")?;
    let (hash, msg) = rest.split_once(' ').unwrap_or((rest, ""));
    (hash.len() >= 7 && hash.chars().all(|c| c.is_ascii_hexdigit())).then_some((hash, msg.trim()))
}

/// The token count written before `label` in `9.3k sent, 1.2k received`.
fn tokens_before(t: &str, label: &str) -> Option<u64> {
    let i = t.find(label)?;
    let num = t[..i].rsplit([' ', ',']).next()?.trim();
    let (n, mult) = match num.strip_suffix(['k', 'K']) {
        Some(n) => (n, 1_000.0),
        None => match num.strip_suffix(['m', 'M']) {
            Some(n) => (n, 1_000_000.0),
            None => (num, 1.0),
        },
    };
    n.replace(',', "")
        .parse::<f64>()
        .ok()
        .map(|v| (v * mult).round() as u64)
}

fn folder_name(path: &Path) -> Option<String> {
    path.parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
}

fn parse_file(path: &Path, diag: &Diagnostics) -> Vec<Session> {
    let folder = folder_name(path).unwrap_or_else(|| "aider".into());
    let fallback_cwd = path
        .parent()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .map(|p| p.display().to_string());
    let mut out: Vec<Session> = Vec::new();
    let mut run: Option<Run> = None;
    let mut ids: HashSet<String> = HashSet::new();
    let new_run = |stamp: &str, ids: &mut HashSet<String>| -> Run {
        let ts = parse_rfc3339(stamp);
        let base = format!("{folder}@{}", stamp.replace(' ', "T"));
        let mut id = base.clone();
        let mut k = 1;
        while !ids.insert(id.clone()) {
            k += 1;
            id = format!("{base}#{k}");
        }
        Run::new(id, ts, path)
    };
    super::jsonl::for_each_line(path, diag, |n, raw| {
        let line = raw.trim_start_matches('\u{feff}');
        if let Some(stamp) = line.strip_prefix(STARTED) {
            let stamp = stamp.trim();
            if parse_rfc3339(stamp).is_none() {
                diag.warn(path, Some(n), "aider run start without a valid time");
            }
            if let Some(r) = run.take() {
                out.push(r.finish(fallback_cwd.as_deref()));
            }
            run = Some(new_run(stamp, &mut ids));
            return;
        }
        // Content before the first run header: an unnamed run.
        let r = run.get_or_insert_with(|| new_run("", &mut ids));
        let content = line.trim_end_matches(['\r']);
        if let Some(p) = content.strip_prefix("####") {
            let typed = p.strip_prefix(' ').unwrap_or(p);
            let aider_line_end = typed.ends_with("  ") || typed.trim().is_empty();
            let heading = r.block == Block::Reply && (r.in_fence || !aider_line_end);
            if !heading {
                // Commands are one line: a command, or a line after one,
                // starts a new message (older aider wrote no blank line
                // between messages).
                let command_boundary = r.block == Block::Prompt
                    && (typed.starts_with('/')
                        || r.buf.first().is_some_and(|f| f.starts_with('/')));
                if r.block != Block::Prompt || command_boundary {
                    r.flush();
                    r.block = Block::Prompt;
                }
                r.buf.push(strip_line_end(typed).to_string());
                return;
            }
        }
        let is_output = (content.starts_with("> ") || content == ">")
            && !(r.block == Block::Reply && r.in_fence);
        if is_output {
            if r.block != Block::Output {
                r.flush();
                r.block = Block::Output;
            }
            let body = content.strip_prefix('>').unwrap_or(content);
            let body = body.strip_prefix(' ').unwrap_or(body);
            r.output(strip_line_end(body));
            return;
        }
        if content.trim().is_empty() {
            if r.block == Block::Reply {
                r.buf.push(String::new());
            } else if r.block == Block::Prompt {
                r.flush(); // a prompt ends at the blank line aider writes after it
            }
            return;
        }
        if r.block != Block::Reply {
            r.flush();
            r.block = Block::Reply;
        }
        if content.trim_start().starts_with("```") {
            r.in_fence = !r.in_fence;
        }
        r.buf.push(content.to_string());
    });
    if let Some(r) = run.take() {
        out.push(r.finish(fallback_cwd.as_deref()));
    }
    // A header without content (aider started and quit) is still a run; an
    // unnamed leading run with nothing in it is dropped.
    out.retain(|s| !(s.start.is_none() && s.turns.is_empty() && s.id.ends_with('@')));
    if out.is_empty() {
        diag.warn(path, None, "no aider chat runs in this file");
    }
    out
}

fn strip_line_end(s: &str) -> &str {
    s.strip_suffix("  ").unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_counts() {
        let t = "2.2k sent, 1.1k cache write, 296 received. Cost: $0.01 message.";
        assert_eq!(tokens_before(t, " sent"), Some(2200));
        assert_eq!(tokens_before(t, " cache write"), Some(1100));
        assert_eq!(tokens_before(t, " received"), Some(296));
        assert_eq!(tokens_before(t, " cache hit"), None);
    }

    #[test]
    fn commits() {
        assert_eq!(
            commit_line("Commit 1a2b3c4 fix: handle empty input"),
            Some(("1a2b3c4", "fix: handle empty input"))
        );
        assert_eq!(commit_line("Commit before the chat proceeds"), None);
    }
}
