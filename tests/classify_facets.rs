//! The builtin classifiers on hand-written fixtures (normalized Session JSON,
//! invented content, tests/fixtures/classify/). One snapshot per facet lists
//! that facet's label for every fixture, so a change in behaviour shows up as
//! a reviewed diff; a few expectations that must hold are asserted directly.

use agentcensus::classify::builtin::Builtin;
use agentcensus::classify::{FacetId, Input, Labels};
use agentcensus::measure;
use agentcensus::session::Session;
use std::collections::BTreeMap;
use std::path::PathBuf;

const FIXTURES: [&str; 8] = [
    "fix",
    "build_commit",
    "novice_vague",
    "expert_correction",
    "failed_error",
    "exploratory",
    "prose",
    "deploy",
];

fn load(name: &str) -> Session {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/classify")
        .join(format!("{name}.jsonl"));
    let text = std::fs::read_to_string(&p).expect("fixture exists");
    serde_json::from_str(text.trim()).expect("fixture is a valid Session")
}

fn labels(name: &str) -> Labels {
    let s = load(name);
    let m = measure::measure(&s);
    Builtin::label(&Input {
        session: &s,
        measured: &m,
    })
}

fn all() -> BTreeMap<&'static str, Labels> {
    FIXTURES.iter().map(|n| (*n, labels(n))).collect()
}

fn value(l: &Labels, f: FacetId) -> &str {
    l.value(f).expect("every facet labelled")
}

#[test]
fn every_facet_has_a_label_with_confidence_and_reasons() {
    for (name, l) in all() {
        assert_eq!(l.backend, "builtin");
        assert_eq!(
            l.rubric_version,
            agentcensus::classify::rubric::RUBRIC_SET_VERSION
        );
        for f in FacetId::ALL {
            if f == FacetId::Decisions {
                let d = l.decisions.as_ref().expect("decisions");
                assert!(!d.reasons.is_empty(), "{name}: decisions without reasons");
                continue;
            }
            let lab = l.get(f).unwrap_or_else(|| panic!("{name}: no {f:?}"));
            let rubric = agentcensus::classify::rubric::rubric(f);
            assert!(
                rubric.labels.contains(&lab.value.as_str()),
                "{name}: {f:?} = {} is outside the closed label set",
                lab.value
            );
            assert!((0.0..=1.0).contains(&lab.confidence));
            assert!(!lab.reasons.is_empty(), "{name}: {f:?} has no reasons");
        }
    }
}

#[test]
fn reasons_never_quote_prompts() {
    for name in FIXTURES {
        let s = load(name);
        let l = labels(name);
        let mut reasons: Vec<String> = FacetId::ALL
            .iter()
            .filter_map(|f| l.get(*f))
            .flat_map(|x| x.reasons.clone())
            .collect();
        if let Some(d) = &l.decisions {
            reasons.extend(d.reasons.clone());
            reasons.extend(d.decisions.iter().map(|x| x.what.clone()));
        }
        for p in s.human_prompts() {
            // Any run of five words from a prompt must not appear in a reason.
            let w: Vec<&str> = p.split_whitespace().collect();
            for win in w.windows(5) {
                let needle = win.join(" ");
                for r in &reasons {
                    assert!(!r.contains(&needle), "{name}: reason quotes a prompt: {r}");
                }
            }
        }
    }
}

#[test]
fn work_modes_follow_the_work() {
    let l = all();
    assert_eq!(value(&l["fix"], FacetId::WorkMode), "Fix");
    assert_eq!(value(&l["build_commit"], FacetId::WorkMode), "Build");
    assert_eq!(value(&l["prose"], FacetId::WorkMode), "Communicate");
    assert_eq!(value(&l["deploy"], FacetId::WorkMode), "Operate");
    assert_eq!(value(&l["exploratory"], FacetId::Codebase), "explore");
    assert_eq!(
        value(&l["build_commit"], FacetId::Codebase),
        "modify_existing"
    );
}

#[test]
fn expertise_orders_novice_below_expert() {
    let l = all();
    let lvl = |n: &str| value(&l[n], FacetId::Expertise).parse::<u8>().unwrap_or(0);
    assert!(
        lvl("expert_correction") >= 4,
        "expert fixture rated {}",
        lvl("expert_correction")
    );
    assert!(
        (1..=2).contains(&lvl("novice_vague")),
        "novice fixture rated {}",
        lvl("novice_vague")
    );
    assert!(lvl("expert_correction") > lvl("build_commit"));
}

#[test]
fn decisions_give_shares() {
    let l = all();
    let d = l["expert_correction"].decisions.as_ref().unwrap();
    assert!(d.user_planning_share.is_some());
    assert!(
        d.user_execution_share.unwrap_or(0.0) > 0.0,
        "the expert named the code"
    );
    let d = l["novice_vague"].decisions.as_ref().unwrap();
    assert_eq!(
        d.user_execution_share,
        Some(0.0),
        "the novice named nothing"
    );
}

macro_rules! facet_snapshot {
    ($test:ident, $facet:expr) => {
        #[test]
        fn $test() {
            let by_fixture: BTreeMap<&str, _> = all()
                .into_iter()
                .map(|(n, l)| (n, l.get($facet).cloned()))
                .collect();
            insta::assert_json_snapshot!($facet.as_str(), by_fixture);
        }
    };
}

facet_snapshot!(snapshot_work_mode, FacetId::WorkMode);
facet_snapshot!(snapshot_codebase, FacetId::Codebase);
facet_snapshot!(snapshot_expertise, FacetId::Expertise);
facet_snapshot!(snapshot_occupation_user, FacetId::OccupationUser);
facet_snapshot!(snapshot_occupation_work, FacetId::OccupationWork);
facet_snapshot!(snapshot_outcome, FacetId::Outcome);
facet_snapshot!(snapshot_success_signal, FacetId::SuccessSignal);
facet_snapshot!(snapshot_failure_signal, FacetId::FailureSignal);

#[test]
fn snapshot_decisions() {
    let by_fixture: BTreeMap<&str, _> = all().into_iter().map(|(n, l)| (n, l.decisions)).collect();
    insta::assert_json_snapshot!("decisions", by_fixture);
}

/// Throughput of the builtin backend on top of parsing (prints, never asserts).
/// Run: `cargo test --release --test classify_facets throughput -- --ignored --nocapture`
#[test]
#[ignore]
fn throughput() {
    let sessions: Vec<Session> = FIXTURES.iter().map(|n| load(n)).collect();
    let measured: Vec<_> = sessions.iter().map(measure::measure).collect();
    let rounds = 5000;
    let t = std::time::Instant::now();
    let mut n = 0usize;
    for _ in 0..rounds {
        for (s, m) in sessions.iter().zip(&measured) {
            let l = Builtin::label(&Input {
                session: s,
                measured: m,
            });
            n += l.work_mode.is_some() as usize;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "builtin: {n} sessions in {secs:.3}s = {:.0} sessions/s on one core",
        n as f64 / secs
    );
}
