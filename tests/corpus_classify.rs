//! The builtin classifiers over the shared corpus (skips when it is absent):
//! every session gets a label from each facet's closed set with reasons, and
//! the eval command runs end to end on the dev labels. Also prints the
//! classification throughput on real sessions (never asserted; for a number
//! worth quoting run it in release:
//! `cargo test --release --test corpus_classify -- --nocapture`).

mod common;
use common::files_under;

use agentcensus::classify::builtin::Builtin;
use agentcensus::classify::rubric;
use agentcensus::classify::{FacetId, Input};
use agentcensus::diag::Diagnostics;
use agentcensus::ingest;
use agentcensus::measure;
use agentcensus::session::Session;
use std::path::{Path, PathBuf};

fn load(dir: &Path) -> Vec<Session> {
    let diag = Diagnostics::new(true);
    let files: Vec<(PathBuf, usize)> = files_under(dir).into_iter().map(|p| (p, 0)).collect();
    let (units, _) = ingest::plan_units(&files, &diag);
    units
        .iter()
        .flat_map(|u| ingest::parse_unit(u, &diag))
        .collect()
}

fn text_bytes(s: &Session) -> usize {
    use agentcensus::session::Turn;
    s.turns
        .iter()
        .map(|t| match t {
            Turn::Human { text, .. } | Turn::Agent { text, .. } => text.len(),
            Turn::ToolResult { output, .. } => output.len(),
            Turn::ToolCall { input, .. } => input.to_string().len(),
            Turn::System { text, .. } => text.len(),
        })
        .sum()
}

#[test]
fn every_corpus_session_gets_closed_set_labels_with_reasons() {
    let Some(corpus) =
        common::corpus_or_skip("every_corpus_session_gets_closed_set_labels_with_reasons")
    else {
        return;
    };
    let mut sessions = load(&corpus.join("claude-code"));
    sessions.extend(load(&corpus.join("codex")));
    assert!(
        !sessions.is_empty(),
        "the corpus holds Claude Code and Codex sessions"
    );
    let measured: Vec<_> = sessions.iter().map(measure::measure).collect();
    let t = std::time::Instant::now();
    let mut all = Vec::with_capacity(sessions.len());
    for (s, m) in sessions.iter().zip(&measured) {
        all.push(Builtin::label(&Input {
            session: s,
            measured: m,
        }));
    }
    let secs = t.elapsed().as_secs_f64();
    let bytes: usize = sessions.iter().map(text_bytes).sum();
    eprintln!(
        "builtin classified {} corpus sessions ({:.1} MB of text) in {:.3}s: {:.0} sessions/s, {:.0} MB/s (this build, one core, first pass incl. pattern compilation)",
        sessions.len(),
        bytes as f64 / 1e6,
        secs,
        sessions.len() as f64 / secs.max(1e-9),
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
    // Warm: all sessions, and the small ones (at most 60 turns, the typical
    // interactive session).
    let all_idx: Vec<usize> = (0..sessions.len()).collect();
    let small: Vec<usize> = (0..sessions.len())
        .filter(|&i| sessions[i].turns.len() <= 60)
        .collect();
    for (what, small) in [("all", all_idx), ("at most 60 turns", small)] {
        if small.is_empty() {
            continue;
        }
        let rounds = 20;
        let t = std::time::Instant::now();
        for _ in 0..rounds {
            for &i in &small {
                std::hint::black_box(Builtin::label(&Input {
                    session: &sessions[i],
                    measured: &measured[i],
                }));
            }
        }
        let secs = t.elapsed().as_secs_f64();
        eprintln!(
            "builtin on {} sessions ({what}; warm, {rounds} rounds): {:.0} sessions/s",
            small.len(),
            (rounds * small.len()) as f64 / secs.max(1e-9)
        );
    }
    for (s, l) in sessions.iter().zip(&all) {
        for f in FacetId::ALL {
            if f == FacetId::Decisions {
                let d = l.decisions.as_ref().expect("decisions");
                for share in [d.user_planning_share, d.user_execution_share]
                    .into_iter()
                    .flatten()
                {
                    assert!((0.0..=1.0).contains(&share), "{}: share {share}", s.id);
                }
                continue;
            }
            let lab = l
                .get(f)
                .unwrap_or_else(|| panic!("{}: no {}", s.id, f.as_str()));
            assert!(
                rubric::rubric(f).labels.contains(&lab.value.as_str()),
                "{}: {} = {} outside the label set",
                s.id,
                f.as_str(),
                lab.value
            );
            assert!(
                !lab.reasons.is_empty(),
                "{}: {} without reasons",
                s.id,
                f.as_str()
            );
        }
    }
}

#[test]
fn eval_runs_on_the_dev_labels() {
    let Some(shared) = common::shared() else {
        eprintln!("SKIPPED eval_runs_on_the_dev_labels: ../shared is absent");
        return;
    };
    let labels = shared.join("labels").join("dev.jsonl");
    if !labels.exists() {
        eprintln!("SKIPPED eval_runs_on_the_dev_labels: no dev labels");
        return;
    }
    let out = std::process::Command::new(common::bin())
        .args(["eval", "--json", "-q", "--no-store", "--labels"])
        .arg(&labels)
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let refs = v["references"].as_u64().unwrap();
    let matched = v["matched"].as_u64().unwrap();
    assert!(refs > 0 && matched == refs, "matched {matched} of {refs}");
    let facets = v["facets"].as_array().unwrap();
    assert_eq!(facets.len(), 8, "every single-label facet is compared");
    for f in facets {
        let n = f["n"].as_u64().unwrap();
        let m: u64 = f["confusion"]["matrix"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_u64().unwrap()))
            .sum();
        assert_eq!(n, m, "{}: confusion matrix sums to n", f["facet"]);
    }
}
