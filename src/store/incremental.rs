//! Incremental runs over the store.
//!
//! For each planned unit: if the store has it, made by the same classifier
//! (backend, rubric version, record schema, build), and every file has the
//! size and mtime it had (or, when only the mtime moved, the same BLAKE3
//! hash), its records come from the store. Otherwise the unit is parsed again
//! and its records replace the stored ones. Parsed units go to a writer thread
//! that commits them in transactions of up to [`BATCH_UNITS`] units, so a run
//! killed at any moment keeps every committed unit and never half a unit.
//!
//! Which stored records belong in a report: the records of every planned unit,
//! plus the records of stored units whose files are all gone now (deleted
//! transcripts) and which lay under one of the report's input roots. Units
//! whose files were taken over by other units (say, after a folder was split
//! into people) are deleted, so nothing is counted twice.

use super::{hash_file, stat, FileRow, Store, UnitWrite};
use crate::classify::Backend;
use crate::diag::Diagnostics;
use crate::pipeline::{self, Filter, Plan};
use crate::privacy::pseudonym::pseudonym;
use crate::record::SessionRecord;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Units per write transaction (and the longest wait between commits).
pub const BATCH_UNITS: usize = 256;
pub const BATCH_TIME: Duration = Duration::from_millis(500);

/// What a run did with the store.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Units planned.
    pub units: usize,
    /// Units whose records came from the store unchanged.
    pub unchanged: usize,
    /// Units parsed (new, grown, changed, or made by another classifier).
    pub parsed: usize,
    /// Unchanged units whose files had a new mtime but the same content.
    pub touched: usize,
    /// Stored units whose files are gone, kept in the report.
    pub from_deleted: usize,
    /// Stored units dropped because other units took over their files.
    pub pruned: usize,
    /// Records returned (after the filter).
    pub records: usize,
}

impl Stats {
    pub fn summary(&self, path: &Path) -> String {
        let mut s = format!(
            "store: {} sessions; {} of {} units unchanged, {} parsed",
            self.records, self.unchanged, self.units, self.parsed
        );
        if self.from_deleted > 0 {
            s.push_str(&format!(", {} kept from deleted files", self.from_deleted));
        }
        s.push_str(&format!(" ({})", path.display()));
        s
    }
}

/// Resident and peak memory of this process (Linux), for timing output.
pub fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let get = |k: &str| {
        status
            .lines()
            .find(|l| l.starts_with(k))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .map(|kb| format!("{} MB", kb / 1024))
            .unwrap_or_else(|| "?".into())
    };
    format!("rss {}, peak {}", get("VmRSS:"), get("VmHWM:"))
}

/// Identity of the program that made a record: a rebuilt or upgraded binary
/// measures afresh (its code may count differently).
fn build_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe()
            .ok()
            .and_then(|p| stat(&p).ok())
            .map(|(len, mtime)| format!("{len}-{mtime}"))
            .unwrap_or_default();
        format!("{} {exe}", env!("CARGO_PKG_VERSION"))
    })
}

/// The classifier a stored unit must match to be reused.
pub fn classifier_key(backend: &dyn Backend) -> String {
    format!(
        "{}|rubric {}|record {}|build {}",
        backend.fingerprint(),
        crate::classify::rubric::RUBRIC_SET_VERSION,
        crate::record::RECORD_SCHEMA_VERSION,
        build_id()
    )
}

struct RootInfo {
    given: PathBuf,
    abs: String,
    name: String,
}

fn abs_root(p: &Path) -> PathBuf {
    p.canonicalize()
        .or_else(|_| std::path::absolute(p))
        .unwrap_or_else(|_| p.to_path_buf())
}

/// The absolute path of a planned file, without a system call per file when
/// it lies under its (already resolved) root.
fn abs_file(root: &RootInfo, f: &Path) -> String {
    match f.strip_prefix(&root.given) {
        Ok(rel) if rel.as_os_str().is_empty() => root.abs.clone(),
        Ok(rel) => Path::new(&root.abs)
            .join(rel)
            .to_string_lossy()
            .into_owned(),
        Err(_) => abs_root(f).to_string_lossy().into_owned(),
    }
}

fn under(path: &str, root: &str) -> bool {
    let sep = std::path::MAIN_SEPARATOR;
    if path == root {
        return true;
    }
    match path.strip_prefix(root) {
        Some(rest) => root.ends_with(sep) || rest.starts_with(sep),
        None => false,
    }
}

/// What the store knows about unchanged files, for planning: a file whose
/// size and mtime are as stored keeps its format and unit key without being
/// read (see `ingest::plan_units_with`).
pub struct PlanCache {
    roots: Vec<RootInfo>,
    /// absolute path -> (size, mtime, format, unit key)
    files: HashMap<String, super::PlanEntry>,
}

impl PlanCache {
    /// From the store configured for this process (`store::configure`), when
    /// it exists already; None otherwise (nothing is created here).
    pub fn configured(d: &crate::discover::Discovered) -> Option<PlanCache> {
        let path = super::configured_path()?;
        if !path.is_file() {
            return None;
        }
        let store = Store::open(path).ok()?;
        PlanCache::from_store(&store, d).ok()
    }

    /// What `store` knows about the files of `d`. Only what this very build
    /// decided: another build may group files into units differently.
    pub fn from_store(store: &Store, d: &crate::discover::Discovered) -> anyhow::Result<PlanCache> {
        let roots: Vec<RootInfo> = d.roots.iter().map(root_info).collect();
        let (abs, extra) = scope(&roots, d.files.iter().map(|(f, r)| (f.as_path(), *r)));
        let files = store.plan_entries_under(&abs, &extra, &format!("|build {}", build_id()))?;
        Ok(PlanCache { roots, files })
    }

    pub fn known(&self, path: &Path, root: usize) -> Option<crate::ingest::Known> {
        let abs = abs_file(self.roots.get(root)?, path);
        let (size, mtime, format, key) = self.files.get(&abs)?;
        let (s, m) = stat(path).ok()?;
        (s == *size && m == *mtime).then(|| (format.to_string(), key.clone(), s))
    }
}

/// What a run needs from the store: the absolute roots, and the files that
/// lie outside their own root (several paths named for one person).
fn scope<'a>(
    roots: &[RootInfo],
    files: impl Iterator<Item = (&'a Path, usize)>,
) -> (Vec<String>, Vec<String>) {
    let abs = roots.iter().map(|r| r.abs.clone()).collect();
    let extra = files
        .filter_map(|(f, r)| {
            let root = roots.get(r)?;
            f.strip_prefix(&root.given)
                .is_err()
                .then(|| abs_file(root, f))
        })
        .collect();
    (abs, extra)
}

fn root_info(r: &crate::discover::Root) -> RootInfo {
    RootInfo {
        given: r.path.clone(),
        abs: abs_root(&r.path).to_string_lossy().into_owned(),
        name: r.name.clone(),
    }
}

enum Decision {
    Fresh {
        id: i64,
        stored_root_name: std::sync::Arc<str>,
        touches: Vec<FileRow>,
    },
    Parse,
}

/// The files of a unit as they are now (stat first, then hash), for the store.
fn read_files(root: &RootInfo, files: &[PathBuf]) -> Vec<FileRow> {
    files
        .iter()
        .map(|f| {
            let (size, mtime_ns) = stat(f).unwrap_or((0, 0));
            FileRow {
                path: abs_file(root, f),
                size,
                mtime_ns,
                hash: hash_file(f).unwrap_or_default(),
            }
        })
        .collect()
}

/// Records of the planned units through the store (see the module docs).
pub fn collect(
    store: &Store,
    plan: &Plan,
    backend: &dyn Backend,
    filter: &Filter,
    diag: &Diagnostics,
    quiet: bool,
) -> anyhow::Result<(Vec<SessionRecord>, Stats)> {
    collect_opts(store, plan, backend, filter, diag, quiet, false)
}

/// As [`collect`]; with `no_reasons` the records come back with
/// `reasons_json` empty (what is stored is complete either way).
pub fn collect_opts(
    store: &Store,
    plan: &Plan,
    backend: &dyn Backend,
    filter: &Filter,
    diag: &Diagnostics,
    quiet: bool,
    no_reasons: bool,
) -> anyhow::Result<(Vec<SessionRecord>, Stats)> {
    let classifier = classifier_key(backend);
    let timing = std::env::var_os("AGENTCENSUS_TIMING").is_some();
    let t0 = Instant::now();
    let lap = |what: &str| {
        if timing {
            eprintln!(
                "timing: {what} at {:.3} s ({})",
                t0.elapsed().as_secs_f64(),
                memory()
            );
        }
    };
    lap("collect started");
    let roots: Vec<RootInfo> = plan.discovered.roots.iter().map(root_info).collect();
    let (abs, extra) = scope(
        &roots,
        plan.units
            .iter()
            .flat_map(|u| u.files.iter().map(move |f| (f.as_path(), u.root))),
    );
    let idx = store.load_index_under(&abs, &extra)?;
    lap("store index loaded");
    let mut stats = Stats {
        units: plan.units.len(),
        ..Default::default()
    };

    // 1. Which units are unchanged (stat every file; hash only on a new mtime).
    // With each decision, the stored units that own a file planned now.
    let decided: Vec<(Decision, Vec<i64>)> = plan
        .units
        .par_iter()
        .map(|u| {
            let root = &roots[u.root];
            let abs: Vec<String> = u.files.iter().map(|f| abs_file(root, f)).collect();
            let owners = abs
                .iter()
                .filter_map(|a| idx.files.get(a).map(|s| s.unit_id))
                .collect();
            (decide(store, &idx, root, u, &abs, &classifier), owners)
        })
        .collect();
    let has_current_files: HashSet<i64> = decided
        .iter()
        .flat_map(|(_, o)| o.iter().copied())
        .collect();

    lap("unchanged units found");
    // 2. Parse the others; a writer thread commits them batch by batch.
    let to_parse: Vec<usize> = decided
        .iter()
        .enumerate()
        .filter(|(_, (d, _))| matches!(d, Decision::Parse))
        .map(|(i, _)| i)
        .collect();
    stats.parsed = to_parse.len();
    let parsed_ids = parse_and_write(
        store,
        plan,
        &roots,
        &to_parse,
        backend,
        diag,
        quiet,
        &classifier,
    )?;

    let touches: Vec<FileRow> = decided
        .iter()
        .flat_map(|(d, _)| match d {
            Decision::Fresh { touches, .. } => touches.clone(),
            Decision::Parse => Vec::new(),
        })
        .collect();
    stats.touched = decided
        .iter()
        .filter(|(d, _)| matches!(d, Decision::Fresh { touches, .. } if !touches.is_empty()))
        .count();
    store.touch_files(&touches)?;
    if stats.parsed > 0 {
        // Files may have moved to other units (only parsing moves them).
        stats.pruned = store.prune_orphans()?;
    }

    lap("parsed units written");
    // 3. Which stored units to read: (slot, stored root name, current root name).
    let mut want: HashMap<i64, (usize, String, String)> = HashMap::new();
    for (i, (d, _)) in decided.iter().enumerate() {
        let cur = roots[plan.units[i].root].name.clone();
        match d {
            Decision::Fresh {
                id,
                stored_root_name,
                ..
            } => {
                stats.unchanged += 1;
                want.insert(*id, (i, stored_root_name.to_string(), cur));
            }
            Decision::Parse => {
                if let Some(id) = parsed_ids.get(&i) {
                    want.insert(*id, (i, cur.clone(), cur));
                }
            }
        }
    }
    // Stored units whose files are all gone, under one of the roots.
    let mut a_file_of: HashMap<i64, &str> = HashMap::new();
    for (path, seen) in &idx.files {
        let e = a_file_of.entry(seen.unit_id).or_insert(path.as_str());
        if path.as_str() < *e {
            *e = path.as_str(); // the same file whatever the map's order
        }
    }
    let mut gone: Vec<(&super::UnitRow, &RootInfo)> = idx
        .units
        .values()
        .filter(|u| !want.contains_key(&u.id) && !has_current_files.contains(&u.id))
        .filter_map(|u| {
            let f = a_file_of.get(&u.id)?;
            roots
                .iter()
                .filter(|r| under(f, &r.abs))
                .max_by_key(|r| r.abs.len())
                .map(|r| (u, r))
        })
        .collect();
    gone.sort_by_key(|(u, _)| u.id);
    stats.from_deleted = gone.len();
    for (k, (u, r)) in gone.iter().enumerate() {
        want.insert(
            u.id,
            (
                plan.units.len() + k,
                u.root_name.to_string(),
                r.name.clone(),
            ),
        );
    }

    // Only `want` is needed from here on: free the rest before the records
    // (the run's largest allocation) are read.
    drop(has_current_files);
    drop(decided);
    drop(a_file_of);
    drop(gone);
    drop(idx);
    lap("units to read chosen");

    // 4. Read them back into one exactly sized vector, then put them in plan
    //    order (units as planned, sessions in their order) without copies.
    let n = store.count_records(&|id| want.contains_key(&id))? as usize;
    let mut records: Vec<SessionRecord> = Vec::with_capacity(n);
    let mut slot_of: Vec<u32> = Vec::with_capacity(n);
    store.scan_records_opts(
        &|id| want.contains_key(&id),
        no_reasons,
        &mut |id, mut r| {
            let (slot, stored, cur) = &want[&id];
            if stored != cur && r.user == pseudonym(stored) {
                // The same files, now reported under another person's name.
                r.user = pseudonym(cur);
            }
            if filter.keeps_record(&r) {
                records.push(r);
                slot_of.push(*slot as u32);
            }
            Ok(())
        },
    )?;
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by_key(|&i| slot_of[i]); // stable: sessions keep their order
    drop(slot_of);
    permute(&mut records, &order);
    stats.records = records.len();
    lap("records read");
    Ok((records, stats))
}

/// Reorders `v` in place so that the new `v[k]` is the old `v[order[k]]`.
fn permute<T>(v: &mut [T], order: &[usize]) {
    let mut done = vec![false; v.len()];
    for i in 0..v.len() {
        if done[i] {
            continue;
        }
        let mut j = i;
        loop {
            done[j] = true;
            let k = order[j];
            if k == i {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

fn decide(
    store: &Store,
    idx: &super::Index,
    root: &RootInfo,
    u: &crate::ingest::Unit,
    abs: &[String],
    classifier: &str,
) -> Decision {
    let Some(row) = idx
        .units
        .get(&super::Index::key(u.format, &root.abs, &u.key))
    else {
        return Decision::Parse;
    };
    if &*row.classifier != classifier {
        return Decision::Parse;
    }
    let mut touches = Vec::new();
    for (f, fa) in u.files.iter().zip(abs) {
        let Some(known) = idx.files.get(fa) else {
            return Decision::Parse; // a new file in the unit (a new sub-agent)
        };
        if known.unit_id != row.id {
            return Decision::Parse;
        }
        let Ok((size, mtime_ns)) = stat(f) else {
            return Decision::Parse; // parsing will say what is wrong
        };
        if size == known.size && mtime_ns == known.mtime_ns {
            continue;
        }
        if size != known.size {
            return Decision::Parse; // grew or shrank
        }
        // Same size, new mtime: the content decides.
        match (hash_file(f), store.file_hash(fa)) {
            (Ok(h), Ok(Some(stored))) if h == stored => touches.push(FileRow {
                path: fa.clone(),
                size,
                mtime_ns,
                hash: h,
            }),
            _ => return Decision::Parse,
        }
    }
    Decision::Fresh {
        id: row.id,
        stored_root_name: row.root_name.clone(),
        touches,
    }
}

/// Parses `to_parse` (indices into `plan.units`) in parallel and writes them
/// in batches; returns unit index -> store id.
#[allow(clippy::too_many_arguments)]
fn parse_and_write(
    store: &Store,
    plan: &Plan,
    roots: &[RootInfo],
    to_parse: &[usize],
    backend: &dyn Backend,
    diag: &Diagnostics,
    quiet: bool,
    classifier: &str,
) -> anyhow::Result<HashMap<usize, i64>> {
    if to_parse.is_empty() {
        return Ok(HashMap::new());
    }
    let pb = crate::progress::bar(to_parse.len() as u64, "sessions", quiet);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, UnitWrite)>(2 * BATCH_UNITS);
    let all = Filter::default();
    let result = std::thread::scope(|sc| {
        let writer = sc.spawn(move || -> anyhow::Result<HashMap<usize, i64>> {
            let mut ids = HashMap::new();
            let mut batch: Vec<UnitWrite> = Vec::new();
            let mut which: Vec<usize> = Vec::new();
            let mut last = Instant::now();
            let mut err: Option<anyhow::Error> = None;
            let mut flush = |batch: &mut Vec<UnitWrite>,
                             which: &mut Vec<usize>,
                             err: &mut Option<anyhow::Error>| {
                if batch.is_empty() || err.is_some() {
                    batch.clear();
                    which.clear();
                    return;
                }
                match store.write_units(batch) {
                    Ok(v) => {
                        for (i, id) in which.iter().zip(v) {
                            ids.insert(*i, id);
                        }
                    }
                    Err(e) => *err = Some(e),
                }
                batch.clear();
                which.clear();
            };
            for (i, w) in rx {
                if err.is_some() {
                    continue; // keep draining so the workers finish
                }
                batch.push(w);
                which.push(i);
                if batch.len() >= BATCH_UNITS || last.elapsed() >= BATCH_TIME {
                    flush(&mut batch, &mut which, &mut err);
                    last = Instant::now();
                }
            }
            flush(&mut batch, &mut which, &mut err);
            match err {
                Some(e) => Err(e),
                None => Ok(ids),
            }
        });
        to_parse.par_iter().for_each_with(tx, |tx, &i| {
            let u = &plan.units[i];
            let root = &roots[u.root];
            // Files are read (stat, hash) before parsing: if one changes
            // meanwhile, the next run sees a new size or mtime and parses again.
            let files = read_files(root, &u.files);
            let records =
                pipeline::process_unit(plan, u, backend, &all, diag, &|p| Some(p.record.clone()));
            let _ = tx.send((
                i,
                UnitWrite {
                    format: u.format.to_string(),
                    key: u.key.clone(),
                    root_path: root.abs.clone(),
                    root_name: root.name.clone(),
                    classifier: classifier.to_string(),
                    files,
                    records,
                },
            ));
            pb.inc(1);
        });
        writer
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the store writer stopped unexpectedly")))
    });
    pb.finish_and_clear();
    result
}

#[cfg(test)]
mod tests {
    use super::under;

    #[test]
    fn permutation_in_place() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e'];
        super::permute(&mut v, &[2, 0, 1, 4, 3]);
        assert_eq!(v, vec!['c', 'a', 'b', 'e', 'd']);
        let mut w: Vec<usize> = (0..50).collect();
        let order: Vec<usize> = (0..50).map(|i| (i * 7) % 50).collect();
        super::permute(&mut w, &order);
        assert_eq!(w, order);
    }

    #[test]
    fn under_a_root() {
        assert!(under("/a/b/c.jsonl", "/a/b"));
        assert!(under("/a/b", "/a/b"));
        assert!(!under("/a/bc/d.jsonl", "/a/b"));
        assert!(under("/a/b/c.jsonl", "/"));
    }
}
