//! A JSONL line reader shared by every format: streams a file line by line
//! without per-line allocation beyond the line itself, skips (with a warning
//! naming file and line) lines above a size limit without buffering them,
//! and replaces invalid UTF-8 instead of failing.

use crate::diag::Diagnostics;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Default limit for one line (DESIGN.md: 64 MB).
pub const DEFAULT_MAX_LINE: usize = 64 * 1024 * 1024;

static MAX_LINE: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(DEFAULT_MAX_LINE);

/// Sets the per-line size limit for the whole process (`--max-line-mb`).
pub fn set_max_line(bytes: usize) {
    MAX_LINE.store(bytes.max(1024), std::sync::atomic::Ordering::Relaxed);
}

pub fn max_line() -> usize {
    MAX_LINE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Calls `f(line_number, text)` for each non-empty line of `path`. Lines with
/// invalid UTF-8 are passed with replacement characters (and a warning).
/// Returns false when the file could not be opened or read (already warned).
pub fn for_each_line(path: &Path, diag: &Diagnostics, mut f: impl FnMut(u64, &str)) -> bool {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            diag.warn(path, None, format!("cannot open: {e}"));
            return false;
        }
    };
    for_each_line_in(
        BufReader::with_capacity(256 * 1024, file),
        path,
        diag,
        max_line(),
        &mut f,
    )
}

/// As [`for_each_line`], over any reader (for tests and in-memory data).
pub fn for_each_line_in<R: Read>(
    mut reader: BufReader<R>,
    path: &Path,
    diag: &Diagnostics,
    limit: usize,
    f: &mut dyn FnMut(u64, &str),
) -> bool {
    let mut buf: Vec<u8> = Vec::new();
    let mut lineno: u64 = 0;
    let mut skipping = false; // inside an oversized line
    let mut skipped_len: usize = 0;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                diag.warn(
                    path,
                    Some(lineno + 1),
                    format!("read error: {e}; rest of file skipped"),
                );
                return false;
            }
        };
        if chunk.is_empty() {
            // End of file: a last line without newline.
            if skipping {
                lineno += 1;
                diag.warn(
                    path,
                    Some(lineno),
                    format!("line of {skipped_len} bytes exceeds the {limit}-byte limit; skipped"),
                );
            } else if !buf.is_empty() {
                lineno += 1;
                emit(&buf, lineno, path, diag, f);
            }
            return true;
        }
        let (consumed, found) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, Some(i)),
            None => (chunk.len(), None),
        };
        let piece = &chunk[..found.unwrap_or(consumed)];
        if skipping {
            skipped_len += piece.len();
        } else if buf.len() + piece.len() > limit {
            skipping = true;
            skipped_len = buf.len() + piece.len();
            buf = Vec::new(); // release the memory
        } else {
            buf.extend_from_slice(piece);
        }
        reader.consume(consumed);
        if found.is_some() {
            lineno += 1;
            if skipping {
                diag.warn(
                    path,
                    Some(lineno),
                    format!("line of {skipped_len} bytes exceeds the {limit}-byte limit; skipped"),
                );
                skipping = false;
                skipped_len = 0;
            } else {
                emit(&buf, lineno, path, diag, f);
                buf.clear();
            }
        }
    }
}

fn emit(buf: &[u8], lineno: u64, path: &Path, diag: &Diagnostics, f: &mut dyn FnMut(u64, &str)) {
    let line = buf.strip_suffix(b"\r").unwrap_or(buf);
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return;
    }
    match std::str::from_utf8(line) {
        Ok(s) => f(lineno, s),
        Err(_) => {
            diag.warn(path, Some(lineno), "invalid UTF-8; replaced with U+FFFD");
            f(lineno, &String::from_utf8_lossy(line));
        }
    }
}

/// Reads up to `n` bytes from the start of a file (for format sniffing).
pub fn head(path: &Path, n: usize) -> std::io::Result<Vec<u8>> {
    let mut f = File::open(path)?;
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        match f.read(&mut buf[got..])? {
            0 => break,
            k => got += k,
        }
    }
    buf.truncate(got);
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &[u8], limit: usize) -> (Vec<(u64, String)>, Vec<String>) {
        let diag = Diagnostics::new(true);
        let mut out = Vec::new();
        // A tiny buffer exercises lines spanning many fill_buf calls.
        let r = BufReader::with_capacity(7, data);
        for_each_line_in(r, Path::new("t.jsonl"), &diag, limit, &mut |n, s| {
            out.push((n, s.to_string()))
        });
        (
            out,
            diag.take().into_iter().map(|w| w.to_string()).collect(),
        )
    }

    #[test]
    fn splits_lines_and_numbers_them() {
        let (l, w) = lines(b"{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":3}", 1000);
        assert_eq!(
            l,
            vec![
                (1, "{\"a\":1}".into()),
                (3, "{\"b\":2}".into()),
                (4, "{\"c\":3}".into())
            ]
        );
        assert!(w.is_empty());
    }

    #[test]
    fn oversized_line_is_skipped_with_warning_and_rest_is_read() {
        let mut data = b"{\"a\":1}\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 5000));
        data.extend(b"\n{\"z\":9}\n");
        let (l, w) = lines(&data, 100);
        assert_eq!(l, vec![(1, "{\"a\":1}".into()), (3, "{\"z\":9}".into())]);
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with("t.jsonl:2: line of 5000 bytes"), "{w:?}");
    }

    #[test]
    fn invalid_utf8_is_replaced_and_named() {
        let (l, w) = lines(b"{\"a\":\"\xff\"}\n", 100);
        assert_eq!(l.len(), 1);
        assert!(l[0].1.contains('\u{FFFD}'));
        assert!(w[0].contains("t.jsonl:1: invalid UTF-8"));
    }
}
