//! `agentcensus generate -o DIR -n N --users U --seed S`: realistic synthetic
//! Claude Code sessions for scale tests and demos. Everything here is invented
//! (templates written for this project): people with an expertise level, a few
//! projects each in one of four languages, sessions spread over twelve months
//! (more of them later in the year), of every work mode, with prompts, reads,
//! searches, edits, writes, shell commands, test runs that pass or fail,
//! commits, pull requests, tool errors, interruptions, compactions, and
//! sub-agents in `<session>/subagents/agent-<id>.jsonl`. Output is a pure
//! function of (n, users, seed): each session draws from its own generator,
//! so the files are the same whatever the thread count.
//!
//! Layout: `DIR/<person>/<encoded project dir>/<session uuid>.jsonl`, so that
//! `--users-by-folder DIR` makes each person one input root; plus
//! `DIR/generated-manifest.tsv`, one line per session with the intended
//! counts (prompts, actions, sub-agents, ...), for tests.

#![allow(clippy::explicit_auto_deref)] // picks from &[&str] read better with `*`

use crate::cli::{GenerateArgs, Global};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(args: &GenerateArgs, g: &Global) -> anyhow::Result<i32> {
    if args.users == 0 {
        anyhow::bail!("--users must be at least 1");
    }
    let t0 = std::time::Instant::now();
    let summary = generate(&args.output, args.sessions, args.users, args.seed, g.quiet)?;
    println!(
        "generated {} sessions ({} sub-agent files) for {} people in {} ({:.1} MB, {:.1} s); manifest: {}",
        summary.sessions,
        summary.subagent_files,
        args.users,
        args.output.display(),
        summary.bytes as f64 / (1 << 20) as f64,
        t0.elapsed().as_secs_f64(),
        args.output.join(MANIFEST).display()
    );
    Ok(super::exit::OK)
}

pub const MANIFEST: &str = "generated-manifest.tsv";

/// The intended shape of one generated session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Intended {
    pub session_id: String,
    pub person: String,
    /// Path of the main file, relative to the output folder.
    pub path: String,
    pub month: String,
    pub work: String,
    pub prompts: u32,
    pub actions: u32,
    pub subagents: u32,
    pub subagent_actions: u32,
    pub test_runs: u32,
    pub commits: u32,
    pub interruptions: u32,
    pub compactions: u32,
    pub headless: bool,
}

impl Intended {
    pub const HEADER: &'static str = "session_id\tperson\tpath\tmonth\twork\tprompts\tactions\tsubagents\tsubagent_actions\ttest_runs\tcommits\tinterruptions\tcompactions\theadless";
    fn tsv(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.session_id,
            self.person,
            self.path,
            self.month,
            self.work,
            self.prompts,
            self.actions,
            self.subagents,
            self.subagent_actions,
            self.test_runs,
            self.commits,
            self.interruptions,
            self.compactions,
            self.headless
        )
    }
    pub fn parse(line: &str) -> Option<Intended> {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 14 || f[0] == "session_id" {
            return None;
        }
        let n = |i: usize| f[i].parse::<u32>().ok();
        Some(Intended {
            session_id: f[0].into(),
            person: f[1].into(),
            path: f[2].into(),
            month: f[3].into(),
            work: f[4].into(),
            prompts: n(5)?,
            actions: n(6)?,
            subagents: n(7)?,
            subagent_actions: n(8)?,
            test_runs: n(9)?,
            commits: n(10)?,
            interruptions: n(11)?,
            compactions: n(12)?,
            headless: f[13] == "true",
        })
    }
}

pub fn read_manifest(dir: &Path) -> anyhow::Result<Vec<Intended>> {
    Ok(std::fs::read_to_string(dir.join(MANIFEST))?
        .lines()
        .filter_map(Intended::parse)
        .collect())
}

#[derive(Debug, Default)]
pub struct Summary {
    pub sessions: usize,
    pub subagent_files: usize,
    pub bytes: u64,
}

/// Writes `n` sessions for `users` people under `out`.
pub fn generate(
    out: &Path,
    n: usize,
    users: usize,
    seed: u64,
    quiet: bool,
) -> anyhow::Result<Summary> {
    std::fs::create_dir_all(out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
    let people: Vec<Person> = (0..users.max(1)).map(|i| Person::new(seed, i)).collect();
    let pb = crate::progress::bar(n as u64, "generate", quiet);
    let mut manifest = std::io::BufWriter::new(std::fs::File::create(out.join(MANIFEST))?);
    writeln!(manifest, "{}", Intended::HEADER)?;
    let mut summary = Summary::default();
    for chunk_start in (0..n).step_by(4096) {
        let chunk: Vec<anyhow::Result<(Intended, usize, u64)>> = (chunk_start
            ..(chunk_start + 4096).min(n))
            .into_par_iter()
            .map(|i| {
                let r = write_session(out, &people, seed, i);
                pb.inc(1);
                r
            })
            .collect();
        for r in chunk {
            let (m, subs, bytes) = r?;
            writeln!(manifest, "{}", m.tsv())?;
            summary.sessions += 1;
            summary.subagent_files += subs;
            summary.bytes += bytes;
        }
    }
    manifest.flush()?;
    pb.finish_and_clear();
    Ok(summary)
}

// ---------------------------------------------------------------------------
// A small deterministic generator (SplitMix64): no external crate.

#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn f(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.f() < p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    /// Index drawn with the given weights.
    pub fn weighted(&mut self, w: &[u32]) -> usize {
        let total: u64 = w.iter().map(|&x| x as u64).sum();
        let mut x = self.below(total.max(1));
        for (i, &wi) in w.iter().enumerate() {
            if x < wi as u64 {
                return i;
            }
            x -= wi as u64;
        }
        w.len() - 1
    }
    /// Geometric-like count with the given mean, capped.
    pub fn count(&mut self, mean: f64, cap: u64) -> u64 {
        let u = self.f().max(1e-12);
        ((-u.ln() * mean).floor() as u64).min(cap)
    }
    pub fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.next_u64()));
        }
        s.truncate(n);
        s
    }
    pub fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-4{}-{}{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            ["8", "9", "a", "b"][(self.next_u64() % 4) as usize],
            &h[17..20],
            &h[20..32]
        )
    }
    pub fn token(&mut self, n: usize) -> String {
        const A: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789";
        (0..n)
            .map(|_| A[self.below(A.len() as u64) as usize] as char)
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Invented world: people, projects, languages.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Rust,
    Python,
    Ts,
    Go,
}

struct Project {
    name: &'static str,
    lang: Lang,
}

const PROJECTS: &[(&str, Lang)] = &[
    ("ledger-api", Lang::Python),
    ("trailmap", Lang::Ts),
    ("pixel-forge", Lang::Rust),
    ("harbor-ctl", Lang::Go),
    ("quill-notes", Lang::Ts),
    ("seedbank", Lang::Python),
    ("orbit-ui", Lang::Ts),
    ("tally", Lang::Rust),
    ("mosaic-etl", Lang::Python),
    ("beacon-sync", Lang::Go),
    ("fernweh", Lang::Python),
    ("cobalt-cli", Lang::Rust),
    ("lumen-docs", Lang::Ts),
    ("gristmill", Lang::Go),
];

struct Person {
    name: String,
    home: String,
    /// 1..5
    level: u32,
    projects: Vec<Project>,
    /// Relative weight (some people use the agent far more).
    weight: u32,
}

impl Person {
    fn new(seed: u64, i: usize) -> Person {
        let mut r = Rng::new(seed, 0xABCD_0000 + i as u64);
        let level = [1, 2, 2, 3, 3, 3, 4, 4, 4, 5][r.below(10) as usize];
        let k = r.range(1, 4) as usize;
        let mut projects = Vec::new();
        while projects.len() < k {
            let (name, lang) = *r.pick(PROJECTS);
            if !projects.iter().any(|p: &Project| p.name == name) {
                projects.push(Project { name, lang });
            }
        }
        Person {
            name: format!("person-{:03}", i + 1),
            home: format!("/home/dev{:03}", i + 1),
            level,
            projects,
            weight: [1, 1, 2, 3, 5, 8][r.below(6) as usize],
        }
    }
}

const FILES: &[(&str, &str, &str, &str)] = &[
    // (rust, python, ts, go) relative paths
    (
        "src/parser.rs",
        "app/parser.py",
        "src/parser.ts",
        "internal/parser/parser.go",
    ),
    (
        "src/config.rs",
        "app/config.py",
        "src/config.ts",
        "internal/config/config.go",
    ),
    (
        "src/store.rs",
        "app/storage.py",
        "src/store/index.ts",
        "internal/store/store.go",
    ),
    (
        "src/api/routes.rs",
        "app/api/routes.py",
        "src/api/routes.ts",
        "internal/api/routes.go",
    ),
    (
        "src/cache.rs",
        "app/cache.py",
        "src/lib/cache.ts",
        "internal/cache/cache.go",
    ),
    (
        "src/auth.rs",
        "app/auth.py",
        "src/auth/session.ts",
        "internal/auth/auth.go",
    ),
    (
        "src/report.rs",
        "app/report.py",
        "src/components/Report.tsx",
        "internal/report/report.go",
    ),
    (
        "src/main.rs",
        "app/main.py",
        "src/index.ts",
        "cmd/server/main.go",
    ),
];

const FUNCS: &[&str] = &[
    "parse_header",
    "load_settings",
    "flush_pending",
    "resolve_route",
    "evict_stale",
    "refresh_token",
    "render_summary",
    "merge_batches",
    "normalize_dates",
    "retry_upload",
];

fn file(lang: Lang, r: &mut Rng) -> &'static str {
    let f = r.pick(FILES);
    match lang {
        Lang::Rust => f.0,
        Lang::Python => f.1,
        Lang::Ts => f.2,
        Lang::Go => f.3,
    }
}

fn test_file(lang: Lang, r: &mut Rng) -> String {
    let stem = r.pick(&["parser", "config", "store", "routes", "cache", "auth"]);
    match lang {
        Lang::Rust => format!("tests/{stem}_test.rs"),
        Lang::Python => format!("tests/test_{stem}.py"),
        Lang::Ts => format!("src/__tests__/{stem}.test.ts"),
        Lang::Go => format!("internal/{stem}/{stem}_test.go"),
    }
}

fn test_cmd(lang: Lang) -> &'static str {
    match lang {
        Lang::Rust => "cargo test",
        Lang::Python => "python -m pytest -q",
        Lang::Ts => "npm test",
        Lang::Go => "go test ./...",
    }
}

fn build_cmd(lang: Lang) -> &'static str {
    match lang {
        Lang::Rust => "cargo build",
        Lang::Python => "python -m compileall -q app",
        Lang::Ts => "npm run build",
        Lang::Go => "go build ./...",
    }
}

/// Test output (pass or fail) and the exit code.
fn test_output(lang: Lang, pass: bool, r: &mut Rng) -> (String, i32) {
    let total = r.range(6, 180);
    let failed = if pass { 0 } else { r.range(1, 4.min(total)) };
    let passed = total - failed;
    let secs = r.range(5, 900) as f64 / 100.0;
    let f = *r.pick(FUNCS);
    match lang {
        Lang::Rust => {
            if pass {
                (format!("   Compiling app v0.3.1\n    Finished `test` profile [unoptimized + debuginfo] target(s) in 4.02s\n     Running unittests src/lib.rs\n\nrunning {total} tests\ntest result: ok. {passed} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in {secs:.2}s\n"), 0)
            } else {
                (format!("running {total} tests\ntest tests::{f} ... FAILED\n\nfailures:\n\n---- tests::{f} stdout ----\nassertion `left == right` failed\n  left: 3\n right: 4\n\ntest result: FAILED. {passed} passed; {failed} failed; 0 ignored; 0 measured; 0 filtered out; finished in {secs:.2}s\n\nerror: test failed, to rerun pass `--lib`"), 101)
            }
        }
        Lang::Python => {
            if pass {
                (
                    format!(
                        "{}\n{passed} passed in {secs:.2}s",
                        ".".repeat(total.min(60) as usize)
                    ),
                    0,
                )
            } else {
                (format!("FAILED tests/test_core.py::test_{f} - AssertionError: expected 4, got 3\n{failed} failed, {passed} passed in {secs:.2}s"), 1)
            }
        }
        Lang::Ts => {
            if pass {
                (format!("PASS src/__tests__/core.test.ts\n\nTest Suites: 3 passed, 3 total\nTests:       {passed} passed, {total} total\nTime:        {secs:.2} s"), 0)
            } else {
                (format!("FAIL src/__tests__/core.test.ts\n  ● {f} › returns the merged value\n\n    expect(received).toBe(expected)\n\nTest Suites: 1 failed, 2 passed, 3 total\nTests:       {failed} failed, {passed} passed, {total} total\nTime:        {secs:.2} s"), 1)
            }
        }
        Lang::Go => {
            if pass {
                (format!("ok  \texample.org/app/internal/parser\t{secs:.3}s\nok  \texample.org/app/internal/store\t0.011s"), 0)
            } else {
                (format!("--- FAIL: Test{}{} ({secs:.2}s)\n    parser_test.go:41: got 3, want 4\nFAIL\nFAIL\texample.org/app/internal/parser\t{secs:.3}s\nFAIL", f[..1].to_uppercase(), &f[1..]), 1)
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Work modes and prompt templates (our own invented wording).

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Work {
    Fix,
    Build,
    Operate,
    Communicate,
    Understand,
    Plan,
    Orchestrate,
    Analyze,
    Test,
}

const WORKS: &[(Work, u32)] = &[
    (Work::Fix, 26),
    (Work::Build, 25),
    (Work::Operate, 17),
    (Work::Communicate, 10),
    (Work::Understand, 7),
    (Work::Plan, 7),
    (Work::Orchestrate, 3),
    (Work::Analyze, 3),
    (Work::Test, 2),
];

impl Work {
    fn as_str(self) -> &'static str {
        match self {
            Work::Fix => "Fix",
            Work::Build => "Build",
            Work::Operate => "Operate",
            Work::Communicate => "Communicate",
            Work::Understand => "Understand",
            Work::Plan => "Plan",
            Work::Orchestrate => "Orchestrate",
            Work::Analyze => "Analyze",
            Work::Test => "Test",
        }
    }
    fn first_prompts(self) -> &'static [&'static str] {
        match self {
            Work::Fix => &[
                "the {test} suite started failing after yesterday's merge, can you find out why and fix it",
                "{func} returns the wrong value when the input is empty. fix it and add a regression test",
                "getting a panic in {file} on startup, here's what I see: index out of range. please fix",
                "users report that saving twice loses the second change. I think it's in {file}, can you look",
            ],
            Work::Build => &[
                "add a --dry-run flag to the import command that prints what would change without writing",
                "implement pagination for the list endpoint in {file}, 50 items per page with a cursor",
                "refactor {func} in {file} so the retry logic is shared, keep behaviour the same",
                "we need a CSV export of the monthly summary. put it next to the existing JSON export",
            ],
            Work::Operate => &[
                "set up a github actions workflow that runs the tests on every push",
                "the docker build is slow, make it cache dependencies between builds",
                "upgrade the dependencies to their latest minor versions and make sure it still builds",
                "deploy the staging branch and check the health endpoint responds",
            ],
            Work::Communicate => &[
                "write a README section explaining how to configure the cache",
                "draft release notes for 0.4 from the commits since the last tag",
                "turn these meeting notes into a short summary for the team: we agreed to freeze the api on friday",
            ],
            Work::Understand => &[
                "how does the request flow from {file} to the database? walk me through it",
                "what does {func} actually do and where is it called from",
                "explain the difference between the two cache layers in this repo",
            ],
            Work::Plan => &[
                "I want to split the monolith's storage code into its own module. propose a plan before changing anything",
                "design how we should add multi-tenant support. no code yet, just the plan and the risks",
            ],
            Work::Orchestrate => &[
                "improve the system prompt in prompts/triage.md so the bot asks for logs before guessing",
                "write an eval script that runs our agent on the 20 sample tickets and scores the answers",
            ],
            Work::Analyze => &[
                "load data/usage.csv and tell me which weekday has the most sign-ups, with a small chart",
                "compare the latency numbers in bench/before.json and bench/after.json and summarise",
            ],
            Work::Test => &[
                "add tests for {func} covering the edge cases, we have none right now",
                "review {file} for security issues, especially input handling",
            ],
        }
    }
}

const FOLLOW_UPS: &[&str] = &[
    "ok, now also handle the case where the list is empty",
    "can you run the tests again",
    "looks good. commit it",
    "that's not quite it, the value should come from the config file not the env",
    "please also update the docs",
    "why did you change {file}? revert that part",
    "great, what about the other call site",
    "use the existing helper instead of writing a new one",
    "yes go ahead",
    "hmm it still fails for me locally",
];

const EXPERT_HINTS: &[&str] = &[
    " — the bug is probably the off-by-one in the window calculation, check the boundary handling",
    ". keep the lock scope tight; don't hold it across the await",
    ". use a BTreeMap there so iteration order is stable in the snapshot tests",
    ", and make sure the migration is reversible",
];

const CLOSINGS_OK: &[&str] = &[
    "thanks, works now",
    "perfect, thank you",
    "great, that fixed it",
];
const CLOSINGS_BAD: &[&str] = &[
    "this still doesn't work, I'll look at it myself later",
    "no, that broke the build. stop",
];

const SENTENCES: &[&str] = &[
    "The root of it was in {file}: {func} assumed the input was already sorted.",
    "I kept the public signature of {func} unchanged so callers don't need to move.",
    "There is a second call site in {file} that follows the same pattern; I left it as is for now.",
    "The retry loop now backs off exponentially and gives up after five attempts.",
    "I added a regression test that fails on the old code and passes on the new one.",
    "If you want, the same helper could replace the hand-written loop in {file}.",
    "Note that the cache key now includes the tenant, so old entries will simply miss once.",
    "Nothing else in the module depends on the removed flag.",
    "The build is clean and there are no new warnings.",
    "One open question: should empty input be an error or an empty result? I chose the latter.",
    "I read through {file} to confirm the ordering guarantee before relying on it.",
    "The migration is reversible; the down step drops the new column.",
];

/// A paragraph of `n` sentences of agent explanation.
fn prose(r: &mut Rng, n: usize, lang: Lang) -> String {
    let mut out = String::new();
    for i in 0..n {
        let t = *r.pick(SENTENCES);
        out.push_str(&fill(t, lang, r));
        out.push(if i % 3 == 2 { '\n' } else { ' ' });
    }
    out.trim_end().to_string()
}

fn fill(t: &str, lang: Lang, r: &mut Rng) -> String {
    let f = file(lang, r);
    let func = *r.pick(FUNCS);
    let test = func.split('_').next().unwrap_or("core");
    t.replace("{file}", f)
        .replace("{func}", func)
        .replace("{test}", test)
}

// ---------------------------------------------------------------------------
// Writing one session in the Claude Code JSONL shape.

fn rfc3339_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = crate::time::civil_from_days(secs.div_euclid(86_400));
    let r = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        r / 3600,
        r / 60 % 60,
        r % 60,
        ms.rem_euclid(1000)
    )
}

/// 2025-05-01T00:00:00Z
const YEAR_START_MS: i64 = 1_746_057_600_000;
const YEAR_MS: i64 = 365 * 86_400_000;

struct Writer {
    lines: Vec<String>,
    session_id: String,
    cwd: String,
    version: String,
    branch: String,
    entrypoint: Option<&'static str>,
    t: i64,
    parent: Option<String>,
    agent_id: Option<String>,
    model: &'static str,
    r: Rng,
    // counts
    actions: u32,
    prompts: u32,
}

impl Writer {
    fn base(&mut self, kind: &str) -> serde_json::Map<String, Value> {
        let uuid = self.r.uuid();
        let mut m = serde_json::Map::new();
        m.insert("parentUuid".into(), json!(self.parent));
        m.insert("isSidechain".into(), json!(self.agent_id.is_some()));
        m.insert("userType".into(), json!("external"));
        m.insert("cwd".into(), json!(self.cwd));
        m.insert("sessionId".into(), json!(self.session_id));
        m.insert("version".into(), json!(self.version));
        m.insert("gitBranch".into(), json!(self.branch));
        if let Some(a) = &self.agent_id {
            m.insert("agentId".into(), json!(a));
        }
        if let Some(e) = self.entrypoint {
            m.insert("entrypoint".into(), json!(e));
        }
        m.insert("type".into(), json!(kind));
        m.insert("uuid".into(), json!(uuid));
        m.insert("timestamp".into(), json!(rfc3339_ms(self.t)));
        self.parent = Some(uuid);
        m
    }

    fn push(&mut self, m: serde_json::Map<String, Value>) {
        self.lines.push(Value::Object(m).to_string());
    }

    fn tick(&mut self, lo_ms: u64, hi_ms: u64) {
        self.t += self.r.range(lo_ms, hi_ms) as i64;
    }

    fn human(&mut self, text: &str) {
        self.tick(20_000, 240_000);
        let mut m = self.base("user");
        m.insert("message".into(), json!({"role": "user", "content": text}));
        self.push(m);
        self.prompts += 1;
    }

    /// A prompt as the first line of a sub-agent file (not a human prompt).
    fn task_prompt(&mut self, text: &str) {
        let mut m = self.base("user");
        m.insert("message".into(), json!({"role": "user", "content": text}));
        self.push(m);
    }

    fn usage(&mut self) -> Value {
        json!({
            "input_tokens": self.r.range(3, 40),
            "cache_creation_input_tokens": self.r.range(0, 4000),
            "cache_read_input_tokens": self.r.range(5000, 60000),
            "output_tokens": self.r.range(12, 900),
            "service_tier": "standard"
        })
    }

    /// One model response: optional text, then tool calls (each followed by
    /// its result). `tools`: (name, input, result text, is_error, extra result).
    fn respond(&mut self, text: Option<String>, tools: Vec<Tool>) {
        self.tick(1_500, 12_000);
        let msg_id = format!("msg_01{}", self.r.token(22));
        let req = format!("req_011C{}", self.r.token(20));
        let usage = self.usage();
        let stop = if tools.is_empty() {
            "end_turn"
        } else {
            "tool_use"
        };
        if let Some(t) = text {
            let mut m = self.base("assistant");
            m.insert(
                "message".into(),
                json!({"model": self.model, "id": msg_id, "type": "message", "role": "assistant",
                       "content": [{"type": "text", "text": t}], "stop_reason": stop,
                       "stop_sequence": null, "usage": usage}),
            );
            m.insert("requestId".into(), json!(req));
            self.push(m);
        }
        let ids: Vec<String> = tools
            .iter()
            .map(|_| format!("toolu_01{}", self.r.token(22)))
            .collect();
        for (t, id) in tools.iter().zip(&ids) {
            self.tick(100, 900);
            let mut m = self.base("assistant");
            m.insert(
                "message".into(),
                json!({"model": self.model, "id": msg_id, "type": "message", "role": "assistant",
                       "content": [{"type": "tool_use", "id": id, "name": t.name, "input": t.input}],
                       "stop_reason": "tool_use", "stop_sequence": null, "usage": usage}),
            );
            m.insert("requestId".into(), json!(req));
            self.push(m);
            self.actions += 1;
        }
        for (t, id) in tools.into_iter().zip(ids) {
            self.tick(50, t.duration_ms.max(60));
            let mut m = self.base("user");
            let mut block = json!({"tool_use_id": id, "type": "tool_result", "content": t.result});
            if t.is_error {
                block["is_error"] = json!(true);
            }
            m.insert(
                "message".into(),
                json!({"role": "user", "content": [block]}),
            );
            m.insert("toolUseResult".into(), t.extra);
            self.push(m);
        }
    }

    fn interrupt(&mut self) {
        self.tick(2_000, 30_000);
        let mut m = self.base("user");
        m.insert(
            "message".into(),
            json!({"role": "user", "content": [{"type": "text", "text": "[Request interrupted by user]"}]}),
        );
        self.push(m);
    }

    fn compaction(&mut self) {
        self.tick(1_000, 5_000);
        let mut m = self.base("system");
        m.insert("subtype".into(), json!("compact_boundary"));
        m.insert("content".into(), json!("Conversation compacted"));
        m.insert("isMeta".into(), json!(false));
        m.insert("level".into(), json!("info"));
        m.insert(
            "compactMetadata".into(),
            json!({"trigger": "auto", "preTokens": self.r.range(150_000, 190_000)}),
        );
        self.push(m);
        let mut m = self.base("user");
        m.insert("isCompactSummary".into(), json!(true));
        m.insert("isVisibleInTranscriptOnly".into(), json!(true));
        m.insert(
            "message".into(),
            json!({"role": "user", "content": "This session is being continued from a previous conversation that ran out of context. Summary: the work so far touched the parser and its tests; two tests were still failing."}),
        );
        self.push(m);
    }

    fn snapshot(&mut self) {
        let id = self.r.uuid();
        self.lines.push(
            json!({"type": "file-history-snapshot", "messageId": id,
                   "snapshot": {"messageId": id, "trackedFileBackups": {}, "timestamp": rfc3339_ms(self.t)},
                   "isSnapshotUpdate": false})
            .to_string(),
        );
    }
}

struct Tool {
    name: &'static str,
    input: Value,
    result: Value,
    is_error: bool,
    extra: Value,
    duration_ms: u64,
}

fn code_lines(r: &mut Rng, n: u64) -> String {
    let mut s = String::new();
    for i in 1..=n {
        let f = *r.pick(FUNCS);
        s.push_str(&format!(
            "{i:>6}\u{2192}    let {f}_{i} = {f}(&input, {});\n",
            r.below(100)
        ));
    }
    s
}

impl Writer {
    fn read(&mut self, path: &str) -> Tool {
        let n = self.r.range(4, 28);
        let body = code_lines(&mut self.r, n);
        let p = format!("{}/{path}", self.cwd);
        Tool {
            name: "Read",
            input: json!({"file_path": p}),
            extra: json!({"type": "text", "file": {"filePath": p, "numLines": n, "startLine": 1, "totalLines": n}}),
            result: json!(body),
            is_error: false,
            duration_ms: 200,
        }
    }
    fn missing_read(&mut self, path: &str) -> Tool {
        let p = format!("{}/{path}", self.cwd);
        Tool {
            name: "Read",
            input: json!({"file_path": p}),
            result: json!("<tool_use_error>File does not exist.</tool_use_error>"),
            is_error: true,
            extra: json!("Error: File does not exist."),
            duration_ms: 100,
        }
    }
    fn grep(&mut self, pat: &str, lang: Lang) -> Tool {
        let k = self.r.range(0, 6);
        let files: Vec<String> = (0..k)
            .map(|_| file(lang, &mut self.r).to_string())
            .collect();
        Tool {
            name: *self.r.pick(&["Grep", "Glob"]),
            input: json!({"pattern": pat, "path": self.cwd}),
            result: json!(if files.is_empty() {
                "No files found".to_string()
            } else {
                format!("Found {k} files\n{}", files.join("\n"))
            }),
            is_error: false,
            extra: json!({"mode": "files_with_matches", "filenames": files, "numFiles": k}),
            duration_ms: 400,
        }
    }
    fn edit(&mut self, path: &str) -> Tool {
        let func = *self.r.pick(FUNCS);
        let add = self.r.range(1, 12);
        let old = format!("    let total = {func}(&items);\n");
        let new: String = (0..add)
            .map(|i| format!("    let step_{i} = {func}(&items[{i}..]);\n"))
            .collect();
        let p = format!("{}/{path}", self.cwd);
        Tool {
            name: *self.r.pick(&["Edit", "Edit", "Edit", "MultiEdit"]),
            input: json!({"file_path": p, "old_string": old, "new_string": new, "replace_all": false}),
            result: json!(format!("The file {p} has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n{}", code_lines(&mut self.r, 3))),
            is_error: false,
            extra: json!({"filePath": p, "oldString": old, "newString": new, "userModified": false, "replaceAll": false}),
            duration_ms: 300,
        }
    }
    fn failed_edit(&mut self, path: &str) -> Tool {
        let p = format!("{}/{path}", self.cwd);
        Tool {
            name: "Edit",
            input: json!({"file_path": p, "old_string": "fn old_name(", "new_string": "fn new_name("}),
            result: json!("<tool_use_error>String to replace not found in file.\nString: fn old_name(</tool_use_error>"),
            is_error: true,
            extra: json!("Error: String to replace not found in file."),
            duration_ms: 100,
        }
    }
    fn write(&mut self, path: &str) -> Tool {
        let n = self.r.range(5, 40);
        let content: String = (0..n)
            .map(|i| format!("// line {i}: {}\n", self.r.pick(FUNCS)))
            .collect();
        let p = format!("{}/{path}", self.cwd);
        Tool {
            name: "Write",
            input: json!({"file_path": p, "content": content}),
            result: json!(format!("File created successfully at: {p}")),
            is_error: false,
            extra: json!({"type": "create", "filePath": p, "content": content}),
            duration_ms: 200,
        }
    }
    fn bash(&mut self, cmd: &str, out: &str, code: i32) -> Tool {
        let ok = code == 0;
        Tool {
            name: "Bash",
            input: json!({"command": cmd, "description": "Run a command"}),
            result: json!(if ok {
                out.to_string()
            } else {
                format!("Exit code {code}\n{out}")
            }),
            is_error: !ok,
            extra: if ok {
                json!({"stdout": out, "stderr": "", "interrupted": false, "isImage": false})
            } else {
                json!(format!("Error: Exit code {code}\n{out}"))
            },
            duration_ms: 8_000,
        }
    }
    fn tests(&mut self, lang: Lang, pass: bool) -> Tool {
        let (out, code) = test_output(lang, pass, &mut self.r);
        self.bash(test_cmd(lang), &out, code)
    }
    fn commit(&mut self, msg: &str) -> Tool {
        let files = self.r.range(1, 6);
        let ins = self.r.range(2, 120);
        let del = self.r.range(0, 40);
        let out = format!(
            "[{} {}] {msg}\n {files} files changed, {ins} insertions(+), {del} deletions(-)",
            self.branch,
            self.r.hex(7)
        );
        self.bash(&format!("git add -A && git commit -m \"{msg}\""), &out, 0)
    }
    fn todo(&mut self) -> Tool {
        Tool {
            name: "TodoWrite",
            input: json!({"todos": [{"content": "Reproduce the problem", "status": "completed", "activeForm": "Reproducing"},
                                     {"content": "Fix and test", "status": "in_progress", "activeForm": "Fixing"}]}),
            result: json!("Todos have been modified successfully."),
            is_error: false,
            extra: json!({"oldTodos": [], "newTodos": []}),
            duration_ms: 50,
        }
    }
    fn web(&mut self) -> Tool {
        Tool {
            name: "WebFetch",
            input: json!({"url": "https://docs.example.org/guide/caching", "prompt": "how is the cache invalidated"}),
            result: json!(
                "The guide says entries expire after the configured TTL and can be purged by key."
            ),
            is_error: false,
            extra: json!({"bytes": 48213, "code": 200, "codeText": "OK", "durationMs": 912}),
            duration_ms: 2_000,
        }
    }
}

/// A sub-agent run: its file's lines and its tool-call count.
fn subagent(
    parent: &Writer,
    agent_id: &str,
    prompt: &str,
    lang: Lang,
    seed: u64,
) -> (Vec<String>, u32) {
    let mut w = Writer {
        lines: Vec::new(),
        session_id: parent.session_id.clone(),
        cwd: parent.cwd.clone(),
        version: parent.version.clone(),
        branch: parent.branch.clone(),
        entrypoint: parent.entrypoint,
        t: parent.t,
        parent: None,
        agent_id: Some(agent_id.to_string()),
        model: "claude-haiku-4-5-20251001",
        r: Rng::new(seed, 0x5AB_A6E),
        actions: 0,
        prompts: 0,
    };
    w.task_prompt(prompt);
    let steps = w.r.range(1, 5);
    for _ in 0..steps {
        let k = w.r.range(1, 3);
        let tools: Vec<Tool> = (0..k)
            .map(|_| {
                if w.r.chance(0.5) {
                    let f = file(lang, &mut w.r);
                    w.read(f)
                } else {
                    w.grep(*FUNCS.first().unwrap_or(&"x"), lang)
                }
            })
            .collect();
        w.respond(Some("Looking at the relevant files.".into()), tools);
    }
    w.respond(
        Some("Summary: the logic lives in two modules; the second one is only used by the import path.".into()),
        vec![],
    );
    let n = w.actions;
    (w.lines, n)
}

fn write_session(
    out: &Path,
    people: &[Person],
    seed: u64,
    i: usize,
) -> anyhow::Result<(Intended, usize, u64)> {
    let mut r = Rng::new(seed, i as u64);
    let weights: Vec<u32> = people.iter().map(|p| p.weight).collect();
    let person = &people[r.weighted(&weights)];
    let project = &person.projects[r.below(person.projects.len() as u64) as usize];
    let lang = project.lang;
    // More sessions later in the year (adoption grows).
    let start = YEAR_START_MS + (r.f().sqrt() * YEAR_MS as f64) as i64;
    let day = start - start.rem_euclid(86_400_000);
    let start = day + (r.range(7, 21) as i64) * 3_600_000 + r.below(3_600_000) as i64;
    let month = crate::time::month(start);
    let version = if month.as_str() < "2025-09" {
        format!("1.0.{}", r.range(60, 120))
    } else if month.as_str() < "2026-01" {
        format!("2.0.{}", r.range(10, 76))
    } else {
        format!("2.1.{}", r.range(1, 97))
    };
    let headless = r.chance(0.04);
    let new_style = !version.starts_with("1.");
    let entrypoint = if headless {
        Some("sdk-cli")
    } else if new_style {
        Some(*r.pick(&["cli", "cli", "cli", "cli", "claude-desktop"]))
    } else {
        None
    };
    let session_id = r.uuid();
    let cwd = format!("{}/code/{}", person.home, project.name);
    let work = WORKS[r.weighted(&WORKS.iter().map(|w| w.1).collect::<Vec<_>>())].0;
    let mut w = Writer {
        lines: Vec::new(),
        session_id: session_id.clone(),
        cwd: cwd.clone(),
        version: version.clone(),
        branch: (*r.pick(&["main", "main", "dev", "feature/export", "fix/retry"])).to_string(),
        entrypoint,
        t: start,
        parent: None,
        agent_id: None,
        model: *r.pick(&[
            "claude-sonnet-4-5-20250929",
            "claude-sonnet-4-20250514",
            "claude-opus-4-1-20250805",
            "claude-opus-4-5-20251101",
        ]),
        r: Rng::new(seed, (i as u64) << 20 | 7),
        actions: 0,
        prompts: 0,
    };
    let mut m = Intended {
        session_id: session_id.clone(),
        person: person.name.clone(),
        month,
        work: work.as_str().into(),
        headless,
        ..Default::default()
    };
    if r.chance(0.3) {
        w.lines.push(
            json!({"type": "summary", "summary": format!("{} work on {}", work.as_str(), project.name), "leafUuid": r.uuid()})
                .to_string(),
        );
    }
    // The session's plan: prompts, whether it ends well.
    let level = person.level;
    let prompts = if headless {
        1
    } else {
        1 + r.count(3.0, 30) as u32
    };
    let succeeds = r.chance(0.55 + 0.07 * level as f64);
    let mean_actions = 2.0 + 2.0 * level as f64;
    let mut subs: Vec<(String, Vec<String>)> = Vec::new();
    let mut tests_pass = false;
    for p in 0..prompts {
        w.snapshot();
        let text = if p == 0 {
            let tpl = *r.pick(work.first_prompts());
            let mut t = fill(tpl, lang, &mut r);
            if level >= 4 && r.chance(0.6) {
                t.push_str(*r.pick(EXPERT_HINTS));
            }
            t
        } else if p + 1 == prompts && prompts > 2 && r.chance(0.5) {
            (*r.pick(if succeeds { CLOSINGS_OK } else { CLOSINGS_BAD })).to_string()
        } else {
            let tpl = *r.pick(FOLLOW_UPS);
            fill(tpl, lang, &mut r)
        };
        w.human(&text);
        let last = p + 1 == prompts;
        let k = r.count(mean_actions, 60) as u32;
        let mut done = 0;
        if p == 0 && work == Work::Fix && !headless {
            // Reproduce the problem first: the tests fail.
            m.test_runs += 1;
            let t = w.tests(lang, false);
            w.respond(Some("Let me reproduce the failure first.".into()), vec![t]);
            done += 1;
        }
        if work != Work::Communicate || r.chance(0.5) {
            // Look around first.
            let f = file(lang, &mut r);
            if r.chance(0.1) {
                let t = w.missing_read(&format!("{f}.bak"));
                w.respond(Some("Let me look at the code.".into()), vec![t]);
                done += 1;
            }
            let t = w.read(f);
            w.respond(Some("Let me look at the code.".into()), vec![t]);
            done += 1;
        }
        while done < k {
            let f = file(lang, &mut r);
            let choice = match work {
                Work::Understand | Work::Plan => [0, 0, 1, 1, 9, 6][r.below(6) as usize],
                Work::Operate => [5, 5, 5, 0, 2, 6][r.below(6) as usize],
                Work::Communicate => [3, 2, 0, 2, 6, 8][r.below(6) as usize],
                Work::Analyze => [5, 3, 0, 5, 1, 9][r.below(6) as usize],
                _ => [0, 1, 2, 2, 4, 5, 6, 7, 8][r.below(9) as usize],
            };
            let tools = match choice {
                0 => vec![w.read(f)],
                1 => {
                    let pat = *r.pick(FUNCS);
                    vec![w.grep(pat, lang)]
                }
                2 if r.chance(0.08) => vec![w.failed_edit(f)],
                2 => vec![w.edit(f)],
                3 => {
                    let tf = match work {
                        Work::Communicate => "docs/guide.md".to_string(),
                        Work::Analyze => "scripts/summary.py".to_string(),
                        _ => test_file(lang, &mut r),
                    };
                    vec![w.write(&tf)]
                }
                4 => {
                    // Two reads in one response (parallel tool calls).
                    let g = file(lang, &mut r);
                    vec![w.read(f), w.read(g)]
                }
                5 => {
                    let (cmd, out, code) = match work {
                        Work::Operate => {
                            let c = *r.pick(&[
                                "docker compose build",
                                "kubectl get pods -n staging",
                                "gh workflow list",
                                "npm outdated",
                            ]);
                            if r.chance(0.15) {
                                (
                                    c,
                                    "error: connection refused (is the daemon running?)"
                                        .to_string(),
                                    1,
                                )
                            } else {
                                (c, "done in 12.4s".to_string(), 0)
                            }
                        }
                        Work::Analyze => (
                            "python scripts/summary.py",
                            "weekday  signups\nMon  412\nTue  388\nSat  97".to_string(),
                            0,
                        ),
                        _ => (build_cmd(lang), "Finished in 3.1s".to_string(), 0),
                    };
                    vec![w.bash(cmd, &out, code)]
                }
                6 if r.chance(0.3) => vec![w.todo()],
                6 => vec![w.read(f)],
                7 => {
                    // Tests midway fail more often than not.
                    m.test_runs += 1;
                    let pass = r.chance(0.4);
                    tests_pass = pass;
                    vec![w.tests(lang, pass)]
                }
                8 if r.chance(0.05) => {
                    // A sub-agent explores for us.
                    let agent_id = format!("a{}", r.hex(16));
                    let prompt = format!(
                        "Find every caller of {} in {} and report how each one handles errors.",
                        r.pick(FUNCS),
                        cwd
                    );
                    let (lines, n) = subagent(
                        &w,
                        &agent_id,
                        &prompt,
                        lang,
                        seed ^ ((i as u64) << 24) ^ done as u64,
                    );
                    m.subagents += 1;
                    m.subagent_actions += n;
                    let tool_name = if version.starts_with("2.1") {
                        "Agent"
                    } else {
                        "Task"
                    };
                    let text = "Callers found in three modules; two of them ignore the error.";
                    let t = Tool {
                        name: tool_name,
                        input: json!({"description": "Find callers", "prompt": prompt, "subagent_type": "Explore"}),
                        result: json!([{"type": "text", "text": text}]),
                        is_error: false,
                        extra: json!({"status": "completed", "prompt": prompt, "agentId": agent_id,
                                      "content": [{"type": "text", "text": text}],
                                      "totalDurationMs": r.range(5_000, 90_000), "totalTokens": r.range(2_000, 40_000),
                                      "totalToolUseCount": n}),
                        duration_ms: 30_000,
                    };
                    subs.push((agent_id, lines));
                    vec![t]
                }
                8 => vec![w.web()],
                _ => vec![w.read(f)],
            };
            done += tools.len() as u32;
            let say = if r.chance(0.25) {
                let k = r.range(1, 4) as usize;
                Some(prose(&mut r, k, lang))
            } else if r.chance(0.5) {
                Some(format!("Next I'll check {}.", file(lang, &mut r)))
            } else {
                None
            };
            w.respond(say, tools);
        }
        // How the turn ends.
        let codey = matches!(work, Work::Fix | Work::Build | Work::Test);
        if last && codey && !headless {
            m.test_runs += 1;
            tests_pass = succeeds;
            let t = w.tests(lang, succeeds);
            w.respond(Some("Running the tests.".into()), vec![t]);
            if succeeds && r.chance(0.6) {
                m.commits += 1;
                let msg = format!("{} {}", work.as_str(), r.pick(FUNCS));
                let mut tools = vec![w.commit(&msg)];
                if r.chance(0.3) {
                    let n = r.range(10, 400);
                    let out = format!(
                        "https://git.example.org/{}/{}/pull/{n}",
                        person.name, project.name
                    );
                    tools.push(w.bash("gh pr create --fill", &out, 0));
                }
                w.respond(Some("Committing the change.".into()), tools);
            }
        }
        if !last && r.chance(0.06) {
            m.interruptions += 1;
            w.respond(Some("I'll now rewrite the whole module to".into()), vec![]);
            w.interrupt();
            continue;
        }
        if w.actions > 40 && m.compactions == 0 && r.chance(0.2) {
            m.compactions += 1;
            w.compaction();
        }
        let head = if tests_pass || !codey {
            "Done. The change is in place and the checks pass."
        } else {
            "The tests still fail on one case; I've left a note where the remaining problem is."
        };
        let n = r.range(4, 10 + 8 * level as u64);
        let summary = format!("{head}\n\n{}", prose(&mut r, n as usize, lang));
        w.respond(Some(summary), vec![]);
    }
    m.prompts = w.prompts;
    m.actions = w.actions;

    // Files.
    let dir = out.join(&person.name).join(cwd.replace(['/', '.'], "-"));
    std::fs::create_dir_all(&dir)?;
    let main = dir.join(format!("{session_id}.jsonl"));
    let mut bytes = write_lines(&main, &w.lines)?;
    for (agent_id, lines) in &subs {
        let sdir = dir.join(&session_id).join("subagents");
        std::fs::create_dir_all(&sdir)?;
        bytes += write_lines(&sdir.join(format!("agent-{agent_id}.jsonl")), lines)?;
    }
    m.path = main
        .strip_prefix(out)
        .unwrap_or(&main)
        .to_string_lossy()
        .into_owned();
    Ok((m, subs.len(), bytes))
}

fn write_lines(path: &PathBuf, lines: &[String]) -> anyhow::Result<u64> {
    let mut s = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    std::fs::write(path, &s)?;
    Ok(s.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_spread() {
        let mut a = Rng::new(7, 1);
        let mut b = Rng::new(7, 1);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(Rng::new(7, 2).next_u64(), xs[0]);
        let mut r = Rng::new(1, 1);
        let mean = (0..10_000).map(|_| r.f()).sum::<f64>() / 10_000.0;
        assert!((mean - 0.5).abs() < 0.02, "{mean}");
        let u = r.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }

    #[test]
    fn same_seed_same_files() {
        let base = std::env::temp_dir().join(format!("ac-gen-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        generate(&base.join("a"), 30, 3, 42, true).unwrap();
        generate(&base.join("b"), 30, 3, 42, true).unwrap();
        let ma = std::fs::read_to_string(base.join("a").join(MANIFEST)).unwrap();
        let mb = std::fs::read_to_string(base.join("b").join(MANIFEST)).unwrap();
        assert_eq!(ma, mb);
        let m = read_manifest(&base.join("a")).unwrap();
        assert_eq!(m.len(), 30);
        for s in &m {
            let a = std::fs::read(base.join("a").join(&s.path)).unwrap();
            let b = std::fs::read(base.join("b").join(&s.path)).unwrap();
            assert_eq!(a, b);
            for line in String::from_utf8(a).unwrap().lines() {
                serde_json::from_str::<Value>(line).unwrap();
            }
        }
        assert!(m.iter().any(|s| s.prompts > 1));
        let months: std::collections::BTreeSet<_> = m.iter().map(|s| s.month.clone()).collect();
        assert!(months.len() > 3, "{months:?}");
        let _ = std::fs::remove_dir_all(&base);
    }
}
