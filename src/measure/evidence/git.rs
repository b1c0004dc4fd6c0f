//! Git commits and pushes that succeeded, read from git's own output.
//!
//! A commit counts when the output of a `git commit` call shows the commit
//! git made ("[main 1a2b3c4] message"): git prints that line only after the
//! commit exists, so it counts even when a later command of the same line
//! failed (`git commit ... && git push` with a rejected push). "nothing to
//! commit", hook failures and dry runs print no such line. A `git commit -q`
//! with exit code 0 also counts (quiet commits print nothing).
//!
//! A push counts when a `git push` call succeeded and git reported a ref
//! update ("abc..def  main -> main", "[new branch]"); "Everything up-to-date"
//! is a successful command but not a push of new work, so it is not counted.

use super::command;
use super::{Call, Evidence, EvidenceItem};
use regex::Regex;
use std::sync::LazyLock;

static GIT_RE: LazyLock<Regex> = LazyLock::new(|| {
    // git [-C dir] [-c k=v] [--no-pager] <sub>
    Regex::new(r"^(?:\S*/)?git\s+(?:(?:-C|-c)\s+\S+\s+|--\S+\s+)*(commit|push)\b").unwrap()
});
/// "[main 1a2b3c4] message", "[main (root-commit) 1a2b3c4] message",
/// "[detached HEAD 1a2b3c4] message".
static COMMIT_LINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\[[^\]\n]*?(?:\(root-commit\) )?([0-9a-f]{7,40})\] (.*)$").unwrap()
});
static PUSH_REF_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(?:[+*=\-!]\s+)?(?:[0-9a-f]{7,}\.\.\.?[0-9a-f]{7,}|\[new (?:branch|tag)\]|\[new reference\])\s+\S+\s+->\s+\S+").unwrap()
});

/// The git subcommand (commit / push) a segment runs.
fn git_sub(seg: &str) -> Option<&str> {
    GIT_RE.captures(seg).map(|c| c.get(1).unwrap().as_str())
}

fn is_dry_run(seg: &str) -> bool {
    seg.split_whitespace()
        .any(|w| w == "--dry-run" || (w == "-n" && seg.contains("push")))
}

fn trim80(s: &str) -> String {
    let s = s.trim();
    let end = command::floor_boundary(s, 80);
    s[..end].to_string()
}

pub fn detect(calls: &[Call], ev: &mut Evidence) {
    let mut first_commit = None;
    let mut first_push = None;
    for c in calls {
        let Some(cmd) = c.command.as_deref() else {
            continue;
        };
        let segs = command::segments(cmd);
        let mut commit = false;
        let mut quiet_commit = false;
        let mut push = false;
        for s in &segs {
            match git_sub(s.text) {
                Some("commit") if !is_dry_run(s.text) => {
                    commit = true;
                    quiet_commit |= s
                        .text
                        .split_whitespace()
                        .any(|w| w == "-q" || w == "--quiet");
                }
                Some("push") if !is_dry_run(s.text) => push = true,
                _ => {}
            }
        }
        if !commit && !push {
            continue;
        }
        let Some(r) = c.result else {
            if commit {
                ev.commit_attempts_unanswered += 1;
            }
            continue;
        };
        if r.rejected() {
            continue;
        }
        if commit {
            let mut n = 0;
            for cap in COMMIT_LINE_RE.captures_iter(r.output) {
                n += 1;
                ev.commit_messages.push(trim80(&cap[2]));
            }
            if n == 0 && quiet_commit && r.exit() == Some(0) {
                n = 1;
            }
            if n > 0 {
                ev.commits += n;
                first_commit.get_or_insert(c.turn);
            }
        }
        if push && !r.failed() && PUSH_REF_RE.is_match(r.output) {
            ev.pushes += 1;
            first_push.get_or_insert(c.turn);
        }
    }
    if let Some(t) = first_commit {
        let d = if ev.commits == 1 {
            "commit succeeded".to_string()
        } else {
            format!("{} commits succeeded", ev.commits)
        };
        ev.items.push(EvidenceItem::new("commit", t, true, d));
    }
    if let Some(t) = first_push {
        let d = if ev.pushes == 1 {
            "push succeeded".to_string()
        } else {
            format!("{} pushes succeeded", ev.pushes)
        };
        ev.items.push(EvidenceItem::new("push", t, true, d));
    }
}

#[cfg(test)]
mod unit_tests {
    use super::super::fixture::B;
    use super::super::{calls, Evidence};
    use super::*;

    fn ev(s: &crate::session::Session) -> Evidence {
        let mut e = Evidence::default();
        detect(&calls(s), &mut e);
        e
    }

    #[test]
    fn commit_with_output_counts() {
        let s = B::new()
            .human("commit")
            .bash(
                "git add -A && git commit -m \"$(cat <<'EOF'\nAdd parser\nEOF\n)\"",
                0,
                "[main 3f2a9c1] Add parser\n 2 files changed, 40 insertions(+)",
            )
            .build();
        let e = ev(&s);
        assert_eq!(e.commits, 1);
        assert_eq!(e.commit_messages, vec!["Add parser".to_string()]);
        assert_eq!(e.items[0].detail, "commit succeeded");
    }

    #[test]
    fn nothing_to_commit_and_hook_failure_do_not_count() {
        let s = B::new()
            .human("commit")
            .bash(
                "git commit -am wip",
                1,
                "nothing to commit, working tree clean",
            )
            .bash("git commit -m x", 1, "pre-commit hook failed: lint errors")
            .bash("echo 'git commit -m x'", 0, "[main 1234567] x")
            .build();
        let e = ev(&s);
        assert_eq!(e.commits, 0);
        assert!(e.items.is_empty());
    }

    #[test]
    fn commit_survives_a_failed_push_in_the_same_line() {
        let s = B::new()
            .human("commit and push")
            .bash(
                "git commit -m 'Tidy config' && git push",
                128,
                "[master 05c1d2e] Tidy config\n 1 file changed\nfatal: could not read Username",
            )
            .build();
        let e = ev(&s);
        assert_eq!((e.commits, e.pushes), (1, 0));
    }

    #[test]
    fn push_needs_a_ref_update() {
        let s = B::new()
            .human("push")
            .bash("git push", 0, "Everything up-to-date")
            .bash(
                "git push -u origin feature/x",
                0,
                "To example.org:team/app.git\n * [new branch]      feature/x -> feature/x",
            )
            .bash(
                "git push",
                0,
                "To example.org:team/app.git\n   1a2b3c4..5d6e7f8  main -> main",
            )
            .bash(
                "git push",
                1,
                "To example.org:team/app.git\n ! [rejected]        main -> main (fetch first)",
            )
            .build();
        let e = ev(&s);
        assert_eq!(e.pushes, 2);
        assert_eq!(e.items[0].detail, "2 pushes succeeded");
    }

    #[test]
    fn git_by_path_with_options_and_unanswered_attempts() {
        let s = B::new()
            .human("commit")
            .bash(
                "/usr/bin/git --git-dir=$HOME/.cfg/ --work-tree=$HOME commit -m 'Fix paths'",
                0,
                "[master 874cad4] Fix paths\n 2 files changed",
            )
            .call_only(
                "Bash",
                crate::session::ToolKind::Shell,
                serde_json::json!({"command": "git commit -m 'more'"}),
            )
            .build();
        let e = ev(&s);
        assert_eq!((e.commits, e.commit_attempts_unanswered), (1, 1));
    }

    #[test]
    fn codex_commit_with_exit_code() {
        let s = B::new()
            .human("commit")
            .codex_shell(
                "git -C repo commit -m 'Add rules'",
                0,
                "[main (root-commit) abcdef1] Add rules\n 3 files changed",
            )
            .build();
        assert_eq!(ev(&s).commits, 1);
    }
}
