//! Ingest: one module per session-file format, each turning files into the
//! normalized [`Session`]. A format knows everything about its own files and
//! nothing about the rest; this module sniffs formats from content and groups
//! files into session units so that each unit can be parsed independently
//! (streaming per unit, parallel across units).

pub mod aider;
pub mod claude_code;
pub mod codex;
pub mod copilot;
pub mod gemini;
pub mod json_file;
pub mod jsonl;
pub mod openhands;
pub mod session_jsonl;
pub mod specstory;
pub mod swe_agent;

use crate::diag::Diagnostics;
use crate::session::{Agent, Session};
use std::path::{Path, PathBuf};

/// How many leading bytes of a file are read to recognise its format.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// One session-file format.
pub trait Format: Sync + Send {
    /// Short name, as used in `--format` and in messages ("claude-code").
    fn name(&self) -> &'static str;
    fn agent(&self) -> Agent;
    /// Does this file belong to this format? Decided from content (`head` =
    /// first bytes of the file), the path only as a tie-breaker.
    fn sniff(&self, path: &Path, head: &[u8]) -> bool;
    /// The key that groups files into one session unit (for example the
    /// parent session id of a sub-agent file). Files with the same key are
    /// parsed together by one call to [`Format::parse`].
    fn unit_key(&self, path: &Path, head: &[u8]) -> String;
    /// Parses one unit (one or more files) into sessions. Bad lines are
    /// reported to `diag` with file and line; never panics on bad input.
    fn parse(&self, files: &[PathBuf], diag: &Diagnostics) -> Vec<Session>;
}

/// All known formats, in sniffing order.
pub fn formats() -> Vec<Box<dyn Format>> {
    vec![
        Box::new(session_jsonl::NormalizedJsonl),
        Box::new(claude_code::ClaudeCode),
        Box::new(codex::Codex),
        Box::new(gemini::Gemini),
        Box::new(copilot::Copilot),
        Box::new(aider::Aider),
        Box::new(openhands::OpenHands),
        Box::new(swe_agent::SweAgent),
        Box::new(specstory::SpecStory),
    ]
}

/// A group of files that together make up one or more sessions of one format.
#[derive(Debug, Clone)]
pub struct Unit {
    pub format: &'static str,
    pub key: String,
    pub files: Vec<PathBuf>,
    /// Index of the input root (person) the files came from.
    pub root: usize,
    pub bytes: u64,
}

/// Recognises the format of each file and groups files into units.
/// Files of no known format are counted (and named with `--verbose`), not errors.
pub fn plan_units(files: &[(PathBuf, usize)], diag: &Diagnostics) -> (Vec<Unit>, Vec<PathBuf>) {
    plan_units_with(files, diag, &|_, _| None)
}

/// What is already known about a file that has not changed since it was last
/// seen (the store remembers it): its format's name, its unit key and size.
pub type Known = (String, String, u64);

/// As [`plan_units`], but files for which `known(path, root)` answers are not
/// read again (a warm run over a large corpus reads no file contents).
pub fn plan_units_with(
    files: &[(PathBuf, usize)],
    diag: &Diagnostics,
    known: &(dyn Fn(&Path, usize) -> Option<Known> + Sync),
) -> (Vec<Unit>, Vec<PathBuf>) {
    use rayon::prelude::*;
    let fmts = formats();
    type Sniffed = (usize, Option<(usize, String)>, u64);
    let sniffed: Vec<Sniffed> = files
        .par_iter()
        .enumerate()
        .map(|(i, (path, root))| {
            if let Some((name, key, bytes)) = known(path, *root) {
                if let Some(k) = fmts.iter().position(|f| f.name() == name) {
                    return (i, Some((k, key)), bytes);
                }
            }
            let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            let head = match jsonl::head(path, SNIFF_BYTES) {
                Ok(h) => h,
                Err(e) => {
                    diag.warn(path, None, format!("cannot read: {e}"));
                    return (i, None, bytes);
                }
            };
            if head.is_empty() {
                diag.warn(path, None, "empty file; nothing to read");
                return (i, None, bytes);
            }
            let hit = fmts
                .iter()
                .enumerate()
                .find(|(_, f)| f.sniff(path, &head))
                .map(|(k, f)| (k, f.unit_key(path, &head)));
            (i, hit, bytes)
        })
        .collect();
    let mut map: std::collections::BTreeMap<(usize, usize, String), Unit> = Default::default();
    let mut unknown = Vec::new();
    for (i, hit, bytes) in sniffed {
        let (path, root) = &files[i];
        match hit {
            Some((k, key)) => {
                let u = map.entry((*root, k, key.clone())).or_insert_with(|| Unit {
                    format: fmts[k].name(),
                    key,
                    files: Vec::new(),
                    root: *root,
                    bytes: 0,
                });
                u.files.push(path.clone());
                u.bytes += bytes;
            }
            None => unknown.push(path.clone()),
        }
    }
    let mut units: Vec<Unit> = map.into_values().collect();
    // Largest first so parallel work finishes evenly.
    units.sort_by_key(|u| std::cmp::Reverse(u.bytes));
    (units, unknown)
}

/// Parses one unit with its format.
pub fn parse_unit(unit: &Unit, diag: &Diagnostics) -> Vec<Session> {
    let fmts = formats();
    match fmts.iter().find(|f| f.name() == unit.format) {
        Some(f) => {
            // A panic in a parser must not end the run: report it, keep going.
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                f.parse(&unit.files, diag)
            })) {
                Ok(s) => s,
                Err(_) => {
                    diag.warn(
                        &unit.files[0],
                        None,
                        format!(
                            "internal error while parsing this {} session; skipped (please report)",
                            unit.format
                        ),
                    );
                    Vec::new()
                }
            }
        }
        None => Vec::new(),
    }
}

/// Parses the first JSON object of `head` (first line), if any.
pub fn first_json_line(head: &[u8]) -> Option<serde_json::Value> {
    head.split(|&b| b == b'\n')
        .find(|l| !l.iter().all(|b| b.is_ascii_whitespace()))
        .and_then(|l| serde_json::from_slice(l).ok())
}

/// The first `n` complete JSON lines of `head` that parse.
pub fn json_lines(head: &[u8], n: usize) -> Vec<serde_json::Value> {
    let mut parts: Vec<&[u8]> = head.split(|&b| b == b'\n').collect();
    if !head.ends_with(b"\n") {
        parts.pop(); // the last piece may be cut off
    }
    parts
        .into_iter()
        .filter_map(|l| serde_json::from_slice(l).ok())
        .take(n)
        .collect()
}
