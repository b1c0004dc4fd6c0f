//! Discover: where session files are. Default locations per agent, or the
//! files and folders given on the command line; each input root is one person
//! unless `--user NAME=PATH` names them or `--users-by-folder` splits a root
//! into its immediate subfolders.

use crate::diag::Diagnostics;
use std::path::{Path, PathBuf};

/// One person's input root.
#[derive(Debug, Clone)]
pub struct Root {
    /// The person's name as given (pseudonymised before any output).
    pub name: String,
    pub path: PathBuf,
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub roots: Vec<Root>,
    /// Files with the index of their root.
    pub files: Vec<(PathBuf, usize)>,
    /// Default locations that were looked at (for the "no history" message).
    pub looked_at: Vec<PathBuf>,
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// The default places agents keep sessions, existing or not.
pub fn default_locations() -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Some(dir) = std::env::var_os("CLAUDE_CONFIG_DIR").filter(|d| !d.is_empty()) {
        for d in std::env::split_paths(&dir) {
            v.push(d.join("projects"));
        }
    }
    if let Some(h) = home() {
        v.push(h.join(".claude").join("projects"));
        v.push(h.join(".config").join("claude").join("projects"));
    }
    if let Some(dir) = std::env::var_os("CODEX_HOME").filter(|d| !d.is_empty()) {
        v.push(PathBuf::from(&dir).join("sessions"));
        v.push(PathBuf::from(dir).join("archived_sessions"));
    }
    if let Some(h) = home() {
        v.push(h.join(".codex").join("sessions"));
        // Rollouts the user archived from the session picker.
        v.push(h.join(".codex").join("archived_sessions"));
        // Gemini CLI: <project>/chats/session-*.json under tmp.
        v.push(h.join(".gemini").join("tmp"));
    }
    let mut seen = std::collections::HashSet::new();
    v.retain(|p| seen.insert(p.clone()));
    v
}

/// File names that can hold sessions.
fn candidate(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.ends_with(".jsonl") || name.ends_with(".json")) && !name.ends_with(".meta.json")
}

/// Walks `dir` recursively, collecting candidate files; unreadable folders
/// are warned about and skipped. Symlinked folders are not followed.
pub fn walk(dir: &Path, diag: &Diagnostics, out: &mut Vec<PathBuf>) {
    let rd = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) => {
            diag.warn(dir, None, format!("cannot read folder: {e}; skipped"));
            return;
        }
    };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&p, diag, out),
            Ok(t) if t.is_file() && candidate(&p) => out.push(p),
            Ok(t) if t.is_symlink() && p.is_file() && candidate(&p) => out.push(p),
            _ => {}
        }
    }
}

/// Name of a root: its final path component (or the path itself).
fn root_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

pub struct Request<'a> {
    pub paths: &'a [PathBuf],
    /// `--user NAME=PATH` pairs.
    pub users: &'a [(String, PathBuf)],
    pub users_by_folder: bool,
}

pub fn discover(req: &Request, diag: &Diagnostics) -> Discovered {
    let mut d = Discovered::default();
    let mut inputs: Vec<(String, PathBuf)> = req.users.to_vec();
    for p in req.paths {
        inputs.push((root_name(p), p.clone()));
    }
    if inputs.is_empty() {
        // Default locations all belong to the person running the command.
        let me = std::env::var("USER").unwrap_or_else(|_| "me".into());
        for loc in default_locations() {
            d.looked_at.push(loc.clone());
            if loc.is_dir() {
                inputs.push((me.clone(), loc));
            }
        }
    }
    for (name, path) in inputs {
        if !path.exists() {
            diag.warn(&path, None, "no such file or folder; skipped");
            continue;
        }
        if req.users_by_folder && path.is_dir() {
            let mut subs: Vec<PathBuf> = match std::fs::read_dir(&path) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect(),
                Err(e) => {
                    diag.warn(&path, None, format!("cannot read folder: {e}; skipped"));
                    continue;
                }
            };
            subs.sort();
            for s in subs {
                add_root(&mut d, root_name(&s), s, diag);
            }
        } else {
            add_root(&mut d, name, path, diag);
        }
    }
    d
}

fn add_root(d: &mut Discovered, name: String, path: PathBuf, diag: &Diagnostics) {
    // Several paths for one name are one person.
    let idx = match d.roots.iter().position(|r| r.name == name) {
        Some(i) => i,
        None => {
            d.roots.push(Root {
                name,
                path: path.clone(),
            });
            d.roots.len() - 1
        }
    };
    let mut files = Vec::new();
    if path.is_dir() {
        walk(&path, diag, &mut files);
    } else {
        files.push(path);
    }
    d.files.extend(files.into_iter().map(|f| (f, idx)));
}
