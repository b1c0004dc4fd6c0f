//! The study-style transcript view that LLM classifiers read (STUDY.md "How
//! the classifiers saw a session"): human, assistant and system turns with
//! tool calls and results, each turn cut from the middle to `turn_chars`
//! characters, the whole cut to `transcript_chars` keeping head and tail with
//! a visible marker that says the cut is not evidence of anything.
//!
//! Everything is scrubbed ([`crate::privacy::scrub`]) turn by turn BEFORE it
//! is cut, so a secret can never be half-cut into an unrecognisable piece.
//! User names learnt from home-directory paths anywhere in the session are
//! replaced everywhere in it.

use crate::privacy::scrub::{home_names, Scrubber};
use crate::session::{Session, SystemKind, Turn};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Each turn's body is cut from the middle to this many characters.
    pub turn_chars: usize,
    /// The whole transcript is cut to this many characters (head and tail kept).
    pub transcript_chars: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            turn_chars: 5000,
            transcript_chars: 25000,
        }
    }
}

/// A rendered (scrubbed) transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub text: String,
    /// The whole transcript was cut to `transcript_chars`.
    pub truncated: bool,
    /// How many turns were cut from the middle.
    pub turns_cut: usize,
    /// Characters before the whole-transcript cut (after per-turn cuts).
    pub full_chars: usize,
    /// Characters of `text`.
    pub chars: usize,
}

impl Rendered {
    /// Hex blake3 digest of the text (the cache key's transcript part).
    pub fn digest(&self) -> String {
        blake3::hash(self.text.as_bytes()).to_hex().to_string()
    }
}

/// The marker between head and tail of a cut transcript. Our wording: the cut
/// is mechanical and must not be read as a sign of anything.
pub fn transcript_marker(omitted: usize) -> String {
    format!(
        "\n\n[... TRANSCRIPT SHORTENED: {omitted} characters from the middle of this session were removed only to fit a length limit. \
The removal is mechanical; it is not evidence of anything about the session (not of success, failure, length of effort or content), \
and nothing should be assumed about what the removed part contained ...]\n\n"
    )
}

fn turn_marker(omitted: usize) -> String {
    format!("\n[... {omitted} characters cut from the middle of this turn ...]\n")
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Byte index of the `n`-th char (or the end).
fn byte_at(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// Cuts `s` from the middle to at most `limit` characters including the
/// marker. Returns the text and whether it was cut.
pub fn cut_middle(s: &str, limit: usize) -> (String, bool) {
    let n = char_len(s);
    if n <= limit {
        return (s.to_string(), false);
    }
    // The marker's length depends on the number it carries; use an upper bound.
    let mlen = char_len(&turn_marker(n));
    let keep = limit.saturating_sub(mlen);
    let head = keep / 2;
    let tail = keep - head;
    let h = byte_at(s, head);
    let t = byte_at(s, n - tail);
    let omitted = n - head - tail;
    (
        format!("{}{}{}", &s[..h], turn_marker(omitted), &s[t..]),
        true,
    )
}

fn tool_input(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(m) if m.len() == 1 => match m.values().next() {
            Some(serde_json::Value::String(s)) => {
                format!(
                    "{}: {}",
                    m.keys().next().map(|k| k.as_str()).unwrap_or(""),
                    s
                )
            }
            _ => v.to_string(),
        },
        _ => v.to_string(),
    }
}

fn system_name(k: SystemKind) -> &'static str {
    match k {
        SystemKind::Compaction => "context compacted",
        SystemKind::ApiError => "api error",
        SystemKind::Interruption => "interrupted by user",
        SystemKind::InjectedContext => "context",
        SystemKind::LocalCommand => "local command output",
        SystemKind::Hook => "hook",
        SystemKind::Rejection => "tool use rejected by user",
        SystemKind::Other => "event",
    }
}

/// Header and body of one turn as the classifier sees it.
fn turn_parts(t: &Turn, tool_names: &std::collections::HashMap<&str, &str>) -> (String, String) {
    match t {
        Turn::Human { text, queued, .. } => (
            if *queued {
                "USER (typed while the agent was working)".to_string()
            } else {
                "USER".to_string()
            },
            text.clone(),
        ),
        Turn::Agent { text, .. } => ("ASSISTANT".to_string(), text.clone()),
        Turn::ToolCall {
            name, kind, input, ..
        } => (
            format!("ASSISTANT TOOL CALL {name} ({})", kind.as_str()),
            tool_input(input),
        ),
        Turn::ToolResult {
            id,
            is_error,
            exit_code,
            output,
            ..
        } => {
            let mut h = "TOOL RESULT".to_string();
            if let Some(n) = tool_names.get(id.as_str()) {
                h.push_str(&format!(" {n}"));
            }
            h.push_str(if *is_error { " (error" } else { " (ok" });
            if let Some(c) = exit_code {
                h.push_str(&format!(", exit code {c}"));
            }
            h.push(')');
            (h, output.clone())
        }
        Turn::System { kind, text, .. } => {
            (format!("SYSTEM: {}", system_name(*kind)), text.clone())
        }
    }
}

/// Renders the main session (sub-agent transcripts are not included; their
/// calls and results appear as the parent's tool traffic).
pub fn render(session: &Session, opts: &RenderOptions) -> Rendered {
    let mut names: Vec<String> = Vec::new();
    if let Some(cwd) = &session.cwd {
        names.extend(home_names(cwd));
    }
    let mut tool_names = std::collections::HashMap::new();
    for t in &session.turns {
        let (a, b) = match t {
            Turn::Human { text, .. } | Turn::Agent { text, .. } | Turn::System { text, .. } => {
                (home_names(text), Vec::new())
            }
            Turn::ToolCall {
                id, name, input, ..
            } => {
                tool_names.insert(id.as_str(), name.as_str());
                (home_names(&input.to_string()), Vec::new())
            }
            Turn::ToolResult { output, .. } => (home_names(output), Vec::new()),
        };
        for n in a.into_iter().chain(b) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    if let Some(u) = &session.user {
        // The input-root name is often the person's name or login.
        if !names.contains(u) && !u.contains(['/', '\\']) {
            names.push(u.clone());
        }
    }
    let scrubber = Scrubber::with_names(&names);
    let mut out = String::new();
    let mut turns_cut = 0;
    for t in &session.turns {
        let (head, body) = turn_parts(t, &tool_names);
        let body = scrubber.scrub(&body);
        let head = scrubber.scrub(&head);
        let (body, cut) = cut_middle(body.trim_end(), opts.turn_chars);
        if cut {
            turns_cut += 1;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push('[');
        out.push_str(&head);
        out.push_str("]\n");
        out.push_str(&body);
    }
    let full_chars = char_len(&out);
    let (text, truncated) = cut_transcript(&out, full_chars, opts.transcript_chars);
    let chars = char_len(&text);
    Rendered {
        text,
        truncated,
        turns_cut,
        full_chars,
        chars,
    }
}

/// Keeps head and tail of `s` (`n` chars) within `limit` characters including
/// the marker, cutting at line breaks near the cut points when possible.
fn cut_transcript(s: &str, n: usize, limit: usize) -> (String, bool) {
    if n <= limit {
        return (s.to_string(), false);
    }
    let mlen = char_len(&transcript_marker(n));
    let keep = limit.saturating_sub(mlen);
    let head = keep / 2;
    let tail = keep - head;
    let mut h = byte_at(s, head);
    let mut t = byte_at(s, n - tail);
    // Snap to a line break within the last/first 10% of each piece.
    let slack = (keep / 20).max(1);
    if let Some(i) = s[..h].rfind('\n') {
        if char_len(&s[i..h]) <= slack {
            h = i;
        }
    }
    if let Some(i) = s[t..].find('\n') {
        if char_len(&s[t..t + i]) <= slack {
            t = t + i + 1;
        }
    }
    let omitted = char_len(&s[h..t]);
    (
        format!(
            "{}{}{}",
            s[..h].trim_end_matches('\n'),
            transcript_marker(omitted),
            s[t..].trim_start_matches('\n')
        ),
        true,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Agent, ToolKind};

    fn session(turns: Vec<Turn>) -> Session {
        let mut s = Session::new("r1", Agent::ClaudeCode);
        s.turns = turns;
        s
    }

    fn human(t: &str) -> Turn {
        Turn::Human {
            text: t.into(),
            ts: None,
            queued: false,
        }
    }

    #[test]
    fn renders_all_turn_kinds() {
        let s = session(vec![
            human("please add a retry to the fetcher"),
            Turn::Agent {
                text: "Looking at the fetcher.".into(),
                ts: None,
            },
            Turn::ToolCall {
                id: "t1".into(),
                name: "Bash".into(),
                kind: ToolKind::Shell,
                input: serde_json::json!({"command": "cargo test"}),
                ts: None,
            },
            Turn::ToolResult {
                id: "t1".into(),
                is_error: true,
                exit_code: Some(101),
                output: "test result: FAILED. 3 passed; 1 failed".into(),
                ts: None,
            },
            Turn::System {
                kind: SystemKind::Interruption,
                text: String::new(),
                ts: None,
            },
        ]);
        let r = render(&s, &RenderOptions::default());
        assert!(!r.truncated);
        assert_eq!(r.turns_cut, 0);
        let want = "[USER]\nplease add a retry to the fetcher\n\n[ASSISTANT]\nLooking at the fetcher.\n\n\
[ASSISTANT TOOL CALL Bash (shell)]\ncommand: cargo test\n\n[TOOL RESULT Bash (error, exit code 101)]\n\
test result: FAILED. 3 passed; 1 failed\n\n[SYSTEM: interrupted by user]\n";
        assert_eq!(r.text, want);
        assert_eq!(r.digest().len(), 64);
    }

    #[test]
    fn turns_cut_from_the_middle() {
        let long = format!(
            "{}{}{}",
            "A".repeat(4000),
            "M".repeat(4000),
            "Z".repeat(4000)
        );
        let r = render(
            &session(vec![human(&long)]),
            &RenderOptions {
                turn_chars: 5000,
                transcript_chars: 100_000,
            },
        );
        assert_eq!(r.turns_cut, 1);
        assert!(!r.truncated);
        let body = r.text.strip_prefix("[USER]\n").unwrap();
        assert!(body.chars().count() <= 5000, "{}", body.chars().count());
        assert!(body.starts_with("AAAA") && body.ends_with("ZZZZ"));
        assert!(!body.contains('M'));
        assert!(body.contains("characters cut from the middle of this turn"));
    }

    #[test]
    fn transcript_cut_keeps_head_and_tail_with_marker() {
        let turns: Vec<Turn> = (0..40)
            .map(|i| human(&format!("prompt number {i} {}", "x".repeat(1000))))
            .collect();
        let r = render(&session(turns), &RenderOptions::default());
        assert!(r.truncated);
        assert!(r.chars <= 25000, "{}", r.chars);
        assert!(r.full_chars > 25000);
        assert!(r.text.starts_with("[USER]\nprompt number 0 "));
        assert!(r.text.contains("prompt number 39 "));
        assert!(!r.text.contains("prompt number 20 "));
        assert!(r.text.contains("not evidence of anything"));
        // Configurable limits.
        let r = render(
            &session(vec![human(&"y".repeat(3000))]),
            &RenderOptions {
                turn_chars: 1000,
                transcript_chars: 800,
            },
        );
        assert!(r.truncated && r.chars <= 800 && r.turns_cut == 1);
    }

    #[test]
    fn multibyte_text_is_cut_on_char_boundaries() {
        let long = "é✓漢".repeat(3000);
        let r = render(&session(vec![human(&long)]), &RenderOptions::default());
        assert!(r.text.chars().count() <= 5000 + 10);
    }

    #[test]
    fn secrets_scrubbed_before_cutting_and_names_learnt() {
        let secret = "ghp_Q9w8E7r6T5y4U3i2O1p0A9s8D7f6G5h4J3k2";
        // The secret sits exactly where a naive middle cut would split it.
        let text = format!("{}{}{}", "a".repeat(2480), secret, "b".repeat(2600));
        let s = session(vec![
            human(&text),
            Turn::ToolCall {
                id: "t".into(),
                name: "Read".into(),
                kind: ToolKind::Read,
                input: serde_json::json!({"file_path": "/home/quintessa/notes.txt"}),
                ts: None,
            },
            human("thanks quintessa here, mail q@inbox.lv"),
        ]);
        let r = render(&s, &RenderOptions::default());
        assert!(!r.text.contains("Q9w8E7"), "{}", r.text);
        assert!(!r.text.contains("J3k2"));
        assert!(!r.text.to_lowercase().contains("quintessa"));
        assert!(r.text.contains("/home/[USER]/notes.txt"));
        assert!(r.text.contains("[EMAIL]"));
    }
}
