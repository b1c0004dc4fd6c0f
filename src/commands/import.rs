//! `agentcensus import FILE...`: sessions in the normalized session JSONL
//! format (one `Session` object per line, src/session.rs) go into the store,
//! so any tool can feed agentcensus. Files of the agents' own formats are
//! accepted too. The reverse, `agentcensus sessions --normalized`, writes
//! normalized JSONL from any input.

use crate::cli::{Global, ImportArgs};
use crate::diag::Diagnostics;
use crate::discover::Request;
use crate::pipeline::{self, Filter, Plan};
use crate::store::{incremental, Store};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;

pub fn run(args: &ImportArgs, g: &Global) -> anyhow::Result<i32> {
    if args.files.is_empty() {
        anyhow::bail!("name at least one normalized session JSONL file to import");
    }
    if g.no_store {
        anyhow::bail!("import writes into the store; it cannot run with --no-store");
    }
    let diag = super::diagnostics(g);
    let backend = super::backend(&args.backend, g)?;
    let Some(store) = Store::from_global(g)? else {
        anyhow::bail!("no store to import into: name one with --store");
    };
    // Sessions that do not name their person belong to --user (else to the
    // file's name).
    let users: Vec<(String, PathBuf)> = match &args.user {
        Some(u) => args.files.iter().map(|f| (u.clone(), f.clone())).collect(),
        None => Vec::new(),
    };
    let paths: Vec<PathBuf> = if args.user.is_some() {
        Vec::new()
    } else {
        args.files.clone()
    };
    let req = Request {
        paths: &paths,
        users: &users,
        users_by_folder: false,
    };
    let plan = pipeline::plan(&req, &diag);
    if plan.units.is_empty() {
        eprintln!("no sessions found in {}", super::sessions::looked(&plan));
        return Ok(super::exit::NOTHING);
    }
    let (records, stats) = incremental::collect(
        &store,
        &plan,
        backend.as_ref(),
        &Filter::default(),
        &diag,
        g.quiet,
    )?;
    println!(
        "imported {} sessions from {} files into {} ({} session units read, {} unchanged since the last import)",
        records.len(),
        plan.discovered.files.len(),
        store.path().display(),
        stats.parsed,
        stats.unchanged
    );
    if diag.count() > 0 {
        println!("warnings: {} (see stderr)", diag.count());
    }
    Ok(super::exit::OK)
}

/// Writes every planned session (kept by `filter`) as normalized session
/// JSONL to `out`, in plan order, a chunk of units at a time.
pub fn write_normalized(
    plan: &Plan,
    filter: &Filter,
    diag: &Diagnostics,
    out: &mut dyn Write,
) -> anyhow::Result<u64> {
    let mut n = 0;
    for chunk in plan.units.chunks(256) {
        let lines: Vec<Vec<String>> = chunk
            .par_iter()
            .map(|unit| {
                let user = plan
                    .discovered
                    .roots
                    .get(unit.root)
                    .map(|r| r.name.clone())
                    .unwrap_or_default();
                crate::ingest::parse_unit(unit, diag)
                    .into_iter()
                    .filter_map(|mut s| {
                        if s.user.is_none() {
                            s.user = Some(user.clone());
                        }
                        if !filter.keeps(&s) {
                            return None;
                        }
                        serde_json::to_string(&s).ok()
                    })
                    .collect()
            })
            .collect();
        for l in lines.into_iter().flatten() {
            out.write_all(l.as_bytes())?;
            out.write_all(b"\n")?;
            n += 1;
        }
    }
    out.flush()?;
    Ok(n)
}
