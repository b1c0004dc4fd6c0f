//! Test runs: shell commands that run a test runner, with pass/fail read from
//! the paired result (exit code, refined by the runner's summary lines when
//! the exit code is hidden by a pipe), never from what the agent said.

use super::command::{self, Segment};
use super::{last_edit_turn, Call, Evidence, EvidenceItem};
use regex::Regex;
use std::sync::LazyLock;

/// Compiles a pattern with ASCII word boundaries: Unicode `\b` cannot run on
/// the fast (DFA) engines once a haystack holds non-ASCII text, and runner
/// output often does (box drawing, arrows, emoji).
fn re(pattern: &str) -> Regex {
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)")).unwrap()
}

/// Test-runner command patterns, matched at the start of a wrapper-stripped
/// segment. The name is what evidence details call the runner.
static RUNNERS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let p = |name: &'static str, pat: &str| (name, re(pat));
    vec![
        p("pytest", r"^(?:\S*/)?(?:py\.test|pytest)(?:\s|$)"),
        p(
            "pytest",
            r"^(?:\S*/)?python[0-9.]*\s+(?:-\S+\s+)*-m\s+pytest\b",
        ),
        p(
            "unittest",
            r"^(?:\S*/)?python[0-9.]*\s+(?:-\S+\s+)*-m\s+unittest\b",
        ),
        p("tox", r"^(?:tox|nox)(?:\s|$)"),
        p(
            "django test",
            r"^(?:\S*/)?python[0-9.]*\s+manage\.py\s+test\b",
        ),
        p("cargo test", r"^cargo\s+(?:\+\S+\s+)?(?:test|t)(?:\s|$)"),
        p("cargo nextest", r"^cargo\s+nextest\s+run\b"),
        p("go test", r"^go\s+test\b"),
        p("jest", r"^(?:\S*/)?jest(?:\s|$)"),
        p("vitest", r"^(?:\S*/)?vitest(?:\s+run)?(?:\s|$)"),
        p("mocha", r"^(?:\S*/)?mocha(?:\s|$)"),
        p("playwright", r"^(?:\S*/)?playwright\s+test\b"),
        p("cypress", r"^(?:\S*/)?cypress\s+run\b"),
        p(
            "npm test",
            r"^(?:npm|pnpm|yarn|bun)\s+(?:--?\S+\s+)*(?:run\s+)?(?:test|t)(?:[:\-]\S*)?(?:\s|$)",
        ),
        p(
            "mvn test",
            r"^(?:\S*/)?(?:mvn|mvnw)\s+(?:\S+\s+)*?(?:test|verify)\b",
        ),
        p(
            "gradle test",
            r"^(?:\S*/)?(?:gradle|gradlew)\s+(?:\S+\s+)*?(?:test|check|\S*:test)\b",
        ),
        p("rspec", r"^(?:\S*/)?rspec(?:\s|$)"),
        p("rake test", r"^(?:\S*/)?(?:rake|rails)\s+(?:test|spec)\b"),
        p("ctest", r"^ctest(?:\s|$)"),
        p(
            "make test",
            r"^g?make\s+(?:(?:-[Cf]\s+\S+|-\S+|\w+=\S*)\s+)*(?:test|tests|check|unittest|test-\S+)(?:\s|$)",
        ),
        p("phpunit", r"^(?:\S*/)?(?:phpunit|pest)(?:\s|$)"),
        p("dotnet test", r"^dotnet\s+test\b"),
        p("mix test", r"^mix\s+test\b"),
        p("swift test", r"^swift\s+test\b"),
        p("deno test", r"^deno\s+test\b"),
        p("zig build test", r"^zig\s+build\s+test\b"),
        p("flutter test", r"^(?:flutter|dart)\s+test\b"),
        p("stack test", r"^(?:stack|cabal)\s+test\b"),
        p("sbt test", r"^(?:sbt|lein)\s+test\b"),
        p("bats", r"^(?:\S*/)?bats\s"),
        p("busted", r"^busted(?:\s|$)"),
        // Nix: flake checks, and test derivations / apps named like tests.
        p("nix flake check", r"^nix\s+flake\s+check\b"),
        p(
            "nix test",
            r"^nix\s+(?:run|build)\s+\S*(?:\btests?\b|#checks?\b)\S*",
        ),
    ]
});

/// Flags that make a runner list, collect or build instead of running.
fn not_a_run(seg: &str) -> bool {
    command::is_help_or_version(seg)
        || seg.split_whitespace().any(|w| {
            matches!(
                w,
                "--collect-only" | "--co" | "--no-run" | "--list" | "--listTests" | "-list"
            )
        })
}

/// The runner a segment starts, if any.
pub fn runner(seg: &str) -> Option<&'static str> {
    if not_a_run(seg) {
        return None;
    }
    RUNNERS
        .iter()
        .find(|(_, re)| re.is_match(seg))
        .map(|(n, _)| *n)
}

/// What a runner's output says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub passed: Option<u64>,
    pub failed: Option<u64>,
    /// An explicit failure marker (FAILED, --- FAIL, BUILD FAILURE, ...).
    pub fail_marker: bool,
    /// An explicit pass marker (test result: ok., ok <pkg>, OK, BUILD SUCCESS, ...).
    pub pass_marker: bool,
}

impl Summary {
    /// Some(true) pass, Some(false) fail, None: the output says nothing.
    pub fn verdict(&self) -> Option<bool> {
        if self.fail_marker || self.failed.is_some_and(|f| f > 0) {
            Some(false)
        } else if self.pass_marker || self.passed.is_some_and(|p| p > 0) {
            Some(true)
        } else {
            None
        }
    }
}

/// Count patterns: (literal the output must contain, regex, group of passed,
/// group of failed). The first family that matches gives the counts (summed
/// over its matches, e.g. one `test result:` line per cargo test binary).
type CountPattern = (&'static str, Regex, usize, usize);
static COUNT_RES: LazyLock<Vec<CountPattern>> = LazyLock::new(|| {
    let p = |pat: &str, pg: usize, fg: usize| {
        // The gate literal: the longest run of plain text in the pattern.
        let lit = GATES
            .iter()
            .find(|g| pat.contains(**g))
            .copied()
            .unwrap_or("");
        (lit, re(pat), pg, fg)
    };
    vec![
        // cargo: test result: ok. 12 passed; 0 failed; ...
        p(r"test result: \w+\. (\d+) passed; (\d+) failed", 1, 2),
        // jest: Tests:       1 failed, 12 passed, 13 total
        p(
            r"(?m)^Tests:\s+(?:(\d+) failed, )?(?:\d+ \w+, )*?(\d+) passed",
            2,
            1,
        ),
        // vitest: Tests  2 failed | 10 passed (12)
        p(r"(?m)^\s*Tests\s+(?:(\d+) failed \| )?(\d+) passed", 2, 1),
        // deno: ok | 5 passed | 0 failed
        p(
            r"(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed",
            1,
            2,
        ),
        // dotnet: Passed!  - Failed:     0, Passed:    12
        p(
            r"(?:Passed|Failed)!\s+-\s+Failed:\s+(\d+), Passed:\s+(\d+)",
            2,
            1,
        ),
        // maven surefire: Tests run: 12, Failures: 1, Errors: 0
        p(r"Tests run: (\d+), Failures: (\d+)", 1, 2),
        // rspec / mix / minitest: 12 examples, 1 failure / 12 tests, 0 failures
        p(r"(\d+) (?:examples?|tests?|runs?), (\d+) failures?", 1, 2),
        // swift: Executed 12 tests, with 1 failure
        p(r"Executed (\d+) tests?, with (\d+) failures?", 1, 2),
        // ctest: 100% tests passed, 0 tests failed out of 12
        p(r"tests passed, (\d+) tests failed out of (\d+)", 2, 1),
    ]
});

/// Literals that gate the count patterns (cheap substring checks first).
const GATES: &[&str] = &[
    "test result: ",
    "Tests:",
    "Tests",
    " passed | ",
    "Failed:",
    "Tests run: ",
    " failure",
    "Executed ",
    "tests passed, ",
];

/// pytest / mocha style: "41 passed", "3 failed", "2 errors", "5 passing", "1 failing".
static WORD_COUNT_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(\d+) (passed|failed|errors?|passing|failing)\b"));
/// pytest's summary line ("=== 2 failed, 41 passed in 1.2s ===" or "41 passed in 0.3s").
static PYTEST_LINE_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^=*\s*(?:\d+ \w+(?:, )?)+ in [\d.]+s\b.*$"));
static MOCHA_LINE_RE: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^\s*\d+ (?:passing|failing)\b"));
static FAIL_MARK_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?m)^(?:FAIL(?:ED)?\b|--- FAIL|FAIL\t|test result: FAILED|BUILD FAILURE|BUILD FAILED",
        r"|FAILURES!|Tests: \d+, Assertions: \d+, (?:Failures|Errors)|not ok \d+",
        r"|ERRORS!|error: test failed|\d+% tests passed, [1-9]\d* tests failed",
        r"|Test Suites: \d+ failed|make: \*\*\* \[\S*test)"
    ))
});
static PASS_MARK_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?m)^(?:ok\s+\S+\s+[\d.]+s|ok\s+\S+\s+\(cached\)|PASS$|test result: ok\.|BUILD SUCCESS",
        r"|OK(?: \(\d+ tests?|$)|100% tests passed|Passed!)"
    ))
});

/// Playwright / generic list summaries: "  3 failed", "  65 passed (3.6m)".
static LIST_LINE_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^\s*(\d+) (passed|failed|flaky)(?: \([\d.]+(?:ms|s|m|h)\))?\s*$"));
static ANSI_RE: LazyLock<Regex> = LazyLock::new(|| re(r"\x1b\[[0-9;?]*[A-Za-z]"));
/// `cmd; echo "Exit code: $?"`: the runner's exit code echoed on the last line.
static ECHOED_EXIT_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:exit(?:[ _]?code|[ _]?status)?|rc|status)\s*[:=]?\s*(-?\d+)\s*$"));

/// How much of the end of an output is read for the summary: runners print
/// their summary last, and reading 30 KB of log per run with a dozen
/// patterns is wasted work.
pub const SUMMARY_TAIL: usize = 12 * 1024;

/// Reads a runner's output (its tail; ANSI colour codes ignored).
pub fn summarize(out: &str) -> Summary {
    let mut start = out.len().saturating_sub(SUMMARY_TAIL);
    while !out.is_char_boundary(start) {
        start += 1;
    }
    let out = &out[start..];
    if out.contains('\x1b') {
        let clean = ANSI_RE.replace_all(out, "");
        return summarize_clean(&clean);
    }
    summarize_clean(out)
}

fn summarize_clean(out: &str) -> Summary {
    let mut s = Summary::default();
    for (lit, re, pg, fg) in COUNT_RES.iter() {
        if !out.contains(lit) {
            continue;
        }
        let mut hit = false;
        for c in re.captures_iter(out) {
            hit = true;
            let num = |g: usize| c.get(g).and_then(|m| m.as_str().parse::<u64>().ok());
            if let Some(p) = num(*pg) {
                *s.passed.get_or_insert(0) += p;
            }
            let f = num(*fg).unwrap_or(0);
            *s.failed.get_or_insert(0) += f;
        }
        if hit {
            break;
        }
    }
    let counts_possible = ["passed", "failed", "passing", "failing", "error"]
        .iter()
        .any(|w| out.contains(w));
    if s.passed.is_none() && s.failed.is_none() && counts_possible {
        // pytest / mocha summaries: only the summary lines, not test names.
        let lines = PYTEST_LINE_RE
            .find_iter(out)
            .chain(MOCHA_LINE_RE.find_iter(out))
            .chain(LIST_LINE_RE.find_iter(out))
            .map(|m| m.as_str());
        for line in lines {
            for c in WORD_COUNT_RE.captures_iter(line) {
                let n: u64 = c[1].parse().unwrap_or(0);
                match &c[2] {
                    "passed" | "passing" => *s.passed.get_or_insert(0) += n,
                    "flaky" => {}
                    _ => *s.failed.get_or_insert(0) += n,
                }
            }
        }
    }
    s.fail_marker = FAIL_MARK_RE.is_match(out);
    s.pass_marker = PASS_MARK_RE.is_match(out);
    s
}

/// One detected test run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub turn: usize,
    pub runner: &'static str,
    /// None: no result (interrupted) or rejected.
    pub pass: Option<bool>,
    pub summary: Summary,
}

/// Verdict of one runner segment from the call's result.
pub fn verdict(call: &Call, seg: &Segment, summary: &Summary) -> Option<bool> {
    let r = call.result?;
    if r.rejected() || command::is_backgrounded(r.output) {
        return None;
    }
    let said = summary.verdict();
    if let Some(code) = echoed_exit(call) {
        return Some(code == 0 && said != Some(false));
    }
    if r.failed() {
        // A clean runner summary in a chain whose failure came from a later
        // command (`pytest && ruff check .`) is still a pass.
        if said == Some(true) && !seg.last && !seg.piped {
            return Some(true);
        }
        Some(false)
    } else {
        // Exit 0, but a pipe may hide the runner's failure: trust its summary.
        Some(said != Some(false))
    }
}

/// The exit code a command echoed itself (`...; echo "exit: $?"`).
fn echoed_exit(call: &Call) -> Option<i32> {
    let cmd = call.command.as_deref()?;
    if !cmd.contains("$?") {
        return None;
    }
    let last = call.output().trim_end().lines().last()?;
    ECHOED_EXIT_RE
        .captures(last)
        .and_then(|c| c[1].parse().ok())
}

pub fn runs(calls: &[Call]) -> Vec<Run> {
    let mut out = Vec::new();
    for c in calls {
        let Some(cmd) = c.command.as_deref() else {
            continue;
        };
        let segs = command::segments(cmd);
        let Some((seg, name)) = segs.iter().find_map(|s| runner(s.text).map(|n| (s, n))) else {
            continue;
        };
        let summary = summarize(c.output());
        out.push(Run {
            turn: c.turn,
            runner: name,
            pass: verdict(c, seg, &summary),
            summary,
        });
    }
    out
}

fn describe(run: &Run) -> String {
    let s = &run.summary;
    match (run.pass, s.passed, s.failed) {
        (Some(false), _, Some(f)) if f > 0 => format!("{}: {f} failed", run.runner),
        (Some(false), _, _) => format!("{}: failed", run.runner),
        (Some(true), Some(p), _) => format!("{}: {p} passed", run.runner),
        (Some(true), _, _) => format!("{}: passed", run.runner),
        (None, _, _) => format!("{}: no result", run.runner),
    }
}

pub fn detect(calls: &[Call], ev: &mut Evidence) {
    let runs = runs(calls);
    if runs.is_empty() {
        return;
    }
    ev.test_runs = runs.len() as u32;
    ev.test_runs_failed = runs.iter().filter(|r| r.pass == Some(false)).count() as u32;
    let last = runs.iter().rev().find(|r| r.pass.is_some());
    ev.tests_pass_at_end = last.and_then(|r| r.pass);
    let last_edit = last_edit_turn(calls);
    if let Some(last) = last {
        let after_edit = last_edit.is_some_and(|e| last.turn > e);
        ev.tests_pass_after_last_edit = after_edit && last.pass == Some(true);
        let mut detail = describe(last);
        if after_edit {
            detail.push_str(" after the last edit");
        } else if last_edit.is_some() {
            detail.push_str(" before the last edit");
        }
        if last.pass == Some(true) && ev.test_runs_failed > 0 {
            detail.push_str(&format!(
                " ({} of {} runs failed earlier)",
                ev.test_runs_failed, ev.test_runs
            ));
        }
        ev.items.push(EvidenceItem::new(
            "test",
            last.turn,
            last.pass == Some(true),
            detail,
        ));
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
    fn recognises_runners_and_not_lookalikes() {
        for cmd in [
            "pytest -q",
            "python3 -m pytest tests/",
            "cargo test --all",
            "cargo nextest run",
            "go test ./...",
            "npx jest --ci",
            "npm test",
            "npm run test:unit",
            "pnpm test",
            "yarn test",
            "bun test",
            "mvn -q test",
            "./gradlew test",
            "bundle exec rspec",
            "rake test",
            "ctest --output-on-failure",
            "make test",
            "make -C build check",
            "vendor/bin/phpunit",
            "dotnet test",
            "mix test",
            "swift test",
            "deno test -A",
            "python -m unittest discover",
            "nix flake check",
            "timeout 60s nix run ./tests#run . -- --jobs 1",
        ] {
            let segs = command::segments(cmd);
            assert!(
                segs.iter().any(|s| runner(s.text).is_some()),
                "not recognised: {cmd}"
            );
        }
        for cmd in [
            "echo pytest",
            "grep -r 'cargo test' .",
            "git commit -m \"run cargo test\"",
            "pytest --collect-only",
            "cargo test --no-run",
            "pip install pytest",
            "make",
            "npm install",
            "cat tests/test_api.py",
            "npm run build",
            "go build ./...",
        ] {
            let segs = command::segments(cmd);
            assert!(
                segs.iter().all(|s| runner(s.text).is_none()),
                "false positive: {cmd}"
            );
        }
    }

    #[test]
    fn parses_summaries() {
        let s = summarize("....\n===== 2 failed, 41 passed in 1.20s =====\n");
        assert_eq!(
            (s.passed, s.failed, s.verdict()),
            (Some(41), Some(2), Some(false))
        );
        let s = summarize("41 passed in 0.31s\n");
        assert_eq!((s.passed, s.verdict()), (Some(41), Some(true)));
        let s = summarize("running 3 tests\ntest result: ok. 3 passed; 0 failed; 0 ignored\n\ntest result: ok. 1 passed; 0 failed;");
        assert_eq!(
            (s.passed, s.failed, s.verdict()),
            (Some(4), Some(0), Some(true))
        );
        let s = summarize("--- FAIL: TestParse (0.00s)\nFAIL\nFAIL\texample.com/pkg\t0.01s\n");
        assert_eq!(s.verdict(), Some(false));
        let s = summarize("ok  \texample.com/pkg\t0.012s\n");
        assert_eq!(s.verdict(), Some(true));
        let s = summarize("Tests:       1 failed, 12 passed, 13 total\n");
        assert_eq!((s.passed, s.failed), (Some(12), Some(1)));
        let s = summarize("[INFO] Tests run: 8, Failures: 0, Errors: 0\n[INFO] BUILD SUCCESS\n");
        assert_eq!(s.verdict(), Some(true));
        let s = summarize("\x1b[1A\x1b[2K  3 failed\n  2 flaky\n  65 passed (3.6m)\n");
        assert_eq!(
            (s.passed, s.failed, s.verdict()),
            (Some(65), Some(3), Some(false))
        );
        let s = summarize(
            "\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m122 passed\x1b[39m | 10 skipped (132)",
        );
        assert_eq!((s.passed, s.verdict()), (Some(122), Some(true)));
        let s = summarize("12 examples, 0 failures\n");
        assert_eq!(
            (s.passed, s.failed, s.verdict()),
            (Some(12), Some(0), Some(true))
        );
        // A test *named* failed is not a failure count.
        let s = summarize("test_login_failed PASSED\n3 passed in 0.1s\n");
        assert_eq!(s.verdict(), Some(true));
        assert_eq!(summarize("nothing here").verdict(), None);
    }

    #[test]
    fn agent_claim_after_a_failing_run_is_not_a_pass() {
        let s = B::new()
            .human("fix the parser")
            .edit("src/parse.py", "a = 1", "a = 2")
            .bash(
                "python -m pytest -q",
                1,
                "F.\n=== 1 failed, 1 passed in 0.2s ===",
            )
            .agent("All tests pass now.")
            .build();
        let e = ev(&s);
        assert_eq!(e.test_runs, 1);
        assert_eq!(e.test_runs_failed, 1);
        assert_eq!(e.tests_pass_at_end, Some(false));
        assert!(!e.tests_pass_after_last_edit);
        assert_eq!(e.items[0].detail, "pytest: 1 failed after the last edit");
    }

    #[test]
    fn pass_after_last_edit() {
        let s = B::new()
            .human("fix it")
            .bash(
                "cargo test",
                101,
                "test result: FAILED. 3 passed; 1 failed;",
            )
            .edit("src/lib.rs", "x - 1", "x + 1")
            .bash("cargo test", 0, "test result: ok. 4 passed; 0 failed;")
            .build();
        let e = ev(&s);
        assert_eq!((e.test_runs, e.test_runs_failed), (2, 1));
        assert_eq!(e.tests_pass_at_end, Some(true));
        assert!(e.tests_pass_after_last_edit);
        assert_eq!(
            e.items[0].detail,
            "cargo test: 4 passed after the last edit (1 of 2 runs failed earlier)"
        );
    }

    #[test]
    fn pipe_hides_exit_code_but_not_the_summary() {
        let s = B::new()
            .human("run the tests")
            .bash(
                "pytest 2>&1 | tail -5",
                0,
                "FAILED tests/test_a.py::test_x\n=== 1 failed, 9 passed in 1.0s ===",
            )
            .build();
        assert_eq!(ev(&s).tests_pass_at_end, Some(false));
    }

    #[test]
    fn codex_exit_code_and_edit_before() {
        let s = B::new()
            .human("add a test")
            .codex_shell("go test ./...", 0, "ok  \texample.com/x\t0.01s")
            .edit("x.go", "a", "b")
            .build();
        let e = ev(&s);
        assert_eq!(e.tests_pass_at_end, Some(true));
        assert!(!e.tests_pass_after_last_edit);
        assert_eq!(e.items[0].detail, "go test: passed before the last edit");
    }

    #[test]
    fn codex_sandbox_failure_is_a_real_failure() {
        let s = B::new()
            .human("add a test")
            .call(
                "shell",
                crate::session::ToolKind::Shell,
                serde_json::json!({"command": ["bash", "-lc", "pytest -q"]}),
                true,
                Some(1),
                "failed in sandbox with execution error: sandbox denied exec error, exit code: 1, stdout: .F\n=== FAILURES ===\n1 failed, 1 passed in 0.1s",
            )
            .build();
        let e = ev(&s);
        assert_eq!((e.test_runs_failed, e.tests_pass_at_end), (1, Some(false)));
    }

    #[test]
    fn interrupted_run_has_no_verdict() {
        let s = B::new()
            .human("test")
            .bash("npm test", 0, "Tests:       5 passed, 5 total")
            .call_only(
                "Bash",
                crate::session::ToolKind::Shell,
                serde_json::json!({"command": "npm test"}),
            )
            .build();
        let e = ev(&s);
        assert_eq!(e.test_runs, 2);
        assert_eq!(e.tests_pass_at_end, Some(true));
    }

    #[test]
    fn echoed_exit_code_and_background_runs() {
        let s = B::new()
            .human("run e2e")
            .bash(
                "npm run test:e2e 2>&1 > /dev/null; echo \"Exit code: $?\"",
                0,
                "server started\n\nExit code: 1",
            )
            .build();
        assert_eq!(ev(&s).tests_pass_at_end, Some(false));
        let s = B::new()
            .human("run e2e")
            .bash(
                "npm run test:e2e",
                0,
                "Command running in background with ID: b1. Output is being written to: /tmp/x",
            )
            .build();
        let e = ev(&s);
        assert_eq!((e.test_runs, e.tests_pass_at_end), (1, None));
    }

    #[test]
    fn no_tests_no_evidence() {
        let s = B::new().human("hi").bash("ls", 0, "a b").build();
        let e = ev(&s);
        assert_eq!(e.test_runs, 0);
        assert_eq!(e.tests_pass_at_end, None);
        assert!(e.items.is_empty());
    }
}
