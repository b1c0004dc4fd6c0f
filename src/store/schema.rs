//! The store's SQLite schema and its forward migrations. Each migration is
//! frozen SQL (never generated from today's code), applied in order inside
//! one immediate transaction, and recorded in `schema_version`. A store
//! written by a newer agentcensus is refused with a clear message.

use anyhow::{bail, Context};
use rusqlite::{Connection, TransactionBehavior};

/// Version 1: files seen, session units, records, LLM answers.
const V1: &str = r#"
CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    applied_at INTEGER NOT NULL
);
-- One session unit: a group of files parsed together (a Claude Code session
-- with its sub-agent files, a Codex rollout, an imported JSONL file).
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    format TEXT NOT NULL,
    unit_key TEXT NOT NULL,
    -- Absolute path of the input root (person) the unit was found under.
    root_path TEXT NOT NULL,
    root_name TEXT NOT NULL,
    -- First file of the unit (absolute): decides which reports include the
    -- unit's records once its files are deleted.
    first_file TEXT NOT NULL,
    -- Backend, rubric version, record schema and build that produced the
    -- records: a unit made by another classifier is parsed again.
    classifier TEXT NOT NULL,
    parsed_at INTEGER NOT NULL,
    UNIQUE (format, root_path, unit_key)
);
-- Every source file seen. Rows stay when the file is deleted.
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    unit_id INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,
    last_parsed INTEGER NOT NULL
);
CREATE INDEX files_unit ON files(unit_id);
-- One row per session record (docs/records.md); no transcript text.
CREATE TABLE records (
    unit_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    "session_id" TEXT,
    "user" TEXT,
    "agent" TEXT,
    "agent_version" TEXT,
    "surface" TEXT,
    "interactive" INTEGER,
    "in_study_scope" INTEGER,
    "project" TEXT,
    "month" TEXT,
    "start" TEXT,
    "end" TEXT,
    "duration_s" REAL,
    "models" TEXT,
    "human_prompts" INTEGER,
    "actions" INTEGER,
    "successful_actions" INTEGER,
    "model_calls" INTEGER,
    "actions_per_prompt" REAL,
    "output_tokens" INTEGER,
    "output_words" INTEGER,
    "words_per_prompt" REAL,
    "lines_added" INTEGER,
    "lines_removed" INTEGER,
    "files_touched" INTEGER,
    "tool_errors" INTEGER,
    "interruptions" INTEGER,
    "compactions" INTEGER,
    "subagents" INTEGER,
    "subagent_actions" INTEGER,
    "tools_read" INTEGER,
    "tools_edit" INTEGER,
    "tools_write" INTEGER,
    "tools_shell" INTEGER,
    "tools_search" INTEGER,
    "tools_web" INTEGER,
    "tools_task" INTEGER,
    "tools_plan" INTEGER,
    "tools_other" INTEGER,
    "test_runs" INTEGER,
    "tests_pass_at_end" INTEGER,
    "tests_pass_after_last_edit" INTEGER,
    "builds" INTEGER,
    "commits" INTEGER,
    "pushes" INTEGER,
    "prs" INTEGER,
    "deploys" INTEGER,
    "final_error_unrecovered" INTEGER,
    "user_affirmation" INTEGER,
    "user_complaint" INTEGER,
    "backend" TEXT,
    "model" TEXT,
    "rubric_version" TEXT,
    "work_mode" TEXT,
    "work_mode_confidence" REAL,
    "codebase" TEXT,
    "expertise" TEXT,
    "expertise_confidence" REAL,
    "occupation_user" TEXT,
    "occupation_work" TEXT,
    "outcome" TEXT,
    "outcome_confidence" REAL,
    "success_signal" TEXT,
    "failure_signal" TEXT,
    "decisions" INTEGER,
    "user_planning_share" REAL,
    "user_execution_share" REAL,
    "truncated" INTEGER,
    "expertise_level" INTEGER,
    "verified_success" INTEGER,
    "judged_success" INTEGER,
    "at_least_partial" INTEGER,
    "judged_failure" INTEGER,
    "verified_failure" INTEGER,
    "hits_trouble" INTEGER,
    "abandoned" INTEGER,
    "code_producing" INTEGER,
    "no_clear_goal" INTEGER,
    "reasons_json" TEXT,
    -- Record fields newer than these columns, as a JSON object.
    extra_json TEXT,
    PRIMARY KEY (unit_id, seq)
);
CREATE INDEX records_session ON records("session_id");
CREATE INDEX records_user_month ON records("user", "month");
-- Cached classifier answers (crate::classify::llm::cache::AnswerCache).
CREATE TABLE llm_answers (
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    rubric_version TEXT NOT NULL,
    digest TEXT NOT NULL,
    facet TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (backend, model, rubric_version, digest, facet)
);
"#;

/// Version 2: compressed copies of raw transcripts (`agentcensus archive`).
const V2: &str = r#"
CREATE TABLE archive (
    path TEXT PRIMARY KEY,
    archived_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,
    compressed_size INTEGER NOT NULL,
    archived_at INTEGER NOT NULL
);
"#;

/// Version 3: a view of the files seen with their unit key, for SQL users.
const V3: &str = r#"
CREATE VIEW files_seen AS
SELECT f.path, f.size, f.mtime_ns, f.hash, u.format, u.unit_key, u.root_name,
       f.last_parsed
FROM files f JOIN units u ON u.id = f.unit_id;
"#;

/// All migrations; migration `i` takes the store to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The version of an opened store (0 for an empty file).
pub fn version(conn: &Connection) -> anyhow::Result<u32> {
    let has: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version')",
        [],
        |r| r.get(0),
    )?;
    if !has {
        return Ok(0);
    }
    let v: Option<u32> =
        conn.query_row("SELECT MAX(version) FROM schema_version", [], |r| r.get(0))?;
    Ok(v.unwrap_or(0))
}

/// Brings the store up to `target` (normally [`SCHEMA_VERSION`]).
pub fn migrate_to(conn: &mut Connection, target: u32) -> anyhow::Result<u32> {
    if version(conn)? == target {
        return Ok(target); // the common case, without a write lock
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Checked again under the write lock: another run may have migrated.
    let from = version(&tx)?;
    if from > SCHEMA_VERSION {
        bail!(
            "this store has schema version {from}, newer than this agentcensus understands \
             ({SCHEMA_VERSION}); use a newer agentcensus, or another file with --store"
        );
    }
    for v in from..target {
        tx.execute_batch(MIGRATIONS[v as usize])
            .with_context(|| format!("store migration to schema version {}", v + 1))?;
        tx.execute(
            "INSERT INTO schema_version(version, applied_at) VALUES (?1, ?2)",
            (v + 1, super::now_ms()),
        )?;
    }
    tx.commit()?;
    Ok(target.max(from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_schema_has_every_record_column() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate_to(&mut c, SCHEMA_VERSION).unwrap();
        let mut st = c
            .prepare("SELECT name FROM pragma_table_info('records')")
            .unwrap();
        let have: Vec<String> = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for col in super::super::columns::COLUMNS {
            assert!(have.iter().any(|h| h == col.name), "missing {}", col.name);
        }
    }

    #[test]
    fn migrations_are_idempotent_and_refuse_newer_stores() {
        let mut c = Connection::open_in_memory().unwrap();
        assert_eq!(version(&c).unwrap(), 0);
        migrate_to(&mut c, SCHEMA_VERSION).unwrap();
        migrate_to(&mut c, SCHEMA_VERSION).unwrap();
        assert_eq!(version(&c).unwrap(), SCHEMA_VERSION);
        c.execute(
            "INSERT INTO schema_version VALUES (?1, 0)",
            [SCHEMA_VERSION + 1],
        )
        .unwrap();
        let e = migrate_to(&mut c, SCHEMA_VERSION).unwrap_err();
        assert!(e.to_string().contains("newer than this agentcensus"), "{e}");
    }
}
