//! The analysis and the report on synthetic records with known effects.

use agentcensus::analyze::synth::{records, Spec};
use agentcensus::analyze::{analyze, Options, NOT_CLASSIFIED};
use agentcensus::report;

fn opts() -> Options {
    Options {
        reps: 200,
        ..Default::default()
    }
}

#[test]
fn adjusted_slope_recovers_the_simulated_effect() {
    let recs = records(&Spec {
        users: 120,
        sessions_per_user: 40,
        ..Default::default()
    });
    let r = analyze(&recs, &opts());
    let slope = r.adjusted.slope.as_ref().expect("slope estimated");
    assert!(
        (slope.estimate - 0.04).abs() < 2.5 * slope.se + 0.005,
        "slope {} se {}",
        slope.estimate,
        slope.se
    );
    assert!(slope.lo < slope.hi);
    // Step version: five levels, base = level 1, adjusted rates increase.
    assert_eq!(r.adjusted.base_level, Some(1));
    let adj: Vec<f64> = r
        .adjusted
        .levels
        .iter()
        .map(|l| l.adjusted.value.unwrap())
        .collect();
    assert_eq!(adj.len(), 5);
    assert!(adj[4] > adj[0] + 0.08, "{adj:?}");
    // The session-weighted mean of the adjusted rates is the overall rate.
    let all = r.headline.get("All", 1).unwrap().value.unwrap();
    let sample: Vec<_> = recs
        .iter()
        .filter(|x| x.in_study_scope && x.verified_success.is_some() && x.expertise_level.is_some())
        .collect();
    let ybar = sample
        .iter()
        .filter(|x| x.verified_success == Some(true))
        .count() as f64
        / sample.len() as f64;
    let wmean: f64 = r
        .adjusted
        .levels
        .iter()
        .map(|l| {
            let n = sample
                .iter()
                .filter(|x| x.expertise_level == Some(l.level))
                .count() as f64;
            n * l.adjusted.value.unwrap()
        })
        .sum::<f64>()
        / sample.len() as f64;
    assert!((wmean - ybar).abs() < 1e-9, "{wmean} vs {ybar}");
    assert!((all - ybar).abs() < 0.02);
    // The raw-base reading: the base level's own rate plus each step.
    let l1 = &r.adjusted.levels[0];
    assert!((l1.raw_base_plus_step.unwrap() - l1.unadjusted.value.unwrap()).abs() < 1e-9);
    let l5 = &r.adjusted.levels[4];
    assert!(
        (l5.raw_base_plus_step.unwrap()
            - l1.unadjusted.value.unwrap()
            - l5.step.as_ref().unwrap().estimate)
            .abs()
            < 1e-9
    );
    // Actions per prompt grow about 9% per level.
    let le = &r.log_effects[0];
    let p = le.pct_per_level.unwrap();
    assert!((p - 0.09).abs() < 0.05, "{p}");
}

#[test]
fn multi_person_report_applies_thresholds_and_hides_sessions() {
    let mut recs = records(&Spec {
        users: 12,
        sessions_per_user: 20,
        ..Default::default()
    });
    // One rare work mode used by two people only.
    for r in recs
        .iter_mut()
        .filter(|r| r.user == "u_synth0001" || r.user == "u_synth0002")
    {
        r.work_mode = Some("Orchestrate".into());
    }
    for r in recs
        .iter_mut()
        .filter(|r| r.work_mode.as_deref() == Some("Orchestrate"))
    {
        if r.user != "u_synth0001" && r.user != "u_synth0002" {
            r.work_mode = Some("Build".into());
        }
    }
    let rep = analyze(&recs, &opts());
    assert!(rep.thresholds.active);
    assert_eq!(rep.people, 12);
    assert!(
        rep.sessions.is_none(),
        "no per-session detail with several people"
    );
    let orch = rep.work_modes.get("Orchestrate", 1).unwrap();
    assert!(orch.suppressed, "{orch:?}");
    // Suppressed cells stay in the table and are said to be suppressed.
    let text = report::terminal::render(&rep);
    assert!(text.contains("suppressed"));
    assert!(text.contains("at least 5 people and 15 sessions"));
    let html = report::html::render(&rep);
    assert!(html.contains(">suppressed<"));
    assert!(!html.contains("u_synth"), "no pseudonyms printed");
    assert!(
        !html.contains("project-"),
        "no project names in a multi-person report"
    );
    // Every cell of every table either has a value, is suppressed, or says why not.
    for t in rep.tables() {
        for row in &t.rows {
            assert_eq!(row.cells.len(), t.columns.len(), "{} {}", t.id, row.label);
        }
    }
}

#[test]
fn one_person_report_has_drill_down_and_no_suppression() {
    let recs = records(&Spec {
        users: 1,
        sessions_per_user: 60,
        ..Default::default()
    });
    let rep = analyze(&recs, &opts());
    assert!(!rep.thresholds.active);
    let s = rep.sessions.as_ref().expect("drill-down");
    assert_eq!(s.len(), rep.scope.analysed);
    let html = report::html::render(&rep);
    assert!(html.contains("id=\"sessions\""));
    assert!(!html.contains(">suppressed<"));
    // Intervals exist even with one person (sessions are resampled).
    let vs = rep.headline.get("All", 1).unwrap();
    assert!(vs.lo.is_some() && vs.hi.is_some());
}

#[test]
fn scope_filters_are_counted() {
    let recs = records(&Spec {
        users: 6,
        sessions_per_user: 50,
        ..Default::default()
    });
    let rep = analyze(&recs, &opts());
    let s = &rep.scope;
    let non_inter = recs.iter().filter(|r| !r.interactive).count();
    let out = recs
        .iter()
        .filter(|r| r.interactive && !r.in_study_scope)
        .count();
    assert!(non_inter > 0 && out > 0);
    assert_eq!(s.non_interactive_removed, non_inter);
    assert_eq!(s.out_of_scope_removed, out);
    assert_eq!(s.analysed + non_inter + out, recs.len());
    assert!(s.no_clear_goal_excluded > 0);
    let all = analyze(
        &recs,
        &Options {
            scope_all: true,
            ..opts()
        },
    );
    assert_eq!(all.scope.analysed, recs.len());
    let text = report::terminal::render(&rep);
    assert!(text.contains(&format!("removed {non_inter} non-interactive")));
}

#[test]
fn unlabelled_records_say_not_classified() {
    let recs = records(&Spec {
        users: 1,
        sessions_per_user: 25,
        labelled: false,
        ..Default::default()
    });
    let rep = analyze(&recs, &opts());
    assert_eq!(rep.scope.not_classified, rep.scope.analysed);
    assert!(!rep.adjusted.available);
    assert!(rep.adjusted.note.contains(NOT_CLASSIFIED));
    let row = rep.headline.get(NOT_CLASSIFIED, 0).unwrap();
    assert_eq!(row.value, Some(rep.scope.analysed as f64));
    // Telemetry figures still work.
    assert!(rep.headline.get(NOT_CLASSIFIED, 4).unwrap().value.is_some());
    let text = report::terminal::render(&rep);
    assert!(text.contains("not classified"));
    let html = report::html::render(&rep);
    assert!(html.contains("No session has labels yet"));
    let json: serde_json::Value = serde_json::from_str(&report::json::render(&rep)).unwrap();
    assert_eq!(json["scope"]["not_classified"], rep.scope.analysed);
}

#[test]
fn empty_input_renders() {
    let rep = analyze(&[], &opts());
    assert_eq!(rep.scope.analysed, 0);
    let _ = report::terminal::render(&rep);
    let html = report::html::render(&rep);
    assert!(html.starts_with("<!DOCTYPE html>"));
}

#[test]
fn same_records_same_report() {
    let recs = records(&Spec::default());
    let a = report::json::render(&analyze(&recs, &opts()));
    let b = report::json::render(&analyze(&recs, &opts()));
    assert_eq!(a, b);
}

#[test]
fn study_figures_sit_next_to_yours() {
    let rep = analyze(&records(&Spec::default()), &opts());
    let c = rep
        .comparison
        .iter()
        .find(|c| {
            c.measure
                .starts_with("Verified success, 1 Novice (unadjusted)")
        })
        .unwrap();
    assert_eq!(c.study, "13.2%");
    assert!(c.yours.value.is_some() || c.yours.suppressed);
    assert!(rep
        .comparison
        .iter()
        .any(|c| c.measure == "Work mode share: Fix"));
    assert!(rep
        .comparison
        .iter()
        .any(|c| c.measure.starts_with("Fix share, first month")));
}

#[test]
fn damaged_records_do_not_poison_the_figures() {
    let mut recs = records(&Spec {
        users: 1,
        sessions_per_user: 30,
        ..Default::default()
    });
    recs[0].actions_per_prompt = Some(f64::INFINITY);
    recs[1].actions_per_prompt = Some(f64::NAN);
    recs[2].words_per_prompt = Some(f64::NAN);
    recs[3].expertise = Some("seven".into());
    recs[3].derive();
    let rep = analyze(&recs, &opts());
    let g = rep.headline.get("All", 4).unwrap().value.unwrap();
    assert!(g.is_finite() && g > 0.0);
    assert!(rep
        .basics
        .rows
        .iter()
        .all(|r| r.cells[0].value.iter().all(|v| v.is_finite())));
    assert!(report::json::render(&rep).contains("\"schema_version\""));
}
