//! Pull requests opened (and merged).
//!
//! Opened PRs are the distinct PR / merge-request URLs from:
//! - PR links the harness itself recorded (`Session::pr_links`);
//! - the output of a call that creates one: `gh pr create`, `hub
//!   pull-request`, `glab mr create`, or a tool whose name says it creates a
//!   pull request (MCP GitHub/GitLab servers), when that call succeeded.
//!
//! A PR URL that merely appears in some output (`gh pr view`, a `git push`
//! hint "Create a pull request ... /pull/new/branch") is not an opened PR:
//! reading or being offered a PR is not evidence that one was opened.
//! Merges count from a successful `gh pr merge` / `glab mr merge`.

use super::command;
use super::{Call, Evidence, EvidenceItem};
use crate::session::Session;
use regex::Regex;
use std::sync::LazyLock;

static PR_URL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"https?://[A-Za-z0-9.\-]+/[\w.\-]+(?:/[\w.\-]+)+/(?:pull|pulls|merge_requests)/\d+")
        .unwrap()
});
static CREATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:gh\s+pr\s+create|hub\s+pull-request|glab\s+mr\s+create)\b",
        // REST: gh api repos/o/r/pulls with a POST (explicit, or implied by fields)
        r"|^gh\s+api\s+(?:.*\s)?\S*/pulls\b.*(?:-X\s*POST|--method\s+POST|\s-f\s|\s-F\s|--field|--raw-field)",
    ))
    .unwrap()
});
static MERGE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:gh\s+pr\s+merge|glab\s+mr\s+merge)\b").unwrap());

fn creates_pr_tool(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    (n.contains("create_pull_request")
        || n.contains("create_merge_request")
        || n.contains("createpullrequest"))
        && !n.contains("review")
}

pub fn detect(session: &Session, calls: &[Call], ev: &mut Evidence) {
    let mut urls: Vec<String> = Vec::new();
    let add = |u: &str, urls: &mut Vec<String>| {
        let u = u.trim_end_matches(['/', '.', ')']);
        if !urls.iter().any(|x| x == u) {
            urls.push(u.to_string());
        }
    };
    for l in &session.pr_links {
        if let Some(m) = PR_URL_RE.find(l) {
            add(m.as_str(), &mut urls);
        }
    }
    let mut first_turn = None;
    for c in calls {
        let (create, merge) = match c.command.as_deref() {
            Some(cmd) => {
                let segs = command::segments(cmd);
                (
                    segs.iter().any(|s| CREATE_RE.is_match(s.text)),
                    segs.iter().any(|s| MERGE_RE.is_match(s.text)),
                )
            }
            None => (creates_pr_tool(c.name), false),
        };
        if !create && !merge {
            continue;
        }
        let Some(r) = c.result else {
            continue;
        };
        if r.rejected() {
            continue;
        }
        if create {
            // `gh pr create` prints the URL of the new PR; it also fails (with
            // the existing URL) when a PR already exists: only successes count.
            if !r.failed() {
                for m in PR_URL_RE.find_iter(r.output) {
                    add(m.as_str(), &mut urls);
                    first_turn.get_or_insert(c.turn);
                }
            }
        }
        if merge && !r.failed() {
            ev.prs_merged += 1;
            ev.items
                .push(EvidenceItem::new("pr", c.turn, true, "PR merged"));
        }
    }
    ev.prs = urls.len() as u32;
    if ev.prs > 0 {
        let d = if ev.prs == 1 {
            "PR opened".to_string()
        } else {
            format!("{} PRs opened", ev.prs)
        };
        ev.items
            .push(EvidenceItem::new("pr", first_turn.unwrap_or(0), true, d));
    }
    ev.pr_urls = urls;
}

#[cfg(test)]
mod unit_tests {
    use super::super::fixture::B;
    use super::super::{calls, Evidence};
    use super::*;
    use crate::session::ToolKind;
    use serde_json::json;

    fn ev(s: &Session) -> Evidence {
        let mut e = Evidence::default();
        detect(s, &calls(s), &mut e);
        e
    }

    #[test]
    fn gh_pr_create_with_url() {
        let s = B::new()
            .human("open a PR")
            .bash(
                "gh pr create --title 'Add cache' --body-file /tmp/body.md",
                0,
                "https://github.com/acme/widgets/pull/42\n",
            )
            .build();
        let e = ev(&s);
        assert_eq!(e.prs, 1);
        assert_eq!(e.pr_urls, vec!["https://github.com/acme/widgets/pull/42"]);
    }

    #[test]
    fn viewing_or_being_offered_a_pr_is_not_opening_one() {
        let s = B::new()
            .human("look at the PR")
            .bash("gh pr view 42", 0, "url: https://github.com/acme/widgets/pull/42")
            .bash(
                "git push -u origin topic",
                0,
                "remote: Create a pull request for 'topic' on GitHub by visiting:\nremote:   https://github.com/acme/widgets/pull/new/topic",
            )
            .bash(
                "gh pr create --fill",
                1,
                "a pull request for branch \"topic\" already exists:\nhttps://github.com/acme/widgets/pull/41",
            )
            .build();
        assert_eq!(ev(&s).prs, 0);
    }

    #[test]
    fn gh_api_post_creates_but_get_does_not() {
        let s = B::new()
            .human("open it via the API")
            .bash(
                "gh api repos/acme/widgets/pulls -f title=Fix -f head=topic -f base=main",
                0,
                "{\"html_url\": \"https://github.com/acme/widgets/pull/9\"}",
            )
            .bash(
                "gh api repos/acme/widgets/pulls",
                0,
                "[{\"html_url\": \"https://github.com/acme/widgets/pull/8\"}]",
            )
            .build();
        assert_eq!(
            ev(&s).pr_urls,
            vec!["https://github.com/acme/widgets/pull/9"]
        );
    }

    #[test]
    fn harness_links_and_mcp_tools_dedupe() {
        let mut s = B::new()
            .human("ship it")
            .call(
                "mcp__github__create_pull_request",
                ToolKind::Other,
                json!({"title": "x"}),
                false,
                None,
                "{\"html_url\": \"https://github.com/acme/widgets/pull/7\"}",
            )
            .bash("gh pr merge 7 --squash", 0, "Merged pull request #7")
            .build();
        s.pr_links
            .push("https://github.com/acme/widgets/pull/7".into());
        let e = ev(&s);
        assert_eq!((e.prs, e.prs_merged), (1, 1));
    }
}
