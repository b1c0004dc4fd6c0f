//! Telemetry: counts and sizes. OWNER: measure helper.
//!
//! Choices worth knowing (see also docs in each function):
//! - `actions` are the main session's tool calls; sub-agent tool calls are
//!   `subagent_actions` (all nesting levels), never folded in.
//! - `successful_actions`: calls whose paired result exists and did not fail
//!   (non-zero exit code, or the error flag when no code is known). A call
//!   with no result (interrupted) is not successful.
//! - `tool_errors`: results of the main session that failed, including calls
//!   the person rejected (the harness reports those as errors too).
//! - Lines added / removed come from the inputs of edit, write and patch
//!   calls that did not fail (a failed or rejected edit changed nothing):
//!   * Edit (old_string -> new_string) and each MultiEdit edit: a line diff
//!     (common leading/trailing lines dropped, then a longest-common-
//!     subsequence of the rest when small), so an unchanged line is not
//!     counted; `replace_all` edits are counted once (the number of
//!     occurrences is not in the input).
//!   * Write: when the same path was written earlier in this session (and not
//!     edited since), the diff against that earlier content; otherwise every
//!     line of the content is added and nothing removed (the previous content
//!     of an existing file is not reliably known: a Read output may be partial).
//!   * NotebookEdit: lines of `new_source` added (replace/insert), nothing
//!     counted for a delete.
//!   * Patches (Codex `apply_patch`, as a custom tool or inside a shell
//!     command, `*** Begin Patch` format, or unified diffs): lines starting
//!     with `+` / `-` inside hunks, file headers excluded.
//! - Lines and files include the edits sub-agents made (the code was written
//!   in this session whoever typed it); `subagent_lines_added/removed` show
//!   their share. Actions stay separate (see above).
//! - `files_touched`: distinct paths of those edit/write/patch calls.
//! - Plan files the harness keeps for itself (Claude Code plan mode writes
//!   `~/.claude/plans/<name>.md`) are not code: their lines and paths are
//!   not counted.
//! - `output_words`: whitespace-separated words of visible agent text, with
//!   each CJK character counted as one word (CJK text has no spaces).

use crate::session::{Session, SystemKind, ToolKind, Turn};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Measures {
    pub human_prompts: u32,
    /// Tool calls of the main session (sub-agents excluded).
    pub actions: u32,
    /// Tool calls whose result was not an error.
    pub successful_actions: u32,
    pub model_calls: u32,
    /// actions / human_prompts; None with zero prompts.
    pub actions_per_prompt: Option<f64>,
    pub output_tokens: u64,
    pub input_tokens: u64,
    /// Words of visible agent text.
    pub output_words: u64,
    pub words_per_prompt: Option<f64>,
    pub lines_added: u64,
    pub lines_removed: u64,
    pub files_touched: u32,
    pub duration_s: Option<f64>,
    /// Tool calls by normalized kind, in `ToolKind::ALL` order.
    pub tool_mix: [u32; 9],
    pub tool_errors: u32,
    pub interruptions: u32,
    pub compactions: u32,
    pub api_errors: u32,
    pub subagents: u32,
    pub subagent_actions: u32,
    pub interactive: bool,
    // --- additive fields ---
    #[serde(default)]
    pub cache_read_tokens: u64,
    #[serde(default)]
    pub cache_creation_tokens: u64,
    /// Words the person typed (same word rule as `output_words`).
    #[serde(default)]
    pub human_words: u64,
    /// Prompts typed while the agent was working.
    #[serde(default)]
    pub queued_prompts: u32,
    /// Tool calls with no result (interrupted or lost).
    #[serde(default)]
    pub unanswered_actions: u32,
    /// Tool calls the person rejected or the harness cancelled.
    #[serde(default)]
    pub rejected_actions: u32,
    /// Lines added / removed by sub-agents (included in `lines_added` / `lines_removed`).
    #[serde(default)]
    pub subagent_lines_added: u64,
    #[serde(default)]
    pub subagent_lines_removed: u64,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Ext A
        | 0x4E00..=0x9FFF    // CJK Unified
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF)
}

/// Words of a text: whitespace-separated tokens, each CJK character one word.
pub fn words(text: &str) -> u64 {
    let mut n = 0u64;
    for tok in text.split_whitespace() {
        if tok.is_ascii() {
            n += 1;
            continue;
        }
        let cjk = tok.chars().filter(|c| is_cjk(*c)).count() as u64;
        // Non-CJK rest of the token counts as one word if present.
        let rest = tok.chars().any(|c| !is_cjk(c) && c.is_alphanumeric());
        n += cjk + u64::from(rest || cjk == 0);
    }
    n
}

/// Added and removed lines between two texts (line diff).
pub fn diff_lines(old: &str, new: &str) -> (u64, u64) {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    diff_slices(&a, &b)
}

/// Added and removed lines between two line lists.
pub fn diff_slices(a: &[&str], b: &[&str]) -> (u64, u64) {
    let mut lo = 0;
    while lo < a.len() && lo < b.len() && a[lo] == b[lo] {
        lo += 1;
    }
    let (mut ea, mut eb) = (a.len(), b.len());
    while ea > lo && eb > lo && a[ea - 1] == b[eb - 1] {
        ea -= 1;
        eb -= 1;
    }
    let (ma, mb) = (&a[lo..ea], &b[lo..eb]);
    let common = if ma.is_empty() || mb.is_empty() {
        0
    } else if ma.len() * mb.len() <= 4_000_000 {
        lcs(ma, mb)
    } else {
        0
    };
    ((mb.len() - common) as u64, (ma.len() - common) as u64)
}

/// Length of the longest common subsequence (two-row DP).
fn lcs(a: &[&str], b: &[&str]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn count_lines(s: &str) -> u64 {
    if s.is_empty() {
        0
    } else {
        s.lines().count() as u64
    }
}

/// Lines and files of a patch text (`*** Begin Patch` or unified diff).
/// Returns (added, removed) and pushes touched paths.
pub fn patch_lines<'a>(patch: &'a str, files: &mut Vec<&'a str>) -> (u64, u64) {
    let unified =
        patch.contains("\n@@ -") || patch.starts_with("@@ -") || patch.starts_with("--- ");
    let (mut add, mut del) = (0, 0);
    for line in patch.lines() {
        if let Some(rest) = line.strip_prefix("*** ") {
            for h in ["Update File: ", "Add File: ", "Delete File: ", "Move to: "] {
                if let Some(p) = rest.strip_prefix(h) {
                    files.push(p.trim());
                }
            }
            continue;
        }
        if unified {
            if let Some(p) = line.strip_prefix("+++ ") {
                let p = p.trim();
                if p != "/dev/null" {
                    files.push(p.strip_prefix("b/").unwrap_or(p));
                }
                continue;
            }
            if line.starts_with("--- ") || line.starts_with("diff --git") {
                continue;
            }
        }
        if line.starts_with('+') {
            add += 1;
        } else if line.starts_with('-') {
            del += 1;
        }
    }
    (add, del)
}

/// The patch text inside a call input, if any.
fn patch_text(input: &serde_json::Value) -> Option<&str> {
    use serde_json::Value;
    fn find(s: &str) -> Option<&str> {
        let i = s.find("*** Begin Patch")?;
        let rest = &s[i..];
        let end = rest
            .find("*** End Patch")
            .map_or(rest.len(), |e| e + "*** End Patch".len());
        Some(&rest[..end])
    }
    match input {
        Value::String(s) => find(s),
        Value::Object(o) => {
            for k in ["input", "patch", "command", "cmd", "content"] {
                match o.get(k) {
                    Some(Value::String(s)) => {
                        if let Some(p) = find(s) {
                            return Some(p);
                        }
                    }
                    Some(Value::Array(a)) => {
                        if let Some(p) = a.iter().filter_map(Value::as_str).find_map(find) {
                            return Some(p);
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        _ => None,
    }
}

fn str_field<'a>(input: &'a serde_json::Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| input.get(k).and_then(|v| v.as_str()))
}

/// Line counts over the main session's edit/write/patch calls.
#[derive(Default)]
struct Lines<'a> {
    added: u64,
    removed: u64,
    files: HashSet<&'a str>,
    /// Known content per path (for Write-over-Write and Read-then-Write diffs).
    written: HashMap<&'a str, Known<'a>>,
}

/// The file content shown by a complete Read output ("     1→text" or
/// "     1\ttext" per line, then possibly a harness reminder). None when the
/// output is not a plain numbered listing (partial, shortened, or a notice).
pub fn read_listing(out: &str) -> Option<Vec<&str>> {
    if out.contains(" bytes omitted ...]") {
        return None;
    }
    let mut v = Vec::new();
    for line in out.lines() {
        let t = line.trim_start();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            if t.starts_with("<system-reminder>") {
                break;
            }
            if t.is_empty() {
                continue;
            }
            return None;
        }
        let rest = &t[digits..];
        v.push(rest.strip_prefix('→').or_else(|| rest.strip_prefix('\t'))?);
    }
    (!v.is_empty()).then_some(v)
}

/// What is known about a file's content before a Write.
#[derive(Clone, Copy)]
enum Known<'a> {
    /// Written earlier in this session with this content.
    Written(&'a str),
    /// Read in full earlier (the raw Read output).
    Read(&'a str),
}

/// Files the harness writes for itself (plan-mode plans), not the user's code.
pub fn harness_file(path: &str) -> bool {
    path.contains("/.claude/plans/") || path.contains("\\.claude\\plans\\")
}

impl<'a> Lines<'a> {
    fn call(&mut self, name: &str, kind: ToolKind, input: &'a serde_json::Value, output: &'a str) {
        let path = str_field(input, &["file_path", "path", "notebook_path", "filePath"]);
        if path.is_some_and(harness_file) {
            return;
        }
        match name {
            "Read" => {
                // A full read (no offset/limit) tells what a later Write replaces.
                if let Some(p) = path {
                    let partial = input.get("offset").is_some() || input.get("limit").is_some();
                    if !partial && read_listing(output).is_some() {
                        self.written.insert(p, Known::Read(output));
                    }
                }
                return;
            }
            "Edit"
            | "MultiEdit"
            | "str_replace_based_edit_tool"
            | "replace"
            | "edit_file"
            | "str_replace_editor"
            | "Update" => {
                let edits: Vec<&serde_json::Value> = match input.get("edits") {
                    Some(serde_json::Value::Array(a)) => a.iter().collect(),
                    _ => vec![input],
                };
                let mut any = false;
                for e in edits {
                    let old = str_field(e, &["old_string", "old_str", "oldString"]);
                    let new = str_field(e, &["new_string", "new_str", "newString"]);
                    if old.is_none() && new.is_none() {
                        // Editors that write a whole file through an edit tool.
                        if let Some(c) = str_field(e, &["file_text", "content"]) {
                            self.added += count_lines(c);
                            any = true;
                        }
                        continue;
                    }
                    let (a, r) = diff_lines(old.unwrap_or(""), new.unwrap_or(""));
                    self.added += a;
                    self.removed += r;
                    any = true;
                }
                if let Some(p) = path {
                    if any {
                        self.files.insert(p);
                        self.written.remove(p);
                    }
                }
                return;
            }
            "Write" | "write_file" | "create_file" => {
                if let Some(content) = str_field(input, &["content", "file_text", "contents"]) {
                    let (a, r) = match path.and_then(|p| self.written.get(p)) {
                        Some(Known::Written(prev)) => diff_lines(prev, content),
                        Some(Known::Read(out)) => {
                            let old = read_listing(out).unwrap_or_default();
                            let new: Vec<&str> = content.lines().collect();
                            diff_slices(&old, &new)
                        }
                        None => (count_lines(content), 0),
                    };
                    self.added += a;
                    self.removed += r;
                    if let Some(p) = path {
                        self.files.insert(p);
                        self.written.insert(p, Known::Written(content));
                    }
                }
                return;
            }
            "NotebookEdit" => {
                let delete = str_field(input, &["edit_mode"]) == Some("delete");
                if !delete {
                    self.added += count_lines(str_field(input, &["new_source"]).unwrap_or(""));
                }
                if let Some(p) = path {
                    self.files.insert(p);
                }
                return;
            }
            _ => {}
        }
        if matches!(
            kind,
            ToolKind::Edit | ToolKind::Write | ToolKind::Shell | ToolKind::Other
        ) || name.eq_ignore_ascii_case("apply_patch")
        {
            if let Some(p) = patch_text(input) {
                let mut files = Vec::new();
                let (a, r) = patch_lines(p, &mut files);
                self.added += a;
                self.removed += r;
                for f in files {
                    self.written.remove(f);
                    self.files.insert(f);
                }
            }
        }
    }
}

/// Result status by call id: (failed, rejected, output), first result wins.
fn result_status(session: &Session) -> HashMap<&str, (bool, bool, &str)> {
    let mut results = HashMap::new();
    for t in &session.turns {
        if let Turn::ToolResult {
            id,
            is_error,
            exit_code,
            output,
            ..
        } = t
        {
            let r = crate::measure::evidence::Res {
                turn: 0,
                is_error: *is_error,
                exit_code: *exit_code,
                output,
            };
            results
                .entry(id.as_str())
                .or_insert((r.failed(), r.rejected(), output.as_str()));
        }
    }
    results
}

/// Feeds the successful edit/write/patch calls of sub-agents (all levels) into `lines`.
fn subagent_lines<'a>(s: &'a Session, lines: &mut Lines<'a>) {
    for sub in &s.subagents {
        let results = result_status(sub);
        for t in &sub.turns {
            if let Turn::ToolCall {
                id,
                name,
                kind,
                input,
                ..
            } = t
            {
                if let Some((false, _, out)) = results.get(id.as_str()) {
                    lines.call(name, *kind, input, out);
                }
            }
        }
        subagent_lines(sub, lines);
    }
}

fn subagent_totals(s: &Session) -> (u32, u32) {
    let mut n = 0;
    let mut actions = 0;
    for sub in &s.subagents {
        n += 1;
        actions += sub.tool_calls().count() as u32;
        let (a, b) = subagent_totals(sub);
        n += a;
        actions += b;
    }
    (n, actions)
}

pub fn measure(session: &Session) -> Measures {
    let mut m = Measures {
        interactive: session.interactive(),
        model_calls: session.model_calls.len() as u32,
        ..Default::default()
    };
    for c in &session.model_calls {
        m.output_tokens += c.output_tokens;
        m.input_tokens += c.input_tokens;
        m.cache_read_tokens += c.cache_read_tokens;
        m.cache_creation_tokens += c.cache_creation_tokens;
    }
    // Results by id: (failed, rejected).
    // Results by id (first wins: duplicates come from resumed transcripts).
    let results = result_status(session);
    m.tool_errors = results.values().filter(|r| r.0).count() as u32;
    let mut lines = Lines::default();
    for t in &session.turns {
        match t {
            Turn::Human { text, queued, .. } => {
                m.human_prompts += 1;
                m.queued_prompts += u32::from(*queued);
                m.human_words += words(text);
            }
            Turn::Agent { text, .. } => m.output_words += words(text),
            Turn::ToolCall {
                id,
                name,
                kind,
                input,
                ..
            } => {
                m.actions += 1;
                let k = ToolKind::ALL.iter().position(|x| x == kind).unwrap_or(8);
                m.tool_mix[k] += 1;
                match results.get(id.as_str()) {
                    Some((false, _, out)) => {
                        m.successful_actions += 1;
                        lines.call(name, *kind, input, out);
                    }
                    Some((true, rejected, _)) => m.rejected_actions += u32::from(*rejected),
                    None => {
                        m.unanswered_actions += 1;
                        // An edit whose result was lost may still have applied;
                        // we cannot know, so it is not counted.
                    }
                }
            }
            Turn::ToolResult { .. } => {}
            Turn::System { kind, .. } => match kind {
                SystemKind::Interruption => m.interruptions += 1,
                SystemKind::Compaction => m.compactions += 1,
                SystemKind::ApiError => m.api_errors += 1,
                _ => {}
            },
        }
    }
    let (main_added, main_removed) = (lines.added, lines.removed);
    subagent_lines(session, &mut lines);
    m.subagent_lines_added = lines.added - main_added;
    m.subagent_lines_removed = lines.removed - main_removed;
    m.lines_added = lines.added;
    m.lines_removed = lines.removed;
    m.files_touched = lines.files.len() as u32;
    if m.human_prompts > 0 {
        let p = f64::from(m.human_prompts);
        m.actions_per_prompt = Some(f64::from(m.actions) / p);
        m.words_per_prompt = Some(m.output_words as f64 / p);
    }
    if let (Some(s), Some(e)) = (session.start, session.end) {
        m.duration_s = Some((e - s).max(0) as f64 / 1000.0);
    }
    let (n, a) = subagent_totals(session);
    m.subagents = n;
    m.subagent_actions = a;
    m
}

#[cfg(test)]
mod unit_tests {
    use super::*;
    use crate::measure::evidence::fixture::B;
    use crate::session::{Agent, ModelCall};
    use serde_json::json;

    #[test]
    fn line_diff_ignores_unchanged_lines() {
        assert_eq!(diff_lines("a\nb\nc", "a\nB\nc"), (1, 1));
        assert_eq!(diff_lines("a\nb", "a\nb\nc\nd"), (2, 0));
        assert_eq!(diff_lines("", "x\ny"), (2, 0));
        assert_eq!(diff_lines("x\ny\nz", ""), (0, 3));
        // Moved middle: LCS keeps the common line.
        assert_eq!(diff_lines("h\n1\nk\n2\nt", "h\n3\nk\n4\nt"), (2, 2));
    }

    #[test]
    fn words_count_cjk_characters() {
        assert_eq!(words("hello brave world"), 3);
        assert_eq!(words("你好世界"), 4);
        assert_eq!(words("run 测试 now"), 4);
        assert_eq!(words("café crème"), 2);
    }

    #[test]
    fn codex_patch_counts_hunk_lines_not_headers() {
        let p = "*** Begin Patch\n*** Update File: src/a.py\n@@ def f():\n-    return 1\n+    return 2\n+    # done\n*** Add File: src/b.py\n+x = 1\n*** End Patch\n";
        let mut files = Vec::new();
        assert_eq!(patch_lines(p, &mut files), (3, 1));
        assert_eq!(files, vec!["src/a.py", "src/b.py"]);
    }

    #[test]
    fn telemetry_of_a_small_session() {
        let mut s = B::new()
            .human("add a greeting")
            .agent("I will read the file first.")
            .read("src/app.py")
            .edit("src/app.py", "def main():\n    pass", "def main():\n    print('hi')\n    return 0")
            .call(
                "MultiEdit",
                ToolKind::Edit,
                json!({"file_path": "src/util.py", "edits": [
                    {"old_string": "a = 1", "new_string": "a = 2"},
                    {"old_string": "b = 1\nc = 1", "new_string": "b = 1"}
                ]}),
                false,
                None,
                "ok",
            )
            .write("README.md", "# App\n\nSays hi.\n")
            .write("README.md", "# App\n\nSays hello.\n")
            .call(
                "Edit",
                ToolKind::Edit,
                json!({"file_path": "src/x.py", "old_string": "zz", "new_string": "yy"}),
                true,
                None,
                "<tool_use_error>String to replace not found in file.</tool_use_error>",
            )
            .bash("pytest -q", 1, "1 failed")
            .call(
                "apply_patch",
                ToolKind::Edit,
                json!({"input": "*** Begin Patch\n*** Update File: src/app.py\n@@\n-    return 0\n+    return 1\n*** End Patch"}),
                false,
                None,
                "Success",
            )
            .call_only("Bash", ToolKind::Shell, json!({"command": "sleep 100"}))
            .system(SystemKind::Interruption)
            .human("thanks")
            .agent("你好")
            .build();
        s.start = Some(1_000);
        s.end = Some(61_000);
        s.model_calls = vec![
            ModelCall {
                message_id: "m1".into(),
                input_tokens: 10,
                output_tokens: 100,
                ..Default::default()
            },
            ModelCall {
                message_id: "m2".into(),
                input_tokens: 20,
                output_tokens: 50,
                ..Default::default()
            },
        ];
        let mut sub = Session::new("sub", Agent::ClaudeCode);
        sub.turns = B::new()
            .read("a")
            .write("notes.md", "one\ntwo")
            .build()
            .turns;
        s.subagents.push(sub);
        let m = measure(&s);
        assert_eq!(m.human_prompts, 2);
        assert_eq!(m.actions, 9);
        assert_eq!(m.successful_actions, 6);
        assert_eq!(m.tool_errors, 2);
        assert_eq!(m.unanswered_actions, 1);
        assert_eq!(m.actions_per_prompt, Some(4.5));
        assert_eq!(m.model_calls, 2);
        assert_eq!((m.output_tokens, m.input_tokens), (150, 30));
        assert_eq!(m.output_words, 6 + 2);
        // Edit: +2 -1; MultiEdit: +1 -1, +0 -1; Write: +3; Write over it: +1 -1;
        // failed Edit: nothing; patch: +1 -1.
        // Sub-agent Write: +2 (counted in the totals and shown apart).
        assert_eq!((m.lines_added, m.lines_removed), (10, 5));
        assert_eq!((m.subagent_lines_added, m.subagent_lines_removed), (2, 0));
        assert_eq!(m.files_touched, 4);
        assert_eq!(m.duration_s, Some(60.0));
        assert_eq!(m.tool_mix[0], 1); // read
        assert_eq!(m.tool_mix[1], 4); // edit
        assert_eq!(m.tool_mix[2], 2); // write
        assert_eq!(m.tool_mix[3], 2); // shell
        assert_eq!(m.interruptions, 1);
        assert_eq!((m.subagents, m.subagent_actions), (1, 2));
        assert!(m.interactive);
    }

    #[test]
    fn write_over_a_full_read_counts_the_diff() {
        let s = B::new()
            .human("rewrite")
            .call(
                "Read",
                ToolKind::Read,
                json!({"file_path": "src/a.py"}),
                false,
                None,
                "     1→import os\n     2→\n     3→def f():\n     4→    return 1\n\n<system-reminder>\nbe careful\n</system-reminder>\n",
            )
            .write("src/a.py", "import os\n\ndef f():\n    return 2\n")
            .build();
        let m = measure(&s);
        assert_eq!((m.lines_added, m.lines_removed), (1, 1));
        // A partial read does not tell what the Write replaced.
        let s = B::new()
            .human("rewrite")
            .call(
                "Read",
                ToolKind::Read,
                json!({"file_path": "src/a.py", "offset": 3}),
                false,
                None,
                "     3→def f():\n     4→    return 1\n",
            )
            .write("src/a.py", "import os\n\ndef f():\n    return 2\n")
            .build();
        assert_eq!(measure(&s).lines_added, 4);
    }

    #[test]
    fn read_listing_formats() {
        assert_eq!(
            read_listing("     1\tfn main() {}\n     2\t}"),
            Some(vec!["fn main() {}", "}"])
        );
        assert_eq!(read_listing("File unchanged since last read."), None);
        assert_eq!(
            read_listing("     1→a\n[... 10 bytes omitted ...]\n   900→b"),
            None
        );
    }

    #[test]
    fn plan_mode_files_are_not_code() {
        let s = B::new()
            .human("plan it")
            .write(
                "/home/u/.claude/plans/quiet-river.md",
                "# Plan\n\n1. a\n2. b",
            )
            .edit("/home/u/.claude/plans/quiet-river.md", "1. a", "1. c")
            .edit("src/main.rs", "a", "b")
            .build();
        let m = measure(&s);
        assert_eq!((m.lines_added, m.lines_removed, m.files_touched), (1, 1, 1));
    }

    #[test]
    fn no_prompts_means_no_ratio() {
        let s = B::new().read("x").build();
        let m = measure(&s);
        assert_eq!(m.actions_per_prompt, None);
        assert_eq!(m.words_per_prompt, None);
        assert!(!m.interactive);
    }
}
