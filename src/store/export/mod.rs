//! Exporters of stored records for data tools: one small trait, one file per
//! format (JSON, JSON Lines, CSV, Parquet), a function that picks one. The
//! columns and their types are `store::columns::COLUMNS` (docs/records.md).

pub mod csv;
pub mod json;
#[cfg(feature = "parquet")]
pub mod parquet;

use crate::record::SessionRecord;
use std::io::Write;

/// Writes records one at a time; `finish` completes the file.
pub trait RecordWriter {
    fn write(&mut self, r: &SessionRecord) -> anyhow::Result<()>;
    fn finish(self: Box<Self>) -> anyhow::Result<()>;
}

pub const FORMATS: &[&str] = &["json", "jsonl", "csv", "parquet"];

/// Does this format write bytes a terminal should not get?
pub fn is_binary(format: &str) -> bool {
    format == "parquet"
}

/// Fails (with the reason) when this build cannot write `format`.
pub fn check(format: &str) -> anyhow::Result<()> {
    if !FORMATS.contains(&format) && format != "ndjson" {
        anyhow::bail!(
            "unknown export format '{format}' (expected one of: {})",
            FORMATS.join(", ")
        );
    }
    if format == "parquet" && !cfg!(feature = "parquet") {
        parquet_writer(Box::new(std::io::sink()))?;
    }
    Ok(())
}

/// The writer for `format` over `out`.
pub fn writer(format: &str, out: Box<dyn Write + Send>) -> anyhow::Result<Box<dyn RecordWriter>> {
    match format {
        "json" => Ok(Box::new(json::Json::new(out, false))),
        "jsonl" | "ndjson" => Ok(Box::new(json::Json::new(out, true))),
        "csv" => Ok(Box::new(csv::Csv::new(out))),
        "parquet" => parquet_writer(out),
        other => anyhow::bail!(
            "unknown export format '{other}' (expected one of: {})",
            FORMATS.join(", ")
        ),
    }
}

#[cfg(feature = "parquet")]
fn parquet_writer(out: Box<dyn Write + Send>) -> anyhow::Result<Box<dyn RecordWriter>> {
    Ok(Box::new(parquet::Parquet::new(out)?))
}

#[cfg(not(feature = "parquet"))]
fn parquet_writer(_out: Box<dyn Write + Send>) -> anyhow::Result<Box<dyn RecordWriter>> {
    anyhow::bail!(
        "this agentcensus was built without Parquet support (cargo feature \"parquet\"); \
         rebuild with default features, or export --format csv or json"
    )
}
