//! The persistent store: one SQLite file (WAL mode) that keeps every session
//! record, the files they came from (size, mtime, BLAKE3 hash), cached LLM
//! answers and archived transcripts. Records outlive their source files, a
//! second run over an unchanged corpus parses nothing, and a run killed at any
//! moment leaves a consistent store (writes are transactions per batch of
//! units). See docs/records.md for the record columns.

pub mod cache;
pub mod columns;
pub mod export;
pub mod incremental;
pub mod row;
pub mod schema;

use crate::record::SessionRecord;
use anyhow::{anyhow, Context};
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How long a run waits for another run's write transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// `$XDG_DATA_HOME/agentcensus/agentcensus.sqlite`, else
/// `~/.local/share/agentcensus/agentcensus.sqlite`.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty() && Path::new(d).is_absolute())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(".local").join("share"))
        })?;
    Some(base.join("agentcensus").join("agentcensus.sqlite"))
}

static CONFIGURED: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();

/// Remembers which store this process uses (set once by `main` from the
/// global flags, like the line-size limit), so that planning can skip
/// sniffing files the store has seen unchanged. Without it (library use,
/// tests), planning reads every file.
pub fn configure(g: &crate::cli::Global) {
    let p = if g.no_store {
        None
    } else {
        g.store.clone().or_else(default_path)
    };
    let _ = CONFIGURED.set(p);
}

/// The store named by [`configure`], if any.
pub fn configured_path() -> Option<&'static Path> {
    CONFIGURED.get().and_then(|p| p.as_deref())
}

/// A source file as last seen.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRow {
    pub path: String,
    pub size: u64,
    pub mtime_ns: i64,
    /// BLAKE3 hex of the content.
    pub hash: String,
}

/// A stored unit (a group of files parsed together), as a run needs it.
/// Repeated names are shared, so an index of 100,000 units stays small.
#[derive(Debug, Clone)]
pub struct UnitRow {
    pub id: i64,
    pub root_name: Arc<str>,
    pub classifier: Arc<str>,
}

/// A file as last seen (its hash is read only when needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub unit_id: i64,
    pub size: u64,
    pub mtime_ns: i64,
}

/// What the store knows, loaded once per run.
#[derive(Debug, Default)]
pub struct Index {
    /// [`Index::key`] (format, root path, unit key) -> unit
    pub units: HashMap<String, UnitRow>,
    /// absolute path -> file
    pub files: HashMap<String, Seen>,
}

impl Index {
    pub fn key(format: &str, root_path: &str, unit_key: &str) -> String {
        format!("{format}\n{root_path}\n{unit_key}")
    }
}

/// What planning needs of a file: (size, mtime, format, unit key).
pub type PlanEntry = (u64, i64, Arc<str>, String);

/// Shares equal strings (people's names, classifier keys).
#[derive(Default)]
struct Interner(std::collections::HashSet<Arc<str>>);

impl Interner {
    fn get(&mut self, s: String) -> Arc<str> {
        if let Some(a) = self.0.get(s.as_str()) {
            return a.clone();
        }
        let a: Arc<str> = s.into();
        self.0.insert(a.clone());
        a
    }
}

/// One parsed unit to write: its files as read and all its records.
#[derive(Debug, Clone)]
pub struct UnitWrite {
    pub format: String,
    pub key: String,
    pub root_path: String,
    pub root_name: String,
    pub classifier: String,
    pub files: Vec<FileRow>,
    pub records: Vec<SessionRecord>,
}

pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
    /// Indices (into `columns::COLUMNS`) of the record columns the table has.
    cols: Vec<usize>,
    insert_sql: String,
    select_sql: String,
}

/// Turns SQLite's "busy"/"locked" into a message that says what to do.
pub fn explain(e: rusqlite::Error, path: &Path) -> anyhow::Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        match f.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                return anyhow!(
                    "the store {} is busy: another agentcensus run kept writing to it for \
                     longer than this run waits; wait for it to finish, or use another file \
                     with --store (or --no-store)",
                    path.display(),
                )
            }
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                return anyhow!(
                    "{} is not a usable agentcensus store ({e}); move it away, or use \
                     another file with --store",
                    path.display()
                )
            }
            ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                return anyhow!(
                    "cannot write the store {} ({e}); use another file with --store, or --no-store",
                    path.display()
                )
            }
            _ => {}
        }
    }
    anyhow!(e).context(format!("store {}", path.display()))
}

fn quote(name: &str) -> String {
    format!("\"{name}\"")
}

impl Store {
    /// Opens (creating if needed) the store at `path`, migrating it forward.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the store folder {}", dir.display()))?;
        }
        let conn = Connection::open(path).map_err(|e| explain(e, path))?;
        Self::setup(conn, path.to_path_buf())
    }

    /// A store in memory (tests, `--no-store` style dry runs).
    pub fn open_in_memory() -> anyhow::Result<Store> {
        Self::setup(Connection::open_in_memory()?, PathBuf::from(":memory:"))
    }

    /// The store selected by the global flags: None with `--no-store`. When
    /// the default location cannot be used, warns and runs without a store;
    /// an explicit `--store` that cannot be opened is an error.
    pub fn from_global(g: &crate::cli::Global) -> anyhow::Result<Option<Store>> {
        if g.no_store {
            return Ok(None);
        }
        match &g.store {
            Some(p) => Ok(Some(Store::open(p)?)),
            None => {
                let Some(p) = default_path() else {
                    if !g.quiet {
                        eprintln!("note: no HOME or XDG_DATA_HOME; running without a store");
                    }
                    return Ok(None);
                };
                match Store::open(&p) {
                    Ok(s) => Ok(Some(s)),
                    Err(e) => {
                        if !g.quiet {
                            eprintln!("warning: {e:#}; running without a store (nothing is kept)");
                        }
                        Ok(None)
                    }
                }
            }
        }
    }

    fn setup(mut conn: Connection, path: PathBuf) -> anyhow::Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let p = path.clone();
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| explain(e, &p))?;
        if mode != "wal" && path != Path::new(":memory:") {
            anyhow::bail!(
                "the store {} cannot use write-ahead logging (journal mode {mode}); \
                 is it on a network file system? Use a local file with --store",
                path.display()
            );
        }
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;")
            .map_err(|e| explain(e, &p))?;
        schema::migrate_to(&mut conn, schema::SCHEMA_VERSION).map_err(|e| match e
            .downcast::<rusqlite::Error>()
        {
            Ok(se) => explain(se, &p),
            Err(e) => e.context(format!("store {}", p.display())),
        })?;
        let have: Vec<String> = {
            let mut st = conn.prepare("SELECT name FROM pragma_table_info('records')")?;
            let v = st
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<_, _>>()?;
            v
        };
        let cols: Vec<usize> = (0..columns::COLUMNS.len())
            .filter(|&i| have.iter().any(|h| h == columns::COLUMNS[i].name))
            .collect();
        let names: Vec<String> = cols
            .iter()
            .map(|&i| quote(columns::COLUMNS[i].name))
            .collect();
        let insert_sql = format!(
            "INSERT INTO records (unit_id, seq, {}, extra_json) VALUES (?1, ?2, {}, ?{})",
            names.join(", "),
            (0..cols.len())
                .map(|k| format!("?{}", k + 3))
                .collect::<Vec<_>>()
                .join(", "),
            cols.len() + 3
        );
        let select_sql = format!(
            "SELECT unit_id, {}, extra_json FROM records",
            names.join(", ")
        );
        Ok(Store {
            conn: Mutex::new(conn),
            path,
            cols,
            insert_sql,
            select_sql,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How long to wait for another run's write transaction ([`BUSY_TIMEOUT`]
    /// by default).
    pub fn set_busy_timeout(&self, d: Duration) -> anyhow::Result<()> {
        self.conn().busy_timeout(d).map_err(|e| self.err(e))
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn err(&self, e: rusqlite::Error) -> anyhow::Error {
        explain(e, &self.path)
    }

    /// Runs `sql` (a SELECT over `files f`) for every file at or below each
    /// root and for each path in `extra`, handing each result set to `take`.
    fn query_files_under(
        &self,
        conn: &Connection,
        sql: &str,
        roots: &[String],
        extra: &[String],
        take: &mut dyn FnMut(&mut rusqlite::Rows) -> rusqlite::Result<()>,
    ) -> anyhow::Result<()> {
        let mut range = conn
            .prepare(&format!(
                "{sql} WHERE f.path = ?1 OR (f.path >= ?2 AND f.path < ?3)"
            ))
            .map_err(|e| self.err(e))?;
        let mut one = conn
            .prepare(&format!("{sql} WHERE f.path = ?1"))
            .map_err(|e| self.err(e))?;
        for root in roots {
            let (prefix, upper) = path_range(root);
            let mut rows = range
                .query((root, &prefix, &upper))
                .map_err(|e| self.err(e))?;
            take(&mut rows).map_err(|e| self.err(e))?;
        }
        for p in extra {
            let mut rows = one.query([p]).map_err(|e| self.err(e))?;
            take(&mut rows).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Units and files as stored (the whole store).
    pub fn load_index(&self) -> anyhow::Result<Index> {
        self.load_index_under(&[std::path::MAIN_SEPARATOR.to_string()], &[])
    }

    /// The units and files under `roots` (absolute paths; a root may also be
    /// a file) or named in `extra`: a run over one person's folder does not
    /// load a whole company's store.
    pub fn load_index_under(&self, roots: &[String], extra: &[String]) -> anyhow::Result<Index> {
        let conn = self.conn();
        let mut idx = Index::default();
        let mut names = Interner::default();
        let sql = "SELECT f.path, f.unit_id, f.size, f.mtime_ns, u.format, u.root_path, u.unit_key,
                          u.root_name, u.classifier
                   FROM files f JOIN units u ON u.id = f.unit_id";
        let mut take = |rows: &mut rusqlite::Rows| -> rusqlite::Result<()> {
            while let Some(r) = rows.next()? {
                let path: String = r.get(0)?;
                let seen = Seen {
                    unit_id: r.get(1)?,
                    size: r.get::<_, i64>(2)? as u64,
                    mtime_ns: r.get(3)?,
                };
                let key = Index::key(
                    r.get_ref(4)?.as_str()?,
                    r.get_ref(5)?.as_str()?,
                    r.get_ref(6)?.as_str()?,
                );
                if let std::collections::hash_map::Entry::Vacant(e) = idx.units.entry(key) {
                    e.insert(UnitRow {
                        id: seen.unit_id,
                        root_name: names.get(r.get(7)?),
                        classifier: names.get(r.get(8)?),
                    });
                }
                idx.files.insert(path, seen);
            }
            Ok(())
        };
        self.query_files_under(&conn, sql, roots, extra, &mut take)?;
        Ok(idx)
    }

    /// Planning facts of the files under `roots` or in `extra` whose unit was
    /// made by a classifier key ending in `suffix`: path -> (size, mtime,
    /// format, unit key).
    pub fn plan_entries_under(
        &self,
        roots: &[String],
        extra: &[String],
        suffix: &str,
    ) -> anyhow::Result<HashMap<String, PlanEntry>> {
        let conn = self.conn();
        let mut out = HashMap::new();
        let mut formats = Interner::default();
        let sql = "SELECT f.path, f.size, f.mtime_ns, u.format, u.unit_key, u.classifier
                   FROM files f JOIN units u ON u.id = f.unit_id";
        let mut take = |rows: &mut rusqlite::Rows| -> rusqlite::Result<()> {
            while let Some(r) = rows.next()? {
                if !r.get_ref(5)?.as_str()?.ends_with(suffix) {
                    continue;
                }
                out.insert(
                    r.get::<_, String>(0)?,
                    (
                        r.get::<_, i64>(1)? as u64,
                        r.get(2)?,
                        formats.get(r.get(3)?),
                        r.get(4)?,
                    ),
                );
            }
            Ok(())
        };
        self.query_files_under(&conn, sql, roots, extra, &mut take)?;
        Ok(out)
    }

    /// The stored BLAKE3 hex of a file.
    pub fn file_hash(&self, path: &str) -> anyhow::Result<Option<String>> {
        let conn = self.conn();
        conn.query_row("SELECT hash FROM files WHERE path = ?1", [path], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| self.err(e))
    }

    /// Writes parsed units in one transaction: each unit's records replace the
    /// ones stored before, and its files are recorded as seen. Returns the
    /// unit ids, in order.
    pub fn write_units(&self, batch: &[UnitWrite]) -> anyhow::Result<Vec<i64>> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let now = now_ms();
        let mut ids = Vec::with_capacity(batch.len());
        {
            let mut up_unit = tx
                .prepare_cached(
                    "INSERT INTO units (format, unit_key, root_path, root_name, first_file, classifier, parsed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (format, root_path, unit_key) DO UPDATE SET
                       root_name = excluded.root_name, first_file = excluded.first_file,
                       classifier = excluded.classifier, parsed_at = excluded.parsed_at
                     RETURNING id",
                )
                .map_err(|e| self.err(e))?;
            let mut del = tx
                .prepare_cached("DELETE FROM records WHERE unit_id = ?1")
                .map_err(|e| self.err(e))?;
            let mut ins = tx
                .prepare_cached(&self.insert_sql)
                .map_err(|e| self.err(e))?;
            let mut up_file = tx
                .prepare_cached(
                    "INSERT INTO files (path, unit_id, size, mtime_ns, hash, last_parsed)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (path) DO UPDATE SET unit_id = excluded.unit_id,
                       size = excluded.size, mtime_ns = excluded.mtime_ns,
                       hash = excluded.hash, last_parsed = excluded.last_parsed",
                )
                .map_err(|e| self.err(e))?;
            for u in batch {
                let first = u.files.first().map(|f| f.path.as_str()).unwrap_or("");
                let id: i64 = up_unit
                    .query_row(
                        (
                            &u.format,
                            &u.key,
                            &u.root_path,
                            &u.root_name,
                            first,
                            &u.classifier,
                            now,
                        ),
                        |r| r.get(0),
                    )
                    .map_err(|e| self.err(e))?;
                del.execute([id]).map_err(|e| self.err(e))?;
                for (seq, r) in u.records.iter().enumerate() {
                    let params = self.row_params(id, seq as i64, r);
                    ins.execute(rusqlite::params_from_iter(params))
                        .map_err(|e| self.err(e))?;
                }
                for f in &u.files {
                    up_file
                        .execute((&f.path, id, f.size as i64, f.mtime_ns, &f.hash, now))
                        .map_err(|e| self.err(e))?;
                }
                ids.push(id);
            }
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(ids)
    }

    fn row_params(&self, unit: i64, seq: i64, r: &SessionRecord) -> Vec<Sql> {
        let m = columns::to_map(r);
        let mut p = Vec::with_capacity(self.cols.len() + 3);
        p.push(Sql::Integer(unit));
        p.push(Sql::Integer(seq));
        for &i in &self.cols {
            let c = &columns::COLUMNS[i];
            p.push(columns::to_sql(c.ty, m.get(c.name)));
        }
        // Fields without a column here (newer record fields) go to extra_json.
        let extra: serde_json::Map<String, serde_json::Value> = m
            .iter()
            .filter(|(k, _)| {
                !self
                    .cols
                    .iter()
                    .any(|&i| columns::COLUMNS[i].name == k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        p.push(if extra.is_empty() {
            Sql::Null
        } else {
            Sql::Text(serde_json::Value::Object(extra).to_string())
        });
        p
    }

    /// Records the new size and mtime of files whose content did not change.
    pub fn touch_files(&self, files: &[FileRow]) -> anyhow::Result<()> {
        if files.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        {
            let mut st = tx
                .prepare_cached(
                    "UPDATE files SET size = ?2, mtime_ns = ?3 WHERE path = ?1 AND hash = ?4",
                )
                .map_err(|e| self.err(e))?;
            for f in files {
                st.execute((&f.path, f.size as i64, f.mtime_ns, &f.hash))
                    .map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Deletes units that no longer own any file (their files were taken over
    /// by another unit, e.g. after the people of a folder were split), with
    /// their records. Returns how many units went.
    pub fn prune_orphans(&self) -> anyhow::Result<usize> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        tx.execute(
            "DELETE FROM records WHERE unit_id IN
               (SELECT id FROM units WHERE NOT EXISTS (SELECT 1 FROM files WHERE files.unit_id = units.id))",
            [],
        )
        .map_err(|e| self.err(e))?;
        let n = tx
            .execute(
                "DELETE FROM units WHERE NOT EXISTS (SELECT 1 FROM files WHERE files.unit_id = units.id)",
                [],
            )
            .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(n)
    }

    /// Calls `f(unit_id, record)` for every stored record (in unit, seq order)
    /// whose unit passes `want`; rows of other units are not decoded.
    pub fn scan_records(
        &self,
        want: &dyn Fn(i64) -> bool,
        f: &mut dyn FnMut(i64, SessionRecord) -> anyhow::Result<()>,
    ) -> anyhow::Result<u64> {
        self.scan_records_opts(want, false, f)
    }

    /// As [`Store::scan_records`]; with `no_reasons`, `reasons_json` is left
    /// empty (never read into memory: about half of a record's size).
    pub fn scan_records_opts(
        &self,
        want: &dyn Fn(i64) -> bool,
        no_reasons: bool,
        f: &mut dyn FnMut(i64, SessionRecord) -> anyhow::Result<()>,
    ) -> anyhow::Result<u64> {
        let reasons_at = self
            .cols
            .iter()
            .position(|&i| columns::COLUMNS[i].name == "reasons_json")
            .filter(|_| no_reasons);
        let conn = self.conn();
        let mut st = conn
            .prepare(&format!("{} ORDER BY unit_id, seq", self.select_sql))
            .map_err(|e| self.err(e))?;
        let mut rows = st.query([]).map_err(|e| self.err(e))?;
        let base = columns::default_map();
        let mut n = 0;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let unit: i64 = row.get(0).map_err(|e| self.err(e))?;
            if !want(unit) {
                continue;
            }
            let extra_null = matches!(
                row.get_ref(self.cols.len() + 1),
                Ok(rusqlite::types::ValueRef::Null)
            );
            if extra_null {
                // Fast path: straight from the row into the record.
                let values: Result<Vec<_>, _> = (0..self.cols.len())
                    .map(|k| match reasons_at {
                        Some(r) if r == k => Ok(rusqlite::types::ValueRef::Text(b"")),
                        _ => row.get_ref(k + 1),
                    })
                    .collect();
                if let Ok(rec) = row::record(row::Row {
                    cols: &self.cols,
                    values: values.map_err(|e| self.err(e))?,
                }) {
                    f(unit, rec)?;
                    n += 1;
                    continue;
                }
            }
            let mut m = serde_json::Map::new();
            for (k, &i) in self.cols.iter().enumerate() {
                let c = &columns::COLUMNS[i];
                let v: Sql = row.get(k + 1).map_err(|e| self.err(e))?;
                if matches!(v, Sql::Null) && !c.nullable {
                    continue; // written before this field existed: keep the default
                }
                m.insert(c.name.to_string(), columns::from_sql(c.ty, v));
            }
            let extra: Option<String> = row.get(self.cols.len() + 1).map_err(|e| self.err(e))?;
            if let Some(x) = extra {
                if let Ok(serde_json::Value::Object(o)) = serde_json::from_str(&x) {
                    m.extend(o);
                }
            }
            let mut rec = columns::from_map(&base, m)
                .with_context(|| format!("store {}: unreadable record", self.path.display()))?;
            if no_reasons {
                rec.reasons_json = String::new();
            }
            f(unit, rec)?;
            n += 1;
        }
        Ok(n)
    }

    /// How many stored records belong to units that pass `want`.
    pub fn count_records(&self, want: &dyn Fn(i64) -> bool) -> anyhow::Result<u64> {
        let conn = self.conn();
        let mut st = conn
            .prepare("SELECT unit_id FROM records")
            .map_err(|e| self.err(e))?;
        let mut rows = st.query([]).map_err(|e| self.err(e))?;
        let mut n = 0;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            if want(row.get(0).map_err(|e| self.err(e))?) {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Every stored record, in storage order.
    pub fn all_records(&self) -> anyhow::Result<Vec<SessionRecord>> {
        let mut v = Vec::new();
        self.scan_records(&|_| true, &mut |_, r| {
            v.push(r);
            Ok(())
        })?;
        Ok(v)
    }

    /// Count of stored records (and of distinct session ids).
    pub fn counts(&self) -> anyhow::Result<(u64, u64, u64)> {
        let conn = self.conn();
        let q = |sql: &str| -> anyhow::Result<u64> {
            conn.query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|v| v as u64)
                .map_err(|e| explain(e, &self.path))
        };
        Ok((
            q("SELECT COUNT(*) FROM records")?,
            q("SELECT COUNT(*) FROM units")?,
            q("SELECT COUNT(*) FROM files")?,
        ))
    }

    /// One stored archive entry.
    pub fn archived(&self, path: &str) -> anyhow::Result<Option<(u64, i64, String)>> {
        let conn = self.conn();
        conn.query_row(
            "SELECT size, mtime_ns, archived_path FROM archive WHERE path = ?1",
            [path],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    pub fn put_archived(
        &self,
        f: &FileRow,
        archived_path: &str,
        compressed: u64,
    ) -> anyhow::Result<()> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO archive (path, archived_path, size, mtime_ns, hash, compressed_size, archived_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (path) DO UPDATE SET archived_path = excluded.archived_path,
               size = excluded.size, mtime_ns = excluded.mtime_ns, hash = excluded.hash,
               compressed_size = excluded.compressed_size, archived_at = excluded.archived_at",
            (
                &f.path,
                archived_path,
                f.size as i64,
                f.mtime_ns,
                &f.hash,
                compressed as i64,
                now_ms(),
            ),
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Total (files, bytes, compressed bytes) in the archive.
    pub fn archive_totals(&self) -> anyhow::Result<(u64, u64, u64)> {
        let conn = self.conn();
        conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(size), 0), COALESCE(SUM(compressed_size), 0) FROM archive",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)? as u64,
                    r.get::<_, i64>(1)? as u64,
                    r.get::<_, i64>(2)? as u64,
                ))
            },
        )
        .map_err(|e| self.err(e))
    }
}

/// The paths under `root`, as a text range: (`root/`, the first string after
/// every `root/...`, i.e. the separator's byte plus one).
fn path_range(root: &str) -> (String, String) {
    let sep = std::path::MAIN_SEPARATOR;
    let prefix = if root.ends_with(sep) {
        root.to_string()
    } else {
        format!("{root}{sep}")
    };
    let mut upper = prefix.clone().into_bytes();
    if let Some(last) = upper.last_mut() {
        *last += 1;
    }
    (prefix, String::from_utf8_lossy(&upper).into_owned())
}

/// Size and modification time (ns since the epoch) of a file.
pub fn stat(path: &Path) -> std::io::Result<(u64, i64)> {
    let m = std::fs::metadata(path)?;
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0);
    Ok((m.len(), mtime))
}

/// BLAKE3 hex of a file's content.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut h = blake3::Hasher::new();
    let mut f = std::fs::File::open(path)?;
    std::io::copy(&mut f, &mut h)?;
    Ok(h.finalize().to_hex().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str) -> SessionRecord {
        let mut r = SessionRecord {
            session_id: id.into(),
            user: "u_0123456789ab".into(),
            agent: "claude-code".into(),
            surface: "cli".into(),
            interactive: true,
            month: Some("2026-03".into()),
            start: Some("2026-03-02T10:00:00Z".into()),
            end: Some("2026-03-02T10:31:07Z".into()),
            duration_s: Some(1867.25),
            human_prompts: 3,
            actions: 29,
            actions_per_prompt: Some(29.0 / 3.0),
            words_per_prompt: Some(0.1 + 0.2),
            output_tokens: 123_456_789_012,
            work_mode: Some("Fix".into()),
            work_mode_confidence: Some(0.7),
            expertise: Some("4".into()),
            expertise_confidence: Some(1.0 / 3.0),
            outcome: Some("Succeeded".into()),
            success_signal: Some("4".into()),
            failure_signal: Some("NONE".into()),
            user_planning_share: Some(2.0 / 3.0),
            tests_pass_at_end: Some(false),
            lines_added: 12,
            backend: "builtin".into(),
            rubric_version: "0".into(),
            reasons_json: r#"{"work_mode":["pytest failed, then passed"]}"#.into(),
            ..Default::default()
        };
        r.derive();
        r
    }

    #[test]
    fn records_round_trip_exactly() {
        let s = Store::open_in_memory().unwrap();
        let rs = vec![rec("a"), rec("b"), SessionRecord::default()];
        let ids = s
            .write_units(&[UnitWrite {
                format: "claude-code".into(),
                key: "a".into(),
                root_path: "/r".into(),
                root_name: "r".into(),
                classifier: "builtin".into(),
                files: vec![FileRow {
                    path: "/r/a.jsonl".into(),
                    size: 10,
                    mtime_ns: 5,
                    hash: "h".into(),
                }],
                records: rs.clone(),
            }])
            .unwrap();
        assert_eq!(ids.len(), 1);
        assert_eq!(s.all_records().unwrap(), rs);
        // Replacing a unit replaces its records, never duplicates them.
        s.write_units(&[UnitWrite {
            format: "claude-code".into(),
            key: "a".into(),
            root_path: "/r".into(),
            root_name: "r".into(),
            classifier: "builtin".into(),
            files: vec![],
            records: vec![rec("c")],
        }])
        .unwrap();
        let all = s.all_records().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].session_id, "c");
        let idx = s.load_index().unwrap();
        assert_eq!(idx.units.len(), 1);
        assert_eq!(idx.files["/r/a.jsonl"].size, 10);
        assert_eq!(s.file_hash("/r/a.jsonl").unwrap().as_deref(), Some("h"));
    }

    #[test]
    fn the_index_under_a_root_holds_only_that_root() {
        let s = Store::open_in_memory().unwrap();
        let unit = |key: &str, path: &str| UnitWrite {
            format: "f".into(),
            key: key.into(),
            root_path: "/".into(),
            root_name: "r".into(),
            classifier: "c".into(),
            files: vec![FileRow {
                path: path.into(),
                size: 1,
                mtime_ns: 1,
                hash: "h".into(),
            }],
            records: vec![],
        };
        s.write_units(&[
            unit("1", "/a/x.jsonl"),
            unit("2", "/a/deep/y.jsonl"),
            unit("3", "/ab/z.jsonl"),
            unit("4", "/b/w.jsonl"),
            unit("5", "/c.jsonl"),
        ])
        .unwrap();
        let idx = s
            .load_index_under(&["/a".into(), "/c.jsonl".into()], &["/b/w.jsonl".into()])
            .unwrap();
        let mut files: Vec<&str> = idx.files.keys().map(|k| k.as_str()).collect();
        files.sort();
        assert_eq!(
            files,
            vec!["/a/deep/y.jsonl", "/a/x.jsonl", "/b/w.jsonl", "/c.jsonl"]
        );
        assert_eq!(idx.units.len(), 4);
        assert_eq!(
            s.load_index_under(&["/".into()], &[]).unwrap().files.len(),
            5
        );
    }

    #[test]
    fn a_store_held_by_another_writer_gives_a_clear_message() {
        let dir = std::env::temp_dir().join(format!("ac-busy-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.sqlite");
        let a = Store::open(&path).unwrap();
        let b = Store::open(&path).unwrap();
        b.set_busy_timeout(Duration::from_millis(50)).unwrap();
        let mut held = a.conn();
        let tx = held
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        let e = b
            .write_units(&[UnitWrite {
                format: "f".into(),
                key: "k".into(),
                root_path: "/r".into(),
                root_name: "r".into(),
                classifier: "c".into(),
                files: vec![],
                records: vec![rec("x")],
            }])
            .unwrap_err()
            .to_string();
        assert!(e.contains("is busy") && e.contains("s.sqlite"), "{e}");
        drop(tx);
        drop(held);
        // Once the other writer is done, writing works.
        b.write_units(&[]).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn migrates_a_version_1_store_and_keeps_its_records() {
        let dir = std::env::temp_dir().join(format!("ac-migrate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("old.sqlite");
        {
            // A store as agentcensus wrote it at schema version 1.
            let mut c = Connection::open(&path).unwrap();
            schema::migrate_to(&mut c, 1).unwrap();
            assert_eq!(schema::version(&c).unwrap(), 1);
            c.execute(
                "INSERT INTO units (id, format, unit_key, root_path, root_name, first_file, classifier, parsed_at)
                 VALUES (7, 'claude-code', 'k', '/r', 'r', '/r/k.jsonl', 'builtin', 0)",
                [],
            )
            .unwrap();
            c.execute(
                "INSERT INTO records (unit_id, seq, session_id, \"user\", agent, human_prompts, duration_s, interactive, tests_pass_at_end)
                 VALUES (7, 0, 'old-session', 'u_x', 'codex', 5, 12.5, 1, NULL)",
                [],
            )
            .unwrap();
            let has_archive: bool = c
                .query_row(
                    "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE name='archive')",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(!has_archive);
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(schema::version(&s.conn()).unwrap(), schema::SCHEMA_VERSION);
        let all = s.all_records().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].session_id, "old-session");
        assert_eq!(all[0].agent, "codex");
        assert_eq!(all[0].human_prompts, 5);
        assert_eq!(all[0].duration_s, Some(12.5));
        assert!(all[0].interactive);
        assert_eq!(all[0].tests_pass_at_end, None);
        // The version 2 table works.
        s.put_archived(
            &FileRow {
                path: "/r/k.jsonl".into(),
                size: 3,
                mtime_ns: 1,
                hash: "h".into(),
            },
            "/a/k.jsonl.zst",
            2,
        )
        .unwrap();
        assert_eq!(s.archive_totals().unwrap(), (1, 3, 2));
        // The version 3 view shows the old unit's key (no file rows yet).
        let n: i64 = s
            .conn()
            .query_row("SELECT COUNT(*) FROM files_seen", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
