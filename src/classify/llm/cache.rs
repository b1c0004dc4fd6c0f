//! Cache of LLM answers, keyed by (backend, model, rubric version, digest of
//! the rendered transcript, facet). The SQLite store implements this trait;
//! a JSONL file implementation serves when there is no store.

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
