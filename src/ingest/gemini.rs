//! Gemini CLI chat sessions (`~/.gemini/tmp/<project>/chats/session-*.json`).
//!
//! One JSON document per file (not JSONL):
//! `{sessionId, projectHash, startTime, lastUpdated, messages: [...]}` where
//! each message is `{id, timestamp, type: user | gemini | info | error,
//! content, toolCalls?, tokens?, model?, thoughts?}`. Tool calls carry their
//! own result and status (success | error | cancelled).
//!
//! Not read (left to other formats or skipped): `logs.json` (a prompt log
//! without answers) and `/chat save` checkpoints (copies of a conversation
//! without ids or times, which would count a session twice).

use super::Format;
use crate::diag::Diagnostics;
use crate::session::{
    keep_head_tail, Agent, ModelCall, Session, Surface, SystemKind, ToolKind, Turn,
    OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL,
};
use crate::time::parse_rfc3339;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub struct Gemini;

impl Format for Gemini {
    fn name(&self) -> &'static str {
        "gemini"
    }
    fn agent(&self) -> Agent {
        Agent::Gemini
    }
    fn sniff(&self, _path: &Path, head: &[u8]) -> bool {
        sniff_head(head)
    }
    fn unit_key(&self, path: &Path, head: &[u8]) -> String {
        session_id_in_head(head).unwrap_or_else(|| path.display().to_string())
    }
    fn parse(&self, files: &[PathBuf], diag: &Diagnostics) -> Vec<Session> {
        let mut files: Vec<&PathBuf> = files.iter().collect();
        files.sort();
        let mut session: Option<Session> = None;
        let mut seen_ids = std::collections::HashSet::new();
        for f in files {
            let Some(doc) = read_doc(f, diag) else {
                continue;
            };
            let s = session.get_or_insert_with(|| Session::new("", Agent::Gemini));
            s.files.push(f.clone());
            add_doc(s, &doc, f, &mut seen_ids, diag);
        }
        session.into_iter().collect()
    }
}

/// A chat file opens with `{` and names `sessionId` and `projectHash` near
/// the top (pretty-printed, so not line by line).
fn sniff_head(head: &[u8]) -> bool {
    let start = &head[..head.len().min(2048)];
    let first = start.iter().find(|b| !b.is_ascii_whitespace());
    first == Some(&b'{')
        && memchr::memmem::find(start, b"\"sessionId\"").is_some()
        && memchr::memmem::find(start, b"\"projectHash\"").is_some()
        && memchr::memmem::find(head, b"\"messages\"").is_some()
}

/// `"sessionId": "<id>"` from the first bytes.
fn session_id_in_head(head: &[u8]) -> Option<String> {
    let i = memchr::memmem::find(head, b"\"sessionId\"")? + "\"sessionId\"".len();
    let rest = std::str::from_utf8(&head[i..head.len().min(i + 200)]).ok()?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let id = &rest[..rest.find('"')?];
    (!id.is_empty()).then(|| id.to_string())
}

fn read_doc(f: &Path, diag: &Diagnostics) -> Option<Value> {
    let limit = super::jsonl::max_line() as u64;
    match std::fs::metadata(f) {
        Ok(m) if m.len() > limit => {
            diag.warn(
                f,
                None,
                format!(
                    "file of {} bytes exceeds the {limit}-byte limit; skipped",
                    m.len()
                ),
            );
            return None;
        }
        Err(e) => {
            diag.warn(f, None, format!("cannot open: {e}"));
            return None;
        }
        _ => {}
    }
    let bytes = match std::fs::read(f) {
        Ok(b) => b,
        Err(e) => {
            diag.warn(f, None, format!("cannot read: {e}"));
            return None;
        }
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(v) if v.is_object() => Some(v),
        Ok(_) => {
            diag.warn(f, None, "not a Gemini chat object; skipped");
            None
        }
        Err(e) => {
            let what = if e.is_eof() {
                "file is cut off (incomplete JSON)"
            } else {
                "not valid JSON"
            };
            diag.warn(f, Some(e.line() as u64), format!("{what}: {e}; skipped"));
            None
        }
    }
}

fn add_doc(
    s: &mut Session,
    doc: &Value,
    f: &Path,
    seen: &mut std::collections::HashSet<String>,
    diag: &Diagnostics,
) {
    let str_of = |k: &str| doc.get(k).and_then(Value::as_str).filter(|x| !x.is_empty());
    if s.id.is_empty() {
        s.id = str_of("sessionId")
            .map(str::to_string)
            .unwrap_or_else(|| file_stem(f));
    }
    s.note_ts(str_of("startTime").and_then(parse_rfc3339));
    s.note_ts(str_of("lastUpdated").and_then(parse_rfc3339));
    if s.project.is_none() {
        s.project = project_from_path(f);
    }
    if s.title.is_none() {
        s.title = str_of("summary").map(str::to_string);
    }
    s.surface = Surface::Unknown;
    let Some(messages) = doc.get("messages").and_then(Value::as_array) else {
        diag.warn(f, None, "no messages array; nothing read");
        return;
    };
    for (idx, m) in messages.iter().enumerate() {
        let Some(m) = m.as_object() else {
            s.other_records += 1;
            continue;
        };
        let id = m.get("id").and_then(Value::as_str).unwrap_or("");
        if !id.is_empty() && !seen.insert(id.to_string()) {
            continue; // the same message in another file of this session
        }
        let ts = m
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(parse_rfc3339);
        s.note_ts(ts);
        let text = content_text(m.get("content"));
        match m.get("type").and_then(Value::as_str).unwrap_or("") {
            "user" => {
                if text.trim().is_empty() {
                } else if is_ui_command(&text) {
                    s.turns.push(Turn::System {
                        kind: SystemKind::LocalCommand,
                        text,
                        ts,
                    });
                } else {
                    s.turns.push(Turn::Human {
                        text,
                        ts,
                        queued: false,
                    });
                }
            }
            "gemini" | "model" => {
                if let Some(model) = m.get("model").and_then(Value::as_str) {
                    s.note_model(model);
                }
                if let Some(t) = m.get("tokens").filter(|t| t.is_object()) {
                    let n = |k: &str| t.get(k).and_then(Value::as_u64).unwrap_or(0);
                    let cached = n("cached");
                    s.model_calls.push(ModelCall {
                        message_id: if id.is_empty() {
                            format!("gemini-{idx}")
                        } else {
                            id.to_string()
                        },
                        model: m.get("model").and_then(Value::as_str).map(str::to_string),
                        ts,
                        input_tokens: n("input").saturating_sub(cached),
                        // Thinking is billed as output, as in the other agents' counts.
                        output_tokens: n("output") + n("thoughts"),
                        cache_read_tokens: cached,
                        cache_creation_tokens: 0,
                    });
                }
                if !text.trim().is_empty() {
                    s.turns.push(Turn::Agent { text, ts });
                }
                if let Some(calls) = m.get("toolCalls").and_then(Value::as_array) {
                    for (k, c) in calls.iter().enumerate() {
                        tool_call(s, c, ts, &format!("{id}-{k}"));
                    }
                }
            }
            "info" => {
                let kind = if text.trim() == "Request cancelled." {
                    SystemKind::Interruption
                } else {
                    SystemKind::Other
                };
                s.turns.push(Turn::System {
                    kind,
                    text: keep_head_tail(&text, 1024, 1024),
                    ts,
                });
            }
            "error" => {
                let kind = if text.contains("API Error") {
                    SystemKind::ApiError
                } else {
                    SystemKind::Other
                };
                s.turns.push(Turn::System {
                    kind,
                    text: keep_head_tail(&text, 1024, 1024),
                    ts,
                });
            }
            _ => s.other_records += 1,
        }
    }
}

/// Slash commands that only drive the interface (settings, views, session
/// housekeeping) rather than ask the agent for work. Commands that carry a
/// request (`/init`, custom and extension commands) stay prompts.
fn is_ui_command(text: &str) -> bool {
    const UI: [&str; 30] = [
        "about",
        "auth",
        "bug",
        "chat",
        "clear",
        "compress",
        "copy",
        "corgi",
        "directory",
        "dir",
        "docs",
        "editor",
        "extensions",
        "help",
        "ide",
        "mcp",
        "memory",
        "model",
        "permissions",
        "privacy",
        "quit",
        "exit",
        "restore",
        "settings",
        "stats",
        "terminal-setup",
        "theme",
        "tools",
        "vim",
        "resume",
    ];
    let t = text.trim();
    let Some(rest) = t.strip_prefix('/') else {
        return false;
    };
    let name = rest.split_whitespace().next().unwrap_or("");
    !t.contains('\n') && UI.contains(&name)
}

fn file_stem(f: &Path) -> String {
    f.file_stem()
        .map(|x| x.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `<project>/chats/session-*.json`: the project folder name, unless it is
/// only a hash (older versions name the folder by a hash of the path).
fn project_from_path(f: &Path) -> Option<String> {
    let chats = f.parent()?;
    if chats.file_name()? != "chats" {
        return None;
    }
    let name = chats.parent()?.file_name()?.to_str()?;
    let hashy = name.len() >= 32 && name.bytes().all(|b| b.is_ascii_hexdigit());
    (!hashy && !name.is_empty()).then(|| name.to_string())
}

/// Message content: a string, or parts `[{text}, ...]`.
fn content_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

fn tool_call(s: &mut Session, c: &Value, msg_ts: Option<i64>, fallback_id: &str) {
    let name = c
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let id = c
        .get("id")
        .and_then(Value::as_str)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| fallback_id.to_string());
    let ts = c
        .get("timestamp")
        .and_then(Value::as_str)
        .and_then(parse_rfc3339)
        .or(msg_ts);
    let input = c.get("args").cloned().unwrap_or(Value::Null);
    s.turns.push(Turn::ToolCall {
        id: id.clone(),
        name: name.clone(),
        kind: tool_kind(&name),
        input,
        ts,
    });
    let status = c.get("status").and_then(Value::as_str).unwrap_or("");
    let (output, failed) = result_text(c);
    let exit_code = if name == "run_shell_command" {
        shell_exit_code(&output)
    } else {
        None
    };
    let is_error =
        matches!(status, "error" | "cancelled") || failed || exit_code.is_some_and(|x| x != 0);
    s.turns.push(Turn::ToolResult {
        id,
        is_error,
        exit_code,
        output: keep_head_tail(&output, OUTPUT_KEEP_HEAD, OUTPUT_KEEP_TAIL),
        ts,
    });
}

/// The text of a call's result (`[{functionResponse: {response: {output |
/// error}}}]`), or its display text; and whether it reported an error.
fn result_text(c: &Value) -> (String, bool) {
    let mut out = Vec::new();
    let mut failed = false;
    if let Some(items) = c.get("result").and_then(Value::as_array) {
        for it in items {
            let resp = it.get("functionResponse").and_then(|f| f.get("response"));
            if let Some(r) = resp {
                if let Some(o) = r.get("output").and_then(Value::as_str) {
                    out.push(o.to_string());
                }
                if let Some(e) = r.get("error") {
                    failed = true;
                    out.push(e.as_str().map(str::to_string).unwrap_or(e.to_string()));
                }
            } else if let Some(t) = it.get("text").and_then(Value::as_str) {
                out.push(t.to_string());
            }
        }
    }
    if out.is_empty() {
        if let Some(d) = c.get("resultDisplay").and_then(Value::as_str) {
            out.push(d.to_string());
        }
    }
    (out.join("\n"), failed)
}

/// `Exit Code: N` in a shell result (after the output, so searched from the end).
fn shell_exit_code(text: &str) -> Option<i32> {
    let i = text.rfind("Exit Code: ")? + "Exit Code: ".len();
    let digits: String = text[i..]
        .chars()
        .enumerate()
        .take_while(|(k, c)| c.is_ascii_digit() || (*k == 0 && *c == '-'))
        .map(|(_, c)| c)
        .collect();
    digits.parse().ok()
}

fn tool_kind(name: &str) -> ToolKind {
    match name {
        "read_file" | "read_many_files" => ToolKind::Read,
        "write_file" => ToolKind::Write,
        "replace" | "edit" | "smart_edit" => ToolKind::Edit,
        "run_shell_command" => ToolKind::Shell,
        "search_file_content" | "grep" | "glob" | "list_directory" => ToolKind::Search,
        "google_web_search" | "web_fetch" => ToolKind::Web,
        "write_todos" => ToolKind::Plan,
        _ => ToolKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_and_session_id() {
        let head =
            b"{\n  \"sessionId\": \"abc-1\",\n  \"projectHash\": \"ff00\",\n  \"messages\": [";
        assert!(sniff_head(head));
        assert_eq!(session_id_in_head(head).as_deref(), Some("abc-1"));
        let cc = b"{\"type\":\"user\",\"sessionId\":\"s\",\"message\":{}}\n";
        assert!(!sniff_head(cc));
        let checkpoint = b"[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]";
        assert!(!sniff_head(checkpoint));
    }

    #[test]
    fn exit_codes_and_kinds() {
        assert_eq!(
            shell_exit_code("Command: ls\nOutput: x\nError: (none)\nExit Code: 2\nSignal: (none)"),
            Some(2)
        );
        assert_eq!(shell_exit_code("Command: ls\nOutput: x"), None);
        assert_eq!(tool_kind("replace"), ToolKind::Edit);
        assert_eq!(tool_kind("run_shell_command"), ToolKind::Shell);
        assert_eq!(tool_kind("save_memory"), ToolKind::Other);
    }

    #[test]
    fn odd_shapes_are_tolerated() {
        let doc = serde_json::json!({
            "sessionId": 5,
            "startTime": "nope",
            "messages": [
                5, null, {"type": 7}, {"type": "user", "content": {"a": 1}},
                {"type": "gemini", "tokens": 5, "toolCalls": [5, {"name": 3, "result": "x"}]},
                {"type": "gemini", "toolCalls": {"x": 1}, "content": [1, {"text": 2}]},
                {"type": "info"}, {"type": "error", "content": null}
            ]
        });
        let mut s = Session::new("", Agent::Gemini);
        let diag = Diagnostics::new(true);
        let mut seen = Default::default();
        add_doc(
            &mut s,
            &doc,
            Path::new("/t/p/chats/session-x.json"),
            &mut seen,
            &diag,
        );
        assert_eq!(s.id, "session-x");
        assert_eq!(s.tool_calls().count(), 2);
        assert_eq!(s.human_prompts().count(), 0);
    }

    #[test]
    fn ui_commands_are_not_prompts() {
        assert!(is_ui_command("/ide enable"));
        assert!(is_ui_command("/stats"));
        assert!(!is_ui_command("/init"));
        assert!(!is_ui_command("/setup-github"));
        assert!(!is_ui_command("fix /etc/hosts parsing"));
    }

    #[test]
    fn project_names_skip_hash_folders() {
        assert_eq!(
            project_from_path(Path::new("/t/shop-site/chats/session-1.json")).as_deref(),
            Some("shop-site")
        );
        let h = format!("/t/{}/chats/session-1.json", "ab12".repeat(16));
        assert_eq!(project_from_path(Path::new(&h)), None);
    }
}
