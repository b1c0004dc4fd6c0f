//! Bad input never panics and never loses records.
//!
//! A deterministic mutation test over every hand-written fixture
//! (tests/fixtures/ and examples/sessions/, every format): each mutant is
//! parsed by its format's `parse` called DIRECTLY (not through
//! `ingest::parse_unit`, which catches panics) and every resulting session
//! is measured, classified (builtin) and turned into a record; a panic anywhere fails the test with the seed, file and
//! mutation that caused it. A second test damages one line at a time and
//! checks that exactly the records of that line are lost, with a warning
//! naming file and line.
//!
//! Seeds are fixed and iterations bounded so this runs in seconds in debug;
//! `AGENTCENSUS_MUTANTS=<n>` (mutants per file, default 60) and
//! `AGENTCENSUS_SEED=<n>` run a longer or different campaign locally.

mod common;
use common::files_under;

use agentcensus::classify::builtin::Builtin;
use agentcensus::classify::{Backend, Input};
use agentcensus::diag::Diagnostics;
use agentcensus::ingest::{self, Format};
use agentcensus::measure;
use agentcensus::record::SessionRecord;
use agentcensus::session::Session;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------- PRNG

/// splitmix64: tiny, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------- fixtures

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fixture groups: folders whose files are planned into units together (a
/// session with its sub-agents and continuations must stay together).
fn groups() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for base in [
        "tests/fixtures/claude_code",
        "examples/sessions/claude-code",
    ] {
        for e in std::fs::read_dir(root().join(base)).unwrap().flatten() {
            if e.path().is_dir() {
                out.push(e.path());
            }
        }
    }
    for g in [
        "tests/fixtures/codex",
        "tests/fixtures/gemini",
        "examples/sessions/codex",
    ] {
        out.push(root().join(g));
    }
    out.sort();
    out
}

/// A private copy of a fixture group, so that mutants never touch the
/// checkout. Removed on drop.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(tag: &str, group: &Path) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "agentcensus-robust-{}-{tag}-{}",
            std::process::id(),
            group.file_name().unwrap().to_string_lossy()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for f in files_under(group) {
            let to = dir.join(f.strip_prefix(group).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&f, &to).unwrap();
        }
        Scratch { dir }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn format_named(name: &str) -> Box<dyn Format> {
    ingest::formats()
        .into_iter()
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("no format {name}"))
}

/// Units (format name, files) of a folder, as the pipeline plans them.
fn units(dir: &Path) -> Vec<(&'static str, Vec<PathBuf>)> {
    let diag = Diagnostics::new(true);
    let files: Vec<(PathBuf, usize)> = files_under(dir).into_iter().map(|p| (p, 0)).collect();
    let (units, _) = ingest::plan_units(&files, &diag);
    let mut out: Vec<_> = units.into_iter().map(|u| (u.format, u.files)).collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

fn all_sessions(ss: &[Session]) -> Vec<&Session> {
    let mut out = Vec::new();
    let mut stack: Vec<&Session> = ss.iter().collect();
    while let Some(s) = stack.pop() {
        out.push(s);
        stack.extend(s.subagents.iter());
    }
    out
}

/// Parses directly (a panic propagates) and runs every session through the
/// rest of the per-session chain as the pipeline does (measure, builtin
/// classify, record), none of which the pipeline guards against panics.
fn parse_and_measure(fmt: &dyn Format, files: &[PathBuf], diag: &Diagnostics) -> Vec<Session> {
    let ss = fmt.parse(files, diag);
    for s in all_sessions(&ss) {
        let m = measure::measure(s);
        assert!(m.measures.successful_actions <= m.measures.actions);
        assert!(m.evidence.test_runs_failed <= m.evidence.test_runs);
        let labels = Builtin
            .classify(&Input {
                session: s,
                measured: &m,
            })
            .unwrap_or_default();
        let _ = SessionRecord::build(s, &m, &labels, "u");
    }
    ss
}

fn prompts(ss: &[Session]) -> usize {
    prompt_texts(ss).len()
}

/// Every human prompt of the sessions and their sub-agents, by session.
fn prompt_texts(ss: &[Session]) -> Vec<String> {
    let mut all = all_sessions(ss);
    all.sort_by(|a, b| a.id.cmp(&b.id));
    all.iter()
        .flat_map(|s| s.human_prompts().map(|p| format!("{}: {p}", s.id)))
        .collect()
}

// ---------------------------------------------------------------- mutations

/// Byte strings that are hostile to parsers: invalid UTF-8, NUL, partial
/// multi-byte sequences, structure characters, newlines.
const HOSTILE: &[&[u8]] = &[
    b"\xff",
    b"\xfe\xff",
    b"\x00",
    b"\xc3",
    b"\xe2\x82",
    b"\xf0\x9f\x99",
    b"\xed\xa0\x80", // UTF-16 surrogate encoded as UTF-8 (invalid)
    b"\n",
    b"\r\n",
    b"\"",
    b"\\",
    b"\\u",
    b"\\ud800",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"null",
    b"1e999",
    b"-",
    "é".as_bytes(),
    "🙂".as_bytes(),
    "你好".as_bytes(),
];

/// Text the parsers and detectors look for (prefixes, tags, markers).
const MARKERS: &[&str] = &[
    "/",
    "/ ",
    "/\u{3000}",
    "/clear ",
    "<command-name>",
    "<command-name>/x</command-name><command-args>",
    "<command-message>",
    "<system-reminder>",
    "<task-notification>",
    "<bash-notification>",
    "<user-prompt-submit-hook>",
    "<user_shell_command>",
    "<turn_aborted>",
    "<image",
    "<image>",
    "</image>",
    "# Context from my IDE setup",
    "# Files mentioned by the user",
    "## My request for Codex:",
    "*** Begin Patch",
    "*** Begin Patch\n*** Update File: ",
    "*** End Patch",
    "*** ",
    "@@ -",
    "--- ",
    "+++ ",
    "diff --git",
    "Exit code",
    "Exit code ",
    "Exit Code: ",
    "Error: Exit code -",
    "Process exited with code ",
    "exit code: ",
    "[Request interrupted by user",
    "This session is being continued from a previous conversation",
    "API Error",
    "Unknown slash command: ",
    "Unknown skill: ",
    "User rejected tool use",
    "Permission for this tool use was denied",
    "hook additional context:",
    " bytes omitted ...]",
    "rollout-",
    "agent-",
    "```",
    "     1\u{2192}",
    "git commit -m ",
    "[main 1a2b3c4] ",
    "test result: ok. ",
    "Traceback",
];

const TIMESTAMPS: &[&str] = &[
    "9999-12-31T23:59:59.999Z",
    "0000-01-01T00:00:00Z",
    "-271821-04-20T00:00:00Z",
    "+275760-09-13T00:00:00Z",
    "99999999-01-01T00:00:00Z",
    "2026-02-03T10:00:00.000+99:99",
    "2026-02-03T10:00:00.000-23:59",
    "2026-02-30T24:60:61Z",
    "2026-02-03T10:00:00.99999999999999999999Z",
    "2026-02-03T10:00:00",
    "2026-02-03",
    "2026-02-03T10:00:00.000Zé",
    "2026-02-03T10:00:00.é00Z",
    "2026-02-03T1é:00:00Z",
];

static NUMBERS: std::sync::LazyLock<Vec<Value>> = std::sync::LazyLock::new(|| {
    vec![
        json!(u64::MAX),
        json!(u64::MAX - 1),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(i64::MIN + 1),
        json!(u32::MAX),
        json!(i32::MIN),
        json!(-1),
        json!(0),
        json!(1e308),
        json!(-1e308),
        json!(0.5),
        json!(-0.0),
        json!(9.223372036854776e18),
    ]
});

/// Values of every JSON type, including awkward ones, used to replace
/// values inside records.
fn replacement(rng: &mut Rng, doc: &Value) -> Value {
    match rng.below(26) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(false),
        3 => json!(0),
        4 => json!(-1),
        5 => json!(1.5),
        6 => json!(1e308),
        7 => json!(-1e308),
        8 => json!(u64::MAX),
        9 => json!(i64::MIN),
        10 => json!(i64::MAX),
        11 => json!(""),
        12 => json!("x"),
        13 => json!("é🙂你好\u{0}\u{FFFD}"),
        14 => json!("-5"),
        15 => json!("99999999999999999999"),
        16 => json!("2026-13-45T99:99:99.999Z"),
        17 => Value::String("ab€".repeat(1 + rng.below(4000))),
        18 => json!([]),
        19 => json!({}),
        20 => json!([1, "a", null, {"type": "text", "text": "é"}, [[]]]),
        21 => json!({"type": "text", "text": 7, "content": [null, 1]}),
        22 => {
            // Deeply nested arrays: below, at and above serde_json's limit.
            let depth = *rng.pick(&[8usize, 60, 126, 127, 140]);
            let mut v = json!([]);
            for _ in 0..depth {
                v = Value::Array(vec![v]);
            }
            v
        }
        23 => {
            let depth = *rng.pick(&[8usize, 60, 126]);
            let mut v = json!({});
            for _ in 0..depth {
                v = json!({ "type": "text", "content": v });
            }
            v
        }
        // Another value of the same document (realistic content in the
        // wrong place).
        _ => {
            let n = count_nodes(doc);
            node(doc, rng.below(n)).cloned().unwrap_or(Value::Null)
        }
    }
}

fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count_nodes).sum(),
        Value::Object(o) => o.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// The k-th node in pre-order.
fn node(v: &Value, k: usize) -> Option<&Value> {
    fn go<'a>(v: &'a Value, k: &mut usize) -> Option<&'a Value> {
        if *k == 0 {
            return Some(v);
        }
        *k -= 1;
        match v {
            Value::Array(a) => a.iter().find_map(|c| go(c, k)),
            Value::Object(o) => o.values().find_map(|c| go(c, k)),
            _ => None,
        }
    }
    let mut k = k;
    go(v, &mut k)
}

fn node_mut(v: &mut Value, k: usize) -> Option<&mut Value> {
    fn go<'a>(v: &'a mut Value, k: &mut usize) -> Option<&'a mut Value> {
        if *k == 0 {
            return Some(v);
        }
        *k -= 1;
        match v {
            Value::Array(a) => a.iter_mut().find_map(|c| go(c, k)),
            Value::Object(o) => o.values_mut().find_map(|c| go(c, k)),
            _ => None,
        }
    }
    let mut k = k;
    go(v, &mut k)
}

/// Edits a string at character level: cuts, multi-byte insertions,
/// repetitions, markup fragments.
fn mutate_string(rng: &mut Rng, s: &str) -> String {
    let bounds: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect();
    let at = *rng.pick(&bounds);
    let ins = *rng.pick(&[
        "é", "🙂", "你好", "\u{0}", "\n", "<", ">", "</", "\"", "\\", "$(", "`", "→", "\u{FFFD}",
    ]);
    match rng.below(8) {
        6 | 7 => {
            // Markers the parsers look for, followed by awkward text.
            let m = *rng.pick(MARKERS);
            let tail = *rng.pick(&[
                "",
                " ",
                "é",
                " é",
                "\u{3000}x",
                "\u{a0}é",
                "-",
                "- ",
                "99999999999",
                ">",
                "<",
            ]);
            format!("{m}{tail}{}", &s[at..])
        }
        0 => s[..at].to_string(),
        1 => s[at..].to_string(),
        2 => format!("{}{ins}{}", &s[..at], &s[at..]),
        3 => s.repeat(2 + rng.below(3)),
        4 => format!("{ins}{s}{ins}"),
        _ => String::new(),
    }
}

/// Replaces 1-3 values of a JSON document; sometimes also splices raw
/// number tokens serde_json cannot represent as a Value.
fn mutate_value(rng: &mut Rng, v: &mut Value) -> String {
    let doc = v.clone();
    let edits = 1 + rng.below(3);
    let mut raw = None;
    for _ in 0..edits {
        let n = count_nodes(v);
        let k = rng.below(n);
        let Some(slot) = node_mut(v, k) else { continue };
        if let Value::String(s) = slot {
            if rng.chance(2) {
                *s = mutate_string(rng, s);
                continue;
            }
            if s.len() >= 10 && s.as_bytes()[4] == b'-' && rng.chance(2) {
                // A timestamp: extreme or malformed dates.
                *s = rng.pick(TIMESTAMPS).to_string();
                continue;
            }
        }
        if slot.is_number() && rng.chance(2) {
            // Keep the type, make the value extreme.
            *slot = rng.pick(&NUMBERS[..]).clone();
            continue;
        }
        if let Value::Object(o) = slot {
            if !o.is_empty() && rng.chance(4) {
                // Drop one key.
                let key = o.keys().nth(rng.below(o.len())).unwrap().clone();
                o.remove(&key);
                continue;
            }
        }
        if raw.is_none() && rng.chance(8) {
            *slot = json!("@@RAW@@");
            raw = Some(*rng.pick(&[
                "123456789012345678901234567890",
                "-123456789012345678901234567890",
                "1E-400",
                "-0",
                "0.0000000000000000000000001",
                "1e400", // out of range: serde_json rejects the line
            ]));
            continue;
        }
        *slot = replacement(rng, &doc);
    }
    let text = serde_json::to_string(v).unwrap();
    match raw {
        Some(r) => text.replacen("\"@@RAW@@\"", r, 1),
        None => text,
    }
}

fn split_lines(data: &[u8]) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(|l| l.to_vec()).collect();
    if data.ends_with(b"\n") {
        lines.pop();
    }
    lines
}

fn join_lines(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    out
}

/// One mutant of `data`; returns the bytes and a short description.
fn mutate(rng: &mut Rng, data: &[u8]) -> (Vec<u8>, String) {
    let whole_doc: Option<Value> = serde_json::from_slice(data).ok();
    let mut lines = split_lines(data);
    let n = lines.len().max(1);
    match rng.below(14) {
        0 => {
            let at = rng.below(data.len() + 1);
            (data[..at].to_vec(), format!("truncate at byte {at}"))
        }
        1 => {
            let mut d = data.to_vec();
            let flips = 1 + rng.below(4);
            for _ in 0..flips {
                if d.is_empty() {
                    break;
                }
                let i = rng.below(d.len());
                d[i] ^= 1 << rng.below(8);
            }
            (d, format!("flip {flips} bits"))
        }
        2 => {
            let mut d = data.to_vec();
            let at = rng.below(d.len() + 1);
            let ins = *rng.pick(HOSTILE);
            d.splice(at..at, ins.iter().copied());
            (d, format!("insert {ins:?} at byte {at}"))
        }
        3 => {
            let mut d = data.to_vec();
            let at = rng.below(d.len() + 1);
            let len = rng.below(64).min(d.len() - at);
            d.drain(at..at + len);
            (d, format!("delete {len} bytes at {at}"))
        }
        4 => {
            let i = rng.below(n).min(lines.len().saturating_sub(1));
            if let Some(l) = lines.get(i).cloned() {
                let times = 1 + rng.below(3);
                for _ in 0..times {
                    lines.insert(i, l.clone());
                }
            }
            (join_lines(&lines), format!("duplicate line {}", i + 1))
        }
        5 => {
            let i = rng.below(n);
            if i < lines.len() {
                lines.remove(i);
            }
            (join_lines(&lines), format!("drop line {}", i + 1))
        }
        6 => {
            let (a, b) = (rng.below(n), rng.below(n));
            if a < lines.len() && b < lines.len() {
                lines.swap(a, b);
            }
            (
                join_lines(&lines),
                format!("swap lines {} and {}", a + 1, b + 1),
            )
        }
        7 => {
            for i in (1..lines.len()).rev() {
                let j = rng.below(i + 1);
                lines.swap(i, j);
            }
            (join_lines(&lines), "shuffle all lines".into())
        }
        8 => {
            let i = rng.below(n);
            if i < lines.len() {
                lines[i] = rng.pick(HOSTILE).to_vec();
            }
            (join_lines(&lines), format!("garbage line {}", i + 1))
        }
        9 => {
            let i = rng.below(n);
            if i < lines.len() {
                lines[i] = b"{}".to_vec();
            }
            (
                join_lines(&lines),
                format!("empty object on line {}", i + 1),
            )
        }
        10 => {
            let blank = *rng.pick(&[&b"{}"[..], b"[]", b"null", b"0", b"\"\""]);
            let all: Vec<Vec<u8>> = lines.iter().map(|_| blank.to_vec()).collect();
            (join_lines(&all), format!("every line {:?}", blank))
        }
        11 => {
            // Strip the trailing newline / add CRLF endings.
            if rng.chance(2) {
                let mut d = data.to_vec();
                while d.last() == Some(&b'\n') {
                    d.pop();
                }
                (d, "no final newline".into())
            } else {
                let crlf: Vec<Vec<u8>> = lines
                    .iter()
                    .map(|l| {
                        let mut l = l.clone();
                        l.push(b'\r');
                        l
                    })
                    .collect();
                (join_lines(&crlf), "CRLF endings".into())
            }
        }
        _ => {
            // Type confusion inside valid JSON.
            if let Some(mut v) = whole_doc {
                let text = mutate_value(rng, &mut v);
                return (text.into_bytes(), "values of the document".into());
            }
            let i = rng.below(n);
            let Some(line) = lines.get(i) else {
                return (data.to_vec(), "unchanged".into());
            };
            let Ok(mut v) = serde_json::from_slice::<Value>(line) else {
                return (data.to_vec(), "unchanged".into());
            };
            lines[i] = mutate_value(rng, &mut v).into_bytes();
            (join_lines(&lines), format!("values of line {}", i + 1))
        }
    }
}

// ---------------------------------------------------------------- tests

/// Runs `f`; a panic is recorded in `fails` with what was being done (all
/// panics of a run are listed at the end, not only the first).
fn guard<T>(
    fails: &mut Vec<String>,
    what: impl FnOnce() -> String,
    f: impl FnOnce() -> T,
) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(v) => Some(v),
        Err(e) => {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            fails.push(format!("PANIC on {}: {msg}", what()));
            None
        }
    }
}

fn no_fails(fails: &[String]) {
    assert!(
        fails.is_empty(),
        "{} panics:\n{}",
        fails.len(),
        fails
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn mutated_fixtures_never_panic() {
    let per_file = env_usize("AGENTCENSUS_MUTANTS", 60);
    let seed = env_usize("AGENTCENSUS_SEED", 0x5eed) as u64;
    let fmts = ingest::formats();
    let mut mutants = 0usize;
    let mut sessions = 0usize;
    let mut warnings = 0usize;
    let mut files_seen = 0usize;
    let mut by_format: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut fails = Vec::new();
    for (gi, group) in groups().iter().enumerate() {
        let scratch = Scratch::new("mut", group);
        let us = units(&scratch.dir);
        assert!(!us.is_empty(), "no units in {}", group.display());
        for (ui, (fname, files)) in us.iter().enumerate() {
            let fmt = format_named(fname);
            for (fi, file) in files.iter().enumerate() {
                files_seen += 1;
                let orig = std::fs::read(file).unwrap();
                let mut rng = Rng(seed ^ ((gi as u64) << 40) ^ ((ui as u64) << 20) ^ fi as u64);
                for m in 0..per_file {
                    let (data, how) = mutate(&mut rng, &orig);
                    std::fs::write(file, &data).unwrap();
                    let what = || {
                        format!(
                            "{} (fixture {}), mutant {m} (seed {seed}): {how}",
                            file.display(),
                            group.display()
                        )
                    };
                    let diag = Diagnostics::new(true);
                    let Some(ss) = guard(&mut fails, what, || {
                        parse_and_measure(fmt.as_ref(), files, &diag)
                    }) else {
                        continue;
                    };
                    mutants += 1;
                    *by_format.entry(fname).or_default() += 1;
                    sessions += all_sessions(&ss).len();
                    let ws = diag.take();
                    for w in &ws {
                        assert!(
                            files.contains(&w.file) || w.file.starts_with(&scratch.dir),
                            "warning names a file outside the unit: {w} ({})",
                            what()
                        );
                    }
                    warnings += ws.len();
                    // Recognising the format and grouping files must not
                    // panic either (plan_units does not catch panics).
                    let head = &data[..data.len().min(ingest::SNIFF_BYTES)];
                    for other in &fmts {
                        guard(
                            &mut fails,
                            || format!("{} sniff/unit_key by {}", what(), other.name()),
                            || (other.sniff(file, head), other.unit_key(file, head)),
                        );
                    }
                    // Every few mutants, the file alone through every other
                    // format too: a parser must survive foreign files.
                    if m % 6 == 0 {
                        for other in &fmts {
                            let diag = Diagnostics::new(true);
                            guard(
                                &mut fails,
                                || format!("{} as {}", what(), other.name()),
                                || {
                                    parse_and_measure(
                                        other.as_ref(),
                                        std::slice::from_ref(file),
                                        &diag,
                                    )
                                },
                            );
                        }
                    }
                }
                std::fs::write(file, &orig).unwrap();
            }
        }
    }
    eprintln!(
        "robustness: {mutants} mutants of {files_seen} fixture files {by_format:?}: \
         {sessions} sessions parsed and measured, {warnings} warnings, no panic"
    );
    no_fails(&fails);
    assert!(
        files_seen >= 20,
        "too few fixture files found: {files_seen}"
    );
    assert!(sessions > 0 && warnings > 0);
}

/// The measure stage's own fixtures are normalized sessions: mutate their
/// values, then deserialize (as `import` would, via the session JSONL
/// format, parsed directly) and measure.
#[test]
fn mutated_normalized_sessions_never_panic() {
    let per_file = env_usize("AGENTCENSUS_MUTANTS", 60) * 3;
    let seed = env_usize("AGENTCENSUS_SEED", 0x5eed) as u64;
    let fmt = format_named("agentcensus-session");
    let dir = std::env::temp_dir().join(format!("agentcensus-robust-{}-norm", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut measured = 0usize;
    let mut mutants = 0usize;
    let mut fails = Vec::new();
    let fixtures = files_under(&root().join("tests/fixtures/measure"));
    assert!(!fixtures.is_empty());
    for (fi, f) in fixtures.iter().enumerate() {
        let orig: Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        let mut rng = Rng(seed ^ (fi as u64) << 32);
        let path = dir.join(format!("{fi}.jsonl"));
        for m in 0..per_file {
            let mut v = orig.clone();
            if v.get("schema").is_none() {
                v["schema"] = json!(1);
            }
            // Half the mutants edit only strings, so that most still
            // deserialize and reach the measure stage.
            let line = if m % 2 == 0 {
                for _ in 0..1 + rng.below(4) {
                    let k = rng.below(count_nodes(&v));
                    if let Some(Value::String(t)) = node_mut(&mut v, k) {
                        *t = mutate_string(&mut rng, t);
                    }
                }
                serde_json::to_string(&v).unwrap()
            } else {
                mutate_value(&mut rng, &mut v)
            };
            std::fs::write(&path, format!("{line}\n")).unwrap();
            let diag = Diagnostics::new(true);
            let what = || format!("{} mutant {m} (seed {seed}): {line:.300}", f.display());
            let ss = guard(&mut fails, what, || {
                parse_and_measure(fmt.as_ref(), std::slice::from_ref(&path), &diag)
            });
            measured += ss.map_or(0, |s| s.len());
            mutants += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("robustness: {mutants} normalized-session mutants, {measured} measured, no panic");
    no_fails(&fails);
    assert!(measured > 0, "no mutant deserialized at all");
}

/// Line-level damage loses exactly the damaged line's records: replacing one
/// line of a JSONL fixture with invalid JSON gives the same prompts as
/// dropping that line (so at most one prompt is lost, and none when the line
/// was not a prompt), and a warning names file:line.
#[test]
fn a_corrupted_line_loses_only_its_own_records() {
    const GARBAGE: &[&[u8]] = &[
        b"{\"type\":\"user\",\"message\":{\"role\":\"us",
        b"\xff\xfe\x00 not json",
        b"[1,2",
        b"{\"type\":\"response_item\",\"payload\":}",
    ];
    let mut lines_checked = 0usize;
    let mut prompt_lines = 0usize;
    for group in groups() {
        let scratch = Scratch::new("lines", &group);
        for (fname, files) in units(&scratch.dir) {
            if fname == "gemini" {
                continue; // one JSON document per file, not line-oriented
            }
            let fmt = format_named(fname);
            let base_diag = Diagnostics::new(true);
            let base = prompt_texts(&fmt.parse(&files, &base_diag));
            for file in &files {
                let orig = std::fs::read(file).unwrap();
                let lines = split_lines(&orig);
                for i in 0..lines.len() {
                    if lines[i].iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    // Reference: the line is absent.
                    let mut dropped = lines.clone();
                    dropped[i] = Vec::new();
                    std::fs::write(file, join_lines(&dropped)).unwrap();
                    let d = Diagnostics::new(true);
                    let without = prompt_texts(&fmt.parse(&files, &d));

                    let mut bad = lines.clone();
                    bad[i] = GARBAGE[i % GARBAGE.len()].to_vec();
                    std::fs::write(file, join_lines(&bad)).unwrap();
                    let diag = Diagnostics::new(true);
                    let got = prompt_texts(&fmt.parse(&files, &diag));
                    let ws = diag.take();
                    let place = format!("{}:{}", file.display(), i + 1);
                    assert!(
                        ws.iter()
                            .any(|w| &w.file == file && w.line == Some(i as u64 + 1)),
                        "no warning names {place}: {:?}",
                        ws.iter().map(|w| w.to_string()).collect::<Vec<_>>()
                    );
                    // At most the line's own prompt is lost. (More prompts
                    // are possible: a damaged Codex fork header no longer
                    // says which copied history to skip.)
                    assert!(
                        got.len() + 1 >= base.len(),
                        "{place}: {} prompts before, {} after corrupting one line",
                        base.len(),
                        got.len()
                    );
                    assert_eq!(
                        got, without,
                        "{place}: corrupting the line and dropping it give different prompts"
                    );
                    lines_checked += 1;
                    if got.len() < base.len() {
                        prompt_lines += 1;
                    }
                }
                std::fs::write(file, &orig).unwrap();
            }
        }
    }
    eprintln!(
        "robustness: {lines_checked} lines corrupted one at a time, {prompt_lines} of them \
         prompt lines; each lost exactly its own prompt"
    );
    assert!(lines_checked > 100 && prompt_lines > 10);
}

/// Keys whose string value says what kind of record, block or item this is.
const KIND_KEYS: &[&str] = &[
    "type",
    "subtype",
    "operation",
    "kind",
    "status",
    "role",
    "level",
    "record_type",
    "entrypoint",
    "originator",
    "source",
    "name",
];

/// Pre-order indexes (as [`node`] counts) of string values under KIND_KEYS.
fn kind_slots(doc: &Value) -> Vec<usize> {
    fn go(v: &Value, key: Option<&str>, n: &mut usize, out: &mut Vec<usize>) {
        if v.is_string() && key.is_some_and(|k| KIND_KEYS.contains(&k)) {
            out.push(*n);
        }
        *n += 1;
        match v {
            Value::Array(a) => a.iter().for_each(|c| go(c, None, n, out)),
            Value::Object(o) => o.iter().for_each(|(k, c)| go(c, Some(k), n, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    go(doc, None, &mut 0, &mut out);
    out
}

/// Every kind value found in any fixture (all formats together, so a
/// Codex item type also lands in a Claude Code record).
fn kind_vocabulary() -> Vec<String> {
    let mut set = std::collections::BTreeSet::new();
    let mut docs = Vec::new();
    for g in groups() {
        for f in files_under(&g) {
            let data = std::fs::read(&f).unwrap();
            match serde_json::from_slice::<Value>(&data) {
                Ok(v) => docs.push(v),
                Err(_) => docs.extend(
                    split_lines(&data)
                        .iter()
                        .filter_map(|l| serde_json::from_slice::<Value>(l).ok()),
                ),
            }
        }
    }
    for d in &docs {
        for n in kind_slots(d) {
            if let Some(Value::String(s)) = node(d, n) {
                set.insert(s.clone());
            }
        }
    }
    set.into_iter().collect()
}

/// Every string and number of every record, replaced in turn (one per
/// parse) with hostile text (a marker the parsers look for followed by
/// awkward characters) or an extreme number. Random mutation rarely hits a
/// specific field with a specific marker; this sweep hits every field.
#[test]
fn every_value_replaced_with_hostile_content() {
    const TAILS: &[&str] = &[
        "",
        " ",
        "é",
        " é",
        "\u{3000}x",
        "\u{a0}é",
        "-",
        "- ",
        "99999999999",
        ">",
        "<",
        "\n",
    ];
    let kinds = kind_vocabulary();
    let mut fails = Vec::new();
    let mut parses = 0usize;
    // Which marker, tail and number goes where: another seed, other pairs.
    let mut k = env_usize("AGENTCENSUS_SEED", 0);
    for group in groups() {
        let scratch = Scratch::new("sweep", &group);
        for (fname, files) in units(&scratch.dir) {
            let fmt = format_named(fname);
            for file in &files {
                let orig = std::fs::read(file).unwrap();
                // (document or line, node) pairs to replace.
                let whole: Option<Value> = serde_json::from_slice(&orig).ok();
                let lines = split_lines(&orig);
                let docs: Vec<(Option<usize>, Value)> = match whole {
                    Some(v) => vec![(None, v)],
                    None => lines
                        .iter()
                        .enumerate()
                        .filter_map(|(i, l)| Some((Some(i), serde_json::from_slice(l).ok()?)))
                        .collect(),
                };
                for (line, doc) in &docs {
                    // (node, replacement) pairs: every string and number, and
                    // every record-kind field retyped to other kinds.
                    let mut edits: Vec<(usize, Value)> = Vec::new();
                    for n in 0..count_nodes(doc) {
                        match node(doc, n) {
                            Some(Value::String(old)) => {
                                k += 1;
                                let m = MARKERS[k % MARKERS.len()];
                                let t = TAILS[(k / MARKERS.len()) % TAILS.len()];
                                // Alternately alone and in front of the old text.
                                let keep = if k % 3 == 0 { old.as_str() } else { "" };
                                edits.push((n, Value::String(format!("{m}{t}{keep}"))));
                            }
                            Some(Value::Number(_)) => {
                                k += 1;
                                edits.push((n, NUMBERS[k % NUMBERS.len()].clone()));
                            }
                            _ => {}
                        }
                    }
                    for n in kind_slots(doc) {
                        // One other kind per field (which one rotates; a
                        // different AGENTCENSUS_SEED picks others).
                        k += 1;
                        edits.push((n, Value::String(kinds[k % kinds.len()].clone())));
                    }
                    for (n, new) in edits {
                        let mut v = doc.clone();
                        *node_mut(&mut v, n).unwrap() = new;
                        let text = serde_json::to_vec(&v).unwrap();
                        let data = match line {
                            None => text,
                            Some(i) => {
                                let mut ls = lines.clone();
                                ls[*i] = text;
                                join_lines(&ls)
                            }
                        };
                        std::fs::write(file, &data).unwrap();
                        let diag = Diagnostics::new(true);
                        let what = || {
                            format!(
                                "{} line {:?} node {n}: {}",
                                file.display(),
                                line.map(|i| i + 1),
                                String::from_utf8_lossy(&data)
                                    .chars()
                                    .take(400)
                                    .collect::<String>()
                            )
                        };
                        guard(&mut fails, what, || {
                            parse_and_measure(fmt.as_ref(), &files, &diag)
                        });
                        parses += 1;
                    }
                }
                std::fs::write(file, &orig).unwrap();
            }
        }
    }
    eprintln!("robustness: {parses} single-value replacements parsed and measured");
    no_fails(&fails);
    assert!(parses > 1000);
}

/// File names are input too: multi-byte characters where the formats look
/// for a uuid or a prefix (`rollout-...-<uuid>`, `agent-<id>`, `session-`),
/// spaces, bare prefixes. Planning (sniff + unit key, which `plan_units`
/// does not guard) and parsing must not panic.
#[test]
fn hostile_file_names_never_panic() {
    const TAIL: &str = "0199f0a1-2b3c-7d4e-8f50-6a7b8c9d0e1f";
    let mut stems = Vec::new();
    for prefix in [
        "rollout-",
        "rollout-2025-11-04T09-15-02-",
        "agent-",
        "session-",
        "",
    ] {
        for filler in ["", "é", "abé", "🙂", "x\u{3000}"] {
            for cut in [0usize, 1, 2, 3] {
                // A uuid-sized tail whose start falls inside a multi-byte
                // character at several offsets.
                stems.push(format!("{prefix}{filler}{}", &TAIL[cut..]));
            }
        }
    }
    stems.extend([
        "é".repeat(40),
        " ".into(),
        "-".into(),
        "agent-".into(),
        "rollout-".into(),
    ]);
    let fmts = ingest::formats();
    let mut fails = Vec::new();
    let mut parsed = 0usize;
    let dir = std::env::temp_dir().join(format!("agentcensus-robust-{}-names", std::process::id()));
    for group in groups() {
        // Two files per fixture group: names matter here, not contents.
        for (fi, src) in files_under(&group).iter().take(2).enumerate() {
            let ext = src.extension().and_then(|e| e.to_str()).unwrap_or("jsonl");
            let data = std::fs::read(src).unwrap();
            let head = &data[..data.len().min(ingest::SNIFF_BYTES)];
            let _ = std::fs::remove_dir_all(&dir);
            let mut copies = Vec::new();
            for (k, stem) in stems.iter().enumerate() {
                // Some copies in a `subagents` folder under a hostile session
                // folder, as Claude Code 2.1 lays sub-agents out.
                let p = if k % 5 == 0 {
                    dir.join(stem)
                        .join("subagents")
                        .join(format!("{stem}.{ext}"))
                } else {
                    dir.join(format!("{stem}.{ext}"))
                };
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, &data).unwrap();
                for f in &fmts {
                    guard(
                        &mut fails,
                        || format!("{} named {} by {}", src.display(), p.display(), f.name()),
                        || (f.sniff(&p, head), f.unit_key(&p, head)),
                    );
                }
                copies.push((p, 0usize));
            }
            let diag = Diagnostics::new(true);
            let planned = guard(
                &mut fails,
                || format!("plan_units over copies of {} ({fi})", src.display()),
                || ingest::plan_units(&copies, &diag),
            );
            for u in planned.map(|p| p.0).unwrap_or_default() {
                let fmt = format_named(u.format);
                let ss = guard(
                    &mut fails,
                    || format!("parse {:?} (copies of {})", u.files, src.display()),
                    || parse_and_measure(fmt.as_ref(), &u.files, &diag),
                );
                parsed += ss.map_or(0, |s| s.len());
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "robustness: fixtures copied under {} hostile names, {parsed} sessions",
        stems.len()
    );
    no_fails(&fails);
    assert!(parsed > 0);
}

/// Gemini chats are one JSON document, so a byte-level error loses the file
/// (named with its line). Damage inside valid JSON must stay local: one
/// message replaced by a value of another type loses at most that message's
/// prompt, the same as removing it.
#[test]
fn a_damaged_gemini_message_loses_only_itself() {
    let scratch = Scratch::new("gemini-msg", &root().join("tests/fixtures/gemini"));
    let fmt = format_named("gemini");
    let mut checked = 0usize;
    for (_, files) in units(&scratch.dir) {
        let base = prompts(&fmt.parse(&files, &Diagnostics::new(true)));
        for file in &files {
            let orig = std::fs::read(file).unwrap();
            let Ok(doc) = serde_json::from_slice::<Value>(&orig) else {
                continue; // the cut-off fixture
            };
            let n = doc["messages"].as_array().map_or(0, |a| a.len());
            for k in 0..n {
                let mut removed = doc.clone();
                removed["messages"].as_array_mut().unwrap().remove(k);
                std::fs::write(file, serde_json::to_vec(&removed).unwrap()).unwrap();
                let without = prompts(&fmt.parse(&files, &Diagnostics::new(true)));
                for bad in [json!(null), json!(7), json!("x"), json!([]), json!({})] {
                    let mut d = doc.clone();
                    d["messages"][k] = bad.clone();
                    std::fs::write(file, serde_json::to_vec(&d).unwrap()).unwrap();
                    let got = prompts(&fmt.parse(&files, &Diagnostics::new(true)));
                    assert!(
                        got + 1 >= base && got == without,
                        "{} message {k} replaced by {bad}: {got} prompts, {base} before, \
                         {without} without the message",
                        file.display()
                    );
                    checked += 1;
                }
            }
            std::fs::write(file, &orig).unwrap();
        }
    }
    assert!(checked > 20, "only {checked} damaged messages checked");
}
