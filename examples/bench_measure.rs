//! Benchmark of the measure stage alone: parses the sessions under a folder
//! once, then measures them all `rounds` times and prints the time per
//! session and per turn. Run through scripts/bench_measure.sh (release build).
//! Usage: bench_measure <folder> [rounds=20]

use agentcensus::diag::Diagnostics;
use agentcensus::ingest;
use agentcensus::measure;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bench_measure <folder> [rounds]");
        std::process::exit(2);
    };
    let rounds: u32 = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let diag = Diagnostics::new(true);
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push((p, 0));
            }
        }
    }
    let (units, _) = ingest::plan_units(&files, &diag);
    let sessions: Vec<_> = units
        .iter()
        .flat_map(|u| ingest::parse_unit(u, &diag))
        .collect();
    let turns: usize = sessions.iter().map(|s| s.turns.len()).sum();
    // Warm-up: compiles the lazily built regexes once.
    for s in &sessions {
        std::hint::black_box(measure::measure(s));
    }
    let t = Instant::now();
    for _ in 0..rounds {
        for s in &sessions {
            std::hint::black_box(measure::measure(s));
        }
    }
    let secs = t.elapsed().as_secs_f64() / f64::from(rounds);
    println!(
        "measure: {} sessions, {turns} turns: {:.2} ms per pass, {:.1} us per session, {:.2} us per turn ({rounds} rounds, one thread)",
        sessions.len(),
        secs * 1e3,
        secs * 1e6 / sessions.len().max(1) as f64,
        secs * 1e6 / turns.max(1) as f64,
    );
}
