//! The measure stage over the shared corpus (skips when it is absent): no
//! panics, sane invariants on every session, and the agreement of our
//! evidence with the reference labels in ../shared/labels/dev.jsonl, printed
//! as a table (run with `--nocapture` to see it).

mod common;
use common::files_under;

use agentcensus::diag::Diagnostics;
use agentcensus::ingest;
use agentcensus::measure::{self, Measured};
use agentcensus::session::{Session, Turn};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn load(corpus: &Path) -> Vec<Session> {
    let diag = Diagnostics::new(true);
    let files: Vec<(PathBuf, usize)> = files_under(corpus).into_iter().map(|p| (p, 0)).collect();
    let (units, _unknown) = ingest::plan_units(&files, &diag);
    let mut sessions = Vec::new();
    for u in &units {
        sessions.extend(ingest::parse_unit(u, &diag));
    }
    sessions
}

fn check_invariants(s: &Session, m: &Measured) -> Vec<String> {
    let ms = &m.measures;
    let ev = &m.evidence;
    let mut bad = Vec::new();
    let mut check = |ok: bool, what: &str| {
        if !ok {
            bad.push(format!("{}: {what}", s.id));
        }
    };
    let results = s
        .turns
        .iter()
        .filter(|t| matches!(t, Turn::ToolResult { .. }))
        .count() as u32;
    check(
        ms.successful_actions <= ms.actions,
        "successful_actions <= actions",
    );
    check(
        ms.successful_actions + ms.unanswered_actions <= ms.actions,
        "successful + unanswered <= actions",
    );
    check(ms.tool_errors <= results, "tool_errors <= tool results");
    check(
        ms.tool_mix.iter().sum::<u32>() == ms.actions,
        "tool mix sums to actions",
    );
    check(
        ms.actions_per_prompt.is_none() == (ms.human_prompts == 0),
        "actions_per_prompt defined iff prompts > 0",
    );
    check(
        ms.words_per_prompt.is_none() == (ms.human_prompts == 0),
        "words_per_prompt defined iff prompts > 0",
    );
    check(
        ms.duration_s.is_none_or(|d| d >= 0.0),
        "duration is not negative",
    );
    check(
        ms.interactive == s.interactive(),
        "interactive mirrors the session",
    );
    check(ev.test_runs_failed <= ev.test_runs, "failed runs <= runs");
    check(
        ev.tests_pass_at_end.is_none() || ev.test_runs > 0,
        "a verdict needs a run",
    );
    check(
        !ev.tests_pass_after_last_edit || ev.tests_pass_at_end == Some(true),
        "pass after edit implies pass at end",
    );
    check(ev.builds_failed <= ev.builds, "failed builds <= builds");
    check(
        ev.build_ok_at_end.is_none() == (ev.builds == 0),
        "build verdict iff builds",
    );
    check(
        ev.user_affirmation != ev.affirmation_prompts.is_empty()
            && ev.user_complaint != ev.complaint_prompts.is_empty(),
        "feedback flags match their prompt lists",
    );
    check(
        ev.affirmation_prompts
            .iter()
            .chain(&ev.complaint_prompts)
            .all(|&n| n >= 2 && n <= ms.human_prompts as usize),
        "feedback only from later prompts",
    );
    check(
        ev.commit_messages.len() as u32 <= ev.commits,
        "commit messages <= commits",
    );
    check(
        ev.prs as usize == ev.pr_urls.len(),
        "prs == distinct PR urls",
    );
    for it in &ev.items {
        check(it.turn < s.turns.len().max(1), "item turn in range");
        check(
            matches!(
                it.kind.as_str(),
                "test"
                    | "build"
                    | "commit"
                    | "push"
                    | "pr"
                    | "deploy"
                    | "final_error"
                    | "affirmation"
                    | "complaint"
            ),
            "known item kind",
        );
    }
    bad
}

#[derive(Default)]
struct Tally {
    n: u32,
    agree: u32,
    tp: u32,
    fp: u32,
    fneg: u32,
    misses: Vec<String>,
}

impl Tally {
    fn bool(&mut self, id: &str, ours: bool, theirs: bool) {
        self.n += 1;
        match (ours, theirs) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fneg += 1,
            _ => {}
        }
        if ours == theirs {
            self.agree += 1;
        } else {
            self.misses
                .push(format!("{} ours={ours}", &id[..id.len().min(8)]));
        }
    }
    fn eq(&mut self, id: &str, agree: bool, note: String) {
        self.n += 1;
        if agree {
            self.agree += 1;
        } else {
            self.misses
                .push(format!("{} {note}", &id[..id.len().min(8)]));
        }
    }
}

#[test]
fn corpus_measures_are_sane_and_agreement_is_reported() {
    let Some(corpus) = common::corpus_or_skip("corpus_measure") else {
        return;
    };
    let sessions = load(&corpus);
    assert!(!sessions.is_empty(), "the corpus yielded no sessions");
    let mut bad = Vec::new();
    let mut by_id: HashMap<String, Measured> = HashMap::new();
    let t0 = std::time::Instant::now();
    for s in &sessions {
        std::hint::black_box(measure::measure(s));
    }
    let elapsed = t0.elapsed();
    for s in &sessions {
        let m = measure::measure(s);
        bad.extend(check_invariants(s, &m));
        for sub in &s.subagents {
            let sm = measure::measure(sub);
            bad.extend(check_invariants(sub, &sm));
        }
        by_id.insert(s.id.clone(), m);
    }
    assert!(bad.is_empty(), "invariants broken:\n{}", bad.join("\n"));
    let turns: usize = sessions.iter().map(|s| s.turns.len()).sum();
    println!(
        "measured {} sessions ({turns} turns) without a panic; measure alone took {:.1} ms (this build)",
        sessions.len(),
        elapsed.as_secs_f64() * 1000.0
    );

    let labels = corpus.join("../labels/dev.jsonl");
    let Ok(text) = std::fs::read_to_string(&labels) else {
        eprintln!("no labels at {}; agreement not computed", labels.display());
        return;
    };
    let fields = [
        "human_prompts",
        "tool_calls (+-10%)",
        "tests_run",
        "tests_pass_at_end",
        "commit",
        "pr",
        "user_affirmation",
        "user_complaint",
        "final_error_unrecovered",
        "code_producing (lines>0)",
        "lines_added (x0.5-2)",
    ];
    let mut t: Vec<Tally> = fields.iter().map(|_| Tally::default()).collect();
    let mut matched = 0;
    let mut missing = Vec::new();
    for line in text.lines() {
        let Ok(l) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let id = l["session_id"].as_str().unwrap_or("");
        let Some(m) = by_id.get(id) else {
            missing.push(id.to_string());
            continue;
        };
        matched += 1;
        let (ms, ev) = (&m.measures, &m.evidence);
        let e = &l["evidence"];
        let b = |k: &str| e[k].as_bool().unwrap_or(false);
        let hp = l["human_prompts"].as_u64().unwrap_or(0);
        t[0].eq(
            id,
            hp == u64::from(ms.human_prompts),
            format!("ours={} ref={hp}", ms.human_prompts),
        );
        let tc = l["tool_calls"].as_u64().unwrap_or(0) as f64;
        let a = f64::from(ms.actions);
        t[1].eq(
            id,
            (a - tc).abs() <= (0.1 * tc).max(1.0),
            format!("ours={a} ref={tc}"),
        );
        if l["interactive"].as_bool() == Some(false) {
            continue;
        }
        t[2].bool(id, ev.test_runs > 0, b("tests_run"));
        let tpe = e["tests_pass_at_end"].as_bool();
        t[3].eq(
            id,
            tpe == ev.tests_pass_at_end,
            format!("ours={:?} ref={tpe:?}", ev.tests_pass_at_end),
        );
        t[4].bool(id, ev.commits > 0, b("commit"));
        t[5].bool(id, ev.prs > 0, b("pr"));
        t[6].bool(id, ev.user_affirmation, b("user_affirmation"));
        t[7].bool(id, ev.user_complaint, b("user_complaint"));
        t[8].bool(id, ev.final_error_unrecovered, b("final_error_unrecovered"));
        let est = e["lines_added_est"].as_f64().unwrap_or(0.0);
        t[9].bool(id, ms.lines_added > 0, est > 0.0);
        let la = ms.lines_added as f64;
        let close = (la == 0.0 && est == 0.0) || (la >= est * 0.5 && la <= est * 2.0 && est > 0.0);
        t[10].eq(id, close, format!("ours={la} ref={est}"));
    }
    println!(
        "\nagreement with {} ({matched} labelled sessions matched, {} not found)",
        labels.display(),
        missing.len()
    );
    println!(
        "{:<26} {:>4} {:>6} {:>7}  {:>3} {:>3} {:>3}  disagreements",
        "field", "n", "agree", "rate", "TP", "FP", "FN"
    );
    for (f, x) in fields.iter().zip(&t) {
        let rate = if x.n > 0 {
            100.0 * f64::from(x.agree) / f64::from(x.n)
        } else {
            0.0
        };
        println!(
            "{:<26} {:>4} {:>6} {:>6.1}%  {:>3} {:>3} {:>3}  {}",
            f,
            x.n,
            x.agree,
            rate,
            x.tp,
            x.fp,
            x.fneg,
            x.misses.join("; ")
        );
    }
    if !missing.is_empty() {
        println!(
            "labelled sessions not produced by ingest: {}",
            missing.join(", ")
        );
    }
}
