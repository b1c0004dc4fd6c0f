//! Claude Code transcripts (`~/.claude/projects/<project>/<session>.jsonl`),
//! versions 1.0.x to 2.1.x.
//!
//! A session unit is the main file `<session>.jsonl` plus its sub-agent files,
//! in any of the three layouts Claude Code has used:
//! - inline `isSidechain: true` records inside the main file (1.0.x),
//! - flat `agent-<id>.jsonl` files next to the main file whose records carry
//!   the parent's `sessionId` (2.0.x),
//! - `<session>/subagents/agent-<id>.jsonl` (2.1.x).
//!
//! Records are streamed line by line; bulky record kinds that carry nothing we
//! measure (progress, file-history snapshots) are recognised from their first
//! `"type"` without a full parse. Records repeated with the same `uuid` (a
//! resumed session writes them again) count once across the unit.

mod build;
pub mod raw;
pub mod text;

use super::Format;
use crate::diag::Diagnostics;
use crate::session::{Agent, Session};
use build::Builder;
use raw::Record;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

pub use build::surface;
pub use text::tool_kind;

pub struct ClaudeCode;

/// Role of a file within its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Main,
    SubAgent,
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn in_subagents_dir(path: &Path) -> bool {
    path.parent()
        .and_then(|p| p.file_name())
        .is_some_and(|n| n == "subagents")
}

fn role(path: &Path) -> Role {
    if in_subagents_dir(path) || stem(path).starts_with("agent-") {
        Role::SubAgent
    } else {
        Role::Main
    }
}

/// Value of the first `"key":"value"` string field in `head` (no full parse).
fn string_field<'a>(head: &'a [u8], key: &str) -> Option<&'a str> {
    let pat = format!("\"{key}\":\"");
    let i = memchr::memmem::find(head, pat.as_bytes())? + pat.len();
    let end = memchr::memchr(b'"', &head[i..])?;
    std::str::from_utf8(&head[i..i + end])
        .ok()
        .filter(|s| !s.is_empty())
}

/// Does one parsed JSON object look like a Claude Code record?
fn looks_like_record(v: &serde_json::Value) -> bool {
    let Some(o) = v.as_object() else { return false };
    if o.contains_key("payload") || (o.contains_key("schema") && o.contains_key("turns")) {
        return false;
    }
    let ty = o.get("type").and_then(|t| t.as_str());
    if o.contains_key("summary") && o.contains_key("leafUuid") {
        return true;
    }
    if ty == Some("file-history-snapshot") && o.contains_key("messageId") {
        return true;
    }
    ty.is_some()
        && (o.contains_key("sessionId") || o.contains_key("uuid") || o.contains_key("parentUuid"))
}

impl Format for ClaudeCode {
    fn name(&self) -> &'static str {
        "claude-code"
    }
    fn agent(&self) -> Agent {
        Agent::ClaudeCode
    }
    fn sniff(&self, _path: &Path, head: &[u8]) -> bool {
        let lines = super::json_lines(head, 5);
        if !lines.is_empty() {
            // Decide on the first objects: every record kind of the format
            // qualifies, and a single foreign object disqualifies.
            return lines.iter().take(3).any(looks_like_record)
                && !lines.iter().any(|v| {
                    v.get("payload").is_some()
                        || (v.get("schema").is_some() && v.get("turns").is_some())
                });
        }
        // The first line is longer than the sniffed head: look at the raw
        // bytes. Claude Code writes a few keys first (a user record with a big
        // pasted prompt may carry its sessionId only after the message).
        let has = |pat: &[u8]| memchr::memmem::find(head, pat).is_some();
        let starts = [
            &b"{\"parentUuid\":"[..],
            b"{\"type\":\"file-history-snapshot\"",
            b"{\"type\":\"queue-operation\"",
            b"{\"type\":\"summary\"",
        ];
        head.first() == Some(&b'{')
            && !has(b"\"payload\":")
            && (starts.iter().any(|p| head.starts_with(p))
                || (has(b"\"sessionId\":\"") && (has(b"\"parentUuid\":") || has(b"\"uuid\":\""))))
    }
    fn unit_key(&self, path: &Path, head: &[u8]) -> String {
        if in_subagents_dir(path) {
            // <project>/<session>/subagents/agent-*.jsonl
            if let Some(dir) = path.parent().and_then(|p| p.parent()) {
                if let Some(n) = dir.file_name() {
                    let project = dir.parent().unwrap_or(Path::new(""));
                    return resolve_continuation(project, n.to_string_lossy().into_owned());
                }
            }
        }
        let project = path.parent().unwrap_or(Path::new(""));
        if stem(path).starts_with("agent-") {
            if let Some(id) = string_field(head, "sessionId") {
                return resolve_continuation(project, id.to_string());
            }
            return stem(path);
        }
        // A resumed session's file may begin with copies of the earlier
        // session's records (which keep their sessionId): one unit with it.
        let own = stem(path);
        match string_field(head, "sessionId") {
            Some(first) if first != own && project.join(format!("{first}.jsonl")).is_file() => {
                resolve_continuation(project, first.to_string())
            }
            _ => own,
        }
    }
    fn parse(&self, files: &[PathBuf], diag: &Diagnostics) -> Vec<Session> {
        parse_unit(files, diag)
    }
}

/// Follows "this file begins with records of session X" links from `id` to
/// the first session of the chain (bounded, so a cycle cannot loop).
fn resolve_continuation(project: &Path, mut id: String) -> String {
    for _ in 0..8 {
        let p = project.join(format!("{id}.jsonl"));
        let Ok(head) = super::jsonl::head(&p, 16 * 1024) else {
            break;
        };
        match string_field(&head, "sessionId") {
            Some(first) if first != id && project.join(format!("{first}.jsonl")).is_file() => {
                id = first.to_string();
            }
            _ => break,
        }
    }
    id
}

fn uuid_hash(u: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    u.hash(&mut h);
    h.finish()
}

/// State shared by all files of one unit.
struct Unit {
    seen: HashSet<u64>,
    other_records: u64,
}

impl Unit {
    /// Reads one file, calling `f` for each new (not yet seen) record.
    fn read(
        &mut self,
        path: &Path,
        diag: &Diagnostics,
        mut f: impl FnMut(&mut Record<'_>) -> bool,
    ) {
        super::jsonl::for_each_line(path, diag, |n, line| {
            if let Some(t) = raw::first_type(line) {
                if t == "progress" || t == "file-history-snapshot" {
                    return;
                }
            }
            let mut rec: Record<'_> = match serde_json::from_str(line) {
                Ok(r) => r,
                Err(e) => {
                    if serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok() {
                        diag.warn(path, Some(n), format!("unexpected record shape: {e}"));
                        self.other_records += 1;
                    } else {
                        diag.warn(path, Some(n), format!("invalid JSON: {e}; line skipped"));
                    }
                    return;
                }
            };
            if let Some(u) = rec.uuid.as_ref().map(|u| u.as_str()) {
                if !u.is_empty() && !self.seen.insert(uuid_hash(u)) {
                    return;
                }
            }
            if !f(&mut rec) {
                self.other_records += 1;
            }
        });
    }
}

/// Inline sidechains of a main file, grouped into sub-agents.
#[derive(Default)]
struct Sidechains {
    by_agent: HashMap<String, usize>,
    by_uuid: HashMap<u64, usize>,
    builders: Vec<Builder>,
}

impl Sidechains {
    fn group(&mut self, parent_id: &str, r: &Record<'_>) -> usize {
        let agent = r.agent_id.as_ref().map(|a| a.as_str()).unwrap_or("");
        let from_parent = r
            .parent_uuid
            .as_ref()
            .and_then(|p| self.by_uuid.get(&uuid_hash(p.as_str())).copied());
        let g = if !agent.is_empty() {
            match self.by_agent.get(agent) {
                Some(&g) => g,
                None => {
                    let g = self.new_group(format!("agent-{agent}"), parent_id);
                    self.by_agent.insert(agent.to_string(), g);
                    g
                }
            }
        } else if let Some(g) = from_parent {
            g
        } else {
            let n = self.builders.len() + 1;
            self.new_group(format!("{parent_id}-sidechain-{n}"), parent_id)
        };
        if let Some(u) = r.uuid.as_ref() {
            self.by_uuid.insert(uuid_hash(u.as_str()), g);
        }
        g
    }

    fn new_group(&mut self, id: String, parent_id: &str) -> usize {
        let mut b = Builder::new(id);
        b.s.parent_id = Some(parent_id.to_string());
        self.builders.push(b);
        self.builders.len() - 1
    }
}

/// Parses the files of one unit (see the module docs).
pub fn parse_unit(files: &[PathBuf], diag: &Diagnostics) -> Vec<Session> {
    let mut mains: Vec<&PathBuf> = files.iter().filter(|p| role(p) == Role::Main).collect();
    let mut subs: Vec<&PathBuf> = files.iter().filter(|p| role(p) == Role::SubAgent).collect();
    // Several main files: a session and its continuations. A continuation
    // repeats the earlier records, so reading smallest first keeps the
    // conversation in order, and the largest (latest) file names the session.
    let size = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    mains.sort_by_key(|p| (size(p), (*p).clone()));
    subs.sort();
    let mut unit = Unit {
        seen: HashSet::new(),
        other_records: 0,
    };
    let mut out = Vec::new();

    let mut main: Option<(Builder, Sidechains)> = None;
    if let Some(last) = mains.last() {
        let id = stem(last);
        let mut b = Builder::new(id.clone());
        let mut side = Sidechains::default();
        for p in &mains {
            b.s.files.push((*p).clone());
            unit.read(p, diag, |r| {
                if r.is_sidechain.0 {
                    let g = side.group(&id, r);
                    side.builders[g].apply(r)
                } else {
                    b.apply(r)
                }
            });
        }
        main = Some((b, side));
    }

    // Sub-agent files: their own sessions, linked to the parent.
    let mut sub_sessions = Vec::new();
    for p in &subs {
        let mut b = Builder::new(stem(p));
        b.s.files.push((*p).clone());
        let mut parent: Option<String> = None;
        unit.read(p, diag, |r| {
            if parent.is_none() {
                if let Some(sid) = r.session_id.as_ref().filter(|x| !x.as_str().is_empty()) {
                    parent = Some(sid.as_str().to_string());
                }
            }
            b.apply(r)
        });
        let parent = main
            .as_ref()
            .map(|(m, _)| m.s.id.clone())
            .or(parent)
            .or_else(|| {
                p.parent()
                    .filter(|d| d.file_name().is_some_and(|n| n == "subagents"))
                    .and_then(|d| d.parent())
                    .and_then(|d| d.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
            });
        b.s.parent_id = parent;
        sub_sessions.push(b.finish());
    }

    match main {
        Some((b, side)) => {
            let mut s = b.finish();
            for sb in side.builders {
                let mut sub = sb.finish();
                sub.files = s.files.clone();
                inherit(&mut sub, &s);
                s.subagents.push(sub);
            }
            for mut sub in sub_sessions {
                inherit(&mut sub, &s);
                s.subagents.push(sub);
            }
            s.other_records += unit.other_records;
            out.push(s);
        }
        None => {
            // Parent file missing: keep the sub-agents as sessions of their own.
            for (i, mut sub) in sub_sessions.into_iter().enumerate() {
                if i == 0 {
                    sub.other_records += unit.other_records;
                }
                out.push(sub);
            }
        }
    }
    out
}

/// Fills what a sub-agent did not record itself from its parent.
fn inherit(sub: &mut Session, parent: &Session) {
    if sub.surface == crate::session::Surface::Unknown {
        sub.surface = parent.surface;
        sub.entrypoint = sub.entrypoint.take().or_else(|| parent.entrypoint.clone());
    }
    if sub.cwd.is_none() {
        if let Some(c) = &parent.cwd {
            sub.set_cwd(c);
        }
    }
    if sub.agent_version.is_none() {
        sub.agent_version = parent.agent_version.clone();
    }
    if sub.git_branch.is_none() {
        sub.git_branch = parent.git_branch.clone();
    }
}
