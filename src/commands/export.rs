//! `agentcensus export --format json|jsonl|csv|parquet [--output FILE]`: the
//! stored records, with the versioned column schema of docs/records.md.

use crate::cli::{ExportArgs, Global};
use crate::store::{export, Store};
use std::io::IsTerminal;
use std::path::Path;

pub fn run(args: &ExportArgs, g: &Global) -> anyhow::Result<i32> {
    if g.no_store {
        anyhow::bail!("export reads the store; it cannot run with --no-store");
    }
    let path = match &g.store {
        Some(p) => p.clone(),
        None => crate::store::default_path().ok_or_else(|| {
            anyhow::anyhow!("no HOME or XDG_DATA_HOME: name the store with --store")
        })?,
    };
    if !path.exists() {
        eprintln!(
            "no store at {} yet: run `agentcensus report` (or `import`) first, or name one with --store",
            path.display()
        );
        return Ok(super::exit::NOTHING);
    }
    let format = args.format.to_ascii_lowercase();
    export::check(&format)?;
    // A file is written next to its destination and renamed into place when
    // complete, so a failed export never leaves a truncated file behind.
    let tmp = args.output.as_ref().map(|p| {
        let mut name = p.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".tmp{}", std::process::id()));
        p.with_file_name(name)
    });
    let out: Box<dyn std::io::Write + Send> = match &tmp {
        Some(t) => Box::new(
            std::fs::File::create(t)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", t.display()))?,
        ),
        None => {
            if export::is_binary(&format) && std::io::stdout().is_terminal() {
                anyhow::bail!("--format {format} writes binary data: give a file with --output");
            }
            Box::new(std::io::stdout())
        }
    };
    let res = write_all(&path, &format, out);
    if let (Some(t), Some(p)) = (&tmp, &args.output) {
        match &res {
            Ok(_) => std::fs::rename(t, p)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", p.display()))?,
            Err(_) => {
                let _ = std::fs::remove_file(t);
            }
        }
    }
    let n = match res? {
        Some(n) => n,
        None => return Ok(super::exit::OK), // the reader went away (`| head`)
    };
    if let Some(p) = &args.output {
        if !g.quiet {
            eprintln!(
                "exported {n} records ({format}, record schema {}) to {}",
                crate::record::RECORD_SCHEMA_VERSION,
                p.display()
            );
        }
    }
    Ok(super::exit::OK)
}

/// Writes every stored record; Ok(None) when the reader went away.
fn write_all(
    path: &Path,
    format: &str,
    out: Box<dyn std::io::Write + Send>,
) -> anyhow::Result<Option<u64>> {
    let store = Store::open(path)?;
    let mut w = export::writer(format, out)?;
    let mut result = Ok(());
    let n = store.scan_records(&|_| true, &mut |_, r| {
        if result.is_ok() {
            result = w.write(&r);
        }
        Ok(())
    })?;
    let broken_pipe = |e: &anyhow::Error| {
        e.chain().any(|c| {
            c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                || c.downcast_ref::<serde_json::Error>()
                    .and_then(|j| j.io_error_kind())
                    == Some(std::io::ErrorKind::BrokenPipe)
        })
    };
    match result {
        Err(e) if broken_pipe(&e) => return Ok(None),
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    match w.finish() {
        Err(e) if broken_pipe(&e) => Ok(None),
        Err(e) => Err(e),
        Ok(()) => Ok(Some(n)),
    }
}
