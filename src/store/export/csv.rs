//! CSV (RFC 4180) of records: a header of column names, one row per record;
//! empty cells are nulls, booleans are `true`/`false`, floats are printed in
//! their shortest exact form.

use super::RecordWriter;
use crate::record::SessionRecord;
use crate::store::columns::{self, COLUMNS};
use serde_json::Value;
use std::io::{BufWriter, Write};

pub struct Csv {
    out: BufWriter<Box<dyn Write + Send>>,
    header: bool,
}

impl Csv {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Csv {
            out: BufWriter::new(out),
            header: false,
        }
    }
}

/// One cell, quoted when it holds a separator, quote, line break or edge space.
pub fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    let needs = s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ');
    if needs {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

fn value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => cell(s).into_owned(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => cell(&other.to_string()).into_owned(),
    }
}

impl RecordWriter for Csv {
    fn write(&mut self, r: &SessionRecord) -> anyhow::Result<()> {
        if !self.header {
            let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
            writeln!(self.out, "{}", names.join(","))?;
            self.header = true;
        }
        let m = columns::to_map(r);
        let row: Vec<String> = COLUMNS.iter().map(|c| value(m.get(c.name))).collect();
        self.out.write_all(row.join(",").as_bytes())?;
        self.out.write_all(b"\n")?;
        Ok(())
    }
    fn finish(mut self: Box<Self>) -> anyhow::Result<()> {
        if !self.header {
            let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
            writeln!(self.out, "{}", names.join(","))?;
        }
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
    }
}
