//! Cache of LLM answers, keyed by (backend, model, rubric version, digest of
//! the rendered transcript, facet). The SQLite store implements this trait;
//! a JSONL file implementation serves when there is no store.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

/// The cache key of one answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct CacheKey {
    pub backend: String,
    pub model: String,
    pub rubric_version: String,
    /// Hex digest of the rendered (scrubbed) transcript.
    pub digest: String,
    pub facet: String,
}

pub trait AnswerCache: Send + Sync {
    fn get(&self, key: &CacheKey) -> Option<String>;
    fn put(&self, key: &CacheKey, answer: &str) -> anyhow::Result<()>;
}

fn key_string(k: &CacheKey) -> String {
    // Field order is fixed by the struct; the JSON text is a stable map key.
    serde_json::to_string(k).unwrap_or_default()
}

/// Answers kept in memory only (`--no-store`, tests).
#[derive(Default)]
pub struct MemoryCache {
    map: Mutex<HashMap<String, String>>,
}

impl MemoryCache {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn len(&self) -> usize {
        self.map.lock().map(|m| m.len()).unwrap_or(0)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl AnswerCache for MemoryCache {
    fn get(&self, key: &CacheKey) -> Option<String> {
        self.map.lock().ok()?.get(&key_string(key)).cloned()
    }
    fn put(&self, key: &CacheKey, answer: &str) -> anyhow::Result<()> {
        self.map
            .lock()
            .map_err(|_| anyhow::anyhow!("cache lock poisoned"))?
            .insert(key_string(key), answer.to_string());
        Ok(())
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Line {
    key: CacheKey,
    answer: String,
}

/// An append-only JSONL file, one `{"key": {...}, "answer": "..."}` per line;
/// read whole at open (later lines win), appended to (and flushed) on every
/// `put`, so an interrupted run keeps every answer it received. Lines that do
/// not parse (a line cut by a crash) are skipped.
pub struct JsonlCache {
    path: PathBuf,
    map: RwLock<HashMap<String, String>>,
    file: Mutex<std::fs::File>,
    skipped: usize,
}

impl JsonlCache {
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        use anyhow::Context;
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create the cache folder {}", dir.display()))?;
            }
        }
        let mut map = HashMap::new();
        let mut skipped = 0;
        if let Ok(f) = std::fs::File::open(path) {
            for line in std::io::BufReader::new(f).split(b'\n') {
                let line = line.with_context(|| format!("cannot read {}", path.display()))?;
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                match serde_json::from_slice::<Line>(&line) {
                    Ok(l) => {
                        map.insert(key_string(&l.key), l.answer);
                    }
                    Err(_) => skipped += 1,
                }
            }
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open the LLM answer cache {}", path.display()))?;
        // A line cut by a crash must not swallow the next answer.
        if ends_without_newline(path) {
            file.write_all(b"\n")?;
        }
        Ok(JsonlCache {
            path: path.to_path_buf(),
            map: RwLock::new(map),
            file: Mutex::new(file),
            skipped,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
    /// Entries in memory (distinct keys).
    pub fn len(&self) -> usize {
        self.map.read().map(|m| m.len()).unwrap_or(0)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Lines that could not be read at open.
    pub fn skipped_lines(&self) -> usize {
        self.skipped
    }
}

impl AnswerCache for JsonlCache {
    fn get(&self, key: &CacheKey) -> Option<String> {
        self.map.read().ok()?.get(&key_string(key)).cloned()
    }
    fn put(&self, key: &CacheKey, answer: &str) -> anyhow::Result<()> {
        let mut line = serde_json::to_string(&Line {
            key: key.clone(),
            answer: answer.to_string(),
        })?;
        line.push('\n');
        {
            let mut f = self
                .file
                .lock()
                .map_err(|_| anyhow::anyhow!("cache lock poisoned"))?;
            // One write per line: appends from several threads do not interleave.
            f.write_all(line.as_bytes())?;
            f.flush()?;
        }
        if let Ok(mut m) = self.map.write() {
            m.insert(key_string(key), answer.to_string());
        }
        Ok(())
    }
}

fn ends_without_newline(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    if f.seek(SeekFrom::End(-1)).is_err() {
        return false; // empty
    }
    let mut b = [0u8; 1];
    f.read_exact(&mut b).is_ok() && b[0] != b'\n'
}

/// Where the JSONL cache lives: next to the store when `--store` is given,
/// else `$XDG_CACHE_HOME/agentcensus/llm-cache.jsonl` (`~/.cache/...`;
/// `%LOCALAPPDATA%\agentcensus\` on Windows).
pub fn default_path(store: Option<&Path>) -> Option<PathBuf> {
    if let Some(s) = store {
        let dir = s.parent().filter(|d| !d.as_os_str().is_empty());
        return Some(dir.map_or_else(
            || PathBuf::from("llm-cache.jsonl"),
            |d| d.join("llm-cache.jsonl"),
        ));
    }
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = env("XDG_CACHE_HOME")
        .or_else(|| env("HOME").map(|h| h.join(".cache")))
        .or_else(|| env("LOCALAPPDATA"))?;
    Some(base.join("agentcensus").join("llm-cache.jsonl"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(f: &str) -> CacheKey {
        CacheKey {
            backend: "openai".into(),
            model: "m".into(),
            rubric_version: "1".into(),
            digest: "abc".into(),
            facet: f.into(),
        }
    }

    #[test]
    fn jsonl_cache_persists_and_skips_broken_lines() {
        let dir = std::env::temp_dir().join(format!("agentcensus-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("sub").join("c.jsonl");
        {
            let c = JsonlCache::open(&path).unwrap();
            assert!(c.get(&key("work_mode")).is_none());
            c.put(&key("work_mode"), "{\"label\":\"Fix\"}").unwrap();
            c.put(&key("outcome"), "first").unwrap();
            c.put(&key("outcome"), "second").unwrap();
            assert_eq!(c.get(&key("outcome")).as_deref(), Some("second"));
        }
        // A crash mid-line leaves a broken tail.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"{\"key\":{\"backend\":\"op").unwrap();
        drop(f);
        let c = JsonlCache::open(&path).unwrap();
        assert_eq!(c.skipped_lines(), 1);
        c.put(&key("codebase"), "after the crash").unwrap();
        let c = JsonlCache::open(&path).unwrap();
        assert_eq!(c.get(&key("codebase")).as_deref(), Some("after the crash"));
        assert_eq!(c.len(), 3);
        assert_eq!(
            c.get(&key("work_mode")).as_deref(),
            Some("{\"label\":\"Fix\"}")
        );
        assert_eq!(c.get(&key("outcome")).as_deref(), Some("second"));
        let mut other = key("outcome");
        other.model = "n".into();
        assert!(c.get(&other).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn default_path_next_to_store() {
        assert_eq!(
            default_path(Some(Path::new("/x/y/store.sqlite"))),
            Some(PathBuf::from("/x/y/llm-cache.jsonl"))
        );
    }
}
