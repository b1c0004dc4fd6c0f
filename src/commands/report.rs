//! `agentcensus report`: the main job.

use crate::cli::{Global, ReportArgs};
use crate::discover::Request;
use crate::pipeline;

pub fn run(args: &ReportArgs, g: &Global) -> anyhow::Result<i32> {
    let diag = super::diagnostics(g);
    let backend = super::backend(&args.backend, g)?;
    let mut paths = args.input.paths.clone();
    let mut examples = args.examples;
    let req = Request {
        paths: &paths,
        users: &args.input.users,
        users_by_folder: args.input.users_by_folder,
    };
    let mut plan = pipeline::plan(&req, &diag);
    if !examples
        && plan.units.is_empty()
        && args.input.paths.is_empty()
        && args.input.users.is_empty()
    {
        eprintln!(
            "No agent sessions found on this machine (looked in: {}).",
            super::sessions::looked(&plan)
        );
        eprintln!("Running on the example sessions shipped with agentcensus instead.");
        examples = true;
    }
    if examples {
        paths = vec![crate::examples::materialize()?];
        let req = Request {
            paths: &paths,
            users: &[],
            users_by_folder: false,
        };
        plan = pipeline::plan(&req, &diag);
    }
    let records = pipeline::process(
        &plan,
        &plan.units,
        backend.as_ref(),
        &super::filter(&args.input),
        &diag,
        g.quiet,
        |p| Some(p.record.clone()),
    );
    if records.is_empty() {
        eprintln!("no sessions found in {}", super::sessions::looked(&plan));
        return Ok(super::exit::NOTHING);
    }
    let title = if examples {
        "agentcensus report (EXAMPLE SESSIONS, not your data)"
    } else {
        "agentcensus report"
    };
    println!("{title}");
    println!(
        "sessions: {}   interactive: {}",
        records.len(),
        records.iter().filter(|r| r.interactive).count()
    );
    if diag.count() > 0 {
        println!("warnings: {} (see stderr)", diag.count());
    }
    Ok(super::exit::OK)
}
