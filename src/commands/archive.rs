//! `agentcensus archive [PATH...]`: keeps zstd-compressed copies of the raw
//! session files, so that sessions can be classified again (another backend,
//! a newer rubric) after the agent has deleted its transcripts (Claude Code
//! does after 30 days by default). Off by default: nothing is copied unless
//! this command runs. Copies mirror each person's folder layout
//! (`DIR/<person>/<path under the root>.zst`), so `zstd -d -r DIR` gives back
//! files any `agentcensus` command reads. A file that grew is copied again;
//! a copy whose source is gone stays.

use crate::cli::{ArchiveArgs, Global};
use crate::discover::{self, Request};
use crate::store::{stat, FileRow, Store};
use rayon::prelude::*;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// zstd level: JSONL transcripts shrink about 10x at this level.
pub const LEVEL: i32 = 6;

pub fn run(args: &ArchiveArgs, g: &Global) -> anyhow::Result<i32> {
    let diag = super::diagnostics(g);
    let Some(store) = Store::from_global(g)? else {
        anyhow::bail!("archive records its copies in the store; it cannot run with --no-store");
    };
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => store
            .path()
            .parent()
            .map(|p| p.join("archive"))
            .unwrap_or_else(|| PathBuf::from("agentcensus-archive")),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create the archive folder {}: {e}", dir.display()))?;
    let dir = dir.canonicalize().unwrap_or(dir);
    let req = Request {
        paths: &args.input.paths,
        users: &args.input.users,
        users_by_folder: args.input.users_by_folder,
    };
    let found = discover::discover(&req, &diag);
    if found.files.is_empty() {
        eprintln!("no session files found to archive");
        return Ok(super::exit::NOTHING);
    }
    let (copied, unchanged, bytes_in, bytes_out) = (
        AtomicU64::new(0),
        AtomicU64::new(0),
        AtomicU64::new(0),
        AtomicU64::new(0),
    );
    let pb = crate::progress::bar(found.files.len() as u64, "archive", g.quiet);
    let errors: Vec<anyhow::Error> = found
        .files
        .par_iter()
        .filter_map(|(file, root)| {
            pb.inc(1);
            let root = &found.roots[*root];
            let res = (|| -> anyhow::Result<()> {
                let abs = file.canonicalize()?.to_string_lossy().into_owned();
                let (size, mtime_ns) = stat(file)?;
                if let Some((s, m, _)) = store.archived(&abs)? {
                    if s == size && m == mtime_ns {
                        unchanged.fetch_add(1, Ordering::Relaxed);
                        return Ok(());
                    }
                }
                let dest = destination(&dir, &root.name, &root.path, file);
                let (hash, compressed) = compress(file, &dest)?;
                store.put_archived(
                    &FileRow {
                        path: abs,
                        size,
                        mtime_ns,
                        hash,
                    },
                    &dest.to_string_lossy(),
                    compressed,
                )?;
                copied.fetch_add(1, Ordering::Relaxed);
                bytes_in.fetch_add(size, Ordering::Relaxed);
                bytes_out.fetch_add(compressed, Ordering::Relaxed);
                Ok(())
            })();
            match res {
                Ok(()) => None,
                Err(e) => {
                    diag.warn(file, None, format!("not archived: {e:#}"));
                    Some(e)
                }
            }
        })
        .collect();
    pb.finish_and_clear();
    let (files, total_in, total_out) = store.archive_totals()?;
    println!(
        "archived {} new or changed files ({} -> {} compressed), {} unchanged, {} not archived",
        copied.load(Ordering::Relaxed),
        mb(bytes_in.load(Ordering::Relaxed)),
        mb(bytes_out.load(Ordering::Relaxed)),
        unchanged.load(Ordering::Relaxed),
        errors.len()
    );
    println!(
        "archive: {} holds {files} files, {} of transcripts in {} (restore: zstd -d -r {})",
        dir.display(),
        mb(total_in),
        mb(total_out),
        dir.display()
    );
    Ok(if errors.is_empty() {
        super::exit::OK
    } else {
        super::exit::ERROR
    })
}

fn mb(b: u64) -> String {
    if b >= 1 << 30 {
        format!("{:.2} GB", b as f64 / (1u64 << 30) as f64)
    } else {
        format!("{:.1} MB", b as f64 / (1u64 << 20) as f64)
    }
}

/// A folder name from a person's name (no separators, no `..`).
fn safe(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c == ':' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    match s.as_str() {
        "" | "." | ".." => "_".into(),
        _ => s,
    }
}

/// `DIR/<person>/<path of the file under its root>.zst`.
pub fn destination(dir: &Path, person: &str, root: &Path, file: &Path) -> PathBuf {
    let rel: PathBuf = match file.strip_prefix(root) {
        Ok(r) if !r.as_os_str().is_empty() => r
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .collect(),
        _ => PathBuf::from(file.file_name().unwrap_or_default()),
    };
    let mut name = rel.into_os_string();
    name.push(".zst");
    dir.join(safe(person)).join(name)
}

struct Hashing<R> {
    inner: R,
    hasher: blake3::Hasher,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Compresses `src` to `dest` (through a temporary file renamed into place,
/// so a killed run never leaves half a copy); returns the source's BLAKE3 hex
/// and the compressed size.
pub fn compress(src: &Path, dest: &Path) -> anyhow::Result<(String, u64)> {
    if let Some(p) = dest.parent() {
        std::fs::create_dir_all(p)?;
    }
    let tmp = dest.with_extension(format!("zst.tmp{}", std::process::id()));
    let mut reader = Hashing {
        inner: std::fs::File::open(src)?,
        hasher: blake3::Hasher::new(),
    };
    {
        let out = std::fs::File::create(&tmp)?;
        let mut enc = zstd::stream::Encoder::new(out, LEVEL)?;
        std::io::copy(&mut reader, &mut enc)?;
        enc.finish()?.sync_all()?;
    }
    std::fs::rename(&tmp, dest)?;
    let size = std::fs::metadata(dest)?.len();
    Ok((reader.hasher.finalize().to_hex().to_string(), size))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::hash_file;

    #[test]
    fn copies_round_trip_and_mirror_the_layout() {
        let dir = std::env::temp_dir().join(format!("ac-archive-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = dir.join("alice");
        std::fs::create_dir_all(root.join("p/s1/subagents")).unwrap();
        let f = root.join("p/s1/subagents/agent-1.jsonl");
        let body = "{\"type\":\"user\"}\n".repeat(200);
        std::fs::write(&f, &body).unwrap();
        let dest = destination(&dir.join("arch"), "alice", &root, &f);
        assert!(dest.ends_with("arch/alice/p/s1/subagents/agent-1.jsonl.zst"));
        let (hash, size) = compress(&f, &dest).unwrap();
        assert_eq!(hash, hash_file(&f).unwrap());
        assert!(size < body.len() as u64);
        let back = zstd::decode_all(std::fs::File::open(&dest).unwrap()).unwrap();
        assert_eq!(back, body.as_bytes());
        assert_eq!(safe("../x"), ".._x");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
