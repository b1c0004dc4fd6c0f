//! Scale check (prints numbers, asserts nothing about time):
//! `cargo test --test report_scale -- --ignored --nocapture`.

use agentcensus::analyze::synth::{records, Spec};
use agentcensus::analyze::{analyze, Options};
use std::time::Instant;

#[test]
#[ignore]
fn analyze_many_records() {
    for (users, per) in [(500, 20), (5000, 20)] {
        let recs = records(&Spec {
            users,
            sessions_per_user: per,
            ..Default::default()
        });
        let t = Instant::now();
        let rep = analyze(
            &recs,
            &Options {
                reps: std::env::var("REPS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1000),
                ..Default::default()
            },
        );
        let a = t.elapsed();
        let t = Instant::now();
        let html = agentcensus::report::html::render(&rep);
        let b = t.elapsed();
        println!(
            "{} records, {} people: analyze {:.2?}, html {:.2?} ({} KB)",
            recs.len(),
            rep.people,
            a,
            b,
            html.len() / 1024
        );
    }
}
