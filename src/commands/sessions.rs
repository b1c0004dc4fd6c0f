//! `agentcensus sessions`: one line (or one JSON object) per session.

use crate::cli::{Global, SessionsArgs};
use crate::discover::Request;
use crate::pipeline;
use std::io::Write;

pub fn run(args: &SessionsArgs, g: &Global) -> anyhow::Result<i32> {
    let diag = super::diagnostics(g);
    let backend = super::backend(&args.backend, g)?;
    let req = Request {
        paths: &args.input.paths,
        users: &args.input.users,
        users_by_folder: args.input.users_by_folder,
    };
    let plan = pipeline::plan(&req, &diag);
    if plan.units.is_empty() {
        eprintln!("no sessions found (looked in: {})", looked(&plan));
        return Ok(super::exit::NOTHING);
    }
    if args.normalized {
        let out = std::io::stdout();
        let mut out = std::io::BufWriter::new(out.lock());
        match super::import::write_normalized(&plan, &super::filter(&args.input), &diag, &mut out) {
            Err(e)
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) => {}
            r => {
                r?;
            }
        }
        return Ok(super::exit::OK);
    }
    let json = args.json;
    let mut rows =
        pipeline::process(
            &plan,
            &plan.units,
            backend.as_ref(),
            &super::filter(&args.input),
            &diag,
            g.quiet,
            |p| {
                if json {
                    let mut v = serde_json::to_value(p.record).ok()?;
                    if let Some(o) = v.as_object_mut() {
                        o.insert(
                            "evidence".into(),
                            serde_json::to_value(&p.measured.evidence.items).ok()?,
                        );
                    }
                    Some((p.record.start.clone(), v.to_string()))
                } else {
                    let r = p.record;
                    let app = r
                        .actions_per_prompt
                        .map(|x| format!("{x:.1}"))
                        .unwrap_or_else(|| "-".into());
                    Some((
                        r.start.clone(),
                        format!(
                    "{:<36} {:<11} {:<8} {:>7} {:>7} {:>7} {:>6} {:>5} {:>6} {:<11} {:<9} {}",
                    r.session_id,
                    r.agent,
                    r.month.as_deref().unwrap_or("-"),
                    r.human_prompts,
                    r.actions,
                    app,
                    r.lines_added,
                    r.test_runs,
                    r.commits,
                    r.work_mode.as_deref().unwrap_or("-"),
                    r.outcome.as_deref().map(short_outcome).unwrap_or("-"),
                    if r.interactive { "" } else { "(not interactive)" }
                ),
                    ))
                }
            },
        );
    rows.sort();
    let out = std::io::stdout();
    let mut out = out.lock();
    if !json {
        writeln!(
            out,
            "{:<36} {:<11} {:<8} {:>7} {:>7} {:>7} {:>6} {:>5} {:>6} {:<11} {:<9}",
            "session",
            "agent",
            "month",
            "prompts",
            "actions",
            "act/pr",
            "+lines",
            "tests",
            "commit",
            "work mode",
            "outcome"
        )?;
    }
    for (_, line) in rows {
        if writeln!(out, "{line}").is_err() {
            break; // closed pipe (e.g. `| head`)
        }
    }
    Ok(super::exit::OK)
}

fn short_outcome(o: &str) -> &str {
    match o {
        "Partially Succeeded" => "Partial",
        "No clear goal" => "No goal",
        x => x,
    }
}

pub fn looked(plan: &pipeline::Plan) -> String {
    if plan.discovered.looked_at.is_empty() {
        plan.discovered
            .roots
            .iter()
            .map(|r| r.path.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        plan.discovered
            .looked_at
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
