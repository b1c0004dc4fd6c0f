//! `agentcensus export --format json|jsonl|csv|parquet [--output FILE]`: the
//! stored records, with the versioned column schema of docs/records.md.

use crate::cli::{ExportArgs, Global};
use crate::store::{export, Store};
use std::io::IsTerminal;

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
    if !export::FORMATS.contains(&format.as_str()) {
        anyhow::bail!(
            "unknown export format '{}' (expected one of: {})",
            args.format,
            export::FORMATS.join(", ")
        );
    }
    let out: Box<dyn std::io::Write + Send> = match &args.output {
        Some(p) => Box::new(
            std::fs::File::create(p)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", p.display()))?,
        ),
        None => {
            if export::is_binary(&format) && std::io::stdout().is_terminal() {
                anyhow::bail!("--format {format} writes binary data: give a file with --output");
            }
            Box::new(std::io::stdout())
        }
    };
    let store = Store::open(&path)?;
    let mut w = export::writer(&format, out)?;
    let mut result = Ok(());
    let n = store.scan_records(&|_| true, &mut |_, r| {
        if result.is_ok() {
            result = w.write(&r);
        }
        Ok(())
    })?;
    match result {
        // A closed pipe (`| head`) is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            return Ok(super::exit::OK)
        }
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    w.finish()?;
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
