//! The LLM answer cache in the store: one row per (backend, model, rubric
//! version, transcript digest, facet), so a re-run or a re-classification
//! never pays twice for the same question.

use super::Store;
use crate::classify::llm::cache::{AnswerCache, CacheKey};
use rusqlite::OptionalExtension;

impl AnswerCache for Store {
    fn get(&self, key: &CacheKey) -> Option<String> {
        let conn = self.conn();
        conn.query_row(
            "SELECT answer FROM llm_answers
             WHERE backend = ?1 AND model = ?2 AND rubric_version = ?3 AND digest = ?4 AND facet = ?5",
            (
                &key.backend,
                &key.model,
                &key.rubric_version,
                &key.digest,
                &key.facet,
            ),
            |r| r.get(0),
        )
        .optional()
        .ok()
        .flatten()
    }

    fn put(&self, key: &CacheKey, answer: &str) -> anyhow::Result<()> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO llm_answers (backend, model, rubric_version, digest, facet, answer, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (backend, model, rubric_version, digest, facet)
             DO UPDATE SET answer = excluded.answer, created_at = excluded.created_at",
            (
                &key.backend,
                &key.model,
                &key.rubric_version,
                &key.digest,
                &key.facet,
                answer,
                super::now_ms(),
            ),
        )
        .map_err(|e| super::explain(e, self.path()))?;
        Ok(())
    }
}

/// The answer cache of the store selected by the global flags (None with
/// `--no-store`), for the LLM backends.
pub fn answer_cache(
    g: &crate::cli::Global,
) -> anyhow::Result<Option<std::sync::Arc<dyn AnswerCache>>> {
    Ok(Store::from_global(g)?.map(|s| std::sync::Arc::new(s) as std::sync::Arc<dyn AnswerCache>))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_cached_per_full_key() {
        let s = Store::open_in_memory().unwrap();
        let k = CacheKey {
            backend: "anthropic".into(),
            model: "m1".into(),
            rubric_version: "3".into(),
            digest: "abc".into(),
            facet: "work_mode".into(),
        };
        assert_eq!(s.get(&k), None);
        s.put(&k, "Fix").unwrap();
        assert_eq!(s.get(&k).as_deref(), Some("Fix"));
        s.put(&k, "Build").unwrap();
        assert_eq!(s.get(&k).as_deref(), Some("Build"));
        let other = CacheKey {
            rubric_version: "4".into(),
            ..k.clone()
        };
        assert_eq!(s.get(&other), None);
        let other = CacheKey {
            model: "m2".into(),
            ..k
        };
        assert_eq!(s.get(&other), None);
    }
}
