//! The one-direction pipeline: discover -> ingest -> measure -> classify ->
//! SessionRecord. Each session unit is parsed, measured and classified on a
//! worker thread and then dropped: only the flat records stay in memory.

use crate::classify::{Backend, Input, Labels};
use crate::diag::Diagnostics;
use crate::discover::{self, Discovered};
use crate::ingest::{self, Unit};
use crate::measure::{self, Measured};
use crate::privacy::pseudonym::pseudonym;
use crate::record::SessionRecord;
use crate::session::Session;
use rayon::prelude::*;
use std::path::PathBuf;

/// Which sessions to keep (applied after parsing; records outside are not produced).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Inclusive lower bound on the session start, `YYYY-MM` or `YYYY-MM-DD`.
    pub since: Option<String>,
    /// Inclusive upper bound on the session start.
    pub until: Option<String>,
    pub agent: Option<String>,
    /// Substring of the project name.
    pub project: Option<String>,
    /// Only sessions whose id starts with one of these (`show`, `eval`):
    /// checked before classification, so an LLM backend is asked only about them.
    pub session_ids: Option<Vec<String>>,
}

impl Filter {
    fn keeps_id(&self, id: &str) -> bool {
        self.session_ids
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|p| id.starts_with(p.as_str())))
    }
}

impl Filter {
    pub fn keeps(&self, s: &Session) -> bool {
        if !self.keeps_id(&s.id) {
            return false;
        }
        if let Some(a) = &self.agent {
            if s.agent.as_str() != a {
                return false;
            }
        }
        if let Some(p) = &self.project {
            if !s.project.as_deref().unwrap_or("").contains(p.as_str()) {
                return false;
            }
        }
        let day = s.start.map(crate::time::date);
        if let Some(since) = &self.since {
            match &day {
                Some(d) if d.as_str() >= since.as_str() => {}
                _ => return false,
            }
        }
        if let Some(until) = &self.until {
            match &day {
                // A month bound includes the whole month.
                Some(d) if d.as_str() <= until.as_str() || d.starts_with(until.as_str()) => {}
                _ => return false,
            }
        }
        true
    }

    /// The same test on a stored record (start date, agent, project).
    pub fn keeps_record(&self, r: &SessionRecord) -> bool {
        if !self.keeps_id(&r.session_id) {
            return false;
        }
        if let Some(a) = &self.agent {
            if r.agent != *a {
                return false;
            }
        }
        if let Some(p) = &self.project {
            if !r.project.as_deref().unwrap_or("").contains(p.as_str()) {
                return false;
            }
        }
        let day = r.start.as_deref().map(|s| s.get(..10).unwrap_or(s));
        if let Some(since) = &self.since {
            match day {
                Some(d) if d >= since.as_str() => {}
                _ => return false,
            }
        }
        if let Some(until) = &self.until {
            match day {
                Some(d) if d <= until.as_str() || d.starts_with(until.as_str()) => {}
                _ => return false,
            }
        }
        true
    }
}

/// What the pipeline found, before classification results are used.
pub struct Plan {
    pub discovered: Discovered,
    pub units: Vec<Unit>,
    pub unknown_files: Vec<PathBuf>,
    pub bytes: u64,
}

pub fn plan(req: &discover::Request, diag: &Diagnostics) -> Plan {
    let t0 = std::time::Instant::now();
    let timing = std::env::var_os("AGENTCENSUS_TIMING").is_some();
    let discovered = discover::discover(req, diag);
    if timing {
        eprintln!(
            "timing: discovered {} files in {:.3} s",
            discovered.files.len(),
            t0.elapsed().as_secs_f64()
        );
    }
    // Files the store has seen unchanged are not sniffed again.
    let cache = crate::store::incremental::PlanCache::configured(&discovered);
    let (units, unknown_files) = match &cache {
        Some(c) => ingest::plan_units_with(&discovered.files, diag, &|p, r| c.known(p, r)),
        None => ingest::plan_units(&discovered.files, diag),
    };
    if timing {
        eprintln!(
            "timing: planned {} units in {:.3} s ({})",
            units.len(),
            t0.elapsed().as_secs_f64(),
            crate::store::incremental::memory()
        );
    }
    let bytes = units.iter().map(|u| u.bytes).sum();
    Plan {
        discovered,
        units,
        unknown_files,
        bytes,
    }
}

/// One processed session, handed to the caller's closure.
pub struct Processed<'a> {
    pub session: &'a Session,
    pub measured: &'a Measured,
    pub labels: &'a Labels,
    pub record: &'a SessionRecord,
    pub unit: &'a Unit,
}

/// Runs ingest, measure and classify over `units` in parallel, calling `f`
/// for each session kept by `filter`; returns what `f` returned, in a stable
/// order (by unit, then by session).
pub fn process<T: Send>(
    plan: &Plan,
    units: &[Unit],
    backend: &dyn Backend,
    filter: &Filter,
    diag: &Diagnostics,
    quiet: bool,
    f: impl Fn(Processed) -> Option<T> + Sync,
) -> Vec<T> {
    let pb = crate::progress::bar(units.len() as u64, "sessions", quiet);
    let out: Vec<Vec<T>> = units
        .par_iter()
        .map(|unit| {
            let res = process_unit(plan, unit, backend, filter, diag, &f);
            pb.inc(1);
            res
        })
        .collect();
    pb.finish_and_clear();
    out.into_iter().flatten().collect()
}

/// Ingest, measure and classify one unit (on the calling thread), calling `f`
/// for each session kept by `filter`.
pub fn process_unit<T>(
    plan: &Plan,
    unit: &Unit,
    backend: &dyn Backend,
    filter: &Filter,
    diag: &Diagnostics,
    f: &impl Fn(Processed) -> Option<T>,
) -> Vec<T> {
    let mut res = Vec::new();
    let user = plan
        .discovered
        .roots
        .get(unit.root)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    for mut session in ingest::parse_unit(unit, diag) {
        if session.user.is_none() {
            session.user = Some(user.clone());
        }
        if !filter.keeps(&session) {
            continue;
        }
        let measured = measure::measure(&session);
        let labels = match backend.classify(&Input {
            session: &session,
            measured: &measured,
        }) {
            Ok(l) => l,
            Err(e) => {
                let file = session.files.first().cloned().unwrap_or_default();
                diag.warn(
                    &file,
                    None,
                    format!("session {}: classification failed: {e:#}", session.id),
                );
                Labels {
                    backend: backend.name().to_string(),
                    ..Default::default()
                }
            }
        };
        let record = SessionRecord::build(
            &session,
            &measured,
            &labels,
            &pseudonym(session.user.as_deref().unwrap_or("")),
        );
        if let Some(t) = f(Processed {
            session: &session,
            measured: &measured,
            labels: &labels,
            record: &record,
            unit,
        }) {
            res.push(t);
        }
    }
    res
}

/// All records of the planned units (the report's input). The store stage
/// hooks in here: units whose files are unchanged since the last run come from
/// the store instead of being parsed again, and records of deleted source
/// files under the same roots are kept (see `store::incremental`).
pub fn collect_records(
    plan: &Plan,
    backend: &dyn Backend,
    filter: &Filter,
    diag: &Diagnostics,
    g: &crate::cli::Global,
) -> anyhow::Result<Vec<SessionRecord>> {
    collect_records_opts(plan, backend, filter, diag, g, false)
}

/// As [`collect_records`], but the records come back with `reasons_json`
/// empty (the store keeps them complete). For reports that show no
/// per-session reasons: reasons are about half of a record's memory (at
/// 100,000 generated sessions, peak memory 255 MB instead of 357 MB).
pub fn collect_records_without_reasons(
    plan: &Plan,
    backend: &dyn Backend,
    filter: &Filter,
    diag: &Diagnostics,
    g: &crate::cli::Global,
) -> anyhow::Result<Vec<SessionRecord>> {
    collect_records_opts(plan, backend, filter, diag, g, true)
}

fn collect_records_opts(
    plan: &Plan,
    backend: &dyn Backend,
    filter: &Filter,
    diag: &Diagnostics,
    g: &crate::cli::Global,
    no_reasons: bool,
) -> anyhow::Result<Vec<SessionRecord>> {
    // The shipped example sessions are not the user's data: never stored.
    let examples = !plan.discovered.roots.is_empty()
        && plan.discovered.roots.iter().all(|r| {
            r.path.starts_with(std::env::temp_dir())
                && r.path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("agentcensus-examples-"))
        });
    let store = if examples {
        None
    } else {
        crate::store::Store::from_global(g)?
    };
    match store {
        Some(store) => {
            let (records, stats) = crate::store::incremental::collect_opts(
                &store, plan, backend, filter, diag, g.quiet, no_reasons,
            )?;
            if !g.quiet {
                crate::progress::println_stderr(&stats.summary(store.path()));
            }
            Ok(records)
        }
        None => Ok(collect_in_memory_opts(
            plan, backend, filter, diag, g.quiet, no_reasons,
        )),
    }
}

/// [`process`] for records without a store, a chunk of units at a time, into
/// one vector sized for one session per unit: no per-unit vectors for the
/// whole corpus and no second copy when they are joined, so memory is the
/// records themselves.
pub fn collect_in_memory(
    plan: &Plan,
    backend: &dyn Backend,
    filter: &Filter,
    diag: &Diagnostics,
    quiet: bool,
) -> Vec<SessionRecord> {
    collect_in_memory_opts(plan, backend, filter, diag, quiet, false)
}

fn collect_in_memory_opts(
    plan: &Plan,
    backend: &dyn Backend,
    filter: &Filter,
    diag: &Diagnostics,
    quiet: bool,
    no_reasons: bool,
) -> Vec<SessionRecord> {
    let pb = crate::progress::bar(plan.units.len() as u64, "sessions", quiet);
    let mut all = Vec::with_capacity(plan.units.len());
    for chunk in plan.units.chunks(1024) {
        let part: Vec<Vec<SessionRecord>> = chunk
            .par_iter()
            .map(|unit| {
                let r = process_unit(plan, unit, backend, filter, diag, &|p| {
                    let mut r = p.record.clone();
                    if no_reasons {
                        r.reasons_json = String::new();
                    }
                    Some(r)
                });
                pb.inc(1);
                r
            })
            .collect();
        for v in part {
            all.extend(v);
        }
    }
    pb.finish_and_clear();
    all
}
