//! Measure: exact, deterministic telemetry and evidence computed from a
//! [`Session`]. Nothing here guesses: numbers come from the records, evidence
//! from tool results and git, never from the agent's own claims.

pub mod evidence;
pub mod telemetry;

pub use evidence::Evidence;
pub use telemetry::Measures;

use crate::session::Session;

/// Everything measured about one session.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Measured {
    pub measures: Measures,
    pub evidence: Evidence,
}

pub fn measure(session: &Session) -> Measured {
    Measured {
        measures: telemetry::measure(session),
        evidence: evidence::detect(session),
    }
}

#[cfg(test)]
mod robustness {
    //! Bad input never panics: odd bytes, unbalanced quotes, truncated
    //! patches, multi-byte text at every cut point.
    use super::evidence::{command, tests, user_feedback};
    use super::telemetry;

    /// Deterministic pseudo-random strings over a hostile alphabet.
    fn soup(seed: u64, n: usize) -> Vec<String> {
        const PARTS: &[&str] = &[
            "'",
            "\"",
            "\\",
            "$(",
            ")",
            "&&",
            "||",
            "|",
            ";",
            "&",
            "\n",
            ">",
            "2>&1",
            " ",
            "git",
            "commit",
            "pytest",
            "cargo test",
            "[main abc1234] x",
            "→",
            "é",
            "你好",
            "🙂",
            "\x1b[31m",
            "*** Begin Patch",
            "*** Update File: ",
            "+",
            "-",
            "@@",
            "     1→",
            "\t",
            "passed",
            "failed",
            "Exit code ",
            "1",
            "0",
            "test result: ok. ",
            "still",
            "thanks",
            "?",
            ",",
        ];
        let mut x = seed;
        (0..n)
            .map(|_| {
                let mut s = String::new();
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let len = (x >> 58) as usize + 1;
                for _ in 0..len {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    s.push_str(PARTS[(x >> 33) as usize % PARTS.len()]);
                }
                s
            })
            .collect()
    }

    #[test]
    fn helpers_never_panic_on_hostile_text() {
        let mut segs = 0usize;
        for s in soup(7, 3000) {
            segs += command::segments(&s).len();
            let _ = command::exit_code_in_output(&s);
            let _ = command::is_rejection(&s);
            let _ = tests::summarize(&s);
            let _ = user_feedback::classify(&s);
            let _ = telemetry::read_listing(&s);
            let _ = telemetry::words(&s);
            let _ = telemetry::diff_lines(&s, &s[..command::floor_boundary(&s, s.len() / 2)]);
            let mut files = Vec::new();
            let _ = telemetry::patch_lines(&s, &mut files);
            // Every cut point of a multi-byte string.
            for i in 0..s.len() {
                let _ = command::floor_boundary(&s, i);
            }
        }
        assert!(segs > 0, "the soup produced no segments at all");
    }

    #[test]
    fn measure_never_panics_on_hostile_sessions() {
        use crate::session::{Session, ToolKind, Turn};
        use serde_json::json;
        let texts = soup(11, 400);
        for (i, t) in texts.iter().enumerate() {
            let mut s = Session::default();
            let other = &texts[(i * 7 + 3) % texts.len()];
            let calls = [
                ("Bash", ToolKind::Shell, json!({ "command": t })),
                (
                    "shell",
                    ToolKind::Shell,
                    json!({ "command": ["bash", "-lc", t] }),
                ),
                (
                    "Edit",
                    ToolKind::Edit,
                    json!({ "file_path": t, "old_string": t, "new_string": other }),
                ),
                (
                    "Write",
                    ToolKind::Write,
                    json!({ "file_path": "a", "content": t }),
                ),
                ("Read", ToolKind::Read, json!({ "file_path": "a" })),
                (
                    "Write",
                    ToolKind::Write,
                    json!({ "file_path": "a", "content": other }),
                ),
                ("apply_patch", ToolKind::Edit, json!(t)),
                (
                    "MultiEdit",
                    ToolKind::Edit,
                    json!({ "edits": [t, {"old_string": 3}] }),
                ),
                ("gh", ToolKind::Other, json!(null)),
            ];
            s.turns.push(Turn::Human {
                text: other.clone(),
                ts: None,
                queued: false,
            });
            for (n, (name, kind, input)) in calls.into_iter().enumerate() {
                let id = format!("c{n}");
                s.turns.push(Turn::ToolCall {
                    id: id.clone(),
                    name: name.into(),
                    kind,
                    input,
                    ts: None,
                });
                if n % 4 != 3 {
                    s.turns.push(Turn::ToolResult {
                        id,
                        is_error: n % 2 == 0,
                        exit_code: (n % 3 == 0).then_some(n as i32 - 1),
                        output: if n == 4 {
                            format!("     1→{t}")
                        } else {
                            other.clone()
                        },
                        ts: None,
                    });
                }
                s.turns.push(Turn::Human {
                    text: t.clone(),
                    ts: None,
                    queued: n == 2,
                });
            }
            let m = super::measure(&s);
            assert!(m.measures.successful_actions <= m.measures.actions);
            assert!(m.evidence.test_runs_failed <= m.evidence.test_runs);
        }
    }
}
