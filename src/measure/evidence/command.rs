//! Shell command helpers shared by the detectors: extracting the command text
//! from a tool input, splitting it into simple commands (quote-aware), and
//! stripping wrappers (`sudo`, `FOO=1`, `npx`, `uv run`, ...) so that each
//! detector can match the program at the start of a segment.

use crate::session::ToolKind;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Tool names that run shell commands even when ingest filed them under
/// another kind.
const SHELL_NAMES: &[&str] = &[
    "bash",
    "shell",
    "exec_command",
    "local_shell",
    "local_shell_call",
    "run_shell_command",
    "execute_command",
    "run_terminal_cmd",
    "run_command",
    "terminal",
    "mcp__acp__bash",
];

fn is_shell_name(name: &str) -> bool {
    SHELL_NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
}

/// The command text of a shell call: `{"command": "..."}` (Claude Code Bash),
/// `{"command": ["bash", "-lc", "..."]}` (Codex shell), `{"cmd": "..."}`
/// (Codex exec_command), or a bare string input.
pub fn shell_command<'a>(
    name: &str,
    kind: ToolKind,
    input: &'a serde_json::Value,
) -> Option<Cow<'a, str>> {
    if kind != ToolKind::Shell && !is_shell_name(name) {
        return None;
    }
    use serde_json::Value;
    let v = match input {
        Value::String(s) => return Some(Cow::Borrowed(s.as_str())),
        Value::Object(o) => o
            .get("command")
            .or_else(|| o.get("cmd"))
            .or_else(|| o.get("argv"))?,
        _ => return None,
    };
    match v {
        Value::String(s) => Some(Cow::Borrowed(s.as_str())),
        Value::Array(a) => {
            let parts: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
            // ["bash", "-lc", "cmd"]: the script is the command.
            if parts.len() >= 3 {
                let prog = parts[0].rsplit('/').next().unwrap_or("");
                if matches!(prog, "bash" | "sh" | "zsh" | "dash" | "fish")
                    && parts[1].starts_with('-')
                    && parts[1].contains('c')
                {
                    return Some(Cow::Borrowed(parts[2]));
                }
            }
            match parts.len() {
                0 => None,
                1 => Some(Cow::Borrowed(parts[0])),
                _ => Some(Cow::Owned(parts.join(" "))),
            }
        }
        _ => None,
    }
}

static EXIT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\A\s*(?:Exit code:? |Process exited with code |exit code:? |Exited with code )(-?\d+)",
    )
    .unwrap()
});
static EXIT_LINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    // Codex tails: "Process exited with code 1" on a line of its own near the top.
    Regex::new(r"(?m)^(?:Process exited with code|Exit code:) (-?\d+)\s*$").unwrap()
});

/// Exit code written at the head of a tool output, if any.
pub fn exit_code_in_output(out: &str) -> Option<i32> {
    if let Some(c) = EXIT_RE.captures(out) {
        return c[1].parse().ok();
    }
    // Only look at the first few lines (the header of a Codex output).
    let head = head_lines(out, 4);
    EXIT_LINE_RE.captures(head).and_then(|c| c[1].parse().ok())
}

fn head_lines(s: &str, n: usize) -> &str {
    let mut end = 0;
    for (i, line) in s.split_inclusive('\n').enumerate() {
        if i == n {
            break;
        }
        end += line.len();
    }
    &s[..end]
}

/// The person or the harness refused the call (not an error of the work).
pub fn is_rejection(out: &str) -> bool {
    let head = &out[..floor_boundary(out, 200)];
    head.contains("doesn't want to proceed")
        || head.contains("doesn't want to take this action")
        || head.contains("Permission for this tool use was denied")
        || head.contains("[Request interrupted by user")
        || head.contains("Cancelled: parallel tool call")
        || head.contains("rejected by user")
        || head.contains("user rejected")
        || head.contains("aborted by user")
        // The harness blocked the command by policy, not the work failing.
        // (Codex's "failed in sandbox ... sandbox denied exec error" is not
        // listed: Codex writes it for any non-zero exit inside its sandbox,
        // real test failures included.)
        || (head.contains("was blocked") && head.contains("For security"))
}

/// The harness moved the command to the background: no verdict yet.
pub fn is_backgrounded(out: &str) -> bool {
    out.starts_with("Command running in background")
}

pub fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One simple command of a command line, with its position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment<'a> {
    /// The simple command with wrappers stripped (program first).
    pub text: &'a str,
    /// Output is piped into another command (`cmd | tail`): its exit code is hidden.
    pub piped: bool,
    /// Last segment of the line (its exit code is the line's exit code).
    pub last: bool,
}

/// Splits a command line on unquoted `&&`, `||`, `;`, `|`, `&` and newlines
/// (quotes and `$( )` nesting respected), strips wrappers from each piece and
/// drops empty ones.
pub fn segments(cmd: &str) -> Vec<Segment<'_>> {
    let b = cmd.as_bytes();
    let mut out: Vec<Segment> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut sq = false;
    let mut dq = false;
    let mut depth = 0u32;
    while i < b.len() {
        let c = b[i];
        if sq {
            if c == b'\'' {
                sq = false;
            }
            i += 1;
            continue;
        }
        match c {
            b'\\' => {
                i += 2;
                continue;
            }
            b'\'' if !dq => sq = true,
            b'"' => dq = !dq,
            b'(' if i > 0 && b[i - 1] == b'$' => depth += 1,
            b')' if depth > 0 => depth -= 1,
            _ if dq || depth > 0 => {}
            b'\n' | b';' => {
                push(&mut out, &cmd[start..i], false);
                start = i + 1;
            }
            b'&' | b'|' => {
                let double = i + 1 < b.len() && b[i + 1] == c;
                // `2>&1`, `&>`: redirections, not separators.
                let redirect = c == b'&'
                    && ((i > 0 && b[i - 1] == b'>') || (i + 1 < b.len() && b[i + 1] == b'>'));
                if !redirect {
                    let piped = c == b'|' && !double;
                    push(&mut out, &cmd[start..i], piped);
                    i += if double { 2 } else { 1 };
                    start = i;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if start < cmd.len() {
        push(&mut out, &cmd[start..], false);
    }
    if let Some(l) = out.last_mut() {
        l.last = true;
    }
    out
}

static WRAPPER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^(?:\s+|[({!]\s*|[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)\s+|(?:sudo(?:\s+-\S+)*|time|env|nice|nohup|command|exec|xvfb-run(?:\s+-a)?|npx(?:\s+--yes|\s+-y)?|pnpx|bunx|yarn\s+dlx|pnpm\s+(?:exec|dlx)|npm\s+exec(?:\s+--)?|(?:uv|poetry|pipenv|pdm|hatch|rye|pixi)\s+run|bundle\s+exec|dotenv(?:\s+--)?|timeout\s+\S+|stdbuf\s+\S+)\s+)+"#,
    )
    .unwrap()
});

fn push<'a>(out: &mut Vec<Segment<'a>>, s: &'a str, piped: bool) {
    let t = strip_wrappers(s);
    if !t.is_empty() {
        out.push(Segment {
            text: t,
            piped,
            last: false,
        });
    }
}

/// Removes leading wrappers (env assignments, sudo, npx, `uv run`, ...) and
/// surrounding whitespace.
pub fn strip_wrappers(s: &str) -> &str {
    let s = s.trim();
    let s = match WRAPPER_RE.find(s) {
        Some(m) => &s[m.end()..],
        None => s,
    };
    s.trim_end_matches([')', '}', ' ', '\t', '\r']).trim()
}

/// The program name of a segment (basename of the first word).
pub fn program(seg: &str) -> &str {
    let first = seg.split_whitespace().next().unwrap_or("");
    let first = first.trim_matches(['"', '\'']);
    first.rsplit('/').next().unwrap_or(first)
}

/// Asking for help or a version is not a run.
pub fn is_help_or_version(seg: &str) -> bool {
    seg.split_whitespace()
        .any(|w| matches!(w, "--help" | "-h" | "--version" | "-V" | "help"))
}

#[cfg(test)]
mod unit_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn splits_on_operators_but_not_in_quotes() {
        let s = segments("cd app && FOO=1 npx jest --ci 2>&1 | tail -20; git commit -m \"a && b\"");
        let t: Vec<&str> = s.iter().map(|s| s.text).collect();
        assert_eq!(
            t,
            vec![
                "cd app",
                "jest --ci 2>&1",
                "tail -20",
                "git commit -m \"a && b\""
            ]
        );
        assert!(s[1].piped);
        assert!(!s[0].piped);
        assert!(s[3].last);
    }

    #[test]
    fn heredoc_in_command_substitution_stays_one_segment() {
        let s = segments("git commit -m \"$(cat <<'EOF'\nFix it; really\n\nEOF\n)\"");
        assert_eq!(s.len(), 1);
        assert!(s[0].text.starts_with("git commit"));
    }

    #[test]
    fn strips_wrappers() {
        assert_eq!(
            strip_wrappers("  sudo -E env CI=1 uv run pytest -q"),
            "pytest -q"
        );
        assert_eq!(strip_wrappers("(cd x"), "cd x");
        assert_eq!(program("./node_modules/.bin/jest --ci"), "jest");
    }

    #[test]
    fn extracts_commands_from_inputs() {
        let cc = json!({"command": "cargo test"});
        assert_eq!(
            shell_command("Bash", ToolKind::Shell, &cc).as_deref(),
            Some("cargo test")
        );
        let cx = json!({"command": ["bash", "-lc", "go test ./..."]});
        assert_eq!(
            shell_command("shell", ToolKind::Shell, &cx).as_deref(),
            Some("go test ./...")
        );
        let ex = json!({"cmd": "ls -la"});
        assert_eq!(
            shell_command("exec_command", ToolKind::Other, &ex).as_deref(),
            Some("ls -la")
        );
        assert_eq!(shell_command("Read", ToolKind::Read, &cc), None);
        let argv = json!({"argv": ["bash", "-lc", "pytest -q"]});
        assert_eq!(
            shell_command("shell", ToolKind::Shell, &argv).as_deref(),
            Some("pytest -q")
        );
    }

    #[test]
    fn reads_exit_codes_from_outputs() {
        assert_eq!(exit_code_in_output("Exit code 2\nboom"), Some(2));
        assert_eq!(
            exit_code_in_output("Exit code: 1\nWall time: 0.2 seconds\nOutput:\n"),
            Some(1)
        );
        assert_eq!(
            exit_code_in_output("Chunk ID: 1\nWall time: 1s\nProcess exited with code 0\nOutput:"),
            Some(0)
        );
        assert_eq!(exit_code_in_output("all fine"), None);
    }
}
