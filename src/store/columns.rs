//! The record column schema: every [`SessionRecord`] field as a typed column,
//! in record order, with its meaning. One table drives the SQLite row layout,
//! the CSV and Parquet exporters and docs/records.md (a test checks the doc
//! names every column), so the versioned schema has one source of truth.
//!
//! Conversion goes through `serde_json::Value` (never through JSON text), so
//! floats round-trip bit for bit: SQLite REAL is an IEEE double, and f32
//! confidences widen to f64 exactly and narrow back exactly.

use crate::record::SessionRecord;
use rusqlite::types::Value as Sql;
use serde_json::{Map, Value};

/// Column types, as stored and exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// UTF-8 text.
    Text,
    /// 64-bit signed integer (counts: never negative).
    Int,
    /// 64-bit float.
    Real,
    /// 32-bit float (confidences 0..1).
    Float,
    Bool,
}

impl Ty {
    pub fn as_str(self) -> &'static str {
        match self {
            Ty::Text => "string",
            Ty::Int => "int64",
            Ty::Real => "float64",
            Ty::Float => "float32",
            Ty::Bool => "bool",
        }
    }
    pub fn sql(self) -> &'static str {
        match self {
            Ty::Text => "TEXT",
            Ty::Int | Ty::Bool => "INTEGER",
            Ty::Real | Ty::Float => "REAL",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: Ty,
    pub nullable: bool,
    pub doc: &'static str,
}

const fn c(name: &'static str, ty: Ty, nullable: bool, doc: &'static str) -> Column {
    Column {
        name,
        ty,
        nullable,
        doc,
    }
}

use Ty::*;

/// Every column of RECORD_SCHEMA_VERSION 1, in record order.
#[rustfmt::skip]
pub const COLUMNS: &[Column] = &[
    c("session_id", Text, false, "Session id (Claude Code: session uuid / file stem; Codex: rollout uuid)."),
    c("user", Text, false, "Pseudonym of the person: `u_` + 12 hex digits of a keyed BLAKE3 hash of the input-root name."),
    c("agent", Text, false, "Agent: claude-code, codex, gemini, aider, copilot, openhands, swe-agent, other."),
    c("agent_version", Text, true, "Agent version as recorded in the session."),
    c("surface", Text, false, "cli, desktop, web, ide, sdk, headless or unknown."),
    c("interactive", Bool, false, "At least one human prompt, on a surface where a person drives."),
    c("in_study_scope", Bool, false, "Interactive and on a surface the study sampled (cli, desktop, web; unknown counts as cli)."),
    c("project", Text, true, "Project name: last component of the working directory."),
    c("month", Text, true, "`YYYY-MM` of the session start (UTC)."),
    c("start", Text, true, "Session start, RFC 3339 UTC, whole seconds."),
    c("end", Text, true, "Session end, RFC 3339 UTC, whole seconds."),
    c("duration_s", Real, true, "Seconds from start to end."),
    c("models", Text, false, "Models used, comma-separated, in order of first use."),
    c("human_prompts", Int, false, "Prompts a person typed (queued messages included, tool-rejection feedback excluded)."),
    c("actions", Int, false, "Tool calls of the main session (sub-agent calls excluded)."),
    c("successful_actions", Int, false, "Tool calls whose result was not an error."),
    c("model_calls", Int, false, "Model API responses (counted once per message id)."),
    c("actions_per_prompt", Real, true, "actions / human_prompts; null with zero prompts."),
    c("output_tokens", Int, false, "Output tokens over all model calls."),
    c("output_words", Int, false, "Words of visible agent text."),
    c("words_per_prompt", Real, true, "output_words / human_prompts; null with zero prompts."),
    c("lines_added", Int, false, "Lines added by edit/write/patch tool inputs."),
    c("lines_removed", Int, false, "Lines removed by edit/patch tool inputs."),
    c("files_touched", Int, false, "Distinct files edited or written."),
    c("tool_errors", Int, false, "Tool results marked as errors."),
    c("interruptions", Int, false, "Times the person interrupted the agent."),
    c("compactions", Int, false, "Context compactions."),
    c("subagents", Int, false, "Sub-agent sessions started."),
    c("subagent_actions", Int, false, "Tool calls made by sub-agents (never folded into actions)."),
    c("tools_read", Int, false, "Tool calls of kind read."),
    c("tools_edit", Int, false, "Tool calls of kind edit."),
    c("tools_write", Int, false, "Tool calls of kind write."),
    c("tools_shell", Int, false, "Tool calls of kind shell."),
    c("tools_search", Int, false, "Tool calls of kind search."),
    c("tools_web", Int, false, "Tool calls of kind web."),
    c("tools_task", Int, false, "Tool calls of kind task (sub-agent launches)."),
    c("tools_plan", Int, false, "Tool calls of kind plan."),
    c("tools_other", Int, false, "Tool calls of any other kind."),
    c("test_runs", Int, false, "Test runs detected in shell calls, with results parsed from their output."),
    c("tests_pass_at_end", Bool, true, "The last test run passed; null when no tests ran."),
    c("tests_pass_after_last_edit", Bool, false, "A passing test run came after the last edit."),
    c("builds", Int, false, "Build commands run."),
    c("commits", Int, false, "Git commits that succeeded."),
    c("pushes", Int, false, "Git pushes that succeeded."),
    c("prs", Int, false, "Pull requests opened (tool output or harness pr-link)."),
    c("deploys", Int, false, "Deploy commands that succeeded."),
    c("final_error_unrecovered", Bool, false, "The session ended on an error that was not recovered."),
    c("user_affirmation", Bool, false, "The person explicitly confirmed the result worked."),
    c("user_complaint", Bool, false, "The person explicitly complained or rejected the result."),
    c("backend", Text, false, "Classifier backend that produced the labels (builtin, anthropic, openai)."),
    c("model", Text, true, "Model used by an LLM backend."),
    c("rubric_version", Text, false, "Version of the rubric set the labels were made with."),
    c("work_mode", Text, true, "Work mode: Plan, Build, Fix, Understand, Test, Operate, Analyze, Orchestrate, Communicate."),
    c("work_mode_confidence", Float, true, "Confidence of work_mode, 0..1."),
    c("codebase", Text, true, "Codebase relationship: modify_existing, explore, create_new, no_codebase."),
    c("expertise", Text, true, "Task expertise: 1-5 or Unclear."),
    c("expertise_confidence", Float, true, "Confidence of expertise, 0..1."),
    c("occupation_user", Text, true, "The person's likely occupation (SOC major group) or Unclear."),
    c("occupation_work", Text, true, "Occupation that would normally do the session's work (SOC major group)."),
    c("outcome", Text, true, "Succeeded, Partially Succeeded, Failed or No clear goal."),
    c("outcome_confidence", Float, true, "Confidence of outcome, 0..1."),
    c("success_signal", Text, true, "Success evidence strength: NONE or 1-5."),
    c("failure_signal", Text, true, "Failure evidence strength: NONE or 1-5."),
    c("decisions", Int, true, "Number of meaningful decisions attributed."),
    c("user_planning_share", Real, true, "Share of planning decisions made by the person; null without planning decisions."),
    c("user_execution_share", Real, true, "Share of execution decisions made by the person; null without execution decisions."),
    c("truncated", Bool, false, "The transcript was cut to fit an LLM backend's limit."),
    c("expertise_level", Int, true, "Expertise as a number 1-5; null for Unclear or unlabelled."),
    c("verified_success", Bool, true, "Succeeded and success signal >= 4; null for No clear goal or unlabelled."),
    c("judged_success", Bool, true, "Outcome is Succeeded; null for No clear goal or unlabelled."),
    c("at_least_partial", Bool, true, "Succeeded or Partially Succeeded; null for No clear goal or unlabelled."),
    c("judged_failure", Bool, true, "Outcome is Failed; null for No clear goal or unlabelled."),
    c("verified_failure", Bool, true, "Failed and failure signal >= 4; null for No clear goal or unlabelled."),
    c("hits_trouble", Bool, true, "Failure signal >= 3; null when unlabelled."),
    c("abandoned", Bool, true, "Failed with zero lines added; null for No clear goal or unlabelled."),
    c("code_producing", Bool, false, "At least one line added."),
    c("no_clear_goal", Bool, true, "Outcome is No clear goal (excluded from success statistics)."),
    c("reasons_json", Text, false, "Reasons per facet as a JSON object (facet -> list of reasons); names evidence, never quotes prompts."),
];

pub fn index_of(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| c.name == name)
}

/// A record as its JSON object (field name -> value).
pub fn to_map(r: &SessionRecord) -> Map<String, Value> {
    match serde_json::to_value(r) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// One JSON value as the SQLite value of a column of type `ty`.
pub fn to_sql(ty: Ty, v: Option<&Value>) -> Sql {
    match v {
        None | Some(Value::Null) => Sql::Null,
        Some(Value::Bool(b)) => Sql::Integer(*b as i64),
        Some(Value::Number(n)) => match ty {
            Ty::Int | Ty::Bool => n
                .as_i64()
                .or_else(|| n.as_u64().map(|u| u.min(i64::MAX as u64) as i64))
                .map(Sql::Integer)
                .unwrap_or(Sql::Null),
            _ => n.as_f64().map(Sql::Real).unwrap_or(Sql::Null),
        },
        Some(Value::String(s)) => Sql::Text(s.clone()),
        Some(other) => Sql::Text(other.to_string()),
    }
}

/// A SQLite value of a column of type `ty` back as JSON.
pub fn from_sql(ty: Ty, v: Sql) -> Value {
    match (ty, v) {
        (_, Sql::Null) => Value::Null,
        (Ty::Bool, Sql::Integer(i)) => Value::Bool(i != 0),
        (Ty::Int, Sql::Integer(i)) => Value::from(i),
        (Ty::Real | Ty::Float, Sql::Real(f)) => {
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        (Ty::Real | Ty::Float, Sql::Integer(i)) => Value::from(i as f64),
        (_, Sql::Text(s)) => Value::String(s),
        (_, Sql::Integer(i)) => Value::from(i),
        (_, Sql::Real(f)) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        (_, Sql::Blob(b)) => Value::String(String::from_utf8_lossy(&b).into_owned()),
    }
}

/// The default record as a map: missing fields (a column added to the record
/// after this row was written) fall back to these values.
pub fn default_map() -> Map<String, Value> {
    to_map(&SessionRecord::default())
}

/// Builds a record from a field map laid over the defaults.
pub fn from_map(
    base: &Map<String, Value>,
    fields: Map<String, Value>,
) -> anyhow::Result<SessionRecord> {
    let mut m = base.clone();
    for (k, v) in fields {
        m.insert(k, v);
    }
    Ok(serde_json::from_value(Value::Object(m))?)
}

/// Fields of the record that are not columns here (added to record.rs after
/// this schema): kept as a JSON object so nothing is lost.
pub fn extras(m: &Map<String, Value>) -> Option<String> {
    let extra: Map<String, Value> = m
        .iter()
        .filter(|(k, _)| index_of(k).is_none())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    (!extra.is_empty()).then(|| Value::Object(extra).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_cover_every_record_field_in_order() {
        let m = default_map();
        let fields: Vec<&str> = m.keys().map(|k| k.as_str()).collect();
        let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        let mut sorted = fields.clone();
        sorted.sort();
        names.sort();
        assert_eq!(
            names, sorted,
            "SessionRecord and store::columns::COLUMNS differ: update COLUMNS, docs/records.md and RECORD_SCHEMA_VERSION"
        );
    }

    #[test]
    fn docs_name_every_column_and_the_version() {
        let doc = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/records.md"),
        )
        .expect("docs/records.md");
        assert!(
            doc.contains(&format!(
                "RECORD_SCHEMA_VERSION = {}",
                crate::record::RECORD_SCHEMA_VERSION
            )),
            "docs/records.md must state the current RECORD_SCHEMA_VERSION"
        );
        for c in COLUMNS {
            assert!(
                doc.contains(&format!("| `{}` | {} |", c.name, c.ty.as_str())),
                "docs/records.md lacks column {} ({})",
                c.name,
                c.ty.as_str()
            );
        }
    }
}
