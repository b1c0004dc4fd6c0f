//! Parquet of records (arrow + parquet, zstd-compressed), for pandas, Polars,
//! DuckDB and Spark. Column types follow docs/records.md: string, int64,
//! float64, float32, bool, with nulls where the column is nullable. The file's
//! key-value metadata carries `agentcensus.record_schema_version`.

use super::RecordWriter;
use crate::record::{SessionRecord, RECORD_SCHEMA_VERSION};
use crate::store::columns::{self, Ty, COLUMNS};
use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Float32Builder, Float64Builder, Int64Builder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde_json::Value;
use std::io::Write;
use std::sync::Arc;

/// Rows per record batch (and row group).
pub const ROWS_PER_BATCH: usize = 64 * 1024;

pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(
        COLUMNS
            .iter()
            .map(|c| {
                let t = match c.ty {
                    Ty::Text => DataType::Utf8,
                    Ty::Int => DataType::Int64,
                    Ty::Real => DataType::Float64,
                    Ty::Float => DataType::Float32,
                    Ty::Bool => DataType::Boolean,
                };
                Field::new(c.name, t, c.nullable)
            })
            .collect::<Vec<_>>(),
    ))
}

enum Col {
    Text(StringBuilder),
    Int(Int64Builder),
    Real(Float64Builder),
    Float(Float32Builder),
    Bool(BooleanBuilder),
}

impl Col {
    fn new(ty: Ty) -> Col {
        match ty {
            Ty::Text => Col::Text(StringBuilder::new()),
            Ty::Int => Col::Int(Int64Builder::new()),
            Ty::Real => Col::Real(Float64Builder::new()),
            Ty::Float => Col::Float(Float32Builder::new()),
            Ty::Bool => Col::Bool(BooleanBuilder::new()),
        }
    }
    fn push(&mut self, v: Option<&Value>, nullable: bool) {
        let v = v.filter(|v| !v.is_null());
        match self {
            Col::Text(b) => match v {
                Some(Value::String(s)) => b.append_value(s),
                Some(other) => b.append_value(other.to_string()),
                None if nullable => b.append_null(),
                None => b.append_value(""),
            },
            Col::Int(b) => {
                match v.and_then(|v| v.as_i64().or_else(|| v.as_u64().map(|u| u as i64))) {
                    Some(i) => b.append_value(i),
                    None if nullable => b.append_null(),
                    None => b.append_value(0),
                }
            }
            Col::Real(b) => match v.and_then(Value::as_f64) {
                Some(f) => b.append_value(f),
                None if nullable => b.append_null(),
                None => b.append_value(0.0),
            },
            Col::Float(b) => match v.and_then(Value::as_f64) {
                Some(f) => b.append_value(f as f32),
                None if nullable => b.append_null(),
                None => b.append_value(0.0),
            },
            Col::Bool(b) => match v.and_then(Value::as_bool) {
                Some(x) => b.append_value(x),
                None if nullable => b.append_null(),
                None => b.append_value(false),
            },
        }
    }
    fn finish(&mut self) -> ArrayRef {
        match self {
            Col::Text(b) => Arc::new(b.finish()),
            Col::Int(b) => Arc::new(b.finish()),
            Col::Real(b) => Arc::new(b.finish()),
            Col::Float(b) => Arc::new(b.finish()),
            Col::Bool(b) => Arc::new(b.finish()),
        }
    }
    fn len(&self) -> usize {
        match self {
            Col::Text(b) => b.len(),
            Col::Int(b) => b.len(),
            Col::Real(b) => b.len(),
            Col::Float(b) => b.len(),
            Col::Bool(b) => b.len(),
        }
    }
}

pub struct Parquet {
    writer: ArrowWriter<Box<dyn Write + Send>>,
    schema: SchemaRef,
    cols: Vec<Col>,
}

impl Parquet {
    pub fn new(out: Box<dyn Write + Send>) -> anyhow::Result<Self> {
        let schema = schema();
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_size(ROWS_PER_BATCH)
            .set_key_value_metadata(Some(vec![
                KeyValue::new(
                    "agentcensus.record_schema_version".to_string(),
                    RECORD_SCHEMA_VERSION.to_string(),
                ),
                KeyValue::new(
                    "agentcensus.version".to_string(),
                    env!("CARGO_PKG_VERSION").to_string(),
                ),
            ]))
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(props))?;
        Ok(Parquet {
            writer,
            schema,
            cols: COLUMNS.iter().map(|c| Col::new(c.ty)).collect(),
        })
    }

    fn flush_batch(&mut self) -> anyhow::Result<()> {
        if self.cols.first().map(|c| c.len()).unwrap_or(0) == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.cols.iter_mut().map(|c| c.finish()).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)?;
        self.writer.write(&batch)?;
        Ok(())
    }
}

impl RecordWriter for Parquet {
    fn write(&mut self, r: &SessionRecord) -> anyhow::Result<()> {
        let m = columns::to_map(r);
        for (c, col) in COLUMNS.iter().zip(self.cols.iter_mut()) {
            col.push(m.get(c.name), c.nullable);
        }
        if self.cols[0].len() >= ROWS_PER_BATCH {
            self.flush_batch()?;
        }
        Ok(())
    }
    fn finish(mut self: Box<Self>) -> anyhow::Result<()> {
        self.flush_batch()?;
        let mut out = self.writer.into_inner()?;
        out.flush()?;
        Ok(())
    }
}
