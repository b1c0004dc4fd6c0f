//! `agentcensus report`: the main job.

use crate::analyze::{self, Options};
use crate::cli::{Global, ReportArgs};
use crate::discover::Request;
use crate::pipeline;
use crate::report;

pub fn run(args: &ReportArgs, g: &Global) -> anyhow::Result<i32> {
    let scope_all = match args.scope.as_str() {
        "study" => false,
        "all" => true,
        other => {
            eprintln!("error: --scope must be 'study' or 'all', not '{other}'");
            return Ok(super::exit::USAGE);
        }
    };
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
    // The analysis never reads the reasons: leaving them out keeps memory
    // flat at 100,000 sessions (see docs/store.md).
    let records = pipeline::collect_records_without_reasons(
        &plan,
        backend.as_ref(),
        &super::filter(&args.input),
        &diag,
        g,
    )?;
    if records.is_empty() && !examples {
        eprintln!("no sessions found in {}", super::sessions::looked(&plan));
        return Ok(super::exit::NOTHING);
    }
    let title = if examples {
        "agentcensus report: EXAMPLE SESSIONS (not your data)".to_string()
    } else {
        "agentcensus report".to_string()
    };
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let opts = Options {
        title,
        examples,
        scope_all,
        k_users: args.k_users,
        k_sessions: args.k_sessions,
        generated: Some(crate::time::format_rfc3339(now_ms)),
        ..Default::default()
    };
    let rep = analyze::analyze(&records, &opts);
    if args.json {
        stdout(&format!("{}\n", report::json::render(&rep)))?;
    } else {
        stdout(&report::terminal::render(&rep))?;
        if diag.count() > 0 {
            stdout(&format!("warnings: {} (see stderr)\n", diag.count()))?;
        }
    }
    if let Some(dir) = &args.csv {
        let files = report::csv::write_all(&rep, dir)?;
        eprintln!("CSV tables: {} files in {}", files.len(), dir.display());
    }
    if !args.no_html {
        let out = args
            .output
            .clone()
            .unwrap_or_else(|| std::path::PathBuf::from("agentcensus-report.html"));
        std::fs::write(&out, report::html::render(&rep)).map_err(|e| {
            anyhow::anyhow!("cannot write the HTML report to {}: {e}", out.display())
        })?;
        let shown = std::fs::canonicalize(&out).unwrap_or(out);
        if args.json {
            eprintln!("HTML report: {}", shown.display());
        } else {
            stdout(&format!("\nHTML report: {}\n", shown.display()))?;
        }
    }
    Ok(super::exit::OK)
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn stdout(s: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    match o.write_all(s.as_bytes()).and_then(|_| o.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
