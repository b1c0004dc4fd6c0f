//! JSON (one array) and JSON Lines (one object per line) of records; keys in
//! record order, numbers exactly as stored.

use super::RecordWriter;
use crate::record::SessionRecord;
use std::io::{BufWriter, Write};

pub struct Json {
    out: BufWriter<Box<dyn Write + Send>>,
    lines: bool,
    n: u64,
}

impl Json {
    pub fn new(out: Box<dyn Write + Send>, lines: bool) -> Self {
        Json {
            out: BufWriter::new(out),
            lines,
            n: 0,
        }
    }
}

impl RecordWriter for Json {
    fn write(&mut self, r: &SessionRecord) -> anyhow::Result<()> {
        if !self.lines {
            self.out
                .write_all(if self.n == 0 { b"[\n" } else { b",\n" })?;
        }
        serde_json::to_writer(&mut self.out, r)?;
        if self.lines {
            self.out.write_all(b"\n")?;
        }
        self.n += 1;
        Ok(())
    }
    fn finish(mut self: Box<Self>) -> anyhow::Result<()> {
        if !self.lines {
            self.out
                .write_all(if self.n == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()?;
        Ok(())
    }
}
