//! `agentcensus export`: JSON, JSON Lines, CSV and Parquet of the stored
//! records read back (Parquet with the Rust parquet reader) and compared with
//! the records written, column by column.

mod common;

use agentcensus::record::SessionRecord;
use agentcensus::store::columns::{self, Ty, COLUMNS};
use agentcensus::store::{FileRow, Store, UnitWrite};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ac-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn records() -> Vec<SessionRecord> {
    let mut v = Vec::new();
    for i in 0..40u32 {
        let mut r = SessionRecord {
            session_id: format!("sess-{i:03}"),
            user: format!("u_{:012x}", i % 3),
            agent: if i % 4 == 0 { "codex" } else { "claude-code" }.into(),
            agent_version: (i % 2 == 0).then(|| "2.1.5".to_string()),
            surface: "cli".into(),
            interactive: i % 5 != 0,
            in_study_scope: i % 5 != 0,
            project: Some(format!("proj, \"quoted\"\nline {i}")),
            month: Some(format!("2026-0{}", 1 + i % 4)),
            start: Some(format!("2026-0{}-03T10:00:00Z", 1 + i % 4)),
            duration_s: Some(i as f64 * 61.7),
            models: "claude-sonnet-4-5,claude-haiku-4-5".into(),
            human_prompts: i % 6,
            actions: i * 3,
            actions_per_prompt: (i % 6 > 0).then(|| (i * 3) as f64 / (i % 6) as f64),
            output_tokens: 10_000_000_000 + i as u64,
            lines_added: (i % 3) as u64 * 17,
            tests_pass_at_end: match i % 3 {
                0 => None,
                1 => Some(true),
                _ => Some(false),
            },
            work_mode: Some(["Fix", "Build", "Plan"][i as usize % 3].into()),
            work_mode_confidence: Some(0.1 * (i % 10) as f32),
            expertise: Some(["1", "3", "5", "Unclear"][i as usize % 4].into()),
            outcome: Some(["Succeeded", "Failed", "No clear goal"][i as usize % 3].into()),
            success_signal: Some("4".into()),
            failure_signal: Some("NONE".into()),
            user_planning_share: (i % 2 == 1).then(|| 1.0 / 3.0),
            backend: "builtin".into(),
            rubric_version: "1".into(),
            reasons_json: format!(r#"{{"outcome":["tests passed {i}"]}}"#),
            ..Default::default()
        };
        r.derive();
        v.push(r);
    }
    v
}

/// Equal records, or a panic naming the first differing field.
fn assert_same(back: &[SessionRecord], want: &[SessionRecord]) {
    assert_eq!(back.len(), want.len());
    for (b, w) in back.iter().zip(want) {
        let (mb, mw) = (columns::to_map(b), columns::to_map(w));
        for (k, v) in &mw {
            assert_eq!(mb.get(k), Some(v), "{}: field {k}", w.session_id);
        }
        assert_eq!(b, w);
    }
}

/// As `assert_same`, for JSON read back with serde_json's default number
/// parser, which may land one unit in the last place away from the exact
/// (shortest, round-trip) decimal the exporter wrote.
fn assert_same_json(back: &[SessionRecord], want: &[SessionRecord]) {
    assert_eq!(back.len(), want.len());
    for (b, w) in back.iter().zip(want) {
        let (mb, mw) = (columns::to_map(b), columns::to_map(w));
        for (k, v) in &mw {
            let got = mb.get(k).unwrap();
            match (got.as_f64(), v.as_f64()) {
                (Some(x), Some(y)) if v.is_f64() => {
                    assert!(
                        (x - y).abs() <= y.abs() * 4.0 * f64::EPSILON,
                        "{k}: {x} vs {y}"
                    )
                }
                _ => assert_eq!(got, v, "{}: field {k}", w.session_id),
            }
        }
    }
}

fn store_with(path: &Path, rs: &[SessionRecord]) {
    let s = Store::open(path).unwrap();
    for (k, chunk) in rs.chunks(7).enumerate() {
        s.write_units(&[UnitWrite {
            format: "agentcensus-session".into(),
            key: format!("k{k}"),
            root_path: "/data".into(),
            root_name: "data".into(),
            classifier: "builtin".into(),
            files: vec![FileRow {
                path: format!("/data/k{k}.jsonl"),
                size: 1,
                mtime_ns: 1,
                hash: "h".into(),
            }],
            records: chunk.to_vec(),
        }])
        .unwrap();
    }
}

fn export(store: &Path, format: &str, out: &Path) {
    let st = Command::new(common::bin())
        .args(["--quiet", "--store"])
        .arg(store)
        .args(["export", "--format", format, "--output"])
        .arg(out)
        .status()
        .unwrap();
    assert!(st.success(), "export --format {format}");
}

/// Minimal RFC 4180 reader for the test.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

#[test]
fn json_jsonl_and_csv_read_back_equal() {
    let dir = tmp("text");
    let store = dir.join("s.sqlite");
    let rs = records();
    store_with(&store, &rs);

    export(&store, "json", &dir.join("r.json"));
    let back: Vec<SessionRecord> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json")).unwrap()).unwrap();
    assert_same_json(&back, &rs);

    export(&store, "jsonl", &dir.join("r.jsonl"));
    let back: Vec<SessionRecord> = std::fs::read_to_string(dir.join("r.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_same_json(&back, &rs);

    export(&store, "csv", &dir.join("r.csv"));
    let rows = parse_csv(&std::fs::read_to_string(dir.join("r.csv")).unwrap());
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    assert_eq!(rows[0], header);
    let base = columns::default_map();
    let back: Vec<SessionRecord> = rows[1..]
        .iter()
        .map(|row| {
            let mut m = Map::new();
            for (c, cell) in COLUMNS.iter().zip(row) {
                let v = if cell.is_empty() && c.nullable {
                    Value::Null
                } else {
                    match c.ty {
                        Ty::Text => Value::String(cell.clone()),
                        Ty::Int => Value::from(cell.parse::<i64>().unwrap()),
                        Ty::Real | Ty::Float => Value::from(cell.parse::<f64>().unwrap()),
                        Ty::Bool => Value::Bool(cell == "true"),
                    }
                };
                m.insert(c.name.into(), v);
            }
            columns::from_map(&base, m).unwrap()
        })
        .collect();
    assert_same(&back, &rs);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_reads_back_with_the_rust_reader() {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float32Type, Float64Type, Int64Type};
    use arrow_array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    let dir = tmp("parquet");
    let store = dir.join("s.sqlite");
    let rs = records();
    store_with(&store, &rs);
    let out = dir.join("r.parquet");
    export(&store, "parquet", &out);

    let b = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&out).unwrap()).unwrap();
    let kv = b
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .cloned()
        .unwrap_or_default();
    assert!(kv
        .iter()
        .any(|k| k.key == "agentcensus.record_schema_version"
            && k.value.as_deref()
                == Some(
                    agentcensus::record::RECORD_SCHEMA_VERSION
                        .to_string()
                        .as_str()
                )));
    let names: Vec<String> = b
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(
        names,
        COLUMNS
            .iter()
            .map(|c| c.name.to_string())
            .collect::<Vec<_>>()
    );
    let base = columns::default_map();
    let mut back = Vec::new();
    for batch in b.build().unwrap() {
        let batch = batch.unwrap();
        for row in 0..batch.num_rows() {
            let mut m = Map::new();
            for (k, c) in COLUMNS.iter().enumerate() {
                let a = batch.column(k);
                let v = if a.is_null(row) {
                    Value::Null
                } else {
                    match c.ty {
                        Ty::Text => Value::from(a.as_string::<i32>().value(row)),
                        Ty::Int => Value::from(a.as_primitive::<Int64Type>().value(row)),
                        Ty::Real => Value::from(a.as_primitive::<Float64Type>().value(row)),
                        Ty::Float => Value::from(a.as_primitive::<Float32Type>().value(row) as f64),
                        Ty::Bool => Value::from(a.as_boolean().value(row)),
                    }
                };
                m.insert(c.name.into(), v);
            }
            back.push(columns::from_map(&base, m).unwrap());
        }
    }
    assert_same(&back, &rs);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_without_a_store_says_so() {
    let dir = tmp("none");
    let out = Command::new(common::bin())
        .args(["--store"])
        .arg(dir.join("missing.sqlite"))
        .args(["export", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no store at"));
    let out = Command::new(common::bin())
        .args(["--store"])
        .arg(dir.join("missing.sqlite"))
        .args(["export", "--format", "xlsx"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_says_how_to_get_it() {
    let dir = tmp("nofeature");
    let store = dir.join("s.sqlite");
    store_with(&store, &records());
    let out = Command::new(common::bin())
        .arg("--store")
        .arg(&store)
        .args(["export", "--format", "parquet", "--output"])
        .arg(dir.join("r.parquet"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("without Parquet support"));
    let _ = std::fs::remove_dir_all(&dir);
}
